// MobileNetV2 port from the TF.js/Keras graph; see the header for the semantics it reproduces.
#include "loss/mobilenet_v2.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include <torch/torch.h>

#include "loss/tfjs_layers_model.h"

namespace styleforge::trainer {

struct MobileNetV2Features::Op {
  enum Kind { Input, ZeroPad, Conv, Relu6, Add } kind = Input;
  std::string name;
  std::vector<int> inputs;          // indices of earlier ops
  std::vector<int64_t> pad;         // ZeroPad: {left, right, top, bottom} (torch order)
  torch::Tensor weight, bias;       // Conv: OIHW and folded BN bias
  int64_t stride = 1, groups = 1, kernel = 1;
  bool same_padding = false;        // Conv: Keras padding "same" (else "valid")
};

namespace {

std::string layer_input(const nlohmann::json& layer, size_t i) {
  // inbound_nodes: [[["name", node_index, tensor_index, {}], ...]]
  return layer.at("inbound_nodes").at(0).at(i).at(0).get<std::string>();
}

const torch::Tensor& weight(const TfjsLayersModel& model, const std::string& name) {
  auto it = model.weights.find(name);
  if (it == model.weights.end()) throw std::runtime_error("MobileNetV2 weights: '" + name + "' is missing");
  return it->second;
}

// TensorFlow's "same" padding: output = ceil(in / stride); the odd pixel of padding goes after (bottom/right).
torch::Tensor pad_same(const torch::Tensor& x, int64_t kernel, int64_t stride) {
  auto amount = [&](int64_t in) {
    int64_t out = (in + stride - 1) / stride;
    return std::max<int64_t>((out - 1) * stride + kernel - in, 0);
  };
  int64_t ph = amount(x.size(2)), pw = amount(x.size(3));
  if (ph == 0 && pw == 0) return x;
  return torch::constant_pad_nd(x, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0.0);
}

}  // namespace

MobileNetV2Features::MobileNetV2Features(const std::string& dir, const std::string& last_layer,
                                         MobileNetInputRange range)
    : range_(range) {
  TfjsLayersModel model = load_tfjs_layers_model(dir);
  const nlohmann::json& layers = model.topology.at("model_config").at("config").at("layers");
  std::map<std::string, int> index;  // layer name -> op producing its output (a folded BN maps to its conv)
  bool reached = false;
  for (const auto& layer : layers) {
    const std::string name = layer.at("name"), cls = layer.at("class_name");
    const nlohmann::json& cfg = layer.at("config");
    auto input_of = [&](size_t i) {
      const std::string in = layer_input(layer, i);
      auto it = index.find(in);
      if (it == index.end()) throw std::runtime_error("MobileNetV2 graph: " + name + " reads unknown layer " + in);
      return it->second;
    };
    Op op;
    op.name = name;
    if (cls == "InputLayer") {
      op.kind = Op::Input;
    } else if (cls == "ZeroPadding2D") {
      op.kind = Op::ZeroPad;
      op.inputs = {input_of(0)};
      const auto& p = cfg.at("padding");  // [[top, bottom], [left, right]]
      op.pad = {p[1][0].get<int64_t>(), p[1][1].get<int64_t>(), p[0][0].get<int64_t>(), p[0][1].get<int64_t>()};
    } else if (cls == "Conv2D" || cls == "DepthwiseConv2D") {
      op.kind = Op::Conv;
      op.inputs = {input_of(0)};
      op.kernel = cfg.at("kernel_size")[0];
      op.stride = cfg.at("strides")[0];
      op.same_padding = cfg.at("padding") == "same";
      if (cls == "Conv2D") {
        op.weight = weight(model, name + "/kernel").permute({3, 2, 0, 1}).contiguous();  // HWIO -> OIHW
      } else {
        const torch::Tensor& k = weight(model, name + "/depthwise_kernel");  // [kh, kw, C, 1]
        op.weight = k.permute({2, 3, 0, 1}).contiguous();                     // -> [C, 1, kh, kw]
        op.groups = k.size(2);
      }
      op.bias = cfg.value("use_bias", false) ? weight(model, name + "/bias").clone()
                                              : torch::zeros({op.weight.size(0)});
    } else if (cls == "BatchNormalization") {
      // Fold into the conv that feeds it: y = gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta.
      const int conv_index = input_of(0);
      Op& conv = ops_.at(conv_index);
      if (conv.kind != Op::Conv) throw std::runtime_error("MobileNetV2 graph: " + name + " does not follow a conv");
      const double eps = cfg.at("epsilon");
      torch::Tensor gamma = cfg.value("scale", true) ? weight(model, name + "/gamma") : torch::ones_like(conv.bias);
      torch::Tensor beta = cfg.value("center", true) ? weight(model, name + "/beta") : torch::zeros_like(conv.bias);
      torch::Tensor factor = gamma / torch::sqrt(weight(model, name + "/moving_variance") + eps);
      conv.weight = conv.weight * factor.view({-1, 1, 1, 1});
      conv.bias = (conv.bias - weight(model, name + "/moving_mean")) * factor + beta;
      index.erase(conv.name);  // the pre-BN output no longer exists
      conv.name = name;
      index[name] = conv_index;
      if (name == last_layer) reached = true;
      if (reached) break;
      continue;
    } else if (cls == "ReLU") {
      op.kind = Op::Relu6;
      op.inputs = {input_of(0)};
      if (cfg.value("max_value", 6.0) != 6.0 || cfg.value("negative_slope", 0.0) != 0.0)
        throw std::runtime_error("MobileNetV2 graph: " + name + " is not a plain ReLU6");
    } else if (cls == "Add") {
      op.kind = Op::Add;
      op.inputs = {input_of(0), input_of(1)};
    } else {
      break;  // pooling and the classifier head: past the layers a loss network uses
    }
    index[name] = static_cast<int>(ops_.size());
    ops_.push_back(std::move(op));
    if (name == last_layer) { reached = true; break; }
  }
  if (!reached) throw std::runtime_error(dir + "/model.min.js: MobileNetV2 has no layer '" + last_layer + "'");
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (ops_[i].kind != Op::Conv) continue;
    ops_[i].weight = register_buffer("op" + std::to_string(i) + "_weight", ops_[i].weight.contiguous());
    ops_[i].bias = register_buffer("op" + std::to_string(i) + "_bias", ops_[i].bias.contiguous());
  }
}

