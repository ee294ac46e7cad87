#include "stylize_panel.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "layout_probe.h"
#include "styleforge/backend.h"
#include "styleforge/style_code.h"
#include "styleforge/style_ops.h"
#include "styleforge/tensor.h"
#include "ui_style.h"

namespace web {

using styleforge::Image;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

const styleforge::ModelEntry* style_network(const styleforge::Manifest& manifest, const std::string& style_id,
                                            bool fast) {
  const styleforge::ModelEntry* style = manifest.find(style_id);
  if (!style || style->kind != styleforge::ModelKind::Style) return nullptr;
  const styleforge::ModelEntry* variant = fast ? manifest.fast_variant(style_id) : nullptr;
  return variant ? variant : style;
}

// One stylisation in flight. Callbacks hold it by shared_ptr; cancel() only raises the flag, which run_tiled
// sees after the tile being computed.
// One model run of a job: a gallery style, or the arbitrary-style transformer with a style code (the person's
// style image, or two of them mixed), copied here so a style dropped from the list meanwhile changes nothing.
struct StyleRun {
  const styleforge::ModelEntry* entry = nullptr;
  std::string name;          // for messages
  std::vector<float> code;   // empty for a gallery style
};

struct StylizePanel::Job {
  Image source;                                   // the photo at the output size
  std::vector<StyleRun> runs;
  std::vector<Image> outputs;                     // one per run, in order
  std::shared_ptr<Tensor> input;                  // kept alive while run_tiled works on it
  bool cancelled = false;
  double started_ms = 0;
  LastRun stats;
};

void StylizePanel::on_upload(App& app, const Upload& upload) {
  auto decoded = styleforge::decode_image(upload.bytes.data(), upload.bytes.size());
  if (!decoded.ok()) {
    app.set_error("Could not open '" + upload.name + "': " + decoded.error + ". Choose a PNG or JPEG photo" +
                  (photo_.empty() ? "." : " (the previous photo is still loaded)."));
    return;
  }
  photo_ = std::move(decoded.value);
  photo_name_ = upload.name;
  photo_tex_.set(photo_);
  result_ = Image{};
  result_tex_.clear();
  app.set_info("Opened '" + upload.name + "' (" + std::to_string(photo_.width) + "x" +
               std::to_string(photo_.height) + ").");
}

Status StylizePanel::start(App& app) {
  auto refuse = [&](const std::string& message) {
    app.set_error(message);
    return Status::failure(message);
  };
  if (job_) return refuse("A stylisation is already running: wait for it or press Cancel.");
  if (mode_ == 1) return refuse("Webcam mode is on: choose Photo above the controls to stylize a photo.");
  if (webcam.in_flight()) return refuse("The camera's last frame is still being stylized: try again in a moment.");
  if (photo_.empty()) return refuse("No photo yet: open a PNG or JPEG photo first (button or drag and drop).");
  auto job = std::make_shared<Job>();
  std::vector<std::string> ids{options.model_id};
  if (options.blend_two) ids.push_back(options.second_model_id);
  for (const std::string& id : ids) {
    StyleRun run;
    if (CustomStyles::is_custom_id(id)) {
      const CustomStyle* style = custom.find(id);
      if (!style) return refuse("That style image is no longer kept (the page keeps your last " +
                                std::to_string(kMaxCustomStyles) + "): choose it again with Use my own style image.");
      run.entry = CustomStyles::transformer(app);
      if (!run.entry) return refuse("This site has no arbitrary-style model to paint with your style image.");
      run.name = "your style image '" + style->name + "'";
      run.code = style->code;
    } else {
      run.entry = style_network(app.manifest(), id, options.fast);
      if (!run.entry)
        return refuse(id.empty() ? "No style chosen: pick one in the Style list."
                                 : "'" + id + "' is not a style model of this site's manifest.");
      run.name = "Style '" + run.entry->name + "'";  // a fast network's name says "(fast)"
    }
    job->runs.push_back(std::move(run));
  }
  // What the status line and window.styleforge report: the networks (one word when both runs used the same kind)
  // and the entries that ran. A style image runs the arbitrary-style transformer, which has no fast network.
  for (const StyleRun& run : job->runs) {
    const std::string network = network_name(*run.entry);
    if (job->stats.network.find(network) == std::string::npos)
      job->stats.network += (job->stats.network.empty() ? "" : " + ") + network;
    job->stats.models.push_back(run.entry->id);
  }
  // Two of the person's style images: one run with their codes mixed, the mix in style space rather than in pixels.
  if (job->runs.size() == 2 && !job->runs[0].code.empty() && !job->runs[1].code.empty()) {
    auto mixed = styleforge::mix_style_codes(job->runs[0].code, job->runs[1].code, options.mix);
    if (!mixed.ok()) return refuse("Could not mix the two style images: " + mixed.error);
    job->runs[0].code = std::move(mixed.value);
    job->runs[0].name = "the mix of your two style images";
    job->runs.pop_back();
  }
  // Output size: the photo's own size unless the person asked for a smaller one.
  const int longest = std::max(photo_.width, photo_.height);
  if (options.output_max_side > 0 && options.output_max_side < longest) {
    const double k = double(options.output_max_side) / longest;
    auto resized = styleforge::resize_image(photo_, std::max(1, int(photo_.width * k + 0.5)),
                                            std::max(1, int(photo_.height * k + 0.5)));
    if (!resized.ok()) return refuse("Could not resize the photo: " + resized.error);
    job->source = std::move(resized.value);
  } else {
    job->source = photo_;
  }
  job->started_ms = emscripten_get_now();
  started_ms_ = job->started_ms;
  job->stats.what = "stylize";
  job_ = job;
  tiles_done_ = tiles_total_ = 0;
  app.set_info("Stylizing " + std::to_string(job->source.width) + "x" + std::to_string(job->source.height) + "...");
  run_model(app, job, 0);
  return Status::success();
}

void StylizePanel::run_model(App& app, std::shared_ptr<Job> job, size_t index) {
  const StyleRun& run = job->runs[index];
  const styleforge::ModelEntry& entry = *run.entry;
  OrtBackend* backend = app.backend_for(entry);
  if (!run.code.empty()) {
    // Every tile of this run gets the same code: the transformer's second input, set once.
    const Status set = backend->set_conditioning(entry.style_input.name, styleforge::style_code_tensor(run.code));
    if (!set.ok()) return fail(app, "Could not paint with " + run.name + ": " + set.error);
  }
  job->input = std::make_shared<Tensor>(styleforge::image_to_tensor(job->source, entry.input.normalization));

  styleforge::TileOptions tiles;
  tiles.max_tile = options.max_tile_override > 0 ? options.max_tile_override : entry.max_tile;
  tiles.size_multiple = std::max(1, entry.size_multiple);
  // The default overlap (64, see tiling.h) must leave room for at least one size_multiple of new pixels per tile
  // (plan_tiles refuses otherwise), so a small max_tile override shrinks it.
  tiles.overlap = std::min({tiles.overlap, tiles.max_tile / 2 - 1, tiles.max_tile - tiles.size_multiple});
  tiles.overlap = std::max(0, tiles.overlap);

  auto progress = [this, job, backend](int done_tiles, int total_tiles) {
    job->stats.inference_ms += backend->last_timing().inference_ms;
    job->stats.bridge_ms += backend->last_timing().bridge_ms;
    job->stats.tiles++;
    if (job == job_) {
      tiles_done_ = done_tiles;
      tiles_total_ = total_tiles;
    }
    return !job->cancelled;
  };
  const std::string what = run.name;
  auto done = [this, &app, job, index, backend, &entry, what](Result<Tensor> out) {
    const SessionInfo info = backend->info();
    job->stats.session_ms += info.create_ms;
    job->stats.warmup_ms += info.warmup_ms;
    if (!job->stats.engine.empty() && job->stats.engine != info.engine) job->stats.engine += "+";
    if (job->stats.engine.find(info.engine) == std::string::npos) job->stats.engine += info.engine;
    if (!info.fallback_reason.empty()) job->stats.fallback_reason = info.fallback_reason;
    job->input.reset();
    if (!out.ok()) {
      if (out.error == "cancelled") {
        job_.reset();
        tiles_done_ = tiles_total_ = 0;
        app.set_info("Stylisation cancelled; the photo and the previous result are unchanged.");
        return;
      }
      fail(app, what + " failed: " + out.error);
      return;
    }
    auto image = styleforge::tensor_to_image(out.value, entry.output.normalization);
    if (!image.ok()) {
      fail(app, what + " returned an unusable output: " + image.error);
      return;
    }
    if (image.value.width != job->source.width || image.value.height != job->source.height) {
      fail(app, what + " returned " + std::to_string(image.value.width) + "x" +
                    std::to_string(image.value.height) + " for a " + std::to_string(job->source.width) + "x" +
                    std::to_string(job->source.height) + " input; the model must keep the image size.");
      return;
    }
    job->outputs.push_back(std::move(image.value));
    if (index + 1 < job->runs.size()) {
      run_model(app, job, index + 1);
    } else {
      finish(app, job);
    }
  };
  styleforge::run_tiled(*backend, *job->input, tiles, progress, done);
}

void StylizePanel::finish(App& app, std::shared_ptr<Job> job) {
  Image styled = std::move(job->outputs[0]);
  if (job->outputs.size() > 1) {
    auto mixed = styleforge::blend_images(styled, job->outputs[1], options.mix);
    if (!mixed.ok()) return fail(app, "Blending the two styles failed: " + mixed.error);
    styled = std::move(mixed.value);
  }
  if (options.preserve_colour) {
    auto kept = styleforge::preserve_colour(job->source, styled);
    if (!kept.ok()) return fail(app, "Colour preservation failed: " + kept.error);
    styled = std::move(kept.value);
  }
  if (options.strength < 1.0f) {
    auto blended = styleforge::blend_images(job->source, styled, options.strength);
    if (!blended.ok()) return fail(app, "Applying the strength failed: " + blended.error);
    styled = std::move(blended.value);
  }
  result_ = std::move(styled);
  result_tex_.set(result_);
  job->stats.total_ms = emscripten_get_now() - job->started_ms;
  app.last_run = job->stats;
  job_.reset();
  // The status line always says what ran and how long it took; the Engine tab has the full breakdown.
  char timing[96];
  std::snprintf(timing, sizeof timing, " in %.0f ms (inference %.0f ms, %d tile%s).", job->stats.total_ms,
                job->stats.inference_ms, job->stats.tiles, job->stats.tiles == 1 ? "" : "s");
  app.set_info("Done: " + std::to_string(result_.width) + "x" + std::to_string(result_.height) + " on " +
               app.last_run.engine + " with the " + app.last_run.network + " network" + timing);
}

void StylizePanel::fail(App& app, const std::string& message) {
  job_.reset();
  tiles_done_ = tiles_total_ = 0;
  app.set_error(message);
}

void StylizePanel::cancel() {
  if (job_) job_->cancelled = true;
}

Status StylizePanel::set_mode(App& app, int mode) {
  mode = mode == 1 ? 1 : 0;
  if (mode == mode_) return Status::success();
  if (mode == 1 && job_) {
    app.set_error("A photo is being stylized: wait for it or press Cancel, then choose Webcam.");
    return Status::failure(app.error());
  }
  mode_ = mode;
  if (mode_ == 1) {
    webcam.start(app);
  } else {
    webcam.stop(app);
  }
  return Status::success();
}

void StylizePanel::tab_hidden(App& app) {
  if (mode_ == 1 && webcam.camera_active())
    webcam.stop(app, "Camera stopped: you left the Stylize tab. Press Start camera to go on.");
}

Status StylizePanel::download(App& app) {
  if (result_.empty()) {
    app.set_error("Nothing to download yet: stylize a photo first.");
    return Status::failure(app.error());
  }
  std::string name = photo_name_;
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos) name.resize(dot);
  std::string style = options.model_id;
  std::replace(style.begin(), style.end(), ':', '-');  // "custom:2" is no file name on every system
  Status saved = download_png(result_, (name.empty() ? "photo" : name) + "-" + style + ".png");
  if (!saved.ok()) {
    app.set_error(saved.error);
    return Status::failure(app.error());
  }
  return saved;
}

