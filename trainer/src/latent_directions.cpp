// `latent-directions`: named directions in a generator's latent space, for the app's sliders (issue 13, item 4).
//
// A slider per raw latent value (z[0], z[1], ...) means nothing: with z ~ N(0, I) every coordinate is alike. So:
//   1. sample N latents z (class k mod K for a class-conditional model) and decode them to grey images X [N, P];
//   2. fit X ~ z A^T + (a per-class offset) by least squares: A [P, Z] is the generator's average linear effect;
//   3. the right singular vectors of A are the latent directions that change the image most, in order (the
//      singular value is the image change per unit step; this is PCA of the generator's linear response, in the
//      spirit of GANSpace, Harkonen et al. 2020);
//   4. name each by measuring what it does: decode z - 2v and z + 2v for a subset and compare brightness, width,
//      height and position of the item; the statistic that moves most, in units a person notices (1 pixel of
//      size or position, 5% of full brightness), names it, and v is flipped so that + means more of it ("wider",
//      "brighter", ...). A direction that moves none of them by one such unit is a "detail". (Units rather than
//      each statistic's spread over the samples: item heights vary so much between classes that a 5-pixel
//      growth scored below a 1-pixel shift.)
// Writes RUN/directions.json (or --out); `export` puts the directions into the model's manifest entry.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nets/dcgan.h"
#include "nets/vae.h"
#include "run/checkpoint.h"
#include "run/fail.h"
#include "run/options.h"
#include "run/run_dir.h"

