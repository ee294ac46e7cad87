#include "generate_panel.h"

#include <emscripten.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "app.h"
#include "imgui.h"
#include "layout_probe.h"
#include "ui_style.h"
#include "styleforge/latent.h"
#include "styleforge/tensor.h"

namespace web {

using styleforge::Image;
using styleforge::ModelEntry;
using styleforge::ModelKind;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

namespace {

constexpr int kLatentSliders = 8;       // sliders: the first 8 named directions (or latent values, without names)
constexpr float kAnimationSpeed = 0.3f; // interpolation parameter per second
constexpr int kSaveScale = 8;           // a 28x28 sample saves as 224x224, each pixel an 8x8 square
constexpr int kGridColumns = 4;

const ModelEntry* find_kind(App& app, const std::string& id, ModelKind kind) {
  const ModelEntry* entry = app.manifest().find(id);
  return entry && entry->kind == kind ? entry : nullptr;
}

bool model_combo(App& app, const char* label, std::string& id, ModelKind kind) {
  const ModelEntry* current = app.manifest().find(id);
  bool changed = false;
  form_label(label);
  ImGui::PushID(label);
  const bool open = ImGui::BeginCombo("##model", current ? current->name.c_str() : "(none)");
  ImGui::PopID();
  if (open) {
    for (const auto& entry : app.manifest().models) {
      if (entry.kind != kind) continue;
      if (ImGui::Selectable(entry.name.c_str(), entry.id == id)) {
        id = entry.id;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (current && !current->credits.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", current->credits.c_str());
    ImGui::PopTextWrapPos();
  }
  return changed;
}

// "Class  [Sneaker v]" for a class-conditional model; nothing for others. Returns true when the choice changed.
bool class_combo(const char* label, const char* id, const ModelEntry& entry, int& index) {
  if (entry.classes.empty()) return false;
  index = std::clamp(index, 0, int(entry.classes.size()) - 1);
  form_label(label);
  bool changed = false;
  if (ImGui::BeginCombo(id, entry.classes[size_t(index)].c_str())) {
    for (int i = 0; i < int(entry.classes.size()); ++i)
      if (ImGui::Selectable(entry.classes[size_t(i)].c_str(), i == index)) {
        index = i;
        changed = true;
      }
    ImGui::EndCombo();
  }
  return changed;
}

Status refuse(App& app, const std::string& message) {
  app.set_error(message);
  return Status::failure(message);
}

// A captioned picture in a flow of pictures: goes on the current line when it still fits, else starts a new one.
void flow_picture(const char* caption, const Texture& texture, float side, bool first) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (!first) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + side > right) ImGui::NewLine();
  }
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", caption);
  draw_pixels(texture, side);
  ImGui::EndGroup();
}

// A section title in the medium weight.
void section_title(const char* text) {
  ImGui::PushFont(strong_font());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

// "sneaker" from "Sneaker", "t-shirt-top" from "T-shirt/top", "food-drink" from "Food & Drink": a file-name-safe
// class name (a run of other characters becomes one '-').
std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    const char l = char(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(l))) out += l;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// What the shipped VAE knows, in one sentence, from its manifest entry.
std::string what_the_vae_knows(const ModelEntry& encoder) {
  std::string text = "This VAE knows only its training pictures (" + encoder.credits + "): " +
                     std::to_string(encoder.image_size) + "x" + std::to_string(encoder.image_size) + " grey pictures";
  if (!encoder.classes.empty()) {
    text += " of " + std::to_string(encoder.classes.size()) + " kinds of thing (";
    for (size_t i = 0; i < encoder.classes.size(); ++i) text += (i ? ", " : "") + encoder.classes[i];
    text += ")";
  }
  return text + ". An upload is shrunk to that size in grey (\"Model sees\"), and whatever it shows comes back as "
                "the nearest thing the model knows.";
}

}  // namespace

std::string class_name(const ModelEntry& entry, int index) {
  return index >= 0 && index < int(entry.classes.size()) ? entry.classes[size_t(index)] : "";
}

void GeneratePanel::choose_defaults(App& app) {
  for (const auto& entry : app.manifest().models) {
    if (gan_id.empty() && entry.kind == ModelKind::Gan) gan_id = entry.id;
    if (vae_encoder_id.empty() && entry.kind == ModelKind::VaeEncoder) vae_encoder_id = entry.id;
    if (vae_decoder_id.empty() && entry.kind == ModelKind::VaeDecoder) vae_decoder_id = entry.id;
  }
}

float GeneratePanel::truncation_for(const ModelEntry& entry) const {
  return truncation_model_ == entry.id ? gan_truncation_ : entry.truncation;
}

Result<std::vector<float>> GeneratePanel::gan_latent(const ModelEntry& entry, uint64_t seed, int class_index) const {
  const int classes = int(entry.classes.size());
  auto z = styleforge::truncate_latent(styleforge::sample_normal(seed, size_t(std::max(1, entry.free_latent_size()))),
                                       truncation_for(entry));
  if (!z.ok()) return z;
  return styleforge::latent_with_class(z.value, classes > 0 ? class_index : 0, classes);
}

void GeneratePanel::decode(App& app, const std::string& model_id, std::vector<float> z, Generated* out,
                           std::string done_message) {
  const ModelEntry* entry = app.manifest().find(model_id);
  OrtBackend* backend = app.backend_for(*entry);
  Tensor latent;
  latent.shape = {1, int64_t(z.size())};
  latent.data = std::move(z);
  busy_ = true;
  const double started = emscripten_get_now();
  backend->run(latent, [this, &app, entry, backend, out, started, done_message](Result<Tensor> result) {
    busy_ = false;
    if (!result.ok()) {
      animate = false;
      app.set_error("'" + entry->name + "' failed: " + result.error);
      return;
    }
    auto images = generated_to_images(result.value, entry->output.normalization);
    if (!images.ok() || images.value.size() != 1) {
      animate = false;
      app.set_error("'" + entry->name + "' returned an unusable picture: " +
                    (images.ok() ? "expected one picture" : images.error));
      return;
    }
    out->show(std::move(images.value[0]));
    const SessionInfo info = backend->info();
    LastRun run;
    run.what = to_string(entry->kind);
    run.engine = info.engine;
    run.fallback_reason = info.fallback_reason;
    run.session_ms = info.create_ms;
    run.warmup_ms = info.warmup_ms;
    run.inference_ms = backend->last_timing().inference_ms;
    run.bridge_ms = backend->last_timing().bridge_ms;
    run.total_ms = emscripten_get_now() - started;
    run.tiles = 1;
    app.last_run = run;
    app.set_info(done_message);  // a picture made clears an earlier refusal's message (empty: no message)
  });
}

Status GeneratePanel::gan_sample(App& app) {
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) return refuse(app, "No GAN chosen: this site ships none, or pick one in the GAN list.");
  auto z = gan_latent(*entry, gan_seed, gan_class);
  if (!z.ok()) return refuse(app, z.error);
  gan_z = std::move(z.value);
  return gan_render(app);
}

