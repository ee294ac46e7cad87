// `stylize`: runs a trained style network (a `style` run directory) over one image or a folder of images, with the
// shared layer's tiling, strength blend and colour preservation -- the same post-processing as the browser app.
// Also holds the helpers `augment` shares (stylize.h).
#include "stylize.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

#include "arbitrary_backend.h"
#include "commands.h"
#include "libtorch_backend.h"
#include "run/fail.h"
#include "run/options.h"
#include "run/run_dir.h"
#include "styleforge/style_ops.h"
#include "styleforge/tensor.h"

namespace fs = std::filesystem;

namespace styleforge::trainer {

void add_network_options(OptionParser& p, NetworkOptions& o) {
  p.add_int("max-tile", &o.max_tile, "longest side sent to the network at once; larger images go in tiles", 16, 16384);
  p.add_int("overlap", &o.overlap, "pixels shared by neighbouring tiles (blended)", 0, 4096);
  p.add_choice("device", &o.device, "where the network runs", {"auto", "cpu", "cuda"});
  p.add_int("threads", &o.threads, "CPU threads for LibTorch (0 = its default)", 0, 1024);
}

Status apply_tile_options(const NetworkOptions& o, StylizeSettings* settings) {
  settings->tiles.max_tile = o.max_tile;
  settings->tiles.overlap = o.overlap;
  if (auto plan = plan_tiles(o.max_tile, o.max_tile, settings->tiles); !plan.ok())
    return Status::failure("--max-tile/--overlap: " + plan.error);
  return Status::success();
}

Result<LoadedStyle> load_style_run(const std::string& run_dir, const std::string& device, int threads,
                                   const std::string& style_image) {
  using R = Result<LoadedStyle>;
  LoadedStyle style;
  style.path = run_dir;
  style.entry = style_run_entry(fs::path(run_dir).filename().string());
  Result<nlohmann::json> options = read_run_options(run_dir);
  const bool arbitrary = options.ok() && options.value.value("command", "") == "arbitrary";
  if (arbitrary && style_image.empty())
    return R::failure(run_dir + " is an arbitrary-style run: give the painting to paint with, --style-image FILE");
  if (!arbitrary && !style_image.empty())
    return R::failure(run_dir + " is not an arbitrary-style run (its painting is trained in): --style-image is for "
                      "runs of `styleforge-trainer arbitrary`");
  style.backend = arbitrary ? make_libtorch_arbitrary_backend(style_image, device, threads)
                            : make_libtorch_style_backend(device, threads);
  Status s = style.backend->load(style.entry, run_dir);
  if (!s.ok()) return R::failure(s.error);
  return R::success(std::move(style));
}

Result<Image> stylize_image(LoadedStyle& style, const Image& image, const StylizeSettings& settings) {
  using R = Result<Image>;
  Tensor input = image_to_tensor(image, style.entry.input.normalization);
  Result<Tensor> output = Result<Tensor>::failure("the backend never answered");
  // The LibTorch backend is synchronous: run_tiled has called `done` by the time it returns.
  run_tiled(*style.backend, input, settings.tiles, nullptr, [&](Result<Tensor> r) { output = std::move(r); });
  if (!output.ok()) return R::failure(style.path + ": " + output.error);
  Result<Image> styled = tensor_to_image(output.value, style.entry.output.normalization);
  if (!styled.ok()) return styled;
  // The input's alpha would otherwise make the blend at strength 0 differ from the input in alpha only; the
  // stylised image is opaque, and so is every output.
  Image opaque = image;
  for (size_t i = 3; i < opaque.rgba.size(); i += 4) opaque.rgba[i] = 255;
  if (settings.preserve_colour) {
    styled = preserve_colour(opaque, styled.value);
    if (!styled.ok()) return styled;
  }
  return blend_images(opaque, styled.value, settings.strength);
}

Result<std::vector<std::string>> list_image_files(const std::string& dir) {
  using R = Result<std::vector<std::string>>;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return R::failure(dir + " is not a folder");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") files.push_back(it->path().string());
  }
  if (ec) return R::failure(dir + ": cannot list the folder (" + ec.message() + ")");
  if (files.empty()) return R::failure(dir + " holds no PNG or JPEG images (.png, .jpg, .jpeg): nothing to do");
  std::sort(files.begin(), files.end());
  return R::success(files);
}

