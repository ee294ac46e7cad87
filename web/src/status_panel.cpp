#include "status_panel.h"

#include "app.h"
#include "imgui.h"

namespace web {

void draw_status_panel(App& app) {
  const bool busy = app.stylize.running() || app.generate.busy();
  int preference = int(app.engine());
  ImGui::Text("Run models on:");
  ImGui::BeginDisabled(busy);
  bool changed = ImGui::RadioButton("Auto (WebGPU, else WASM)", &preference, int(EnginePreference::Auto));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("WebGPU only", &preference, int(EnginePreference::WebGpu));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("WASM only", &preference, int(EnginePreference::Wasm));
  ImGui::EndDisabled();
  if (changed) app.set_engine(EnginePreference(preference));

  const RuntimeInfo rt = runtime_info();
  ImGui::Separator();
  ImGui::TextDisabled("This page");
  ImGui::Text("ONNX Runtime Web %s", rt.ort_version.c_str());
  ImGui::Text("WASM threads: %d   cross-origin isolated: %s   inference worker: %s", rt.threads,
              rt.cross_origin_isolated ? "yes" : "no", rt.proxy ? "yes" : "no");
  if (!rt.note.empty()) ImGui::TextWrapped("%s", rt.note.c_str());
  ImGui::TextWrapped("WebGPU: %s", rt.webgpu_status.c_str());

  ImGui::Separator();
  ImGui::TextDisabled("Last run");
  const LastRun& run = app.last_run;
  if (run.what.empty()) {
    ImGui::TextDisabled("Nothing has run yet.");
    return;
  }
  ImGui::Text("%s on %s", run.what.c_str(), run.engine.c_str());
  if (!run.fallback_reason.empty()) ImGui::TextWrapped("WebGPU not used: %s", run.fallback_reason.c_str());
  ImGui::Text("session creation %.1f ms   inference %.1f ms (%d run%s)", run.session_ms, run.inference_ms, run.tiles,
              run.tiles == 1 ? "" : "s");
  ImGui::Text("total %.1f ms   of which copies to/from ONNX Runtime %.1f ms", run.total_ms, run.bridge_ms);
}

}  // namespace web
