// VGG feature layers rebuilt from a TorchScript save of torchvision's vgg.features (see the header).
#include "loss/vgg.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <torch/script.h>
#include <torch/torch.h>

namespace styleforge::trainer {

VggFeatures::VggFeatures(const std::string& path, int depth) {
  block_sizes_ = depth == 19 ? std::vector<int>{2, 2, 4, 4, 4} : std::vector<int>{2, 2, 3, 3, 3};
  torch::jit::Module scripted;
  try {
    scripted = torch::jit::load(path, torch::kCPU);
  } catch (const std::exception& e) {
    const std::string why = e.what();  // LibTorch appends a stack trace after the first line: keep the reason only
    throw std::runtime_error(path + ": cannot read as a TorchScript file (" + why.substr(0, why.find('\n')) +
                             "). Make it with torch.jit.save(torch.jit.script(vgg.features), FILE); see "
                             "trainer/README.md");
  }
  // torchvision names the Sequential's children by index: "0.weight", "0.bias", "2.weight", ...
  std::map<int, std::pair<torch::Tensor, torch::Tensor>> convs;
  for (const auto& p : scripted.named_parameters(true)) {
    auto dot = p.name.find('.');
    if (dot == std::string::npos) continue;
    int index = std::stoi(p.name.substr(0, dot));
    if (p.name.substr(dot + 1) == "weight") convs[index].first = p.value.detach().clone();
    if (p.name.substr(dot + 1) == "bias") convs[index].second = p.value.detach().clone();
  }
  int expected = 0;
  for (int b : block_sizes_) expected += b;
  if (static_cast<int>(convs.size()) != expected)
    throw std::runtime_error(path + ": has " + std::to_string(convs.size()) + " convolutions, VGG-" +
                             std::to_string(depth) + " has " + std::to_string(expected) +
                             " (wrong --loss-net, or not torchvision's vgg.features?)");
  int i = 0, block = 1, in_block = 1;
  for (auto& [index, wb] : convs) {
    if (wb.first.dim() != 4 || wb.first.size(2) != 3 || !wb.second.defined())
      throw std::runtime_error(path + ": layer " + std::to_string(index) + " is not a 3x3 convolution with bias");
    register_buffer("conv" + std::to_string(i) + "_weight", wb.first);
    register_buffer("conv" + std::to_string(i) + "_bias", wb.second);
    names_.push_back("relu" + std::to_string(block) + "_" + std::to_string(in_block));
    ++i;
    if (++in_block > block_sizes_[block - 1]) { ++block; in_block = 1; }
  }
}

std::vector<torch::Tensor> VggFeatures::features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) {
  auto buffers = named_buffers(false);
  const auto options = rgb255.options();
  torch::Tensor mean = torch::tensor({0.485, 0.456, 0.406}, options).view({1, 3, 1, 1});
  torch::Tensor std = torch::tensor({0.229, 0.224, 0.225}, options).view({1, 3, 1, 1});
  torch::Tensor x = (rgb255 / 255.0 - mean) / std;
  std::vector<int> wanted;
  for (const auto& l : layers) {
    auto it = std::find(names_.begin(), names_.end(), l);
    if (it == names_.end()) throw std::runtime_error("VGG: no layer '" + l + "' (relu1_1 .. " + names_.back() + ")");
    wanted.push_back(static_cast<int>(it - names_.begin()));
  }
  const int last = *std::max_element(wanted.begin(), wanted.end());
  std::map<int, torch::Tensor> outputs;
  int i = 0;
  for (size_t b = 0; b < block_sizes_.size() && i <= last; ++b) {
    if (b > 0) x = torch::max_pool2d(x, 2, 2);
    for (int j = 0; j < block_sizes_[b] && i <= last; ++j, ++i) {
      const std::string id = "conv" + std::to_string(i);
      x = torch::relu(torch::conv2d(x, buffers[id + "_weight"], buffers[id + "_bias"], 1, 1));
      outputs[i] = x;
    }
  }
  std::vector<torch::Tensor> out;
  for (int w : wanted) out.push_back(outputs[w]);
  return out;
}

std::vector<std::string> VggFeatures::default_style_layers() const {
  return {"relu1_2", "relu2_2", "relu3_3", "relu4_3"};  // Johnson et al. 2016
}

}  // namespace styleforge::trainer
