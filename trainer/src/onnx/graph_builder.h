// GraphBuilder: writes ONNX model files from C++ (LibTorch has no C++ ONNX exporter). It builds an
// onnx::ModelProto with the protobuf classes of Debian's libonnx-dev, but this header exposes none of them, so
// the exporters that use it need neither protobuf nor ONNX headers.
//
// The subset of ONNX this writer produces (everything else is out of scope, and the checker would be the judge):
//   file       ModelProto, ir_version 8, one opset_import: domain "" (ai.onnx) version 17;
//              producer_name "styleforge-trainer"; metadata_props as given (string key/value pairs).
//   graph      one GraphProto; nodes appended in topological order (each node's inputs exist before it).
//   values     inputs and outputs are float32 tensors (TensorProto.FLOAT). A dimension is either a fixed size
//              (dim_value) or a name (dim_param: "batch", "height", "width").
//   weights    graph initializers, float32 (data in raw_data, little-endian, row-major/C order, exactly the
//              layout of a contiguous LibTorch tensor), float16 (IEEE half bits, same layout; the exporters
//              follow each with a Cast to float32, which runtimes fold once at load) or int64 (raw_data; shapes
//              for Reshape, pads for Pad, scales are float). Initializers are not graph inputs (IR version >= 4).
//   ops        Conv, ConvTranspose, Pad (mode reflect, pads as an int64 input), InstanceNormalization,
//              BatchNormalization (inference form: scale, B, mean, var), Resize (nearest, asymmetric, floor:
//              PyTorch's nearest upsampling; scales as a float input), Gemm, MatMul, Reshape, Flatten, Relu,
//              LeakyRelu, Tanh, Sigmoid, Softmax, Concat, Add, Mul, Clip (min/max as float inputs), Cast.
//   attributes INT, INTS, FLOAT, STRING.
//   names      node outputs are "<hint>" made unique with a numeric suffix when needed; initializers keep the
//              name given (the LibTorch parameter path, e.g. "conv1.conv.weight") so a file can be read back
//              against the checkpoint.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer::onnx_writer {

// One dimension of an input/output: fixed (value > 0) or symbolic (param non-empty).
struct Dim {
  int64_t value = 0;
  std::string param;
  Dim(int64_t v) : value(v) {}             // NOLINT: implicit, so shapes read {1, 3, "height", "width"}
  Dim(const char* p) : param(p) {}         // NOLINT
};

struct Attribute {
  enum class Type { Int, Ints, Float, String } type = Type::Int;
  std::string name;
  int64_t i = 0;
  std::vector<int64_t> ints;
  float f = 0;
  std::string s;
};
Attribute attr(const std::string& name, int64_t value);
Attribute attr(const std::string& name, std::vector<int64_t> values);
Attribute attr(const std::string& name, float value);
Attribute attr(const std::string& name, const std::string& value);
inline Attribute attr(const std::string& name, const char* value) { return attr(name, std::string(value)); }
inline Attribute attr(const std::string& name, int value) { return attr(name, static_cast<int64_t>(value)); }

class GraphBuilder {
 public:
  explicit GraphBuilder(const std::string& graph_name);
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder&) = delete;
  GraphBuilder& operator=(const GraphBuilder&) = delete;

  void add_input(const std::string& name, const std::vector<Dim>& shape);
  void add_output(const std::string& name, const std::vector<Dim>& shape);
  void add_metadata(const std::string& key, const std::string& value);

  // Copies `data` (product of shape elements). Returns `name`.
  std::string add_float_initializer(const std::string& name, const std::vector<int64_t>& shape, const float* data);
  // `bits`: IEEE 754 binary16 values (e.g. at::Half::x), product of shape elements.
  std::string add_float16_initializer(const std::string& name, const std::vector<int64_t>& shape, const uint16_t* bits);
  std::string add_int64_initializer(const std::string& name, const std::vector<int64_t>& shape, const int64_t* data);
  std::string add_float_vector(const std::string& name, const std::vector<float>& values);   // 1-D
  std::string add_int64_vector(const std::string& name, const std::vector<int64_t>& values); // 1-D

  // Appends one node; an empty string in `inputs` is an omitted optional input. Returns the (unique) name of its
  // single output, derived from `output_hint`. Use `output_name` to force the name (graph outputs).
  std::string node(const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::vector<Attribute>& attributes, const std::string& output_hint,
                   const std::string& output_name = "");

  // Serialised ModelProto, or why it could not be produced.
  Result<std::string> serialize() const;
  // Writes the file atomically (temporary file + rename).
  Status save(const std::string& path) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace styleforge::trainer::onnx_writer