void StylizePanel::draw_model_picker(App& app, const char* label, const char* probe_name, std::string& model_id) {
  const styleforge::ModelEntry* current = app.manifest().find(model_id);
  if (current && current->kind != styleforge::ModelKind::Style) current = nullptr;
  const CustomStyle* current_custom = custom.find(model_id);
  const std::string custom_label = current_custom ? "Your style: " + current_custom->name : "";
  form_label(label);
  ImGui::PushID(probe_name);
  const char* preview = current ? current->name.c_str() : current_custom ? custom_label.c_str() : "(choose a style)";
  if (ImGui::BeginCombo("##style", preview)) {
    for (const auto& entry : app.manifest().models) {
      if (!listed_style(entry)) continue;  // a fast network is the Network choice under the list
      if (ImGui::Selectable(entry.name.c_str(), entry.id == model_id)) model_id = entry.id;
    }
    for (const CustomStyle& style : custom.styles()) {  // the person's style images, newest first
      const std::string item = "Your style: " + style.name + "##" + style.id;
      if (ImGui::Selectable(item.c_str(), style.id == model_id)) model_id = style.id;
    }
    ImGui::EndCombo();
  }
  ImGui::PopID();
  probe_item(probe_name);
  if (current || current_custom) {
    // A row of fixed height: the thumbnail (or its empty place until it loads) and the credits, clipped to the
    // same height with the full text in a tooltip, so nothing below moves when either arrives or changes.
    const float row = px(44);
    const Texture* thumb = current ? app.thumbnail(current->id) : current_custom->thumbnail.get();
    if (thumb && !thumb->empty()) {
      thumb->draw_fitted(row, row);
    } else {
      ImGui::Dummy(ImVec2(row, row));
    }
    ImGui::SameLine();
    std::string credit_text;
    if (current_custom) {
      // A style image is the person's; the model that paints with it has its own credit line.
      const styleforge::ModelEntry* model = CustomStyles::transformer(app);
      credit_text = "Your style image (" + std::to_string(current_custom->width) + "x" +
                    std::to_string(current_custom->height) + "), for this visit; painted by " +
                    (model ? model->name + ": " + model->credits : std::string("the arbitrary-style model"));
    } else {
      // The person's own models say so: they last for this visit and their credit line is their own.
      credit_text = (app.is_user_model(current->id) ? "Your model, for this visit: " : "") +
                    (current->credits.empty() ? std::string("(no credit line in the manifest)") : current->credits);
    }
    const char* credits = credit_text.c_str();
    ImGui::BeginChild(probe_name, ImVec2(-1, row), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", credits);
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", credits);
  }
}

// One row under the Style list: "Use my own style image" (the arbitrary-style model paints with a painting of the
// person's) and "Add a model" (a style model they trained), then the kept style images as thumbnails to click. One
// row, not two, so a phone still shows the picture under the controls. The style button and the thumbnails are also
// where a painting is dropped (file_bridge's style drop zone); a picture dropped elsewhere is the photo.
void StylizePanel::draw_custom_styles(App& app) {
  const bool available = CustomStyles::transformer(app) != nullptr && CustomStyles::predictor(app) != nullptr;
  const char* style_label = custom.busy() ? "Reading the style..." : "Use my own style image...";
  const float padding = ImGui::GetStyle().FramePadding.x * 2, spacing = ImGui::GetStyle().ItemSpacing.x;
  const float room = ImGui::GetContentRegionAvail().x;
  const float style_width = std::floor(ImGui::CalcTextSize("Use my own style image...").x + padding + px(8));
  const float model_width = room - style_width - spacing;
  const char* model_label = ImGui::CalcTextSize("Add a model (.onnx)...").x + padding <= model_width
                                ? "Add a model (.onnx)..." : "Add model...";
  ImGui::BeginDisabled(!available || custom.busy());
  if (ImGui::Button(style_label, ImVec2(style_width, 0))) open_file_picker(UploadSlot::StyleImage);
  ImGui::EndDisabled();
  probe_item("use_style_image");
  ImVec2 zone_min = ImGui::GetItemRectMin(), zone_max = ImGui::GetItemRectMax();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(available ? "A painting (PNG or JPEG) of your own: the arbitrary-style model reads its manner "
                                  "once and paints your photo with it. Drop it on this button or pick it; nothing is "
                                  "uploaded. Two of them can be mixed with Blend."
                                : "This site ships no arbitrary-style model, so only the gallery's styles are offered.");
  ImGui::SameLine();
  if (ImGui::Button(model_label, ImVec2(-1, 0))) open_file_picker(UploadSlot::Model);
  probe_item("add_model");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A style model you trained and exported with styleforge-trainer export: it joins the styles "
                      "for this visit, nothing is uploaded. You can also drop the .onnx file on the page.");
  if (!custom.styles().empty()) {
    const float side = px(40);
    const ImVec2 row_min = ImGui::GetCursorScreenPos();
    for (size_t i = 0; i < custom.styles().size(); ++i) {
      const CustomStyle& style = custom.styles()[i];
      if (i > 0) ImGui::SameLine(0, px(4));
      const bool chosen = options.model_id == style.id;
      ImGui::PushID(style.id.c_str());
      if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
      bool clicked = false;
      if (style.thumbnail && !style.thumbnail->empty()) {
        // The middle square of the painting, undistorted.
        const float w = float(style.thumbnail->width()), h = float(style.thumbnail->height());
        const float u = w > h ? (1 - h / w) / 2 : 0, v = h > w ? (1 - w / h) / 2 : 0;
        clicked = ImGui::ImageButton(style.thumbnail->id(), ImVec2(side, side), ImVec2(u, v), ImVec2(1 - u, 1 - v));
      } else {
        clicked = ImGui::Button(style.name.c_str(), ImVec2(side, side));
      }
      if (chosen) ImGui::PopStyleColor();
      ImGui::PopID();
      if (clicked) options.model_id = style.id;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Your style: %s (%dx%d)", style.name.c_str(), style.width, style.height);
    }
    probe_item("custom_styles");
    zone_max = ImVec2(row_min.x + room, ImGui::GetItemRectMax().y);
  }
  if (available) set_style_drop_zone(zone_min.x, zone_min.y, zone_max.x, zone_max.y);
}