Status GeneratePanel::gan_render(App& app) {
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) return refuse(app, "No GAN chosen: this site ships none, or pick one in the GAN list.");
  if (busy_) return refuse(app, "The generator is still busy; try again in a moment.");
  if (int(gan_z.size()) != entry->latent_size) {
    auto z = gan_latent(*entry, gan_seed, gan_class);
    if (!z.ok()) return refuse(app, z.error);
    gan_z = std::move(z.value);
  }
  decode(app, gan_id, gan_z, &gan_out);
  return Status::success();
}

Status GeneratePanel::gan_grid(App& app) {
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) return refuse(app, "No GAN chosen: this site ships none, or pick one in the GAN list.");
  if (busy_) return refuse(app, "The generator is still busy; try again in a moment.");
  // One batch of 16 latents: one session run instead of 16 round trips.
  Tensor batch;
  batch.shape = {kGridSize, entry->latent_size};
  for (int i = 0; i < kGridSize; ++i) {
    auto z = gan_latent(*entry, gan_seed + uint64_t(i), gan_class);
    if (!z.ok()) return refuse(app, z.error);
    batch.data.insert(batch.data.end(), z.value.begin(), z.value.end());
  }
  OrtBackend* backend = app.backend_for(*entry);
  busy_ = true;
  grid_seed_ = gan_seed;
  grid_class_ = gan_class;
  grid_truncation_ = truncation_for(*entry);
  backend->run(batch, [this, &app, entry](Result<Tensor> result) {
    busy_ = false;
    if (!result.ok()) return app.set_error("'" + entry->name + "' failed on the grid: " + result.error);
    auto images = generated_to_images(result.value, entry->output.normalization);
    if (!images.ok() || int(images.value.size()) != kGridSize)
      return app.set_error("'" + entry->name + "' returned an unusable grid: " +
                           (images.ok() ? "expected " + std::to_string(kGridSize) + " pictures" : images.error));
    for (int i = 0; i < kGridSize; ++i) gan_grid_out[size_t(i)].show(std::move(images.value[size_t(i)]));
    gan_grid_serial++;
  });
  return Status::success();
}

