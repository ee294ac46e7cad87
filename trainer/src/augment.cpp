// `augment`: data augmentation for training sets. Each image of a folder becomes N copies, each with a random
// style (one of several `style` runs) at a random strength, a random horizontal flip, a small random rotation and a
// random crop resized back to the original size. Writes <stem>_aug<k>.png and augment.jsonl (one line per copy
// saying what was applied). The same --seed and inputs give byte-identical files.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>

#include "commands.h"
#include "run/fail.h"
#include "run/options.h"
#include "run/portable_random.h"
#include "run/run_dir.h"
#include "stylize.h"

namespace fs = std::filesystem;

namespace styleforge::trainer {
namespace {

struct Augmentation {
  size_t style = 0;
  double strength = 1, rotation_deg = 0, crop = 1;  // crop: kept fraction of each side
  bool flip = false;
  int crop_x = 0, crop_y = 0, crop_w = 0, crop_h = 0;
};

struct AugmentOptions {
  int copies = 4;
  double strength_min = 0.5, strength_max = 1.0, max_rotation = 10.0, min_crop = 0.8;
};

// Always draws the same count of numbers per copy, so changing one option does not reshuffle the others.
Augmentation draw(std::mt19937_64& rng, size_t styles, const AugmentOptions& o, int width, int height) {
  Augmentation a;
  a.style = std::min(styles - 1, static_cast<size_t>(uniform01(rng) * static_cast<double>(styles)));
  a.strength = o.strength_min + (o.strength_max - o.strength_min) * uniform01(rng);
  a.flip = uniform01(rng) < 0.5;
  a.rotation_deg = o.max_rotation * (2 * uniform01(rng) - 1);
  a.crop = o.min_crop + (1 - o.min_crop) * uniform01(rng);
  const double ux = uniform01(rng), uy = uniform01(rng);
  a.crop_w = std::max(1, static_cast<int>(std::lround(width * a.crop)));
  a.crop_h = std::max(1, static_cast<int>(std::lround(height * a.crop)));
  a.crop_x = static_cast<int>(ux * (width - a.crop_w + 1));
  a.crop_y = static_cast<int>(uy * (height - a.crop_h + 1));
  return a;
}

Image flip_horizontal(const Image& in) {
  Image out = in;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x)
      for (int c = 0; c < 4; ++c)
        out.rgba[(static_cast<size_t>(y) * in.width + x) * 4 + c] =
            in.rgba[(static_cast<size_t>(y) * in.width + (in.width - 1 - x)) * 4 + c];
  return out;
}

// Rotation about the centre, same size, bilinear; samples outside the image take the nearest edge pixel, so no
// black corners appear (the crop then cuts most of the smeared corners away).
Image rotate(const Image& in, double degrees) {
  if (degrees == 0) return in;
  Image out = in;
  const double t = degrees * 3.14159265358979323846 / 180.0, cs = std::cos(t), sn = std::sin(t);
  const double cx = (in.width - 1) / 2.0, cy = (in.height - 1) / 2.0;
  auto at = [&](int x, int y, int c) {
    x = std::clamp(x, 0, in.width - 1);
    y = std::clamp(y, 0, in.height - 1);
    return static_cast<double>(in.rgba[(static_cast<size_t>(y) * in.width + x) * 4 + c]);
  };
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      const double sx = cs * (x - cx) + sn * (y - cy) + cx, sy = -sn * (x - cx) + cs * (y - cy) + cy;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      const double fx = sx - x0, fy = sy - y0;
      for (int c = 0; c < 4; ++c) {
        const double v = (at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx) * (1 - fy) +
                         (at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx) * fy;
        out.rgba[(static_cast<size_t>(y) * in.width + x) * 4 + c] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  return out;
}

Image crop(const Image& in, int x0, int y0, int w, int h) {
  Image out;
  out.width = w;
  out.height = h;
  out.rgba.resize(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    std::copy_n(&in.rgba[(static_cast<size_t>(y0 + y) * in.width + x0) * 4], static_cast<size_t>(w) * 4,
                &out.rgba[static_cast<size_t>(y) * w * 4]);
  return out;
}

// flip -> rotate -> crop -> resize back to the input size.
Result<Image> transform(const Image& image, const Augmentation& a) {
  Image t = a.flip ? flip_horizontal(image) : image;
  t = rotate(t, a.rotation_deg);
  t = crop(t, a.crop_x, a.crop_y, a.crop_w, a.crop_h);
  if (t.width == image.width && t.height == image.height) return Result<Image>::success(std::move(t));
  return resize_image(t, image.width, image.height);
}

}  // namespace

int run_augment(int argc, char** argv) {
  std::string input, output, styles_text;
  AugmentOptions o;
  int64_t seed = 1;
  NetworkOptions net;
  OptionParser p("augment", "Write N augmented copies of every PNG/JPEG in a folder: random style (from several "
                            "`style` runs) and strength, horizontal flip, small rotation, crop.");
  p.add_string("input", &input, "folder of images (not searched recursively)");
  p.add_string("output", &output, "folder for <stem>_aug<k>.png and augment.jsonl (created if missing)");
  p.add_string("styles", &styles_text, "comma-separated style run directories; each copy picks one at random");
  p.require("input");
  p.require("output");
  p.require("styles");
  p.add_int("copies", &o.copies, "augmented copies per image", 1, 10000);
  p.add_float("strength-min", &o.strength_min, "lowest style strength", 0, 1);
  p.add_float("strength-max", &o.strength_max, "highest style strength", 0, 1);
  p.add_float("max-rotation", &o.max_rotation, "rotation drawn from -N..N degrees", 0, 45);
  p.add_float("min-crop", &o.min_crop, "crops keep this..1 of each side, then are resized back", 0.1, 1);
  p.add_int64("seed", &seed, "random seed: the same seed and inputs give identical files", 0, INT64_MAX);
  add_network_options(p, net);
  if (auto code = p.parse(argc, argv)) return *code;
  if (o.strength_min > o.strength_max)
    return fail("--strength-min " + std::to_string(o.strength_min) + " is above --strength-max " +
                std::to_string(o.strength_max));

  StylizeSettings settings;
  if (Status tiles = apply_tile_options(net, &settings); !tiles.ok()) return fail(tiles.error);
  Result<std::vector<std::string>> files = list_image_files(input);
  if (!files.ok()) return fail("--input " + files.error);

  std::vector<LoadedStyle> styles;
  std::string list = styles_text;
  for (size_t start = 0; start <= list.size();) {
    size_t comma = list.find(',', start);
    std::string run = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? list.size() + 1 : comma + 1;
    if (run.empty()) continue;
    Result<LoadedStyle> style = load_style_run(run, net.device, net.threads);
    if (!style.ok()) return fail("--styles " + style.error);
    styles.push_back(std::move(style.value));
  }
  if (styles.empty()) return fail("--styles '" + styles_text + "' names no run directory");

  std::error_code ec;
  fs::create_directories(output, ec);
  if (ec || !fs::is_directory(output, ec)) return fail("--output " + output + ": cannot create the folder");
  std::fprintf(stderr, "augment: %zu image(s) x %d copies, %zu style(s), seed %lld\n", files.value.size(), o.copies,
               styles.size(), static_cast<long long>(seed));

  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  std::string manifest;
  int failures = 0, written_copies = 0;
  for (const auto& file : files.value) {
    Result<Image> image = load_image_file(file);
    if (!image.ok()) {
      std::fprintf(stderr, "error: %s\n", image.error.c_str());
      ++failures;
      continue;
    }
    for (int k = 0; k < o.copies; ++k) {
      const Augmentation a = draw(rng, styles.size(), o, image.value.width, image.value.height);
      const std::string name = fs::path(file).stem().string() + "_aug" + std::to_string(k) + ".png";
      settings.strength = static_cast<float>(a.strength);
      settings.tiles.size_multiple = styles[a.style].entry.size_multiple;
      Result<Image> moved = transform(image.value, a);
      Result<Image> styled = moved.ok() ? stylize_image(styles[a.style], moved.value, settings) : moved;
      Status saved = styled.ok() ? save_image_file((fs::path(output) / name).string(), styled.value)
                                 : Status::failure(styled.error);
      if (!saved.ok()) {
        std::fprintf(stderr, "error: %s: %s\n", file.c_str(), saved.error.c_str());
        ++failures;
        continue;
      }
      nlohmann::json line{{"source", fs::path(file).filename().string()},
                          {"output", name},
                          {"style", styles[a.style].path},
                          {"strength", a.strength},
                          {"flip", a.flip},
                          {"rotation_deg", a.rotation_deg},
                          {"crop", {{"x", a.crop_x}, {"y", a.crop_y}, {"width", a.crop_w}, {"height", a.crop_h}}},
                          {"seed", seed}};
      manifest += line.dump() + "\n";
      ++written_copies;
    }
  }
  Status written = write_file_atomic((fs::path(output) / "augment.jsonl").string(), manifest);
  if (!written.ok()) return fail(written.error);
  std::printf("wrote %d copies and %s\n", written_copies,
              (fs::path(output) / "augment.jsonl").string().c_str());
  if (failures) std::fprintf(stderr, "error: %d image(s) or copies failed (see above)\n", failures);
  return failures ? 1 : 0;
}

}  // namespace styleforge::trainer
