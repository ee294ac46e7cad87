// Seeded normal sampling that gives bit-identical floats on every platform (native, WebAssembly, any compiler):
// only integer arithmetic and IEEE-754 +, -, *, / and sqrt, which are exactly rounded everywhere, are used; log,
// sin and cos are our own short series instead of the C library's, whose last bits differ between libms.
//
// The stream, so that any other implementation (Python, JS) can reproduce it:
//   state s[0..3] = four successive splitmix64 outputs starting from `seed`;
//   each pair of values takes two xoshiro256** outputs a, b; u = (a >> 11) * 2^-53, v = (b >> 11) * 2^-53;
//   r = sqrt(-2 ln(1 - u)); the pair is (r cos(2 pi v), r sin(2 pi v)), computed in double, then rounded to float.
//   For odd n the last pair's sine value is dropped.
#include "styleforge/latent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace styleforge {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

struct Xoshiro256StarStar {
  uint64_t s[4];
  explicit Xoshiro256StarStar(uint64_t seed) {
    for (uint64_t& word : s) word = splitmix64(seed);
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
  double next_unit() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1), 53 random bits
};

// ln(x) for x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)) (frexp and ldexp are exact), then
// ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, summed to 1e-18.
double portable_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1)
  if (m < 0.70710678118654752) {
    m = std::ldexp(m, 1);
    e -= 1;
  }
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double sum = 0.0;
  for (int k = 23; k >= 1; k -= 2) sum = sum * s2 + 1.0 / k;  // Horner over 1 + s2/3 + s2^2/5 + ...
  constexpr double kLn2High = 0.693147180369123816490;          // ln 2 split so e * high is exact
  constexpr double kLn2Low = 1.90821492927058770002e-10;
  return double(e) * kLn2High + (2.0 * s * sum + double(e) * kLn2Low);
}

// cos(2 pi v) and sin(2 pi v) for v in [0, 1): the quarter turn q = nearest(4v) is split off exactly
// (v is a multiple of 2^-53), the rest r = 2 pi (v - q/4) lies in [-pi/4, pi/4], where Taylor series to r^22
// are exact to double rounding.
void portable_cos_sin_turns(double v, double& cos_out, double& sin_out) {
  const double q = std::floor(v * 4.0 + 0.5);
  const double r = (v - q * 0.25) * 6.28318530717958647692;
  const double r2 = r * r;
  double c = 1.0, s = 1.0;
  for (int k = 22; k >= 2; k -= 2) c = 1.0 - c * r2 / double(k * (k - 1));        // 1 - r2/2! + r2^2/4! ...
  for (int k = 23; k >= 3; k -= 2) s = 1.0 - s * r2 / double(k * (k - 1));        // 1 - r2/3! + ...
  s *= r;
  switch (int(q) & 3) {
    case 0: cos_out = c; sin_out = s; break;
    case 1: cos_out = -s; sin_out = c; break;
    case 2: cos_out = -c; sin_out = -s; break;
    default: cos_out = s; sin_out = -c; break;
  }
}

float norm_of(const std::vector<float>& v) {
  double sum = 0.0;
  for (float x : v) sum += double(x) * double(x);
  return float(std::sqrt(sum));
}

std::string size_mismatch(const char* operation, size_t a, size_t b) {
  return std::string("cannot ") + operation + " latents of different sizes (" + std::to_string(a) + " and " +
         std::to_string(b) + "): both must come from the same model";
}

}  // namespace

std::vector<float> sample_normal(uint64_t seed, size_t n) {
  Xoshiro256StarStar rng(seed);
  std::vector<float> out;
  out.reserve(n);
  while (out.size() < n) {
    const double u = rng.next_unit(), v = rng.next_unit();
    const double radius = std::sqrt(-2.0 * portable_log(1.0 - u));  // 1 - u in (0, 1]: log never sees 0
    double c = 0.0, s = 0.0;
    portable_cos_sin_turns(v, c, s);
    out.push_back(float(radius * c));
    if (out.size() < n) out.push_back(float(radius * s));
  }
  return out;
}

Result<std::vector<float>> lerp(const std::vector<float>& a, const std::vector<float>& b, float t) {
  if (a.size() != b.size()) return Result<std::vector<float>>::failure(size_mismatch("interpolate", a.size(), b.size()));
  std::vector<float> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) out[i] = a[i] + t * (b[i] - a[i]);
  return Result<std::vector<float>>::success(std::move(out));
}

