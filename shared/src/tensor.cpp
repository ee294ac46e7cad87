// RGBA8 images <-> planar float tensors, applying a model's Normalization on the way in and inverting it on the
// way out.
#include "styleforge/tensor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace styleforge {

namespace {

// Dimension i of a 4-D shape as an int; 0 when the tensor is not 4-D or the dimension is not in 0..INT_MAX.
int image_dimension(const std::vector<int64_t>& shape, size_t i) {
  if (shape.size() != 4 || shape[i] < 0 || shape[i] > std::numeric_limits<int>::max()) return 0;
  return int(shape[i]);
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + std::to_string(d);
  return "{" + text + "}";
}

}  // namespace

// Shapes come from models, which can say anything: a product that wrapped around could match a small buffer
// ({1,3,2^40,2^40} wraps to 0). -1 matches no buffer's size, so every check of data.size() against it refuses.
// The signs and zeros are looked at before anything is multiplied: a 0 anywhere makes the product 0 even when the
// dimensions before it overflow ({1,2^32,2^32,0} needs 0 values, not -1), so the answer never depends on the order.
int64_t Tensor::element_count() const {
  if (shape.empty()) return 0;
  bool empty = false;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d == 0) empty = true;
  }
  if (empty) return 0;
  int64_t count = 1;
  for (int64_t d : shape) {
    if (count > std::numeric_limits<int64_t>::max() / d) return -1;
    count *= d;
  }
  return count;
}
int Tensor::channels() const { return image_dimension(shape, 1); }
int Tensor::height() const { return image_dimension(shape, 2); }
int Tensor::width() const { return image_dimension(shape, 3); }

Tensor image_to_tensor(const Image& image, const Normalization& norm) {
  Tensor tensor;
  const bool valid = !image.empty() && image.rgba.size() == size_t(image.width) * size_t(image.height) * 4;
  if (!valid) {  // nothing sensible to convert: an empty {1,3,0,0} tensor, which every consumer refuses
    tensor.shape = {1, 3, 0, 0};
    return tensor;
  }
  const size_t plane = size_t(image.width) * size_t(image.height);
  tensor.shape = {1, 3, image.height, image.width};
  tensor.data.resize(plane * 3);
  for (size_t c = 0; c < 3; ++c) {
    // x = (p * scale - mean) / std, written as p * a + b so the loop is one multiply-add per pixel.
    const float a = norm.scale / norm.std[c];
    const float b = -norm.mean[c] / norm.std[c];
    float* out = tensor.data.data() + c * plane;
    for (size_t i = 0; i < plane; ++i) out[i] = float(image.rgba[i * 4 + c]) * a + b;
  }
  return tensor;
}

Result<Image> tensor_to_image(const Tensor& tensor, const Normalization& norm) {
  if (tensor.shape.size() != 4 || tensor.shape[0] != 1 || tensor.shape[1] != 3 || tensor.shape[2] <= 0 ||
      tensor.shape[3] <= 0) {
    return Result<Image>::failure("cannot make an image from a tensor of shape " + shape_text(tensor.shape) +
                                  ": expected {1,3,H,W} with H and W at least 1; check the model's output");
  }
  if (tensor.height() == 0 || tensor.width() == 0 || tensor.element_count() < 0) {
    return Result<Image>::failure("cannot make an image from a tensor of shape " + shape_text(tensor.shape) +
                                  ": no image has sides that long; check the model's output");
  }
  if (int64_t(tensor.data.size()) != tensor.element_count()) {
    return Result<Image>::failure("cannot make an image: the tensor holds " + std::to_string(tensor.data.size()) +
                                  " values but its shape needs " + std::to_string(tensor.element_count()));
  }
  if (!(norm.scale != 0.0f) || norm.std[0] == 0.0f || norm.std[1] == 0.0f || norm.std[2] == 0.0f) {
    return Result<Image>::failure("cannot make an image: the normalization has a scale or std of 0, which cannot be "
                                  "inverted; fix the model's manifest entry");
  }
  Image image;
  image.width = tensor.width();
  image.height = tensor.height();
  const size_t plane = size_t(image.width) * size_t(image.height);
  image.rgba.assign(plane * 4, 255);
  for (size_t c = 0; c < 3; ++c) {
    // p = (x * std + mean) / scale
    const float a = norm.std[c] / norm.scale;
    const float b = norm.mean[c] / norm.scale;
    const float* in = tensor.data.data() + c * plane;
    for (size_t i = 0; i < plane; ++i) {
      const float p = in[i] * a + b;
      // NaN (a model that diverged) becomes 0 rather than undefined behaviour in the conversion.
      image.rgba[i * 4 + c] = p >= 0.0f ? uint8_t(std::min(std::round(p), 255.0f)) : 0;
    }
  }
  return Result<Image>::success(std::move(image));
}

}  // namespace styleforge
