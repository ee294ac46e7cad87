// Keras graph interpreter; see the header for the semantics it reproduces.
#include "loss/keras_graph.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "loss/tfjs_layers_model.h"

namespace styleforge::trainer {

struct KerasGraph::Op {
  enum Kind { Input, ZeroPad, Conv, Relu, Add, Concat, MaxPool, AvgPool } kind = Input;
  std::string name;
  std::vector<int> inputs;        // indices of earlier ops
  std::vector<int64_t> pad;       // ZeroPad: {left, right, top, bottom} (torch order)
  int64_t kernel_h = 1, kernel_w = 1, stride = 1, groups = 1;
  bool same_padding = false;      // Conv / pooling: Keras padding "same" (else "valid")
  double max_value = 0;           // Relu: 6 for ReLU6, 0 for none
  // Conv: the conv's own parameters, and the BN after it (if any), kept unfolded for recalibration.
  torch::Tensor conv_weight, conv_bias;
  bool has_bn = false;
  torch::Tensor gamma, beta, moving_mean, moving_variance;
  double eps = 1e-3;
};

namespace {

std::string layer_input(const nlohmann::json& layer, size_t i) {
  // inbound_nodes: [[["name", node_index, tensor_index, {}], ...]]
  return layer.at("inbound_nodes").at(0).at(i).at(0).get<std::string>();
}

const torch::Tensor& weight(const TfjsLayersModel& model, const std::string& name) {
  auto it = model.weights.find(name);
  if (it == model.weights.end()) throw std::runtime_error("network weights: '" + name + "' is missing");
  return it->second;
}

// `x` {N,C,H,W} convolved per channel with the normalised outer product of the binomial row (1 2 1 or 1 4 6 4 1),
// edges reflected (replicated where the map is too small to reflect), so the size is unchanged.
torch::Tensor binomial_blur(const torch::Tensor& x, int taps) {
  const torch::Tensor row = taps == 5 ? torch::tensor({1.0f, 4.0f, 6.0f, 4.0f, 1.0f}) : torch::tensor({1.0f, 2.0f, 1.0f});
  torch::Tensor kernel = torch::outer(row, row);
  kernel = (kernel / kernel.sum()).to(x.options()).expand({x.size(1), 1, taps, taps}).contiguous();
  const int64_t p = taps / 2;
  const bool reflect = x.size(2) > p && x.size(3) > p;
  namespace F = torch::nn::functional;
  F::PadFuncOptions pad({p, p, p, p});
  if (reflect) pad.mode(torch::kReflect); else pad.mode(torch::kReplicate);
  const std::vector<int64_t> stride{1, 1}, padding{0, 0}, dilation{1, 1};
  return torch::conv2d(F::pad(x, pad), kernel, torch::Tensor(), stride, padding, dilation, x.size(1));
}

// TensorFlow's "same" padding: output = ceil(in / stride); the odd pixel of padding goes after (bottom/right).
std::vector<int64_t> same_padding(const torch::Tensor& x, int64_t kh, int64_t kw, int64_t stride) {
  auto amount = [&](int64_t in, int64_t k) {
    int64_t out = (in + stride - 1) / stride;
    return std::max<int64_t>((out - 1) * stride + k - in, 0);
  };
  const int64_t ph = amount(x.size(2), kh), pw = amount(x.size(3), kw);
  return {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2};
}

bool all_zero(const std::vector<int64_t>& pad) {
  return std::all_of(pad.begin(), pad.end(), [](int64_t p) { return p == 0; });
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> KerasGraph::fold_batch_norm(const Op& op) {
  // y = gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta, as one conv.
  torch::Tensor factor = op.gamma / torch::sqrt(op.moving_variance + op.eps);
  return {op.conv_weight * factor.view({-1, 1, 1, 1}), (op.conv_bias - op.moving_mean) * factor + op.beta};
}

KerasGraph::KerasGraph(const std::string& dir, const std::string& last_layer) {
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
      if (it == index.end()) throw std::runtime_error(dir + ": " + name + " reads unknown layer " + in);
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
      op.kernel_h = cfg.at("kernel_size")[0];
      op.kernel_w = cfg.at("kernel_size")[1];
      op.stride = cfg.at("strides")[0];
      op.same_padding = cfg.at("padding") == "same";
      if (cfg.value("activation", "linear") != "linear")
        throw std::runtime_error(dir + ": " + name + " has a fused activation, which is not supported");
      if (cls == "Conv2D") {
        op.conv_weight = weight(model, name + "/kernel").permute({3, 2, 0, 1}).contiguous();  // HWIO -> OIHW
      } else {
        const torch::Tensor& k = weight(model, name + "/depthwise_kernel");  // [kh, kw, C, 1]
        op.conv_weight = k.permute({2, 3, 0, 1}).contiguous();                // -> [C, 1, kh, kw]
        op.groups = k.size(2);
      }
      op.conv_bias = cfg.value("use_bias", false) ? weight(model, name + "/bias").clone()
                                                   : torch::zeros({op.conv_weight.size(0)});
    } else if (cls == "BatchNormalization") {
      const int conv_index = input_of(0);
      Op& conv = ops_.at(conv_index);
      if (conv.kind != Op::Conv || conv.has_bn)
        throw std::runtime_error(dir + ": " + name + " does not follow a conv");
      conv.has_bn = true;
      conv.eps = cfg.at("epsilon");
      const torch::Tensor& mean = weight(model, name + "/moving_mean");
      conv.gamma = cfg.value("scale", true) ? weight(model, name + "/gamma").clone() : torch::ones_like(mean);
      conv.beta = cfg.value("center", true) ? weight(model, name + "/beta").clone() : torch::zeros_like(mean);
      conv.moving_mean = mean.clone();
      conv.moving_variance = weight(model, name + "/moving_variance").clone();
      index.erase(conv.name);  // the pre-BN output no longer exists
      conv.name = name;
      index[name] = conv_index;
      if (name == last_layer) { reached = true; break; }
      continue;
    } else if (cls == "ReLU" || (cls == "Activation" && cfg.value("activation", "") == "relu")) {
      op.kind = Op::Relu;
      op.inputs = {input_of(0)};
      if (cls == "ReLU") {
        op.max_value = cfg.value("max_value", 0.0);
        if (cfg.value("negative_slope", 0.0) != 0.0)
          throw std::runtime_error(dir + ": " + name + " is a leaky ReLU, which is not supported");
      }
    } else if (cls == "Add" || cls == "Concatenate") {
      op.kind = cls == "Add" ? Op::Add : Op::Concat;
      for (size_t i = 0; i < layer.at("inbound_nodes").at(0).size(); ++i) op.inputs.push_back(input_of(i));
    } else if (cls == "MaxPooling2D" || cls == "AveragePooling2D") {
      op.kind = cls == "MaxPooling2D" ? Op::MaxPool : Op::AvgPool;
      op.inputs = {input_of(0)};
      op.kernel_h = cfg.at("pool_size")[0];
      op.kernel_w = cfg.at("pool_size")[1];
      op.stride = cfg.at("strides")[0];
      op.same_padding = cfg.at("padding") == "same";
    } else {
      throw std::runtime_error(dir + ": layer " + name + " (" + cls + ") comes before '" + last_layer +
                               "' and is not supported");
    }
    index[name] = static_cast<int>(ops_.size());
    ops_.push_back(std::move(op));
    if (name == last_layer) { reached = true; break; }
  }
  if (!reached) throw std::runtime_error(dir + "/model.min.js: no layer '" + last_layer + "'");
  for (size_t i = 0; i < ops_.size(); ++i) {
    Op& op = ops_[i];
    if (op.kind != Op::Conv) continue;
    auto [w, b] = op.has_bn ? fold_batch_norm(op) : std::make_pair(op.conv_weight, op.conv_bias);
    register_buffer("op" + std::to_string(i) + "_weight", w.contiguous());
    register_buffer("op" + std::to_string(i) + "_bias", b.contiguous());
  }
}

KerasGraph::~KerasGraph() = default;

torch::Tensor KerasGraph::run(const Op& op, const std::vector<torch::Tensor>& values, const torch::Tensor& weight,
                              const torch::Tensor& bias) const {
  const torch::Tensor& in = op.inputs.empty() ? torch::Tensor() : values[op.inputs[0]];
  switch (op.kind) {
    case Op::Input: break;
    case Op::ZeroPad: return torch::constant_pad_nd(in, op.pad, 0.0);
    case Op::Relu: return op.max_value > 0 ? torch::clamp(in, 0.0, op.max_value) : torch::relu(in);
    case Op::Add: {
      torch::Tensor sum = values[op.inputs[0]];
      for (size_t i = 1; i < op.inputs.size(); ++i) sum = sum + values[op.inputs[i]];
      return sum;
    }
    case Op::Concat: {
      std::vector<torch::Tensor> parts;
      for (int i : op.inputs) parts.push_back(values[i]);
      return torch::cat(parts, 1);
    }
    case Op::Conv: {
      torch::Tensor x = in;
      if (op.same_padding) {
        const std::vector<int64_t> pad = same_padding(x, op.kernel_h, op.kernel_w, op.stride);
        if (!all_zero(pad)) x = torch::constant_pad_nd(x, pad, 0.0);
      }
      if (antialias_taps_ > 0 && op.stride > 1) x = binomial_blur(x, antialias_taps_);
      const std::vector<int64_t> stride{op.stride, op.stride}, padding{0, 0}, dilation{1, 1};
      return torch::conv2d(x, weight, bias, stride, padding, dilation, op.groups);
    }
    case Op::MaxPool:
    case Op::AvgPool: {
      const std::vector<int64_t> kernel{op.kernel_h, op.kernel_w}, stride{op.stride, op.stride};
      torch::Tensor x = in;
      if (antialias_taps_ > 0 && op.stride > 1) x = binomial_blur(x, antialias_taps_);
      std::vector<int64_t> pad = op.same_padding ? same_padding(x, op.kernel_h, op.kernel_w, op.stride)
                                                 : std::vector<int64_t>{0, 0, 0, 0};
      if (op.kind == Op::MaxPool) {
        if (!all_zero(pad)) x = torch::constant_pad_nd(x, pad, -std::numeric_limits<float>::infinity());
        return torch::max_pool2d(x, kernel, stride);
      }
      if (all_zero(pad)) return torch::avg_pool2d(x, kernel, stride);
      // TensorFlow's "same" average counts only real pixels: sum of the zero-padded input / count of ones.
      torch::Tensor ones = torch::ones({1, 1, x.size(2), x.size(3)}, x.options());
      torch::Tensor sum = torch::avg_pool2d(torch::constant_pad_nd(x, pad, 0.0), kernel, stride);
      torch::Tensor count = torch::avg_pool2d(torch::constant_pad_nd(ones, pad, 0.0), kernel, stride);
      return sum / count;
    }
  }
  throw std::logic_error("KerasGraph: input op has no computation");
}

std::vector<torch::Tensor> KerasGraph::forward(const torch::Tensor& x, const std::vector<std::string>& layers) {
  // Buffers move with .to(device); look them up here since Module::to replaces the tensors.
  auto buffers = named_buffers(false);
  std::vector<int> wanted;
  int last = -1;
  for (const auto& l : layers) {
    auto it = std::find_if(ops_.begin(), ops_.end(), [&](const Op& op) { return op.name == l; });
    if (it == ops_.end()) throw std::runtime_error("no layer '" + l + "' (see --help for the layer list)");
    wanted.push_back(static_cast<int>(it - ops_.begin()));
    last = std::max(last, wanted.back());
  }
  std::vector<torch::Tensor> values(ops_.size());
  for (int i = 0; i <= last; ++i) {
    const Op& op = ops_[i];
    if (op.kind == Op::Input) { values[i] = x; continue; }
    if (op.kind != Op::Conv) { values[i] = run(op, values, {}, {}); continue; }
    const std::string id = "op" + std::to_string(i);
    values[i] = run(op, values, buffers[id + "_weight"], buffers[id + "_bias"]);
  }
  std::vector<torch::Tensor> out;
  for (int w : wanted) out.push_back(values[w]);
  return out;
}

std::vector<std::string> KerasGraph::layer_names() const {
  std::vector<std::string> names;
  for (const auto& op : ops_)
    if (op.kind != Op::Input && op.kind != Op::ZeroPad) names.push_back(op.name);
  return names;
}

std::vector<BatchNormCalibration> KerasGraph::recalibrate_batch_norm(const torch::Tensor& photos) {
  torch::NoGradGuard no_grad;
  auto buffers = named_buffers(false);
  const torch::Device device = buffers.begin()->value().device();
  auto median = [](const torch::Tensor& t) { return t.median().item<double>(); };
  auto saturated = [](const torch::Tensor& t) { return (t >= 6.0).to(torch::kFloat).mean().item<double>(); };
  // Each op's output is dropped once no later op reads it, so a batch of a few dozen photos fits in memory.
  std::vector<int> last_use(ops_.size(), -1);
  for (size_t i = 0; i < ops_.size(); ++i)
    for (int in : ops_[i].inputs) last_use[in] = static_cast<int>(i);
  std::vector<BatchNormCalibration> report;
  std::vector<torch::Tensor> values(ops_.size());
  for (size_t i = 0; i < ops_.size(); ++i) {
    Op& op = ops_[i];
    const std::string id = "op" + std::to_string(i);
    if (op.kind == Op::Input) {
      values[i] = photos.to(device);
    } else if (op.kind != Op::Conv) {
      values[i] = run(op, values, {}, {});
    } else if (!op.has_bn) {
      values[i] = run(op, values, buffers[id + "_weight"], buffers[id + "_bias"]);
    } else {
      const torch::Tensor raw = run(op, values, op.conv_weight.to(device), op.conv_bias.to(device));
      auto normalised = [&](const torch::Tensor& mean, const torch::Tensor& var) {
        torch::Tensor f = op.gamma.to(device) / torch::sqrt(var.to(device) + op.eps);
        return (raw - mean.to(device).view({1, -1, 1, 1})) * f.view({1, -1, 1, 1}) + op.beta.to(device).view({1, -1, 1, 1});
      };
      const torch::Tensor gamma = op.gamma.to(device).abs().clamp_min(1e-6);
      BatchNormCalibration c;
      c.layer = op.name;
      c.channels = raw.size(1);
      c.zero_variance_channels = (op.moving_variance == 0).sum().item<int64_t>();
      {
        torch::Tensor before = normalised(op.moving_mean, op.moving_variance);
        c.saturated_before = saturated(before);
        c.std_ratio_before = median(before.std({0, 2, 3}) / gamma);
      }
      op.moving_mean = raw.mean({0, 2, 3}).cpu();
      // A channel that never varies on photos keeps a tiny positive variance: BN then passes it as beta.
      op.moving_variance = raw.var({0, 2, 3}, /*unbiased=*/false).cpu().clamp_min(1e-6);
      values[i] = normalised(op.moving_mean, op.moving_variance);
      c.saturated_after = saturated(values[i]);
      c.std_ratio_after = median(values[i].std({0, 2, 3}) / gamma);
      auto [w, b] = fold_batch_norm(op);
      buffers[id + "_weight"].copy_(w);
      buffers[id + "_bias"].copy_(b);
      report.push_back(c);
    }
    for (int in : op.inputs)
      if (last_use[in] == static_cast<int>(i)) values[in] = torch::Tensor();
  }
  return report;
}

void KerasGraph::set_antialias(int taps) {
  if (taps != 0 && taps != 3 && taps != 5) throw std::invalid_argument("antialias: 0, 3 or 5 taps");
  antialias_taps_ = taps;
}

int64_t KerasGraph::zero_variance_channels() const {
  int64_t n = 0;
  for (const Op& op : ops_)
    if (op.has_bn) n += (op.moving_variance == 0).sum().item<int64_t>();
  return n;
}

std::vector<KerasGraph::OpView> KerasGraph::op_views() const {
  static const char* kKinds[] = {"input", "zeropad", "conv", "relu", "add", "concat", "maxpool", "avgpool"};
  auto buffers = named_buffers(false);
  std::vector<OpView> views;
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Op& op = ops_[i];
    OpView v;
    v.kind = op.kind == Op::Relu && op.max_value == 6 ? "relu6" : kKinds[op.kind];
    if (op.kind == Op::Relu && op.max_value != 0 && op.max_value != 6)
      throw std::runtime_error(op.name + ": a ReLU capped at " + std::to_string(op.max_value) + " has no view");
    v.name = op.name;
    v.inputs = op.inputs;
    v.pad = op.pad;
    v.kernel_h = op.kernel_h;
    v.kernel_w = op.kernel_w;
    v.stride = op.stride;
    v.groups = op.groups;
    v.same_padding = op.same_padding;
    if (op.kind == Op::Conv) {
      const std::string id = "op" + std::to_string(i);
      v.weight = buffers[id + "_weight"];
      v.bias = buffers[id + "_bias"];
    }
    views.push_back(std::move(v));
  }
  return views;
}

