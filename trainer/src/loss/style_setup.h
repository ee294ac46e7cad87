// What `style` and `gatys` share: the loss-network options, loading the style image at the size the loss sees,
// and turning images into 0..255 tensors and back.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "loss/perceptual.h"
#include "styleforge/image.h"

namespace styleforge::trainer {

class OptionParser;

// The options that pick and weigh the loss network; both subcommands register them the same way.
// Defaults = the loss recipe measured in trainer/README.md ("Loss recipe"): MobileNetV2 with its batch norm
// recalibrated on photos, jittered loss input, per-layer relative Gram terms.
struct LossSettings {
  std::string loss_net = "mobilenet_v2";  // mobilenet_v2 | inception_v3 | vgg16 | vgg19
  std::string loss_weights;               // folder (mobilenet) or file (vgg); empty = default location
  std::string style_layers;               // comma-separated; empty = the network's defaults
  std::string content_layer;              // empty = the network's default
  std::string smoothing = "off";          // SWAG softmax smoothing: on | off (off by results, see report)
  double content_weight = 1.0;
  double style_weight = 20.0;
  double tv_weight = 1e-4;
  double colour_weight = 3000;            // PerceptualOptions::colour_weight
  int colour_scale = 4;                   // PerceptualOptions::colour_scale
  double style_scale = 1.0;               // style image's shorter side = style_scale * the training size
  std::string loss_scales = "1";          // comma-separated factors (PerceptualOptions::loss_scales)
  int jitter = 8;                         // random phase shift of the loss input, px (PerceptualOptions::jitter)
  int antialias = 0;                      // blur before the loss network's stride-2 layers: 0, 3 or 5 taps
  std::string style_norm = "relative";    // absolute | relative (PerceptualOptions::relative_style)
  double spectrum_weight = 0;             // PerceptualOptions::spectrum_weight
  double peak_weight = 0;                 // PerceptualOptions::peak_weight
  std::string style_statistic = "gram";   // gram | sliced (PerceptualOptions::sliced_style)
  std::string bn_recalibration = "on";    // mobilenet_v2 / inception_v3: re-estimate BN statistics on photos
  std::string calibration_photos;         // folder of photos for that; `style` defaults it to --content
  int calibration_size = 224;             // side of the calibration crops
  int calibration_count = 32;             // how many
};
void add_loss_options(OptionParser& parser, LossSettings& s);

// `count` square crops of `side` px from the photos in `dir` (0..255, {count,3,side,side}), always the same ones
// for the same folder: what batch-norm recalibration (loss network and judge) runs on. Throws naming the folder.
torch::Tensor load_calibration_photos(const std::string& dir, int side, int count);

// Builds the loss network (moved to `device`) and the perceptual loss; throws std::runtime_error with a
// message naming the bad file or layer.
PerceptualLoss make_perceptual_loss(const LossSettings& s, const torch::Device& device);

// Loads `path` and resizes it so its shorter side is `shorter_side` (keeping the aspect ratio; sides rounded
// to multiples of 4). Throws std::runtime_error naming the file and the problem.
Image load_image_scaled(const std::string& path, int shorter_side);

torch::Tensor image_to_tensor255(const Image& image);  // {1,3,H,W} float, 0..255
Image tensor255_to_image(const torch::Tensor& t);      // {1,3,H,W} (any device), clamped

std::vector<std::string> split_commas(const std::string& text);

}  // namespace styleforge::trainer
