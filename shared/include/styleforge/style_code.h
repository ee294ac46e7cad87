// Style codes of an arbitrary-style model (manifest kinds style-predictor and arbitrary-style, manifest.h): the
// painting prepared for the predictor, the predictor's output read as a code, two codes mixed, and a code as the
// tensor the transformer's conditioning input takes (Backend::set_conditioning).
#pragma once
#include <vector>

#include "styleforge/image.h"
#include "styleforge/result.h"
#include "styleforge/tensor.h"

namespace styleforge {

// The smallest shorter side a painting may have: the predictor looks at it through a stride-16 network, and a
// picture smaller than this is a thumbnail or an icon, blown up to style_size, not a painting's manner.
inline constexpr int kMinPaintingSide = 32;
// The longest side may be at most this many times the shorter one; a wider panorama is cut to its middle, so a
// strip of 32x16384 pixels cannot become a predictor input of hundreds of megabytes.
inline constexpr int kMaxPaintingAspect = 4;

// The painting as the predictor takes it: centre-cropped to at most kMaxPaintingAspect:1, then scaled (bilinear)
// so its shorter side is `style_size` (unchanged when it already is). Refuses a painting whose shorter side is under
// kMinPaintingSide: "the picture is only 1x1 pixels: a style image needs at least 32 pixels on its shorter side
// (a photo or scan of a painting, a few hundred pixels or more, works best)".
Result<Image> prepare_painting(const Image& painting, int style_size);

// The predictor's output as a code of `code_size` numbers: it must be {1, code_size} (or {code_size}) and finite.
Result<std::vector<float>> read_style_code(const Tensor& predictor_output, int code_size);

// (1 - t) * a + t * b, t clamped to 0..1: a mix of two styles in code space (not of their output pixels).
Result<std::vector<float>> mix_style_codes(const std::vector<float>& a, const std::vector<float>& b, float t);

// A code as the {1, N} tensor of the transformer's style input.
Tensor style_code_tensor(const std::vector<float>& code);

}  // namespace styleforge
