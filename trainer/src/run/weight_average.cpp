#include "run/weight_average.h"

#include <torch/torch.h>

#include <vector>

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
}

void copy_weights(torch::nn::Module& average, const torch::nn::Module& live) {
  torch::NoGradGuard no_grad;
  auto copy = [](torch::Tensor a, const torch::Tensor& l) { a.copy_(l); };
  for_each_pair(average.named_parameters(), live.named_parameters(), copy);
  for_each_pair(average.named_buffers(), live.named_buffers(), copy);
}

void recalibrate_batch_norm(torch::nn::Module& net, int batches, const std::function<void(int batch)>& forward_batch) {
  std::vector<std::pair<torch::nn::BatchNorm2dImpl*, c10::optional<double>>> norms;  // with their momentum
  for (const auto& m : net.modules())
    if (auto* bn = m->as<torch::nn::BatchNorm2dImpl>()) {
      norms.emplace_back(bn, bn->options.momentum());
      bn->reset_running_stats();
      bn->options.momentum(c10::nullopt);  // cumulative: every batch counts the same
    }
  const bool was_training = net.is_training();
  net.train();
  {
    torch::NoGradGuard no_grad;
    for (int i = 0; i < batches; ++i) forward_batch(i);
  }
  for (auto& [bn, momentum] : norms) bn->options.momentum(momentum);
  net.train(was_training);
}

}  // namespace styleforge::trainer
