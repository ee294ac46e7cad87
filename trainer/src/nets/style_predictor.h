// StylePredictor: the style-prediction network of an arbitrary-style model (Ghiasi et al. 2017, "Exploring the
// structure of a real-time, arbitrary neural artistic stylization network"), on our loss network's trunk:
//
//   trunk   the frozen MobileNetV2 of the style loss (loss/mobilenet_v2.h), up to block_10_expand_relu (stride
//           16), its batch norm recalibrated on photos as the loss's is; its folded weights are buffers, so a
//           checkpoint keeps the recalibrated values
//   pool    per channel of each layer in kStatisticLayers: mean and std over the image (std = sqrt(var + 1e-5),
//           biased variance), concatenated layer by layer as [mean, std]
//   fc1     Linear(features -> hidden) + ReLU
//   fc2     Linear(hidden -> code_size): the style code
//
// Why pooled statistics of several depths: per-channel means and spreads are what the style loss measures of a
// painting (colour at Conv1, texture at blocks 3-10), they do not depend on the painting's size or layout, and
// the same few numbers come out of a 256 px thumbnail and of a whole painting. Input: RGB 0..255, NCHW float, any
// size >= 32 px. Only fc1 and fc2 train; the trunk runs without gradients.
// The submodule names are part of the contract: the ONNX exporter (onnx/export_arbitrary.cpp) walks them.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "loss/mobilenet_v2.h"
#include "nets/channel_statistics.h"

namespace styleforge::trainer {

struct StylePredictorImpl : torch::nn::Module {
  static constexpr double kStdEpsilon = kChannelStdEpsilon;  // what the exported graph adds
  static constexpr const char* kLastLayer = "block_10_expand_relu";
  // Strides 2, 4, 8 and 16: colour and fine strokes up to shapes.
  static std::vector<std::string> statistic_layers();

  // `mobilenet_dir`: the nsfwjs MobileNetV2 folder (default_mobilenet_dir()). The trunk is as the file has it;
  // recalibrate_trunk() (training) or loading a checkpoint (export, stylize) sets its batch norm.
  StylePredictorImpl(const std::string& mobilenet_dir, int code_size = 100, int hidden = 256);
  // {N,3,H,W} 0..255 -> {N, code_size}.
  torch::Tensor forward(const torch::Tensor& style255);
  // The pooled statistics fc1 reads, {N, features}; no gradient.
  torch::Tensor pooled_statistics(const torch::Tensor& style255);
  void recalibrate_trunk(const torch::Tensor& photos255) { trunk->recalibrate_batch_norm(photos255); }

  int code_size, hidden;
  int64_t features = 0;  // 2 x the channels of the statistic layers
  std::shared_ptr<MobileNetV2Features> trunk;
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(StylePredictor);

}  // namespace styleforge::trainer
