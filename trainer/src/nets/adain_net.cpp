// AdaIN encoder + decoder; the layout and the reasons are in the header.
#include "nets/adain_net.h"

#include <torch/torch.h>

namespace styleforge::trainer {

torch::Tensor adaptive_instance_norm(const torch::Tensor& x, const torch::Tensor& code) {
  const int64_t c = x.size(1);
  TORCH_CHECK(code.dim() == 2 && code.size(1) == 2 * c && (code.size(0) == 1 || code.size(0) == x.size(0)),
              "AdaIN code must be {1 or batch, ", 2 * c, "}, got ", code.sizes());
  const torch::Tensor mean = x.mean({2, 3});
  const torch::Tensor normalised = (x - mean.unsqueeze(2).unsqueeze(3)) / channel_std(x, mean).unsqueeze(2).unsqueeze(3);
  const torch::Tensor target_mean = code.narrow(1, 0, c).unsqueeze(2).unsqueeze(3);
  const torch::Tensor target_std = code.narrow(1, c, c).unsqueeze(2).unsqueeze(3);
  return normalised * target_std + target_mean;
}

AdainNetImpl::AdainNetImpl(const std::string& mobilenet_dir, int width_, int residual_blocks_, bool photo_skip_)
    : width(width_), residual_blocks(residual_blocks_), photo_skip(photo_skip_) {
  encoder = register_module("encoder", std::make_shared<MobileNetV2Features>(mobilenet_dir, kLayer));
  int64_t channels = 0;
  {
    torch::NoGradGuard no_grad;
    channels = encoder->features(torch::zeros({1, 3, 32, 32}), {kLayer})[0].size(1);
  }
  code_size = static_cast<int>(2 * channels);
  const int64_t w = width;
  conv_in = register_module("conv_in", ConvLayer(channels, 4 * w, 3, 1));
  res = register_module("res", torch::nn::ModuleList());
  for (int i = 0; i < residual_blocks; ++i) {
    torch::nn::Sequential block;
    block->push_back("conv1", ConvLayer(4 * w, 4 * w, 3, 1));
    block->push_back("conv2", ConvLayer(4 * w, 4 * w, 3, 1));
    res->push_back(block);
  }
  up1 = register_module("up1", UpsampleConvLayer(4 * w, 2 * w, 3));
  up2 = register_module("up2", UpsampleConvLayer(2 * w, w, 3));
  conv_out = register_module("conv_out", ConvLayer(w, 3, 9, 1));
}

torch::Tensor AdainNetImpl::code(const torch::Tensor& style255) {
  torch::NoGradGuard no_grad;
  return channel_statistics(encoder->features(style255, {kLayer})[0]);
}

torch::Tensor AdainNetImpl::forward(const torch::Tensor& photo255, const torch::Tensor& code) {
  torch::Tensor features;
  {
    torch::NoGradGuard no_grad;  // the encoder is frozen; gradients start at the decoder
    features = encoder->features(photo255, {kLayer})[0];
  }
  torch::Tensor y = torch::relu(conv_in->forward(adaptive_instance_norm(features, code)));
  for (const auto& item : *res) {
    auto* block = item->as<torch::nn::SequentialImpl>();
    y = y + block->ptr(1)->as<ConvLayerImpl>()->forward(torch::relu(block->ptr(0)->as<ConvLayerImpl>()->forward(y)));
  }
  y = torch::relu(up1->forward(y));
  y = torch::relu(up2->forward(y));
  const torch::Tensor out = conv_out->forward(y);
  return photo_skip ? out + photo255 : out + 127.5;
}

}  // namespace styleforge::trainer