MobileNetV2Features::~MobileNetV2Features() = default;

std::vector<torch::Tensor> MobileNetV2Features::features_raw(const torch::Tensor& x,
                                                             const std::vector<std::string>& layers) {
  // Buffers move with .to(device); re-read them here since Module::to replaces the tensors.
  auto buffers = named_buffers(false);
  std::vector<int> wanted;
  int last = -1;
  for (const auto& l : layers) {
    auto it = std::find_if(ops_.begin(), ops_.end(), [&](const Op& op) { return op.name == l; });
    if (it == ops_.end()) throw std::runtime_error("MobileNetV2: no layer '" + l + "' (see --help for the layer list)");
    wanted.push_back(static_cast<int>(it - ops_.begin()));
    last = std::max(last, wanted.back());
  }
  std::vector<torch::Tensor> values(ops_.size());
  for (int i = 0; i <= last; ++i) {
    const Op& op = ops_[i];
    switch (op.kind) {
      case Op::Input: values[i] = x; break;
      case Op::ZeroPad: values[i] = torch::constant_pad_nd(values[op.inputs[0]], op.pad, 0.0); break;
      case Op::Conv: {
        torch::Tensor in = values[op.inputs[0]];
        if (op.same_padding) in = pad_same(in, op.kernel, op.stride);
        const std::string id = "op" + std::to_string(i);
        const std::vector<int64_t> stride{op.stride, op.stride}, padding{0, 0}, dilation{1, 1};
        values[i] = torch::conv2d(in, buffers[id + "_weight"], buffers[id + "_bias"], torch::IntArrayRef(stride),
                                  torch::IntArrayRef(padding), torch::IntArrayRef(dilation), op.groups);
        break;
      }
      case Op::Relu6: values[i] = torch::clamp(values[op.inputs[0]], 0.0, 6.0); break;
      case Op::Add: values[i] = values[op.inputs[0]] + values[op.inputs[1]]; break;
    }
  }
  std::vector<torch::Tensor> out;
  for (int w : wanted) out.push_back(values[w]);
  return out;
}

std::vector<torch::Tensor> MobileNetV2Features::features(const torch::Tensor& rgb255,
                                                         const std::vector<std::string>& layers) {
  torch::Tensor x = range_ == MobileNetInputRange::ImageNet ? rgb255 / 127.5 - 1.0 : rgb255 / 255.0;
  return features_raw(x, layers);
}

std::vector<std::string> MobileNetV2Features::layer_names() const {
  std::vector<std::string> names;
  for (const auto& op : ops_)
    if (op.kind != Op::Input && op.kind != Op::ZeroPad) names.push_back(op.name);
  return names;
}

std::vector<std::string> MobileNetV2Features::default_style_layers() const {
  return {"Conv1_relu", "block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu", "block_10_expand_relu"};
}

std::string MobileNetV2Features::default_content_layer() const { return "block_6_expand_relu"; }

void MobileNetV2Features::write_graph(const std::string& json_path, const std::string& bin_path) const {
  static const char* kKinds[] = {"input", "zeropad", "conv", "relu6", "add"};
  std::ofstream bin(bin_path, std::ios::binary | std::ios::trunc);
  int64_t offset = 0;
  auto put = [&](const torch::Tensor& t) {
    torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    bin.write(reinterpret_cast<const char*>(c.data_ptr<float>()), static_cast<std::streamsize>(c.numel() * 4));
    nlohmann::json entry{{"offset", offset}, {"shape", c.sizes().vec()}};
    offset += c.numel();
    return entry;
  };
  nlohmann::json ops = nlohmann::json::array();
  for (const Op& op : ops_) {
    nlohmann::json j{{"kind", kKinds[op.kind]}, {"name", op.name}, {"inputs", op.inputs}};
    if (op.kind == Op::ZeroPad) j["pad"] = op.pad;
    if (op.kind == Op::Conv) {
      j.update({{"stride", op.stride}, {"kernel", op.kernel}, {"groups", op.groups}, {"same_padding", op.same_padding},
                {"weight", put(op.weight)}, {"bias", put(op.bias)}});
    }
    ops.push_back(j);
  }
  const char* range = range_ == MobileNetInputRange::ImageNet ? "imagenet" : "zero_one";
  std::ofstream json(json_path, std::ios::trunc);
  json << nlohmann::json{{"input_range", range}, {"ops", ops}}.dump() << "\n";
  if (!bin || !json) throw std::runtime_error("cannot write the MobileNetV2 graph to " + json_path + " / " + bin_path);
}

}  // namespace styleforge::trainer
