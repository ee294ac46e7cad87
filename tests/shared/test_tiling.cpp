// [tiling] tile plans, extraction with mirror padding, feathered blending, and seam-free tiled filtering.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "styleforge/backend.h"
#include "styleforge/tiling.h"
#include "test_support.h"

using namespace styleforge;

namespace {

TileOptions options(int max_tile, int overlap, int size_multiple) {
  TileOptions o;
  o.max_tile = max_tile;
  o.overlap = overlap;
  o.size_multiple = size_multiple;
  return o;
}

Tensor photo_tensor(int width, int height) {
  Normalization unit;  // 0..1, so "1/255" below is one 8-bit step
  return image_to_tensor(test_support::small_photo(width, height), unit);
}

Tensor run_sync(Backend& backend, const Tensor& input, const TileOptions& o) {
  Result<Tensor> out;
  int calls = 0;
  run_tiled(backend, input, o, nullptr, [&](Result<Tensor> r) {
    out = std::move(r);
    ++calls;
  });
  REQUIRE(calls == 1);
  INFO(out.error);
  REQUIRE(out.ok());
  return out.value;
}

Tensor run_direct(Backend& backend, const Tensor& input) {
  Result<Tensor> out;
  backend.run(input, [&](Result<Tensor> r) { out = std::move(r); });
  REQUIRE(out.ok());
  return out.value;
}

}  // namespace

TEST_CASE("plan_tiles uses one tile when the image fits", "[tiling]") {
  auto plan = plan_tiles(300, 200, options(512, 32, 4));
  REQUIRE(plan.ok());
  REQUIRE(plan.value.size() == 1);
  CHECK(plan.value[0].x == 0);
  CHECK(plan.value[0].y == 0);
  CHECK(plan.value[0].width == 300);
  CHECK(plan.value[0].height == 200);
}

TEST_CASE("plan_tiles covers evenly with the fewest tiles", "[tiling]") {
  const std::vector<std::pair<int, int>> sizes = {{1, 1}, {1, 700}, {513, 300}, {1000, 999}, {2049, 17}, {97, 61}};
  for (const TileOptions& o : {options(512, 32, 4), options(24, 6, 4), options(10, 1, 1), options(30, 0, 8)}) {
    const int max_side = o.max_tile / o.size_multiple * o.size_multiple;
    for (const auto& [width, height] : sizes) {
      auto plan = plan_tiles(width, height, o);
      INFO("image " << width << "x" << height << ", max_tile " << o.max_tile << ", overlap " << o.overlap);
      REQUIRE(plan.ok());
      std::vector<int> covered(size_t(width) * size_t(height), 0);
      std::vector<int> xs, ys;
      for (const TileRect& r : plan.value) {
        REQUIRE(r.width <= max_side);
        REQUIRE(r.height <= max_side);
        REQUIRE(r.x >= 0);
        REQUIRE(r.y >= 0);
        REQUIRE(r.x + r.width <= width);
        REQUIRE(r.y + r.height <= height);
        REQUIRE(r.width == plan.value[0].width);  // even: one tile size per axis
        REQUIRE(r.height == plan.value[0].height);
        for (int y = r.y; y < r.y + r.height; ++y) {
          for (int x = r.x; x < r.x + r.width; ++x) covered[size_t(y) * size_t(width) + size_t(x)] = 1;
        }
        if (std::find(xs.begin(), xs.end(), r.x) == xs.end()) xs.push_back(r.x);
        if (std::find(ys.begin(), ys.end(), r.y) == ys.end()) ys.push_back(r.y);
      }
      REQUIRE(std::count(covered.begin(), covered.end(), 0) == 0);
      REQUIRE(plan.value.size() == xs.size() * ys.size());
      // Neighbours share at least `overlap` pixels; no fewer tiles of max_side could have covered the axis.
      auto check_axis = [&](std::vector<int> starts, int tile, int length) {
        std::sort(starts.begin(), starts.end());
        for (size_t i = 1; i < starts.size(); ++i) REQUIRE(starts[i - 1] + tile - starts[i] >= o.overlap);
        const int n = int(starts.size());
        if (n > 1) REQUIRE((n - 1) * max_side - (n - 2) * o.overlap < length);
      };
      check_axis(xs, plan.value[0].width, width);
      check_axis(ys, plan.value[0].height, height);
    }
  }
}

