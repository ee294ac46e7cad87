// styleforge web app: GLFW window on the page's canvas, Dear ImGui drawn with WebGL2, one frame per
// requestAnimationFrame. Everything slow (model runs, fetches, file reads) completes through callbacks that the
// frame function polls, so the UI keeps drawing while a model runs.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>

#include "app.h"
#include "file_bridge.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

namespace {

GLFWwindow* g_window = nullptr;

// The canvas fills the page (CSS); keep the GLFW window, and so the drawing buffer, at the canvas's CSS size.
void follow_canvas_size() {
  double css_width = 0, css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  int width = 0, height = 0;
  glfwGetWindowSize(g_window, &width, &height);
  if (css_width >= 1 && css_height >= 1 && (int(css_width) != width || int(css_height) != height)) {
    glfwSetWindowSize(g_window, int(css_width), int(css_height));
  }
}

void frame() {
  follow_canvas_size();
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  web::app().frame();
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(g_window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
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
  g_window = glfwCreateWindow(1280, 800, "styleforge", nullptr, nullptr);
  if (!g_window) {
    std::fprintf(stderr, "styleforge: could not create a WebGL2 context; use a browser with WebGL2 enabled\n");
    return 1;
  }
  glfwMakeContextCurrent(g_window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // nothing to persist between visits
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  web::install_file_inputs();
  web::app().start();
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
