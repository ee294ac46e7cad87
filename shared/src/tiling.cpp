// Tiling large images for models with a maximum input size.
//
// The reference a tiled run must reproduce is the untiled run as run_tiled does it with one tile: the model applied
// to the image padded once, at the right and bottom, up to a multiple of size_multiple (mirror padding, edge pixel
// repeated: numpy's "symmetric"), then cropped. Call that padded image P. Everything below follows from it:
//
// Planning: along each axis, tiles start at multiples of size_multiple and (seen in P) are a multiple long, never
// longer than max_tile rounded down to a multiple. A strided network (two stride-2 convolutions: multiple 4) then
// sees every pixel at the same phase as in the untiled run. n tiles of one size t, the fewest that can cover P while
// neighbours share at least `overlap` pixels, spread evenly; t is the smallest size that still covers with n tiles
// (least compute). The last tile along an axis ends at P's border; its TileRect is clipped to the image.
// Extraction: a tile's pixels are read from the image around its rectangle, mirrored past the image border, so an
// aligned rectangle padded up to the multiple is exactly a piece of P: edge tiles see what the untiled run sees.
// Blending: at a side shared with another tile the model's own border handling (its zero/reflect padding at the
// tile edge) disturbs the outermost pixels. Those get weight 0 over a margin band of round(overlap / 4) pixels, then
// the weight ramps linearly to 1 over the rest of the overlap. Sides on the image border keep full weight.
// Neighbours share at least `overlap` >= 2 * margin pixels, so every pixel keeps a positive total weight.
#include "styleforge/tiling.h"

#include <algorithm>
#include <cstdint>

