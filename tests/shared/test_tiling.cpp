// [tiling] tile plans (aligned to the size multiple), extraction with mirror padding, blending with a zero-weight
// margin, and tiled runs that reproduce the untiled run: box blur, a phase-dependent (strided) model, and a model
// that disturbs its own border pixels.
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
  INFO(out.error);
  REQUIRE(out.ok());
  return out.value;
}

Tensor crop(const Tensor& t, int x0, int y0, int width, int height) {
  Tensor out;
  out.shape = t.shape;
  out.shape[2] = height;
  out.shape[3] = width;
  for (int c = 0; c < t.channels(); ++c) {
    for (int y = y0; y < y0 + height; ++y) {
      for (int x = x0; x < x0 + width; ++x) {
        out.data.push_back(t.data[(size_t(c) * size_t(t.height()) + size_t(y)) * size_t(t.width()) + size_t(x)]);
      }
    }
  }
  return out;
}

// The reference a tiled run must reproduce: the model on the whole image padded once to the size multiple, cropped.
Tensor run_untiled(Backend& backend, const Tensor& input, const TileOptions& o) {
  const Tensor padded = extract_tile(input, TileRect{0, 0, input.width(), input.height()}, o);
  return crop(run_direct(backend, padded), 0, 0, input.width(), input.height());
}

int round_up(int v, int multiple) { return (v + multiple - 1) / multiple * multiple; }

int distinct(const std::vector<TileRect>& tiles, int TileRect::*field) {
  std::vector<int> values;
  for (const TileRect& r : tiles) values.push_back(r.*field);
  std::sort(values.begin(), values.end());
  return int(std::unique(values.begin(), values.end()) - values.begin());
}

Status check_image(const Tensor& t) {
  if (t.shape.size() != 4 || t.shape[0] != 1 || t.channels() <= 0 || t.height() <= 0 || t.width() <= 0 ||
      int64_t(t.data.size()) != t.element_count()) {
    return Status::failure("expected an image tensor {1,C,H,W}");
  }
  return Status::success();
}

// 2x2 average pooling followed by nearest 2x upsampling: the smallest model whose output depends on the phase of a
// pixel relative to the tile origin, like a Johnson net's stride-2 convolutions. Refuses odd sizes, as a strided
// model would.
class PoolUpBackend final : public Backend {
 public:
  std::string name() const override { return "pool-up"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override {
    const Status ok = check_image(input);
    if (!ok.ok()) return done(Result<Tensor>::failure(ok.error));
    const int height = input.height(), width = input.width();
    if (height % 2 != 0 || width % 2 != 0) {
      return done(Result<Tensor>::failure("pool-up: " + std::to_string(width) + "x" + std::to_string(height) +
                                          " is not a multiple of 2"));
    }
    Tensor out = input;
    for (int c = 0; c < input.channels(); ++c) {
      float* plane = out.data.data() + size_t(c) * size_t(height) * size_t(width);
      for (int y = 0; y < height; y += 2) {
        for (int x = 0; x < width; x += 2) {
          float* p = plane + size_t(y) * size_t(width) + size_t(x);
          const float mean = (p[0] + p[1] + p[width] + p[width + 1]) / 4.0f;
          p[0] = p[1] = p[width] = p[width + 1] = mean;
        }
      }
    }
    done(Result<Tensor>::success(std::move(out)));
  }
};

// Returns its input with a frame `frame` pixels wide set to 0: a model whose own border handling disturbs the
// pixels at every tile edge.
class EdgeArtefactBackend final : public Backend {
 public:
  explicit EdgeArtefactBackend(int frame) : frame_(frame) {}
  std::string name() const override { return "edge-artefact"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override {
    const Status ok = check_image(input);
    if (!ok.ok()) return done(Result<Tensor>::failure(ok.error));
    const int height = input.height(), width = input.width();
    Tensor out = input;
    for (int c = 0; c < input.channels(); ++c) {
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
          if (x < frame_ || y < frame_ || x >= width - frame_ || y >= height - frame_) {
            out.data[(size_t(c) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)] = 0.0f;
          }
        }
      }
    }
    done(Result<Tensor>::success(std::move(out)));
  }

 private:
  int frame_;
};

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

TEST_CASE("plan_tiles pads to the size multiple before deciding that one tile fits", "[tiling]") {
  // 510 fits a max_tile of 510 but, padded to 512, not the 508 a multiple of 4 allows.
  CHECK(plan_tiles(508, 100, options(510, 32, 4)).value.size() == 1);
  CHECK(plan_tiles(510, 100, options(510, 32, 4)).value.size() == 2);
}

