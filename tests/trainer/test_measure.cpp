// The generator measures (trainer/src/measure/): Frechet distance on small feature sets with known answers, and
// class coverage on known class counts.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "measure/class_coverage.h"
#include "measure/frechet.h"

// LibTorch pulls in glog, whose CHECK replaces Catch's: restore Catch's (as test_style_loss.cpp does).
#undef CHECK
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

using namespace styleforge::trainer;

namespace {

// 400 correlated 6-dimensional features, float32 as the classifier gives them: normals through one fixed random
// linear mix plus offset (the distribution), the points drawn from `seed` (so two seeds = two samples of it).
torch::Tensor features(uint64_t seed) {
  torch::manual_seed(100);
  torch::Tensor mix = torch::randn({6, 6});
  torch::Tensor offset = torch::randn({6});
  torch::manual_seed(seed);
  torch::Tensor points = torch::randn({400, 6});
  return points.matmul(mix) + offset;
}

double fd(const torch::Tensor& a, const torch::Tensor& b) {
  return frechet_distance(feature_stats(a), feature_stats(b));
}

}  // namespace

TEST_CASE("FD of a set against itself is 0") {
  torch::Tensor x = features(1);
  CHECK(fd(x, x) < 1e-9);
}

TEST_CASE("FD of a shifted set is the squared shift, and grows with it") {
  // Shifting every feature by d leaves the covariance as it is: FD = D * d^2 exactly.
  torch::Tensor x = features(2);
  const double small = fd(x, x + 0.5), large = fd(x, x + 1.0);
  CHECK(small == Approx(6 * 0.25).epsilon(1e-6));
  CHECK(large == Approx(6 * 1.0).epsilon(1e-6));
  CHECK(fd(x + 1.0, x) == Approx(large).epsilon(1e-9));  // symmetric
}

TEST_CASE("FD of a scaled set follows the covariance term") {
  // Centred x and 2x: means equal, C_b = 4 C_a, so FD = tr(C_a + 4 C_a - 2 * 2 C_a) = tr(C_a).
  torch::Tensor x = features(3);
  x = x - x.mean(0);
  const double trace = feature_stats(x).cov.trace().item<double>();
  CHECK(fd(x, 2 * x) == Approx(trace).epsilon(1e-6));
}

TEST_CASE("FD between two samples of one distribution is small next to a shift") {
  // Two samples of one distribution, as the floor (test set vs training set) compares.
  torch::Tensor a = features(4), fresh = features(5);
  const double same = fd(a, fresh), shifted = fd(a, fresh + 2.0);
  INFO("same distribution " << same << ", shifted by 2 " << shifted);
  CHECK(same < 0.25 * shifted);
}

TEST_CASE("class coverage counts classes with at least the minimum share") {
  // 1000 samples: class 0 x 500, class 1 x 489, class 2 x 10 (1.0%), class 3 x 1 (0.1%), classes 4-9 none.
  std::vector<int64_t> labels(500, 0);
  labels.insert(labels.end(), 489, 1);
  labels.insert(labels.end(), 10, 2);
  labels.push_back(3);
  ClassCoverage c = class_coverage(torch::tensor(labels), 10, 0.01);
  CHECK(c.covered == 3);
  REQUIRE(c.shares.size() == 10);
  CHECK(c.shares[0] == Approx(0.5));
  CHECK(c.shares[3] == Approx(0.001));
  CHECK(c.shares[9] == 0.0);
  CHECK(class_coverage(torch::tensor(labels), 10, 0.02).covered == 2);
}
