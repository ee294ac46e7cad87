#include "webcam.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app.h"
#include "camera_bridge.h"
#include "file_bridge.h"
#include "styleforge/style_code.h"
#include "styleforge/style_ops.h"
#include "styleforge/tensor.h"
#include "stylize_panel.h"

namespace web {

using styleforge::Image;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

namespace {

// Mean absolute difference over R, G and B (0..255); -1 when the sizes differ.
double mean_abs_change(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.rgba.size() != b.rgba.size() || a.rgba.empty()) return -1;
  uint64_t sum = 0;
  for (size_t i = 0; i < a.rgba.size(); i += 4)
    for (size_t c = 0; c < 3; ++c) sum += uint64_t(std::abs(int(a.rgba[i + c]) - int(b.rgba[i + c])));
  return double(sum) / (double(a.rgba.size() / 4) * 3);
}

// The stylized frame's size: the camera's frame scaled (never up) so its longer side is at most `side`, each side
// a multiple of the model's size_multiple, so one run of the model covers it (no tiling, no padding).
void frame_size(int camera_width, int camera_height, int side, int multiple, int* width, int* height) {
  const double k = std::min(1.0, double(side) / std::max(camera_width, camera_height));
  auto fit = [&](int n) { return std::max(multiple, int(std::lround(n * k / multiple)) * multiple); };
  *width = fit(camera_width);
  *height = fit(camera_height);
}

}  // namespace

const char* Webcam::phase_name() const {
  switch (phase_) {
    case Phase::Starting: return "starting";
    case Phase::On: return "on";
    case Phase::Failed: return "failed";
    case Phase::Off: break;
  }
  return "off";
}

void Webcam::start(App& app) {
  camera_start();
  phase_ = Phase::Starting;
  camera_message_.clear();
  last_camera_frame_ = -1;
  failed_model_.clear();
  paused_ = false;
  ++generation_;  // a frame still being stylized is dropped when it finishes (and holds off the next one till then)
  reset_measures();
  app.set_info("Starting the camera... (the browser may ask for permission)");
}

void Webcam::stop(App& app, const std::string& why) {
  const bool was_active = camera_active();
  camera_stop();
  ++generation_;  // a frame still being stylized is dropped when it finishes
  if (phase_ != Phase::Failed) phase_ = Phase::Off;
  if (was_active) app.set_info(why.empty() ? "Camera stopped." : why);
}

void Webcam::set_paused(bool paused) { paused_ = paused; }

void Webcam::reset_measures() {
  timings_.clear();
  timing_model_.clear();
  series_key_.clear();
  previous_input_ = Image{};
  previous_output_ = Image{};
  steadier_.reset();
  flicker_pairs_ = 0;
  input_change_sum_ = output_change_sum_ = 0;
}