namespace {

// A row of equal-width toggle buttons, the chosen one highlighted: fits a phone's width, unlike a row of radios.
bool segmented(const char* id, const char* const* labels, int count, int* value) {
  bool changed = false;
  ImGui::PushID(id);
  ImGui::BeginGroup();
  const float spacing = px(2);
  const float width = (ImGui::GetContentRegionAvail().x - spacing * (count - 1)) / count;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, ImGui::GetStyle().ItemSpacing.y));
  for (int i = 0; i < count; ++i) {
    if (i > 0) ImGui::SameLine();
    const bool chosen = *value == i;
    if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
    if (ImGui::Button(labels[i], ImVec2(std::floor(width), 0)) && !chosen) {
      *value = i;
      changed = true;
    }
    if (chosen) ImGui::PopStyleColor();
  }
  ImGui::PopStyleVar();
  ImGui::EndGroup();
  ImGui::PopID();
  return changed;
}

// A small spinner of eight dots, the brightest one turning: shows the page is alive during a long single tile.
void draw_spinner(float radius) {
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  const float size = ImGui::GetFrameHeight();
  ImGui::Dummy(ImVec2(size, size));
  const ImVec2 centre(corner.x + size / 2, corner.y + size / 2);
  const int lead = int(emscripten_get_now() / 100) % 8;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int i = 0; i < 8; ++i) {
    const float angle = float(i) * 6.2831853f / 8;
    const float fade = float((i - lead + 8) % 8) / 8.0f;
    ImVec4 colour = accent_colour();
    colour.w = 1.0f - fade * 0.85f;
    draw->AddCircleFilled(ImVec2(centre.x + std::cos(angle) * radius, centre.y + std::sin(angle) * radius),
                          radius * 0.28f, ImGui::ColorConvertFloat4ToU32(colour));
  }
}

