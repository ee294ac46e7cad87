// VGG-16/19 feature layers (Simonyan & Zisserman 2014), the classic loss network of Gatys and Johnson, from a
// weights file the user makes from torchvision (no package here ships VGG weights; trainer/README.md has the
// few lines of Python). The file is a TorchScript save of torchvision's `vgg.features`; only its convolution
// weights are read, in order, and the network is rebuilt here: 3x3 conv + ReLU, 2x2 max pool after each block.
// Layer names: relu1_1, relu1_2, relu2_1, ... relu5_3 (16) / relu5_4 (19). Input: ImageNet mean/std on x/255.
#pragma once
#include <string>
#include <vector>

#include "loss/loss_network.h"

namespace styleforge::trainer {

class VggFeatures : public LossNetwork {
 public:
  // Throws std::runtime_error naming `path` when it cannot be read or its convolutions do not match VGG-`depth`.
  VggFeatures(const std::string& path, int depth);
  std::vector<torch::Tensor> features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) override;
  std::vector<std::string> layer_names() const override { return names_; }
  std::vector<std::string> default_style_layers() const override;
  std::string default_content_layer() const override { return "relu2_2"; }

 private:
  std::vector<int> block_sizes_;
  std::vector<std::string> names_;  // one per conv, in order
};

}  // namespace styleforge::trainer