TEST_CASE("plan_tiles aligns tiles to the size multiple and covers with the fewest", "[tiling]") {
  const std::vector<std::pair<int, int>> sizes = {{1, 1},    {1, 700}, {513, 300}, {1000, 999},
                                                  {2049, 17}, {97, 61}, {3, 45},    {157, 93}};
  for (const TileOptions& o : {options(512, 32, 4), options(24, 6, 4), options(10, 1, 1), options(30, 0, 8),
                               options(100, 20, 16), options(9, 2, 3)}) {
    const int m = o.size_multiple;
    const int max_side = o.max_tile / m * m;
    const int longest_step = (max_side - o.overlap) / m * m;
    for (const auto& [width, height] : sizes) {
      auto plan = plan_tiles(width, height, o);
      INFO("image " << width << "x" << height << ", max_tile " << o.max_tile << ", overlap " << o.overlap
                    << ", multiple " << m);
      REQUIRE(plan.ok());
      Tensor image;
      image.shape = std::vector<int64_t>{1, 1, height, width};  // a braced list: GCC 12 false -Wnonnull warning
      image.data.assign(size_t(width) * size_t(height), 0.0f);
      std::vector<int> covered(size_t(width) * size_t(height), 0);
      for (const TileRect& r : plan.value) {
        INFO("tile " << r.x << "," << r.y << " " << r.width << "x" << r.height);
        REQUIRE(r.x % m == 0);
        REQUIRE(r.y % m == 0);
        REQUIRE(r.x >= 0);
        REQUIRE(r.y >= 0);
        REQUIRE(r.x + r.width <= width);
        REQUIRE(r.y + r.height <= height);
        // What the model gets: a multiple on both sides, never above max_tile.
        const Tensor tile = extract_tile(image, r, o);
        REQUIRE(tile.shape.size() == 4);
        REQUIRE(tile.width() % m == 0);
        REQUIRE(tile.height() % m == 0);
        REQUIRE(tile.width() <= max_side);
        REQUIRE(tile.height() <= max_side);
        // Tiles short of the right/bottom border are whole multiples; those on it end where the padded image does.
        if (r.x + r.width < width) REQUIRE(r.width % m == 0);
        if (r.x + r.width == width) REQUIRE(r.x + tile.width() == round_up(width, m));
        if (r.y + r.height < height) REQUIRE(r.height % m == 0);
        if (r.y + r.height == height) REQUIRE(r.y + tile.height() == round_up(height, m));
        for (int y = r.y; y < r.y + r.height; ++y) {
          for (int x = r.x; x < r.x + r.width; ++x) covered[size_t(y) * size_t(width) + size_t(x)] = 1;
        }
      }
      REQUIRE(std::count(covered.begin(), covered.end(), 0) == 0);
      REQUIRE(int(plan.value.size()) == distinct(plan.value, &TileRect::x) * distinct(plan.value, &TileRect::y));
      // Neighbours share at least `overlap` pixels of the padded image; n tiles are needed because n - 1 tiles of
      // max_side, advancing by the longest aligned step that keeps the overlap, fall short of its end.
      auto check_axis = [&](int TileRect::*start, int TileRect::*size, int length) {
        std::vector<std::pair<int, int>> spans;  // (start, padded size)
        for (const TileRect& r : plan.value) spans.push_back({r.*start, round_up(r.*size, m)});
        std::sort(spans.begin(), spans.end());
        spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
        for (size_t i = 1; i < spans.size(); ++i) {
          REQUIRE(spans[i - 1].first + spans[i - 1].second - spans[i].first >= o.overlap);
        }
        const int n = int(spans.size());
        if (n > 1) {
          REQUIRE((n - 2) * longest_step + max_side < round_up(length, m));
          // And the tiles are as small as n tiles allow: one multiple less and they would not reach the end.
          const int smaller = spans[0].second - m;
          const int smaller_step = (smaller - o.overlap) / m * m;
          REQUIRE((smaller < o.overlap + m || (n - 1) * smaller_step + smaller < round_up(length, m)));
        }
      };
      check_axis(&TileRect::x, &TileRect::width, width);
      check_axis(&TileRect::y, &TileRect::height, height);
    }
  }
}

