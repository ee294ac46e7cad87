#include "texture.h"

#include <GLES3/gl3.h>

#include <algorithm>

namespace web {

constexpr int kPixelatedMaxSide = 64;

Texture::~Texture() { clear(); }

void Texture::clear() {
  if (gl_name_ != 0) glDeleteTextures(1, &gl_name_);
  gl_name_ = 0;
  width_ = height_ = 0;
}

bool Texture::set(const styleforge::Image& image, int max_side) {
  clear();
  if (image.empty()) return false;
  const styleforge::Image* shown = &image;
  styleforge::Image scaled;
  if (std::max(image.width, image.height) > max_side) {
    const double k = double(max_side) / std::max(image.width, image.height);
    auto resized = styleforge::resize_image(image, std::max(1, int(image.width * k)), std::max(1, int(image.height * k)));
    if (!resized.ok()) return false;
    scaled = std::move(resized.value);
    shown = &scaled;
  }
  glGenTextures(1, &gl_name_);
  glBindTexture(GL_TEXTURE_2D, gl_name_);
  // Tiny pictures (a 28x28 generator's) are shown many times enlarged: nearest-neighbour keeps their pixels crisp
  // where linear filtering would smear them into a blur.
  const GLint magnify = std::max(shown->width, shown->height) <= kPixelatedMaxSide ? GL_NEAREST : GL_LINEAR;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, magnify);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, shown->width, shown->height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
               shown->rgba.data());
  width_ = image.width;
  height_ = image.height;
  return true;
}

void Texture::draw_fitted(float max_width, float max_height) const {
  if (empty() || max_width <= 0 || max_height <= 0) return;
  const float k = std::min(max_width / width_, max_height / height_);
  ImGui::Image(id(), ImVec2(width_ * k, height_ * k));
}

}  // namespace web
