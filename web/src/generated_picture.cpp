#include "generated_picture.h"

#include <algorithm>
#include <cmath>

#include "file_bridge.h"
#include "imgui.h"
#include "ui_style.h"

namespace web {

using styleforge::Image;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

void Generated::show(Image picture) {
  image = std::move(picture);
  texture.set(image);
  serial++;
}

Result<std::vector<Image>> generated_to_images(const Tensor& batch, const styleforge::Normalization& norm) {
  using R = Result<std::vector<Image>>;
  if (batch.shape.size() != 4 || (batch.shape[1] != 1 && batch.shape[1] != 3) ||
      batch.element_count() != int64_t(batch.data.size()))
    return R::failure("expected an image batch {N, 1 or 3, H, W}, got a tensor of " +
                      std::to_string(batch.shape.size()) + " dimensions");
  const int64_t n = batch.shape[0], channels = batch.shape[1], plane = batch.shape[2] * batch.shape[3];
  std::vector<Image> images;
  for (int64_t i = 0; i < n; ++i) {
    Tensor one;
    one.shape = {1, 3, batch.shape[2], batch.shape[3]};
    one.data.resize(size_t(3 * plane));
    const float* source = batch.data.data() + i * channels * plane;
    for (int64_t c = 0; c < 3; ++c)  // grey generators ({N,1,H,W}) shown as grey RGB
      std::copy_n(source + (channels == 3 ? c : 0) * plane, plane, one.data.begin() + c * plane);
    auto image = styleforge::tensor_to_image(one, norm);
    if (!image.ok()) return R::failure(image.error);
    images.push_back(std::move(image.value));
  }
  return R::success(std::move(images));
}

namespace {

float whole_multiple_side(const Texture& texture, float max_side) {
  const int size = std::max(texture.width(), texture.height());
  return size > 0 ? std::max(1.0f, std::floor(max_side / size)) * size : max_side;
}

void empty_square(float side) {
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  ImGui::GetWindowDrawList()->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side),
                                            ImGui::GetColorU32(ImGuiCol_FrameBg), px(4));
}

}  // namespace

float draw_pixels(const Texture& texture, float max_side) {
  if (texture.empty()) {
    empty_square(max_side);
    return max_side;
  }
  const float side = whole_multiple_side(texture, max_side);
  ImGui::Image(texture.id(), ImVec2(side * texture.width() / std::max(texture.width(), texture.height()),
                                    side * texture.height() / std::max(texture.width(), texture.height())));
  return side;
}

bool pixels_button(const char* id, const Texture& texture, float side, bool selected) {
  if (texture.empty()) {
    empty_square(side);
    return false;
  }
  const float drawn = whole_multiple_side(texture, side);
  ImGui::PushID(id);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(px(2), px(2)));
  ImGui::PushStyleColor(ImGuiCol_Button, selected ? accent_colour() : ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  const bool clicked = ImGui::ImageButton(texture.id(), ImVec2(drawn, drawn));
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  ImGui::PopID();
  return clicked;
}

Status save_png(const Image& image, int scale, const std::string& file_name) {
  if (image.empty()) return Status::failure("Nothing to save yet: sample a picture first.");
  auto big = styleforge::upscale_nearest(image, scale);
  if (!big.ok()) return Status::failure("Could not enlarge the picture: " + big.error);
  return download_png(big.value, file_name);
}

}  // namespace web