TEST_CASE("plan_tiles refuses bad sizes and options", "[tiling]") {
  CHECK(plan_tiles(0, 10, TileOptions{}).error == "cannot tile a 0x10 image: both sides must be at least 1");
  CHECK(plan_tiles(10, -1, TileOptions{}).error == "cannot tile a 10x-1 image: both sides must be at least 1");
  CHECK(plan_tiles(10, 10, options(0, 0, 4)).error == "bad tile options: max_tile is 0; it must be at least 1");
  CHECK(plan_tiles(10, 10, options(64, -1, 4)).error == "bad tile options: overlap is -1; it must be 0 or more");
  CHECK(plan_tiles(10, 10, options(64, 8, 0)).error ==
        "bad tile options: size_multiple is 0; it must be between 1 and 4096");
  CHECK(plan_tiles(10, 10, options(2147483647, 8, 2147483647)).error ==
        "bad tile options: size_multiple is 2147483647; it must be between 1 and 4096");
  CHECK(plan_tiles(10, 10, options(64, 32, 4)).error ==
        "bad tile options: max_tile 64 (rounded down to a multiple of 4) must exceed twice the overlap 32; lower the "
        "overlap");
  CHECK(plan_tiles(10, 10, options(66, 32, 4)).error ==
        "bad tile options: max_tile 66 (rounded down to a multiple of 4) must exceed twice the overlap 32; lower the "
        "overlap");
  CHECK(plan_tiles(10, 10, options(65, 32, 1)).ok());
  CHECK(plan_tiles(10, 10, options(3, 0, 4)).error ==
        "bad tile options: max_tile 3 is smaller than the size multiple 4 the model needs; raise max_tile to at "
        "least 4");
  CHECK(plan_tiles(10, 10, options(7, 1, 4)).error ==
        "bad tile options: max_tile 7 leaves no room for an overlap of 1: tiles start at multiples of 4, so "
        "overlapping tiles must be at least 5 long; raise max_tile or set the overlap to 0");
  CHECK(plan_tiles(10, 10, options(7, 0, 4)).ok());
  CHECK(plan_tiles(2147483647, 10, options(1 << 30, 32, 4)).error ==
        "cannot tile a 2147483647x10 image: sides above 1073741824 pixels are not supported");
  // The largest sides plan quickly and stay aligned, even with huge tiles.
  auto huge = plan_tiles(1 << 30, 3, options(600000000, 32, 7));
  REQUIRE(huge.ok());
  REQUIRE(huge.value.size() == 2);
  CHECK(huge.value[1].x % 7 == 0);
  CHECK(huge.value[1].x + huge.value[1].width == 1 << 30);
  // A plan of more than 2^20 tiles is refused before any list is built (2^30 px sides in 8 px tiles would be
  // ~3 x 10^16 rectangles); 1024 x 1024 tiles is the most allowed.
  CHECK(plan_tiles(1 << 30, 1 << 30, options(8, 2, 1)).error ==
        "a 1073741824x1073741824 image in tiles of at most 8 px would take 32025597469494841 tiles, more than 1048576; "
        "raise max_tile or use a smaller image");
  auto most = plan_tiles(1024 * 64, 1024 * 64, options(64, 0, 1));
  REQUIRE(most.ok());
  CHECK(most.value.size() == 1024 * 1024);
  CHECK_FALSE(plan_tiles(1024 * 64 + 1, 1024 * 64, options(64, 0, 1)).ok());
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
  // An aligned edge tile (as plan_tiles makes them) is exactly a piece of the whole image padded once.
  const TileOptions two = options(64, 0, 2);
  const Tensor whole = extract_tile(image, TileRect{0, 0, 5, 3}, two);
  REQUIRE(whole.shape == std::vector<int64_t>{1, 2, 4, 6});
  const Tensor edge = extract_tile(image, TileRect{2, 2, 3, 1}, two);
  REQUIRE(edge.shape == std::vector<int64_t>{1, 2, 2, 4});
  CHECK(edge.data == crop(whole, 2, 2, 4, 2).data);
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
  CHECK(extract_tile(image, TileRect{0, 0, 1, 1}, options(64, 0, 1 << 20)).shape.empty());
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
  // Overlap 4: a margin of 1 pixel at each shared edge gets weight 0, then the weight ramps 1/3, 2/3, 1.
  // Left tile over columns 8..11: 1, 2/3, 1/3, 0; right tile: 0, 1/3, 2/3, 1.
  const float expected[4] = {0.0f, 1.0f / 3.0f, 2.0f / 3.0f, 1.0f};
  for (int i = 0; i < 4; ++i) CHECK(out.value.data[size_t(8 + i)] == Approx(expected[i]).margin(1e-6));

  // Overlap 8 (margin 2): the two outermost pixels of each shared side do not count at all.
  TileBlender wide(1, 40, 1, options(24, 8, 1));
  Tensor left, right;
  left.shape = right.shape = {1, 1, 1, 24};
  left.data.assign(24, 0.0f);
  right.data.assign(24, 1.0f);
  left.data[22] = left.data[23] = 100.0f;  // disturbed pixels at the left tile's shared edge
  right.data[0] = right.data[1] = -100.0f;  // and at the right tile's
  REQUIRE(wide.add(TileRect{0, 0, 24, 1}, left).ok());
  REQUIRE(wide.add(TileRect{16, 0, 24, 1}, right).ok());
  auto blended = wide.finish();
  REQUIRE(blended.ok());
  CHECK(blended.value.data[16] == 0.0f);  // only the left tile counts here
  CHECK(blended.value.data[17] == 0.0f);
  CHECK(blended.value.data[22] == 1.0f);  // only the right tile counts here
  CHECK(blended.value.data[23] == 1.0f);
  for (int x = 16; x < 24; ++x) {
    CHECK(blended.value.data[size_t(x)] >= 0.0f);
    CHECK(blended.value.data[size_t(x)] <= 1.0f);
  }
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
        "tile blending: pixel (7,0) has no weight: no tile covers it, or only the zero-weight margin of a tile's "
        "shared side does; add every tile from plan_tiles first");
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

