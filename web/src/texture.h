// A WebGL texture that shows a styleforge::Image in ImGui. Owns its GL name; one per on-screen picture.
#pragma once
#include "imgui.h"
#include "styleforge/image.h"

namespace web {

class Texture {
 public:
  Texture() = default;
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;
  ~Texture();

  // Uploads `image`. Pictures larger than `max_side` are shown downscaled: the GPU limit on texture size and the
  // memory a full 4000x3000 upload would take buy nothing on a screen. Returns false (and shows nothing) on failure.
  bool set(const styleforge::Image& image, int max_side = 2048);
  void clear();
  bool empty() const { return gl_name_ == 0; }
  ImTextureID id() const { return (ImTextureID)(intptr_t)gl_name_; }
  // Size of the picture it shows (before any downscale), for aspect ratios and captions.
  int width() const { return width_; }
  int height() const { return height_; }
  // Draws the texture fitted into max_width x max_height, keeping its aspect ratio.
  void draw_fitted(float max_width, float max_height) const;

 private:
  unsigned gl_name_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace web
