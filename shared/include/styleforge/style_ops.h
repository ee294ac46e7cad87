// Post-processing of a stylised image against the photo it came from. All inputs must share one size.
#pragma once
#include "styleforge/image.h"

namespace styleforge {

// Style strength: per-pixel mix, strength 0 = the original, 1 = the stylised result. Clamped to 0..1.
Result<Image> blend_images(const Image& original, const Image& stylized, float strength);

// Colour preservation: luminance (BT.601 Y) of the stylised image with the chroma (Cb, Cr) of the original.
Result<Image> preserve_colour(const Image& original, const Image& stylized);

}  // namespace styleforge
