// A small CNN image classifier (Fashion-MNIST: 10 classes, 28x28 grey, images in -1..1; or the emoji categories,
// 64x64 RGB): the ruler the generator measures use (measure/frechet.h, generator_measure.cpp), not a model we ship.
//
//   conv0 Conv2d(C -> w, 3, pad 1) + BatchNorm + ReLU + MaxPool 2     28 -> 14 (C: 1 grey, 3 RGB)
//   conv1 Conv2d(w -> 2w, 3, pad 1) + BatchNorm + ReLU + MaxPool 2    14 -> 7
//   fc    Linear(2w * 7 * 7 -> F) + ReLU                              the penultimate features (F = 128)
//   out   Linear(F -> classes)                                        logits
//
// Two conv layers reach > 90% Fashion-MNIST test accuracy in ~2-3 epochs on one CPU thread (trainer/README.md);
// BatchNorm is what makes that few steps enough.
#pragma once
#include <torch/nn.h>

namespace styleforge::trainer {

struct ClassifierImpl : torch::nn::Module {
  ClassifierImpl(int classes, int image_size, int width, int features, int channels = 1);
  torch::Tensor forward(const torch::Tensor& x);   // logits [N, classes]
  torch::Tensor features(const torch::Tensor& x);  // penultimate activations [N, F], what FD compares
  int classes, image_size, width, feature_size, channels;
  torch::nn::Conv2d conv0{nullptr}, conv1{nullptr};
  torch::nn::BatchNorm2d bn0{nullptr}, bn1{nullptr};
  torch::nn::Linear fc{nullptr}, out{nullptr};
};
TORCH_MODULE(Classifier);

}  // namespace styleforge::trainer