void KerasGraph::write_graph(const std::string& json_path, const std::string& bin_path,
                             const std::string& input_range) const {
  static const char* kKinds[] = {"input", "zeropad", "conv", "relu", "add", "concat", "maxpool", "avgpool"};
  auto buffers = named_buffers(false);
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
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Op& op = ops_[i];
    std::string kind = kKinds[op.kind];
    if (op.kind == Op::Relu && op.max_value == 6) kind = "relu6";
    nlohmann::json j{{"kind", kind}, {"name", op.name}, {"inputs", op.inputs}};
    if (op.kind == Op::ZeroPad) j["pad"] = op.pad;
    if (op.kind == Op::Conv) {
      const std::string id = "op" + std::to_string(i);
      j.update({{"stride", op.stride}, {"kernel", op.kernel_h}, {"groups", op.groups},
                {"same_padding", op.same_padding}, {"weight", put(buffers[id + "_weight"])},
                {"bias", put(buffers[id + "_bias"])}});
    }
    ops.push_back(j);
  }
  std::ofstream json(json_path, std::ios::trunc);
  json << nlohmann::json{{"input_range", input_range}, {"ops", ops}}.dump() << "\n";
  if (!bin || !json) throw std::runtime_error("cannot write the graph to " + json_path + " / " + bin_path);
}

}  // namespace styleforge::trainer
