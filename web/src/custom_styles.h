// "Use my own style image": paintings a person brings, for the site's arbitrary-style model (manifest kinds
// style-predictor + arbitrary-style). A dropped or picked painting is decoded, its shorter side scaled to the
// predictor's style_size (styleforge/style_code.h), and run once through the predictor; what is kept is its
// 100-number style code and a thumbnail, for this visit (the last kMaxCustomStyles). The Stylize tab then paints
// photos with the transformer, the code set as its conditioning input (Backend::set_conditioning), through the same
// tiling, strength and colour preservation as a gallery style.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "file_bridge.h"
#include "styleforge/manifest.h"
#include "texture.h"

namespace web {

class App;

// Style ids in StylizeOptions are manifest ids or "custom:N" for the person's style N (N counts up per visit).
inline constexpr const char* kCustomPrefix = "custom:";
inline constexpr size_t kMaxCustomStyles = 5;

struct CustomStyle {
  std::string id;                // "custom:N"
  std::string name;              // the file's name without its extension
  int width = 0, height = 0;     // the painting as opened
  std::vector<float> code;       // the predictor's output
  std::unique_ptr<Texture> thumbnail;
};

class CustomStyles {
 public:
  // The site's arbitrary-style transformer and its predictor, or nullptr when the manifest has none.
  static const styleforge::ModelEntry* transformer(const App& app);
  static const styleforge::ModelEntry* predictor(const App& app);

  // A painting from the file input or a drop. Bad files (not an image, too small, too large) get a message in the
  // status area and change nothing. On success the new style becomes the chosen one: `chosen_id` (which must outlive
  // the predictor's run: the panel's options, alive for the page) is set to it.
  void on_upload(App& app, const Upload& upload, std::string& chosen_id);
  bool busy() const { return busy_; }  // the predictor is reading a painting

  const std::vector<CustomStyle>& styles() const { return styles_; }  // newest first
  const CustomStyle* find(const std::string& id) const;
  static bool is_custom_id(const std::string& id) { return id.rfind(kCustomPrefix, 0) == 0; }

 private:
  std::vector<CustomStyle> styles_;
  int next_serial_ = 1;
  bool busy_ = false;
};

}  // namespace web
