// [latent] seeded normal sampling against an independent reference, lerp and slerp.
#include <cmath>

#include <catch2/catch.hpp>

#include "styleforge/latent.h"

using namespace styleforge;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A tiny independent reference: splitmix64 and xoshiro256** as their authors publish them (prng.di.unimi.it),
// Box-Muller with the C library's log, cos and sin.
struct Reference {
  uint64_t s[4];
  static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  static uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  explicit Reference(uint64_t seed) {
    for (auto& word : s) word = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
  std::vector<double> normals(size_t n) {
    std::vector<double> out;
    while (out.size() < n) {
      const double u = double(next() >> 11) / 9007199254740992.0;
      const double v = double(next() >> 11) / 9007199254740992.0;
      const double r = std::sqrt(-2.0 * std::log(1.0 - u));
      out.push_back(r * std::cos(2.0 * kPi * v));
      if (out.size() < n) out.push_back(r * std::sin(2.0 * kPi * v));
    }
    return out;
  }
};

double norm(const std::vector<float>& v) {
  double sum = 0.0;
  for (float x : v) sum += double(x) * x;
  return std::sqrt(sum);
}

}  // namespace

TEST_CASE("the reference generator matches published splitmix64 values", "[latent]") {
  uint64_t state = 0;
  CHECK(Reference::splitmix64(state) == 0xe220a8397b1dcdafull);
  CHECK(Reference::splitmix64(state) == 0x6e789e6aa1b965f4ull);
  CHECK(Reference::splitmix64(state) == 0x06c45d188009454full);
}

TEST_CASE("sample_normal follows splitmix64 -> xoshiro256** -> Box-Muller", "[latent]") {
  for (uint64_t seed : {0ull, 1ull, 42ull, 0xFFFFFFFFFFFFFFFFull}) {
    const std::vector<float> got = sample_normal(seed, 33);
    const std::vector<double> want = Reference(seed).normals(33);
    REQUIRE(got.size() == 33);
    for (size_t i = 0; i < got.size(); ++i) {
      INFO("seed " << seed << ", value " << i);
      REQUIRE(double(got[i]) == Approx(want[i]).epsilon(1e-6).margin(1e-6));
    }
  }
}

TEST_CASE("sample_normal is deterministic and seed-dependent", "[latent]") {
  CHECK(sample_normal(7, 100) == sample_normal(7, 100));
  CHECK(sample_normal(7, 100) != sample_normal(8, 100));
  const std::vector<float> long_run = sample_normal(7, 10);
  const std::vector<float> short_run = sample_normal(7, 5);  // odd: the last pair is cut
  CHECK(std::equal(short_run.begin(), short_run.end(), long_run.begin()));
  CHECK(sample_normal(7, 0).empty());
}

TEST_CASE("sample_normal has standard-normal statistics", "[latent]") {
  const std::vector<float> values = sample_normal(2024, 200000);
  double sum = 0.0, sum_sq = 0.0;
  size_t beyond_two = 0;
  for (float v : values) {
    REQUIRE(std::isfinite(v));
    sum += v;
    sum_sq += double(v) * v;
    if (std::abs(v) > 2.0f) ++beyond_two;
  }
  const double mean = sum / double(values.size());
  const double variance = sum_sq / double(values.size()) - mean * mean;
  CHECK(std::abs(mean) < 0.01);
  CHECK(std::abs(variance - 1.0) < 0.02);
  CHECK(double(beyond_two) / double(values.size()) == Approx(0.0455).margin(0.003));  // P(|z| > 2)
}

TEST_CASE("lerp interpolates and refuses size mismatches", "[latent]") {
  const std::vector<float> a = {0.0f, 2.0f, -4.0f}, b = {10.0f, 2.0f, 4.0f};
  CHECK(lerp(a, b, 0.0f).value == a);
  CHECK(lerp(a, b, 1.0f).value == b);
  CHECK(lerp(a, b, 0.25f).value == std::vector<float>{2.5f, 2.0f, -2.0f});
  CHECK(lerp(a, {1.0f}, 0.5f).error ==
        "cannot interpolate latents of different sizes (3 and 1): both must come from the same model");
}

TEST_CASE("slerp keeps endpoints and the interpolated norm", "[latent]") {
  const std::vector<float> a = sample_normal(1, 128), b = sample_normal(2, 128);
  const double norm_a = norm(a), norm_b = norm(b);
  for (float t : {0.0f, 0.1f, 0.5f, 0.9f, 1.0f}) {
    auto r = slerp(a, b, t);
    REQUIRE(r.ok());
    CHECK(norm(r.value) == Approx((1.0 - t) * norm_a + t * norm_b).epsilon(1e-5));
  }
  const auto start = slerp(a, b, 0.0f).value, end = slerp(a, b, 1.0f).value;
  for (size_t i = 0; i < a.size(); ++i) {
    REQUIRE(start[i] == Approx(a[i]).margin(1e-5));
    REQUIRE(end[i] == Approx(b[i]).margin(1e-5));
  }
  // Orthogonal unit vectors: the midpoint is at 45 degrees.
  auto mid = slerp({1.0f, 0.0f}, {0.0f, 1.0f}, 0.5f);
  REQUIRE(mid.ok());
  CHECK(mid.value[0] == Approx(std::sqrt(0.5)));
  CHECK(mid.value[1] == Approx(std::sqrt(0.5)));
  // The angle moves linearly with t: a third of the way is 30 degrees.
  auto third = slerp({1.0f, 0.0f}, {0.0f, 1.0f}, 1.0f / 3.0f);
  CHECK(third.value[0] == Approx(std::cos(kPi / 6)));
  CHECK(third.value[1] == Approx(std::sin(kPi / 6)));
}