// A network's cost short enough for a button on a phone: 37216 -> "37k", 7812 -> "7.8k".
std::string short_count(int n) {
  char text[32];
  if (n >= 10000) std::snprintf(text, sizeof text, "%.0fk", n / 1000.0);
  else if (n >= 1000) std::snprintf(text, sizeof text, "%.1fk", n / 1000.0);
  else std::snprintf(text, sizeof text, "%d", n);
  return text;
}

// 37216 -> "37,216", for the tooltip's full numbers.
std::string with_commas(int n) {
  std::string digits = std::to_string(n);
  for (int i = int(digits.size()) - 3; i > 0; i -= 3) digits.insert(size_t(i), ",");
  return digits;
}

}  // namespace

// One row, so the controls under it stay where they were on a phone: [Quality · 37k] [Fast · 7.8k] (multiply-adds
// per pixel, from the manifest's cost), or [Quality] [No fast network] for a style without one. The buttons show what
// runs; options.fast is the person's choice and stays set across styles that have no fast network.
void StylizePanel::draw_network_choice(App& app) {
  const styleforge::ModelEntry* quality = style_network(app.manifest(), options.model_id, false);
  const styleforge::ModelEntry* fast = quality ? app.manifest().fast_variant(quality->id) : nullptr;
  const bool runs_fast = options.fast && fast != nullptr;
  auto label = [](const char* name, const styleforge::ModelEntry* entry, const char* id) {
    const bool cost = entry && entry->macs_per_pixel > 0;
    return std::string(name) + (cost ? " \xC2\xB7 " + short_count(entry->macs_per_pixel) : "") + id;
  };
  form_label("Network");
  ImGui::PushID("network");
  ImGui::BeginGroup();
  const float spacing = px(2);
  const ImVec2 size(std::floor((ImGui::GetContentRegionAvail().x - spacing) / 2), 0);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, ImGui::GetStyle().ItemSpacing.y));
  const ImVec4 chosen = ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive);
  if (!runs_fast) ImGui::PushStyleColor(ImGuiCol_Button, chosen);
  if (ImGui::Button(label("Quality", quality, "##quality").c_str(), size)) options.fast = false;
  if (!runs_fast) ImGui::PopStyleColor();
  ImGui::SameLine();
  if (fast) {
    if (runs_fast) ImGui::PushStyleColor(ImGuiCol_Button, chosen);
    if (ImGui::Button(label("Fast", fast, "##fast").c_str(), size)) options.fast = true;
    if (runs_fast) ImGui::PopStyleColor();
  } else {
    ImGui::BeginDisabled();
    ImGui::Button("No fast network##fast", size);
    ImGui::EndDisabled();
  }
  ImGui::PopStyleVar();
  ImGui::EndGroup();
  ImGui::PopID();
  probe_item("network");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    std::string tip;
    if (fast) {
      tip = "Fast: a smaller network trained to imitate the quality one: quicker (the Webcam gains most), with less "
            "detail.";
      if (quality->macs_per_pixel > 0 && fast->macs_per_pixel > 0) {
        char ratio[32];
        std::snprintf(ratio, sizeof ratio, "%.1fx", double(quality->macs_per_pixel) / fast->macs_per_pixel);
        tip += "\nQuality: " + with_commas(quality->macs_per_pixel) + " multiply-adds per pixel; Fast: " +
               with_commas(fast->macs_per_pixel) + " (" + ratio + " fewer).";
      }
    } else {
      tip = "This style has no fast network: it runs its quality one.";
      if (options.fast) tip += " Fast stays chosen for the styles that have one.";
    }
    ImGui::SetTooltip("%s", tip.c_str());
  }
}