Result<std::vector<float>> slerp(const std::vector<float>& a, const std::vector<float>& b, float t) {
  if (a.size() != b.size()) return Result<std::vector<float>>::failure(size_mismatch("interpolate", a.size(), b.size()));
  const double norm_a = norm_of(a), norm_b = norm_of(b);
  if (norm_a == 0.0 || norm_b == 0.0) return lerp(a, b, t);  // no direction to rotate from or to
  double dot = 0.0;
  for (size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * double(b[i]);
  const double cos_omega = std::clamp(dot / (norm_a * norm_b), -1.0, 1.0);
  const double omega = std::acos(cos_omega);
  const double sin_omega = std::sin(omega);
  // (Anti)parallel: the great circle is undefined or numerically unstable, and a straight line is as good.
  if (sin_omega < 1e-6) return lerp(a, b, t);
  const double wa = std::sin((1.0 - t) * omega) / sin_omega / norm_a;
  const double wb = std::sin(t * omega) / sin_omega / norm_b;
  const double scale = (1.0 - t) * norm_a + t * norm_b;  // keep the result at the interpolated distance
  std::vector<float> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) out[i] = float(scale * (wa * a[i] + wb * b[i]));
  return Result<std::vector<float>>::success(std::move(out));
}


bool valid_truncation(float psi) { return psi > 0.0f && psi <= 1.0f; }  // false for NaN too

Result<std::vector<float>> truncate_latent(const std::vector<float>& z, float psi) {
  using R = Result<std::vector<float>>;
  if (!valid_truncation(psi)) {
    char value[32];
    std::snprintf(value, sizeof value, "%g", double(psi));
    return R::failure(std::string("truncation ") + value + " is outside (0, 1]: 1 keeps the latent as drawn, "
                      "smaller values move it toward the model's most typical pictures");
  }
  std::vector<float> out(z.size());
  for (size_t i = 0; i < z.size(); ++i) out[i] = psi * z[i];
  return R::success(std::move(out));
}

Result<std::vector<float>> latent_with_class(const std::vector<float>& z, int class_index, int classes) {
  using R = Result<std::vector<float>>;
  if (classes == 0) return R::success(z);
  if (class_index < 0 || class_index >= classes)
    return R::failure("class " + std::to_string(class_index) + " is not one of the model's " + std::to_string(classes) +
                      " classes (0 to " + std::to_string(classes - 1) + ")");
  std::vector<float> latent = z;
  latent.resize(z.size() + size_t(classes), 0.0f);
  latent[z.size() + size_t(class_index)] = 1.0f;
  return R::success(std::move(latent));
}

Result<std::vector<float>> interpolate_with_class(const std::vector<float>& a, const std::vector<float>& b, float t,
                                                  int classes) {
  using R = Result<std::vector<float>>;
  if (a.size() != b.size() || classes < 0 || size_t(classes) > a.size())
    return R::failure("cannot interpolate latents of sizes " + std::to_string(a.size()) + " and " +
                      std::to_string(b.size()) + " with " + std::to_string(classes) +
                      " classes: both must come from the same model");
  const size_t free = a.size() - size_t(classes);
  auto z = slerp({a.begin(), a.begin() + long(free)}, {b.begin(), b.begin() + long(free)}, t);
  if (!z.ok()) return z;
  auto c = lerp({a.begin() + long(free), a.end()}, {b.begin() + long(free), b.end()}, t);
  if (!c.ok()) return c;
  z.value.insert(z.value.end(), c.value.begin(), c.value.end());
  return z;
}

Result<float> coordinate_along(const std::vector<float>& z, const std::vector<float>& direction) {
  if (z.size() < direction.size())
    return Result<float>::failure("a direction of " + std::to_string(direction.size()) + " values does not fit a latent of " +
                                  std::to_string(z.size()) + ": it belongs to another model");
  double dot = 0, norm2 = 0;
  for (size_t i = 0; i < direction.size(); ++i) {
    dot += double(z[i]) * direction[i];
    norm2 += double(direction[i]) * direction[i];
  }
  return Result<float>::success(norm2 > 0 ? float(dot / std::sqrt(norm2)) : 0.0f);
}

Result<std::vector<float>> set_coordinate_along(const std::vector<float>& z, const std::vector<float>& direction,
                                                float value) {
  using R = Result<std::vector<float>>;
  auto now = coordinate_along(z, direction);
  if (!now.ok()) return R::failure(now.error);
  double norm2 = 0;
  for (float d : direction) norm2 += double(d) * d;
  std::vector<float> moved = z;
  if (norm2 == 0) return R::success(std::move(moved));
  const double step = (double(value) - now.value) / std::sqrt(norm2);
  for (size_t i = 0; i < direction.size(); ++i) moved[i] = float(moved[i] + step * direction[i]);
  return R::success(std::move(moved));
}

}  // namespace styleforge
