#include "layout_probe.h"

#include <map>

#include <nlohmann/json.hpp>

#include "ui_style.h"

namespace web {
namespace {

struct Rect {
  float x, y, w, h;
};
std::map<std::string, Rect> g_drawing, g_last_frame;

}  // namespace

void probe_begin_frame() {
  g_last_frame.swap(g_drawing);
  g_drawing.clear();
}

void probe_rect(const char* name, const ImVec2& min, const ImVec2& max) {
  g_drawing[name] = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
}

void probe_item(const char* name) { probe_rect(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

std::string probe_json(double css_width, double css_height, double dpr) {
  nlohmann::json widgets = nlohmann::json::object();
  const float k = 1.0f / ui_scale();  // ImGui's device pixels -> CSS pixels
  for (const auto& [name, r] : g_last_frame)
    widgets[name] = {{"x", r.x * k}, {"y", r.y * k}, {"w", r.w * k}, {"h", r.h * k}};
  // The body font's size in device pixels: 16 x DPR when glyphs are rasterised for this screen, not scaled up.
  const float font_px = ImGui::GetIO().FontDefault ? ImGui::GetIO().FontDefault->FontSize : 0.0f;
  return nlohmann::json{{"css_width", css_width}, {"css_height", css_height}, {"dpr", dpr}, {"font_px", font_px},
                        {"widgets", widgets}}
      .dump();
}

}  // namespace web
