// Planar float tensors (NCHW, batch 1) and their conversion to and from RGBA8 images.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "styleforge/image.h"

namespace styleforge {

struct Tensor {
  std::vector<int64_t> shape;  // e.g. {1, 3, H, W} for images, {1, Z} for latents
  std::vector<float> data;     // row-major, size = product of shape
  // The product of the shape; -1 when a dimension is negative or the product does not fit in int64.
  int64_t element_count() const;
  // Image accessors for {1, C, H, W}; 0 when the tensor is not 4-D or that dimension is not in 0..INT_MAX.
  int channels() const;
  int height() const;
  int width() const;
};

// How a model wants its pixels. For channel c and an 8-bit value p:  x = (p * scale - mean[c]) / std[c].
// Johnson style nets: scale 1, mean 0, std 1 (x in 0..255). Generators with tanh: scale 1/255, mean .5, std .5.
struct Normalization {
  float scale = 1.0f / 255.0f;
  std::array<float, 3> mean{0.0f, 0.0f, 0.0f};
  std::array<float, 3> std{1.0f, 1.0f, 1.0f};
};

// RGBA8 -> {1,3,H,W}; alpha is dropped.
Tensor image_to_tensor(const Image& image, const Normalization& norm);
// {1,3,H,W} -> RGBA8 (alpha 255), inverting `norm`, rounding and clamping to 0..255.
// Fails if the tensor is not {1,3,H,W} or its data size does not match its shape.
Result<Image> tensor_to_image(const Tensor& tensor, const Normalization& norm);

}  // namespace styleforge
