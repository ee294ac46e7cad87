#include "status_panel.h"

#include "app.h"
#include "imgui.h"
#include "ui_style.h"

namespace web {

void draw_status_panel(App& app) {
  const bool busy = app.stylize.running() || app.generate.busy();
  int preference = int(app.engine());
  ImGui::PushFont(strong_font());
  ImGui::TextUnformatted("Run models on");
  ImGui::PopFont();
  ImGui::BeginDisabled(busy);
  // One per line: the labels explain themselves and fit a phone's width.
  bool changed = ImGui::RadioButton("Auto: WebGPU on a real GPU, otherwise WASM", &preference, int(EnginePreference::Auto));
  changed |= ImGui::RadioButton("WebGPU only (also a software adapter)", &preference, int(EnginePreference::WebGpu));
  changed |= ImGui::RadioButton("WASM only (the CPU)", &preference, int(EnginePreference::Wasm));
  ImGui::EndDisabled();
  if (changed) app.set_engine(EnginePreference(preference));

  const RuntimeInfo rt = runtime_info();
  ImGui::Separator();
  ImGui::TextDisabled("This page");
  ImGui::Text("ONNX Runtime Web %s", rt.ort_version.c_str());
  ImGui::Text("WASM threads: %d", rt.threads);
  ImGui::Text("Cross-origin isolated: %s   inference worker: %s", rt.cross_origin_isolated ? "yes" : "no",
              rt.proxy ? "yes" : "no");
  if (!rt.note.empty()) ImGui::TextWrapped("%s", rt.note.c_str());
  ImGui::TextWrapped("WebGPU: %s", rt.webgpu_status.c_str());

  ImGui::Separator();
  ImGui::TextDisabled("Made with");
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("ONNX Runtime Web (MIT), Dear ImGui (MIT), Emscripten. Font: Roboto by Christian Robertson "
                      "(Google), Apache License 2.0, from Debian's fonts-roboto-unhinted.");
  ImGui::PopTextWrapPos();

  ImGui::Separator();
  ImGui::TextDisabled("Last run");
  const LastRun& run = app.last_run;
  if (run.what.empty()) {
    ImGui::TextDisabled("Nothing has run yet.");
    return;
  }
  ImGui::Text("%s on %s", run.what.c_str(), run.engine.c_str());
  if (!run.network.empty()) {
    std::string ids;
    for (const std::string& id : run.models) ids += (ids.empty() ? "" : ", ") + id;
    ImGui::TextWrapped("%s network (%s)", run.network.c_str(), ids.c_str());
  }
  if (!run.fallback_reason.empty()) ImGui::TextWrapped("WebGPU not used: %s.", run.fallback_reason.c_str());
  ImGui::Text("session creation %.1f ms", run.session_ms);
  if (run.warmup_ms > 0) ImGui::Text("WebGPU warm-up %.1f ms (compiles the shaders; not in inference)", run.warmup_ms);
  if (!run.graph_capture.empty()) ImGui::TextWrapped("graph capture: %s", run.graph_capture.c_str());
  ImGui::Text("inference %.1f ms (%d run%s)", run.inference_ms, run.tiles, run.tiles == 1 ? "" : "s");
  ImGui::Text("total %.1f ms, of which copies to/from ONNX Runtime %.1f ms", run.total_ms, run.bridge_ms);
}

}  // namespace web