void Webcam::tick(App& app, const StylizeOptions& options) {
  // Follow the camera: it may have come on, been refused, or stopped by itself (page hidden, unplugged).
  if (phase_ == Phase::Starting || phase_ == Phase::On) {
    const CameraState cam = camera_state();
    if (cam.phase == CameraState::Phase::On) {
      if (phase_ == Phase::Starting) {
        app.set_info("Camera on: " + std::to_string(cam.width) + "x" + std::to_string(cam.height) +
                     (cam.label.empty() ? "" : " (" + cam.label + ")") + ".");
      }
      phase_ = Phase::On;
      camera_width_ = cam.width;
      camera_height_ = cam.height;
      camera_label_ = cam.label;
    } else if (cam.phase == CameraState::Phase::Failed) {
      phase_ = Phase::Failed;
      camera_message_ = cam.message;
      ++generation_;
      app.set_error(cam.message);
    } else if (cam.phase == CameraState::Phase::Off) {
      phase_ = Phase::Off;
      camera_message_ = cam.message;
      ++generation_;
      if (!cam.message.empty()) app.set_info(cam.message);
    }
    if (phase_ != Phase::On || in_flight_ || paused_) return;
    if (cam.frames == last_camera_frame_) return;  // no new camera frame since the last one taken
    if (last_camera_frame_ >= 0 && cam.frames > last_camera_frame_ + 1)
      frames_skipped_ += cam.frames - last_camera_frame_ - 1;
    last_camera_frame_ = cam.frames;
  } else {
    return;
  }

  // A gallery style (its fast network when Fast is chosen and it has one), or one of the person's style images: the
  // arbitrary-style transformer with that image's code.
  const CustomStyle* custom = app.stylize.custom.find(options.model_id);
  const styleforge::ModelEntry* entry =
      custom ? CustomStyles::transformer(app) : style_network(app.manifest(), options.model_id, options.fast);
  if (!entry) return;  // the picker says "(choose a style)"
  const std::string model_id = webcam_model_key(app, options);  // what the read-out, series and failures name
  if (failed_model_ == model_id) return;
  failed_model_.clear();

  const int side = std::max(16, std::min(frame_side, entry->max_tile > 0 ? entry->max_tile : frame_side));
  int width = 0, height = 0;
  frame_size(camera_width_, camera_height_, side, std::max(1, entry->size_multiple), &width, &height);
  const double grab_started = emscripten_get_now();
  // Since the last frame was shown: the UI frames in between, waiting for the camera's next frame.
  const double waited_ms = timings_.empty() ? 0 : grab_started - timings_.back().done_at;
  Image raw;
  if (!camera_grab(width, height, mirror, raw)) return;
  if (!steady) steadier_.reset();  // the next Steady frame starts afresh
  Image frame = steady ? steadier_.next(raw) : raw;

  // A new flicker series whenever what makes the output changes.
  char key[256];
  std::snprintf(key, sizeof key, "%s|%.3f|%d|%dx%d|%d|%d|%s", model_id.c_str(), options.strength,
                options.preserve_colour ? 1 : 0, width, height, mirror ? 1 : 0, steady ? 1 : 0,
                to_string(app.engine()));
  const std::string series = key;

  OrtBackend* backend = app.backend_for(*entry);
  if (custom) {
    const styleforge::Status set =
        backend->set_conditioning(entry->style_input.name, styleforge::style_code_tensor(custom->code));
    if (!set.ok()) {
      failed_model_ = model_id;
      return app.set_error("Your style image '" + custom->name + "' cannot paint the camera: " + set.error);
    }
  }
  const Tensor input = styleforge::image_to_tensor(frame, entry->input.normalization);
  in_flight_ = true;
  const int generation = generation_;
  const double started = emscripten_get_now();
  const double grab_ms = started - grab_started;  // the copy from the camera, Steady and the model's input
  const EnginePreference engine = app.engine();
  const std::string entry_id = entry->id;  // the model that runs it
  const float strength = options.strength;
  const bool keep_colour = options.preserve_colour;
  // OrtBackend::run copies the input before it returns, so `input` may go out of scope.
  backend->run_frame(input, [this, &app, generation, started, grab_ms, waited_ms, engine, model_id, entry_id, strength, keep_colour, series,
                       raw = std::move(raw), frame = std::move(frame)](Result<Tensor> out) mutable {
    // Cleared whatever happened: only one run at a time on a session, even across a stop and start.
    in_flight_ = false;
    if (generation != generation_) return;  // the camera was stopped or restarted meanwhile
    if (engine != app.engine()) return;  // the sessions were replaced; the next frame runs on the new engine
    const styleforge::ModelEntry* entry = app.manifest().find(entry_id);
    if (!entry) return;
    auto fail = [&](const std::string& message) {
      failed_model_ = model_id;
      app.set_error("Style '" + entry->name + "' failed on the camera frame: " + message +
                    " Choose another style, or press Start camera to try again.");
    };
    if (!out.ok()) return fail(out.error);
    auto image = styleforge::tensor_to_image(out.value, entry->output.normalization);
    if (!image.ok()) return fail(image.error);
    if (image.value.width != frame.width || image.value.height != frame.height)
      return fail("it returned " + std::to_string(image.value.width) + "x" + std::to_string(image.value.height) +
                  " for a " + std::to_string(frame.width) + "x" + std::to_string(frame.height) + " frame.");
    Image styled = std::move(image.value);
    // The photo path's finishing steps, in the same order.
    if (keep_colour) {
      auto kept = styleforge::preserve_colour(frame, styled);
      if (kept.ok()) styled = std::move(kept.value);
    }
    if (strength < 1.0f) {
      auto blended = styleforge::blend_images(frame, styled, strength);
      if (blended.ok()) styled = std::move(blended.value);
    }

    // Flicker: consecutive frames of one series; the camera's change is measured on its frames as they came.
    if (series != series_key_) {
      series_key_ = series;
      ++flicker_series_;
      flicker_pairs_ = 0;
      input_change_sum_ = output_change_sum_ = 0;
    } else {
      const double in_change = mean_abs_change(previous_input_, raw);
      const double out_change = mean_abs_change(previous_output_, styled);
      if (in_change >= 0 && out_change >= 0) {
        ++flicker_pairs_;
        input_change_sum_ += in_change;
        output_change_sum_ += out_change;
      }
    }
    previous_input_ = std::move(raw);
    previous_output_ = styled;

    input_ = std::move(frame);
    output_ = std::move(styled);
    input_tex_.set(input_);
    output_tex_.set(output_);
    output_model_ = model_id;
    output_network_ = network_name(*entry);
    ++frames_done_;

    OrtBackend* backend = app.backend_for(*entry);
    const SessionInfo info = backend->info();
    const RunTiming timing = backend->last_timing();
    engine_ = info.engine;
    graph_capture_ = info.graph_capture;
    captured_frames_ = info.captured_frames;
    const double now = emscripten_get_now();
    // A new style's first frame includes creating its session: it starts a new window and is left out of the
    // averages (it still marks the time the next frame's interval is counted from).
    if (model_id != timing_model_) {
      timings_.clear();
      timing_model_ = model_id;
    }
    timings_.push_back({now, now - started, timing.inference_ms, grab_ms, waited_ms});
    while (timings_.size() > kWindow + 1) timings_.pop_front();

    LastRun run;
    run.what = "webcam";
    run.engine = info.engine;
    run.network = network_name(*entry);
    run.models = {entry->id};
    run.fallback_reason = info.fallback_reason;
    run.session_ms = info.create_ms;
    run.warmup_ms = info.warmup_ms;
    run.graph_capture = info.graph_capture;
    run.inference_ms = timing.inference_ms;
    run.bridge_ms = timing.bridge_ms;
    run.total_ms = now - started;
    run.tiles = 1;
    app.last_run = run;
  });
}