Status GeneratePanel::gan_pick(App& app, int tile) {
  if (tile < 0 || tile >= kGridSize || gan_grid_out[size_t(tile)].image.empty())
    return refuse(app, "No grid picture " + std::to_string(tile) + ": make the grid first.");
  gan_seed = grid_seed_ + uint64_t(tile);  // the tile's seed, class and truncation
  gan_class = grid_class_;
  set_truncation(grid_truncation_);
  return gan_sample(app);
}

Status GeneratePanel::gan_save(App& app) {
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry || gan_out.image.empty()) return refuse(app, "Nothing to save yet: sample a picture first.");
  std::string name = entry->id;
  if (!entry->classes.empty()) name += "-" + file_safe(class_name(*entry, gan_class));
  name += "-seed-" + std::to_string(gan_seed);
  // Away from the model's default, the seed alone would not make this picture again.
  if (const float psi = truncation_for(*entry); psi != entry->truncation) {
    char text[32];
    std::snprintf(text, sizeof text, "-truncation-%.2f", double(psi));
    name += text;
  }
  name += ".png";
  const Status status = save_png(gan_out.image, kSaveScale, name);
  if (!status.ok()) return refuse(app, status.error);
  last_saved_name = name;
  app.set_info("Saved " + name + " (" + std::to_string(gan_out.image.width * kSaveScale) + " px square).");
  return status;
}

Status GeneratePanel::vae_sample(App& app) {
  const ModelEntry* entry = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!entry) return refuse(app, "No VAE decoder chosen: this site ships none, or pick one in the list.");
  if (busy_) return refuse(app, "The VAE is still busy; try again in a moment.");
  const int classes = int(entry->classes.size());
  auto z = styleforge::latent_with_class(styleforge::sample_normal(vae_seed, size_t(std::max(1, entry->free_latent_size()))),
                                         classes > 0 ? std::clamp(vae_class, 0, classes - 1) : 0, classes);
  if (!z.ok()) return refuse(app, z.error);
  decode(app, vae_decoder_id, std::move(z.value), &vae_out);
  return Status::success();
}

Status GeneratePanel::vae_interpolate(App& app) {
  const ModelEntry* entry = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!entry) return refuse(app, "No VAE decoder chosen: this site ships none, or pick one in the list.");
  if (vae_za.empty() || vae_zb.empty()) return refuse(app, "Upload two images (A and B) to interpolate between them.");
  if (busy_) return refuse(app, "The VAE is still busy; try again in a moment.");
  auto z = styleforge::interpolate_with_class(vae_za, vae_zb, vae_t, int(entry->classes.size()));
  if (!z.ok()) return refuse(app, "Interpolation failed: " + z.error);
  decode(app, vae_decoder_id, std::move(z.value), &vae_out);
  return Status::success();
}

void GeneratePanel::encode(App& app, const Image& image, int slot) {
  const ModelEntry* enc = find_kind(app, vae_encoder_id, ModelKind::VaeEncoder);
  const ModelEntry* dec = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!enc || !dec) {
    refuse(app, "This site ships no VAE encoder/decoder pair, so uploads cannot be encoded.");
    return;
  }
  if (busy_) {
    refuse(app, "The VAE is still busy; upload again in a moment.");
    return;
  }
  // What the encoder gets: the upload shrunk to its size, in grey (it trained on grey pictures repeated into R, G
  // and B); that picture is shown as "Model sees", so the person sees what the model was given.
  const int side = std::max(1, enc->image_size);
  auto resized = styleforge::resize_image(image, side, side);
  if (!resized.ok()) {
    refuse(app, "Could not resize the upload: " + resized.error);
    return;
  }
  Image seen = styleforge::to_grey(resized.value);
  (slot == 0 ? vae_seen_a : vae_seen_b).show(seen);
  OrtBackend* backend = app.backend_for(*enc);
  busy_ = true;
  backend->run(styleforge::image_to_tensor(seen, enc->input.normalization),
               [this, &app, enc, dec, slot](Result<Tensor> latent) {
                 busy_ = false;
                 if (!latent.ok()) {
                   app.set_error("'" + enc->name + "' failed: " + latent.error);
                   return;
                 }
                 if (int64_t(latent.value.data.size()) != dec->latent_size) {
                   app.set_error("'" + enc->name + "' gave a latent of " + std::to_string(latent.value.data.size()) +
                                 " values but '" + dec->name + "' takes " + std::to_string(dec->latent_size) +
                                 ": choose a matching encoder and decoder.");
                   return;
                 }
                 // A class-conditional encoder ends its latent with class probabilities: name its best guess.
                 std::string& guess = slot == 0 ? vae_guess_a : vae_guess_b;
                 guess.clear();
                 const size_t classes = enc->classes.size();
                 if (classes > 0 && latent.value.data.size() > classes) {
                   const auto first = latent.value.data.end() - long(classes);
                   const auto best = std::max_element(first, latent.value.data.end());
                   char percent[16];
                   std::snprintf(percent, sizeof percent, " (%.0f%%)", 100.0 * *best);
                   guess = enc->classes[size_t(best - first)] + percent;
                 }
                 (slot == 0 ? vae_za : vae_zb) = latent.value.data;
                 decode(app, dec->id, latent.value.data, slot == 0 ? &vae_recon_a : &vae_recon_b,
                        std::string("Encoded upload ") + (slot == 0 ? "A" : "B") + "; its reconstruction is shown" +
                            (guess.empty() ? "." : ": the model reads it as " + guess + "."));
               });
}

