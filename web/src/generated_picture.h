// Generated pictures in the Generate tab: the model's output tensor turned into images (one or a batch), drawn
// with crisp pixels at a whole multiple of their size, and saved as PNG.
#pragma once
#include <string>
#include <vector>

#include "styleforge/image.h"
#include "styleforge/result.h"
#include "styleforge/tensor.h"
#include "texture.h"

namespace web {

// One generated picture and what shows it. `serial` counts completed renders (tests wait on it).
struct Generated {
  styleforge::Image image;
  Texture texture;
  int serial = 0;
  void show(styleforge::Image picture);  // keeps it, uploads it, counts the render
};

// {N, C, H, W} generator output (C 1 or 3, in the model's normalisation) -> N RGBA images; grey outputs are
// repeated into R, G and B.
styleforge::Result<std::vector<styleforge::Image>> generated_to_images(const styleforge::Tensor& batch,
                                                                       const styleforge::Normalization& norm);

// The largest whole multiple of the texture's size that fits `max_side` (at least 1x), so every model pixel is an
// equal square of screen pixels (Texture magnifies small pictures with nearest-neighbour); an empty framed square
// of `max_side` when there is no picture yet. Returns the side drawn.
float draw_pixels(const Texture& texture, float max_side);
// The same as a button (a tile of the sample grid); true when clicked. `selected` draws an accent frame.
bool pixels_button(const char* id, const Texture& texture, float side, bool selected);

// Offers `image` enlarged `scale` times with crisp pixels as a PNG download named `file_name`.
styleforge::Status save_png(const styleforge::Image& image, int scale, const std::string& file_name);

}  // namespace web
