// Style strength and colour preservation: per-pixel arithmetic on two images of one size. Alpha is taken from
// the original in both, since models produce opaque RGB and the photo's transparency should survive.
#include "styleforge/style_ops.h"

#include <algorithm>
#include <cmath>

namespace styleforge {
namespace {

std::string check_pair(const char* operation, const Image& original, const Image& stylized) {
  auto valid = [](const Image& image) {
    return !image.empty() && image.rgba.size() == size_t(image.width) * size_t(image.height) * 4;
  };
  const std::string prefix = std::string("cannot ") + operation + ": ";
  if (!valid(original)) return prefix + "the original image is empty or its pixel buffer does not match its size";
  if (!valid(stylized)) return prefix + "the stylised image is empty or its pixel buffer does not match its size";
  if (original.width != stylized.width || original.height != stylized.height) {
    return prefix + "the original is " + std::to_string(original.width) + "x" + std::to_string(original.height) +
           " but the stylised image is " + std::to_string(stylized.width) + "x" + std::to_string(stylized.height) +
           "; both must have the same size";
  }
  return {};
}

uint8_t to_byte(float v) { return uint8_t(std::clamp(std::round(v), 0.0f, 255.0f)); }

}  // namespace

Result<Image> blend_images(const Image& original, const Image& stylized, float strength) {
  const std::string problem = check_pair("blend", original, stylized);
  if (!problem.empty()) return Result<Image>::failure(problem);
  const float s = std::isnan(strength) ? 0.0f : std::clamp(strength, 0.0f, 1.0f);
  Image out = original;
  for (size_t i = 0; i < out.rgba.size(); i += 4) {
    for (size_t c = 0; c < 3; ++c) {
      const float a = original.rgba[i + c], b = stylized.rgba[i + c];
      out.rgba[i + c] = to_byte(a + s * (b - a));
    }
  }
  return Result<Image>::success(std::move(out));
}

Result<Image> preserve_colour(const Image& original, const Image& stylized) {
  const std::string problem = check_pair("preserve colour", original, stylized);
  if (!problem.empty()) return Result<Image>::failure(problem);
  Image out = original;
  for (size_t i = 0; i < out.rgba.size(); i += 4) {
    // Full-range BT.601 (as in JPEG): Y from the stylised pixel, Cb and Cr from the original one.
    const float sr = stylized.rgba[i], sg = stylized.rgba[i + 1], sb = stylized.rgba[i + 2];
    const float r = original.rgba[i], g = original.rgba[i + 1], b = original.rgba[i + 2];
    const float y = 0.299f * sr + 0.587f * sg + 0.114f * sb;
    const float cb = -0.168736f * r - 0.331264f * g + 0.5f * b;  // centred on 0 rather than 128
    const float cr = 0.5f * r - 0.418688f * g - 0.081312f * b;
    out.rgba[i] = to_byte(y + 1.402f * cr);
    out.rgba[i + 1] = to_byte(y - 0.344136f * cb - 0.714136f * cr);
    out.rgba[i + 2] = to_byte(y + 1.772f * cb);
  }
  return Result<Image>::success(std::move(out));
}

}  // namespace styleforge
