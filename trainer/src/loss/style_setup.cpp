// Shared setup of the style-transfer subcommands; see the header.
#include "loss/style_setup.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

#include "data/dataset.h"
#include "run/options.h"
#include "styleforge/tensor.h"

namespace styleforge::trainer {

void add_loss_options(OptionParser& p, LossSettings& s) {
  p.add_choice("loss-net", &s.loss_net, "loss network", {"mobilenet_v2", "inception_v3", "vgg16", "vgg19"});
  p.add_string("loss-weights", &s.loss_weights,
               "mobilenet_v2: folder with model.min.js (default: third_party/nsfwjs/...); vgg16/19: TorchScript file "
               "(see trainer/README.md)");
  p.add_string("style-layers", &s.style_layers, "comma-separated loss-network layers for the style loss (default: "
               "the network's own list)");
  p.add_string("content-layer", &s.content_layer, "loss-network layer for the content loss (default: the network's)");
  p.add_choice("smoothing", &s.smoothing, "softmax activation smoothing before Gram/content (Wang et al. 2021)",
               {"on", "off"});
  p.add_float("content-weight", &s.content_weight, "weight of the content loss", 0, 1e9);
  p.add_float("style-weight", &s.style_weight, "weight of the style loss", 0, 1e12);
  p.add_float("tv-weight", &s.tv_weight, "weight of the total-variation loss (smoothness)", 0, 1e9);
  p.add_float("colour-weight", &s.colour_weight, "weight of the colour term (sliced Wasserstein distance of the "
              "RGB pixel distributions of output and painting; 0 = off)", 0, 1e9);
  p.add_int("colour-scale", &s.colour_scale, "the colour term compares k x k block averages (the colours of "
            "regions, not of single pixels)", 1, 64);
  p.add_int("jitter", &s.jitter, "shift the loss network's input by a random 0..N px each step (removes the "
            "stride-2 crosshatch; 0 = off)", 0, 64);
  p.add_int("antialias", &s.antialias, "mobilenet_v2 / inception_v3: blur the input of every stride-2 layer with "
            "a 3x3 or 5x5 binomial filter, so fine stripes cannot alias into coarse features (0 = off)", 0, 5);
  p.add_string("loss-scales", &s.loss_scales, "comma-separated factors (0.25..2); each step the loss network sees "
               "output and painting resized by one of them at random, so a texture must match the painting at "
               "every scale; factors above 1 magnify, so the first stride-2 layer resolves the output's finest "
               "structure (default 1: one scale)");
  p.add_choice("style-norm", &s.style_norm, "per-layer style term: absolute mean squared Gram difference, or "
               "relative to the painting's Gram (every layer weighs alike)", {"absolute", "relative"});
  p.add_float("spectrum-weight", &s.spectrum_weight, "weight of the spectrum term: power at frequencies where the "
              "output has 4x more than both the photo and the painting (regular stripes; 0 = off)", 0, 1e9);
  p.add_float("peak-weight", &s.peak_weight, "weight of the local peak term: in 32 px tiles, periodic peaks of 2-10 px "
              "the photo's tile does not have (stripes over a flat sky; 0 = off)", 0, 1e9);
  p.add_choice("style-statistic", &s.style_statistic, "what of each style layer is matched: its Gram matrix, or "
               "the distribution of its activations (sliced Wasserstein distance, Heitz et al. 2021)",
               {"gram", "sliced"});
  p.add_choice("bn-recalibration", &s.bn_recalibration, "mobilenet_v2: re-estimate batch-norm statistics on photos "
               "(the file's quantized variances decode to 0 for many channels)", {"on", "off"});
  p.add_string("calibration-photos", &s.calibration_photos, "folder of ordinary photos for --bn-recalibration "
               "(style: default --content)");
  p.add_int("calibration-count", &s.calibration_count, "photos (random crops) used for --bn-recalibration", 2, 4096);
  p.add_float("style-scale", &s.style_scale, "style image size relative to the content size (bigger = larger "
              "brush strokes)", 0.1, 8);
}

torch::Tensor load_calibration_photos(const std::string& dir, int side, int count) {
  Result<TrainingImages> photos = TrainingImages::open(dir, side, true);
  if (!photos.ok()) throw std::runtime_error("--calibration-photos: " + photos.error);
  std::mt19937_64 rng(2024);  // the same crops every run: the recalibrated network is a fixed function of the folder
  Result<at::Tensor> batch = photos.value.batch(count, rng, PixelRange::Pixels255);
  if (!batch.ok()) throw std::runtime_error("--calibration-photos: " + batch.error);
  return batch.value;
}

namespace {

std::vector<double> parse_loss_scales(const std::string& text) {
  std::vector<double> scales;
  for (const std::string& item : split_commas(text)) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end == item.c_str() || *end != '\0' || !(v >= 0.25 && v <= 2.0))
      throw std::runtime_error("--loss-scales: '" + item + "' is not a factor from 0.25 to 2 (e.g. --loss-scales 1,0.7,0.5)");
    scales.push_back(v);
  }
  if (scales.empty()) throw std::runtime_error("--loss-scales: give at least one factor, e.g. 1");
  return scales;
}

