#include "styleforge/temporal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace styleforge {

void TemporalDenoiser::reset() {
  previous_ = Image{};
  mean_.clear();
  floor_ = 0;
}

Image TemporalDenoiser::next(const Image& frame) {
  const int w = frame.width, h = frame.height;
  const size_t pixels = size_t(w) * size_t(h);
  if (frame.empty() || frame.rgba.size() != pixels * 4) return frame;
  if (previous_.width != w || previous_.height != h || mean_.size() != pixels * 3) {
    mean_.resize(pixels * 3);
    for (size_t i = 0; i < pixels; ++i)
      for (size_t c = 0; c < 3; ++c) mean_[i * 3 + c] = frame.rgba[i * 4 + c];
    previous_ = frame;
    floor_ = 0;
    return frame;
  }
  // Change per pixel (mean absolute change of R, G and B: a change of colour at equal brightness counts too),
  // summed over the window through a summed-area table.
  std::vector<double> table(size_t(w + 1) * size_t(h + 1), 0.0);
  for (int y = 0; y < h; ++y) {
    double row = 0;
    for (int x = 0; x < w; ++x) {
      const size_t i = (size_t(y) * w + x) * 4;
      const auto d = [&](size_t c) { return std::abs(int(frame.rgba[i + c]) - int(previous_.rgba[i + c])); };
      row += double(d(0) + d(1) + d(2)) / 3.0;
      table[size_t(y + 1) * (w + 1) + x + 1] = table[size_t(y) * (w + 1) + x + 1] + row;
    }
  }
  const int r = std::max(0, options_.radius);
  std::vector<float> motion(pixels);
  std::vector<uint32_t> histogram(1024, 0);  // quarter levels, 0..255.75
  for (int y = 0; y < h; ++y) {
    const int y0 = std::max(0, y - r), y1 = std::min(h, y + r + 1);
    for (int x = 0; x < w; ++x) {
      const int x0 = std::max(0, x - r), x1 = std::min(w, x + r + 1);
      const double sum = table[size_t(y1) * (w + 1) + x1] - table[size_t(y0) * (w + 1) + x1] -
                         table[size_t(y1) * (w + 1) + x0] + table[size_t(y0) * (w + 1) + x0];
      const float m = float(sum / double((y1 - y0) * (x1 - x0)));
      motion[size_t(y) * w + x] = m;
      histogram[std::min<size_t>(histogram.size() - 1, size_t(m * 4))]++;
    }
  }
  size_t seen = 0, bin = 0;
  while (bin + 1 < histogram.size() && seen + histogram[bin] < pixels / 2) seen += histogram[bin++];
  floor_ = std::min(options_.max_floor, 1.5f * (float(bin) + 0.5f) / 4.0f + 0.5f);
  const float still = std::clamp(options_.still_weight, 0.001f, 1.0f);
  const float span = std::max(0.001f, options_.motion_span);
  Image out = frame;
  for (size_t i = 0; i < pixels; ++i) {
    const float weight = std::clamp(still + (motion[i] - floor_) / span * (1 - still), still, 1.0f);
    for (size_t c = 0; c < 3; ++c) {
      float& mean = mean_[i * 3 + c];
      mean += weight * (float(frame.rgba[i * 4 + c]) - mean);
      out.rgba[i * 4 + c] = uint8_t(std::lround(std::clamp(mean, 0.0f, 255.0f)));
    }
  }
  previous_ = frame;
  return out;
}

}  // namespace styleforge
