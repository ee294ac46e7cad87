#include "nets/dcgan.h"

#include <torch/torch.h>

namespace styleforge::trainer {

GanGeometry gan_geometry(int image_size) {
  switch (image_size) {
    case 28: return {7, 2};
    case 32: return {4, 3};
    case 64: return {4, 4};
    default: return {};
  }
}

namespace {

// Every class-conditional layer's input check: `one_hot` is [n, classes].
void check_one_hot(const torch::Tensor& one_hot, int64_t n, int classes) {
  TORCH_CHECK(one_hot.defined() && one_hot.dim() == 2 && one_hot.size(0) == n && one_hot.size(1) == classes,
              "class-conditional model: expected a one-hot class input [", n, ", ", classes, "]");
}

}  // namespace

torch::Tensor with_class(const torch::Tensor& a, const torch::Tensor& one_hot, int classes) {
  if (classes == 0) return a;
  check_one_hot(one_hot, a.size(0), classes);
  return torch::cat({a, one_hot.to(a.dtype())}, 1);
}

torch::Tensor with_class_planes(const torch::Tensor& image, const torch::Tensor& one_hot, int classes) {
  if (classes == 0) return image;
  const int64_t n = image.size(0), h = image.size(2), w = image.size(3);
  check_one_hot(one_hot, n, classes);
  return torch::cat({image, one_hot.to(image.dtype()).view({n, classes, 1, 1}).expand({n, classes, h, w})}, 1);
}

GanUpsample gan_upsample_named(const std::string& name) {
  return name == "resize" ? GanUpsample::Resize : GanUpsample::Transposed;
}

GeneratorImpl::GeneratorImpl(int latent_, int image_size_, int width_, int classes_, GanUpsample upsample_)
    : latent(latent_), image_size(image_size_), width(width_), classes(classes_), upsample(upsample_) {
  GanGeometry g = gan_geometry(image_size);
  TORCH_CHECK(g.ok(), "generator: unsupported image size ", image_size, " (28, 32 or 64)");
  base = g.base;
  c0 = width << (g.steps - 1);
  fc = register_module("fc", torch::nn::Linear(latent + classes, c0 * base * base));
  bn0 = register_module("bn0", torch::nn::BatchNorm2d(c0));
  int c = c0;
  for (int i = 0; i < g.steps; ++i) {
    bool last = i == g.steps - 1;
    int out = last ? 3 : c / 2;
    const std::string name = "up" + std::to_string(i);
    if (upsample == GanUpsample::Resize)
      resize_convs.push_back(
          register_module(name, torch::nn::Conv2d(torch::nn::Conv2dOptions(c, out, 3).padding(1))));
    else
      ups.push_back(register_module(
          name, torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(c, out, 4).stride(2).padding(1))));
    if (!last) bns.push_back(register_module("bn" + std::to_string(i + 1), torch::nn::BatchNorm2d(out)));
    c = out;
  }
}

torch::Tensor GeneratorImpl::forward(const torch::Tensor& z, const torch::Tensor& one_hot) {
  auto x = torch::relu(bn0->forward(fc->forward(with_class(z, one_hot, classes)).view({-1, c0, base, base})));
  const size_t steps = upsample == GanUpsample::Resize ? resize_convs.size() : ups.size();
  for (size_t i = 0; i < steps; ++i) {
    if (upsample == GanUpsample::Resize)
      x = resize_convs[i]->forward(torch::nn::functional::interpolate(
          x, torch::nn::functional::InterpolateFuncOptions().scale_factor(std::vector<double>{2, 2}).mode(torch::kNearest)));
    else
      x = ups[i]->forward(x);
    x = i + 1 < steps ? torch::relu(bns[i]->forward(x)) : torch::tanh(x);
  }
  return x;
}

GanCondition gan_condition_named(const std::string& name) {
  return name == "projection" ? GanCondition::Projection : GanCondition::Planes;
}

DiscriminatorImpl::DiscriminatorImpl(int image_size, int width, int classes_, GanCondition condition,
                                     bool auxiliary_classifier)
    : classes(classes_) {
  GanGeometry g = gan_geometry(image_size);
  TORCH_CHECK(g.ok(), "discriminator: unsupported image size ", image_size, " (28, 32 or 64)");
  const bool projection = condition == GanCondition::Projection && classes > 0;
  TORCH_CHECK(!auxiliary_classifier || projection,
              "discriminator: the auxiliary classifier needs classes and the projection condition");
  int c = projection ? 3 : 3 + classes;
  for (int i = 0; i < g.steps; ++i) {
    int out = width << i;
    downs.push_back(register_module("down" + std::to_string(i),
                                    torch::nn::Conv2d(torch::nn::Conv2dOptions(c, out, 4).stride(2).padding(1))));
    if (i > 0) bns.push_back(register_module("dbn" + std::to_string(i), torch::nn::BatchNorm2d(out)));
    c = out;
  }
  fc = register_module("fc", torch::nn::Linear(c * g.base * g.base, 1));
  if (projection) embed = register_module("embed", torch::nn::Linear(torch::nn::LinearOptions(classes, c).bias(false)));
  if (auxiliary_classifier) aux = register_module("aux", torch::nn::Linear(c * g.base * g.base, classes));
}

torch::Tensor DiscriminatorImpl::features(const torch::Tensor& x, const torch::Tensor& one_hot) {
  auto y = embed.is_empty() ? with_class_planes(x, one_hot, classes) : x;
  for (size_t i = 0; i < downs.size(); ++i) {
    y = downs[i]->forward(y);
    if (i > 0) y = bns[i - 1]->forward(y);
    y = torch::leaky_relu(y, 0.2);
  }
  return y;
}

torch::Tensor DiscriminatorImpl::logit(const torch::Tensor& y, const torch::Tensor& one_hot) {
  torch::Tensor logit = fc->forward(y.flatten(1));
  if (embed.is_empty()) return logit;
  check_one_hot(one_hot, y.size(0), classes);
  return logit + (embed->forward(one_hot.to(y.dtype())) * y.sum({2, 3})).sum(1, /*keepdim=*/true);
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& x, const torch::Tensor& one_hot) {
  return logit(features(x, one_hot), one_hot);
}

std::pair<torch::Tensor, torch::Tensor> DiscriminatorImpl::forward_with_classes(const torch::Tensor& x,
                                                                                const torch::Tensor& one_hot) {
  TORCH_CHECK(!aux.is_empty(), "discriminator: no auxiliary classifier");
  torch::Tensor y = features(x, one_hot);
  return {logit(y, one_hot), aux->forward(y.flatten(1))};
}

void dcgan_init(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_parameters()) {
    const std::string& name = item.key();
    auto& p = item.value();
    bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    bool is_norm = name.find("bn") != std::string::npos;
    if (is_bias)
      p.zero_();
    else if (is_norm)
      p.normal_(1.0, 0.02);
    else
      p.normal_(0.0, 0.02);
  }
}

}  // namespace styleforge::trainer