TEST_CASE("slerp falls back to lerp for parallel or zero vectors", "[latent]") {
  const std::vector<float> a = {1.0f, 2.0f}, twice = {2.0f, 4.0f}, zero = {0.0f, 0.0f};
  CHECK(slerp(a, twice, 0.5f).value == lerp(a, twice, 0.5f).value);
  CHECK(slerp(zero, a, 0.5f).value == lerp(zero, a, 0.5f).value);
  CHECK(slerp(a, {1.0f}, 0.5f).error ==
        "cannot interpolate latents of different sizes (2 and 1): both must come from the same model");
  CHECK(slerp({}, {}, 0.5f).value.empty());
}

TEST_CASE("class-conditional latents: z then one-hot; interpolation slerps z and blends the class", "[latent]") {
  const std::vector<float> z = {0.5f, -1.0f};
  auto latent = latent_with_class(z, 2, 3);
  REQUIRE(latent.ok());
  CHECK(latent.value == std::vector<float>{0.5f, -1.0f, 0.0f, 0.0f, 1.0f});
  CHECK(latent_with_class(z, 0, 0).value == z);  // unconditional: z alone
  CHECK(latent_with_class(z, 3, 3).error == "class 3 is not one of the model's 3 classes (0 to 2)");

  const std::vector<float> a = {1.0f, 0.0f, 1.0f, 0.0f}, b = {0.0f, 1.0f, 0.0f, 1.0f};  // 2 z values, 2 classes
  auto mid = interpolate_with_class(a, b, 0.5f, 2);
  REQUIRE(mid.ok());
  CHECK(mid.value[0] == Approx(std::sqrt(0.5)));  // z: on the great circle
  CHECK(mid.value[1] == Approx(std::sqrt(0.5)));
  CHECK(mid.value[2] == Approx(0.5));             // class: half of each
  CHECK(mid.value[3] == Approx(0.5));
  CHECK(interpolate_with_class(a, b, 1.0f, 2).value[3] == Approx(1.0));
  CHECK(!interpolate_with_class(a, {1.0f}, 0.5f, 2).ok());
}

TEST_CASE("coordinates along a named direction: read and set one, the others stay", "[latent]") {
  const std::vector<float> direction = {0.6f, 0.8f};     // unit
  const std::vector<float> z = {1.0f, 2.0f, 1.0f};       // 2 free values + a class value
  CHECK(coordinate_along(z, direction).value == Approx(0.6 + 1.6));
  auto moved = set_coordinate_along(z, direction, -1.0f);
  REQUIRE(moved.ok());
  CHECK(coordinate_along(moved.value, direction).value == Approx(-1.0));
  // The orthogonal coordinate (-0.8, 0.6) and the class value do not move.
  CHECK(-0.8 * moved.value[0] + 0.6 * moved.value[1] == Approx(-0.8 * 1.0 + 0.6 * 2.0));
  CHECK(moved.value[2] == 1.0f);
  // A direction given unnormalised is read as its unit vector.
  CHECK(coordinate_along(z, {3.0f, 4.0f}).value == Approx(2.2));
  CHECK(coordinate_along({1.0f}, direction).error ==
        "a direction of 2 values does not fit a latent of 1: it belongs to another model");
}

TEST_CASE("truncation scales z toward the origin and refuses values outside (0, 1]", "[latent]") {
  const std::vector<float> z = sample_normal(3, 64);
  auto same = truncate_latent(z, 1.0f);
  REQUIRE(same.ok());
  CHECK(same.value == z);
  auto half = truncate_latent(z, 0.5f);
  REQUIRE(half.ok());
  REQUIRE(half.value.size() == z.size());
  for (size_t i = 0; i < z.size(); ++i) CHECK(half.value[i] == 0.5f * z[i]);
  // The direction is kept: the cosine with the drawn z is 1, so the named sliders read the same sign.
  double dot = 0, a = 0, b = 0;
  for (size_t i = 0; i < z.size(); ++i) dot += double(z[i]) * half.value[i], a += double(z[i]) * z[i], b += double(half.value[i]) * half.value[i];
  CHECK(dot / std::sqrt(a * b) == Approx(1.0));
  for (float bad : {0.0f, -0.5f, 1.5f, std::nanf("")}) {
    auto refused = truncate_latent(z, bad);
    CHECK(!refused.ok());
    CHECK(refused.error.find("outside (0, 1]") != std::string::npos);
  }
  CHECK(truncate_latent(z, 1.5f).error ==
        "truncation 1.5 is outside (0, 1]: 1 keeps the latent as drawn, smaller values move it toward the model's "
        "most typical pictures");
}
