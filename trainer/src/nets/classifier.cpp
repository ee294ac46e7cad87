#include "nets/classifier.h"

#include <torch/torch.h>

namespace styleforge::trainer {

ClassifierImpl::ClassifierImpl(int classes_, int image_size_, int width_, int features_, int channels_)
    : classes(classes_), image_size(image_size_), width(width_), feature_size(features_), channels(channels_) {
  // Two 2x poolings: the side must divide by 4 for the flattened size to be what fc expects.
  TORCH_CHECK(image_size % 4 == 0, "classifier: image size ", image_size, " is not a multiple of 4");
  const int side = image_size / 4;
  conv0 = register_module("conv0", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, width, 3).padding(1)));
  bn0 = register_module("bn0", torch::nn::BatchNorm2d(width));
  conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(width, 2 * width, 3).padding(1)));
  bn1 = register_module("bn1", torch::nn::BatchNorm2d(2 * width));
  fc = register_module("fc", torch::nn::Linear(2 * width * side * side, feature_size));
  out = register_module("out", torch::nn::Linear(feature_size, classes));
}

torch::Tensor ClassifierImpl::features(const torch::Tensor& x) {
  auto h = torch::max_pool2d(torch::relu(bn0->forward(conv0->forward(x))), 2);
  h = torch::max_pool2d(torch::relu(bn1->forward(conv1->forward(h))), 2);
  return torch::relu(fc->forward(h.flatten(1)));
}

torch::Tensor ClassifierImpl::forward(const torch::Tensor& x) { return out->forward(features(x)); }

}  // namespace styleforge::trainer
