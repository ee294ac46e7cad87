// The app's shared state: the manifest, one ONNX Runtime session per model, the engine preference, the message
// line, and the two panels. One instance lives for the page's lifetime (app()); the ImGui buttons and the
// automation API (automation.cpp) call the same member functions.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "generate_panel.h"
#include "ort_backend.h"
#include "styleforge/manifest.h"
#include "stylize_panel.h"
#include "texture.h"

namespace web {

// Where the site keeps its models, relative to the page.
inline constexpr const char* kModelsDir = "models/";

struct LastRun {
  std::string what;             // "stylize", "gan", "vae-decode", ...
  std::string engine;           // engine(s) that actually ran
  std::string network;          // "quality" or "fast" (StylizeOptions::fast); "fast + quality" for a mixed blend
  std::vector<std::string> models;  // ids of the manifest entries that ran, in order
  std::string fallback_reason;  // why WebGPU was not used, if it was asked for and not used
  double session_ms = 0;        // creation of the session(s) involved
  double warmup_ms = 0;         // WebGPU: the warm-up run(s) after creation (shader compilation), not in inference_ms
  std::string graph_capture;    // webcam on WebGPU: graph capture's state (SessionInfo::graph_capture)
  double inference_ms = 0;      // session.run() summed over tiles / models
  double total_ms = 0;          // click to picture, including our pre/post-processing and copies
  double bridge_ms = 0;         // heap <-> ORT tensor copies in JS
  int tiles = 0;
};

class App {
 public:
  void start();  // fetches the manifest
  void frame();  // one UI frame: polls bridges, draws every window

  // Models.
  bool manifest_loaded() const { return manifest_loaded_; }
  const std::string& manifest_error() const { return manifest_error_; }
  const styleforge::Manifest& manifest() const { return manifest_; }
  const Texture* thumbnail(const std::string& model_id) const;
  // The backend for a model, created and loading on first use. Never null for an entry of the manifest.
  OrtBackend* backend_for(const styleforge::ModelEntry& entry);
  void set_engine(EnginePreference preference);  // drops every session: the next run recreates them
  EnginePreference engine() const { return engine_; }
  // Forgets a model's session (after it failed to load, so that the next try loads it again).
  void drop_backend(const std::string& model_id) { backends_.erase(model_id); }
  // A style model the person brought ("Add my own model", or an .onnx dropped on the page): its manifest entry is
  // read from the file's metadata (styleforge/onnx_metadata.h) and it joins the styles for this visit, chosen, its
  // session loading from the file's bytes. Waits while a run holds entries of the model list (adding one may move
  // them); wrong files get a message saying what the file is and what to do.
  void add_user_model(const Upload& upload);
  bool is_user_model(const std::string& model_id) const { return user_urls_.count(model_id) != 0; }

  // The status area under the title: errors say what was wrong and what to do.
  void set_error(std::string text) { error_ = std::move(text); info_.clear(); }
  void set_info(std::string text) { info_ = std::move(text); error_.clear(); }
  const std::string& error() const { return error_; }
  const std::string& info() const { return info_; }

  LastRun last_run;
  StylizePanel stylize;
  GeneratePanel generate;
  int active_tab = 0;  // the tab on screen: 0 stylize, 1 generate, 2 engine
  void show_tab(int tab) { requested_tab_ = tab; }

 private:
  void on_manifest(styleforge::Result<std::vector<uint8_t>> bytes);
  void dispatch_uploads();
  void add_pending_models();
  std::string model_url(const styleforge::ModelEntry& entry) const;
  void draw_status_area();

  bool manifest_loaded_ = false;
  std::string manifest_error_;
  styleforge::Manifest manifest_;
  std::map<std::string, std::unique_ptr<Texture>> thumbnails_;
  std::map<std::string, std::unique_ptr<OrtBackend>> backends_;
  std::map<std::string, std::string> user_urls_;  // the person's own models: id -> blob: URL of the file's bytes
  std::vector<Upload> pending_models_;            // model files waiting for the running job to finish
  bool pending_said_ = false;                     // the "once the run finishes" message was shown
  EnginePreference engine_ = EnginePreference::Auto;
  std::string error_, info_;
  int requested_tab_ = -1;
};

App& app();

}  // namespace web