void recalibrate(LossNetwork& net, const LossSettings& s) {
  if (s.calibration_photos.empty())
    throw std::runtime_error("--bn-recalibration on needs --calibration-photos DIR (a folder of ordinary photos, "
                             "e.g. the training photos), or --bn-recalibration off");
  const torch::Tensor photos = load_calibration_photos(s.calibration_photos, s.calibration_size, s.calibration_count);
  const std::vector<BatchNormCalibration> report = net.recalibrate_batch_norm(photos);
  int64_t zero = 0;
  double worst_before = 0, worst_after = 0;
  std::printf("batch norm on the calibration photos, per layer: channels, variances decoded as 0, outputs at the "
              "ReLU6 clip before -> after, median std/|gamma| before -> after (1 = as the layer expects)\n");
  for (const BatchNormCalibration& c : report) {
    zero += c.zero_variance_channels;
    worst_before = std::max(worst_before, c.saturated_before);
    worst_after = std::max(worst_after, c.saturated_after);
    std::printf("  %-28s %4lld %3lld  %5.1f%% -> %5.1f%%  %6.2f -> %4.2f\n", c.layer.c_str(),
                static_cast<long long>(c.channels), static_cast<long long>(c.zero_variance_channels),
                100 * c.saturated_before, 100 * c.saturated_after, c.std_ratio_before, c.std_ratio_after);
  }
  std::printf("batch norm recalibrated on %d crops of %s: %zu layers, %lld channels had variance 0; worst layer's "
              "outputs at the ReLU6 clip %.1f%% -> %.1f%%\n",
              s.calibration_count, s.calibration_photos.c_str(), report.size(), static_cast<long long>(zero),
              100 * worst_before, 100 * worst_after);
}

}  // namespace

PerceptualLoss make_perceptual_loss(const LossSettings& s, const torch::Device& device) {
  std::shared_ptr<LossNetwork> net = load_loss_network(s.loss_net, s.loss_weights);
  PerceptualOptions o;
  o.style_layers = split_commas(s.style_layers);
  o.content_layer = s.content_layer;
  o.content_weight = s.content_weight;
  o.style_weight = s.style_weight;
  o.tv_weight = s.tv_weight;
  o.smoothing = s.smoothing == "on";
  o.jitter = s.jitter;
  o.colour_weight = s.colour_weight;
  o.colour_scale = s.colour_scale;
  o.relative_style = s.style_norm == "relative";
  o.sliced_style = s.style_statistic == "sliced";
  o.spectrum_weight = s.spectrum_weight;
  o.peak_weight = s.peak_weight;
  o.loss_scales = parse_loss_scales(s.loss_scales);
  const std::vector<std::string> known = net->layer_names();
  std::vector<std::string> asked = o.style_layers;
  if (!o.content_layer.empty()) asked.push_back(o.content_layer);
  for (const auto& l : asked) {
    if (std::find(known.begin(), known.end(), l) == known.end()) {
      std::ostringstream list;
      for (const auto& k : known) list << " " << k;
      throw std::runtime_error("loss network " + s.loss_net + " has no layer '" + l + "'. Layers:" + list.str());
    }
  }
  if (s.antialias != 0) {
    if (s.antialias != 3 && s.antialias != 5) throw std::runtime_error("--antialias: 3 or 5 (taps), or 0 for off");
    net->set_antialias(s.antialias);
  }
  // After --antialias: the blurred layers see different statistics, and recalibration measures what they see.
  if (s.bn_recalibration == "on") recalibrate(*net, s);
  net->to(device);
  return PerceptualLoss(net, o);
}

Image load_image_scaled(const std::string& path, int shorter_side) {
  Result<Image> image = load_image_file(path);
  if (!image.ok()) throw std::runtime_error(path + ": " + image.error);
  const Image& im = image.value;
  const double f = static_cast<double>(shorter_side) / std::min(im.width, im.height);
  auto side = [&](int v) { return std::max(4, static_cast<int>(std::lround(v * f / 4.0)) * 4); };
  Result<Image> resized = resize_image(im, side(im.width), side(im.height));
  if (!resized.ok()) throw std::runtime_error(path + ": " + resized.error);
  return resized.value;
}

torch::Tensor image_to_tensor255(const Image& image) {
  Normalization n;
  n.scale = 1.0f;
  Tensor t = image_to_tensor(image, n);
  return torch::from_blob(t.data.data(), t.shape, torch::kFloat32).clone();
}

Image tensor255_to_image(const torch::Tensor& t) {
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).clamp(0, 255).contiguous();
  Tensor out;
  out.shape = std::vector<int64_t>(c.sizes().begin(), c.sizes().end());
  out.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  Normalization n;
  n.scale = 1.0f;
  Result<Image> image = tensor_to_image(out, n);
  if (!image.ok()) throw std::runtime_error("internal: " + image.error);
  return image.value;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace styleforge::trainer
