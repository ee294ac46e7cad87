// Preview images: a batch of images as one PNG grid (through shared/'s encoder), written every N steps so a
// person can watch a run learn. Samples are laid out row by row with a 2-pixel gap.
#pragma once
#include <string>

#include <ATen/core/Tensor.h>

#include "styleforge/image.h"

namespace styleforge::trainer {

// batch: float [N, C, H, W] on any device, C = 1 (grey) or 3 (RGB), values in lo..hi (e.g. -1..1 for tanh
// generators, 0..255 for style nets); values outside are clamped. columns <= 0 picks a near-square grid.
Result<Image> preview_grid(const at::Tensor& batch, float lo, float hi, int columns = 0);
// The same, saved atomically as PNG (or JPEG by extension).
Status write_preview(const std::string& path, const at::Tensor& batch, float lo, float hi, int columns = 0);

}  // namespace styleforge::trainer
