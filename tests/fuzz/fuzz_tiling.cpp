// The tiling planner and blender with integers read from the input (tests/fuzz/corpus/README.md):
//   plan W H MAX_TILE OVERLAP SIZE_MULTIPLE                 plan_tiles, then extract + add + finish on each tile
//   blend C W H MAX_TILE OVERLAP SIZE_MULTIPLE X Y RW RH    TileBlender(C, W, H, options).add({X,Y,RW,RH}, t)
//   extract C W H SIZE_MULTIPLE X Y RW RH                   extract_tile({X,Y,RW,RH}) of a {1,C,H,W} tensor
// Seeds: tests/fuzz/corpus/tiling (issue 14 findings 3 and 4 and valid controls).
//
// A refusal is fine; memory errors, UB, a plan that breaks plan_tiles' documented promises, or a valid plan whose
// tiles do not blend back to the image are not. Only the fuzzer's own buffers are bounded (so one input cannot ask
// for gigabytes of test data); every number reaches the library as given.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_text.h"
#include "styleforge/tiling.h"

namespace {

using namespace styleforge;

// Largest tensor the fuzzer itself allocates (4 MB). 16 MB let ASan's heap (quarantine, freed large blocks) grow
// past libFuzzer's 2 GB RSS limit over a 5-minute run: an out-of-memory report with a small input, no leak.
constexpr int64_t kMaxFloats = int64_t(1) << 20;
constexpr int64_t kMaxTiles = 4096;               // largest plan it checks tile by tile
constexpr int64_t kMaxWalkPixels = int64_t(1) << 16;  // largest image it runs a plan's tiles over

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_tiling: %s\n", what);
  std::abort();
}

// Product of non-negative factors, saturating at kMaxFloats + 1.
int64_t bounded_product(std::initializer_list<int64_t> factors) {
  int64_t p = 1;
  for (int64_t f : factors) {
    if (f < 0) return kMaxFloats + 1;
    if (f != 0 && p > (kMaxFloats + 1) / f) return kMaxFloats + 1;
    p *= f;
  }
  return p;
}

// A {1, C, H, W} tensor whose values tell pixels apart.
Tensor ramp(int channels, int height, int width) {
  Tensor t;
  t.shape = {1, channels, height, width};
  t.data.resize(size_t(channels) * size_t(height) * size_t(width));
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = float(i % 251) - 17.0f;
  return t;
}

// Tiles plan_tiles would make per axis for valid options (an estimate from its own formula), or -1 when the
// options are not valid and it will refuse before planning. Only bounds the fuzzer's work: plan_tiles makes
// width/step * height/step tiles, and a 2^30-wide image in 1-pixel tiles is a valid request for 2^60 of them.
int64_t tiles_along(int64_t length, const TileOptions& o) {
  if (o.size_multiple <= 0 || o.max_tile <= 0 || o.overlap < 0) return -1;
  const int64_t m = o.size_multiple, max_tile = o.max_tile / m * m;
  const int64_t step = (max_tile - o.overlap) / m * m;
  if (max_tile == 0 || step <= 0) return -1;
  const int64_t padded = (length + m - 1) / m * m;
  return padded <= max_tile ? 1 : 1 + (padded - max_tile + step - 1) / step;
}

