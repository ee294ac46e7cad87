// The Generate tab. GAN: sample from a seed, move the first latent dimensions with sliders, animate a spherical
// interpolation between two seeds. VAE: sample from a seed, encode an uploaded image and show its reconstruction,
// interpolate between the latents of two uploads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "file_bridge.h"
#include "styleforge/image.h"
#include "styleforge/result.h"
#include "texture.h"

namespace web {

class App;

// One generated picture and what produced it. `serial` counts completed renders (tests wait on it).
struct Generated {
  styleforge::Image image;
  Texture texture;
  int serial = 0;
};

class GeneratePanel {
 public:
  void draw(App& app);
  void on_upload(App& app, const Upload& upload);  // slots VaeA / VaeB

  // Actions shared by the buttons and the automation API; each reports why it could not start.
  styleforge::Status gan_sample(App& app);          // z = normal(seed), render
  styleforge::Status gan_render(App& app);          // render the current z
  styleforge::Status vae_sample(App& app);          // z = normal(vae_seed), decode
  styleforge::Status vae_interpolate(App& app);     // decode slerp(zA, zB, vae_t)
  bool busy() const { return busy_; }

  // GAN state.
  std::string gan_id;
  uint64_t gan_seed = 1, gan_seed_b = 2;
  std::vector<float> gan_z;
  bool animate = false;
  float anim_t = 0;
  Generated gan_out;

  // VAE state.
  std::string vae_encoder_id, vae_decoder_id;
  uint64_t vae_seed = 1;
  float vae_t = 0.5f;
  std::vector<float> vae_za, vae_zb;  // latents of the uploads (empty until encoded)
  Generated vae_out, vae_recon_a, vae_recon_b;
  Texture vae_upload_a, vae_upload_b;

 private:
  // Runs a generator on latent `z` and puts the picture into `out`; shows `done_message` when it succeeds.
  void decode(App& app, const std::string& model_id, std::vector<float> z, Generated* out,
              std::string done_message = "");
  void encode(App& app, const styleforge::Image& image, int slot);
  void choose_defaults(App& app);
  void draw_gan(App& app);
  void draw_vae(App& app);
  void animate_step(App& app);

  bool busy_ = false;
  double anim_last_ms_ = 0;
  bool anim_forward_ = true;
};

}  // namespace web