void GeneratePanel::on_upload(App& app, const Upload& upload) {
  auto decoded = styleforge::decode_image(upload.bytes.data(), upload.bytes.size());
  if (!decoded.ok()) {
    app.set_error("Could not open '" + upload.name + "': " + decoded.error + ". Choose a PNG or JPEG image.");
    return;
  }
  app.set_info("Encoding '" + upload.name + "'...");
  encode(app, decoded.value, upload.slot == UploadSlot::VaeA ? 0 : 1);
}

// Moves along [seed, class] -> [second seed, second class] and back: within a class when the classes are the same,
// a morph across classes when they differ.
void GeneratePanel::animate_step(App& app) {
  const double now = emscripten_get_now();
  const float dt = anim_last_ms_ > 0 ? float(now - anim_last_ms_) / 1000.0f : 0.0f;
  if (busy_) return;  // render as fast as the model returns, never queue runs
  anim_last_ms_ = now;
  anim_t += (anim_forward_ ? 1 : -1) * kAnimationSpeed * dt;
  if (anim_t >= 1) anim_t = 1, anim_forward_ = false;
  if (anim_t <= 0) anim_t = 0, anim_forward_ = true;
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  auto a = entry ? gan_latent(*entry, gan_seed, gan_class) : Result<std::vector<float>>::failure("no GAN chosen");
  auto b = entry ? gan_latent(*entry, gan_seed_b, gan_class_b) : a;
  auto z = a.ok() && b.ok() ? styleforge::interpolate_with_class(a.value, b.value, anim_t, int(entry->classes.size()))
                            : Result<std::vector<float>>::failure(a.ok() ? b.error : a.error);
  if (!z.ok()) {
    animate = false;
    app.set_error("Interpolation failed: " + z.error);
    return;
  }
  gan_z = std::move(z.value);
  decode(app, gan_id, gan_z, &gan_out);
}

