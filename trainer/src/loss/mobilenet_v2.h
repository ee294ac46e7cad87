// MobileNetV2 (alpha 1.0) ported from the Keras/TF.js model in nsfwjs@4.4.0, up to block_10: the layers that
// its upstream training left frozen at their ImageNet values (layers after block_10 were fine-tuned for another
// task, so they are not offered).
//
// The Keras graph is interpreted layer by layer (InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D,
// BatchNormalization, ReLU, Add) with Keras semantics: conv kernels HWIO -> OIHW, depthwise [kh,kw,C,1] ->
// [C,1,kh,kw] with groups = C, BatchNorm eps from the config (1e-3), ReLU with max_value 6, "same" padding the
// TensorFlow way, and the explicit (0,1),(0,1) zero padding before each stride-2 conv. Each BatchNormalization is
// folded into the convolution before it (same result within float rounding, ~25% faster); the folded conv's own
// name is then not available as an output, the BN's name is.
//
// Input range: the ImageNet layers were trained on x/127.5 - 1 (Keras mobilenet_v2.preprocess_input); nsfwjs
// feeds x/255 to its fine-tuned whole. InputRange picks one; the default is ImageNet's, as only those layers are used.
#pragma once
#include <string>
#include <vector>

#include "loss/loss_network.h"

namespace styleforge::trainer {

enum class MobileNetInputRange { ImageNet /* [-1, 1] */, ZeroOne /* [0, 1], as nsfwjs */ };

class MobileNetV2Features : public LossNetwork {
 public:
  // Reads `dir`/model.min.js and its shards; builds the graph up to and including `last_layer`.
  explicit MobileNetV2Features(const std::string& dir, const std::string& last_layer = "block_10_project_BN",
                               MobileNetInputRange range = MobileNetInputRange::ImageNet);
  ~MobileNetV2Features() override;

  std::vector<torch::Tensor> features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) override;
  // Same, for an input already in the network's own range, NCHW (used by the port test against TF.js).
  std::vector<torch::Tensor> features_raw(const torch::Tensor& x, const std::vector<std::string>& layers);
  std::vector<std::string> layer_names() const override;
  std::vector<std::string> default_style_layers() const override;
  std::string default_content_layer() const override;
  // Writes the interpreted graph for other tools (trainer/bench's PyTorch twin of the loss): `json_path` lists the
  // ops in order ({kind: input|zeropad|conv|relu6|add, name, inputs, pad, stride, kernel, groups, same_padding,
  // weight/bias: {offset, shape}} with offsets in floats into `bin_path`, float32 little-endian; BN already folded)
  // and the input range. Throws std::runtime_error when a file cannot be written.
  void write_graph(const std::string& json_path, const std::string& bin_path) const;

 private:
  struct Op;
  std::vector<Op> ops_;
  MobileNetInputRange range_;
};

}  // namespace styleforge::trainer