TEST_CASE("tiled runs of a phase-dependent (strided) model equal the untiled run of the padded image", "[tiling]") {
  PoolUpBackend pool;
  const std::vector<std::pair<int, int>> sizes = {{64, 48}, {61, 37}, {1, 1}, {1, 23}, {23, 1},
                                                  {2, 3},   {6, 70},  {130, 9}, {33, 34}};
  int tiled_runs = 0;
  for (const auto& [width, height] : sizes) {
    const Tensor input = photo_tensor(width, height);
    for (const TileOptions& o : {options(16, 4, 4), options(24, 6, 2), options(20, 8, 4), options(12, 2, 2),
                                 options(512, 32, 4)}) {
      INFO("image " << width << "x" << height << ", max_tile " << o.max_tile << ", overlap " << o.overlap
                    << ", multiple " << o.size_multiple);
      const Tensor reference = run_untiled(pool, input, o);
      const Tensor tiled = run_sync(pool, input, o);
      REQUIRE(tiled.shape == input.shape);
      CHECK(test_support::max_abs_difference(tiled, reference) <= 1e-5f);
      if (plan_tiles(width, height, o).value.size() > 1) ++tiled_runs;
    }
  }
  CHECK(tiled_runs >= 20);  // most cases really are split into tiles

  // The model does depend on phase: shifting the tile origin by one pixel changes its output.
  const Tensor input = photo_tensor(61, 37);
  const TileOptions o = options(512, 0, 2);
  const Tensor reference = run_untiled(pool, input, o);
  const Tensor shifted = run_direct(pool, extract_tile(input, TileRect{1, 0, 60, 37}, o));
  CHECK(test_support::max_abs_difference(crop(shifted, 0, 0, 58, 37), crop(reference, 1, 0, 58, 37)) > 0.01f);
}

TEST_CASE("the zero-weight margin hides a model's disturbed tile borders", "[tiling]") {
  // The model zeroes a 2-pixel frame of every tile. With overlap 8 (margin 2) those pixels never count, so away from
  // the padded image's border the result is the input itself, and everywhere it equals the untiled run.
  EdgeArtefactBackend artefact(2);
  for (const auto& [width, height] : std::vector<std::pair<int, int>>{{157, 93}, {160, 96}, {5, 130}}) {
    const Tensor input = photo_tensor(width, height);
    for (const TileOptions& o : {options(32, 8, 4), options(40, 12, 4), options(24, 8, 2)}) {
      INFO("image " << width << "x" << height << ", max_tile " << o.max_tile << ", overlap " << o.overlap);
      const Tensor tiled = run_sync(artefact, input, o);
      CHECK(test_support::max_abs_difference(tiled, run_untiled(artefact, input, o)) <= 1e-6f);
      const int m = o.size_multiple;
      const int inner_w = std::min(width, round_up(width, m) - 2) - 2;
      const int inner_h = std::min(height, round_up(height, m) - 2) - 2;
      if (inner_w > 0 && inner_h > 0) {
        CHECK(test_support::max_abs_difference(crop(tiled, 2, 2, inner_w, inner_h),
                                               crop(input, 2, 2, inner_w, inner_h)) <= 1.0f / 255.0f);
      }
    }
  }
  // A disturbance deeper than the margin shows: overlap 4 leaves a 1-pixel margin against a 2-pixel frame.
  const Tensor input = photo_tensor(157, 93);
  const Tensor tiled = run_sync(artefact, input, options(32, 4, 4));
  CHECK(test_support::max_abs_difference(crop(tiled, 2, 2, 150, 88), crop(input, 2, 2, 150, 88)) > 0.05f);
}

