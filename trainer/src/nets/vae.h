// Convolutional VAE (Kingma & Welling 2014) for small square images (28, 32 or 64 pixels; same geometry as the
// DCGAN, see dcgan.h), images in -1..1.
//
//   encoder: down<i> Conv2d(4, stride 2, pad 1), channels 3 -> w -> 2w -> ..., ReLU after each; flatten;
//            fc_mu and fc_logvar Linear(c * b * b, Z)
//   decoder: fc Linear(Z, c0 * b * b) + ReLU, reshaped to [N, c0, b, b]; up<i> ConvTranspose2d(4, 2, 1) halving
//            the channels, ReLU between, 3 channels + tanh at the end
// Exported as two ONNX files: the encoder (image -> latent mean) and the decoder (latent -> image).
#pragma once
#include <torch/nn.h>

#include <utility>
#include <vector>

namespace styleforge::trainer {

struct VaeImpl : torch::nn::Module {
  VaeImpl(int latent, int image_size, int width);
  std::pair<torch::Tensor, torch::Tensor> encode(const torch::Tensor& x);  // (mean, log variance)
  torch::Tensor decode(const torch::Tensor& z);
  int latent, image_size, width, base, c0;
  std::vector<torch::nn::Conv2d> downs;
  torch::nn::Linear fc_mu{nullptr}, fc_logvar{nullptr}, fc{nullptr};
  std::vector<torch::nn::ConvTranspose2d> ups;
};
TORCH_MODULE(Vae);

}  // namespace styleforge::trainer
