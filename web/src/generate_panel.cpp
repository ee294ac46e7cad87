#include "generate_panel.h"

#include <emscripten.h>

#include <algorithm>

#include "app.h"
#include "imgui.h"
#include "ui_style.h"
#include "styleforge/latent.h"
#include "styleforge/tensor.h"

namespace web {

using styleforge::Image;
using styleforge::ModelKind;
using styleforge::Result;
using styleforge::Status;
using styleforge::Tensor;

namespace {

constexpr int kLatentSliders = 8;       // the first N latent dimensions get a slider
constexpr float kAnimationSpeed = 0.3f; // interpolation parameter per second

// Generators trained on grey images give {1,1,H,W}: show them as grey RGB rather than refusing them.
Result<Image> generated_to_image(Tensor tensor, const styleforge::Normalization& norm) {
  if (tensor.shape.size() == 4 && tensor.shape[1] == 1) {
    const size_t plane = tensor.data.size();
    tensor.data.resize(plane * 3);
    std::copy_n(tensor.data.begin(), plane, tensor.data.begin() + plane);
    std::copy_n(tensor.data.begin(), plane, tensor.data.begin() + 2 * plane);
    tensor.shape[1] = 3;
  }
  return styleforge::tensor_to_image(tensor, norm);
}

const styleforge::ModelEntry* find_kind(App& app, const std::string& id, ModelKind kind) {
  const styleforge::ModelEntry* entry = app.manifest().find(id);
  return entry && entry->kind == kind ? entry : nullptr;
}

bool model_combo(App& app, const char* label, std::string& id, ModelKind kind) {
  const styleforge::ModelEntry* current = app.manifest().find(id);
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

Status refuse(App& app, const std::string& message) {
  app.set_error(message);
  return Status::failure(message);
}

// A picture's square place: the picture when there is one, an empty framed square otherwise.
void draw_square(const Texture& texture, float side) {
  if (texture.empty()) {
    const ImVec2 corner = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    ImGui::GetWindowDrawList()->AddRectFilled(corner, ImVec2(corner.x + side, corner.y + side),
                                              ImGui::GetColorU32(ImGuiCol_FrameBg), px(4));
  } else {
    texture.draw_fitted(side, side);
  }
}

void draw_generated(const Generated& g, float side) { draw_square(g.texture, side); }

// A captioned picture in a flow of pictures: goes on the current line when it still fits, else starts a new one.
void flow_picture(const char* caption, const Texture& texture, float side, bool first) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (!first) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + side > right) ImGui::NewLine();
  }
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", caption);
  draw_square(texture, side);
  ImGui::EndGroup();
}

// A section title in the medium weight.
void section_title(const char* text) {
  ImGui::PushFont(strong_font());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

}  // namespace

void GeneratePanel::choose_defaults(App& app) {
  for (const auto& entry : app.manifest().models) {
    if (gan_id.empty() && entry.kind == ModelKind::Gan) gan_id = entry.id;
    if (vae_encoder_id.empty() && entry.kind == ModelKind::VaeEncoder) vae_encoder_id = entry.id;
    if (vae_decoder_id.empty() && entry.kind == ModelKind::VaeDecoder) vae_decoder_id = entry.id;
  }
}

void GeneratePanel::decode(App& app, const std::string& model_id, std::vector<float> z, Generated* out,
                           std::string done_message) {
  const styleforge::ModelEntry* entry = app.manifest().find(model_id);
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
    auto image = generated_to_image(std::move(result.value), entry->output.normalization);
    if (!image.ok()) {
      animate = false;
      app.set_error("'" + entry->name + "' returned an unusable picture: " + image.error);
      return;
    }
    out->image = std::move(image.value);
    out->texture.set(out->image);
    out->serial++;
    const SessionInfo info = backend->info();
    LastRun run;
    run.what = to_string(entry->kind);
    run.engine = info.engine;
    run.fallback_reason = info.fallback_reason;
    run.session_ms = info.create_ms;
    run.inference_ms = backend->last_timing().inference_ms;
    run.bridge_ms = backend->last_timing().bridge_ms;
    run.total_ms = emscripten_get_now() - started;
    run.tiles = 1;
    app.last_run = run;
    if (!done_message.empty()) app.set_info(done_message);
  });
}

