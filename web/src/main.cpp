// styleforge web app: GLFW window on the page's canvas, Dear ImGui drawn with WebGL2, one frame per
// requestAnimationFrame. Everything slow (model runs, fetches, file reads) completes through callbacks that the
// frame function polls, so the UI keeps drawing while a model runs.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>

#include "activity.h"
#include "app.h"
#include "file_bridge.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "layout_probe.h"
#include "ort_backend.h"
#include "ui_style.h"

namespace {

GLFWwindow* g_window = nullptr;

// Resizes the canvas's drawing buffer through emscripten's Browser.setCanvasSize, which also tells GLFW (window and
// framebuffer size callbacks). glfwSetWindowSize would do the same but enters fullscreen when the size equals the
// screen's, as it does for a maximised window at DPR 1.
EM_JS(void, js_set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });

// The canvas fills the page (CSS). Its drawing buffer is the CSS size times the device pixel ratio, so every canvas
// pixel is one screen pixel (crisp text at DPR 2 and 3); ImGui then works in device pixels and the UI scales itself
// by the ratio (ui_style). Checked every frame: resizes, rotation, browser zoom and moves between screens all land.
void follow_canvas_size() {
  double css_width = 0, css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  const double ratio = emscripten_get_device_pixel_ratio();
  const int want_width = int(css_width * ratio + 0.5), want_height = int(css_height * ratio + 0.5);
  int width = 0, height = 0;
  glfwGetWindowSize(g_window, &width, &height);
  if (want_width >= 1 && want_height >= 1 && (want_width != width || want_height != height)) {
    js_set_canvas_size(want_width, want_height);
    web::note_activity();  // ImGui takes a few frames to lay out the new size
  }
  web::apply_ui_scale(float(ratio));
}

// While a model runs (a photo, its tiles, a camera frame, a generator) and the person gives no input, the UI is
// drawn only when a run comes back and otherwise at most every kBusyRedrawMs (the spinner and the elapsed time
// still move): in a browser that draws in software each UI frame takes CPU the model's threads need. In headless
// Chromium on 2 cores, the fast network on a 320x240 camera frame ran at ~100 ms this way and ~120-140 ms with the
// UI drawn every animation frame (web/README.md, "Live webcam"). Input, a resize or an automation call: every
// frame again.
// The Webcam mode has no spinner (each frame that comes back is drawn), so it rests longer between draws.
constexpr double kBusyRedrawMs = 250, kWebcamRedrawMs = 1000;
constexpr double kAfterActivityMs = 250;
bool skip_drawing(double last_drawn_ms) {
  if (web::ort_jobs_in_flight() == 0 || web::g_redraw_always) return false;
  const double now = emscripten_get_now();
  if (now - web::last_activity_ms() < kAfterActivityMs) return false;
  const bool streaming = web::app().stylize.webcam.in_flight();
  if (now - last_drawn_ms >= (streaming ? kWebcamRedrawMs : kBusyRedrawMs)) return false;
  return web::poll_ort_jobs() == 0;  // a run came back (a frame, a tile, a picture): draw it now
}

void frame() {
  static double last_drawn_ms = 0;
  follow_canvas_size();
  glfwPollEvents();
  if (skip_drawing(last_drawn_ms)) {
    ++web::frame_counts().rested;
    return;
  }
  ++web::frame_counts().drawn;
  last_drawn_ms = emscripten_get_now();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  web::probe_begin_frame();
  web::app().frame();
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(g_window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.082f, 0.086f, 0.106f, 1.0f);  // the theme's window colour, for the first frame
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

int main() {
  if (!glfwInit()) {
    std::fprintf(stderr, "styleforge: GLFW could not start; this browser may lack WebGL2\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // ImGui draws flat triangles: no depth or stencil buffer, and an opaque canvas (the compositor need not blend it
  // with the page). Each costs memory and time on every frame, most where the browser draws in software.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  g_window = glfwCreateWindow(1280, 800, "styleforge", nullptr, nullptr);
  if (!g_window) {
    std::fprintf(stderr, "styleforge: could not create a WebGL2 context; use a browser with WebGL2 enabled\n");
    return 1;
  }
  glfwMakeContextCurrent(g_window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // nothing to persist between visits
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  follow_canvas_size();  // theme and fonts for this screen before the first frame

  web::install_file_inputs();
  web::watch_input();
  web::app().start();
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
