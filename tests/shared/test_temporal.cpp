// [temporal] TemporalDenoiser: noise on a still scene is averaged away; motion and a moving camera pass unchanged.
#include <cmath>
#include <cstdint>
#include <random>

#include <catch2/catch.hpp>

#include "styleforge/temporal.h"
#include "test_support.h"

using namespace styleforge;

namespace {

uint8_t clamp_level(double v) { return uint8_t(std::lround(std::fmin(255.0, std::fmax(0.0, v)))); }

// `clean` with Gaussian noise of standard deviation `sigma` added to R, G and B.
Image noisy(const Image& clean, double sigma, std::mt19937& rng) {
  std::normal_distribution<double> noise(0.0, sigma);
  Image out = clean;
  for (size_t i = 0; i < out.rgba.size(); i += 4)
    for (size_t c = 0; c < 3; ++c) out.rgba[i + c] = clamp_level(clean.rgba[i + c] + noise(rng));
  return out;
}

// Mean absolute difference over R, G, B inside the rectangle [x0, x1) x [y0, y1).
double mean_abs(const Image& a, const Image& b, int x0 = 0, int y0 = 0, int x1 = -1, int y1 = -1) {
  if (x1 < 0) x1 = a.width;
  if (y1 < 0) y1 = a.height;
  double sum = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c) {
        const size_t i = (size_t(y) * a.width + x) * 4 + c;
        sum += std::abs(int(a.rgba[i]) - int(b.rgba[i]));
      }
  return sum / (double(x1 - x0) * (y1 - y0) * 3);
}

// The photo with a 24x24 square at (x, y) whose pixels are the photo's shifted by 128 levels (mod 256): every
// pixel's luminance differs from the photo's by at least 22 levels, whatever the photo shows there.
Image with_square(const Image& photo, int x, int y) {
  Image out = photo;
  for (int j = y; j < y + 24; ++j)
    for (int i = x; i < x + 24; ++i)
      for (int c = 0; c < 3; ++c) {
        uint8_t& v = out.rgba[(size_t(j) * out.width + i) * 4 + c];
        v = uint8_t((v + 128) & 255);
      }
  return out;
}

}  // namespace

TEST_CASE("a still scene: sensor noise is averaged away, the picture stays", "[temporal]") {
  const Image clean = test_support::small_photo(160, 90);
  std::mt19937 rng(5);
  TemporalDenoiser denoiser;
  Image previous_raw, previous_out;
  double raw_change = 0, out_change = 0, raw_error = 0, out_error = 0;
  int counted = 0;
  for (int frame = 0; frame < 40; ++frame) {
    const Image raw = noisy(clean, 3.0, rng);
    const Image out = denoiser.next(raw);
    REQUIRE(out.width == raw.width);
    REQUIRE(out.height == raw.height);
    if (frame == 0) CHECK(out.rgba == raw.rgba);  // the first frame is returned as it is
    if (frame >= 20) {  // past the running mean's warm-up
      raw_change += mean_abs(raw, previous_raw);
      out_change += mean_abs(out, previous_out);
      raw_error += mean_abs(raw, clean);
      out_error += mean_abs(out, clean);
      ++counted;
    }
    previous_raw = raw;
    previous_out = out;
  }
  raw_change /= counted;
  out_change /= counted;
  INFO("frame-to-frame change: raw " << raw_change << ", denoised " << out_change << "; error: raw "
                                     << raw_error / counted << ", denoised " << out_error / counted);
  CHECK(out_change < 0.35 * raw_change);  // x0.23 in theory, plus rounding to whole levels
  CHECK(out_error < 0.5 * raw_error);
  CHECK(denoiser.noise_floor() > 1.0f);
  CHECK(denoiser.noise_floor() < 6.0f);
}

TEST_CASE("a moving object is taken as it comes: no trail", "[temporal]") {
  const Image photo = test_support::small_photo(160, 90);
  std::mt19937 rng(6);
  TemporalDenoiser denoiser;
  for (int frame = 0; frame < 10; ++frame) denoiser.next(noisy(with_square(photo, 20, 30), 2.0, rng));
  // The square jumps 40 px right: where it was and where it is now, the output is the new frame.
  const Image moved = noisy(with_square(photo, 60, 30), 2.0, rng);
  const Image out = denoiser.next(moved);
  // Inside the old and new squares, 3 px in from their edges (the motion window's ramp).
  CHECK(mean_abs(out, moved, 23, 33, 41, 51) < 0.01);
  CHECK(mean_abs(out, moved, 63, 33, 81, 51) < 0.01);
  // Far from it, the still background keeps being smoothed.
  CHECK(mean_abs(out, moved, 120, 0, 160, 20) > 0.5);
}

TEST_CASE("a moving camera (every pixel changes) passes unchanged", "[temporal]") {
  const Image photo = test_support::small_photo(170, 90);
  auto shifted = [&](int dx) {
    Image out;
    out.width = 160;
    out.height = 90;
    out.rgba.resize(size_t(160) * 90 * 4);
    for (int y = 0; y < 90; ++y)
      for (int x = 0; x < 160; ++x)
        for (int c = 0; c < 4; ++c)
          out.rgba[(size_t(y) * 160 + x) * 4 + c] = photo.rgba[(size_t(y) * 170 + x + dx) * 4 + c];
    return out;
  };
  TemporalDenoiser denoiser;
  const Image before = shifted(0);
  denoiser.next(before);
  const Image frame = shifted(8);
  const Image out = denoiser.next(frame);
  CHECK(denoiser.noise_floor() <= 6.0f);  // the cap: the median here is motion, not noise
  // Where a panned photo is flat it barely changes, and changes within the noise floor are smoothed like noise;
  // everything else follows the camera.
  size_t far = 0;
  for (size_t i = 0; i < out.rgba.size(); i += 4)
    for (size_t c = 0; c < 3; ++c) far += std::abs(int(out.rgba[i + c]) - int(frame.rgba[i + c])) > 8;
  INFO("pan changed the frame by " << mean_abs(before, frame) << ", output vs frame " << mean_abs(out, frame)
                                   << ", noise floor " << denoiser.noise_floor() << ", values off by > 8: " << far);
  CHECK(mean_abs(out, frame) < 0.5 * denoiser.noise_floor());
  CHECK(far < out.rgba.size() / 4 * 3 / 100);  // under 1%
}

TEST_CASE("a frame of another size starts afresh", "[temporal]") {
  TemporalDenoiser denoiser;
  denoiser.next(test_support::pattern(32, 24));
  const Image other = test_support::pattern(40, 30);
  CHECK(denoiser.next(other).rgba == other.rgba);
  denoiser.reset();
  const Image again = test_support::pattern(32, 24);
  CHECK(denoiser.next(again).rgba == again.rgba);
  CHECK(denoiser.next(Image{}).empty());
}
