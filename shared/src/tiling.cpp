// Tiling large images for models with a maximum input size.
//
// Planning: along each axis, n tiles of one size t <= max_tile, evenly spaced from edge to edge, neighbours
// sharing at least `overlap` pixels. Extraction: tile pixels are read from the image around the tile's rectangle;
// past the image border they mirror it with the edge pixel repeated (numpy's "symmetric"), which is what an
// edge-clamping filter sees, so padding to size_multiple changes nothing for such a filter.
// Blending: each tile's weight ramps linearly from 0 at a side shared with another tile to 1 at `overlap`
// pixels in; sides on the image border keep full weight. The outermost pixel of a shared side, the one most
// disturbed by the model's own border handling, thus contributes (almost) nothing.
#include "styleforge/tiling.h"

#include <algorithm>

namespace styleforge {
namespace {

// The smallest weight a covered pixel gets. Not 0: with overlap 1 the shared column is the outer edge of both
// tiles, and it must still be covered.
constexpr float kMinWeight = 1e-3f;

// Longest tile side once a tile is padded to the size multiple: max_tile rounded down to that multiple.
int effective_max_tile(const TileOptions& options) {
  return options.max_tile / options.size_multiple * options.size_multiple;
}

std::string check_options(const TileOptions& o) {
  if (o.max_tile <= 0) return "max_tile is " + std::to_string(o.max_tile) + "; it must be at least 1";
  if (o.overlap < 0) return "overlap is " + std::to_string(o.overlap) + "; it must be 0 or more";
  if (o.size_multiple <= 0) return "size_multiple is " + std::to_string(o.size_multiple) + "; it must be at least 1";
  if (effective_max_tile(o) <= 2 * o.overlap) {
    return "max_tile " + std::to_string(o.max_tile) + " (rounded down to a multiple of " +
           std::to_string(o.size_multiple) + ") must exceed twice the overlap " + std::to_string(o.overlap) +
           "; lower the overlap";
  }
  return {};
}

// Splits [0, length) into (start, size) spans.
std::vector<std::pair<int, int>> split_axis(int length, int max_tile, int overlap) {
  if (length <= max_tile) return {{0, length}};
  const int stride = max_tile - overlap;
  const int n = (length - overlap + stride - 1) / stride;        // fewest tiles that reach the end
  const int tile = (length + (n - 1) * overlap + n - 1) / n;     // smallest even size; <= max_tile by choice of n
  std::vector<std::pair<int, int>> spans;
  for (int i = 0; i < n; ++i) {
    // Floored even spacing: steps differ by at most 1 and never exceed tile - overlap.
    spans.push_back({int(int64_t(i) * (length - tile) / (n - 1)), tile});
  }
  return spans;
}

// Mirror index into [0, n): -1 -> 0, n -> n-1 (edge pixel repeated).
int mirror(int i, int n) {
  const int period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

int round_up(int v, int multiple) { return (v + multiple - 1) / multiple * multiple; }

// Weight of position `i` within a span of `size` along one axis.
float axis_weight(int i, int size, bool ramp_low, bool ramp_high, int overlap) {
  if (overlap <= 0) return 1.0f;
  float w = 1.0f;
  if (ramp_low) w = std::min(w, float(i) / float(overlap));
  if (ramp_high) w = std::min(w, float(size - 1 - i) / float(overlap));
  return std::max(w, kMinWeight);
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
  const int max_tile = effective_max_tile(options);
  const auto xs = split_axis(width, max_tile, options.overlap);
  const auto ys = split_axis(height, max_tile, options.overlap);
  std::vector<TileRect> tiles;
  for (const auto& [y, h] : ys) {
    for (const auto& [x, w] : xs) tiles.push_back({x, y, w, h});
  }
  return R::success(std::move(tiles));
}

Tensor extract_tile(const Tensor& image, const TileRect& rect, const TileOptions& options) {
  const int channels = image.channels(), height = image.height(), width = image.width();
  const bool valid = channels > 0 && height > 0 && width > 0 && image.shape[0] == 1 &&
                     int64_t(image.data.size()) == image.element_count() && rect.width > 0 && rect.height > 0 &&
                     rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= width && rect.y + rect.height <= height &&
                     options.size_multiple > 0;
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
  if (rect.width <= 0 || rect.height <= 0 || rect.x < 0 || rect.y < 0 || rect.x + rect.width > width_ ||
      rect.y + rect.height > height_) {
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
      return Result<Tensor>::failure("tile blending: pixel (" + std::to_string(i % size_t(width_)) + "," +
                                     std::to_string(i / size_t(width_)) +
                                     ") is covered by no tile; add every tile from plan_tiles first");
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
