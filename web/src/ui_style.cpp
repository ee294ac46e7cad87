#include "ui_style.h"

#include "imgui_impl_opengl3.h"

namespace web {
namespace {

// Where CMake's --embed-file puts the fonts in the wasm file system (see web/CMakeLists.txt).
constexpr const char* kRegularFont = "/fonts/Roboto-Regular.ttf";
constexpr const char* kMediumFont = "/fonts/Roboto-Medium.ttf";
constexpr float kBodyCss = 16.0f;     // body text, CSS pixels
constexpr float kHeadingCss = 22.0f;  // app title

float g_scale = 0;  // 0: nothing built yet
ImFont* g_strong = nullptr;
ImFont* g_heading = nullptr;

ImVec4 rgb(int hex, float alpha = 1.0f) {
  return ImVec4(((hex >> 16) & 255) / 255.0f, ((hex >> 8) & 255) / 255.0f, (hex & 255) / 255.0f, alpha);
}

// A dark, slightly warm theme with one accent (coral) reserved for the primary action, sliders and selection, so
// the eye finds the thing to press. Sizes are CSS pixels; apply_ui_scale multiplies them by the DPR.
void set_theme(ImGuiStyle& style) {
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(16, 12);
  style.FramePadding = ImVec2(10, 6);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 12;
  style.GrabMinSize = 14;
  style.WindowRounding = 0;
  style.ChildRounding = 8;
  style.FrameRounding = 6;
  style.GrabRounding = 6;
  style.PopupRounding = 6;
  style.ScrollbarRounding = 6;
  style.TabRounding = 6;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 0;
  style.FrameBorderSize = 0;
  style.PopupBorderSize = 1;

  ImVec4* c = style.Colors;
  const ImVec4 accent = accent_colour();
  c[ImGuiCol_Text] = rgb(0xECE8E3);
  c[ImGuiCol_TextDisabled] = rgb(0x9C98A4);
  c[ImGuiCol_WindowBg] = rgb(0x15161B);
  c[ImGuiCol_ChildBg] = rgb(0x1D1F26);
  c[ImGuiCol_PopupBg] = rgb(0x23252E);
  c[ImGuiCol_Border] = rgb(0x34374A);
  c[ImGuiCol_FrameBg] = rgb(0x2A2C36);
  c[ImGuiCol_FrameBgHovered] = rgb(0x343744);
  c[ImGuiCol_FrameBgActive] = rgb(0x3C3F4E);
  c[ImGuiCol_ScrollbarBg] = rgb(0x15161B, 0);
  c[ImGuiCol_ScrollbarGrab] = rgb(0x3A3D4A);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(0x4A4E5E);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(0x5A5E70);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_SliderGrabActive] = rgb(0xF59A72);
  c[ImGuiCol_Button] = rgb(0x2F3240);
  c[ImGuiCol_ButtonHovered] = rgb(0x3B3F50);
  c[ImGuiCol_ButtonActive] = rgb(0x474C60);
  c[ImGuiCol_Header] = rgb(0xE8784A, 0.25f);
  c[ImGuiCol_HeaderHovered] = rgb(0xE8784A, 0.35f);
  c[ImGuiCol_HeaderActive] = rgb(0xE8784A, 0.45f);
  c[ImGuiCol_Separator] = rgb(0x34374A);
  c[ImGuiCol_Tab] = rgb(0x1D1F26);
  c[ImGuiCol_TabHovered] = rgb(0x3B3F50);
  c[ImGuiCol_TabActive] = rgb(0x2F3240);
  c[ImGuiCol_TabUnfocused] = rgb(0x1D1F26);
  c[ImGuiCol_TabUnfocusedActive] = rgb(0x2F3240);
  c[ImGuiCol_PlotHistogram] = accent;
  c[ImGuiCol_TextSelectedBg] = rgb(0xE8784A, 0.35f);
  c[ImGuiCol_NavHighlight] = accent;
}

void build_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.OversampleH = 2;  // the glyphs are rasterised at their device-pixel size already
  config.OversampleV = 1;
  ImFont* body = io.Fonts->AddFontFromFileTTF(kRegularFont, kBodyCss * scale, &config);
  g_strong = io.Fonts->AddFontFromFileTTF(kMediumFont, kBodyCss * scale, &config);
  g_heading = io.Fonts->AddFontFromFileTTF(kMediumFont, kHeadingCss * scale, &config);
  if (!body || !g_strong || !g_heading) {
    // Only a broken build gets here (the fonts are embedded); ImGui's bitmap font keeps the app usable.
    io.Fonts->Clear();
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * scale;
    body = g_strong = g_heading = io.Fonts->AddFontDefault(&fallback);
  }
  io.FontDefault = body;
}

}  // namespace

float ui_scale() { return g_scale > 0 ? g_scale : 1.0f; }

void apply_ui_scale(float scale) {
  if (scale < 0.5f) scale = 0.5f;
  if (scale > 4.0f) scale = 4.0f;
  if (scale == g_scale) return;
  const bool had_texture = g_scale > 0;
  g_scale = scale;
  ImGuiStyle& style = ImGui::GetStyle();
  set_theme(style);
  style.ScaleAllSizes(scale);
  build_fonts(scale);
  if (had_texture) {
    // The renderer made the old atlas's texture on its first frame; make the new one now.
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

ImFont* strong_font() { return g_strong ? g_strong : ImGui::GetFont(); }
ImFont* heading_font() { return g_heading ? g_heading : ImGui::GetFont(); }

ImVec4 accent_colour() { return rgb(0xE8784A); }
ImVec4 error_colour() { return rgb(0xFF7A6B); }
ImVec4 ok_colour() { return rgb(0x9FD8A0); }

bool primary_button(const char* label, const ImVec2& size) {
  ImGui::PushStyleColor(ImGuiCol_Button, accent_colour());
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, rgb(0xF28A5E));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, rgb(0xD0653A));
  ImGui::PushStyleColor(ImGuiCol_Text, rgb(0x1A1210));
  ImGui::PushFont(strong_font());
  const bool clicked = ImGui::Button(label, size);
  ImGui::PopFont();
  ImGui::PopStyleColor(4);
  return clicked;
}

void form_label(const char* label, float label_width_css) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine(px(label_width_css));
  ImGui::SetNextItemWidth(-1);
}

}  // namespace web
