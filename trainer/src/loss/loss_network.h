// A frozen, ImageNet-trained CNN whose feature maps define the perceptual loss (content + Gram style).
// Two implementations: MobileNetV2 read from nsfwjs's TF.js files (default, ships via npm) and VGG-16/19 read
// from a file the user produces from torchvision (trainer/README.md says how).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace styleforge::trainer {

// What recalibrate_batch_norm found and changed, per BatchNormalization layer, measured on the calibration photos.
struct BatchNormCalibration {
  std::string layer;
  int64_t channels = 0;
  int64_t zero_variance_channels = 0;                 // moving variance as read from the file: exactly 0
  double saturated_before = 0, saturated_after = 0;  // fraction of BN outputs >= 6 (what ReLU6 clips)
  double std_ratio_before = 0, std_ratio_after = 0;  // median over channels of std(BN output) / |gamma| (ideal 1)
};

class LossNetwork : public torch::nn::Module {
 public:
  // Feature maps {N,C,h,w} of `layers` (names as listed by layer_names()), for images {N,3,H,W} with RGB values
  // in 0..255 (what TransformerNet outputs). The network applies its own input normalisation. Gradients flow to
  // the input; the weights are frozen.
  virtual std::vector<torch::Tensor> features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) = 0;
  // Every layer whose output can be asked for, input to output.
  virtual std::vector<std::string> layer_names() const = 0;
  // Defaults chosen by results (see trainer/README.md): style layers early to mid depth, one content layer.
  virtual std::vector<std::string> default_style_layers() const = 0;
  virtual std::string default_content_layer() const = 0;
  // Re-estimates batch-norm statistics on ordinary photos {N,3,H,W}, 0..255, for networks whose file stores them
  // damaged (nsfwjs: quantized variances that decode to 0; see keras_graph.h). The others throw: nothing to fix.
  virtual std::vector<BatchNormCalibration> recalibrate_batch_norm(const torch::Tensor& photos255);
  // Blurs the input of every stride-2 layer (KerasGraph::set_antialias; 0 = off). The others throw.
  virtual void set_antialias(int taps);
};

// kind "mobilenet_v2": `path` is the folder with model.min.js (default third_party/nsfwjs/dist/models/mobilenet_v2).
// kind "vgg16" / "vgg19": `path` is the TorchScript file made from torchvision's VGG features.
// Throws std::runtime_error naming the file and what is wrong with it.
std::shared_ptr<LossNetwork> load_loss_network(const std::string& kind, const std::string& path);

// Where the MobileNetV2 files are unless --loss-weights says otherwise: $STYLEFORGE_NSFWJS_DIR, else
// third_party/nsfwjs/dist/models/mobilenet_v2 under the source tree this binary was built from.
std::string default_mobilenet_dir();

}  // namespace styleforge::trainer
