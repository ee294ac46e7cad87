#include "nets/vae.h"

#include <torch/torch.h>

#include "nets/dcgan.h"

namespace styleforge::trainer {

VaeImpl::VaeImpl(int latent_, int image_size_, int width_, int classes_)
    : latent(latent_), image_size(image_size_), width(width_), classes(classes_) {
  GanGeometry g = gan_geometry(image_size);
  TORCH_CHECK(g.ok(), "vae: unsupported image size ", image_size, " (28, 32 or 64)");
  base = g.base;
  int c = 3;
  for (int i = 0; i < g.steps; ++i) {
    int out = width << i;
    downs.push_back(register_module("down" + std::to_string(i),
                                    torch::nn::Conv2d(torch::nn::Conv2dOptions(c, out, 4).stride(2).padding(1))));
    c = out;
  }
  c0 = c;
  fc_mu = register_module("fc_mu", torch::nn::Linear(c * base * base + classes, latent));
  fc_logvar = register_module("fc_logvar", torch::nn::Linear(c * base * base + classes, latent));
  if (classes > 0) fc_class = register_module("fc_class", torch::nn::Linear(c * base * base, classes));
  fc = register_module("fc", torch::nn::Linear(latent + classes, c0 * base * base));
  for (int i = 0; i < g.steps; ++i) {
    int out = i == g.steps - 1 ? 3 : c / 2;
    ups.push_back(register_module("up" + std::to_string(i),
                                  torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(c, out, 4)
                                                                 .stride(2)
                                                                 .padding(1))));
    c = out;
  }
}

torch::Tensor VaeImpl::features(const torch::Tensor& x) {
  auto y = x;
  for (auto& down : downs) y = torch::relu(down->forward(y));
  return y.flatten(1);
}

std::pair<torch::Tensor, torch::Tensor> VaeImpl::encode_features(const torch::Tensor& f, const torch::Tensor& one_hot) {
  torch::Tensor input = with_class(f, one_hot, classes);
  return {fc_mu->forward(input), fc_logvar->forward(input)};
}

std::pair<torch::Tensor, torch::Tensor> VaeImpl::encode(const torch::Tensor& x, const torch::Tensor& one_hot) {
  return encode_features(features(x), one_hot);
}

torch::Tensor VaeImpl::class_logits(const torch::Tensor& f) {
  TORCH_CHECK(classes > 0, "vae: class_logits on a model without classes");
  return fc_class->forward(f);
}

torch::Tensor VaeImpl::encode_for_decoder(const torch::Tensor& x) {
  torch::Tensor f = features(x);
  if (classes == 0) return fc_mu->forward(f);
  torch::Tensor probabilities = torch::softmax(class_logits(f), 1);
  return torch::cat({fc_mu->forward(torch::cat({f, probabilities}, 1)), probabilities}, 1);
}

torch::Tensor VaeImpl::decode(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 2 && z.size(1) == latent + classes, "vae: decode expects [N, ", latent + classes,
              "] (latent", classes > 0 ? " + one-hot class" : "", "), got ", z.sizes());
  auto y = torch::relu(fc->forward(z)).view({-1, c0, base, base});
  for (size_t i = 0; i < ups.size(); ++i) {
    y = ups[i]->forward(y);
    y = i + 1 < ups.size() ? torch::relu(y) : torch::tanh(y);
  }
  return y;
}

}  // namespace styleforge::trainer
