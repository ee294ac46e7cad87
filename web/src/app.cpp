#include "app.h"

#include <emscripten.h>

#include <cstdio>
#include <cstdlib>

#include "fetch_bridge.h"
#include "imgui.h"
#include "layout_probe.h"
#include "status_panel.h"
#include "styleforge/onnx_metadata.h"
#include "ui_style.h"

namespace web {
namespace {

// A blob: URL holding a copy of data[0, size), for ONNX Runtime to load as it loads a served model. Kept for the
// visit (the session may be created again: engine switch, Auto falling back to WASM). Returns a malloc'd string.
EM_JS(char*, js_blob_url, (const uint8_t* data, int size), {
  const url = URL.createObjectURL(new Blob([HEAPU8.slice(data, data + size)], {type: 'application/octet-stream'}));
  const length = lengthBytesUTF8(url) + 1;
  const ptr = _malloc(length);
  stringToUTF8(url, ptr, length);
  return ptr;
});

}  // namespace

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
  // The network the shipped set says to run until the person chooses (manifest "default_network").
  stylize.options.fast = manifest_.fast_by_default;
  for (const auto& entry : manifest_.models) {
    // A fast network is chosen through its style (StylizeOptions::fast), never as the style itself.
    const bool style = listed_style(entry);
    if (stylize.options.model_id.empty() && style) {
      // Start loading the default style now (ONNX Runtime's wasm and the network that will run): while the person
      // picks a photo, the 3-5 s of downloading and session creation happen, not after they press Stylize.
      backend_for(*style_network(manifest_, entry.id, stylize.options.fast));
      stylize.options.model_id = entry.id;
    } else if (stylize.options.second_model_id.empty() && style) {
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
    backend->load(entry, model_url(entry));
    it = backends_.emplace(entry.id, std::move(backend)).first;
  }
  return it->second.get();
}

void App::set_engine(EnginePreference preference) {
  if (preference == engine_) return;
  // A style image being read holds the predictor's session too.
  if (stylize.running() || generate.busy() || stylize.custom.busy()) {
    set_error("Wait for the current run to finish (or cancel it) before switching engines.");
    return;
  }
  engine_ = preference;
  backends_.clear();
  set_info(std::string("Engine: ") + to_string(preference) + ". Models load again on their next run.");
}

std::string App::model_url(const styleforge::ModelEntry& entry) const {
  auto it = user_urls_.find(entry.id);
  return it != user_urls_.end() ? it->second : kModelsDir + entry.file;
}

void App::add_user_model(const Upload& upload) {
  pending_models_.push_back(upload);
  add_pending_models();
}

void App::add_pending_models() {
  if (pending_models_.empty()) return;
  // Runs in flight hold pointers into manifest_.models, which growing it may move; the model list must be in too.
  if (stylize.running() || generate.busy() || !manifest_loaded_) {
    if (!pending_said_) set_info("Your model is added as soon as the current run finishes...");
    pending_said_ = true;
    return;
  }
  pending_said_ = false;
  std::vector<Upload> uploads;
  uploads.swap(pending_models_);
  for (const Upload& upload : uploads) {
    if (upload.too_large) {
      char size[32];
      std::snprintf(size, sizeof size, "%.0f MB", upload.file_size / (1024.0 * 1024.0));
      set_error("'" + upload.name + "' is " + size + ", more than the " +
                std::to_string(int(kMaxModelFileBytes / (1024 * 1024))) +
                " MB this page reads for a model (style models from styleforge-trainer are a few MB): check that "
                "this is the right file.");
      continue;
    }
    auto read = styleforge::read_style_model(upload.bytes.data(), upload.bytes.size(), upload.name);
    if (!read.ok()) {
      set_error(read.error + (manifest_.models.empty() ? "" : " The styles you had are still there."));
      continue;
    }
    styleforge::ModelEntry entry = std::move(read.value);
    // The person's model is a style of its own: a variant_of in its metadata names a style of some other manifest.
    entry.variant_of.clear();
    // Its own id and a name that says whose it is, even when it was exported as one of ours or added twice.
    const std::string base_id = entry.id;
    int copy = 1;
    while (manifest_.find(entry.id) != nullptr) entry.id = base_id + "-" + std::to_string(++copy);
    entry.name += copy == 1 ? " (your model)" : " (your model " + std::to_string(copy) + ")";
    char* url = js_blob_url(upload.bytes.data(), int(upload.bytes.size()));
    user_urls_[entry.id] = url;
    std::free(url);
    manifest_.models.push_back(entry);
    manifest_error_.clear();  // the person's model makes the list usable even if the site's failed to load
    stylize.options.model_id = entry.id;
    backend_for(manifest_.models.back());  // starts creating the session now
    set_info("Added your model '" + entry.name + "' from '" + upload.name +
             "' for this visit; it is the chosen style. Stylize a photo with it as with any style.");
  }
}

void App::dispatch_uploads() {
  add_pending_models();
  for (const Upload& upload : take_uploads()) {
    if (upload.slot == UploadSlot::Model) {
      add_user_model(upload);
    } else if (upload.slot == UploadSlot::StyleImage) {
      stylize.on_style_image(*this, upload);
    } else if (upload.slot == UploadSlot::Photo) {
      stylize.on_upload(*this, upload);
    } else {
      generate.on_upload(*this, upload);
    }
  }
}

// The status area: a fixed-height box under the title that always takes the same room, empty or not, so a message
// appearing or going never moves the widgets below it (a click aimed at a button must land on that button).
// Long messages wrap inside it and are clipped at two lines; the full text is in the tooltip.
void App::draw_status_area() {
  const float height = ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetStyle().WindowPadding.y;
  const bool model_list_problem = manifest_loaded_ && !manifest_error_.empty() && manifest_.models.empty();
  const std::string& text = !error_.empty() ? error_ : !info_.empty() ? info_
                            : model_list_problem ? manifest_error_ : error_;
  ImVec4 colour = ImGui::GetStyle().Colors[ImGuiCol_TextDisabled];
  if (!error_.empty()) colour = error_colour();
  else if (!info_.empty()) colour = ok_colour();
  else if (model_list_problem) colour = ImVec4(1.0f, 0.8f, 0.3f, 1.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(10), px(4)));
  ImGui::BeginChild("status", ImVec2(-1, height), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text.empty() ? "Everything runs on this device; photos never leave it." : text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::EndChild();
  ImGui::PopStyleVar();
  probe_item("status");
  if (!text.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
}

void App::frame() {
  poll_fetches();
  poll_ort_jobs();
  dispatch_uploads();
  clear_style_drop_zone();  // the Stylize tab sets it again while its style images' box is on screen

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  ImGui::Begin("styleforge", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PushFont(heading_font());
  ImGui::TextUnformatted("styleforge");
  ImGui::PopFont();
  // The tagline only where it fits on the title's line; narrow screens keep the room for the controls.
  const char* tagline = "style transfer and image generation in your browser";
  if (ImGui::GetContentRegionAvail().x > ImGui::CalcTextSize(tagline).x + px(140)) {
    ImGui::SameLine(0, px(14));
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tagline);
  }
  draw_status_area();
  if (ImGui::BeginTabBar("tabs")) {
    // A tab asked for by the automation API is selected through SetSelected until ImGui shows it.
    auto flags = [&](int tab) { return requested_tab_ == tab ? ImGuiTabItemFlags_SetSelected : 0; };
    auto shown = [&](int tab) {
      active_tab = tab;
      if (requested_tab_ == tab) requested_tab_ = -1;
    };
    // Each tab is recorded whether open or not (the tab header is the last item BeginTabItem submits).
    const bool stylize_open = ImGui::BeginTabItem("Stylize", nullptr, flags(0));
    probe_item("tab.stylize");
    if (stylize_open) {
      shown(0);
      set_drop_slot(UploadSlot::Photo);
      stylize.draw(*this);
      ImGui::EndTabItem();
    }
    const bool generate_open = ImGui::BeginTabItem("Generate", nullptr, flags(1));
    probe_item("tab.generate");
    if (generate_open) {
      shown(1);
      set_drop_slot(UploadSlot::VaeA);
      generate.draw(*this);
      ImGui::EndTabItem();
    }
    const bool engine_open = ImGui::BeginTabItem("Engine", nullptr, flags(2));
    probe_item("tab.engine");
    if (engine_open) {
      shown(2);
      // The tab scrolls when the window is too short for it (the main window itself has no scrollbar).
      ImGui::BeginChild("engine", ImVec2(0, 0), false);
      draw_status_panel(*this);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  if (active_tab != 0) stylize.tab_hidden(*this);  // the camera runs only while its picture is on screen
  ImGui::End();
}

}  // namespace web
