#include "run/preview.h"

#include <cmath>
#include <torch/torch.h>

namespace styleforge::trainer {

Result<Image> preview_grid(const at::Tensor& batch, float lo, float hi, int columns) {
  using R = Result<Image>;
  if (batch.dim() != 4 || (batch.size(1) != 1 && batch.size(1) != 3) || batch.size(0) < 1)
    return R::failure("preview: expected a [N, 1 or 3, H, W] batch");
  if (!(hi > lo)) return R::failure("preview: empty value range");
  const int n = static_cast<int>(batch.size(0)), c = static_cast<int>(batch.size(1));
  const int h = static_cast<int>(batch.size(2)), w = static_cast<int>(batch.size(3));
  if (columns <= 0) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + columns - 1) / columns, gap = 2;
  // To 0..255 uint8 on the CPU, NHWC, channels repeated to 3.
  at::Tensor pixels = ((batch.detach().to(torch::kCPU, torch::kFloat) - lo) * (255.0f / (hi - lo)))
                          .clamp(0, 255)
                          .round()
                          .to(torch::kUInt8);
  if (c == 1) pixels = pixels.repeat({1, 3, 1, 1});
  pixels = pixels.permute({0, 2, 3, 1}).contiguous();
  const uint8_t* src = pixels.data_ptr<uint8_t>();

  Image grid;
  grid.width = columns * w + (columns - 1) * gap;
  grid.height = rows * h + (rows - 1) * gap;
  grid.rgba.assign(static_cast<size_t>(grid.width) * grid.height * 4, 255);  // white gaps
  for (int i = 0; i < n; ++i) {
    int x0 = (i % columns) * (w + gap), y0 = (i / columns) * (h + gap);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const uint8_t* p = src + ((static_cast<size_t>(i) * h + y) * w + x) * 3;
        uint8_t* q = &grid.rgba[(static_cast<size_t>(y0 + y) * grid.width + x0 + x) * 4];
        q[0] = p[0], q[1] = p[1], q[2] = p[2], q[3] = 255;
      }
  }
  return R::success(std::move(grid));
}

Status write_preview(const std::string& path, const at::Tensor& batch, float lo, float hi, int columns) {
  Result<Image> grid = preview_grid(batch, lo, hi, columns);
  if (!grid.ok()) return Status::failure(grid.error);
  return save_image_file(path, grid.value);
}

}  // namespace styleforge::trainer
