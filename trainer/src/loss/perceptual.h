// Perceptual loss (Johnson et al. 2016; Gatys et al. 2016) over a frozen LossNetwork:
//   total = content_weight * mean((F_c(out) - F_c(content))^2)
//         + style_weight   * sum over style layers of mean((G(F_l(out)) - G(F_l(style)))^2)
//         + tv_weight      * total variation of out (mean absolute difference of neighbouring pixels, 0..255)
// with G(F) = F F^T / (C h w), the Gram matrix per image.
//
// Activation smoothing (Wang, Li & Vasconcelos, CVPR 2021, "SWAG"): networks other than VGG (residual ones such
// as MobileNetV2) have peaky, low-entropy activations whose Gram matrices are dominated by a few channels, and
// style transfer through them comes out weak. SWAG replaces each feature map F {C,h,w} by softmax(F) over all
// C*h*w values before the Gram matrix and the content comparison. Here the softmax is multiplied by C*h*w so a
// flat map stays at 1 and the loss weights keep similar magnitudes with or without it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "loss/loss_network.h"

namespace styleforge::trainer {

struct PerceptualOptions {
  std::vector<std::string> style_layers;  // empty: the network's defaults
  std::string content_layer;              // empty: the network's default
  double content_weight = 1.0;
  double style_weight = 10.0;
  double tv_weight = 1e-4;
  bool smoothing = true;                  // SWAG softmax before Gram / content
  // Each step, output and content are cropped by the same random offset of 0..jitter px before the loss network
  // (Mordvintsev et al. 2018). Why: the network's stride-2 layers see each pixel at a fixed phase, and a loss
  // taken at one phase paints a 2-4 px periodic pattern into its gradient (the "crosshatch"); shifting the phase
  // every step averages it out. 0 = off.
  int jitter = 0;
  // Style term per layer: |G - G_style|^2 / |G_style|^2 (relative, so every layer weighs alike whatever its
  // activation scale) instead of mean((G - G_style)^2).
  bool relative_style = false;
};

struct PerceptualTerms {
  torch::Tensor content, style, tv, total;  // scalars, already weighted
};

torch::Tensor gram_matrix(const torch::Tensor& features);     // {N,C,h,w} -> {N,C,C}
torch::Tensor softmax_smooth(const torch::Tensor& features);  // SWAG, scaled as described above
torch::Tensor total_variation(const torch::Tensor& images);   // mean |dx| + mean |dy|

class PerceptualLoss {
 public:
  PerceptualLoss(std::shared_ptr<LossNetwork> network, PerceptualOptions options);
  // The style target: `style255` {1,3,H,W}, 0..255. Its Gram matrices are computed once and kept.
  void set_style(const torch::Tensor& style255);
  // The loss of `output255` {N,3,H,W} made from `content255` (same shape, the content target; no gradient to it).
  PerceptualTerms compute(const torch::Tensor& output255, const torch::Tensor& content255);
  const PerceptualOptions& options() const { return options_; }

 private:
  torch::Tensor prepare(const torch::Tensor& f) const;
  std::shared_ptr<LossNetwork> network_;
  PerceptualOptions options_;
  std::vector<std::string> all_layers_;  // style layers, then the content layer
  std::vector<torch::Tensor> style_grams_;
};

}  // namespace styleforge::trainer
