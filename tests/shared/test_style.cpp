// [style] style strength blending and colour preservation.
#include <cmath>

#include <catch2/catch.hpp>

#include "styleforge/style_ops.h"
#include "test_support.h"

using namespace styleforge;

namespace {

Image solid(int width, int height, uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
  Image image;
  image.width = width;
  image.height = height;
  image.rgba.resize(size_t(width) * size_t(height) * 4);
  for (size_t i = 0; i < image.rgba.size(); i += 4) {
    image.rgba[i] = r;
    image.rgba[i + 1] = g;
    image.rgba[i + 2] = b;
    image.rgba[i + 3] = a;
  }
  return image;
}

// Independent full-range BT.601 conversion, in double.
void ycbcr(const uint8_t* p, double& y, double& cb, double& cr) {
  y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
  cb = 128.0 + (p[2] - y) / 1.772;
  cr = 128.0 + (p[0] - y) / 1.402;
}

}  // namespace

TEST_CASE("blend_images mixes by strength and keeps the original alpha", "[style]") {
  const Image original = solid(3, 2, 0, 100, 200, 77);
  const Image stylized = solid(3, 2, 255, 50, 0);
  CHECK(blend_images(original, stylized, 0.0f).value.rgba == original.rgba);
  auto full = blend_images(original, stylized, 1.0f);
  REQUIRE(full.ok());
  CHECK(full.value.rgba == solid(3, 2, 255, 50, 0, 77).rgba);
  auto half = blend_images(original, stylized, 0.5f);
  REQUIRE(half.ok());
  CHECK(half.value.rgba == solid(3, 2, 128, 75, 100, 77).rgba);  // 127.5 rounds up
  // Out-of-range strengths are clamped, NaN counts as 0.
  CHECK(blend_images(original, stylized, 3.0f).value.rgba == full.value.rgba);
  CHECK(blend_images(original, stylized, -1.0f).value.rgba == original.rgba);
  CHECK(blend_images(original, stylized, std::nanf("")).value.rgba == original.rgba);
  // On a photo, strength moves each pixel monotonically from one image to the other.
  const Image photo = test_support::small_photo(40, 30);
  const Image inverted = [&] {
    Image copy = photo;
    for (size_t i = 0; i < copy.rgba.size(); ++i) {
      if (i % 4 != 3) copy.rgba[i] = uint8_t(255 - copy.rgba[i]);
    }
    return copy;
  }();
  auto quarter = blend_images(photo, inverted, 0.25f);
  REQUIRE(quarter.ok());
  for (size_t i = 0; i < photo.rgba.size(); ++i) {
    if (i % 4 == 3) continue;
    const float expected = photo.rgba[i] + 0.25f * (float(inverted.rgba[i]) - float(photo.rgba[i]));
    REQUIRE(std::abs(float(quarter.value.rgba[i]) - expected) <= 0.5f);
  }
}

TEST_CASE("blend_images refuses mismatched or empty images", "[style]") {
  CHECK(blend_images(solid(3, 2, 0, 0, 0), solid(2, 3, 0, 0, 0), 0.5f).error ==
        "cannot blend: the original is 3x2 but the stylised image is 2x3; both must have the same size");
  CHECK(blend_images(Image{}, solid(2, 3, 0, 0, 0), 0.5f).error ==
        "cannot blend: the original image is empty or its pixel buffer does not match its size");
  Image broken = solid(2, 3, 0, 0, 0);
  broken.rgba.resize(5);
  CHECK(blend_images(solid(2, 3, 0, 0, 0), broken, 0.5f).error ==
        "cannot blend: the stylised image is empty or its pixel buffer does not match its size");
}

TEST_CASE("preserve_colour takes luminance from the stylised image and chroma from the original", "[style]") {
  const Image original = test_support::small_photo(48, 32);
  // A stylised image that changes brightness but not colour: a horizontal grey ramp.
  Image stylized = original;
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 48; ++x) {
      uint8_t* p = &stylized.rgba[size_t(y * 48 + x) * 4];
      p[0] = p[1] = p[2] = uint8_t(60 + x * 3);
    }
  }
  auto out = preserve_colour(original, stylized);
  REQUIRE(out.ok());
  int checked = 0;
  for (size_t i = 0; i < original.rgba.size(); i += 4) {
    double y_out, cb_out, cr_out, y_style, cb_style, cr_style, y_orig, cb_orig, cr_orig;
    ycbcr(&out.value.rgba[i], y_out, cb_out, cr_out);
    ycbcr(&stylized.rgba[i], y_style, cb_style, cr_style);
    ycbcr(&original.rgba[i], y_orig, cb_orig, cr_orig);
    CHECK(out.value.rgba[i + 3] == original.rgba[i + 3]);
    REQUIRE(std::abs(y_out - y_style) <= 1.0);
    // Chroma survives unless the result had to be clamped to 0..255 (a saturated colour at extreme brightness).
    const bool clamped = [&] {
      for (int c = 0; c < 3; ++c) {
        if (out.value.rgba[i + size_t(c)] == 0 || out.value.rgba[i + size_t(c)] == 255) return true;
      }
      return false;
    }();
    if (!clamped) {
      REQUIRE(std::abs(cb_out - cb_orig) <= 1.5);
      REQUIRE(std::abs(cr_out - cr_orig) <= 1.5);
      ++checked;
    }
  }
  CHECK(checked > 48 * 32 / 2);
  // Grey original: no chroma, so the result is the stylised luminance as grey.
  auto grey = preserve_colour(solid(2, 2, 90, 90, 90), solid(2, 2, 200, 100, 0));
  REQUIRE(grey.ok());
  const uint8_t luma = uint8_t(std::lround(0.299 * 200 + 0.587 * 100));
  CHECK(grey.value.rgba == solid(2, 2, luma, luma, luma).rgba);
  // The same image on both sides comes back unchanged (within rounding).
  auto same = preserve_colour(original, original);
  REQUIRE(same.ok());
  for (size_t i = 0; i < original.rgba.size(); ++i) REQUIRE(std::abs(int(same.value.rgba[i]) - int(original.rgba[i])) <= 1);
}

TEST_CASE("preserve_colour refuses mismatched images", "[style]") {
  CHECK(preserve_colour(solid(4, 4, 0, 0, 0), solid(4, 5, 0, 0, 0)).error ==
        "cannot preserve colour: the original is 4x4 but the stylised image is 4x5; both must have the same size");
  CHECK(preserve_colour(solid(4, 4, 0, 0, 0), Image{}).error ==
        "cannot preserve colour: the stylised image is empty or its pixel buffer does not match its size");
}
