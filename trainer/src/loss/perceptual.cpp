// Perceptual loss; the definitions are in the header.
#include "loss/perceptual.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>

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

torch::Tensor power_spectrum(const torch::Tensor& images255) {
  const auto h = images255.size(2), w = images255.size(3);
  const auto options = images255.options().requires_grad(false);
  const torch::Tensor window =
      torch::hann_window(h, false, options).unsqueeze(1) * torch::hann_window(w, false, options).unsqueeze(0);
  torch::Tensor x = images255 / 255.0;
  x = (x - x.mean({2, 3}, true)) * window;
  return torch::fft::rfft2(x).abs().pow(2) / static_cast<double>(h * w);
}

torch::Tensor spectrum_excess(const torch::Tensor& power, const torch::Tensor& reference_power) {
  constexpr double kFloor = 1e-8;  // below any real image's power at these sizes; keeps log finite
  return torch::relu((power + kFloor).log() - (reference_power + kFloor).log() - std::log(4.0)).mean();
}

namespace {

// Ring (rounded radius in cycles per tile) of each rfft2 frequency of a t x t tile: {t, t/2+1}.
torch::Tensor ring_index(int64_t t) {
  torch::Tensor fy = torch::arange(t, torch::kFloat);
  fy = torch::where(fy > t / 2, fy - t, fy).view({t, 1});                  // signed vertical frequency
  torch::Tensor fx = torch::arange(t / 2 + 1, torch::kFloat).view({1, t / 2 + 1});
  return (fy * fy + fx * fx).sqrt().round().to(torch::kLong);
}

}  // namespace

torch::Tensor tile_ring_relative_power(const torch::Tensor& images255) {
  const int64_t t = kPeakTile, n = images255.size(0), c = images255.size(1);
  const int64_t rows = images255.size(2) / t, cols = images255.size(3) / t;
  torch::Tensor tiles = images255.narrow(2, 0, rows * t).narrow(3, 0, cols * t)
                            .reshape({n, c, rows, t, cols, t}).permute({0, 2, 4, 1, 3, 5}).reshape({-1, c, t, t});
  torch::Tensor power = power_spectrum(tiles);                             // {M,3,t,t/2+1}
  const torch::Tensor ring = ring_index(t).to(power.device()).flatten();  // {F}
  const int64_t rings = ring.max().item<int64_t>() + 1;
  torch::Tensor flat = power.flatten(2);                                   // {M,3,F}
  torch::Tensor sums = torch::zeros({flat.size(0), c, rings}, flat.options()).index_add(2, ring, flat);
  torch::Tensor counts = torch::zeros({rings}, flat.options()).index_add(0, ring, torch::ones_like(ring, flat.options()));
  torch::Tensor ring_mean = (sums / counts).index_select(2, ring);         // {M,3,F}
  return (flat / (ring_mean + 1e-10)).view_as(power);
}

torch::Tensor peak_excess(const torch::Tensor& output255, const torch::Tensor& photo255) {
  torch::Tensor out = tile_ring_relative_power(output255);
  torch::Tensor photo;
  {
    torch::NoGradGuard no_grad;
    photo = tile_ring_relative_power(photo255).clamp_min(1.0);
  }
  // Periods of 2 to 10.7 px: rings 3 .. t/2 (coarser regularity is the picture's structure, as in the measure).
  const torch::Tensor ring = ring_index(kPeakTile).to(out.device());
  const torch::Tensor band = ((ring >= 3) & (ring <= kPeakTile / 2)).to(out.dtype());
  torch::Tensor excess = torch::relu(out.clamp_min(1e-10).log() - photo.log() - std::log(4.0)) * band;
  return excess.sum({2, 3}).mean() / band.sum();
}

torch::Tensor sorted_colour_projections(const torch::Tensor& images255, const torch::Tensor& directions) {
  const auto n = images255.size(0);
  torch::Tensor pixels = images255.reshape({n, 3, -1}) / 255.0;                 // {N,3,P}
  torch::Tensor projected = torch::matmul(directions.to(pixels.device()), pixels);  // {N,K,P}
  return std::get<0>(projected.sort(-1));
}