Status GeneratePanel::gan_sample(App& app) {
  const styleforge::ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) return refuse(app, "No GAN chosen: this site ships none, or pick one in the GAN list.");
  gan_z = styleforge::sample_normal(gan_seed, size_t(std::max(1, entry->latent_size)));
  return gan_render(app);
}

Status GeneratePanel::gan_render(App& app) {
  const styleforge::ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) return refuse(app, "No GAN chosen: this site ships none, or pick one in the GAN list.");
  if (busy_) return refuse(app, "The generator is still busy; try again in a moment.");
  if (int(gan_z.size()) != entry->latent_size) gan_z = styleforge::sample_normal(gan_seed, entry->latent_size);
  decode(app, gan_id, gan_z, &gan_out);
  return Status::success();
}

Status GeneratePanel::vae_sample(App& app) {
  const styleforge::ModelEntry* entry = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!entry) return refuse(app, "No VAE decoder chosen: this site ships none, or pick one in the list.");
  if (busy_) return refuse(app, "The VAE is still busy; try again in a moment.");
  decode(app, vae_decoder_id, styleforge::sample_normal(vae_seed, entry->latent_size), &vae_out);
  return Status::success();
}

Status GeneratePanel::vae_interpolate(App& app) {
  const styleforge::ModelEntry* entry = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!entry) return refuse(app, "No VAE decoder chosen: this site ships none, or pick one in the list.");
  if (vae_za.empty() || vae_zb.empty()) return refuse(app, "Upload two images (A and B) to interpolate between them.");
  if (busy_) return refuse(app, "The VAE is still busy; try again in a moment.");
  auto z = styleforge::slerp(vae_za, vae_zb, vae_t);
  if (!z.ok()) return refuse(app, "Interpolation failed: " + z.error);
  decode(app, vae_decoder_id, std::move(z.value), &vae_out);
  return Status::success();
}