// Issue 14's fuzz findings; the inputs are kept in tests/fuzz/corpus/tiling.
TEST_CASE("plan_tiles refuses overlaps whose sums overflow int instead of searching forever", "[tiling]") {
  const auto n = test_support::corpus_numbers("tiling", "plan_overlap_near_int_max.txt", "plan", 5);
  // 2 * overlap and overlap + size_multiple once wrapped negative, passed both checks, and the search never ended.
  CHECK(plan_tiles(int(n[0]), int(n[1]), options(int(n[2]), int(n[3]), int(n[4]))).error ==
        "bad tile options: max_tile 512 (rounded down to a multiple of 4) must exceed twice the overlap 2147483600; "
        "lower the overlap");
  CHECK(plan_tiles(1000, 1000, options(2147483647, 2147483647, 1)).error ==
        "bad tile options: max_tile 2147483647 (rounded down to a multiple of 1) must exceed twice the overlap "
        "2147483647; lower the overlap");
  // Overlaps just under half of max_tile still plan, and the tiles reach the image's end.
  auto widest = plan_tiles(1 << 30, 1, options(2147483647, 1073741823, 1));
  INFO(widest.error);
  REQUIRE(widest.ok());
  CHECK(widest.value.size() == 1);  // 2^30 fits in one tile of up to 2^31 - 1
  auto several = plan_tiles(1 << 30, 1, options(1 << 29 | 4096, (1 << 28) - 1, 4096));
  INFO(several.error);
  REQUIRE(several.ok());
  CHECK(several.value.size() == 3);
  CHECK(several.value.back().x + several.value.back().width == 1 << 30);
}

TEST_CASE("TileBlender::add and extract_tile refuse rectangles whose ends overflow int", "[tiling]") {
  const auto b = test_support::corpus_numbers("tiling", "blend_x_near_int_max.txt", "blend", 10);
  TileBlender blender{int(b[0]), int(b[1]), int(b[2]), options(int(b[3]), int(b[4]), int(b[5]))};
  const TileRect far_right{int(b[6]), int(b[7]), int(b[8]), int(b[9])};
  Tensor tile;
  tile.shape = {1, b[0], b[9], b[8]};
  tile.data.assign(size_t(b[0] * b[8] * b[9]), 1.0f);
  // x + width wrapped to a negative int, passed the check, and the weights were written 8 GB before the buffer.
  CHECK(blender.add(far_right, tile).error ==
        "tile blending: tile (2147483644,0 8x8) lies outside the 8x8 image");
  CHECK(blender.add(TileRect{0, 2147483647, 8, 8}, tile).error ==
        "tile blending: tile (0,2147483647 8x8) lies outside the 8x8 image");
  CHECK(blender.add(TileRect{-8, 0, 8, 8}, tile).error == "tile blending: tile (-8,0 8x8) lies outside the 8x8 image");
  CHECK(blender.add(TileRect{0, 0, 2147483647, 8}, tile).error ==
        "tile blending: tile (0,0 2147483647x8) lies outside the 8x8 image");
  REQUIRE(blender.add(TileRect{0, 0, 8, 8}, tile).ok());

  const auto e = test_support::corpus_numbers("tiling", "extract_x_near_int_max.txt", "extract", 8);
  Tensor image;
  image.shape = {1, e[0], e[2], e[1]};
  image.data.assign(size_t(e[0] * e[1] * e[2]), 0.5f);
  TileOptions o;
  o.size_multiple = int(e[3]);
  CHECK(extract_tile(image, TileRect{int(e[4]), int(e[5]), int(e[6]), int(e[7])}, o).shape.empty());
  CHECK(extract_tile(image, TileRect{0, 2147483644, 8, 8}, o).shape.empty());
  CHECK(extract_tile(image, TileRect{-4, 0, 8, 8}, o).shape.empty());
  CHECK(extract_tile(image, TileRect{0, 0, 8, 8}, o).shape == std::vector<int64_t>{1, 1, 8, 8});
}