torch::Tensor sliced_wasserstein(const torch::Tensor& sorted, const torch::Tensor& reference_sorted) {
  const int64_t p = sorted.size(-1), m = reference_sorted.size(-1);
  // Quantile i of P sits at (i + 0.5) / P; the reference's nearest sample at that quantile.
  torch::Tensor at = ((torch::arange(p, sorted.options().dtype(torch::kDouble)) + 0.5) * (static_cast<double>(m) / p))
                         .floor().clamp_max(m - 1).to(torch::kLong).to(sorted.device());
  torch::Tensor reference = reference_sorted.index_select(-1, at);  // {K,P}
  return (sorted - reference.unsqueeze(0)).pow(2).mean({1, 2});
}

torch::Tensor sliced_feature_distance(const torch::Tensor& features, const torch::Tensor& style_features,
                                      const torch::Tensor& directions) {
  const auto n = features.size(0), c = features.size(1);
  torch::Tensor projected = torch::matmul(directions, features.reshape({n, c, -1}));  // {N,K,hw}
  torch::Tensor reference = std::get<0>(torch::matmul(directions, style_features).sort(-1));  // {K,M}
  return sliced_wasserstein(std::get<0>(projected.sort(-1)), reference);
}

PerceptualLoss::PerceptualLoss(std::shared_ptr<LossNetwork> network, PerceptualOptions options)
    : network_(std::move(network)), options_(std::move(options)) {
  if (options_.style_layers.empty()) options_.style_layers = network_->default_style_layers();
  if (options_.content_layer.empty()) options_.content_layer = network_->default_content_layer();
  all_layers_ = options_.style_layers;
  all_layers_.push_back(options_.content_layer);
  // Fixed directions (the same for every run): the three channels, luminance, then random unit vectors.
  // A local generator, so building a loss does not move the run's torch random state.
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  torch::Tensor random = torch::empty({kColourDirections - 4, 3});
  for (int64_t i = 0; i < random.numel(); ++i) random.view(-1)[i] = normal(rng);
  colour_directions_ = torch::cat({torch::eye(3), torch::ones({1, 3}), random});
  colour_directions_ = colour_directions_ / colour_directions_.norm(2, 1, true);
}

torch::Tensor PerceptualLoss::colour_blocks(const torch::Tensor& images255) const {
  const int64_t k = options_.colour_scale;
  if (k <= 1 || images255.size(2) < 2 * k || images255.size(3) < 2 * k) return images255;
  return torch::avg_pool2d(images255, {k, k});
}

torch::Tensor PerceptualLoss::prepare(const torch::Tensor& f) const {
  return options_.smoothing ? softmax_smooth(f) : f;
}

namespace {

// Bilinear, antialiased when shrinking (so a fine texture averages away rather than aliases into a coarse one).
torch::Tensor resize_by(const torch::Tensor& images, double factor) {
  if (factor == 1.0) return images;
  namespace F = torch::nn::functional;
  const std::vector<int64_t> size = {std::max<int64_t>(8, std::lround(images.size(2) * factor)),
                                     std::max<int64_t>(8, std::lround(images.size(3) * factor))};
  return F::interpolate(images, F::InterpolateFuncOptions().size(size).mode(torch::kBilinear).align_corners(false)
                                    .antialias(factor < 1.0));
}

}  // namespace

void PerceptualLoss::set_style(const torch::Tensor& style255) {
  torch::NoGradGuard no_grad;
  style_statistics_.clear();
  for (double factor : options_.loss_scales) {
    std::vector<torch::Tensor> statistics;
    for (const auto& f : network_->features(resize_by(style255, factor), options_.style_layers)) {
      torch::Tensor p = prepare(f);
      statistics.push_back(options_.sliced_style ? p[0].reshape({p.size(1), -1}).contiguous() : gram_matrix(p));
    }
    style_statistics_.push_back(std::move(statistics));
  }
  style_colours_ = sorted_colour_projections(colour_blocks(style255), colour_directions_)[0];
  painting255_ = style255;
  painting_spectra_.clear();
}

