// `latent-directions`: named directions in a generator's latent space, for the app's sliders (issue 13, item 4).
//
// A slider per raw latent value (z[0], z[1], ...) means nothing: with z ~ N(0, I) every coordinate is alike. So:
//   1. sample N latents z (class k mod K for a class-conditional model) and decode them to images;
//   2. measure each picture as "ink" in 0..1: how far each pixel's colour is from the background's (the mean colour
//      of the pictures' outer frame: Fashion-MNIST's black, the emoji's white), so the same statistics serve both;
//   3. fit ink X [N, P] ~ z A^T + (a per-class offset) by least squares: A [P, Z] is the generator's average linear
//      effect;
//   4. the right singular vectors of A are the latent directions that change the image most, in order (the
//      singular value is the image change per unit step; this is PCA of the generator's linear response, in the
//      spirit of GANSpace, Harkonen et al. 2020);
//   5. name each by measuring what it does: decode z - 2v and z + 2v for a subset and compare the amount of ink,
//      width, height and position of the item and, in colour, its warmth and colourfulness; the statistic that
//      moves most, in units a person notices (1 pixel of size or position, 5% of full ink or colour), names it, and
//      v is flipped so that + means more of it ("wider", "brighter", ...). A direction that moves none of them by
//      one such unit is a "detail". (Units rather than each statistic's spread over the samples: item heights vary
//      so much between classes that a 5-pixel growth scored below a 1-pixel shift.)
// --run takes a dcgan or vae run directory, or a generator exported to ONNX (a shipped models/*-dcgan.onnx, whose
// run a clean checkout does not have). Writes RUN/directions.json (or --out); `export` puts the directions into the
// model's manifest entry; for an .onnx, --manifest puts them into that file's entry of a manifest.json.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nets/dcgan.h"
#include "nets/vae.h"
#ifdef STYLEFORGE_WITH_ONNX
#include "onnx/import_generator.h"
#endif
#include "run/checkpoint.h"
#include "run/fail.h"
#include "run/options.h"
#include "run/run_dir.h"

