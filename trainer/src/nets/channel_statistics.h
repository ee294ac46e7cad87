// Per-channel statistics of feature maps over their height and width: what the style predictor pools from its
// trunk (nets/style_predictor.h) and what AdaIN reads from a painting and imposes on a photo (nets/adain_net.h).
// std = sqrt(biased variance + kChannelStdEpsilon); the exported predictor graph computes the same
// (onnx/export_arbitrary.cpp).
#pragma once
#include <torch/nn.h>

namespace styleforge::trainer {

constexpr double kChannelStdEpsilon = 1e-5;

// {N,C,H,W} features and their means {N,C} -> stds {N,C}.
inline torch::Tensor channel_std(const torch::Tensor& features, const torch::Tensor& mean) {
  const torch::Tensor var = (features - mean.unsqueeze(2).unsqueeze(3)).pow(2).mean({2, 3});
  return torch::sqrt(var + kChannelStdEpsilon);
}

// {N,C,H,W} -> {N, 2C}: [means, stds].
inline torch::Tensor channel_statistics(const torch::Tensor& features) {
  const torch::Tensor mean = features.mean({2, 3});
  return torch::cat({mean, channel_std(features, mean)}, 1);
}

}  // namespace styleforge::trainer
