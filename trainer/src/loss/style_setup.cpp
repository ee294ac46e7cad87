// Shared setup of the style-transfer subcommands; see the header.
#include "loss/style_setup.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

#include "run/options.h"
#include "styleforge/tensor.h"

namespace styleforge::trainer {

void add_loss_options(OptionParser& p, LossSettings& s) {
  p.add_choice("loss-net", &s.loss_net, "loss network", {"mobilenet_v2", "vgg16", "vgg19"});
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
  p.add_float("style-scale", &s.style_scale, "style image size relative to the content size (bigger = larger "
              "brush strokes)", 0.1, 8);
}

PerceptualLoss make_perceptual_loss(const LossSettings& s, const torch::Device& device) {
  std::shared_ptr<LossNetwork> net = load_loss_network(s.loss_net, s.loss_weights);
  PerceptualOptions o;
  o.style_layers = split_commas(s.style_layers);
  o.content_layer = s.content_layer;
  o.content_weight = s.content_weight;
  o.style_weight = s.style_weight;
  o.tv_weight = s.tv_weight;
  o.smoothing = s.smoothing == "on";
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