int run_stylize(int argc, char** argv) {
  std::string input, output, model, style_image;
  double strength = 1.0;
  bool keep_colour = false;
  NetworkOptions net;
  OptionParser p("stylize", "Stylise an image, or every PNG/JPEG in a folder, with a trained `style` run, or an "
                 "`arbitrary` run and --style-image.");
  p.add_string("input", &input, "image file, or folder of images (not searched recursively)");
  p.add_string("output", &output, "output file (.png/.jpg), or folder when --input is one (created if missing)");
  p.add_string("model", &model, "style or arbitrary run directory (model.pt, else checkpoint.pt, + options.json)");
  p.add_string("style-image", &style_image, "arbitrary runs: the painting to paint with (PNG/JPEG, any painting)");
  p.require("input");
  p.require("output");
  p.require("model");
  p.add_float("strength", &strength, "0 = the input unchanged, 1 = fully stylised", 0, 1);
  p.add_flag("preserve-colour", &keep_colour, "keep the input's colours, take the stylised luminance");
  add_network_options(p, net);
  if (auto code = p.parse(argc, argv)) return *code;

  StylizeSettings settings;
  settings.strength = static_cast<float>(strength);
  settings.preserve_colour = keep_colour;
  if (Status tiles = apply_tile_options(net, &settings); !tiles.ok()) return fail(tiles.error);

  // Inputs and outputs: file -> file (or into a folder), folder -> folder with the same file names.
  std::error_code ec;
  if (!fs::exists(input, ec)) return fail("--input " + input + " does not exist");
  std::vector<std::pair<std::string, std::string>> jobs;
  if (fs::is_directory(input, ec)) {
    Result<std::vector<std::string>> files = list_image_files(input);
    if (!files.ok()) return fail("--input " + files.error);
    if (fs::exists(output, ec) && !fs::is_directory(output, ec))
      return fail("--output " + output + " is a file, but --input is a folder: give a folder");
    fs::create_directories(output, ec);
    if (ec) return fail("--output " + output + ": cannot create the folder (" + ec.message() + ")");
    for (const auto& f : files.value) jobs.emplace_back(f, (fs::path(output) / fs::path(f).filename()).string());
  } else {
    std::string target = fs::is_directory(output, ec) ? (fs::path(output) / fs::path(input).filename()).string() : output;
    jobs.emplace_back(input, target);
  }

  Result<LoadedStyle> style = load_style_run(model, net.device, net.threads, style_image);
  if (!style.ok()) return fail("--model " + style.error);
  settings.tiles.size_multiple = style.value.entry.size_multiple;
  std::fprintf(stderr, "stylize: %s on %s, %zu image(s), strength %.2f%s, max tile %d, overlap %d\n", model.c_str(),
               style.value.backend->name().c_str(), jobs.size(), strength, keep_colour ? ", colours kept" : "",
               net.max_tile, net.overlap);

  // A bad image does not stop the others; the exit code says that something failed.
  int failures = 0;
  for (const auto& [from, to] : jobs) {
    Result<Image> image = load_image_file(from);
    Result<Image> styled = image.ok() ? stylize_image(style.value, image.value, settings) : image;
    Status saved = styled.ok() ? save_image_file(to, styled.value) : Status::failure(styled.error);
    if (!saved.ok()) {
      std::fprintf(stderr, "error: %s\n", saved.error.c_str());
      ++failures;
      continue;
    }
    std::printf("%s -> %s (%dx%d)\n", from.c_str(), to.c_str(), styled.value.width, styled.value.height);
  }
  if (failures) std::fprintf(stderr, "error: %d of %zu image(s) failed (see above)\n", failures, jobs.size());
  return failures ? 1 : 0;
}

}  // namespace styleforge::trainer
