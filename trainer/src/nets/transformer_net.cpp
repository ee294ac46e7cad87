// TransformerNet (Johnson et al. 2016); the layout and the submodule names are documented in the header.
#include "nets/transformer_net.h"

#include <stdexcept>
#include <string>

#include <torch/torch.h>

namespace styleforge::trainer {
namespace {

// Affine, eps 1e-5, no running statistics: the same normalisation in training and inference.
torch::nn::InstanceNorm2d instance_norm(int64_t channels) {
  return torch::nn::InstanceNorm2d(
      torch::nn::InstanceNorm2dOptions(channels).eps(1e-5).affine(true).track_running_stats(false));
}

}  // namespace

ConvLayerImpl::ConvLayerImpl(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride)
    : pad(kernel / 2) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel)
                                                       .stride(stride)));
}

torch::Tensor ConvLayerImpl::forward(const torch::Tensor& x) {
  return conv->forward(torch::reflection_pad2d(x, {pad, pad, pad, pad}));
}

UpsampleConvLayerImpl::UpsampleConvLayerImpl(int64_t in_channels, int64_t out_channels, int64_t kernel) {
  conv = register_module("conv", ConvLayer(in_channels, out_channels, kernel, 1));
}

torch::Tensor UpsampleConvLayerImpl::forward(const torch::Tensor& x) {
  // Nearest x2 by explicit output size: the exporter writes the same Resize (nearest, scales 2).
  auto up = torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
  return conv->forward(up);
}

ResidualBlockImpl::ResidualBlockImpl(int64_t channels) {
  conv1 = register_module("conv1", ConvLayer(channels, channels, 3, 1));
  in1 = register_module("in1", instance_norm(channels));
  conv2 = register_module("conv2", ConvLayer(channels, channels, 3, 1));
  in2 = register_module("in2", instance_norm(channels));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  auto y = torch::relu(in1->forward(conv1->forward(x)));
  return x + in2->forward(conv2->forward(y));
}

TransformerNetImpl::TransformerNetImpl(int width_, int residual_blocks_, bool photo_skip_, int edge_kernel_)
    : width(width_), residual_blocks(residual_blocks_), edge_kernel(edge_kernel_), photo_skip(photo_skip_) {
  // An even kernel with pad k/2 would grow the image by one pixel per layer: the output would not match the input.
  if (edge_kernel < 1 || edge_kernel % 2 == 0)
    throw std::invalid_argument("TransformerNet edge kernel " + std::to_string(edge_kernel) + ": must be odd and >= 1");
  const int64_t w = width;
  conv1 = register_module("conv1", ConvLayer(3, w, edge_kernel, 1));
  in1 = register_module("in1", instance_norm(w));
  conv2 = register_module("conv2", ConvLayer(w, 2 * w, 3, 2));
  in2 = register_module("in2", instance_norm(2 * w));
  conv3 = register_module("conv3", ConvLayer(2 * w, 4 * w, 3, 2));
  in3 = register_module("in3", instance_norm(4 * w));
  res = register_module("res", torch::nn::ModuleList());
  for (int i = 0; i < residual_blocks; ++i) res->push_back(ResidualBlock(4 * w));
  up1 = register_module("up1", UpsampleConvLayer(4 * w, 2 * w, 3));
  in4 = register_module("in4", instance_norm(2 * w));
  up2 = register_module("up2", UpsampleConvLayer(2 * w, w, 3));
  in5 = register_module("in5", instance_norm(w));
  conv_out = register_module("conv_out", ConvLayer(w, 3, edge_kernel, 1));
}

torch::Tensor TransformerNetImpl::forward(const torch::Tensor& x) {
  auto y = torch::relu(in1->forward(conv1->forward(x)));
  y = torch::relu(in2->forward(conv2->forward(y)));
  y = torch::relu(in3->forward(conv3->forward(y)));
  for (const auto& block : *res) y = block->as<ResidualBlock>()->forward(y);
  y = torch::relu(in4->forward(up1->forward(y)));
  y = torch::relu(in5->forward(up2->forward(y)));
  torch::Tensor out = conv_out->forward(y);
  return photo_skip ? out + x : out;
}

}  // namespace styleforge::trainer
