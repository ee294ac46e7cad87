// TorchGraph: LibTorch layers -> ONNX nodes through GraphBuilder (graph_builder.h), one call per layer, each taking
// its input value's name and returning its output's. What every exporter (export_models.cpp,
// export_arbitrary.cpp) writes with. Initializers are named after the LibTorch parameter path so a file can be
// compared with its checkpoint; WeightPrecision::Float16 stores kernels as float16 with a Cast after each.
#pragma once
#include <torch/torch.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "nets/transformer_net.h"
#include "onnx/export_models.h"
#include "onnx/graph_builder.h"

namespace styleforge::trainer {

using onnx_writer::attr;
using onnx_writer::GraphBuilder;

class TorchGraph {
 public:
  TorchGraph(const std::string& name, WeightPrecision precision) : g(name), precision_(precision) {}
  GraphBuilder g;

  // Kernels (2-D and up) go to float16 when asked; the Cast's output keeps the parameter's name, so the rest of
  // the graph reads the same either way.
  std::string weight(const std::string& name, const torch::Tensor& t) {
    torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    if (precision_ == WeightPrecision::Float32 || c.dim() < 2)
      return g.add_float_initializer(name, c.sizes().vec(), c.data_ptr<float>());
    constexpr float kHalfMax = 65504.0f;
    if (c.numel() > 0 && c.abs().max().item<float>() > kHalfMax)
      throw std::runtime_error(name + " holds values beyond float16's range (65504); export it with --weights fp32");
    torch::Tensor h = c.to(torch::kHalf).contiguous();
    static_assert(sizeof(at::Half) == sizeof(uint16_t), "at::Half is IEEE binary16 bits");
    std::string stored = g.add_float16_initializer(name + ".fp16", c.sizes().vec(),
                                                   reinterpret_cast<const uint16_t*>(h.data_ptr<at::Half>()));
    constexpr int64_t kOnnxFloat = 1;  // TensorProto.FLOAT
    return g.node("Cast", {stored}, {attr("to", kOnnxFloat)}, name, name);
  }

  std::string conv(const std::string& name, torch::nn::Conv2dImpl& conv, const std::string& x, int64_t pad,
                   const std::string& out = "") {
    const auto& w = conv.weight;
    std::vector<std::string> inputs{x, weight(name + ".weight", w)};
    if (conv.bias.defined()) inputs.push_back(weight(name + ".bias", conv.bias));
    auto stride = conv.options.stride();
    return g.node("Conv", inputs,
                  {attr("kernel_shape", std::vector<int64_t>{w.size(2), w.size(3)}),
                   attr("strides", std::vector<int64_t>{stride->at(0), stride->at(1)}),
                   attr("pads", std::vector<int64_t>{pad, pad, pad, pad}), attr("group", conv.options.groups())},
                  name, out);
  }

  std::string conv_transpose(const std::string& name, torch::nn::ConvTranspose2dImpl& conv, const std::string& x,
                             int64_t pad) {
    const auto& w = conv.weight;  // [in, out, kh, kw]: the layout ONNX ConvTranspose expects (group 1)
    std::vector<std::string> inputs{x, weight(name + ".weight", w)};
    if (conv.bias.defined()) inputs.push_back(weight(name + ".bias", conv.bias));
    auto stride = conv.options.stride();
    return g.node("ConvTranspose", inputs,
                  {attr("kernel_shape", std::vector<int64_t>{w.size(2), w.size(3)}),
                   attr("strides", std::vector<int64_t>{stride->at(0), stride->at(1)}),
                   attr("pads", std::vector<int64_t>{pad, pad, pad, pad})},
                  name);
  }

  std::string instance_norm(const std::string& name, torch::nn::InstanceNorm2dImpl& norm, const std::string& x) {
    return g.node("InstanceNormalization", {x, weight(name + ".weight", norm.weight), weight(name + ".bias", norm.bias)},
                  {attr("epsilon", static_cast<float>(norm.options.eps()))}, name);
  }

  std::string batch_norm(const std::string& name, torch::nn::BatchNorm2dImpl& norm, const std::string& x) {
    return g.node("BatchNormalization",
                  {x, weight(name + ".weight", norm.weight), weight(name + ".bias", norm.bias),
                   weight(name + ".running_mean", norm.running_mean), weight(name + ".running_var", norm.running_var)},
                  {attr("epsilon", static_cast<float>(norm.options.eps()))}, name);
  }

  // Linear: y = x W^T + b, i.e. Gemm with transB.
  std::string linear(const std::string& name, torch::nn::LinearImpl& fc, const std::string& x) {
    return g.node("Gemm", {x, weight(name + ".weight", fc.weight), weight(name + ".bias", fc.bias)},
                  {attr("transB", 1)}, name);
  }

  std::string reflect_pad(const std::string& x, int64_t p) {
    return g.node("Pad", {x, constant_int64("pads_reflect_" + std::to_string(p), {0, 0, p, p, 0, 0, p, p})},
                  {attr("mode", "reflect")}, x + "_pad");
  }

