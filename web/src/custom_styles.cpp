#include "custom_styles.h"

#include <cstdio>

#include "app.h"
#include "styleforge/style_code.h"
#include "styleforge/tensor.h"

namespace web {
namespace {

std::string without_extension(const std::string& name) {
  const size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

const styleforge::ModelEntry* CustomStyles::transformer(const App& app) {
  for (const auto& entry : app.manifest().models)
    if (entry.kind == styleforge::ModelKind::ArbitraryStyle) return &entry;
  return nullptr;
}

const styleforge::ModelEntry* CustomStyles::predictor(const App& app) {
  const styleforge::ModelEntry* t = transformer(app);
  return t ? app.manifest().find(t->predictor) : nullptr;
}

const CustomStyle* CustomStyles::find(const std::string& id) const {
  for (const CustomStyle& style : styles_)
    if (style.id == id) return &style;
  return nullptr;
}

void CustomStyles::on_upload(App& app, const Upload& upload, std::string& chosen_id) {
  const std::string quoted = "'" + upload.name + "'";
  const std::string still = styles_.empty() ? "" : " Your other style images are still there.";
  if (busy_) return app.set_error("Still reading the previous style image: drop " + quoted + " again in a moment.");
  const styleforge::ModelEntry* predictor_entry = predictor(app);
  if (!app.manifest_loaded()) return app.set_error("The model list is still loading: try " + quoted + " again in a moment.");
  if (predictor_entry == nullptr)
    return app.set_error("This site has no arbitrary-style model (models/manifest.json lists no style-predictor and "
                         "arbitrary-style pair), so it cannot paint with your own style image.");
  if (upload.too_large) {
    char size[32];
    std::snprintf(size, sizeof size, "%.0f MB", upload.file_size / (1024.0 * 1024.0));
    return app.set_error(quoted + " is " + size + ", more than the " +
                         std::to_string(int(kMaxStyleImageBytes / (1024 * 1024))) +
                         " MB this page reads for a style image: choose a smaller PNG or JPEG of the painting." + still);
  }
  auto decoded = styleforge::decode_image(upload.bytes.data(), upload.bytes.size());
  if (!decoded.ok())
    return app.set_error("Could not use " + quoted + " as a style image: " + decoded.error + "." + still);
  auto prepared = styleforge::prepare_painting(decoded.value, predictor_entry->style_size);
  if (!prepared.ok())
    return app.set_error("Could not use " + quoted + " as a style image: " + prepared.error + "." + still);

  CustomStyle style;
  style.id = kCustomPrefix + std::to_string(next_serial_++);
  style.name = without_extension(upload.name);
  style.width = decoded.value.width;
  style.height = decoded.value.height;
  style.thumbnail = std::make_unique<Texture>();
  style.thumbnail->set(prepared.value, 256);
  auto pending = std::make_shared<CustomStyle>(std::move(style));

  OrtBackend* backend = app.backend_for(*predictor_entry);
  const int code_size = predictor_entry->code_size;
  const std::string predictor_name = predictor_entry->name;
  busy_ = true;
  app.set_info("Reading the style of " + quoted + " (" + std::to_string(pending->width) + "x" +
               std::to_string(pending->height) + ")...");
  // The painting goes through the predictor whole, once: its code is all a custom style keeps.
  backend->run(styleforge::image_to_tensor(prepared.value, predictor_entry->input.normalization),
               [this, &app, pending, code_size, quoted, predictor_name, &chosen_id](styleforge::Result<styleforge::Tensor> out) {
                 busy_ = false;
                 if (!out.ok())
                   return app.set_error("The style predictor (" + predictor_name + ") failed on " + quoted + ": " +
                                        out.error);
                 auto code = styleforge::read_style_code(out.value, code_size);
                 if (!code.ok()) return app.set_error("Could not use " + quoted + ": " + code.error + ".");
                 pending->code = std::move(code.value);
                 chosen_id = pending->id;
                 app.set_info("Your style image " + quoted + " is ready and chosen: press Stylize to paint the photo "
                              "with it.");
                 styles_.insert(styles_.begin(), std::move(*pending));
                 if (styles_.size() > kMaxCustomStyles) styles_.resize(kMaxCustomStyles);
               });
}

}  // namespace web
