// The style judge; the statistics are defined in the header.
#include "judge/style_judge.h"

#include <stdexcept>

#include <torch/torch.h>

namespace styleforge::trainer {
namespace {

constexpr int64_t kDirections = 64;  // sliced Wasserstein: random projections per layer
constexpr int64_t kQuantiles = 64;   // and quantiles compared per projection

double relative(const torch::Tensor& a, const torch::Tensor& reference) {
  return (a - reference).pow(2).sum().item<double>() / std::max(reference.pow(2).sum().item<double>(), 1e-20);
}

}  // namespace

StyleJudge::StyleJudge(const std::string& network, const std::string& network_dir,
                       std::vector<std::string> style_layers, std::string content_layer,
                       const torch::Tensor& calibration255)
    : style_layers_(std::move(style_layers)), content_layer_(std::move(content_layer)) {
  if (network != "inception_v3" && network != "mobilenet_v2")
    throw std::invalid_argument("judge network '" + network + "': inception_v3 or mobilenet_v2");
  network_ = load_loss_network(network, network_dir);
  network_->eval();
  if (calibration255.defined()) network_->recalibrate_batch_norm(calibration255);
}

// Each network's default layers span the same depths: stride 2 (fine texture) to 16 (shapes), content at stride 8.
// Both read what a network passes from block to block (InceptionV3's mixed outputs, MobileNetV2's residual stream);
// MobileNetV2's expand_relu layers (the ones its training loss reads) identified only 2 of PyTorch's 4 outputs,
// the block outputs 3 of 4 (trainer/README.md, "The judge").
std::vector<std::string> StyleJudge::default_style_layers(const std::string& network) {
  if (network == "mobilenet_v2")
    return {"Conv1_relu",  "expanded_conv_project_BN", "block_1_project_BN", "block_2_add",
            "block_4_add", "block_5_add",              "block_8_add",        "block_9_add"};
  return {"activation_3", "activation_5", "mixed0", "mixed1", "mixed2", "mixed3", "mixed4", "mixed5"};
}

std::string StyleJudge::default_content_layer(const std::string& network) {
  return network == "mobilenet_v2" ? "block_5_add" : "mixed2";
}

const std::vector<std::string>& StyleJudge::statistics() {
  static const std::vector<std::string> names = {"gram", "meanstd", "sliced"};
  return names;
}

JudgeDescription StyleJudge::describe(const torch::Tensor& image255) {
  torch::NoGradGuard no_grad;
  std::vector<std::string> layers = style_layers_;
  layers.push_back(content_layer_);
  std::vector<torch::Tensor> f = network_->features(image255, layers);
  JudgeDescription d;
  d.content = f.back()[0];
  for (size_t i = 0; i < style_layers_.size(); ++i) {
    torch::Tensor flat = f[i][0].reshape({f[i].size(1), -1});  // {C, hw}
    const int64_t c = flat.size(0), hw = flat.size(1);
    JudgeLayerSummary s;
    s.mean = flat.mean(1);
    s.std = flat.std(1, /*unbiased=*/false);
    s.gram = torch::mm(flat, flat.t()) / static_cast<double>(c * hw);
    auto it = directions_.find(style_layers_[i]);
    if (it == directions_.end()) {
      // The same directions for every image of a run: a generator seeded by the layer's width.
      torch::Generator gen = at::detail::createCPUGenerator(static_cast<uint64_t>(1000 + c));
      torch::Tensor dirs = at::randn({c, kDirections}, gen, torch::TensorOptions().dtype(torch::kFloat));
      it = directions_.emplace(style_layers_[i], dirs / dirs.norm(2, 0, true)).first;
    }
    torch::Tensor projected = torch::mm(flat.t(), it->second).t();  // {K, hw}
    torch::Tensor sorted = std::get<0>(projected.sort(1));
    torch::Tensor at = torch::linspace(0, hw - 1, kQuantiles).round().to(torch::kLong);
    s.quantiles = sorted.index_select(1, at);
    d.layers[style_layers_[i]] = s;
  }
  return d;
}

std::map<std::string, double> StyleJudge::style_distances(const JudgeDescription& image,
                                                          const JudgeDescription& painting,
                                                          const std::string& statistic) const {
  std::map<std::string, double> out;
  for (const auto& layer : style_layers_) {
    const JudgeLayerSummary& x = image.layers.at(layer);
    const JudgeLayerSummary& s = painting.layers.at(layer);
    double d = 0;
    if (statistic == "gram") {
      d = relative(x.gram, s.gram);
    } else if (statistic == "meanstd") {
      d = ((x.mean - s.mean).pow(2).sum() + (x.std - s.std).pow(2).sum()).item<double>() /
          std::max((s.mean.pow(2).sum() + s.std.pow(2).sum()).item<double>(), 1e-20);
    } else if (statistic == "sliced") {
      // Centre each projection on the painting's median so the spread, not the offset, is the unit.
      torch::Tensor spread = s.quantiles - s.quantiles.mean(1, true);
      d = (x.quantiles - s.quantiles).pow(2).mean().item<double>() /
          std::max(spread.pow(2).mean().item<double>(), 1e-20);
    } else {
      throw std::invalid_argument("unknown judge statistic '" + statistic + "' (gram, meanstd, sliced)");
    }
    out[layer] = d;
  }
  return out;
}

double StyleJudge::content_distance(const JudgeDescription& image, const JudgeDescription& photo) const {
  if (!image.content.sizes().equals(photo.content.sizes()))
    throw std::invalid_argument("content distance compares position by position: the image and the photo differ in size");
  return relative(image.content, photo.content);
}

}  // namespace styleforge::trainer
