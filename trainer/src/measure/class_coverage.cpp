#include "measure/class_coverage.h"

#include <torch/torch.h>

namespace styleforge::trainer {

ClassCoverage class_coverage(const at::Tensor& predicted, int classes, double min_share) {
  TORCH_CHECK(predicted.dim() == 1 && predicted.size(0) > 0, "class_coverage: need [N > 0] class numbers");
  torch::Tensor counts = torch::bincount(predicted.to(torch::kInt64), {}, classes).to(torch::kFloat64);
  ClassCoverage c;
  const double n = static_cast<double>(predicted.size(0));
  for (int k = 0; k < classes; ++k) {
    c.shares.push_back(counts[k].item<double>() / n);
    if (c.shares.back() >= min_share) ++c.covered;
  }
  return c;
}

}  // namespace styleforge::trainer
