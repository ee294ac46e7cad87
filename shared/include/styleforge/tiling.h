// Tiling: run a model over an image of any size in overlapping tiles no larger than the model's maximum,
// then blend the overlaps with feathered (linear ramp) weights so no seam shows. Output size = input size.
//
// The pieces are separate so that an asynchronous backend (the browser's) can drive them one tile at a time:
//   plan_tiles -> for each tile: extract_tile -> (model) -> TileBlender::add -> TileBlender::finish
// run_tiled() in backend.h chains them over any Backend.
#pragma once
#include <vector>

#include "styleforge/tensor.h"

namespace styleforge {

struct TileOptions {
  int max_tile = 512;     // longest tile side the model accepts (from the manifest)
  int overlap = 32;       // pixels shared by neighbouring tiles; the blend ramp spans this width
  int size_multiple = 4;  // tiles sent to the model are padded (reflect) to a multiple of this
};

struct TileRect {
  int x = 0, y = 0, width = 0, height = 0;  // region of the input image this tile covers
};

// Covers a width x height image with tiles of side <= max_tile overlapping by `overlap`. One tile when it fits.
// Fails on non-positive sizes or options (max_tile must exceed 2 * overlap).
Result<std::vector<TileRect>> plan_tiles(int width, int height, const TileOptions& options);

// Copies `rect` out of an {1,C,H,W} tensor, padded by reflection up to a multiple of options.size_multiple.
// The padding (right and bottom) holds the image's real pixels where there are some; past the image border it
// mirrors the image with the edge pixel repeated (-1 -> 0), which an edge-clamping filter cannot tell apart from
// no padding. Returns a tensor with no shape when `rect` or `image` is invalid.
Tensor extract_tile(const Tensor& image, const TileRect& rect, const TileOptions& options);

// Accumulates model outputs for tiles; every pixel's result is the weighted mean of the tiles covering it.
class TileBlender {
 public:
  TileBlender(int channels, int width, int height, const TileOptions& options);
  // `output` is the model's result for extract_tile(rect): {1,C,h,w} with h,w >= rect size (padding is cropped).
  Status add(const TileRect& rect, const Tensor& output);
  // The blended {1,C,H,W} result. Fails if some pixel was covered by no tile.
  Result<Tensor> finish() const;

 private:
  int channels_, width_, height_;
  TileOptions options_;
  std::vector<float> sum_;     // C*H*W weighted sums
  std::vector<float> weight_;  // H*W weights
};

}  // namespace styleforge
