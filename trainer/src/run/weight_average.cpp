#include "run/weight_average.h"

#include <torch/torch.h>

namespace styleforge::trainer {
namespace {

// Calls blend(average tensor, live tensor) for each parameter (or buffer) pair, matched by name.
template <typename Blend>
void for_each_pair(const torch::OrderedDict<std::string, torch::Tensor>& average,
                   const torch::OrderedDict<std::string, torch::Tensor>& live, Blend blend) {
  TORCH_CHECK(average.size() == live.size(), "weight average: the two networks have ", average.size(), " and ",
              live.size(), " tensors");
  for (const auto& item : average) {
    const torch::Tensor* from = live.find(item.key());
    TORCH_CHECK(from != nullptr && from->sizes() == item.value().sizes(), "weight average: '", item.key(),
                "' differs between the two networks");
    blend(item.value(), *from);
  }
}

}  // namespace

void update_weight_average(torch::nn::Module& average, const torch::nn::Module& live, double decay) {
  torch::NoGradGuard no_grad;
  for_each_pair(average.named_parameters(), live.named_parameters(),
                [&](torch::Tensor a, const torch::Tensor& l) { a.mul_(decay).add_(l, 1.0 - decay); });
  for_each_pair(average.named_buffers(), live.named_buffers(),
                [](torch::Tensor a, const torch::Tensor& l) { a.copy_(l); });
}

void copy_weights(torch::nn::Module& average, const torch::nn::Module& live) {
  update_weight_average(average, live, 0.0);
}

}  // namespace styleforge::trainer
