// TransformerNet: the fast feed-forward style network of Johnson et al. 2016, as in pytorch/examples
// fast_neural_style, with a width parameter (the original is width 32).
//
//   conv1 ConvLayer(3, w, k, 1)  + in1 + ReLU          (k = edge_kernel, 9 as in the original)
//   conv2 ConvLayer(w, 2w, 3, 2) + in2 + ReLU
//   conv3 ConvLayer(2w, 4w, 3, 2)+ in3 + ReLU
//   res   ModuleList of ResidualBlock(4w): y = x + in2(conv2(relu(in1(conv1(x)))))
//   up1   UpsampleConvLayer(4w, 2w, 3) (nearest x2, then ConvLayer) + in4 + ReLU
//   up2   UpsampleConvLayer(2w, w, 3)  + in5 + ReLU
//   conv_out ConvLayer(w, 3, k, 1)
//   edge_kernel: the kernel of the two full-resolution convs. Why: at width 16 their 9x9 kernels are ~7.8k of the
//   ~42k multiply-adds per pixel (the layers with the fewest channels but the most pixels); a student distilled
//   from a 9x9 teacher (`style --teacher`) can do with 3x3. Odd, so that reflection padding k/2 keeps the size.
//   9 for runs made before it existed (their options.json lacks "edge-kernel"): the same network as before.
//   photo_skip: output = input + conv_out(...) (the network paints a change to the photo), else conv_out(...).
//   Why: from a random start the plain network first has to learn to output 0..255 at all (an almost black
//   picture after 60 steps), which costs hundreds of steps of a CPU budget; with the skip it starts at the photo.
//   Off for runs made before it existed (their options.json lacks "photo-skip").
// ConvLayer = reflection pad k/2 + Conv2d(k, stride), the conv registered as "conv". InstanceNorm2d is affine
// with eps 1e-5 and no running statistics. Input: RGB in 0..255, NCHW float; output: raw, roughly 0..255.
//
// The submodule names above are part of the contract: the ONNX exporter (trainer/src/onnx/) walks them.
// Input sides should be multiples of 4 (two stride-2 convs, two x2 upsamplings) so the output matches the input.
#pragma once
// Module definitions need the torch::nn types; <torch/nn.h> is the smallest include that is self-consistent.
#include <torch/nn.h>

namespace styleforge::trainer {

// Reflection padding of kernel/2 on every side, then a convolution with no padding of its own.
struct ConvLayerImpl : torch::nn::Module {
  ConvLayerImpl(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride);
  torch::Tensor forward(const torch::Tensor& x);
  int64_t pad;
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(ConvLayer);

// Nearest-neighbour x2 upsampling followed by a ConvLayer: avoids the checkerboard of transposed convolutions.
struct UpsampleConvLayerImpl : torch::nn::Module {
  UpsampleConvLayerImpl(int64_t in_channels, int64_t out_channels, int64_t kernel);
  torch::Tensor forward(const torch::Tensor& x);
  ConvLayer conv{nullptr};
};
TORCH_MODULE(UpsampleConvLayer);

struct ResidualBlockImpl : torch::nn::Module {
  explicit ResidualBlockImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  ConvLayer conv1{nullptr}, conv2{nullptr};
  torch::nn::InstanceNorm2d in1{nullptr}, in2{nullptr};
};
TORCH_MODULE(ResidualBlock);

struct TransformerNetImpl : torch::nn::Module {
  // Throws std::invalid_argument for an even or non-positive edge_kernel.
  explicit TransformerNetImpl(int width = 16, int residual_blocks = 5, bool photo_skip = false, int edge_kernel = 9);
  torch::Tensor forward(const torch::Tensor& x);
  int width, residual_blocks, edge_kernel;
  bool photo_skip;
  ConvLayer conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::InstanceNorm2d in1{nullptr}, in2{nullptr}, in3{nullptr}, in4{nullptr}, in5{nullptr};
  torch::nn::ModuleList res{nullptr};
  UpsampleConvLayer up1{nullptr}, up2{nullptr};
  ConvLayer conv_out{nullptr};
};
TORCH_MODULE(TransformerNet);

}  // namespace styleforge::trainer