// Sliders along the model's named directions (coordinates of z along each; moving one leaves the others), or along
// the first raw latent values for a model without directions.
void GeneratePanel::draw_gan_controls(App& app, const ModelEntry& entry) {
  bool moved = false;
  const int free = entry.free_latent_size();
  if (int(gan_z.size()) != entry.latent_size) {
    ImGui::TextDisabled("Sample first; then sliders move the picture along the model's main directions.");
    return;
  }
  if (!entry.directions.empty()) {
    const int sliders = std::min<int>(kLatentSliders, int(entry.directions.size()));
    for (int i = 0; i < sliders; ++i) {
      const auto& direction = entry.directions[size_t(i)];
      auto value = styleforge::coordinate_along(gan_z, direction.vector);
      if (!value.ok()) continue;
      float v = value.value;
      form_label(direction.name.c_str(), 96);
      ImGui::PushID(i);
      if (ImGui::SliderFloat("##direction", &v, -3, 3, "%.2f")) {
        auto z = styleforge::set_coordinate_along(gan_z, direction.vector, v);
        if (z.ok()) gan_z = std::move(z.value), moved = true;
      }
      ImGui::PopID();
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("Directions found in the model (largest change first), named by what they do.");
    ImGui::PopTextWrapPos();
  } else {
    for (int i = 0; i < std::min(kLatentSliders, free); ++i) {
      char label[16], id[16];
      std::snprintf(label, sizeof label, "z[%d]", i);
      std::snprintf(id, sizeof id, "##z%d", i);
      form_label(label, 48);
      moved |= ImGui::SliderFloat(id, &gan_z[size_t(i)], -3, 3);
    }
  }
  if (moved && !busy_ && !animate) gan_render(app);
}

void GeneratePanel::draw_gan(App& app) {
  section_title("GAN: new pictures from a seed");
  model_combo(app, "Model", gan_id, ModelKind::Gan);
  const ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) {
    ImGui::TextDisabled("No GAN in this site's manifest.");
    return;
  }
  if (class_combo("Class", "##gan_class", *entry, gan_class) && !busy_ && !animate) gan_sample(app);
  probe_item("gan_class");
  const float button_width = px(96);
  form_label("Seed");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 2 * button_width - 2 * ImGui::GetStyle().ItemSpacing.x);
  int seed = int(gan_seed);
  if (ImGui::InputInt("##seed", &seed)) gan_seed = uint64_t(std::max(0, seed));
  ImGui::SameLine();
  ImGui::BeginDisabled(busy_ || animate);
  if (primary_button("Sample", ImVec2(button_width, 0))) gan_sample(app);
  ImGui::SameLine();
  if (ImGui::Button("Grid of 16", ImVec2(button_width, 0))) gan_grid(app);
  probe_item("gan_grid");
  ImGui::EndDisabled();
  form_label("Variety");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button_width - ImGui::GetStyle().ItemSpacing.x);
  float psi = truncation_for(*entry);
  if (ImGui::SliderFloat("##truncation", &psi, 0.1f, 1.0f, "%.2f")) {
    set_truncation(psi);
    if (!busy_ && !animate) gan_sample(app);
  }
  probe_item("gan_truncation");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Lower: pictures closer to what the model knows best, less varied (the truncation trick:\n"
                      "the seed's z is scaled by this). 1: z as drawn. This model's default: %.2f.",
                      double(entry->truncation));
  ImGui::SameLine();
  ImGui::BeginDisabled(busy_ || animate || psi == entry->truncation);
  if (ImGui::Button("Default", ImVec2(button_width, 0))) {
    set_truncation(entry->truncation);
    gan_sample(app);
  }
  ImGui::EndDisabled();

  // The picture large with crisp pixels at a whole multiple of its size, the sliders beside it when there is
  // room, below it otherwise.
  const float side = std::min(px(280), ImGui::GetContentRegionAvail().x);
  ImGui::BeginGroup();
  draw_pixels(gan_out.texture, side);
  ImGui::BeginDisabled(gan_out.image.empty());
  if (ImGui::Button("Save PNG", ImVec2(px(120), 0))) gan_save(app);
  probe_item("gan_save");
  ImGui::EndDisabled();
  ImGui::EndGroup();
  const bool beside = ImGui::GetContentRegionAvail().x - side >= px(240);
  if (beside) ImGui::SameLine();
  ImGui::BeginGroup();
  draw_gan_controls(app, *entry);
  ImGui::EndGroup();

  // The grid: click a sample to make it the large one.
  if (gan_grid_serial > 0) {
    ImGui::TextDisabled("Seeds %llu to %llu%s%s: click one to take it.", static_cast<unsigned long long>(grid_seed_),
                        static_cast<unsigned long long>(grid_seed_ + kGridSize - 1), entry->classes.empty() ? "" : ", ",
                        class_name(*entry, grid_class_).c_str());
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float tile = std::min(px(84), (ImGui::GetContentRegionAvail().x - kGridColumns * (spacing + px(4))) / kGridColumns);
    for (int i = 0; i < kGridSize; ++i) {
      if (i % kGridColumns != 0) ImGui::SameLine();
      char id[16];
      std::snprintf(id, sizeof id, "tile%d", i);
      const bool taken = gan_seed == grid_seed_ + uint64_t(i) && gan_class == grid_class_;
      if (pixels_button(id, gan_grid_out[size_t(i)].texture, tile, taken) && !busy_ && !animate) gan_pick(app, i);
    }
  }

  // Interpolation: to a second seed in the same class, or across to another class.
  form_label("Then seed");
  ImGui::SetNextItemWidth(px(140));
  int seed_b = int(gan_seed_b);
  if (ImGui::InputInt("##seed_b", &seed_b)) gan_seed_b = uint64_t(std::max(0, seed_b));
  class_combo("and class", "##gan_class_b", *entry, gan_class_b);
  if (ImGui::Checkbox(entry->classes.empty() ? "Animate between the two seeds" : "Animate between the two (seed and class)",
                      &animate))
    anim_last_ms_ = 0;
  if (animate) {
    std::string from = "seed " + std::to_string(gan_seed), to = "seed " + std::to_string(gan_seed_b);
    if (!entry->classes.empty()) from += " " + class_name(*entry, gan_class), to += " " + class_name(*entry, gan_class_b);
    ImGui::ProgressBar(anim_t, ImVec2(-1, 0), (from + " -> " + to).c_str());
    animate_step(app);
  }
}