void GeneratePanel::encode(App& app, const Image& image, int slot) {
  const styleforge::ModelEntry* enc = find_kind(app, vae_encoder_id, ModelKind::VaeEncoder);
  const styleforge::ModelEntry* dec = find_kind(app, vae_decoder_id, ModelKind::VaeDecoder);
  if (!enc || !dec) {
    refuse(app, "This site ships no VAE encoder/decoder pair, so uploads cannot be encoded.");
    return;
  }
  if (busy_) {
    refuse(app, "The VAE is still busy; upload again in a moment.");
    return;
  }
  const int side = std::max(1, enc->image_size);
  auto resized = styleforge::resize_image(image, side, side);
  if (!resized.ok()) {
    refuse(app, "Could not resize the upload: " + resized.error);
    return;
  }
  (slot == 0 ? vae_upload_a : vae_upload_b).set(resized.value);
  OrtBackend* backend = app.backend_for(*enc);
  busy_ = true;
  backend->run(styleforge::image_to_tensor(resized.value, enc->input.normalization),
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
                 (slot == 0 ? vae_za : vae_zb) = latent.value.data;
                 decode(app, dec->id, latent.value.data, slot == 0 ? &vae_recon_a : &vae_recon_b,
                        std::string("Encoded upload ") + (slot == 0 ? "A" : "B") + "; its reconstruction is shown.");
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

void GeneratePanel::animate_step(App& app) {
  const double now = emscripten_get_now();
  const float dt = anim_last_ms_ > 0 ? float(now - anim_last_ms_) / 1000.0f : 0.0f;
  if (busy_) return;  // render as fast as the model returns, never queue runs
  anim_last_ms_ = now;
  anim_t += (anim_forward_ ? 1 : -1) * kAnimationSpeed * dt;
  if (anim_t >= 1) anim_t = 1, anim_forward_ = false;
  if (anim_t <= 0) anim_t = 0, anim_forward_ = true;
  const styleforge::ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) {
    animate = false;
    return;
  }
  auto z = styleforge::slerp(styleforge::sample_normal(gan_seed, entry->latent_size),
                             styleforge::sample_normal(gan_seed_b, entry->latent_size), anim_t);
  if (!z.ok()) {
    animate = false;
    app.set_error("Interpolation failed: " + z.error);
    return;
  }
  gan_z = std::move(z.value);
  decode(app, gan_id, gan_z, &gan_out);
}

void GeneratePanel::draw_gan(App& app) {
  section_title("GAN: new pictures from a seed");
  model_combo(app, "Model", gan_id, ModelKind::Gan);
  const styleforge::ModelEntry* entry = find_kind(app, gan_id, ModelKind::Gan);
  if (!entry) {
    ImGui::TextDisabled("No GAN in this site's manifest.");
    return;
  }
  const float sample_width = px(96);
  form_label("Seed");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - sample_width - ImGui::GetStyle().ItemSpacing.x);
  int seed = int(gan_seed);
  if (ImGui::InputInt("##seed", &seed)) gan_seed = uint64_t(std::max(0, seed));
  ImGui::SameLine();
  ImGui::BeginDisabled(busy_ || animate);
  if (primary_button("Sample", ImVec2(sample_width, 0))) gan_sample(app);
  ImGui::EndDisabled();

  // The picture large (its pixels crisp: Texture magnifies small images with nearest-neighbour), the latent
  // sliders beside it when there is room, below it otherwise.
  const float side = std::min(px(320), ImGui::GetContentRegionAvail().x);
  draw_generated(gan_out, side);
  const bool beside = ImGui::GetContentRegionAvail().x - side >= px(220);
  if (beside) ImGui::SameLine();
  ImGui::BeginGroup();
  bool moved = false;
  const int sliders = std::min<int>(kLatentSliders, int(gan_z.size()));
  for (int i = 0; i < sliders; ++i) {
    char label[16], id[16];
    std::snprintf(label, sizeof label, "z[%d]", i);
    std::snprintf(id, sizeof id, "##z%d", i);
    form_label(label, 48);
    moved |= ImGui::SliderFloat(id, &gan_z[i], -3, 3);
  }
  if (sliders == 0) ImGui::TextDisabled("Sample first; then the first %d latent values get sliders.", kLatentSliders);
  ImGui::EndGroup();
  if (moved && !busy_ && !animate) gan_render(app);

  form_label("Second seed");
  ImGui::SetNextItemWidth(px(140));
  int seed_b = int(gan_seed_b);
  if (ImGui::InputInt("##seed_b", &seed_b)) gan_seed_b = uint64_t(std::max(0, seed_b));
  if (ImGui::Checkbox("Animate between the two seeds", &animate)) anim_last_ms_ = 0;
  if (animate) {
    ImGui::ProgressBar(anim_t, ImVec2(-1, 0), "seed 1 -> seed 2");
    animate_step(app);
  }
}

void GeneratePanel::draw_vae(App& app) {
  section_title("VAE: encode, sample and blend");
  model_combo(app, "Encoder", vae_encoder_id, ModelKind::VaeEncoder);
  model_combo(app, "Decoder", vae_decoder_id, ModelKind::VaeDecoder);
  if (!find_kind(app, vae_decoder_id, ModelKind::VaeDecoder)) {
    ImGui::TextDisabled("No VAE in this site's manifest.");
    return;
  }
  // Say what the model knows before it turns a photo into a blob: the shipped one only ever saw 28x28 clothing
  // pictures (its data is named in the credits above).
  if (const styleforge::ModelEntry* enc = find_kind(app, vae_encoder_id, ModelKind::VaeEncoder)) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("This VAE knows only its %dx%d training pictures (credited above): an upload is shrunk to "
                        "%dx%d, and anything unlike them comes back as the nearest thing it knows, often a blur.",
                        enc->image_size, enc->image_size, enc->image_size, enc->image_size);
    ImGui::PopTextWrapPos();
  }
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

  // Five pictures in one row when they fit at 96 px or more, from A through the blend to B; else they wrap.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float side = std::max(px(96), std::min(px(160), (ImGui::GetContentRegionAvail().x - 4 * spacing) / 5));
  flow_picture("A", vae_upload_a, side, true);
  flow_picture("A, rebuilt", vae_recon_a.texture, side, false);
  flow_picture("Decoded", vae_out.texture, side, false);
  flow_picture("B, rebuilt", vae_recon_b.texture, side, false);
  flow_picture("B", vae_upload_b, side, false);
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
