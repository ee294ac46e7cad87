// What `stylize` and `augment` share: listing the images of a folder, loading style runs as Backends, and
// stylising one image the way the browser app does (tiles, colour preservation, strength blend).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "run/options.h"
#include "styleforge/backend.h"
#include "styleforge/image.h"

namespace styleforge::trainer {

struct StylizeSettings {
  float strength = 1.0f;         // 0 = the input unchanged, 1 = fully stylised
  bool preserve_colour = false;  // keep the input's colours (chroma), take the stylised luminance
  TileOptions tiles;             // max_tile, overlap, size_multiple
};

// How the network runs: tile size and overlap (defaults as in the browser app, see tiling.h), device, threads.
struct NetworkOptions {
  int max_tile = 512;
  int overlap = TileOptions{}.overlap;
  std::string device = "auto";
  int threads = 0;
};
void add_network_options(OptionParser& parser, NetworkOptions& options);
// Copies the tile options into settings->tiles, or says what is wrong with them (before anything is loaded).
Status apply_tile_options(const NetworkOptions& options, StylizeSettings* settings);

// A style (or arbitrary-style) run loaded into a LibTorch backend, with the manifest entry it runs under.
struct LoadedStyle {
  std::string path;
  ModelEntry entry;
  std::unique_ptr<Backend> backend;
};
// An arbitrary-style run (styleforge-trainer arbitrary) needs `style_image`, the painting to paint with; a style
// run refuses one (its painting is trained in).
Result<LoadedStyle> load_style_run(const std::string& run_dir, const std::string& device, int threads,
                                   const std::string& style_image = "");

// Stylises `image` with `style` through run_tiled, then preserve_colour (optional) and blend_images.
// The result has the input's size; its alpha is 255.
Result<Image> stylize_image(LoadedStyle& style, const Image& image, const StylizeSettings& settings);

// The PNG/JPEG files (by extension, case-insensitive) directly inside `dir`, sorted by name. Fails when `dir` is
// not a readable folder or holds none.
Result<std::vector<std::string>> list_image_files(const std::string& dir);

}  // namespace styleforge::trainer
