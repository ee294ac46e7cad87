#include "onnx/weight_reader.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace styleforge::trainer::onnx_writer {
namespace {

float half_to_float(uint16_t h) {
  const int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0) magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero and subnormals
  else if (exponent == 31) magnitude = mantissa ? NAN : INFINITY;
  else magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

const char kFp16Suffix[] = ".fp16";

}  // namespace

Result<StoredWeights> read_onnx_weights(const std::string& path) {
  using R = Result<StoredWeights>;
  std::ifstream in(path, std::ios::binary);
  if (!in) return R::failure(path + ": cannot open it (does the file exist?)");
  std::stringstream bytes;
  bytes << in.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes.str()) || !model.has_graph())
    return R::failure(path + ": not an ONNX model (give a .onnx file written by styleforge-trainer export)");
  StoredWeights out;
  for (const auto& node : model.graph().node())
    out.nodes.push_back({node.op_type(), {node.input().begin(), node.input().end()}});
  for (const auto& t : model.graph().initializer()) {
    StoredWeight w;
    int64_t count = 1;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > (int64_t{1} << 31)) return R::failure(path + ": initializer " + t.name() + " has a bad shape");
      w.shape.push_back(d);
      count *= d;
    }
    std::string name = t.name();
    const std::string& raw = t.raw_data();
    if (t.data_type() == onnx::TensorProto::FLOAT) {
      if (raw.size() != static_cast<size_t>(count) * sizeof(float)) {
        if (t.float_data_size() != count)
          return R::failure(path + ": initializer " + name + " holds " + std::to_string(raw.size()) +
                            " bytes for " + std::to_string(count) + " float32 values");
        w.values.assign(t.float_data().begin(), t.float_data().end());
      } else {
        w.values.resize(static_cast<size_t>(count));
        std::memcpy(w.values.data(), raw.data(), raw.size());
      }
    } else if (t.data_type() == onnx::TensorProto::FLOAT16) {
      if (raw.size() != static_cast<size_t>(count) * sizeof(uint16_t))
        return R::failure(path + ": initializer " + name + " holds " + std::to_string(raw.size()) + " bytes for " +
                          std::to_string(count) + " float16 values");
      w.values.resize(static_cast<size_t>(count));
      for (int64_t i = 0; i < count; ++i) {
        uint16_t bits;
        std::memcpy(&bits, raw.data() + i * sizeof(uint16_t), sizeof bits);
        w.values[static_cast<size_t>(i)] = half_to_float(bits);
      }
      const size_t n = sizeof(kFp16Suffix) - 1;
      if (name.size() > n && name.compare(name.size() - n, n, kFp16Suffix) == 0) name.resize(name.size() - n);
    } else {
      continue;  // int64 shapes and pads: not weights
    }
    out.weights[name] = std::move(w);
  }
  return R::success(std::move(out));
}

}  // namespace styleforge::trainer::onnx_writer
