// Style-prediction network; the layout is documented in the header.
#include "nets/style_predictor.h"

#include <torch/torch.h>

namespace styleforge::trainer {

std::vector<std::string> StylePredictorImpl::statistic_layers() {
  return {"Conv1_relu", "block_3_expand_relu", "block_6_expand_relu", "block_10_expand_relu"};
}

StylePredictorImpl::StylePredictorImpl(const std::string& mobilenet_dir, int code_size_, int hidden_)
    : code_size(code_size_), hidden(hidden_) {
  trunk = register_module("trunk", std::make_shared<MobileNetV2Features>(mobilenet_dir, kLastLayer));
  {
    torch::NoGradGuard no_grad;
    features = pooled_statistics(torch::zeros({1, 3, 32, 32})).size(1);
  }
  fc1 = register_module("fc1", torch::nn::Linear(features, hidden));
  fc2 = register_module("fc2", torch::nn::Linear(hidden, code_size));
}

torch::Tensor StylePredictorImpl::pooled_statistics(const torch::Tensor& style255) {
  torch::NoGradGuard no_grad;  // the trunk is frozen: nothing upstream of fc1 learns
  std::vector<torch::Tensor> parts;
  for (const torch::Tensor& f : trunk->features(style255, statistic_layers())) parts.push_back(channel_statistics(f));
  return torch::cat(parts, 1);
}

torch::Tensor StylePredictorImpl::forward(const torch::Tensor& style255) {
  return fc2->forward(torch::relu(fc1->forward(pooled_statistics(style255))));
}

}  // namespace styleforge::trainer
