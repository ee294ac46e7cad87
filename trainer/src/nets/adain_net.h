// AdainNet: the AdaIN family of arbitrary style transfer (Huang & Belongie 2017, "Arbitrary style transfer in
// real-time with adaptive instance normalization"), on our loss network's trunk, kept beside the Ghiasi family
// (style_predictor.h + conditional_transformer_net.h) so the two can be compared on the same loss and data
// (`arbitrary --family adain`, trainer/README.md "Arbitrary styles"):
//
//   encoder   the frozen MobileNetV2 of the style loss up to kLayer (block_3_expand_relu: stride 4, 144 channels),
//             its batch norm recalibrated on photos as the loss's is; weights are buffers, nothing in it trains
//   code      a painting's per-channel mean and std of its encoder features, [means, stds]: {N, 2 x 144};
//             nothing learned (AdaIN's "style" is exactly these statistics)
//   adain     the photo's encoder features, normalised per channel and image, times the code's stds plus its means
//   decoder   ConvLayer(144, 4w, 3) + ReLU, residual_blocks x [x + conv(relu(conv(x)))] at 4w (no norms: an
//             instance norm would undo the statistics AdaIN just set), UpsampleConvLayer(4w, 2w) + ReLU,
//             UpsampleConvLayer(2w, w) + ReLU, ConvLayer(w, 3, 9)
//   output    photo + decoder(...) with photo_skip (as the Ghiasi transformer), else 127.5 + decoder(...)
//
// Why block_3 and not a stride-8 layer like AdaIN's relu4_1: MobileNetV2's narrow stride-8 features (32 projected,
// 192 expanded) lose more of the photo than VGG's 512, and content is where the Ghiasi model is weakest already.
// Input: RGB 0..255 NCHW, sides multiples of 4; output: raw, roughly 0..255.
#pragma once
#include <memory>
#include <string>

#include <torch/nn.h>

#include "loss/mobilenet_v2.h"
#include "nets/channel_statistics.h"
#include "nets/transformer_net.h"

namespace styleforge::trainer {

// y = (x - mean_x) / std_x * code_std + code_mean per channel and image (nets/channel_statistics.h: a feature
// map's code is its channel_statistics). x {N,C,H,W}; code {1 or N, 2C} as [means, stds].
torch::Tensor adaptive_instance_norm(const torch::Tensor& x, const torch::Tensor& code);

struct AdainNetImpl : torch::nn::Module {
  static constexpr const char* kLayer = "block_3_expand_relu";

  AdainNetImpl(const std::string& mobilenet_dir, int width = 16, int residual_blocks = 5, bool photo_skip = true);
  // A painting {N,3,H,W} 0..255 -> its code {N, code_size}; no gradient (nothing upstream learns).
  torch::Tensor code(const torch::Tensor& style255);
  torch::Tensor forward(const torch::Tensor& photo255, const torch::Tensor& code);
  void recalibrate_encoder(const torch::Tensor& photos255) { encoder->recalibrate_batch_norm(photos255); }

  int width, residual_blocks, code_size = 0;
  bool photo_skip;
  std::shared_ptr<MobileNetV2Features> encoder;
  ConvLayer conv_in{nullptr};
  torch::nn::ModuleList res{nullptr};  // each a Sequential [conv1, conv2] of ConvLayer(4w, 4w, 3)
  UpsampleConvLayer up1{nullptr}, up2{nullptr};
  ConvLayer conv_out{nullptr};
};
TORCH_MODULE(AdainNet);

}  // namespace styleforge::trainer