  // PyTorch's nearest upsampling picks source index floor(dst / scale): Resize's asymmetric + floor.
  std::string upsample_nearest2x(const std::string& x) {
    return g.node("Resize", {x, "", constant_float("scales_2x", {1, 1, 2, 2})},
                  {attr("mode", "nearest"), attr("coordinate_transformation_mode", "asymmetric"),
                   attr("nearest_mode", "floor")},
                  x + "_up");
  }

  // UpsampleConvLayer (nearest x2, reflection pad 1, 3x3 conv) as one ConvTranspose (kernel 4, stride 2) on the
  // small image. Each output pixel of the upsampled conv reads only 2x2 distinct source pixels, so adding up the
  // 3x3 taps that land on the same source pixel gives the same result with 2.25x fewer multiply-adds and without
  // the full-size Resize and Pad tensors: the shipped networks need 12% fewer multiply-adds and 5-8% less browser
  // WASM time (web/bench/profile_ops.mjs; figures in web/README.md). Reflecting the upsampled image by 1 equals
  // edge-padding the source by 1 (row -1 reflects to row 1, a copy of source row 0); pads 3 crop the output to
  // exactly twice the source.
  // The 4x4 kernel is derived inside the graph from the stored 3x3 one (Taps * W * Taps^T, in/out channels
  // swapped), so files keep their size and float16 kernels; ONNX Runtime folds it once when the session loads.
  // Other kernel sizes keep the plain Resize + Pad + Conv form.
  std::string upsample_conv(const std::string& name, ConvLayerImpl& layer, const std::string& x) {
    auto& conv = *layer.conv;
    const auto& w = conv.weight;
    if (w.size(2) != 3 || w.size(3) != 3 || layer.pad != 1 || conv.options.stride()->at(0) != 1 ||
        conv.options.stride()->at(1) != 1 || conv.options.groups() != 1)
      return this->conv(name + ".conv", conv, reflect_pad(upsample_nearest2x(x), layer.pad), 0);
    // Row t of Taps says which 3x3 taps act on the source pixel at ConvTranspose kernel index t:
    // output 2i reads source i-1 (tap 0) and i (taps 1+2); output 2i+1 reads i (taps 0+1) and i+1 (tap 2).
    static const float kTaps[4 * 3] = {0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0};
    static const float kTapsT[3 * 4] = {0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0};
    if (constants_.insert("upsample_conv_taps").second) {
      g.add_float_initializer("upsample_conv_taps", {4, 3}, kTaps);
      g.add_float_initializer("upsample_conv_taps_t", {3, 4}, kTapsT);
    }
    std::string k3 = weight(name + ".conv.weight", w);
    std::string k4 = g.node("MatMul", {g.node("MatMul", {"upsample_conv_taps", k3}, {}, k3 + "_rows"),
                                       "upsample_conv_taps_t"}, {}, k3 + "_4x4");
    std::string kernel = g.node("Transpose", {k4}, {attr("perm", std::vector<int64_t>{1, 0, 2, 3})}, k4 + "_io");
    std::vector<std::string> inputs{g.node("Pad", {x, constant_int64("pads_edge_1", {0, 0, 1, 1, 0, 0, 1, 1})},
                                           {attr("mode", "edge")}, x + "_edge_pad"),
                                    kernel};
    if (conv.bias.defined()) inputs.push_back(weight(name + ".conv.bias", conv.bias));
    return g.node("ConvTranspose", inputs,
                  {attr("kernel_shape", std::vector<int64_t>{4, 4}), attr("strides", std::vector<int64_t>{2, 2}),
                   attr("pads", std::vector<int64_t>{3, 3, 3, 3})},
                  name + ".conv");
  }

  std::string reshape(const std::string& x, const std::vector<int64_t>& shape) {
    std::string key = "shape";
    for (int64_t d : shape) key += "_" + std::to_string(d < 0 ? 0 : d);
    return g.node("Reshape", {x, constant_int64(key, shape)}, {}, x + "_reshaped");
  }

  std::string op(const std::string& type, const std::string& x, const std::string& out = "") {
    return g.node(type, {x}, {}, x + "_" + type, out);
  }

  // Constants shared by every node that needs them, written once under `name`.
  std::string constant_int64(const std::string& name, const std::vector<int64_t>& v) {
    if (constants_.insert(name).second) g.add_int64_vector(name, v);
    return name;
  }
  std::string constant_float(const std::string& name, const std::vector<float>& v) {
    if (constants_.insert(name).second) g.add_float_vector(name, v);
    return name;
  }

 private:
  WeightPrecision precision_;
  std::set<std::string> constants_;
};

inline std::string conv_layer(TorchGraph& t, const std::string& name, ConvLayerImpl& layer, const std::string& x,
                       const std::string& out = "") {
  return t.conv(name + ".conv", *layer.conv, t.reflect_pad(x, layer.pad), 0, out);
}

inline Status finish(TorchGraph& t, const std::string& path, const Metadata& metadata) {
  for (const auto& [k, v] : metadata) t.g.add_metadata(k, v);
  return t.g.save(path);
}

}  // namespace styleforge::trainer
