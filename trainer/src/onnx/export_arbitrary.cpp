// The two graphs of an arbitrary-style model; what each computes is documented in the header.
#include "onnx/export_arbitrary.h"

#include <torch/torch.h>

#include <stdexcept>

#include "loss/keras_graph.h"
#include "nets/conditional_transformer_net.h"
#include "nets/style_predictor.h"
#include "onnx/torch_graph.h"

namespace styleforge::trainer {
namespace {

using Ints = std::vector<int64_t>;

// One KerasGraph conv: its "same" padding as fixed pads where they do not depend on the input size (stride 1, odd
// kernel: (k - 1) / 2 on each side), else as ONNX's SAME_UPPER, TensorFlow's rule (the odd pixel after).
std::string trunk_conv(TorchGraph& t, const KerasGraph::OpView& op, const std::string& x) {
  std::vector<onnx_writer::Attribute> attributes = {attr("kernel_shape", Ints{op.kernel_h, op.kernel_w}),
                                                    attr("strides", Ints{op.stride, op.stride}),
                                                    attr("group", op.groups)};
  if (!op.same_padding) {
    attributes.push_back(attr("pads", Ints{0, 0, 0, 0}));
  } else if (op.stride == 1 && op.kernel_h % 2 == 1 && op.kernel_w % 2 == 1) {
    const int64_t ph = (op.kernel_h - 1) / 2, pw = (op.kernel_w - 1) / 2;
    attributes.push_back(attr("pads", Ints{ph, pw, ph, pw}));
  } else {
    attributes.push_back(attr("auto_pad", "SAME_UPPER"));
  }
  const std::string prefix = "predictor.trunk." + op.name;
  return t.g.node("Conv", {x, t.weight(prefix + ".weight", op.weight), t.weight(prefix + ".bias", op.bias)},
                  attributes, op.name);
}

// The trunk's ops up to the last one, in order; returns the value name of each op.
std::vector<std::string> trunk(TorchGraph& t, const KerasGraph& graph, const std::string& input) {
  const std::vector<KerasGraph::OpView> ops = graph.op_views();
  std::vector<std::string> values(ops.size());
  const float relu6_min = 0.0f, relu6_max = 6.0f;  // Clip's bounds are scalars (shape [])
  t.g.add_float_initializer("relu6_min", {}, &relu6_min);
  t.g.add_float_initializer("relu6_max", {}, &relu6_max);
  for (size_t i = 0; i < ops.size(); ++i) {
    const KerasGraph::OpView& op = ops[i];
    const std::string in = op.inputs.empty() ? input : values[op.inputs[0]];
    if (op.kind == "input") {
      values[i] = input;
    } else if (op.kind == "zeropad") {  // {left, right, top, bottom} -> ONNX [n, c, top, left, n, c, bottom, right]
      values[i] = t.g.node("Pad", {in, t.constant_int64(op.name + "_pads", {0, 0, op.pad[2], op.pad[0], 0, 0,
                                                                            op.pad[3], op.pad[1]})},
                           {attr("mode", "constant")}, op.name);
    } else if (op.kind == "conv") {
      values[i] = trunk_conv(t, op, in);
    } else if (op.kind == "relu6") {
      values[i] = t.g.node("Clip", {in, "relu6_min", "relu6_max"}, {}, op.name);
    } else if (op.kind == "relu") {
      values[i] = t.g.node("Relu", {in}, {}, op.name);
    } else if (op.kind == "add") {
      std::string sum = values[op.inputs[0]];
      for (size_t k = 1; k < op.inputs.size(); ++k) sum = t.g.node("Add", {sum, values[op.inputs[k]]}, {}, op.name);
      values[i] = sum;
    } else {
      throw std::runtime_error("style predictor trunk: layer " + op.name + " (" + op.kind + ") has no ONNX form here");
    }
  }
  return values;
}

}  // namespace

Status export_style_predictor_onnx(StylePredictorImpl& net, const std::string& path, const Metadata& metadata,
                                   WeightPrecision precision) {
  try {
    TorchGraph t("styleforge_style_predictor", precision);
    t.g.add_input("style", {1, 3, "height", "width"});
    if (net.trunk->input_range() != MobileNetInputRange::ImageNet)
      throw std::runtime_error("style predictor: only the ImageNet input range ([-1, 1]) is exported");
    const std::string scaled = t.g.node("Mul", {"style", t.constant_float("inv_127_5", {1.0f / 127.5f})}, {}, "style_scaled");
    const std::string input = t.g.node("Sub", {scaled, t.constant_float("one", {1.0f})}, {}, "style_normalised");
    const std::vector<std::string> values = trunk(t, net.trunk->graph(), input);
    const std::vector<KerasGraph::OpView> ops = net.trunk->graph().op_views();
    std::vector<std::string> statistics;
    for (const std::string& layer : StylePredictorImpl::statistic_layers()) {
      size_t i = 0;
      while (i < ops.size() && ops[i].name != layer) ++i;
      if (i == ops.size()) throw std::runtime_error("style predictor: the trunk has no layer " + layer);
      const std::string& f = values[i];
      const std::string mean = t.g.node("ReduceMean", {f}, {attr("axes", Ints{2, 3}), attr("keepdims", 1)}, layer + "_mean");
      const std::string deviation = t.g.node("Sub", {f, mean}, {}, layer + "_deviation");
      const std::string squared = t.g.node("Mul", {deviation, deviation}, {}, layer + "_squared");
      const std::string var = t.g.node("ReduceMean", {squared}, {attr("axes", Ints{2, 3}), attr("keepdims", 0)}, layer + "_var");
      const std::string eps = t.constant_float("std_epsilon", {static_cast<float>(StylePredictorImpl::kStdEpsilon)});
      statistics.push_back(t.g.node("Flatten", {mean}, {attr("axis", 1)}, layer + "_mean_flat"));
      statistics.push_back(t.g.node("Sqrt", {t.g.node("Add", {var, eps}, {}, layer + "_var_eps")}, {}, layer + "_std"));
    }
    const std::string pooled = t.g.node("Concat", statistics, {attr("axis", 1)}, "style_statistics");
    const std::string hidden = t.op("Relu", t.linear("predictor.fc1", *net.fc1, pooled));
    t.g.node("Gemm", {hidden, t.weight("predictor.fc2.weight", net.fc2->weight), t.weight("predictor.fc2.bias", net.fc2->bias)},
             {attr("transB", 1)}, "predictor.fc2", "style_code");
    t.g.add_output("style_code", {1, net.code_size});
    return finish(t, path, metadata);
  } catch (const std::exception& e) {
    return Status::failure(path + ": " + e.what());
  }
}

Status export_arbitrary_transformer_onnx(ConditionalTransformerNetImpl& net, const std::string& path,
                                         const Metadata& metadata, WeightPrecision precision) {
  try {
    TorchGraph t("styleforge_arbitrary_transformer", precision);
    t.g.add_input("image", {"batch", 3, "height", "width"});
    t.g.add_input("style_code", {"code_batch", net.code_size});
    const int64_t total = net.total_norm_channels();
    const std::string params = t.linear("norm_params", *net.norm_params, "style_code");
    int64_t next = 0;  // channels handed out so far, in norm_channels() order
    // Conditional instance norm: plain InstanceNormalization, then * scale + shift from the code.
    auto norm = [&](const std::string& name, const std::string& x, int64_t channels) {
      const std::string c = std::to_string(channels);
      const std::string ones = t.constant_float("ones_" + c, std::vector<float>(channels, 1.0f));
      const std::string zeros = t.constant_float("zeros_" + c, std::vector<float>(channels, 0.0f));
      const std::string normalised = t.g.node("InstanceNormalization", {x, ones, zeros},
                                              {attr("epsilon", static_cast<float>(ConditionalTransformerNetImpl::kNormEpsilon))}, name);
      auto slice = [&](int64_t start, const std::string& what) {
        const std::string s = t.g.node("Slice", {params, t.constant_int64(name + "_" + what + "_start", {start}),
                                                 t.constant_int64(name + "_" + what + "_end", {start + channels}),
                                                 t.constant_int64("axis_1", {1})},
                                       {}, name + "_" + what);
        return t.reshape(s, {-1, channels, 1, 1});
      };
      const std::string scaled = t.g.node("Mul", {normalised, slice(next, "scale")}, {}, name + "_scaled");
      const std::string shifted = t.g.node("Add", {scaled, slice(total + next, "shift")}, {}, name + "_shifted");
      next += channels;
      return shifted;
    };
    const int64_t w = net.width;
    auto relu = [&](const std::string& x) { return t.op("Relu", x); };
    std::string y = relu(norm("in1", conv_layer(t, "conv1", *net.conv1, "image"), w));
    y = relu(norm("in2", conv_layer(t, "conv2", *net.conv2, y), 2 * w));
    y = relu(norm("in3", conv_layer(t, "conv3", *net.conv3, y), 4 * w));
    for (size_t i = 0; i < net.res->size(); ++i) {
      auto* block = (*net.res)[i]->as<ConditionalResidualBlockImpl>();
      const std::string p = "res." + std::to_string(i);
      std::string r = relu(norm(p + ".in1", conv_layer(t, p + ".conv1", *block->conv1, y), 4 * w));
      r = norm(p + ".in2", conv_layer(t, p + ".conv2", *block->conv2, r), 4 * w);
      y = t.g.node("Add", {y, r}, {}, p + ".add");
    }
    y = relu(norm("in4", t.upsample_conv("up1.conv", *net.up1->conv, y), 2 * w));
    y = relu(norm("in5", t.upsample_conv("up2.conv", *net.up2->conv, y), w));
    if (next != total) throw std::logic_error("norm_params: the graph used " + std::to_string(next) + " of " +
                                              std::to_string(total) + " channels");
    if (net.photo_skip)
      t.g.node("Add", {conv_layer(t, "conv_out", *net.conv_out, y), "image"}, {}, "photo_skip", "stylized");
    else
      conv_layer(t, "conv_out", *net.conv_out, y, "stylized");
    t.g.add_output("stylized", {"batch", 3, "height", "width"});
    return finish(t, path, metadata);
  } catch (const std::exception& e) {
    return Status::failure(path + ": " + e.what());
  }
}

}  // namespace styleforge::trainer