TEST_CASE("plan_tiles refuses bad sizes and options", "[tiling]") {
  CHECK(plan_tiles(0, 10, TileOptions{}).error == "cannot tile a 0x10 image: both sides must be at least 1");
  CHECK(plan_tiles(10, -1, TileOptions{}).error == "cannot tile a 10x-1 image: both sides must be at least 1");
  CHECK(plan_tiles(10, 10, options(0, 0, 4)).error == "bad tile options: max_tile is 0; it must be at least 1");
  CHECK(plan_tiles(10, 10, options(64, -1, 4)).error == "bad tile options: overlap is -1; it must be 0 or more");
  CHECK(plan_tiles(10, 10, options(64, 8, 0)).error == "bad tile options: size_multiple is 0; it must be at least 1");
  CHECK(plan_tiles(10, 10, options(64, 32, 4)).error ==
        "bad tile options: max_tile 64 (rounded down to a multiple of 4) must exceed twice the overlap 32; lower the "
        "overlap");
  CHECK(plan_tiles(10, 10, options(66, 32, 4)).error ==
        "bad tile options: max_tile 66 (rounded down to a multiple of 4) must exceed twice the overlap 32; lower the "
        "overlap");
  CHECK(plan_tiles(10, 10, options(65, 32, 1)).ok());
}

TEST_CASE("extract_tile pads to the size multiple by mirroring at the image border", "[tiling]") {
  Tensor image;
  image.shape = {1, 2, 3, 5};
  for (int i = 0; i < 30; ++i) image.data.push_back(float(i));  // value = c*15 + y*5 + x
  auto at = [&](int c, int y, int x) { return float(c * 15 + y * 5 + x); };

  // Interior rectangle: padding comes from the real neighbouring pixels.
  const Tensor inner = extract_tile(image, TileRect{1, 0, 2, 2}, options(64, 0, 4));
  REQUIRE(inner.shape == std::vector<int64_t>{1, 2, 4, 4});
  // Columns 1,2,3,4 are real; rows 0,1,2 real, row 3 mirrors row 2 (the edge repeated).
  CHECK(inner.data[0] == at(0, 0, 1));
  CHECK(inner.data[3] == at(0, 0, 4));
  CHECK(inner.data[3 * 4 + 0] == at(0, 2, 1));
  CHECK(inner.data[16 + 2 * 4 + 1] == at(1, 2, 2));

  // Bottom-right rectangle: mirrored past the border, edge pixel repeated: x = 5, 6 -> 4, 3.
  const Tensor corner = extract_tile(image, TileRect{3, 1, 2, 2}, options(64, 0, 4));
  REQUIRE(corner.shape == std::vector<int64_t>{1, 2, 4, 4});
  const int expect_x[4] = {3, 4, 4, 3};
  const int expect_y[4] = {1, 2, 2, 1};
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 4; ++x) REQUIRE(corner.data[size_t(c * 16 + y * 4 + x)] == at(c, expect_y[y], expect_x[x]));
    }
  }
  // A 1-pixel-wide image pads by repeating its only column.
  Tensor column;
  column.shape = {1, 1, 2, 1};
  column.data = {7.0f, 9.0f};
  const Tensor padded = extract_tile(column, TileRect{0, 0, 1, 2}, options(64, 0, 4));
  REQUIRE(padded.shape == std::vector<int64_t>{1, 1, 4, 4});
  CHECK(padded.data == std::vector<float>{7, 7, 7, 7, 9, 9, 9, 9, 9, 9, 9, 9, 7, 7, 7, 7});
  // Bad rectangles give an empty tensor, which every consumer refuses.
  CHECK(extract_tile(image, TileRect{4, 0, 2, 2}, options(64, 0, 4)).shape.empty());
  CHECK(extract_tile(Tensor{}, TileRect{0, 0, 1, 1}, options(64, 0, 4)).shape.empty());
}