namespace styleforge::trainer {
namespace {

constexpr double kNamingStep = 2.0;    // latents compared at z - 2v and z + 2v
constexpr double kDetailBelow = 1.0;   // a change under one unit (kStatistics) of every statistic names a "detail"
constexpr int kNamingSamples = 500;

// What a direction is named by, measured on images [N, 3, S, S] in 0..1 against their background colour.
struct ItemStatistic {
  const char* key;   // in directions.json
  const char* more;  // the slider's name when the statistic grows ("brightness" is renamed on light backgrounds)
  double unit;       // a change a person notices
};
const ItemStatistic kStatistics[] = {
    {"brightness", "brighter", 0.05}, {"width_px", "wider", 1.0}, {"height_px", "taller", 1.0},
    {"centre_x_px", "further right", 1.0}, {"centre_y_px", "lower", 1.0},
    {"warmth", "warmer", 0.05}, {"colourfulness", "more colourful", 0.05},
};
// On a light background more ink makes the item darker and stronger in colour, not brighter.
constexpr const char* kMoreInkOnLight = "bolder";

// The background: the mean colour of every picture's one-pixel outer frame [3].
torch::Tensor background_colour(const torch::Tensor& images) {
  const int64_t s = images.size(2);
  torch::Tensor frame = torch::cat({images.select(2, 0), images.select(2, s - 1), images.select(3, 0),
                                    images.select(3, s - 1)}, 2);  // [N, 3, 4S]
  return frame.mean(std::vector<int64_t>{0, 2});
}

// Ink per pixel [N, S, S]: the largest channel distance from the background colour.
torch::Tensor ink_of_images(const torch::Tensor& images, const torch::Tensor& background) {
  return (images - background.view({1, 3, 1, 1})).abs().amax(1);
}

// Per image: mean ink; ink-weighted extent (sqrt(12) x standard deviation: the side of a uniform bar) across and
// down; ink-weighted centre; ink-weighted warmth (red minus blue) and colourfulness (largest minus smallest
// channel), both 0 for grey pictures. [N, 7].
torch::Tensor item_statistics(const torch::Tensor& images, const torch::Tensor& background) {
  torch::Tensor ink = ink_of_images(images, background);
  const int64_t side = ink.size(1);
  torch::Tensor coords = torch::arange(side, torch::kFloat);
  torch::Tensor mass = ink.sum({1, 2}).clamp_min(1e-6);
  torch::Tensor across = ink.sum(1), down = ink.sum(2);  // [N, S]: ink per column, per row
  auto centre = [&](const torch::Tensor& profile) { return (profile * coords).sum(1) / mass; };
  auto extent = [&](const torch::Tensor& profile, const torch::Tensor& c) {
    torch::Tensor var = (profile * (coords.unsqueeze(0) - c.unsqueeze(1)).pow(2)).sum(1) / mass;
    return var.clamp_min(0).sqrt() * std::sqrt(12.0);
  };
  auto weighted = [&](const torch::Tensor& per_pixel) { return (per_pixel * ink).sum({1, 2}) / mass; };
  torch::Tensor cx = centre(across), cy = centre(down);
  torch::Tensor warmth = weighted(images.select(1, 0) - images.select(1, 2));
  torch::Tensor colourfulness = weighted(images.amax(1) - images.amin(1));
  return torch::stack({ink.mean({1, 2}), extent(across, cx), extent(down, cy), cx, cy, warmth, colourfulness}, 1);
}

bool is_onnx_file(const std::string& path) {
  return std::filesystem::path(path).extension() == ".onnx" && !std::filesystem::is_directory(path);
}

// Puts the directions (name + vector, as `export` writes them) into the entry of `manifest_file` whose file is the
// model's; the rest of the manifest is kept as it is. With no directions, only checks that the entry is there (before
// the slow part, so a wrong manifest writes nothing).
Status add_to_manifest(const std::string& manifest_file, const std::string& model_file,
                       const nlohmann::json* directions) {
  std::ifstream in(manifest_file);
  if (!in) return Status::failure(manifest_file + ": cannot open");
  // Ordered, so the file keeps its key order and only the entry's directions change in a diff.
  nlohmann::ordered_json manifest = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!manifest.is_object() || !manifest.contains("models") || !manifest["models"].is_array())
    return Status::failure(manifest_file + " is not a manifest (no \"models\" list)");
  const std::string file = std::filesystem::path(model_file).filename().string();
  for (auto& entry : manifest["models"]) {
    if (entry.value("file", std::string()) != file) continue;
    if (entry.value("kind", std::string()) != "gan")
      return Status::failure(manifest_file + ": the entry for " + file + " is not a gan");
    if (!directions) return Status::success();
    nlohmann::ordered_json named = nlohmann::ordered_json::array();
    for (const auto& d : *directions) {
      nlohmann::ordered_json one;
      one["name"] = d["name"];
      one["vector"] = nlohmann::ordered_json::parse(d["vector"].dump());
      named.push_back(one);
    }
    entry["directions"] = named;
    return write_file_atomic(manifest_file, manifest.dump(2) + "\n");
  }
  return Status::failure(manifest_file + " has no entry whose file is " + file);
}

}  // namespace

