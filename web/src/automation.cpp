// The automation API behind window.styleforge (web/js/boot.mjs): tests and scripts drive the same App functions
// the buttons call, and read the state the screen shows. Files still go in through the real <input type=file>
// and out through the real download path; nothing here bypasses them.
//
// Every function takes and returns UTF-8 strings. Returned pointers stay valid until the next call of the same
// function (they point into a static buffer); JS copies them at once with UTF8ToString.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "activity.h"
#include "app.h"
#include "layout_probe.h"

namespace {

using nlohmann::json;

// Summary of a picture: enough to tell "same image" (hash) and "not blank" (stddev) apart without copying it.
json describe(const styleforge::Image& image, int serial) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  double sum = 0, sum2 = 0;
  for (uint8_t v : image.rgba) {
    hash = (hash ^ v) * 1099511628211ull;
    sum += v;
    sum2 += double(v) * v;
  }
  const double n = image.rgba.empty() ? 1 : double(image.rgba.size());
  const double mean = sum / n;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return {{"width", image.width}, {"height", image.height}, {"serial", serial}, {"hash", hex},
          {"mean", mean}, {"stddev", std::sqrt(std::max(0.0, sum2 / n - mean * mean))}};
}

bool parse_bool(const std::string& v) { return v == "1" || v == "true" || v == "on"; }

// Sets one option. Returns an empty string or the reason the value was refused.
std::string set_option(web::App& app, const std::string& key, const std::string& value) {
  auto& o = app.stylize.options;
  auto& g = app.generate;
  const double number = std::atof(value.c_str());
  const styleforge::ModelEntry* entry = app.manifest().find(value);
  const bool is_fast_network = entry && !entry->variant_of.empty();
  // "model" names the network to run: a fast network's id chooses its style and Fast, a style's id the style and
  // Quality. "style" is what the Style list does: another style, the Quality/Fast choice kept. "second_model" (a
  // blend's second style) runs with the same choice as the first, so a fast network's id only names its style.
  if (key == "model") {
    o.model_id = is_fast_network ? entry->variant_of : value;
    if (entry && entry->kind == styleforge::ModelKind::Style) o.fast = is_fast_network;
  } else if (key == "style") o.model_id = is_fast_network ? entry->variant_of : value;
  else if (key == "network") {
    if (value != "quality" && value != "fast") return "network must be quality or fast (got '" + value + "')";
    o.fast = value == "fast";
  }
  else if (key == "second_model") o.second_model_id = is_fast_network ? entry->variant_of : value;
  else if (key == "blend_two") o.blend_two = parse_bool(value);
  else if (key == "mix") o.mix = float(number);
  else if (key == "strength") o.strength = float(number);
  else if (key == "preserve_colour") o.preserve_colour = parse_bool(value);
  else if (key == "output_max_side") o.output_max_side = std::max(0, int(number));
  else if (key == "max_tile") o.max_tile_override = std::max(0, int(number));
  else if (key == "gan_model") g.gan_id = value;
  else if (key == "gan_seed") g.gan_seed = uint64_t(std::max(0.0, number));
  else if (key == "gan_seed_b") g.gan_seed_b = uint64_t(std::max(0.0, number));
  else if (key == "gan_class") g.gan_class = std::max(0, int(number));
  else if (key == "gan_class_b") g.gan_class_b = std::max(0, int(number));
  else if (key == "gan_truncation") g.set_truncation(float(number));  // out of (0, 1]: refused when sampling
  else if (key == "vae_class") g.vae_class = std::max(0, int(number));
  else if (key == "animate") g.animate = parse_bool(value);
  else if (key == "vae_encoder") g.vae_encoder_id = value;
  else if (key == "vae_decoder") g.vae_decoder_id = value;
  else if (key == "vae_seed") g.vae_seed = uint64_t(std::max(0.0, number));
  else if (key == "vae_t") g.vae_t = float(number);
  else if (key == "tab") app.show_tab(std::max(0, std::min(2, int(number))));
  else if (key == "mode") {
    if (value != "photo" && value != "webcam") return "mode must be photo or webcam (got '" + value + "')";
    return app.stylize.set_mode(app, value == "webcam" ? 1 : 0).error;
  } else if (key == "webcam_side") app.stylize.webcam.frame_side = std::max(16, std::min(512, int(number)));
  else if (key == "webcam_mirror") app.stylize.webcam.mirror = parse_bool(value);
  else if (key == "webcam_steady") app.stylize.webcam.steady = parse_bool(value);
  else if (key == "webcam_paused") app.stylize.webcam.set_paused(parse_bool(value));
  else if (key == "ui_redraw_always") web::g_redraw_always = parse_bool(value);
  else if (key == "engine") {
    if (value == "auto") app.set_engine(web::EnginePreference::Auto);
    else if (value == "webgpu") app.set_engine(web::EnginePreference::WebGpu);
    else if (value == "wasm") app.set_engine(web::EnginePreference::Wasm);
    else return "engine must be auto, webgpu or wasm (got '" + value + "')";
    return app.error();
  } else {
    return "unknown option '" + key + "'";
  }
  return "";
}

