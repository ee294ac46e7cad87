#include "nets/vae.h"

#include <torch/torch.h>

#include "nets/dcgan.h"

namespace styleforge::trainer {

VaeImpl::VaeImpl(int latent_, int image_size_, int width_) : latent(latent_), image_size(image_size_), width(width_) {
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
  fc_mu = register_module("fc_mu", torch::nn::Linear(c * base * base, latent));
  fc_logvar = register_module("fc_logvar", torch::nn::Linear(c * base * base, latent));
  fc = register_module("fc", torch::nn::Linear(latent, c0 * base * base));
  for (int i = 0; i < g.steps; ++i) {
    int out = i == g.steps - 1 ? 3 : c / 2;
    ups.push_back(register_module("up" + std::to_string(i),
                                  torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(c, out, 4)
                                                                 .stride(2)
                                                                 .padding(1))));
    c = out;
  }
}

std::pair<torch::Tensor, torch::Tensor> VaeImpl::encode(const torch::Tensor& x) {
  auto y = x;
  for (auto& down : downs) y = torch::relu(down->forward(y));
  y = y.flatten(1);
  return {fc_mu->forward(y), fc_logvar->forward(y)};
}

torch::Tensor VaeImpl::decode(const torch::Tensor& z) {
  auto y = torch::relu(fc->forward(z)).view({-1, c0, base, base});
  for (size_t i = 0; i < ups.size(); ++i) {
    y = ups[i]->forward(y);
    y = i + 1 < ups.size() ? torch::relu(y) : torch::tanh(y);
  }
  return y;
}

}  // namespace styleforge::trainer