int run_latent_directions(int argc, char** argv) {
  std::string run, out, manifest;
  int count = 8, samples = 2000, threads = 0;
  int64_t seed = 1;
  OptionParser parser("latent-directions",
                      "Find the latent directions that change a generator's images most, named by what they do.");
  parser.add_string("run", &run, "dcgan or vae run directory (or a checkpoint file inside one), or a dcgan "
                    "generator exported to ONNX (e.g. models/emoji-dcgan.onnx)");
  parser.require("run");
  parser.add_string("out", &out, "JSON file to write (default: RUN/directions.json, which `export` reads; for an "
                    ".onnx: beside it, <name>.directions.json)");
  parser.add_string("manifest", &manifest, "with an .onnx --run: also put the directions into this manifest.json's "
                    "entry for that file (what the app reads)");
  parser.add_int("count", &count, "number of directions", 1, 64);
  parser.add_int("samples", &samples, "latents sampled for the fit", 100, 100000);
  parser.add_int64("seed", &seed, "seed of the sampled latents", 0, INT64_MAX);
  parser.add_int("threads", &threads, "CPU threads for LibTorch, 0 = its default", 0, 1024);
  if (auto code = parser.parse(argc, argv)) return *code;
  if (threads > 0) torch::set_num_threads(threads);
  const bool from_onnx = is_onnx_file(run);
  if (!manifest.empty() && !from_onnx)
    return fail("--manifest is for a generator given as an .onnx file; a run's directions reach the manifest "
                "through `export`");
  if (!manifest.empty())
    if (Status s = add_to_manifest(manifest, run, nullptr); !s.ok()) return fail(s.error);

  std::shared_ptr<GeneratorImpl> generator;
  std::shared_ptr<VaeImpl> vae;
  nlohmann::json options;
  int64_t step = 0;
  if (from_onnx) {
#ifdef STYLEFORGE_WITH_ONNX
    Result<ImportedGenerator> imported = read_generator_onnx(run);
    if (!imported.ok()) return fail(imported.error);
    generator = imported.value.generator;
    options = imported.value.options;
    step = imported.value.step;
#else
    return fail(run + ": this trainer was built without ONNX support (STYLEFORGE_WITH_ONNX); give the run directory");
#endif
  } else {
    Result<nlohmann::json> read = read_run_options(run);
    if (!read.ok()) return fail(read.error);
    options = read.value;
  }
  const std::string command = options.value("command", "");
  if (command != "dcgan" && command != "vae")
    return fail(run + ": a '" + command + "' run has no latent space; give a dcgan or vae run");
  const int image_size = static_cast<int>(saved_option_int(options, "image-size", 32));
  const int latent = static_cast<int>(saved_option_int(options, "latent", 64));
  const int width = static_cast<int>(saved_option_int(options, "width", 32));
  const int classes = options.value("labels", std::string()).empty()
                          ? 0 : static_cast<int>(saved_option_int(options, "classes", 10));
  if (count > latent) count = latent;

  if (!from_onnx) {
    CheckpointPart part;
    if (command == "dcgan") {
      generator = std::make_shared<GeneratorImpl>(latent, image_size, width, classes,
                                                  gan_upsample_named(options.value("upsample", std::string())));
      part = {"generator", generator.get(), nullptr};
    } else {
      vae = std::make_shared<VaeImpl>(latent, image_size, width, classes);
      part = {"vae", vae.get(), nullptr};
    }
    Result<int64_t> loaded = load_checkpoint(run_weights_file(run), {part}, torch::Device(torch::kCPU));
    if (!loaded.ok()) return fail(loaded.error);
    step = loaded.value;
    part.module->eval();
  }
  torch::NoGradGuard no_grad;

  // z and the class, as the exported files take them: [z, one-hot] (nets/dcgan.h, nets/vae.h).
  torch::manual_seed(static_cast<uint64_t>(seed));
  torch::Tensor z = torch::randn({samples, latent});
  torch::Tensor one_hot = classes > 0 ? torch::one_hot(torch::arange(samples) % classes, classes).to(torch::kFloat)
                                      : torch::ones({samples, 1});  // the unconditional fit's constant term
  auto images_of = [&](const torch::Tensor& zs, const torch::Tensor& cls) {  // [N, 3, S, S] in 0..1
    torch::Tensor images;
    if (generator) images = classes > 0 ? generator->forward(zs, cls) : generator->forward(zs);
    else images = vae->decode(classes > 0 ? torch::cat({zs, cls}, 1) : zs);
    return (images + 1) / 2;
  };
  torch::Tensor sampled = images_of(z, one_hot);
  const torch::Tensor background = background_colour(sampled);
  const bool light_background = background.mean().item<double>() > 0.5;
  torch::Tensor ink = ink_of_images(sampled, background);
  const int64_t pixels = ink.size(1) * ink.size(2);

  // Least squares [z, class] -> ink per pixel, then the SVD of z's block.
  torch::Tensor design = torch::cat({z, one_hot}, 1).to(torch::kDouble);
  torch::Tensor coefficients = torch::linalg_pinv(design).mm(ink.flatten(1).to(torch::kDouble));
  torch::Tensor effect = coefficients.narrow(0, 0, latent).t();  // [P, Z]
  auto [u, singular, vh] = torch::linalg_svd(effect, /*full_matrices=*/false);

  const int64_t named = std::min<int64_t>(kNamingSamples, samples);
  torch::Tensor z_named = z.narrow(0, 0, named), class_named = one_hot.narrow(0, 0, named);
  const int64_t statistic_count = static_cast<int64_t>(std::size(kStatistics));
  torch::Tensor units = torch::empty({statistic_count});
  for (int64_t s = 0; s < statistic_count; ++s) units[s] = kStatistics[s].unit;
  auto name_of = [&](int64_t s) -> std::string {
    return s == 0 && light_background ? kMoreInkOnLight : kStatistics[s].more;
  };
  std::map<std::string, int> name_uses;
  nlohmann::json directions = nlohmann::json::array();
  for (int k = 0; k < count; ++k) {
    torch::Tensor v = vh[k].to(torch::kFloat);
    torch::Tensor change = (item_statistics(images_of(z_named + kNamingStep * v, class_named), background) -
                            item_statistics(images_of(z_named - kNamingStep * v, class_named), background))
                               .mean(0);
    torch::Tensor relative = change / units;
    const int64_t strongest = relative.abs().argmax().item<int64_t>();
    const bool flip = relative[strongest].item<double>() < 0;
    if (flip) v = -v, change = -change;
    std::string name = std::abs(relative[strongest].item<double>()) < kDetailBelow ? "detail" : name_of(strongest);
    if (int uses = ++name_uses[name]; uses > 1) name += " " + std::to_string(uses);
    nlohmann::json measured;
    for (int64_t s = 0; s < statistic_count; ++s)
      measured[kStatistics[s].key] = std::round(change[s].item<double>() * 1e6) / 1e6;
    std::vector<double> vector;
    for (int i = 0; i < latent; ++i) vector.push_back(std::round(v[i].item<double>() * 1e4) / 1e4);
    // RMS change of ink per pixel (0..1) per unit step along v: the singular value over sqrt(pixels).
    const double per_unit = singular[k].item<double>() / std::sqrt(static_cast<double>(pixels));
    directions.push_back({{"name", name}, {"effect", std::round(per_unit * 1e7) / 1e7},
                          {"change_from_minus_2_to_plus_2", measured}, {"vector", vector}});
    std::printf("%-16s effect %.4f per unit   ink %+.3f  width %+.2f px  height %+.2f px  x %+.2f px  y %+.2f px"
                "  warmth %+.3f  colour %+.3f\n",
                name.c_str(), per_unit, change[0].item<double>(), change[1].item<double>(), change[2].item<double>(),
                change[3].item<double>(), change[4].item<double>(), change[5].item<double>(),
                change[6].item<double>());
  }
  std::vector<double> background_values;
  for (int c = 0; c < 3; ++c) background_values.push_back(std::round(background[c].item<double>() * 1e4) / 1e4);
  nlohmann::json doc{{"run", run},
                     {"step", step},
                     {"latent", latent},
                     {"classes", classes},
                     {"samples", samples},
                     {"seed", seed},
                     {"background", background_values},
                     {"method", "right singular vectors of the least-squares effect of z on the ink image (distance "
                                "from the background colour), named by the item statistic that moves most between "
                                "z - 2v and z + 2v"},
                     {"directions", directions}};
  if (out.empty()) {
    if (from_onnx) out = (std::filesystem::path(run).replace_extension(".directions.json")).string();
    else out = (std::filesystem::path(run_weights_file(run)).parent_path() / "directions.json").string();
  }
  if (Status s = write_file_atomic(out, doc.dump(1) + "\n"); !s.ok()) return fail(s.error);
  std::fprintf(stderr, "wrote %d directions to %s\n", count, out.c_str());
  if (!manifest.empty()) {
    if (Status s = add_to_manifest(manifest, run, &directions); !s.ok()) return fail(s.error);
    std::fprintf(stderr, "put them into the entry for %s in %s\n",
                 std::filesystem::path(run).filename().c_str(), manifest.c_str());
  }
  return 0;
}

}  // namespace styleforge::trainer