namespace styleforge {
namespace {

// Longest image side plan_tiles accepts: far beyond any decodable image, low enough that padding it to a multiple
// (at most max_tile, itself an int) cannot overflow.
constexpr int kMaxSide = 1 << 30;
// Largest size_multiple accepted (real models need 1 to 64); keeps padding arithmetic within int.
constexpr int kMaxMultiple = 4096;
// Most tiles plan_tiles will list (2^20: a 32768 x 32768 image in 32 px tiles). Why: sides up to 2^30 with tiles
// of a few pixels would ask for ~10^16-10^17 rectangles, and the list alone would exhaust memory before any check.
constexpr int64_t kMaxTiles = int64_t(1) << 20;

int round_up(int v, int multiple) { return (v + multiple - 1) / multiple * multiple; }

// Longest tile side sent to the model: max_tile rounded down to the size multiple.
int effective_max_tile(const TileOptions& options) {
  return options.max_tile / options.size_multiple * options.size_multiple;
}

// Pixels at a shared tile side that get no weight: overlap / 4, rounded to nearest (0 for overlaps of 0 or 1, 1 for
// 2..5, 8 for 32). A quarter keeps three quarters of the overlap for a smooth ramp, and overlap >= 2 * margin
// always holds, which keeps every pixel covered with positive weight. Models whose border disturbance reaches
// deeper need a larger overlap.
int zero_margin(int overlap) { return int((int64_t(overlap) + 2) / 4); }  // int64: TileBlender takes any overlap

std::string check_options(const TileOptions& o) {
  if (o.max_tile <= 0) return "max_tile is " + std::to_string(o.max_tile) + "; it must be at least 1";
  if (o.overlap < 0) return "overlap is " + std::to_string(o.overlap) + "; it must be 0 or more";
  if (o.size_multiple <= 0 || o.size_multiple > kMaxMultiple) {
    return "size_multiple is " + std::to_string(o.size_multiple) + "; it must be between 1 and " +
           std::to_string(kMaxMultiple);
  }
  // The sums below are taken in int64: with an overlap near INT_MAX, 2 * overlap and overlap + size_multiple wrap
  // in int, pass these checks, and split_axis then never finds a tile size.
  const int64_t max_tile = effective_max_tile(o);
  if (max_tile == 0) {
    return "max_tile " + std::to_string(o.max_tile) + " is smaller than the size multiple " +
           std::to_string(o.size_multiple) + " the model needs; raise max_tile to at least " +
           std::to_string(o.size_multiple);
  }
  if (max_tile <= 2 * int64_t(o.overlap)) {
    return "max_tile " + std::to_string(o.max_tile) + " (rounded down to a multiple of " +
           std::to_string(o.size_multiple) + ") must exceed twice the overlap " + std::to_string(o.overlap) +
           "; lower the overlap";
  }
  // Tiles advance by whole multiples; a tile one multiple long cannot advance and still share pixels.
  const int64_t shortest_overlapping_tile = int64_t(o.overlap) + o.size_multiple;
  if (max_tile < shortest_overlapping_tile) {
    return "max_tile " + std::to_string(o.max_tile) + " leaves no room for an overlap of " +
           std::to_string(o.overlap) + ": tiles start at multiples of " + std::to_string(o.size_multiple) +
           ", so overlapping tiles must be at least " + std::to_string(shortest_overlapping_tile) +
           " long; raise max_tile or set the overlap to 0";
  }
  return {};
}

// Longest aligned step that keeps `overlap` pixels shared by tiles of size t. check_options makes it >= the
// multiple for t = max_tile.
int step_for(int t, const TileOptions& o) { return (t - o.overlap) / o.size_multiple * o.size_multiple; }

// The fewest tiles that cover [0, length) along one axis (what split_axis makes).
int tiles_along(int length, const TileOptions& o) {
  const int padded = round_up(length, o.size_multiple), max_tile = effective_max_tile(o);
  if (padded <= max_tile) return 1;
  const int step = step_for(max_tile, o);
  return 1 + (padded - max_tile + step - 1) / step;
}

// Splits [0, length) into (start, size) spans, sizes clipped to the image; see the file comment.
std::vector<std::pair<int, int>> split_axis(int length, const TileOptions& o) {
  const int multiple = o.size_multiple, max_tile = effective_max_tile(o);
  const int padded = round_up(length, multiple);  // P's side
  const int n = tiles_along(length, o);
  if (n == 1) return {{0, length}};
  // The smallest t (in multiples) that still covers P with n tiles. Coverage only gets easier as t grows and holds
  // for max_tile, so bisect between the least t that can advance (overlap + multiple) and max_tile.
  auto covers = [&](int t) { return int64_t(n - 1) * step_for(t, o) + t >= int64_t(padded); };
  int low = (o.overlap + multiple + multiple - 1) / multiple, high = max_tile / multiple;  // covers(high * multiple)
  while (low < high) {
    const int mid = low + (high - low) / 2;
    if (covers(mid * multiple)) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  const int tile = high * multiple;
  // Even spacing in whole multiples: steps differ by at most one multiple and never exceed step_for(tile, o).
  const int travel = (padded - tile) / multiple;
  std::vector<std::pair<int, int>> spans;
  for (int i = 0; i < n; ++i) {
    const int start = int(int64_t(i) * travel / (n - 1)) * multiple;
    spans.push_back({start, std::min(tile, length - start)});
  }
  return spans;
}

// True when `rect` is non-empty and lies inside a width x height image. The ends are summed in int64: a rectangle
// whose x is near INT_MAX would wrap in int, pass, and be written far outside the buffers.
bool inside(const TileRect& rect, int width, int height) {
  return rect.width > 0 && rect.height > 0 && rect.x >= 0 && rect.y >= 0 &&
         int64_t(rect.x) + rect.width <= width && int64_t(rect.y) + rect.height <= height;
}

// Mirror index into [0, n): -1 -> 0, n -> n-1 (edge pixel repeated).
int mirror(int i, int n) {
  const int64_t period = 2 * int64_t(n);  // n may be up to kMaxSide = 2^30: 2 * n does not fit in int
  int64_t j = i % period;
  if (j < 0) j += period;
  return int(j < n ? j : period - 1 - j);
}

// Weight of a pixel `d` pixels in from a tile side shared with another tile (d = 0: the outermost pixel).
float shared_side_weight(int d, int overlap) {
  const int margin = zero_margin(overlap);
  if (d < margin) return 0.0f;
  if (d >= overlap) return 1.0f;
  return float(d - margin + 1) / float(overlap - margin);  // reaches 1 at d = overlap - 1
}

// Weight of position `i` within a span of `size` along one axis; `low`/`high`: that side is shared.
float axis_weight(int i, int size, bool low, bool high, int overlap) {
  float w = 1.0f;
  if (low) w = std::min(w, shared_side_weight(i, overlap));
  if (high) w = std::min(w, shared_side_weight(size - 1 - i, overlap));
  return w;
}

}  // namespace

Result<std::vector<TileRect>> plan_tiles(int width, int height, const TileOptions& options) {
  using R = Result<std::vector<TileRect>>;
  if (width <= 0 || height <= 0) {
    return R::failure("cannot tile a " + std::to_string(width) + "x" + std::to_string(height) +
                      " image: both sides must be at least 1");
  }
  const std::string problem = check_options(options);
  if (!problem.empty()) return R::failure("bad tile options: " + problem);
  if (width > kMaxSide || height > kMaxSide) {  // keeps padding to the multiple and the spacing within int
    return R::failure("cannot tile a " + std::to_string(width) + "x" + std::to_string(height) +
                      " image: sides above " + std::to_string(kMaxSide) + " pixels are not supported");
  }
  const int64_t count = int64_t(tiles_along(width, options)) * tiles_along(height, options);
  if (count > kMaxTiles) {
    return R::failure("a " + std::to_string(width) + "x" + std::to_string(height) + " image in tiles of at most " +
                      std::to_string(options.max_tile) + " px would take " + std::to_string(count) +
                      " tiles, more than " + std::to_string(kMaxTiles) + "; raise max_tile or use a smaller image");
  }
  const auto xs = split_axis(width, options);
  const auto ys = split_axis(height, options);
  std::vector<TileRect> tiles;
  for (const auto& [y, h] : ys) {
    for (const auto& [x, w] : xs) tiles.push_back({x, y, w, h});
  }
  return R::success(std::move(tiles));
}

Tensor extract_tile(const Tensor& image, const TileRect& rect, const TileOptions& options) {
  const int channels = image.channels(), height = image.height(), width = image.width();
  // Sides up to kMaxSide, as plan_tiles allows: padding a tile to the multiple then stays within int.
  const bool valid = channels > 0 && height > 0 && width > 0 && height <= kMaxSide && width <= kMaxSide &&
                     image.shape[0] == 1 && int64_t(image.data.size()) == image.element_count() &&
                     inside(rect, width, height) && options.size_multiple > 0 && options.size_multiple <= kMaxMultiple;
  if (!valid) return Tensor{};  // no shape: TileBlender::add and every backend refuse it
  const int tile_h = round_up(rect.height, options.size_multiple);
  const int tile_w = round_up(rect.width, options.size_multiple);
  Tensor tile;
  tile.shape = {1, channels, tile_h, tile_w};
  tile.data.resize(size_t(channels) * size_t(tile_h) * size_t(tile_w));
  std::vector<int> columns(size_t(tile_w), 0);
  for (int x = 0; x < tile_w; ++x) columns[size_t(x)] = mirror(rect.x + x, width);
  float* out = tile.data.data();
  for (int c = 0; c < channels; ++c) {
    const float* plane = image.data.data() + size_t(c) * size_t(height) * size_t(width);
    for (int y = 0; y < tile_h; ++y) {
      const float* row = plane + size_t(mirror(rect.y + y, height)) * size_t(width);
      for (int x = 0; x < tile_w; ++x) *out++ = row[columns[size_t(x)]];
    }
  }
  return tile;
}

TileBlender::TileBlender(int channels, int width, int height, const TileOptions& options)
    : channels_(std::max(channels, 0)), width_(std::max(width, 0)), height_(std::max(height, 0)),
      options_(options),
      sum_(size_t(channels_) * size_t(width_) * size_t(height_), 0.0f),
      weight_(size_t(width_) * size_t(height_), 0.0f) {}

Status TileBlender::add(const TileRect& rect, const Tensor& output) {
  if (!inside(rect, width_, height_)) {
    return Status::failure("tile blending: tile (" + std::to_string(rect.x) + "," + std::to_string(rect.y) + " " +
                           std::to_string(rect.width) + "x" + std::to_string(rect.height) + ") lies outside the " +
                           std::to_string(width_) + "x" + std::to_string(height_) + " image");
  }
  if (output.shape.size() != 4 || output.shape[0] != 1 || output.channels() != channels_ ||
      output.height() < rect.height || output.width() < rect.width ||
      int64_t(output.data.size()) != output.element_count()) {
    return Status::failure("tile blending: the model returned a tensor of the wrong shape for a " +
                           std::to_string(rect.width) + "x" + std::to_string(rect.height) + " tile (expected {1," +
                           std::to_string(channels_) + ",H,W} with H,W at least the tile size); check the model");
  }
  const bool left = rect.x > 0, right = rect.x + rect.width < width_;
  const bool top = rect.y > 0, bottom = rect.y + rect.height < height_;
  std::vector<float> wx(size_t(rect.width));
  for (int x = 0; x < rect.width; ++x) wx[size_t(x)] = axis_weight(x, rect.width, left, right, options_.overlap);
  const size_t out_w = size_t(output.width()), out_plane = size_t(output.height()) * out_w;
  const size_t plane = size_t(width_) * size_t(height_);
  for (int y = 0; y < rect.height; ++y) {
    const float wy = axis_weight(y, rect.height, top, bottom, options_.overlap);
    const size_t row = size_t(rect.y + y) * size_t(width_) + size_t(rect.x);
    for (int x = 0; x < rect.width; ++x) weight_[row + size_t(x)] += wx[size_t(x)] * wy;
    for (int c = 0; c < channels_; ++c) {
      const float* src = output.data.data() + size_t(c) * out_plane + size_t(y) * out_w;  // padding is cropped
      float* dst = sum_.data() + size_t(c) * plane + row;
      for (int x = 0; x < rect.width; ++x) dst[x] += src[x] * wx[size_t(x)] * wy;
    }
  }
  return Status::success();
}

Result<Tensor> TileBlender::finish() const {
  if (channels_ == 0 || width_ == 0 || height_ == 0) {
    return Result<Tensor>::failure("tile blending: nothing to blend (the image or channel count is 0)");
  }
  const size_t plane = size_t(width_) * size_t(height_);
  for (size_t i = 0; i < plane; ++i) {
    if (weight_[i] <= 0.0f) {
      return Result<Tensor>::failure(
          "tile blending: pixel (" + std::to_string(i % size_t(width_)) + "," + std::to_string(i / size_t(width_)) +
          ") has no weight: no tile covers it, or only the zero-weight margin of a tile's shared side does; add "
          "every tile from plan_tiles first");
    }
  }
  Tensor out;
  out.shape = {1, channels_, height_, width_};
  out.data.resize(sum_.size());
  for (int c = 0; c < channels_; ++c) {
    for (size_t i = 0; i < plane; ++i) out.data[size_t(c) * plane + i] = sum_[size_t(c) * plane + i] / weight_[i];
  }
  return Result<Tensor>::success(std::move(out));
}

}  // namespace styleforge