void StylizePanel::draw_controls(App& app) {
  static const char* const kModes[] = {"Photo", "Webcam"};
  int mode = mode_;
  if (segmented("mode", kModes, 2, &mode)) set_mode(app, mode);
  probe_item("mode");
  ImGui::Spacing();
  if (mode_ == 1) {
    draw_webcam_controls(app);
    return;
  }
  const bool busy = running();
  if (ImGui::Button("Open photo...", ImVec2(px(130), 0))) open_file_picker(UploadSlot::Photo);
  probe_item("open_photo");
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (has_photo()) {
    ImGui::TextDisabled("%s  %dx%d", photo_name_.c_str(), photo_.width, photo_.height);
  } else {
    ImGui::TextDisabled("or drop a PNG or JPEG here");
  }
  ImGui::Spacing();

  if (!app.manifest_loaded()) {
    ImGui::TextDisabled("Loading the model list...");
  } else if (!app.manifest_error().empty()) {
    // The status area already says what is wrong with the model list; a model of one's own still works.
    draw_add_model_button();
  } else {
    draw_model_picker(app, "Style", "style", options.model_id);
    draw_network_choice(app);
    draw_custom_styles(app);  // with "Add a model" on the same row
    ImGui::Checkbox("Blend with a second style", &options.blend_two);
    probe_item("blend_two");
    if (options.blend_two) {
      draw_model_picker(app, "Second", "second_style", options.second_model_id);
      form_label("Mix");
      ImGui::SliderFloat("##mix", &options.mix, 0, 1, options.mix < 0.5f ? "%.2f (more first)" : "%.2f (more second)");
      probe_item("mix");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Two of your style images mix their styles (one run with the two style codes "
                          "interpolated); other pairs blend the two stylized pictures.");
    }
  }
  form_label("Strength");
  ImGui::SliderFloat("##strength", &options.strength, 0, 1, "%.2f");
  probe_item("strength");
  ImGui::Checkbox("Keep the photo's colours", &options.preserve_colour);
  probe_item("preserve_colour");
  // The two checkboxes share a row where it fits (as Mirror and Steady do): the row it saves is the Network row's,
  // so a phone still shows the picture under the controls.
  const float full_width = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                           ImGui::CalcTextSize("Full resolution").x;
  const float row_end = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + px(24) + full_width <= row_end) ImGui::SameLine(0, px(24));
  bool full = options.output_max_side == 0;
  if (ImGui::Checkbox("Full resolution", &full)) options.output_max_side = full ? 0 : 1024;
  probe_item("full_resolution");
  if (!full) {
    const int longest = has_photo() ? std::max(photo_.width, photo_.height) : 4096;
    form_label("Longest side");
    ImGui::SliderInt("##longest", &options.output_max_side, 64, std::max(64, longest), "%d px");
    probe_item("output_max_side");
  }
  ImGui::Spacing();

  ImGui::BeginDisabled(busy || !has_photo());
  if (primary_button("Stylize", ImVec2(-1, px(44)))) start(app);
  ImGui::EndDisabled();
  probe_item("stylize");

  // One row that keeps its place: Cancel and the progress while running, Download and the result size otherwise.
  const float button_width = px(130);
  if (busy) {
    if (ImGui::Button("Cancel", ImVec2(button_width, 0))) cancel();
    probe_item("cancel");
    ImGui::SameLine();
    draw_spinner(ImGui::GetFrameHeight() * 0.32f);
    ImGui::SameLine();
    const double seconds = (emscripten_get_now() - started_ms_) / 1000.0;
    const float fraction = tiles_total_ > 0 ? float(tiles_done_) / tiles_total_ : 0.0f;
    char caption[64];
    if (tiles_total_ > 0) {
      std::snprintf(caption, sizeof caption, "tile %d of %d \xC2\xB7 %.1f s", std::min(tiles_done_ + 1, tiles_total_),
                    tiles_total_, seconds);
    } else {
      std::snprintf(caption, sizeof caption, "first tile \xC2\xB7 %.1f s", seconds);
    }
    ImGui::ProgressBar(fraction, ImVec2(-1, 0), caption);
    probe_item("progress");
  } else {
    ImGui::BeginDisabled(!has_result());
    if (ImGui::Button("Download PNG", ImVec2(button_width, 0))) download(app);
    ImGui::EndDisabled();
    probe_item("download");
    if (has_result()) {
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      ImGui::TextDisabled("result %dx%d", result_.width, result_.height);
    }
  }
  ImGui::Spacing();
  static const char* const kViews[] = {"Split", "Both", "Before", "After"};
  segmented("view", kViews, 4, &view_);
  probe_item("view");
}

