// Class coverage of unconditional samples: how many classes the classifier assigns (arg max of its logits) to at
// least `min_share` of the samples (1% by default: a tenth of the share each class would get if a generator drew
// Fashion-MNIST's 10 balanced classes evenly). A generator that collapsed onto a few kinds of garment covers few.
#pragma once
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace styleforge::trainer {

struct ClassCoverage {
  std::vector<double> shares;  // per class: its fraction of the samples
  int covered = 0;             // classes with share >= min_share
};

// predicted: int64 [N] class numbers in 0..classes-1.
ClassCoverage class_coverage(const at::Tensor& predicted, int classes, double min_share);

}  // namespace styleforge::trainer
