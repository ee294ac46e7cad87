// Style codes of an arbitrary-style model; see the header.
#include "styleforge/style_code.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace styleforge {

Result<Image> prepare_painting(const Image& painting, int style_size) {
  if (painting.empty()) return Result<Image>::failure("the picture is empty");
  if (style_size < kMinPaintingSide)
    return Result<Image>::failure("the model's style_size " + std::to_string(style_size) + " is under " +
                                  std::to_string(kMinPaintingSide));
  const int shorter = std::min(painting.width, painting.height);
  if (shorter < kMinPaintingSide)
    return Result<Image>::failure("the picture is only " + std::to_string(painting.width) + "x" +
                                  std::to_string(painting.height) + " pixels: a style image needs at least " +
                                  std::to_string(kMinPaintingSide) + " pixels on its shorter side (a photo or scan of "
                                  "a painting, a few hundred pixels or more, works best)");
  // Centre crop of a panorama to kMaxPaintingAspect:1.
  Image cropped;
  const Image* source = &painting;
  const int64_t longest_kept = int64_t(shorter) * kMaxPaintingAspect;
  if (std::max(painting.width, painting.height) > longest_kept) {
    const int w = int(std::min<int64_t>(painting.width, longest_kept));
    const int h = int(std::min<int64_t>(painting.height, longest_kept));
    const int x0 = (painting.width - w) / 2, y0 = (painting.height - h) / 2;
    cropped.width = w;
    cropped.height = h;
    cropped.rgba.resize(size_t(w) * size_t(h) * 4);
    for (int y = 0; y < h; ++y)
      std::copy_n(painting.rgba.begin() + (size_t(y0 + y) * size_t(painting.width) + size_t(x0)) * 4, size_t(w) * 4,
                  cropped.rgba.begin() + size_t(y) * size_t(w) * 4);
    source = &cropped;
  }
  const int source_shorter = std::min(source->width, source->height);
  if (source_shorter == style_size) return Result<Image>::success(*source);
  const double k = double(style_size) / source_shorter;
  // The shorter side exactly style_size; the longer one rounded.
  const bool wide = source->width >= source->height;
  const int width = wide ? std::max(1, int(std::lround(source->width * k))) : style_size;
  const int height = wide ? style_size : std::max(1, int(std::lround(source->height * k)));
  return resize_image(*source, width, height);
}

Result<std::vector<float>> read_style_code(const Tensor& predictor_output, int code_size) {
  using R = Result<std::vector<float>>;
  const auto& shape = predictor_output.shape;
  const bool shape_ok = (shape.size() == 2 && shape[0] == 1 && shape[1] == code_size) ||
                        (shape.size() == 1 && shape[0] == code_size);
  if (!shape_ok || int64_t(predictor_output.data.size()) != int64_t(code_size)) {
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i) dims += (i ? "," : "") + std::to_string(shape[i]);
    return R::failure("the style predictor returned a tensor {" + dims + "} where its manifest entry says {1," +
                      std::to_string(code_size) + "}");
  }
  for (float v : predictor_output.data)
    if (!std::isfinite(v)) return R::failure("the style predictor returned a code with a value that is not a number");
  return R::success(predictor_output.data);
}

Result<std::vector<float>> mix_style_codes(const std::vector<float>& a, const std::vector<float>& b, float t) {
  if (a.size() != b.size() || a.empty())
    return Result<std::vector<float>>::failure("the two style codes have " + std::to_string(a.size()) + " and " +
                                               std::to_string(b.size()) + " numbers: they must be from one model");
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f);
  std::vector<float> mixed(a.size());
  for (size_t i = 0; i < a.size(); ++i) mixed[i] = (1.0f - t) * a[i] + t * b[i];
  return Result<std::vector<float>>::success(std::move(mixed));
}

Tensor style_code_tensor(const std::vector<float>& code) {
  Tensor t;
  t.shape = {1, int64_t(code.size())};
  t.data = code;
  return t;
}

}  // namespace styleforge
