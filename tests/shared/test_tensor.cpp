// [tensor] RGBA8 <-> planar float conversion with normalisation, rounding and clamping.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "styleforge/tensor.h"
#include "test_support.h"

using namespace styleforge;

namespace {

Normalization johnson() {  // x = p: what the style networks take
  Normalization n;
  n.scale = 1.0f;
  return n;
}
Normalization tanh_range() {  // x = (p / 255 - 0.5) / 0.5: what tanh generators produce
  Normalization n;
  n.mean = {0.5f, 0.5f, 0.5f};
  n.std = {0.5f, 0.5f, 0.5f};
  return n;
}
Normalization imagenet() {
  Normalization n;
  n.mean = {0.485f, 0.456f, 0.406f};
  n.std = {0.229f, 0.224f, 0.225f};
  return n;
}

// Every value 0..255 in every channel, in different orders per channel.
Image all_values() {
  Image image;
  image.width = 16;
  image.height = 16;
  image.rgba.resize(256 * 4);
  for (size_t i = 0; i < 256; ++i) {
    image.rgba[i * 4 + 0] = uint8_t(i);
    image.rgba[i * 4 + 1] = uint8_t(255 - i);
    image.rgba[i * 4 + 2] = uint8_t(i * 37);  // 37 is odd: a permutation of 0..255
    image.rgba[i * 4 + 3] = uint8_t(i / 2);
  }
  return image;
}

}  // namespace

TEST_CASE("Tensor shape helpers", "[tensor]") {
  Tensor image_tensor;
  image_tensor.shape = {1, 3, 5, 7};
  CHECK(image_tensor.element_count() == 105);
  CHECK(image_tensor.channels() == 3);
  CHECK(image_tensor.height() == 5);
  CHECK(image_tensor.width() == 7);
  Tensor latent;
  latent.shape = {1, 100};
  CHECK(latent.element_count() == 100);
  CHECK(latent.channels() == 0);
  CHECK(latent.width() == 0);
  CHECK(Tensor{}.element_count() == 0);
}

TEST_CASE("image_to_tensor writes planar NCHW and applies the normalisation", "[tensor]") {
  const Image image = test_support::pattern(5, 3);
  const Tensor t = image_to_tensor(image, johnson());
  REQUIRE(t.shape == std::vector<int64_t>{1, 3, 3, 5});
  REQUIRE(t.data.size() == 45);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 3; ++y) {
      for (int x = 0; x < 5; ++x) {
        REQUIRE(t.data[size_t(c * 15 + y * 5 + x)] == float(image.rgba[size_t((y * 5 + x) * 4 + c)]));
      }
    }
  }
  Image extremes;
  extremes.width = 2;
  extremes.height = 1;
  extremes.rgba = {0, 0, 0, 255, 255, 255, 255, 255};
  const Tensor tanh_tensor = image_to_tensor(extremes, tanh_range());
  for (int c = 0; c < 3; ++c) {
    CHECK(tanh_tensor.data[size_t(c * 2)] == Approx(-1.0f));
    CHECK(tanh_tensor.data[size_t(c * 2 + 1)] == Approx(1.0f));
  }
  const Tensor in = image_to_tensor(extremes, imagenet());
  CHECK(in.data[1] == Approx((1.0f - 0.485f) / 0.229f));  // red channel, white pixel
  CHECK(in.data[4] == Approx(-0.406f / 0.225f));          // blue channel, black pixel
}

TEST_CASE("image_to_tensor on an empty image gives an empty tensor", "[tensor]") {
  const Tensor t = image_to_tensor(Image{}, johnson());
  CHECK(t.shape == std::vector<int64_t>{1, 3, 0, 0});
  CHECK(t.data.empty());
  Image broken = test_support::pattern(4, 4);
  broken.rgba.pop_back();
  CHECK(image_to_tensor(broken, johnson()).data.empty());
}

TEST_CASE("normalisation round trips are exact for every 8-bit value", "[tensor]") {
  const Image image = all_values();
  for (const Normalization& norm : {johnson(), tanh_range(), imagenet(), Normalization{}}) {
    auto back = tensor_to_image(image_to_tensor(image, norm), norm);
    REQUIRE(back.ok());
    REQUIRE(back.value.width == 16);
    for (size_t i = 0; i < image.rgba.size(); ++i) {
      // Alpha is dropped on the way in and comes back opaque.
      REQUIRE(int(back.value.rgba[i]) == (i % 4 == 3 ? 255 : int(image.rgba[i])));
    }
  }
}

