#include "measure/frechet.h"

#include <torch/torch.h>

#include <algorithm>

namespace styleforge::trainer {
namespace {

// Symmetric eigendecomposition instead of a general matrix square root: both covariances are symmetric PSD, so
// tr((C_a C_b)^(1/2)) = tr((S C_b S)^(1/2)) with S = C_a^(1/2), and S C_b S is symmetric PSD too. eigh is exact
// enough in float64 and needs no complex numbers (scipy's sqrtm route leaves imaginary parts to throw away).
torch::Tensor psd_sqrt(const torch::Tensor& m) {
  auto [values, vectors] = torch::linalg::eigh(m, "L");
  return vectors.matmul(torch::diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
}

}  // namespace

FeatureStats feature_stats(const at::Tensor& features) {
  TORCH_CHECK(features.dim() == 2 && features.size(0) >= 2, "feature_stats: need [N >= 2, D] features, got ",
              features.sizes());
  torch::Tensor f = features.to(torch::kFloat64);
  FeatureStats s;
  s.count = f.size(0);
  s.mean = f.mean(0);
  torch::Tensor centred = f - s.mean;
  s.cov = centred.t().matmul(centred) / static_cast<double>(s.count - 1);
  return s;
}

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  TORCH_CHECK(a.mean.size(0) == b.mean.size(0), "frechet_distance: feature sizes differ (", a.mean.size(0), " vs ",
              b.mean.size(0), ")");
  const double mean_term = (a.mean - b.mean).pow(2).sum().item<double>();
  torch::Tensor s = psd_sqrt(a.cov);
  torch::Tensor m = s.matmul(b.cov).matmul(s);
  m = (m + m.t()) / 2;  // symmetric again after float rounding, as eigvalsh assumes
  const double cross = torch::linalg::eigvalsh(m, "L").clamp_min(0).sqrt().sum().item<double>();
  const double fd = mean_term + a.cov.trace().item<double>() + b.cov.trace().item<double>() - 2 * cross;
  // A set against itself gives 0 up to rounding, which can land a hair below it.
  return std::max(0.0, fd);
}

}  // namespace styleforge::trainer