// "Add my own model": a style model exported by styleforge-trainer joins the styles for this visit (App::add_user_model).
void StylizePanel::draw_add_model_button() {
  if (ImGui::Button("Add my own model (.onnx)...", ImVec2(-1, 0))) open_file_picker(UploadSlot::Model);
  probe_item("add_model");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A style model you trained and exported with styleforge-trainer export: it joins the styles "
                      "for this visit, nothing is uploaded. You can also drop the .onnx file on the page.");
}

// Webcam mode: camera on/off, the style (the same choice as for photos), strength, colours, frame size and mirror,
// the live read-out (frames per second, time per frame, engine, frame size), pause and snapshot.
void StylizePanel::draw_webcam_controls(App& app) {
  // One row of three equal buttons (camera on/off, pause, snapshot): on a phone the stream must still fit under the
  // controls.
  const bool active = webcam.camera_active();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float third = std::floor((ImGui::GetContentRegionAvail().x - 2 * spacing) / 3);
  const ImVec2 button(third, px(36));
  if (active) {
    if (ImGui::Button("Stop camera", button)) webcam.stop(app);
  } else if (primary_button("Start camera", button)) {
    webcam.start(app);
  }
  probe_item("webcam_start");
  ImGui::SameLine();
  ImGui::BeginDisabled(!active);
  if (ImGui::Button(webcam.paused() ? "Resume" : "Pause", button)) webcam.set_paused(!webcam.paused());
  ImGui::EndDisabled();
  probe_item("webcam_pause");
  ImGui::SameLine();
  ImGui::BeginDisabled(!webcam.has_output());
  if (ImGui::Button("Snapshot PNG", button)) webcam.snapshot(app);
  ImGui::EndDisabled();
  probe_item("webcam_snapshot");
  ImGui::Spacing();
  if (!app.manifest_loaded()) {
    ImGui::TextDisabled("Loading the model list...");
  } else if (app.manifest_error().empty()) {
    draw_model_picker(app, "Style", "style", options.model_id);
    draw_network_choice(app);
  }
  form_label("Strength");
  ImGui::SliderFloat("##strength", &options.strength, 0, 1, "%.2f");
  probe_item("strength");
  ImGui::Checkbox("Keep the camera's colours", &options.preserve_colour);
  probe_item("preserve_colour");
  form_label("Frame size");
  ImGui::SliderInt("##frame_side", &webcam.frame_side, 128, 512, "%d px");
  probe_item("webcam_side");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Longest side of the stylized frames. Smaller is faster: the time per frame grows with the "
                      "number of pixels.");
  ImGui::Checkbox("Mirror", &webcam.mirror);
  probe_item("webcam_mirror");
  ImGui::SameLine(0, px(24));
  ImGui::Checkbox("Steady", &webcam.steady);
  probe_item("webcam_steady");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Less flicker: where the scene is still, the camera's noise is averaged over several frames "
                      "before the style sees it; moving parts are used as they come.");
  ImGui::Spacing();

  // The read-out: two lines that keep their place whatever they say.
  std::string speed, detail = webcam.readout_detail();
  if (webcam.paused()) {
    speed = "paused" + (webcam.readout_speed().empty() ? "" : " \xC2\xB7 " + webcam.readout_speed());
  } else if (webcam.camera_active() && webcam.in_flight() && webcam.output_model() != webcam_model_key(app, options)) {
    const styleforge::ModelEntry* entry = style_network(app.manifest(), options.model_id, options.fast);
    const CustomStyle* style = custom.find(options.model_id);
    speed = "loading " + (entry ? entry->name : style ? style->name : options.model_id) + "...";
  } else if (!webcam.readout_speed().empty()) {
    speed = webcam.readout_speed();
  } else if (webcam.camera_active()) {
    speed = "waiting for the first frame...";
  } else {
    speed = "camera off";
  }
  ImGui::BeginGroup();
  ImGui::PushFont(strong_font());
  ImGui::TextUnformatted(speed.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s", detail.empty() ? " " : detail.c_str());
  ImGui::EndGroup();
  probe_item("webcam_fps");
  ImGui::Spacing();
  static const char* const kViews[] = {"Split", "Both", "Camera", "Stylized"};
  segmented("view", kViews, 4, &webcam_view_);
  probe_item("view");
}