void GeneratePanel::draw_vae(App& app) {
  section_title("VAE: encode, sample and blend");
  model_combo(app, "Encoder", vae_encoder_id, ModelKind::VaeEncoder);
  model_combo(app, "Decoder", vae_decoder_id, ModelKind::VaeDecoder);
  const ModelEntry* decoder = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!decoder) {
    ImGui::TextDisabled("No VAE in this site's manifest.");
    return;
  }
  // Say what the model knows before it turns a photo into a blob.
  if (const ModelEntry* enc = find_kind(app, vae_encoder_id, ModelKind::VaeEncoder)) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", what_the_vae_knows(*enc).c_str());
    ImGui::PopTextWrapPos();
  }
  class_combo("Class", "##vae_class", *decoder, vae_class);
  const float sample_width = px(96);
  form_label("Seed");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - sample_width - ImGui::GetStyle().ItemSpacing.x);
  int seed = int(vae_seed);
  if (ImGui::InputInt("##vae_seed", &seed)) vae_seed = uint64_t(std::max(0, seed));
  ImGui::SameLine();
  ImGui::BeginDisabled(busy_);
  if (ImGui::Button("Sample##vae", ImVec2(sample_width, 0))) vae_sample(app);
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button("Upload A...", ImVec2(half, 0))) open_file_picker(UploadSlot::VaeA);
  ImGui::SameLine();
  if (ImGui::Button("Upload B...", ImVec2(half, 0))) open_file_picker(UploadSlot::VaeB);
  ImGui::EndDisabled();

  // A as the model sees it, its reconstruction, the decoded picture, B rebuilt, B as seen: one row when they fit.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float side = std::max(px(84), std::min(px(140), (ImGui::GetContentRegionAvail().x - 4 * spacing) / 5));
  flow_picture("A: model sees", vae_seen_a.texture, side, true);
  flow_picture("A, rebuilt", vae_recon_a.texture, side, false);
  flow_picture("Decoded", vae_out.texture, side, false);
  flow_picture("B, rebuilt", vae_recon_b.texture, side, false);
  flow_picture("B: model sees", vae_seen_b.texture, side, false);
  if (!vae_guess_a.empty() || !vae_guess_b.empty())
    ImGui::TextDisabled("The model reads A as %s, B as %s.", vae_guess_a.empty() ? "-" : vae_guess_a.c_str(),
                        vae_guess_b.empty() ? "-" : vae_guess_b.c_str());
  ImGui::BeginDisabled(vae_za.empty() || vae_zb.empty());
  form_label("A to B");
  if (ImGui::SliderFloat("##vae_t", &vae_t, 0, 1) && !busy_) vae_interpolate(app);
  ImGui::EndDisabled();
}

void GeneratePanel::draw(App& app) {
  choose_defaults(app);
  if (app.manifest_loaded() && !app.manifest_error().empty()) {
    ImGui::TextColored(error_colour(), "%s", app.manifest_error().c_str());
    return;
  }
  // Two cards side by side on wide screens, each scrolling on its own; one scrolling column on narrow ones.
  const bool wide = ImGui::GetContentRegionAvail().x >= px(900);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(14), px(12)));
  if (wide) {
    const float card_width = (ImGui::GetContentRegionAvail().x - px(16)) / 2;
    ImGui::BeginChild("gan", ImVec2(card_width, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    draw_gan(app);
    ImGui::EndChild();
    ImGui::SameLine(0, px(16));
    ImGui::BeginChild("vae", ImVec2(0, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    draw_vae(app);
    ImGui::EndChild();
  } else {
    ImGui::BeginChild("generate", ImVec2(0, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    draw_gan(app);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    draw_vae(app);
    ImGui::EndChild();
  }
  ImGui::PopStyleVar();
}

}  // namespace web
