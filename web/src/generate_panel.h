// The Generate tab. GAN: pick a class (class-conditional models, e.g. "Sneaker"), sample from a seed or pick from
// a grid of 16 samples, set the variety (truncation: more typical or more varied pictures), move sliders named by
// the model's found latent directions ("wider", "brighter": manifest "directions"), animate an interpolation to
// another seed and/or class, save the picture as PNG. VAE: sample a class, encode an uploaded image (shown as the
// model sees it: shrunk to its size, grey) and show its reconstruction with the encoder's class guess, interpolate
// between the latents of two uploads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "file_bridge.h"
#include "generated_picture.h"
#include "styleforge/image.h"
#include "styleforge/manifest.h"
#include "styleforge/result.h"
#include "texture.h"

namespace web {

class App;

class GeneratePanel {
 public:
  static constexpr int kGridSize = 16;  // samples in the grid: seeds seed .. seed + 15

  void draw(App& app);
  void on_upload(App& app, const Upload& upload);  // slots VaeA / VaeB

  // Actions shared by the buttons and the automation API; each reports why it could not start.
  styleforge::Status gan_sample(App& app);          // z = normal(seed) with the chosen class, render
  styleforge::Status gan_render(App& app);          // render the current latent
  styleforge::Status gan_grid(App& app);            // the grid: seeds gan_seed .. + 15, chosen class, one batch
  styleforge::Status gan_pick(App& app, int tile);  // a grid tile becomes the sample (its seed), rendered large
  styleforge::Status gan_save(App& app);            // the sample as PNG, 8x with crisp pixels
  styleforge::Status vae_sample(App& app);          // z = normal(vae_seed) with vae_class, decode
  styleforge::Status vae_interpolate(App& app);     // decode between the uploads' latents at vae_t
  bool busy() const { return busy_; }
  // The truncation applied to the chosen GAN's z (styleforge/latent.h truncate_latent): the model's manifest
  // default until a person (or the automation API) sets one for it.
  float truncation_for(const styleforge::ModelEntry& entry) const;
  void set_truncation(float psi) { gan_truncation_ = psi, truncation_model_ = gan_id; }

  // GAN state.
  std::string gan_id;
  uint64_t gan_seed = 1, gan_seed_b = 2;
  int gan_class = 0, gan_class_b = 0;  // class-conditional models: index into the entry's classes
  std::vector<float> gan_z;            // the latent shown: free z, then the class when conditional
  bool animate = false;
  float anim_t = 0;
  Generated gan_out;
  std::vector<Generated> gan_grid_out = std::vector<Generated>(kGridSize);
  int gan_grid_serial = 0;
  std::string last_saved_name;  // file name of the last PNG offered (tests, status)

  // VAE state.
  std::string vae_encoder_id, vae_decoder_id;
  uint64_t vae_seed = 1;
  int vae_class = 0;
  float vae_t = 0.5f;
  std::vector<float> vae_za, vae_zb;  // latents of the uploads (empty until encoded)
  Generated vae_out, vae_recon_a, vae_recon_b;
  Generated vae_seen_a, vae_seen_b;       // the uploads as the encoder sees them (its size, grey)
  std::string vae_guess_a, vae_guess_b;   // the encoder's class guess, e.g. "Bag (72%)"

 private:
  // Runs a generator on latent `z` and puts the picture into `out`; shows `done_message` when it succeeds.
  void decode(App& app, const std::string& model_id, std::vector<float> z, Generated* out,
              std::string done_message = "");
  void encode(App& app, const styleforge::Image& image, int slot);
  void choose_defaults(App& app);
  void draw_gan(App& app);
  void draw_gan_controls(App& app, const styleforge::ModelEntry& entry);
  void draw_vae(App& app);
  void animate_step(App& app);
  // The GAN's latent for a seed (and, for conditional models, a class).
  styleforge::Result<std::vector<float>> gan_latent(const styleforge::ModelEntry& entry, uint64_t seed,
                                                    int class_index) const;

  bool busy_ = false;
  double anim_last_ms_ = 0;
  bool anim_forward_ = true;
  uint64_t grid_seed_ = 0;  // the grid shows seeds grid_seed_ .. + 15 of class grid_class_
  int grid_class_ = 0;
  float grid_truncation_ = 1;
  float gan_truncation_ = 1;
  std::string truncation_model_;  // the model gan_truncation_ was set for; another model starts at its default
};

// "Sneaker" for a conditional entry's class `index`; "" for unconditional models or an index out of range.
std::string class_name(const styleforge::ModelEntry& entry, int index);

}  // namespace web
