// Tiling: run a model over an image of any size in overlapping tiles no larger than the model's maximum,
// then blend the overlaps with feathered weights so no seam shows. Output size = input size.
//
// The pieces are separate so that an asynchronous backend (the browser's) can drive them one tile at a time:
//   plan_tiles -> for each tile: extract_tile -> (model) -> TileBlender::add -> TileBlender::finish
// run_tiled() in backend.h chains them over any Backend.
//
// What a tiled run reproduces: the untiled run, i.e. the model applied to the image padded once at the right and
// bottom to a multiple of size_multiple (mirror padding, see extract_tile), cropped back to the image. Call the
// padded image P. Tiles start at multiples of size_multiple and are cut from P, so a strided model (stride-2
// convolutions, nearest upsampling) sees every pixel at the same phase and every edge tile sees the same border
// pixels as the untiled run. For a model whose disturbance at a tile edge stays within the zero-weight margin (see
// TileBlender) the tiled result equals the untiled one; a deeper disturbance is blended away by the ramp.
//
// Known limitation: models with instance normalisation compute their statistics per tile, so each tile is styled
// slightly differently; in large results this shows as soft, tile-shaped bands (no hard seam: the blend hides
// edges, not differences in tone). Larger tiles (a higher max_tile) give statistics closer to the whole image's
// and reduce it.
#pragma once
#include <vector>

#include "styleforge/tensor.h"

namespace styleforge {

struct TileOptions {
  int max_tile = 512;     // longest tile side the model accepts (from the manifest)
  // Pixels shared (at least) by neighbouring tiles; the blend spans this width. A deep net disturbs pixels far
  // inside a tile edge (a Johnson net, ~60 px): overlap 32 left at most 21 levels there, 64 at most 6 (measured
  // with global instance-norm statistics, so only the tile borders differed). The app, `stylize` and `augment` use it.
  int overlap = 64;
  int size_multiple = 4;  // tiles start at multiples of this and are sent to the model padded to a multiple
};

struct TileRect {
  int x = 0, y = 0, width = 0, height = 0;  // region of the input image this tile covers (clipped to the image)
};

// Covers a width x height image with the fewest tiles that neighbours share at least `overlap` pixels in; one tile
// when the image, padded to the size multiple, fits. Every x and y is a multiple of size_multiple; every tile's
// width and height are too, except that the last tile along an axis is clipped to the image, and extract_tile pads
// it back to a multiple with P's pixels. Padded tile sides never exceed max_tile rounded down to a multiple.
// Fails on sizes outside 1..2^30 or bad options: size_multiple 1..4096, max_tile (rounded down to a multiple) at least
// size_multiple, above 2 * overlap, and, when overlap > 0, at least overlap + size_multiple; and plans of more
// than 2^20 tiles (raise max_tile).
Result<std::vector<TileRect>> plan_tiles(int width, int height, const TileOptions& options);

// Copies `rect` out of an {1,C,H,W} tensor, padded up to a multiple of options.size_multiple on the right and
// bottom. The padding holds the image's real pixels where there are some; past the image border it mirrors the
// image with the edge pixel repeated (W -> W-1, W+1 -> W-2), which an edge-clamping filter cannot tell apart from
// no padding. For a rectangle from plan_tiles (aligned origin) the result is therefore exactly a piece of the
// padded image P. Returns a tensor with no shape when `rect` or `image` is invalid.
Tensor extract_tile(const Tensor& image, const TileRect& rect, const TileOptions& options);

// Accumulates model outputs for tiles; every pixel's result is the weighted mean of the tiles covering it.
// Weights, per axis (multiplied): at a tile side shared with another tile, the model's own border handling has
// disturbed the outermost pixels, so a margin band of round(overlap / 4) pixels gets weight 0; the weight then
// ramps linearly to 1 over the rest of the overlap. Sides on the image border keep weight 1 up to the edge.
class TileBlender {
 public:
  TileBlender(int channels, int width, int height, const TileOptions& options);
  // `output` is the model's result for extract_tile(rect): {1,C,h,w} with h,w >= rect size (padding is cropped).
  Status add(const TileRect& rect, const Tensor& output);
  // The blended {1,C,H,W} result. Fails if some pixel has no weight (no tile, or only a tile's margin, covers it).
  Result<Tensor> finish() const;

 private:
  int channels_, width_, height_;
  TileOptions options_;
  std::vector<float> sum_;     // C*H*W weighted sums
  std::vector<float> weight_;  // H*W weights
};

}  // namespace styleforge
