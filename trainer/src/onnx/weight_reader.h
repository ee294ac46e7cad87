// Reads back the weights of an ONNX file that `styleforge-trainer export` wrote (GraphBuilder's subset: float32 and
// float16 initializers in raw_data). Why: the shipped models/*.onnx are the only copy of a trained network that a
// clean checkout has, so fine-tuning a shipped style (`style --init-from models/the-kiss.onnx`) starts from them.
// Like graph_builder.h, this header exposes no protobuf or ONNX type.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer::onnx_writer {

struct StoredWeight {
  std::vector<int64_t> shape;
  std::vector<float> values;  // float16 initializers widened to float32
};

struct StoredNode {
  std::string op_type;
  std::vector<std::string> inputs;
};

struct StoredWeights {
  // By LibTorch parameter path: an initializer "conv1.conv.weight.fp16" (a float16 copy that a Cast turns back into
  // float32) is listed as "conv1.conv.weight".
  std::map<std::string, StoredWeight> weights;
  std::vector<StoredNode> nodes;  // in file order
};

// Fails with a message for a person when the file is missing, not an ONNX model, or holds initializers of a type
// our exporter never writes.
Result<StoredWeights> read_onnx_weights(const std::string& path);

}  // namespace styleforge::trainer::onnx_writer
