// DiffAugment (trainer/src/data/diff_augment.h): the policies parse and refuse as documented, each transform does
// what it says on real tensors (whole-pixel shifts with zero fill, one S/2 square cut out, grey stays grey under the
// colour jitter), gradients flow through, and an image's transform depends only on its own seed.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <cstdlib>

#include "data/diff_augment.h"

// LibTorch pulls in glog, whose CHECK replaces Catch's: restore Catch's (as test_style_loss.cpp does).
#undef CHECK
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

using namespace styleforge::trainer;
using styleforge::Result;

namespace {

DiffAugmentPolicy only(const std::string& text) {
  Result<DiffAugmentPolicy> p = parse_diff_augment(text);
  REQUIRE(p.ok());
  return p.value;
}

torch::Tensor random_images(int64_t n, int64_t side) {
  torch::manual_seed(7);
  return torch::rand({n, 3, side, side}) * 2 - 1;
}

// `out` is `in` moved by whole pixels (dx, dy) with zeros where nothing moved in; returns whether one such shift
// within +-limit explains it exactly.
bool is_shift_of(const torch::Tensor& out, const torch::Tensor& in, int64_t limit, int64_t* found_dx, int64_t* found_dy) {
  const int64_t s = in.size(2);
  for (int64_t dy = -limit; dy <= limit; ++dy)
    for (int64_t dx = -limit; dx <= limit; ++dx) {
      torch::Tensor expect = torch::zeros_like(in);
      const int64_t w = s - std::abs(dx), h = s - std::abs(dy);
      expect.narrow(1, std::max<int64_t>(dy, 0), h).narrow(2, std::max<int64_t>(dx, 0), w)
          .copy_(in.narrow(1, std::max<int64_t>(-dy, 0), h).narrow(2, std::max<int64_t>(-dx, 0), w));
      if (torch::equal(out, expect)) {
        *found_dx = dx;
        *found_dy = dy;
        return true;
      }
    }
  return false;
}

}  // namespace

TEST_CASE("policies parse, print back and refuse unknown names") {
  CHECK_FALSE(only("off").any());
  CHECK_FALSE(only("").any());
  DiffAugmentPolicy all = only("colour,translation,cutout");
  CHECK((all.colour && all.translation && all.cutout));
  CHECK(only("color").colour);
  CHECK(only(all.text()).text() == "colour,translation,cutout");
  CHECK(only("cutout").text() == "cutout");
  Result<DiffAugmentPolicy> bad = parse_diff_augment("colour,blur");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error.find("'blur'") != std::string::npos);
  CHECK(bad.error.find("colour, translation, cutout") != std::string::npos);
}

TEST_CASE("no policy returns the images untouched") {
  torch::Tensor x = random_images(2, 16);
  CHECK(torch::equal(diff_augment(x, only("off"), {1, 2}), x));
}

TEST_CASE("translation moves each image by whole pixels, at most S/8, filling with 0") {
  const int64_t side = 64;
  torch::Tensor x = random_images(12, side);
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < 12; ++i) seeds.push_back(1000 + i);
  torch::Tensor y = diff_augment(x, only("translation"), seeds);
  REQUIRE(y.sizes() == x.sizes());
  int moved = 0;
  for (int64_t i = 0; i < 12; ++i) {
    int64_t dx = 0, dy = 0;
    REQUIRE(is_shift_of(y[i], x[i], side / 8, &dx, &dy));
    moved += dx != 0 || dy != 0;
  }
  CHECK(moved >= 10);  // 12 draws of 17 x 17 shifts: all but a rare one move
}

TEST_CASE("cutout zeroes one square of side S/2 (clipped at the border) in every channel") {
  const int64_t side = 32;
  torch::Tensor x = torch::ones({16, 3, side, side});
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < 16; ++i) seeds.push_back(77 + i);
  torch::Tensor y = diff_augment(x, only("cutout"), seeds);
  for (int64_t i = 0; i < 16; ++i) {
    torch::Tensor zero = y[i][0] == 0;
    CHECK(torch::equal(y[i][0], y[i][1]));
    CHECK(torch::equal(y[i][0], y[i][2]));
    torch::Tensor rows = zero.any(1).nonzero().flatten(), cols = zero.any(0).nonzero().flatten();
    REQUIRE(rows.numel() > 0);
    const int64_t h = rows.numel(), w = cols.numel();
    // One solid rectangle: its bounding box is all zero, and nothing else is.
    CHECK(rows[-1].item<int64_t>() - rows[0].item<int64_t>() + 1 == h);
    CHECK(cols[-1].item<int64_t>() - cols[0].item<int64_t>() + 1 == w);
    CHECK(zero.sum().item<int64_t>() == h * w);
    CHECK((h <= side / 2 && w <= side / 2 && h >= side / 4 && w >= side / 4));
  }
}

TEST_CASE("colour jitter changes brightness and contrast but keeps grey images grey") {
  torch::Tensor grey = random_images(4, 16).narrow(1, 0, 1).expand({4, 3, 16, 16}).contiguous();
  torch::Tensor y = diff_augment(grey, only("colour"), {5, 6, 7, 8});
  CHECK(torch::allclose(y.select(1, 0), y.select(1, 1), 1e-5, 1e-6));
  CHECK(torch::allclose(y.select(1, 0), y.select(1, 2), 1e-5, 1e-6));
  CHECK((y - grey).abs().mean().item<double>() > 0.05);
  torch::Tensor colour = random_images(4, 16);
  torch::Tensor c = diff_augment(colour, only("colour"), {5, 6, 7, 8});
  CHECK((c - colour).abs().mean().item<double>() > 0.05);
}

TEST_CASE("gradients reach the input through every policy") {
  torch::Tensor x = random_images(3, 32).requires_grad_(true);
  torch::Tensor y = diff_augment(x, only("colour,translation,cutout"), {11, 12, 13});
  (y * y).sum().backward();
  REQUIRE(x.grad().defined());
  CHECK(torch::isfinite(x.grad()).all().item<bool>());
  CHECK(x.grad().abs().sum().item<double>() > 0);
  // Without the colour jitter (whose image means spread every pixel's gradient), the pixels cut out or moved off
  // get none, and the others get it unchanged.
  torch::Tensor z = random_images(3, 32).requires_grad_(true);
  diff_augment(z, only("translation,cutout"), {11, 12, 13}).sum().backward();
  CHECK((z.grad() == 0).any().item<bool>());
  CHECK(((z.grad() == 0) | (z.grad() == 1)).all().item<bool>());
  CHECK((z.grad() == 1).sum().item<int64_t>() > z.numel() / 2);
}

TEST_CASE("an image's transform depends only on its own seed: same seed, same result; batch = images alone") {
  DiffAugmentPolicy all = only("colour,translation,cutout");
  torch::Tensor x = random_images(2, 32);
  torch::Tensor both = diff_augment(x, all, {21, 22});
  CHECK(torch::equal(both, diff_augment(x, all, {21, 22})));
  CHECK(torch::allclose(both[0], diff_augment(x.narrow(0, 0, 1), all, {21})[0]));
  CHECK(torch::allclose(both[1], diff_augment(x.narrow(0, 1, 1), all, {22})[0]));
  CHECK_FALSE(torch::allclose(both[0], diff_augment(x.narrow(0, 0, 1), all, {23})[0]));
}