namespace styleforge::trainer {
namespace {

constexpr double kNamingStep = 2.0;    // latents compared at z - 2v and z + 2v
constexpr double kDetailBelow = 1.0;   // a change under one unit (kStatistics) of every statistic names a "detail"
constexpr int kNamingSamples = 500;

// What a direction is named by: grey images [N, S, S] with ink in 0..1 (the data's black background is 0).
struct ItemStatistic {
  const char* key;   // in directions.json
  const char* more;  // the slider's name when the statistic grows
  double unit;       // a change a person notices
};
const ItemStatistic kStatistics[] = {
    {"brightness", "brighter", 0.05}, {"width_px", "wider", 1.0}, {"height_px", "taller", 1.0},
    {"centre_x_px", "further right", 1.0}, {"centre_y_px", "lower", 1.0},
};

// Per image: mean ink; ink-weighted extent (sqrt(12) x standard deviation: the side of a uniform bar) across and
// down; ink-weighted centre. [N, 5].
torch::Tensor item_statistics(const torch::Tensor& ink) {
  const int64_t side = ink.size(1);
  torch::Tensor coords = torch::arange(side, torch::kFloat);
  torch::Tensor mass = ink.sum({1, 2}).clamp_min(1e-6);
  torch::Tensor across = ink.sum(1), down = ink.sum(2);  // [N, S]: ink per column, per row
  auto centre = [&](const torch::Tensor& profile) { return (profile * coords).sum(1) / mass; };
  auto extent = [&](const torch::Tensor& profile, const torch::Tensor& c) {
    torch::Tensor var = (profile * (coords.unsqueeze(0) - c.unsqueeze(1)).pow(2)).sum(1) / mass;
    return var.clamp_min(0).sqrt() * std::sqrt(12.0);
  };
  torch::Tensor cx = centre(across), cy = centre(down);
  return torch::stack({ink.mean({1, 2}), extent(across, cx), extent(down, cy), cx, cy}, 1);
}

}  // namespace

int run_latent_directions(int argc, char** argv) {
  std::string run, out;
  int count = 8, samples = 2000, threads = 0;
  int64_t seed = 1;
  OptionParser parser("latent-directions",
                      "Find the latent directions that change a dcgan/vae run's images most, named by what they do.");
  parser.add_string("run", &run, "dcgan or vae run directory (or a checkpoint file inside one)");
  parser.require("run");
  parser.add_string("out", &out, "JSON file to write (default: RUN/directions.json, which `export` reads)");
  parser.add_int("count", &count, "number of directions", 1, 64);
  parser.add_int("samples", &samples, "latents sampled for the fit", 100, 100000);
  parser.add_int64("seed", &seed, "seed of the sampled latents", 0, INT64_MAX);
  parser.add_int("threads", &threads, "CPU threads for LibTorch, 0 = its default", 0, 1024);
  if (auto code = parser.parse(argc, argv)) return *code;
  if (threads > 0) torch::set_num_threads(threads);

  Result<nlohmann::json> options = read_run_options(run);
  if (!options.ok()) return fail(options.error);
  const std::string command = options.value.value("command", "");
  if (command != "dcgan" && command != "vae")
    return fail(run + ": a '" + command + "' run has no latent space; give a dcgan or vae run");
  const int image_size = static_cast<int>(saved_option_int(options.value, "image-size", 32));
  const int latent = static_cast<int>(saved_option_int(options.value, "latent", 64));
  const int width = static_cast<int>(saved_option_int(options.value, "width", 32));
  const int classes = options.value.value("labels", std::string()).empty()
                          ? 0 : static_cast<int>(saved_option_int(options.value, "classes", 10));
  if (count > latent) count = latent;

  std::shared_ptr<GeneratorImpl> generator;
  std::shared_ptr<VaeImpl> vae;
  CheckpointPart part;
  if (command == "dcgan") {
    generator = std::make_shared<GeneratorImpl>(latent, image_size, width, classes);
    part = {"generator", generator.get(), nullptr};
  } else {
    vae = std::make_shared<VaeImpl>(latent, image_size, width, classes);
    part = {"vae", vae.get(), nullptr};
  }
  Result<int64_t> loaded = load_checkpoint(run_weights_file(run), {part}, torch::Device(torch::kCPU));
  if (!loaded.ok()) return fail(loaded.error);
  part.module->eval();
  torch::NoGradGuard no_grad;

  // z and the class, as the exported files take them: [z, one-hot] (nets/dcgan.h, nets/vae.h).
  torch::manual_seed(static_cast<uint64_t>(seed));
  torch::Tensor z = torch::randn({samples, latent});
  torch::Tensor one_hot = classes > 0 ? torch::one_hot(torch::arange(samples) % classes, classes).to(torch::kFloat)
                                      : torch::ones({samples, 1});  // the unconditional fit's constant term
  auto ink_of = [&](const torch::Tensor& zs, const torch::Tensor& cls) {  // grey ink 0..1, [N, S, S]
    torch::Tensor images;
    if (generator) images = classes > 0 ? generator->forward(zs, cls) : generator->forward(zs);
    else images = vae->decode(classes > 0 ? torch::cat({zs, cls}, 1) : zs);
    return (images.mean(1) + 1) / 2;
  };
  torch::Tensor ink = ink_of(z, one_hot);
  const int64_t pixels = ink.size(1) * ink.size(2);

  // Least squares [z, class] -> pixels, then the SVD of z's block.
  torch::Tensor design = torch::cat({z, one_hot}, 1).to(torch::kDouble);
  torch::Tensor coefficients = torch::linalg_pinv(design).mm(ink.flatten(1).to(torch::kDouble));
  torch::Tensor effect = coefficients.narrow(0, 0, latent).t();  // [P, Z]
  auto [u, singular, vh] = torch::linalg_svd(effect, /*full_matrices=*/false);

  const int64_t named = std::min<int64_t>(kNamingSamples, samples);
  torch::Tensor z_named = z.narrow(0, 0, named), class_named = one_hot.narrow(0, 0, named);
  torch::Tensor units = torch::empty({static_cast<int64_t>(std::size(kStatistics))});
  for (size_t s = 0; s < std::size(kStatistics); ++s) units[static_cast<int64_t>(s)] = kStatistics[s].unit;
  std::map<std::string, int> name_uses;
  nlohmann::json directions = nlohmann::json::array();
  for (int k = 0; k < count; ++k) {
    torch::Tensor v = vh[k].to(torch::kFloat);
    torch::Tensor change = (item_statistics(ink_of(z_named + kNamingStep * v, class_named)) -
                            item_statistics(ink_of(z_named - kNamingStep * v, class_named)))
                               .mean(0);
    torch::Tensor relative = change / units;
    const int64_t strongest = relative.abs().argmax().item<int64_t>();
    const bool flip = relative[strongest].item<double>() < 0;
    if (flip) v = -v, change = -change;
    std::string name = std::abs(relative[strongest].item<double>()) < kDetailBelow ? "detail"
                                                                                    : kStatistics[strongest].more;
    if (int uses = ++name_uses[name]; uses > 1) name += " " + std::to_string(uses);
    nlohmann::json measured;
    for (size_t s = 0; s < std::size(kStatistics); ++s)
      measured[kStatistics[s].key] = std::round(change[static_cast<int64_t>(s)].item<double>() * 1e6) / 1e6;
    std::vector<double> vector;
    for (int i = 0; i < latent; ++i) vector.push_back(std::round(v[i].item<double>() * 1e4) / 1e4);
    // RMS change per pixel (ink 0..1) per unit step along v: the singular value over sqrt(pixels).
    const double per_unit = singular[k].item<double>() / std::sqrt(static_cast<double>(pixels));
    directions.push_back({{"name", name}, {"effect", std::round(per_unit * 1e7) / 1e7},
                          {"change_from_minus_2_to_plus_2", measured}, {"vector", vector}});
    std::printf("%-14s effect %.4f per unit   brightness %+.3f  width %+.2f px  height %+.2f px  x %+.2f px  y %+.2f px\n",
                name.c_str(), per_unit, change[0].item<double>(), change[1].item<double>(), change[2].item<double>(),
                change[3].item<double>(), change[4].item<double>());
  }
  nlohmann::json doc{{"run", run},
                     {"step", loaded.value},
                     {"latent", latent},
                     {"classes", classes},
                     {"samples", samples},
                     {"seed", seed},
                     {"method", "right singular vectors of the least-squares effect of z on the grey image, "
                                "named by the item statistic that moves most between z - 2v and z + 2v"},
                     {"directions", directions}};
  if (out.empty()) out = (std::filesystem::path(run_weights_file(run)).parent_path() / "directions.json").string();
  if (Status s = write_file_atomic(out, doc.dump(1) + "\n"); !s.ok()) return fail(s.error);
  std::fprintf(stderr, "wrote %d directions to %s\n", count, out.c_str());
  return 0;
}

}  // namespace styleforge::trainer
