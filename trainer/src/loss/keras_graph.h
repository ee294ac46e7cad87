// A Keras functional model (TF.js layers format) interpreted on LibTorch, for the frozen ImageNet networks that
// npm nsfwjs@4.4.0 ships: MobileNetV2 and InceptionV3. It reproduces Keras semantics for the layers those two use:
//   InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D (HWIO / [kh,kw,C,1] kernels -> OIHW, groups = C),
//   BatchNormalization (folded into the conv before it), ReLU (max_value 6 or none), Activation("relu"), Add,
//   Concatenate (channels), MaxPooling2D and AveragePooling2D ("same" average pooling counts only real pixels,
//   as TensorFlow does), with TensorFlow's "same" padding (the odd pixel after: bottom/right).
// The graph is cut after `last_layer`: classifier heads are never built.
//
// Batch norm: each BN is folded into the conv that feeds it for speed, but its parameters are kept, so that
// recalibrate_batch_norm() can re-estimate the moving statistics from photos and fold again. Why that exists:
// nsfwjs stores every tensor 8-bit quantized per tensor (w = q*scale + min), the moving variances included, and
// for many channels those decode to exactly 0; BN then multiplies such a channel by 1/sqrt(eps) = 31.6 and the
// activation after it saturates. A loss or a judge reading those channels measures clipping, not images.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "loss/loss_network.h"  // BatchNormCalibration

namespace styleforge::trainer {

class KerasGraph : public torch::nn::Module {
 public:
  // Reads `dir`/model.min.js and its shards; builds the graph up to and including `last_layer`. Throws
  // std::runtime_error naming the file and what is wrong (missing layer, unsupported layer on the way).
  KerasGraph(const std::string& dir, const std::string& last_layer);
  ~KerasGraph() override;

  // Outputs of `layers` {N,C,h,w} for an input `x` {N,3,H,W} already in the network's own range.
  std::vector<torch::Tensor> forward(const torch::Tensor& x, const std::vector<std::string>& layers);
  // Layers whose output can be asked for, input to output (a BN's name stands for its folded conv).
  std::vector<std::string> layer_names() const;

  // Re-estimates every BN's moving mean and variance from `x` (a batch of ordinary photos in the network's range),
  // layer by layer in forward order, so each BN normalises what it actually sees. Returns before/after statistics.
  std::vector<BatchNormCalibration> recalibrate_batch_norm(const torch::Tensor& x);
  // Moving variances that are exactly 0, over all BN layers (0 after recalibration).
  int64_t zero_variance_channels() const;

  // Low-pass the input of every stride-2 convolution and pooling with a `taps` x `taps` binomial filter (3 or 5;
  // 0 = off, the network as trained). Why: a stride-2 layer folds patterns finer than its output grid into coarse
  // ones (aliasing), so a generator can paint a fine periodic stripe that the loss reads as coarse structure
  // matching the painting; blurring first (Zhang 2019, "Making convolutional networks shift-invariant again") makes
  // such stripes show up as what they are. Blur then strided conv = conv then blur then subsample (convolutions
  // commute), so this is Zhang's BlurPool at the cost of one small depthwise conv. Set it before recalibrating BN.
  void set_antialias(int taps);

  // One interpreted op as an exporter needs it (onnx/export_arbitrary.cpp writes the style predictor's trunk from
  // these). kind: input, zeropad, conv, relu, relu6, add, concat, maxpool, avgpool.
  struct OpView {
    std::string kind, name;
    std::vector<int> inputs;        // indices into the views, earlier ops
    std::vector<int64_t> pad;       // zeropad: {left, right, top, bottom}
    int64_t kernel_h = 1, kernel_w = 1, stride = 1, groups = 1;
    bool same_padding = false;      // TensorFlow "same": the odd pixel of padding after (bottom/right)
    torch::Tensor weight, bias;     // conv: with its batch norm folded in, as forward() runs it (current values)
  };
  std::vector<OpView> op_views() const;

  // Writes the interpreted graph for other tools (trainer/bench's PyTorch twin of the loss): `json_path` lists the
  // ops in order ({kind, name, inputs, pad, stride, kernel, groups, same_padding, weight/bias: {offset, shape}} with
  // offsets in floats into `bin_path`, float32 little-endian; BN folded) and `input_range` at the top level.
  // Throws std::runtime_error when a file cannot be written.
  void write_graph(const std::string& json_path, const std::string& bin_path, const std::string& input_range) const;

 private:
  struct Op;
  static std::pair<torch::Tensor, torch::Tensor> fold_batch_norm(const Op& op);
  torch::Tensor run(const Op& op, const std::vector<torch::Tensor>& values, const torch::Tensor& weight,
                    const torch::Tensor& bias) const;
  std::vector<Op> ops_;
  int antialias_taps_ = 0;
};

}  // namespace styleforge::trainer
