// Convolutional VAE (Kingma & Welling 2014) for small square images (28, 32 or 64 pixels; same geometry as the
// DCGAN, see dcgan.h), images in -1..1.
//
//   encoder: down<i> Conv2d(4, stride 2, pad 1), channels 3 -> w -> 2w -> ..., ReLU after each; flatten;
//            fc_mu and fc_logvar Linear(c * b * b, Z)
//   decoder: fc Linear(Z, c0 * b * b) + ReLU, reshaped to [N, c0, b, b]; up<i> ConvTranspose2d(4, 2, 1) halving
//            the channels, ReLU between, 3 channels + tanh at the end
// Class-conditional (classes K > 0; a conditional VAE, Sohn et al. 2015, whose encoder also names the class, as in
// Kingma et al. 2014's M2): fc_mu / fc_logvar read [features, class] and the decoder's fc [z, class] (K more inputs
// each), so z need not carry the class; a third head, fc_class Linear(c * b * b, K), gives class logits, trained on
// the labels. Training feeds the true one-hot; a picture of unknown class (an upload) goes through
// encode_for_decoder: its own class probabilities stand in for the label, and it returns [mean, probabilities],
// which the decoder reads as is. (Measured: without the class at the encoder, z kept the class and the decoder
// ignored its one-hot: 18% class accuracy at 1000 steps.)
// Exported as two ONNX files: the encoder (image -> latent mean) and the decoder (latent -> image).
#pragma once
#include <torch/nn.h>

#include <utility>
#include <vector>

namespace styleforge::trainer {

struct VaeImpl : torch::nn::Module {
  VaeImpl(int latent, int image_size, int width, int classes = 0);
  torch::Tensor features(const torch::Tensor& x);  // the encoder's convolutions, flattened: [N, c * b * b]
  // (mean, log variance); `one_hot` [N, classes] (a class or class probabilities) when classes > 0.
  std::pair<torch::Tensor, torch::Tensor> encode(const torch::Tensor& x, const torch::Tensor& one_hot = {});
  std::pair<torch::Tensor, torch::Tensor> encode_features(const torch::Tensor& features,
                                                          const torch::Tensor& one_hot = {});
  torch::Tensor class_logits(const torch::Tensor& features);  // [N, classes]; classes > 0 only
  // What the exported encoder outputs: the mean, followed (classes > 0) by the class probabilities (softmax).
  torch::Tensor encode_for_decoder(const torch::Tensor& x);
  // `z` is [N, latent], or [N, latent + classes] with the (one-hot or probability) class last when classes > 0.
  torch::Tensor decode(const torch::Tensor& z);
  int latent, image_size, width, classes, base, c0;
  std::vector<torch::nn::Conv2d> downs;
  torch::nn::Linear fc_mu{nullptr}, fc_logvar{nullptr}, fc_class{nullptr}, fc{nullptr};
  std::vector<torch::nn::ConvTranspose2d> ups;
};
TORCH_MODULE(Vae);

}  // namespace styleforge::trainer