TEST_CASE("tensor_to_image rounds and clamps", "[tensor]") {
  Tensor t;
  t.shape = {1, 3, 1, 6};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> row = {-20.0f, 1.4f, 1.6f, 254.5f, 300.0f, nan};
  const std::vector<uint8_t> expected = {0, 1, 2, 255, 255, 0};
  for (int c = 0; c < 3; ++c) t.data.insert(t.data.end(), row.begin(), row.end());
  t.data[12] = inf;  // blue, first pixel
  auto image = tensor_to_image(t, johnson());
  REQUIRE(image.ok());
  for (size_t x = 0; x < 6; ++x) {
    CHECK(image.value.rgba[x * 4] == expected[x]);
    CHECK(image.value.rgba[x * 4 + 1] == expected[x]);
    CHECK(image.value.rgba[x * 4 + 3] == 255);
  }
  CHECK(image.value.rgba[2] == 255);
  // tanh output -1..1 maps to 0..255.
  Tensor tanh_tensor;
  tanh_tensor.shape = {1, 3, 1, 1};
  tanh_tensor.data = {-1.0f, 0.2f, 1.0f};
  auto tanh_image = tensor_to_image(tanh_tensor, tanh_range());
  REQUIRE(tanh_image.ok());
  CHECK(int(tanh_image.value.rgba[0]) == 0);
  CHECK(int(tanh_image.value.rgba[1]) == 153);  // (0.2 * 0.5 + 0.5) * 255
  CHECK(int(tanh_image.value.rgba[2]) == 255);
}

TEST_CASE("tensor_to_image refuses bad tensors and normalisations", "[tensor]") {
  Tensor four_channels;
  four_channels.shape = {1, 4, 2, 2};
  four_channels.data.resize(16);
  CHECK(tensor_to_image(four_channels, johnson()).error ==
        "cannot make an image from a tensor of shape {1,4,2,2}: expected {1,3,H,W} with H and W at least 1; check "
        "the model's output");
  Tensor latent;
  latent.shape = {1, 100};
  latent.data.resize(100);
  CHECK(tensor_to_image(latent, johnson()).error ==
        "cannot make an image from a tensor of shape {1,100}: expected {1,3,H,W} with H and W at least 1; check the "
        "model's output");
  Tensor short_data;
  short_data.shape = {1, 3, 2, 2};
  short_data.data.resize(11);
  CHECK(tensor_to_image(short_data, johnson()).error ==
        "cannot make an image: the tensor holds 11 values but its shape needs 12");
  short_data.data.resize(12);
  Normalization zero_std = johnson();
  zero_std.std[1] = 0.0f;
  CHECK(tensor_to_image(short_data, zero_std).error ==
        "cannot make an image: the normalization has a scale or std of 0, which cannot be inverted; fix the model's "
        "manifest entry");
  Normalization zero_scale = johnson();
  zero_scale.scale = 0.0f;
  CHECK(tensor_to_image(short_data, zero_scale).error == tensor_to_image(short_data, zero_std).error);
}

// Issue 14's fuzz finding; the model-supplied shapes are kept in tests/fuzz/corpus/tensor.
TEST_CASE("element_count refuses shapes whose product overflows or that have negative dimensions", "[tensor]") {
  Tensor huge;
  const auto shape = test_support::corpus_numbers("tensor", "output_shape_2_40.txt", "shape", 4);
  huge.shape = shape;
  // 3 * 2^80 once wrapped to 0, so an empty buffer passed as holding the whole output.
  CHECK(huge.element_count() == -1);
  CHECK(huge.height() == 0);  // 2^40 is no int
  CHECK(huge.width() == 0);
  CHECK(tensor_to_image(huge, johnson()).error ==
        "cannot make an image from a tensor of shape {1,3,1099511627776,1099511627776}: no image has sides that "
        "long; check the model's output");
  Tensor cubed;  // every dimension fits in an int, the product does not fit in int64
  cubed.shape = test_support::corpus_numbers("tensor", "output_shape_int_max_cubed.txt", "shape", 4);
  CHECK(cubed.element_count() == -1);
  CHECK(cubed.channels() == 2147483647);
  Tensor negative;
  negative.shape = {1, 3, -2, -2};  // the product would be positive
  CHECK(negative.element_count() == -1);
  CHECK(negative.height() == 0);
  negative.shape = {1, -3};
  CHECK(negative.element_count() == -1);
  Tensor empty_dimension;
  empty_dimension.shape = {1, 3, 0, 1099511627776};
  CHECK(empty_dimension.element_count() == 0);
  Tensor largest;
  largest.shape = {1, 1, 3037000499, 3037000499};  // just under 2^63
  CHECK(largest.element_count() == int64_t(3037000499) * 3037000499);
}

// Found by tests/fuzz's tensor target: the product was checked for overflow dimension by dimension, so a shape whose
// first dimensions overflow int64 before a 0 comes gave -1, not 0; the answer depended on the order of dimensions.
TEST_CASE("element_count is 0 for any shape with a 0 dimension, whatever comes before it", "[tensor]") {
  Tensor zero_last;
  zero_last.shape = test_support::corpus_numbers("tensor", "output_shape_zero_after_overflow.txt", "shape", 4);
  CHECK(zero_last.element_count() == 0);
  Tensor zero_first;
  zero_first.shape = {0, 4294967296, 4294967296, 1};
  CHECK(zero_first.element_count() == 0);
  Tensor negative_after_zero;  // a negative dimension still makes the shape invalid
  negative_after_zero.shape = {1, 0, 4294967296, -1};
  CHECK(negative_after_zero.element_count() == -1);
  CHECK(tensor_to_image(zero_last, Normalization{}).error ==
        "cannot make an image from a tensor of shape {1,4294967296,4294967296,0}: expected {1,3,H,W} with H and W at "
        "least 1; check the model's output");
}