void run_plan(const std::vector<int64_t>& n) {
  const int width = int(n[0]), height = int(n[1]);
  const TileOptions options{int(n[2]), int(n[3]), int(n[4])};
  if (width > 0 && height > 0) {
    const int64_t nx = tiles_along(width, options), ny = tiles_along(height, options);
    if (nx > 0 && ny > 0 && (nx > kMaxTiles || ny > kMaxTiles || nx * ny > kMaxTiles)) return;
  }
  const Result<std::vector<TileRect>> plan = plan_tiles(width, height, options);
  if (!plan.ok()) return;
  const std::vector<TileRect>& tiles = plan.value;
  if (tiles.empty()) broken("an accepted plan with no tiles");
  const int m = options.size_multiple;
  const int max_padded = options.max_tile / m * m;
  for (const TileRect& t : tiles) {
    if (t.width <= 0 || t.height <= 0 || t.x < 0 || t.y < 0 || int64_t(t.x) + t.width > width ||
        int64_t(t.y) + t.height > height) {
      broken("a planned tile outside the image");
    }
    if (t.x % m != 0 || t.y % m != 0) broken("a planned tile that does not start at a multiple");
    const int64_t padded_w = (int64_t(t.width) + m - 1) / m * m, padded_h = (int64_t(t.height) + m - 1) / m * m;
    if (padded_w > max_padded || padded_h > max_padded) {
      broken("a planned tile longer than max_tile rounded down to the multiple");
    }
  }
  // Walk the plan as run_tiled does, with an identity model, when the image is small enough to hold.
  if (bounded_product({1, height, width}) > kMaxWalkPixels) return;
  int64_t padded_pixels = 0;  // tiles are padded to the multiple: a 3-row image with multiple 4096 gets 4096 rows
  for (const TileRect& t : tiles) {
    padded_pixels += ((int64_t(t.width) + m - 1) / m * m) * ((int64_t(t.height) + m - 1) / m * m);
    if (padded_pixels > kMaxFloats) return;
  }
  const Tensor image = ramp(1, height, width);
  TileBlender blender(1, width, height, options);
  for (const TileRect& t : tiles) {
    const Tensor tile = extract_tile(image, t, options);
    if (tile.shape.size() != 4) broken("extract_tile refused a planned tile");
    const Status added = blender.add(t, tile);
    if (!added.ok()) broken("TileBlender::add refused extract_tile's output for a planned tile");
  }
  const Result<Tensor> blended = blender.finish();
  if (!blended.ok()) broken("a valid plan left a pixel without weight");
  for (size_t i = 0; i < image.data.size(); ++i) {
    if (std::fabs(blended.value.data[i] - image.data[i]) > 1e-3f * (1.0f + std::fabs(image.data[i]))) {
      broken("blending an identity model's tiles did not give the image back");
    }
  }
}

void run_blend(const std::vector<int64_t>& n) {
  const int channels = int(n[0]), width = int(n[1]), height = int(n[2]);
  const TileOptions options{int(n[3]), int(n[4]), int(n[5])};
  const TileRect rect{int(n[6]), int(n[7]), int(n[8]), int(n[9])};
  // The blender holds C*W*H sums and W*H weights (the weights even for C = 0).
  if (bounded_product({std::max(channels, 1), std::max(width, 0), std::max(height, 0)}) > kMaxFloats) return;
  if (bounded_product({std::max(channels, 0), std::max(rect.width, 0), std::max(rect.height, 0)}) > kMaxFloats) return;
  TileBlender blender(channels, width, height, options);
  const Tensor output = ramp(std::max(channels, 0), std::max(rect.height, 0), std::max(rect.width, 0));
  (void)blender.add(rect, output);
  (void)blender.finish();
}

void run_extract(const std::vector<int64_t>& n) {
  const int channels = int(n[0]), width = int(n[1]), height = int(n[2]);
  const TileOptions options{512, 0, int(n[3])};
  const TileRect rect{int(n[4]), int(n[5]), int(n[6]), int(n[7])};
  if (bounded_product({std::max(channels, 0), std::max(width, 0), std::max(height, 0)}) > kMaxFloats) return;
  // The tile extract_tile returns when it accepts: the rectangle (inside the image) padded to the multiple.
  const int64_t m = std::max(options.size_multiple, 1);
  if (bounded_product({std::max(channels, 0), std::max(rect.width, 0) + m, std::max(rect.height, 0) + m}) >
      kMaxFloats) {
    return;
  }
  const Tensor image = ramp(std::max(channels, 0), std::max(height, 0), std::max(width, 0));
  const Tensor tile = extract_tile(image, rect, options);
  if (tile.shape.empty()) return;  // refused
  if (tile.shape.size() != 4 || int64_t(tile.data.size()) != tile.element_count()) broken("an inconsistent tile");
  if (tile.height() < rect.height || tile.width() < rect.width) broken("a tile smaller than its rectangle");
  // Pixels inside the image come from the image.
  for (int c = 0; c < channels; ++c) {
    for (int y = 0; y < rect.height; ++y) {
      for (int x = 0; x < rect.width; ++x) {
        const float got = tile.data[(size_t(c) * size_t(tile.height()) + size_t(y)) * size_t(tile.width()) + size_t(x)];
        const float want =
            image.data[(size_t(c) * size_t(height) + size_t(rect.y + y)) * size_t(width) + size_t(rect.x + x)];
        if (got != want) broken("a tile pixel that is not the image's");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_text::Line line;
  if (!fuzz_text::parse(data, size, 16, line) || !fuzz_text::all_fit_int(line.numbers)) return 0;
  if (line.operation == "plan" && line.numbers.size() == 5) run_plan(line.numbers);
  if (line.operation == "blend" && line.numbers.size() == 10) run_blend(line.numbers);
  if (line.operation == "extract" && line.numbers.size() == 8) run_extract(line.numbers);
  return 0;
}
