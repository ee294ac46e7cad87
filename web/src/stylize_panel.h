// The Stylize tab: open a photo, pick one style (or blend two), set strength / colour preservation / output size,
// run it through the shared tiling with progress and cancel, compare before/after, download the PNG.
// Its Webcam mode (webcam.h) stylizes the camera's stream live with the same style, strength and colour choices.
#pragma once
#include <memory>
#include <string>

#include "custom_styles.h"
#include "file_bridge.h"
#include "styleforge/image.h"
#include "styleforge/manifest.h"
#include "styleforge/result.h"
#include "texture.h"
#include "webcam.h"

namespace web {

class App;

// The manifest entry that runs for gallery style `style_id`: its fast network when `fast` is chosen and the style has
// one, else the style itself; nullptr when `style_id` is not a gallery style (a style image of the person's).
const styleforge::ModelEntry* style_network(const styleforge::Manifest& manifest, const std::string& style_id,
                                            bool fast);
// Whether the Style list shows an entry: styles, each once (a fast network is chosen through its style).
inline bool listed_style(const styleforge::ModelEntry& entry) {
  return entry.kind == styleforge::ModelKind::Style && entry.variant_of.empty();
}
// Which of its style's networks an entry is, as the status line and window.styleforge say it: "fast" or "quality".
inline const char* network_name(const styleforge::ModelEntry& entry) {
  return entry.variant_of.empty() ? "quality" : "fast";
}

struct StylizeOptions {
  std::string model_id;         // the style: a manifest id, or "custom:N" for the person's own style image N
  std::string second_model_id;  // used when blend_two is on
  // The Fast network (issue 10 item 3) for every chosen style that has one (manifest variant_of), else its quality
  // network. One choice for both styles of a blend and the Webcam mode, kept when the style changes.
  bool fast = false;
  bool blend_two = false;
  // 0 = only the first style, 1 = only the second. Two of the person's style images mix their style codes (one run
  // of the arbitrary-style model with (1 - mix) * code1 + mix * code2); other pairs blend the two outputs' pixels.
  float mix = 0.5f;
  float strength = 1.0f;        // 0 = the photo, 1 = the stylised result
  bool preserve_colour = false;
  int output_max_side = 0;      // longest side of the output; 0 = the photo's full size
  int max_tile_override = 0;    // 0 = the model's max_tile; tests set it to compare tiled and untiled runs
};

class StylizePanel {
 public:
  void draw(App& app);
  void on_upload(App& app, const Upload& upload);
  // A painting for "Use my own style image" (CustomStyles::on_upload); chosen as the style once its code is read.
  void on_style_image(App& app, const Upload& upload) { custom.on_upload(app, upload, options.model_id); }
  // Each returns a failure message (also shown in the UI) when the action cannot start.
  styleforge::Status start(App& app);
  void cancel();
  styleforge::Status download(App& app);

  bool running() const { return job_ != nullptr; }
  bool has_photo() const { return !photo_.empty(); }
  bool has_result() const { return !result_.empty(); }
  const styleforge::Image& photo() const { return photo_; }
  const styleforge::Image& result() const { return result_; }
  const std::string& photo_name() const { return photo_name_; }
  int tiles_done() const { return tiles_done_; }
  int tiles_total() const { return tiles_total_; }
  int view() const { return view_; }   // 0 split, 1 both, 2 before, 3 after
  bool zoomed() const { return zoom_ == 1; }

  // Photo (0) or Webcam (1). Entering Webcam starts the camera, leaving it stops the camera. Refused (with the
  // reason, also shown) while a photo is being stylized.
  styleforge::Status set_mode(App& app, int mode);
  int mode() const { return mode_; }
  // The Stylize tab is no longer on screen: the camera stops (the mode stays; Start camera turns it on again).
  void tab_hidden(App& app);

  StylizeOptions options;
  Webcam webcam;
  CustomStyles custom;

 private:
  struct Job;
  void run_model(App& app, std::shared_ptr<Job> job, size_t index);
  void finish(App& app, std::shared_ptr<Job> job);
  void fail(App& app, const std::string& message);
  // The gallery's styles and the person's style images (custom_styles.h) in one list.
  void draw_model_picker(App& app, const char* label, const char* probe_name, std::string& model_id);
  void draw_custom_styles(App& app);
  // Quality / Fast beside the style choice, each with its cost; says so when the style has no fast network.
  void draw_network_choice(App& app);
  void draw_controls(App& app);
  void draw_add_model_button();
  void draw_webcam_controls(App& app);
  void draw_picture(float width, float height);

  styleforge::Image photo_, result_;
  std::string photo_name_;
  Texture photo_tex_, result_tex_;
  std::shared_ptr<Job> job_;
  int tiles_done_ = 0, tiles_total_ = 0;
  double started_ms_ = 0;  // when the running job started (elapsed time in the progress row)
  int view_ = 0;          // 0 split, 1 side by side, 2 before, 3 after
  int webcam_view_ = 3;   // the same, in Webcam mode (the stylized stream alone at first)
  int mode_ = 0;          // 0 photo, 1 webcam
  int zoom_ = 0;          // 0 fit the space, 1 one image pixel per screen pixel
  float split_ = 0.5f;    // split view: share of the width showing the photo
};

}  // namespace web