// The before/after picture in width x height (device pixels), fitted or at 100% (one image pixel per screen pixel,
// scrollable). In split view a divider with a handle is drawn and dragged on the picture itself.
void StylizePanel::draw_picture(float width, float height) {
  const bool camera = mode_ == 1;
  const Texture* before = camera ? &webcam.input_texture() : &photo_tex_;
  const Texture* after = camera ? &webcam.output_texture() : result_tex_.empty() ? &photo_tex_ : &result_tex_;
  const int view = camera ? webcam_view_ : view_;  // each mode has its own view choice
  ImGui::BeginChild("picture", ImVec2(width, height), false,
                    zoom_ == 1 ? ImGuiWindowFlags_HorizontalScrollbar : ImGuiWindowFlags_NoScrollbar);
  if (before->empty() || after->empty()) {
    ImGui::SetCursorPos(ImVec2(px(16), px(16)));
    ImGui::PushTextWrapPos(0);
    if (!camera) {
      ImGui::TextDisabled("Open a photo (PNG or JPEG) with the button, or drop one here. The before/after view "
                          "appears in this space.");
    } else if (!webcam.camera_message().empty() && !webcam.camera_active()) {
      ImGui::TextDisabled("%s", webcam.camera_message().c_str());
    } else if (!webcam.camera_active()) {
      ImGui::TextDisabled("Press Start camera: the stylized stream appears in this space. Frames stay on this "
                          "device.");
    } else {
      ImGui::TextDisabled("Waiting for the camera and the style (allow the camera if the browser asks; the style "
                          "loads in a few seconds the first time).");
    }
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    probe_item("picture");
    return;
  }
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const bool side_by_side = view == 1;
  const bool stacked = side_by_side && room.y > room.x;  // tall screens put the two pictures one above the other
  const float slots_x = side_by_side && !stacked ? 2.0f : 1.0f, slots_y = stacked ? 2.0f : 1.0f;
  const float gap = side_by_side ? px(8) : 0.0f;
  const float fit = std::min((room.x - gap * (slots_x - 1)) / slots_x / before->width(),
                             (room.y - gap * (slots_y - 1)) / slots_y / before->height());
  const float k = zoom_ == 1 ? 1.0f : std::max(0.01f, fit);
  const ImVec2 size(before->width() * k, before->height() * k);
  // Centre the picture(s) in the room when they are smaller than it.
  const float total_x = size.x * slots_x + gap * (slots_x - 1), total_y = size.y * slots_y + gap * (slots_y - 1);
  ImGui::SetCursorPos(ImVec2(std::max(0.0f, (room.x - total_x) / 2), std::max(0.0f, (room.y - total_y) / 2)));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (view != 0) {
    // At 100% a drag on the picture pans it (a finger has no scroll wheel); split view drags its divider instead.
    ImGui::InvisibleButton("pan", ImVec2(total_x, total_y));
    ImGui::SetItemAllowOverlap();
    if (ImGui::IsItemActive() && zoom_ == 1) {
      const ImVec2 delta = ImGui::GetIO().MouseDelta;
      ImGui::SetScrollX(ImGui::GetScrollX() - delta.x);
      ImGui::SetScrollY(ImGui::GetScrollY() - delta.y);
    }
    ImGui::SetCursorScreenPos(origin);
  }
  if (side_by_side) {
    ImGui::Image(before->id(), size);
    if (stacked) ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + size.y + gap));
    else ImGui::SameLine(0, gap);
    ImGui::Image(after->id(), size);
  } else if (view == 2) {
    ImGui::Image(before->id(), size);
  } else if (view == 3) {
    ImGui::Image(after->id(), size);
  } else {  // split: the photo left of the divider, the result right of it
    ImGui::InvisibleButton("split", size);
    ImGui::SetItemAllowOverlap();  // the zoom button drawn over the picture still gets its clicks
    if (ImGui::IsItemActive() && size.x > 0)
      split_ = std::clamp((ImGui::GetIO().MousePos.x - origin.x) / size.x, 0.0f, 1.0f);
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line_x = origin.x + size.x * split_;
    draw->AddImage(before->id(), origin, ImVec2(line_x, origin.y + size.y), ImVec2(0, 0), ImVec2(split_, 1));
    draw->AddImage(after->id(), ImVec2(line_x, origin.y), ImVec2(origin.x + size.x, origin.y + size.y),
                   ImVec2(split_, 0), ImVec2(1, 1));
    const ImU32 white = IM_COL32(255, 255, 255, 230);
    draw->AddLine(ImVec2(line_x, origin.y), ImVec2(line_x, origin.y + size.y), white, px(2));
    const float handle_y = origin.y + std::min(size.y / 2, ImGui::GetWindowPos().y + ImGui::GetWindowHeight() / 2 - origin.y);
    draw->AddCircleFilled(ImVec2(line_x, handle_y), px(12), IM_COL32(21, 22, 27, 220));
    draw->AddCircle(ImVec2(line_x, handle_y), px(12), white, 0, px(2));
    draw->AddTriangleFilled(ImVec2(line_x - px(8), handle_y), ImVec2(line_x - px(3), handle_y - px(5)),
                            ImVec2(line_x - px(3), handle_y + px(5)), white);
    draw->AddTriangleFilled(ImVec2(line_x + px(8), handle_y), ImVec2(line_x + px(3), handle_y + px(5)),
                            ImVec2(line_x + px(3), handle_y - px(5)), white);
    // Labels in the bottom corners say which side is which.
    const float label_y = origin.y + size.y - ImGui::GetTextLineHeight() - px(6);
    const char* left = camera ? "Camera" : "Before";
    const char* right = camera ? "Stylized" : "After";
    draw->AddText(ImVec2(origin.x + px(8), label_y), white, left);
    draw->AddText(ImVec2(origin.x + size.x - ImGui::CalcTextSize(right).x - px(8), label_y), white, right);
  }
  probe_rect("image", origin, ImVec2(origin.x + size.x, origin.y + size.y));  // the (first) picture itself
  // Zoom: fit the space, or 100% (one image pixel per screen pixel, scroll to move), from the top-right corner.
  const ImVec2 scroll(ImGui::GetScrollX(), ImGui::GetScrollY());
  const char* zoom_label = zoom_ == 1 ? "Fit" : "100%";
  const float zoom_width = ImGui::CalcTextSize("100%").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SetCursorPos(ImVec2(scroll.x + room.x - zoom_width - px(6), scroll.y + px(6)));
  if (ImGui::Button(zoom_label, ImVec2(zoom_width, 0))) zoom_ = 1 - zoom_;
  probe_item("zoom");
  ImGui::EndChild();
  probe_item("picture");
}

void StylizePanel::draw(App& app) {
  if (mode_ == 1) webcam.tick(app, options);
  const float room = ImGui::GetContentRegionAvail().x;
  if (room >= px(760)) {
    // Wide screens: the controls in a column on the left, the picture filling the rest.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(12), px(12)));
    ImGui::BeginChild("controls", ImVec2(px(352), 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::PopStyleVar();
    draw_controls(app);
    ImGui::EndChild();
    ImGui::SameLine(0, px(16));
    draw_picture(0, 0);
  } else {
    // Narrow screens (phones): the controls, then the picture below them, one scroll for both on short screens.
    ImGui::BeginChild("stacked", ImVec2(0, 0), false);
    draw_controls(app);
    const float height = std::max(ImGui::GetContentRegionAvail().y, px(200));
    draw_picture(0, height);
    ImGui::EndChild();
  }
}

}  // namespace web
