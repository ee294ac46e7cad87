// Perceptual loss; the definitions are in the header.
#include "loss/perceptual.h"

#include <torch/torch.h>

namespace styleforge::trainer {

torch::Tensor gram_matrix(const torch::Tensor& features) {
  const auto n = features.size(0), c = features.size(1), hw = features.size(2) * features.size(3);
  torch::Tensor f = features.reshape({n, c, hw});
  return torch::bmm(f, f.transpose(1, 2)) / static_cast<double>(c * hw);
}

torch::Tensor softmax_smooth(const torch::Tensor& features) {
  const auto n = features.size(0);
  const auto count = features.numel() / n;
  return (torch::softmax(features.reshape({n, count}), 1) * static_cast<double>(count)).reshape(features.sizes());
}

torch::Tensor total_variation(const torch::Tensor& images) {
  using namespace torch::indexing;
  auto dx = images.index({Slice(), Slice(), Slice(), Slice(1, None)}) -
            images.index({Slice(), Slice(), Slice(), Slice(None, -1)});
  auto dy = images.index({Slice(), Slice(), Slice(1, None), Slice()}) -
            images.index({Slice(), Slice(), Slice(None, -1), Slice()});
  return dx.abs().mean() + dy.abs().mean();
}

PerceptualLoss::PerceptualLoss(std::shared_ptr<LossNetwork> network, PerceptualOptions options)
    : network_(std::move(network)), options_(std::move(options)) {
  if (options_.style_layers.empty()) options_.style_layers = network_->default_style_layers();
  if (options_.content_layer.empty()) options_.content_layer = network_->default_content_layer();
  all_layers_ = options_.style_layers;
  all_layers_.push_back(options_.content_layer);
}

torch::Tensor PerceptualLoss::prepare(const torch::Tensor& f) const {
  return options_.smoothing ? softmax_smooth(f) : f;
}

void PerceptualLoss::set_style(const torch::Tensor& style255) {
  torch::NoGradGuard no_grad;
  style_grams_.clear();
  for (const auto& f : network_->features(style255, options_.style_layers))
    style_grams_.push_back(gram_matrix(prepare(f)));
}

PerceptualTerms PerceptualLoss::compute(const torch::Tensor& output255, const torch::Tensor& content255) {
  using namespace torch::indexing;
  torch::Tensor out = output255, content = content255;
  const int64_t j = options_.jitter;
  if (j > 0 && out.size(2) > 2 * j && out.size(3) > 2 * j) {
    const int64_t dy = torch::randint(0, j + 1, {1}).item<int64_t>(), dx = torch::randint(0, j + 1, {1}).item<int64_t>();
    auto crop = [&](const torch::Tensor& t) {
      return t.index({Slice(), Slice(), Slice(dy, t.size(2) - j + dy), Slice(dx, t.size(3) - j + dx)});
    };
    out = crop(out);
    content = crop(content);
  }
  torch::Tensor target;
  {
    torch::NoGradGuard no_grad;
    target = prepare(network_->features(content, {options_.content_layer})[0]);
  }
  std::vector<torch::Tensor> f = network_->features(out, all_layers_);
  PerceptualTerms t;
  t.style = torch::zeros({}, output255.options());
  for (size_t i = 0; i < style_grams_.size(); ++i) {
    torch::Tensor g = gram_matrix(prepare(f[i]));
    const torch::Tensor& s = style_grams_[i];
    torch::Tensor term = options_.relative_style ? (g - s.expand_as(g)).pow(2).sum({1, 2}).mean() / s.pow(2).sum()
                                                 : (g - s.expand_as(g)).pow(2).mean();
    t.style = t.style + term;
  }
  t.style = t.style * options_.style_weight;
  t.content = (prepare(f.back()) - target).pow(2).mean() * options_.content_weight;
  t.tv = total_variation(output255) * options_.tv_weight;
  t.total = t.content + t.style + t.tv;
  return t;
}

}  // namespace styleforge::trainer