std::string webcam_model_key(App& app, const StylizeOptions& options) {
  if (app.stylize.custom.find(options.model_id)) return options.model_id;
  const styleforge::ModelEntry* entry = style_network(app.manifest(), options.model_id, options.fast);
  return entry ? entry->id : options.model_id;
}

double Webcam::fps() const {
  if (timings_.size() < 2) return 0;
  const double span = timings_.back().done_at - timings_.front().done_at;
  return span > 0 ? 1000.0 * double(timings_.size() - 1) / span : 0;
}

// Averages one field over the window, without its first frame once there are others (it may include loading
// the style).
double Webcam::window_mean(double Timing::*field) const {
  if (timings_.empty()) return 0;
  const size_t first = timings_.size() > 1 ? 1 : 0;
  double sum = 0;
  for (size_t i = first; i < timings_.size(); ++i) sum += timings_[i].*field;
  return sum / double(timings_.size() - first);
}

double Webcam::ms_per_frame() const { return window_mean(&Timing::total_ms); }

double Webcam::inference_ms() const { return window_mean(&Timing::inference_ms); }

double Webcam::grab_ms() const { return window_mean(&Timing::grab_ms); }

double Webcam::wait_ms() const { return window_mean(&Timing::wait_ms); }

std::string Webcam::readout_speed() const {
  if (timings_.empty()) return "";
  char text[96];
  if (timings_.size() < 2) {
    std::snprintf(text, sizeof text, "first frame: %.0f ms", ms_per_frame());
  } else {
    std::snprintf(text, sizeof text, "%.1f fps \xC2\xB7 %.0f ms a frame", fps(), ms_per_frame());
  }
  return text;
}

std::string Webcam::readout_detail() const {
  if (timings_.empty()) return "";
  char text[128];
  // "fast model 120 ms ..." when the style's fast network ran; the quality network keeps the plain "model".
  std::snprintf(text, sizeof text, "%smodel %.0f ms \xC2\xB7 %s \xC2\xB7 %dx%d",
                output_network_ == "fast" ? "fast " : "", inference_ms(), engine_.c_str(), output_.width,
                output_.height);
  return text;
}

std::string Webcam::readout() const {
  return timings_.empty() ? "" : readout_speed() + " \xC2\xB7 " + readout_detail();
}

Status Webcam::snapshot(App& app) {
  if (output_.empty()) {
    app.set_error("No stylized camera frame yet: start the camera first.");
    return Status::failure(app.error());
  }
  Status saved = download_png(output_, "webcam-" + output_model_ + "-" + std::to_string(snapshots_ + 1) + ".png");
  if (!saved.ok()) {
    app.set_error(saved.error);
    return Status::failure(app.error());
  }
  ++snapshots_;
  return saved;
}

Status Webcam::save_input(App& app) {
  if (input_.empty()) {
    app.set_error("No camera frame yet: start the camera first.");
    return Status::failure(app.error());
  }
  return download_png(input_, "webcam-input.png");
}

}  // namespace web
