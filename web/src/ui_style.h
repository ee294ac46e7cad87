// The app's look: our own colour theme, the Roboto font (Debian fonts-roboto-unhinted, embedded at link time) drawn
// at the device pixel ratio so text is crisp at DPR 1-3, and the few widgets styled apart (the primary action).
//
// ImGui works in device pixels (the canvas backing store is CSS size x DPR), while layout code thinks in CSS
// pixels: every size written in the UI code goes through px().
#pragma once
#include "imgui.h"

namespace web {

float ui_scale();  // device pixels per CSS pixel (the devicePixelRatio the fonts were built for)
inline float px(float css_pixels) { return css_pixels * ui_scale(); }

// Builds the theme and the font atlas for `scale` when it differs from the current one (first call, a move to
// another screen, browser zoom). Call between frames: it replaces the font texture.
void apply_ui_scale(float scale);

ImFont* strong_font();   // body size, medium weight: the primary button, section titles
ImFont* heading_font();  // the app title

// The one prominent action of a panel (Stylize): accent colour, medium weight. Returns true when clicked.
bool primary_button(const char* label, const ImVec2& size);

// A row "label   [widget]": the label in a fixed left column, the widget filling the rest of the line. Call it,
// then draw the widget with a "##id" label. Labels on the left read like a form, not like ImGui's default.
void form_label(const char* label, float label_width_css = 110);

// Accent colours the panels share.
ImVec4 accent_colour();
ImVec4 error_colour();
ImVec4 ok_colour();

}  // namespace web