TEST_CASE("TileBlender ramps weights across overlaps only", "[tiling]") {
  // Two tiles side by side on a 1x20 strip sharing columns 8..11; the left one says 0, the right one says 1.
  const TileOptions o = options(12, 4, 1);
  TileBlender blender(1, 20, 1, o);
  Tensor zeros, ones;
  zeros.shape = ones.shape = {1, 1, 1, 12};
  zeros.data.assign(12, 0.0f);
  ones.data.assign(12, 1.0f);
  REQUIRE(blender.add(TileRect{0, 0, 12, 1}, zeros).ok());
  REQUIRE(blender.add(TileRect{8, 0, 12, 1}, ones).ok());
  auto out = blender.finish();
  REQUIRE(out.ok());
  REQUIRE(out.value.shape == std::vector<int64_t>{1, 1, 1, 20});
  for (int x = 0; x < 8; ++x) CHECK(out.value.data[size_t(x)] == 0.0f);
  for (int x = 12; x < 20; ++x) CHECK(out.value.data[size_t(x)] == 1.0f);
  // Inside the overlap, weights are (distance from the shared edge) / overlap: left 3/4,2/4,1/4,0, right 0,1/4,2/4,3/4.
  const float expected[4] = {0.0f, 1.0f / 3.0f, 2.0f / 3.0f, 1.0f};
  for (int i = 0; i < 4; ++i) CHECK(out.value.data[size_t(8 + i)] == Approx(expected[i]).margin(2e-3));
}

TEST_CASE("TileBlender refuses wrong tiles and incomplete coverage", "[tiling]") {
  TileBlender blender(3, 10, 10, options(8, 2, 4));
  Tensor tile;
  tile.shape = {1, 3, 8, 8};
  tile.data.assign(3 * 64, 0.5f);
  CHECK(blender.add(TileRect{4, 4, 8, 8}, tile).error == "tile blending: tile (4,4 8x8) lies outside the 10x10 image");
  Tensor small = tile;
  small.shape = {1, 3, 4, 8};
  small.data.resize(3 * 32);
  CHECK(blender.add(TileRect{0, 0, 8, 8}, small).error ==
        "tile blending: the model returned a tensor of the wrong shape for a 8x8 tile (expected {1,3,H,W} with H,W at "
        "least the tile size); check the model");
  REQUIRE(blender.add(TileRect{0, 0, 8, 8}, tile).ok());
  CHECK(blender.finish().error ==
        "tile blending: pixel (8,0) is covered by no tile; add every tile from plan_tiles first");
  CHECK(TileBlender(3, 0, 5, TileOptions{}).finish().error ==
        "tile blending: nothing to blend (the image or channel count is 0)");
}

TEST_CASE("tiled box blur over a real photo matches the untiled blur (no seams)", "[tiling]") {
  auto blur = make_box_blur_backend();
  const std::vector<std::pair<int, int>> sizes = {{160, 96}, {157, 93}, {1, 150}, {150, 1}, {61, 2}};
  for (const auto& [width, height] : sizes) {
    const Tensor input = photo_tensor(width, height);
    const Tensor reference = run_direct(*blur, input);
    for (const TileOptions& o : {options(32, 8, 4), options(24, 2, 4), options(17, 4, 1), options(512, 32, 4)}) {
      INFO("image " << width << "x" << height << ", max_tile " << o.max_tile << ", overlap " << o.overlap);
      const Tensor tiled = run_sync(*blur, input, o);
      REQUIRE(tiled.shape == input.shape);
      CHECK(test_support::max_abs_difference(tiled, reference) <= 1.0f / 255.0f);
    }
  }
}

TEST_CASE("tiled identity reproduces the image exactly", "[tiling]") {
  auto identity = make_identity_backend();
  const Tensor input = photo_tensor(130, 77);
  const Tensor tiled = run_sync(*identity, input, options(40, 6, 4));
  CHECK(test_support::max_abs_difference(tiled, input) < 1e-6f);
}
