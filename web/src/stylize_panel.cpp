#include "stylize_panel.h"

#include <emscripten.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "styleforge/backend.h"
#include "styleforge/style_ops.h"
#include "styleforge/tensor.h"

namespace web {

using styleforge::Image;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

// One stylisation in flight. Callbacks hold it by shared_ptr; cancel() only raises the flag, which run_tiled
// sees after the tile being computed.
struct StylizePanel::Job {
  Image source;                                   // the photo at the output size
  std::vector<const styleforge::ModelEntry*> models;
  std::vector<Image> outputs;                     // one per model, in order
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
  if (photo_.empty()) return refuse("No photo yet: open a PNG or JPEG photo first (button or drag and drop).");
  auto job = std::make_shared<Job>();
  std::vector<std::string> ids{options.model_id};
  if (options.blend_two) ids.push_back(options.second_model_id);
  for (const std::string& id : ids) {
    const styleforge::ModelEntry* entry = app.manifest().find(id);
    if (!entry || entry->kind != styleforge::ModelKind::Style)
      return refuse(id.empty() ? "No style chosen: pick one in the Style list."
                               : "'" + id + "' is not a style model of this site's manifest.");
    job->models.push_back(entry);
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
  job->stats.what = "stylize";
  job_ = job;
  tiles_done_ = tiles_total_ = 0;
  app.set_info("Stylizing " + std::to_string(job->source.width) + "x" + std::to_string(job->source.height) + "...");
  run_model(app, job, 0);
  return Status::success();
}

void StylizePanel::run_model(App& app, std::shared_ptr<Job> job, size_t index) {
  const styleforge::ModelEntry& entry = *job->models[index];
  OrtBackend* backend = app.backend_for(entry);
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
  auto done = [this, &app, job, index, backend, &entry](Result<Tensor> out) {
    const SessionInfo info = backend->info();
    job->stats.session_ms += info.create_ms;
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
      fail(app, "Style '" + entry.name + "' failed: " + out.error);
      return;
    }
    auto image = styleforge::tensor_to_image(out.value, entry.output.normalization);
    if (!image.ok()) {
      fail(app, "Style '" + entry.name + "' returned an unusable output: " + image.error);
      return;
    }
    if (image.value.width != job->source.width || image.value.height != job->source.height) {
      fail(app, "Style '" + entry.name + "' returned " + std::to_string(image.value.width) + "x" +
                    std::to_string(image.value.height) + " for a " + std::to_string(job->source.width) + "x" +
                    std::to_string(job->source.height) + " input; the model must keep the image size.");
      return;
    }
    job->outputs.push_back(std::move(image.value));
    if (index + 1 < job->models.size()) {
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
               app.last_run.engine + timing);
}

void StylizePanel::fail(App& app, const std::string& message) {
  job_.reset();
  tiles_done_ = tiles_total_ = 0;
  app.set_error(message);
}

void StylizePanel::cancel() {
  if (job_) job_->cancelled = true;
}

Status StylizePanel::download(App& app) {
  if (result_.empty()) {
    app.set_error("Nothing to download yet: stylize a photo first.");
    return Status::failure(app.error());
  }
  auto png = styleforge::encode_png(result_);
  if (!png.ok()) {
    app.set_error("Could not encode the PNG: " + png.error);
    return Status::failure(app.error());
  }
  std::string name = photo_name_;
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos) name.resize(dot);
  download_bytes((name.empty() ? "photo" : name) + "-" + options.model_id + ".png", "image/png", png.value);
  return Status::success();
}

void StylizePanel::draw_model_picker(App& app, const char* label, std::string& model_id) {
  const styleforge::ModelEntry* current = app.manifest().find(model_id);
  if (ImGui::BeginCombo(label, current ? current->name.c_str() : "(choose a style)")) {
    for (const auto& entry : app.manifest().models) {
      if (entry.kind != styleforge::ModelKind::Style) continue;
      if (ImGui::Selectable(entry.name.c_str(), entry.id == model_id)) model_id = entry.id;
    }
    ImGui::EndCombo();
  }
  if (current) {
    if (const Texture* thumb = app.thumbnail(current->id)) {
      thumb->draw_fitted(96, 96);
      ImGui::SameLine();
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", current->credits.empty() ? "(no credit line in the manifest)" : current->credits.c_str());
    ImGui::PopTextWrapPos();
  }
}

void StylizePanel::draw_compare(float width, float height) {
  const Texture* before = &photo_tex_;
  const Texture* after = result_tex_.empty() ? &photo_tex_ : &result_tex_;
  if (before->empty()) {
    ImGui::TextWrapped("Open a photo (PNG or JPEG) with the button above, or drop one onto this page.");
    return;
  }
  const float k = std::min(width / before->width(), height / before->height());
  const ImVec2 size(before->width() * k, before->height() * k);
  if (view_ == 1) {
    const float half = std::min(width * 0.5f - 4, height);
    before->draw_fitted(half, height);
    ImGui::SameLine();
    after->draw_fitted(half, height);
  } else if (view_ == 2) {
    ImGui::Image(before->id(), size);
  } else if (view_ == 3) {
    ImGui::Image(after->id(), size);
  } else {  // split: the photo left of the line, the result right of it
    ImGui::Image(before->id(), ImVec2(size.x * split_, size.y), ImVec2(0, 0), ImVec2(split_, 1));
    ImGui::SameLine(0, 0);
    ImGui::Image(after->id(), ImVec2(size.x * (1 - split_), size.y), ImVec2(split_, 0), ImVec2(1, 1));
  }
}

void StylizePanel::draw(App& app) {
  const bool busy = running();
  if (ImGui::Button("Open photo...")) open_file_picker(UploadSlot::Photo);
  ImGui::SameLine();
  if (has_photo()) {
    ImGui::Text("%s  %dx%d", photo_name_.c_str(), photo_.width, photo_.height);
  } else {
    ImGui::TextDisabled("or drop a PNG/JPEG onto the page");
  }

  if (!app.manifest_loaded()) {
    ImGui::TextDisabled("Loading the model list...");
  } else if (!app.manifest_error().empty()) {
    // The message line above already says what is wrong with the model list.
  } else {
    draw_model_picker(app, "Style", options.model_id);
    ImGui::Checkbox("Blend with a second style", &options.blend_two);
    if (options.blend_two) {
      draw_model_picker(app, "Second style", options.second_model_id);
      ImGui::SliderFloat("Mix (0 = first, 1 = second)", &options.mix, 0, 1);
    }
  }
  ImGui::SliderFloat("Strength", &options.strength, 0, 1);
  ImGui::Checkbox("Preserve the photo's colours", &options.preserve_colour);
  bool full = options.output_max_side == 0;
  if (ImGui::Checkbox("Full resolution", &full)) options.output_max_side = full ? 0 : 1024;
  if (!full) {
    const int longest = has_photo() ? std::max(photo_.width, photo_.height) : 4096;
    ImGui::SliderInt("Output longest side", &options.output_max_side, 64, std::max(64, longest));
  }

  ImGui::BeginDisabled(busy || !has_photo());
  if (ImGui::Button("Stylize")) start(app);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (busy) {
    if (ImGui::Button("Cancel")) cancel();
    ImGui::SameLine();
    const float fraction = tiles_total_ > 0 ? float(tiles_done_) / tiles_total_ : 0.0f;
    char caption[64];
    std::snprintf(caption, sizeof caption, "tile %d of %d", tiles_done_, std::max(tiles_total_, 1));
    ImGui::ProgressBar(fraction, ImVec2(-1, 0), tiles_total_ > 0 ? caption : "starting...");
  } else {
    ImGui::BeginDisabled(!has_result());
    if (ImGui::Button("Download PNG")) download(app);
    ImGui::EndDisabled();
    if (has_result()) {
      ImGui::SameLine();
      ImGui::Text("result %dx%d", result_.width, result_.height);
    }
  }

  ImGui::RadioButton("Split", &view_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("Side by side", &view_, 1);
  ImGui::SameLine();
  ImGui::RadioButton("Before", &view_, 2);
  ImGui::SameLine();
  ImGui::RadioButton("After", &view_, 3);
  if (view_ == 0) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160);
    ImGui::SliderFloat("##split", &split_, 0, 1, "split %.2f");
  }
  const ImVec2 room = ImGui::GetContentRegionAvail();
  draw_compare(room.x, room.y);
}

}  // namespace web