torch::Tensor PerceptualLoss::painting_spectrum(int64_t height, int64_t width) {
  const auto key = std::make_pair(height, width);
  auto found = painting_spectra_.find(key);
  if (found != painting_spectra_.end()) return found->second;
  torch::NoGradGuard no_grad;
  torch::Tensor painting = painting255_;
  if (painting.size(2) < height || painting.size(3) < width) {  // a painting smaller than the output: enlarge it
    const double f = std::max(static_cast<double>(height) / painting.size(2), static_cast<double>(width) / painting.size(3));
    namespace F = torch::nn::functional;
    const std::vector<int64_t> size = {static_cast<int64_t>(std::ceil(painting.size(2) * f)),
                                       static_cast<int64_t>(std::ceil(painting.size(3) * f))};
    painting = F::interpolate(painting, F::InterpolateFuncOptions().size(size).mode(torch::kBilinear).align_corners(false));
  }
  // 16 crops at fixed places (a local generator: the run's random state stays as it was).
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> y(0, painting.size(2) - height), x(0, painting.size(3) - width);
  std::vector<torch::Tensor> crops;
  for (int i = 0; i < 16; ++i) crops.push_back(painting.narrow(2, y(rng), height).narrow(3, x(rng), width));
  torch::Tensor mean = power_spectrum(torch::cat(crops)).mean(0, true);
  painting_spectra_[key] = mean;
  return mean;
}

torch::Tensor PerceptualLoss::style_term(const torch::Tensor& f, const torch::Tensor& s) const {
  if (options_.sliced_style) {
    // C fresh directions each step (from the run's random state), so over the run every direction counts.
    torch::Tensor directions = torch::randn({s.size(0), s.size(0)}, s.options());
    directions = directions / directions.norm(2, 1, true);
    torch::Tensor distance = sliced_feature_distance(f, s, directions).mean();
    return options_.relative_style ? distance / s.pow(2).mean() : distance;
  }
  torch::Tensor g = gram_matrix(f);
  return options_.relative_style ? (g - s.expand_as(g)).pow(2).sum({1, 2}).mean() / s.pow(2).sum()
                                 : (g - s.expand_as(g)).pow(2).mean();
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
  size_t scale = 0;
  if (options_.loss_scales.size() > 1)
    scale = static_cast<size_t>(torch::randint(0, static_cast<int64_t>(options_.loss_scales.size()), {1}).item<int64_t>());
  out = resize_by(out, options_.loss_scales[scale]);
  content = resize_by(content, options_.loss_scales[scale]);
  torch::Tensor target;
  std::vector<torch::Tensor> f;
  try {
    {
      torch::NoGradGuard no_grad;
      target = prepare(network_->features(content, {options_.content_layer})[0]);
    }
    f = network_->features(out, all_layers_);
  } catch (const c10::Error& e) {
    // Too small for the loss network's strides (e.g. --image-size 32: the jitter and the 0.5 scale leave 13 px),
    // which LibTorch reports as a kernel larger than its padded input. Say which option to change.
    std::ostringstream message;
    message << "the loss network cannot take the " << out.size(3) << "x" << out.size(2) << " px image a "
            << output255.size(3) << "x" << output255.size(2) << " crop becomes after the jitter and the loss scale "
            << options_.loss_scales[scale] << ": raise --image-size or leave the small --loss-scales out ("
            << e.what_without_backtrace() << ")";
    throw std::runtime_error(message.str());
  }
  PerceptualTerms t;
  t.style = torch::zeros({}, output255.options());
  const std::vector<torch::Tensor>& statistics = style_statistics_[scale];
  for (size_t i = 0; i < statistics.size(); ++i) t.style = t.style + style_term(prepare(f[i]), statistics[i]);
  t.style = t.style * options_.style_weight;
  t.content = (prepare(f.back()) - target).pow(2).mean() * options_.content_weight;
  t.tv = total_variation(output255) * options_.tv_weight;
  t.colour = options_.colour_weight > 0
                 ? sliced_wasserstein(sorted_colour_projections(colour_blocks(output255), colour_directions_), style_colours_).mean() *
                       options_.colour_weight
                 : torch::zeros({}, output255.options());
  t.spectrum = torch::zeros({}, output255.options());
  if (options_.spectrum_weight > 0) {
    torch::Tensor reference;
    {
      torch::NoGradGuard no_grad;
      reference = torch::max(power_spectrum(content255),
                             painting_spectrum(output255.size(2), output255.size(3)).to(output255.device()));
    }
    t.spectrum = spectrum_excess(power_spectrum(output255), reference) * options_.spectrum_weight;
  }
  t.peak = options_.peak_weight > 0 && output255.size(2) >= kPeakTile && output255.size(3) >= kPeakTile
               ? peak_excess(output255, content255) * options_.peak_weight
               : torch::zeros({}, output255.options());
  t.total = t.content + t.style + t.tv + t.colour + t.spectrum + t.peak;
  return t;
}

}  // namespace styleforge::trainer
