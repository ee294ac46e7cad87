// ConditionalTransformerNet: TransformerNet (nets/transformer_net.h: same convolutions, same submodule names, same
// photo skip) whose instance norms take their scale and shift from a style code (Dumoulin et al. 2017's conditional
// instance norm, with Ghiasi et al. 2017's code from a style-prediction network):
//
//   norm_params  Linear(code_size -> 2 * C): C scales then C shifts, C = every norm's channels in forward order
//                (in1, in2, in3, res.0.in1, res.0.in2, ..., in4, in5; norm_channels())
//   each norm    y = instance_norm(x) * scale_k + shift_k  (eps 1e-5, no affine of its own)
//
// Why a linear map from one code: mixing two styles is then mixing their codes, which the web app does by
// interpolating two predictor outputs; one network serves every painting. norm_params' bias starts at scale 1,
// shift 0, so a fresh network is near TransformerNet's starting point.
// Input: RGB 0..255 {N,3,H,W} and a code {1 or N, code_size}; output: raw, roughly 0..255.
#pragma once
#include <vector>

#include <torch/nn.h>

#include "nets/transformer_net.h"

namespace styleforge::trainer {

struct ConditionalResidualBlockImpl : torch::nn::Module {
  explicit ConditionalResidualBlockImpl(int64_t channels);
  ConvLayer conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(ConditionalResidualBlock);

struct ConditionalTransformerNetImpl : torch::nn::Module {
  static constexpr double kNormEpsilon = 1e-5;
  ConditionalTransformerNetImpl(int width = 16, int residual_blocks = 5, bool photo_skip = true, int code_size = 100);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& code);
  // Channels of each conditional norm, in forward order (the layout of norm_params' output).
  std::vector<int64_t> norm_channels() const;
  int64_t total_norm_channels() const;

  int width, residual_blocks, code_size;
  bool photo_skip;
  ConvLayer conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::ModuleList res{nullptr};
  UpsampleConvLayer up1{nullptr}, up2{nullptr};
  ConvLayer conv_out{nullptr};
  torch::nn::Linear norm_params{nullptr};
};
TORCH_MODULE(ConditionalTransformerNet);

}  // namespace styleforge::trainer
