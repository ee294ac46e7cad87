// The Engine tab: which engine the person wants (auto / WebGPU / WASM), what actually ran, why a fallback
// happened, session-creation and inference times of the last run, threads and cross-origin isolation.
#pragma once

namespace web {
class App;
void draw_status_panel(App& app);
}  // namespace web
