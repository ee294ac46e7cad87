#include "app.h"

#include "fetch_bridge.h"
#include "imgui.h"
#include "status_panel.h"

namespace web {

App& app() {
  static App instance;
  return instance;
}

void App::start() {
  fetch_bytes(std::string(kModelsDir) + "manifest.json",
              [this](styleforge::Result<std::vector<uint8_t>> bytes) { on_manifest(std::move(bytes)); });
}

void App::on_manifest(styleforge::Result<std::vector<uint8_t>> bytes) {
  manifest_loaded_ = true;
  if (!bytes.ok()) {
    manifest_error_ = "Could not load the model list (" + bytes.error +
                      "). Serve the assembled site/ folder (scripts/serve) so that models/manifest.json is present.";
    return;
  }
  auto parsed = styleforge::parse_manifest(std::string(bytes.value.begin(), bytes.value.end()), "models/manifest.json");
  if (!parsed.ok()) {
    manifest_error_ = "The model list is broken: " + parsed.error + ". Rebuild the site to restore it.";
    return;
  }
  manifest_ = std::move(parsed.value);
  if (manifest_.models.empty()) {
    manifest_error_ = "No models shipped yet: models/manifest.json lists none. Train and export one with the trainer "
                      "(see README), rebuild the site, and reload this page.";
    return;
  }
  for (const auto& entry : manifest_.models) {
    if (stylize.options.model_id.empty() && entry.kind == styleforge::ModelKind::Style) {
      stylize.options.model_id = entry.id;
    } else if (stylize.options.second_model_id.empty() && entry.kind == styleforge::ModelKind::Style) {
      stylize.options.second_model_id = entry.id;
    }
    if (entry.thumbnail.empty()) continue;
    const std::string id = entry.id;
    // A missing or broken thumbnail only costs the picture; the model stays usable.
    fetch_bytes(kModelsDir + entry.thumbnail, [this, id](styleforge::Result<std::vector<uint8_t>> thumb) {
      if (!thumb.ok()) return;
      auto image = styleforge::decode_image(thumb.value.data(), thumb.value.size());
      if (!image.ok()) return;
      auto texture = std::make_unique<Texture>();
      if (texture->set(image.value, 256)) thumbnails_[id] = std::move(texture);
    });
  }
}

const Texture* App::thumbnail(const std::string& model_id) const {
  auto it = thumbnails_.find(model_id);
  return it == thumbnails_.end() ? nullptr : it->second.get();
}

OrtBackend* App::backend_for(const styleforge::ModelEntry& entry) {
  auto it = backends_.find(entry.id);
  // A session that failed to load is made again, so a fixed file or another engine gets a fresh try.
  if (it != backends_.end() && it->second->info().state == SessionInfo::State::Failed) {
    backends_.erase(it);
    it = backends_.end();
  }
  if (it == backends_.end()) {
    auto backend = std::make_unique<OrtBackend>(engine_);
    backend->load(entry, kModelsDir + entry.file);
    it = backends_.emplace(entry.id, std::move(backend)).first;
  }
  return it->second.get();
}

void App::set_engine(EnginePreference preference) {
  if (preference == engine_) return;
  if (stylize.running() || generate.busy()) {
    set_error("Wait for the current run to finish (or cancel it) before switching engines.");
    return;
  }
  engine_ = preference;
  backends_.clear();
  set_info(std::string("Engine: ") + to_string(preference) + ". Models load again on their next run.");
}

void App::dispatch_uploads() {
  for (const Upload& upload : take_uploads()) {
    if (upload.slot == UploadSlot::Photo) {
      stylize.on_upload(*this, upload);
    } else {
      generate.on_upload(*this, upload);
    }
  }
}

void App::draw_message_line() {
  if (!error_.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", error_.c_str());
    ImGui::PopTextWrapPos();
  } else if (!info_.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.6f, 0.85f, 0.6f, 1.0f), "%s", info_.c_str());
    ImGui::PopTextWrapPos();
  }
  if (manifest_loaded_ && !manifest_error_.empty() && manifest_.models.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "%s", manifest_error_.c_str());
    ImGui::PopTextWrapPos();
  }
}

void App::frame() {
  poll_fetches();
  poll_ort_jobs();
  dispatch_uploads();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  ImGui::Begin("styleforge", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::Text("styleforge");
  ImGui::SameLine();
  ImGui::TextDisabled("- style transfer and image generation that run on this device; photos never leave it");
  draw_message_line();
  if (ImGui::BeginTabBar("tabs")) {
    // A tab asked for by the automation API is selected through SetSelected until ImGui shows it.
    auto flags = [&](int tab) { return requested_tab_ == tab ? ImGuiTabItemFlags_SetSelected : 0; };
    auto shown = [&](int tab) {
      active_tab = tab;
      if (requested_tab_ == tab) requested_tab_ = -1;
    };
    if (ImGui::BeginTabItem("Stylize", nullptr, flags(0))) {
      shown(0);
      set_drop_slot(UploadSlot::Photo);
      stylize.draw(*this);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Generate", nullptr, flags(1))) {
      shown(1);
      set_drop_slot(UploadSlot::VaeA);
      generate.draw(*this);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Engine", nullptr, flags(2))) {
      shown(2);
      draw_status_panel(*this);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace web
