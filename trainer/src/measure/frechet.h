// Frechet distance between two sets of feature vectors, each summarised as a Gaussian (mean, covariance):
//   FD = |mu_a - mu_b|^2 + tr(C_a + C_b - 2 (C_a C_b)^(1/2))
// (Heusel et al. 2017's FID, here on our own classifier's penultimate features instead of InceptionV3's, so the
// figures are comparable only with each other: same classifier, same sample count.)
#pragma once
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace styleforge::trainer {

struct FeatureStats {
  at::Tensor mean;  // float64 [D]
  at::Tensor cov;   // float64 [D, D], unbiased (divides by N - 1)
  int64_t count = 0;
};

// features: [N, D] with N >= 2, any float type (computed in float64).
FeatureStats feature_stats(const at::Tensor& features);

double frechet_distance(const FeatureStats& a, const FeatureStats& b);

}  // namespace styleforge::trainer