std::string g_returned;

const char* give(const std::string& text) {
  g_returned = text;
  return g_returned.c_str();
}

}  // namespace

extern "C" {

// The whole visible state as JSON.
EMSCRIPTEN_KEEPALIVE const char* sf_api_status() {
  web::App& app = web::app();
  json models = json::array();
  for (const auto& m : app.manifest().models)
    models.push_back({{"id", m.id}, {"name", m.name}, {"kind", styleforge::to_string(m.kind)},
                      {"yours", app.is_user_model(m.id)}, {"variant_of", m.variant_of},
                      {"macs_per_pixel", m.macs_per_pixel}});
  const auto& s = app.stylize;
  const auto& g = app.generate;
  const web::LastRun& r = app.last_run;
  const web::RuntimeInfo rt = web::runtime_info();
  json styles = json::array();  // what the Style list offers, in its order
  for (const auto& m : app.manifest().models)
    if (web::listed_style(m)) styles.push_back(m.id);
  json grid = json::array();
  for (const auto& tile : g.gan_grid_out) grid.push_back(describe(tile.image, tile.serial));
  const styleforge::ModelEntry* gan = app.manifest().find(g.gan_id);
  json directions = json::array();
  if (gan)
    for (const auto& d : gan->directions) directions.push_back(d.name);
  const web::Webcam& w = s.webcam;
  json webcam = {
      {"mode", s.mode() == 1 ? "webcam" : "photo"}, {"camera", w.phase_name()}, {"message", w.camera_message()},
      {"camera_width", w.camera_width()}, {"camera_height", w.camera_height()}, {"label", w.camera_label()},
      {"frame_side", w.frame_side}, {"mirror", w.mirror}, {"steady", w.steady}, {"paused", w.paused()},
      {"in_flight", w.in_flight()}, {"network", w.output_network()},
      {"frames", w.frames_done()}, {"skipped", w.frames_skipped()}, {"model", w.output_model()},
      {"engine", w.engine()}, {"graph_capture", w.graph_capture()}, {"captured_frames", w.captured_frames()},
      {"fps", w.fps()}, {"ms_per_frame", w.ms_per_frame()},
      {"inference_ms", w.inference_ms()}, {"grab_ms", w.grab_ms()}, {"wait_ms", w.wait_ms()},
      {"readout", w.readout()},
      {"input", w.input().empty() ? json(nullptr) : describe(w.input(), w.frames_done())},
      {"output", w.output().empty() ? json(nullptr) : describe(w.output(), w.frames_done())},
      {"flicker", {{"series", w.flicker_series()}, {"pairs", w.flicker_pairs()},
                   {"input_change", w.input_change()}, {"output_change", w.output_change()}}}};
  const styleforge::ModelEntry* network = web::style_network(app.manifest(), s.options.model_id, s.options.fast);
  json custom_styles = json::array();
  for (const auto& c : s.custom.styles())
    custom_styles.push_back({{"id", c.id}, {"name", c.name}, {"width", c.width}, {"height", c.height}, {"code", c.code}});
  json state = {
      {"manifest", {{"loaded", app.manifest_loaded()}, {"error", app.manifest_error()}, {"models", models}}},
      {"error", app.error()},
      {"info", app.info()},
      {"engine", web::to_string(app.engine())},
      {"tab", app.active_tab},
      {"jobs_in_flight", web::ort_jobs_in_flight()},
      {"stylize",
       {{"running", s.running()}, {"photo", s.has_photo() ? describe(s.photo(), 0) : json(nullptr)},
        {"photo_name", s.photo_name()}, {"result", s.has_result() ? describe(s.result(), 0) : json(nullptr)},
        {"tiles_done", s.tiles_done()}, {"tiles_total", s.tiles_total()}, {"model", s.options.model_id},
        {"strength", s.options.strength}, {"preserve_colour", s.options.preserve_colour},
        {"view", s.view()}, {"zoomed", s.zoomed()}, {"second_model", s.options.second_model_id},
        {"custom_styles", custom_styles}, {"reading_style", s.custom.busy()},
        // The Quality/Fast choice, whether the chosen style has a fast network, and the entry a run would use.
        {"styles", styles}, {"network", s.options.fast ? "fast" : "quality"},
        {"fast_available", app.manifest().fast_variant(s.options.model_id) != nullptr},
        {"network_model", network ? network->id : ""}}},
      {"webcam", webcam},
      {"generate",
       {{"busy", g.busy()}, {"gan", describe(g.gan_out.image, g.gan_out.serial)},
        {"vae", describe(g.vae_out.image, g.vae_out.serial)},
        {"vae_recon_a", describe(g.vae_recon_a.image, g.vae_recon_a.serial)},
        {"vae_recon_b", describe(g.vae_recon_b.image, g.vae_recon_b.serial)},
        {"gan_z_size", g.gan_z.size()}, {"anim_t", g.anim_t}, {"gan_grid", grid}, {"gan_grid_serial", g.gan_grid_serial},
        {"gan_class", g.gan_class}, {"gan_class_name", gan ? web::class_name(*gan, g.gan_class) : ""},
        {"gan_directions", directions}, {"gan_truncation", gan ? g.truncation_for(*gan) : 1.0f},
        {"gan_default_truncation", gan ? gan->truncation : 1.0f}, {"last_saved_name", g.last_saved_name},
        {"vae_seen_a", describe(g.vae_seen_a.image, g.vae_seen_a.serial)},
        {"vae_guess_a", g.vae_guess_a}, {"vae_guess_b", g.vae_guess_b}}},
      {"last_run",
       {{"what", r.what}, {"engine", r.engine}, {"network", r.network}, {"models", r.models},
        {"fallback_reason", r.fallback_reason}, {"session_ms", r.session_ms},
        {"warmup_ms", r.warmup_ms}, {"graph_capture", r.graph_capture},
        {"inference_ms", r.inference_ms}, {"bridge_ms", r.bridge_ms}, {"total_ms", r.total_ms}, {"tiles", r.tiles}}},
      {"runtime",
       {{"threads", rt.threads}, {"cross_origin_isolated", rt.cross_origin_isolated}, {"proxy", rt.proxy},
        {"webgpu", rt.webgpu_status}, {"ort_version", rt.ort_version}, {"note", rt.note},
        {"webgpu_runtime_loaded", rt.webgpu_runtime_loaded}}},
      {"ui", {{"frames_drawn", web::frame_counts().drawn}, {"frames_rested", web::frame_counts().rested},
              {"redraw_always", web::g_redraw_always}}},
  };
  return give(state.dump());
}

// Where the widgets of the last frame are, in CSS pixels, with the canvas's CSS size and the device pixel ratio
// (layout_probe.h). Read-only: tests check that controls are on screen and do not move.
EMSCRIPTEN_KEEPALIVE const char* sf_api_layout() {
  double css_width = 0, css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  return give(web::probe_json(css_width, css_height, emscripten_get_device_pixel_ratio()));
}

// Sets an option (see set_option for the keys). Returns "" or why it was refused.
EMSCRIPTEN_KEEPALIVE const char* sf_api_set(const char* key, const char* value) {
  web::note_activity();
  return give(set_option(web::app(), key ? key : "", value ? value : ""));
}

// Runs an action, as its button would. Returns "" or why it could not start.
EMSCRIPTEN_KEEPALIVE const char* sf_api_action(const char* name_ptr) {
  web::note_activity();
  web::App& app = web::app();
  const std::string name = name_ptr ? name_ptr : "";
  styleforge::Status status;
  if (name == "stylize") status = app.stylize.start(app);
  else if (name == "cancel") app.stylize.cancel();
  else if (name == "download") status = app.stylize.download(app);
  else if (name == "webcam_start") {  // as the Start camera button, which only Webcam mode shows
    if (app.stylize.mode() != 1) status = styleforge::Status::failure("choose Webcam mode first (set mode webcam)");
    else app.stylize.webcam.start(app);
  }
  else if (name == "webcam_stop") app.stylize.webcam.stop(app);
  else if (name == "webcam_snapshot") status = app.stylize.webcam.snapshot(app);
  else if (name == "webcam_save_input") status = app.stylize.webcam.save_input(app);
  else if (name == "gan_sample") status = app.generate.gan_sample(app);
  else if (name == "gan_render") status = app.generate.gan_render(app);
  else if (name == "vae_sample") status = app.generate.vae_sample(app);
  else if (name == "gan_grid") status = app.generate.gan_grid(app);
  else if (name == "gan_save") status = app.generate.gan_save(app);
  else if (name.rfind("gan_pick:", 0) == 0) status = app.generate.gan_pick(app, std::atoi(name.c_str() + 9));
  else if (name == "vae_interpolate") status = app.generate.vae_interpolate(app);
  else if (name == "clear_message") app.set_info("");
  else status = styleforge::Status::failure("unknown action '" + name + "'");
  return give(status.error);
}

}  // extern "C"
