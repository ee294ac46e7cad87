// Named rectangles of the widgets drawn in a frame, so tests can check that every control is on screen and that
// nothing moves when a message appears (window.styleforge.layout(), automation.cpp). Recording costs a map insert
// per named widget per frame.
#pragma once
#include <string>

#include "imgui.h"

namespace web {

void probe_begin_frame();              // the previous frame's record becomes the one reported
void probe_item(const char* name);     // the rectangle of the last ImGui item
void probe_rect(const char* name, const ImVec2& min, const ImVec2& max);
// {"css_width", "css_height", "dpr", "font_px", "widgets": {name: {x, y, w, h}}}, rectangles in CSS pixels of the
// page; font_px is the body font's size in device pixels.
std::string probe_json(double css_width, double css_height, double dpr);

}  // namespace web
