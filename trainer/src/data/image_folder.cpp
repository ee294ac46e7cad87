#include "data/image_folder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace styleforge::trainer {
namespace {

bool has_image_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// Over white, so transparent emoji backgrounds become white rather than whatever RGB the encoder left there.
void composite_over_white(Image& image) {
  for (size_t i = 0; i < image.rgba.size(); i += 4) {
    unsigned a = image.rgba[i + 3];
    if (a == 255) continue;
    for (int c = 0; c < 3; ++c) image.rgba[i + c] = static_cast<uint8_t>((image.rgba[i + c] * a + 255 * (255 - a) + 127) / 255);
    image.rgba[i + 3] = 255;
  }
}

Image crop(const Image& image, int x0, int y0, int side) {
  Image out;
  out.width = out.height = side;
  out.rgba.resize(static_cast<size_t>(side) * side * 4);
  for (int y = 0; y < side; ++y)
    std::copy_n(&image.rgba[(static_cast<size_t>(y0 + y) * image.width + x0) * 4], static_cast<size_t>(side) * 4,
                &out.rgba[static_cast<size_t>(y) * side * 4]);
  return out;
}

}  // namespace

Result<ImageFolder> ImageFolder::open(const std::string& dir, const ImageFolderOptions& options) {
  using R = Result<ImageFolder>;
  if (options.image_size < 1) return R::failure("image size must be positive");
  if (!(options.min_crop > 0 && options.min_crop <= 1)) return R::failure("min_crop must be in (0, 1]");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return R::failure("image folder " + dir + " does not exist or is not a directory");
  std::vector<std::string> candidates;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec) && has_image_extension(it->path())) candidates.push_back(it->path().string());
  std::sort(candidates.begin(), candidates.end());  // same order on every machine: runs are reproducible
  if (candidates.empty()) return R::failure("image folder " + dir + " holds no .png/.jpg/.jpeg files: point it at a folder of images");

  ImageFolder folder;
  folder.options_ = options;
  int64_t cached_bytes = 0;
  size_t skipped = 0;
  for (const auto& path : candidates) {
    folder.files_.push_back(path);
    folder.cache_.emplace_back();
    Result<Image> image = folder.decoded(folder.files_.size() - 1);
    if (!image.ok()) {
      std::fprintf(stderr, "warning: skipping %s\n", image.error.c_str());
      folder.files_.pop_back();
      folder.cache_.pop_back();
      ++skipped;
      continue;
    }
    int64_t bytes = static_cast<int64_t>(image.value.rgba.size());
    if (cached_bytes + bytes <= options.cache_bytes) {
      folder.cache_.back() = std::move(image.value);
      cached_bytes += bytes;
    }
  }
  if (folder.files_.empty())
    return R::failure("none of the " + std::to_string(candidates.size()) + " image files in " + dir +
                      " could be decoded (see the warnings above)");
  if (skipped) std::fprintf(stderr, "warning: %zu of %zu files in %s skipped\n", skipped, candidates.size(), dir.c_str());
  return R::success(std::move(folder));
}

Result<Image> ImageFolder::decoded(size_t index) const {
  if (!cache_[index].empty()) return Result<Image>::success(cache_[index]);
  Result<Image> image = load_image_file(files_[index], options_.limits);
  if (!image.ok()) return Result<Image>::failure(files_[index] + ": " + image.error);
  composite_over_white(image.value);
  // Shrink so the shorter side is what the smallest crop needs to fill image_size without upscaling.
  int shorter = std::min(image.value.width, image.value.height);
  int needed = static_cast<int>(std::ceil(options_.image_size / (options_.random_crop ? options_.min_crop : 1.0)));
  if (shorter > needed) {
    double f = static_cast<double>(needed) / shorter;
    int w = std::max(1, static_cast<int>(std::lround(image.value.width * f)));
    int h = std::max(1, static_cast<int>(std::lround(image.value.height * f)));
    Result<Image> small = resize_image(image.value, w, h);
    if (!small.ok()) return Result<Image>::failure(files_[index] + ": " + small.error);
    return small;
  }
  return image;
}

Result<Image> ImageFolder::sample(size_t index, std::mt19937_64& rng) const {
  Result<Image> full = decoded(index);
  if (!full.ok()) return full;
  const Image& image = full.value;
  int shorter = std::min(image.width, image.height);
  int side = shorter, x0 = (image.width - shorter) / 2, y0 = (image.height - shorter) / 2;
  if (options_.random_crop) {
    std::uniform_real_distribution<double> fraction(options_.min_crop, 1.0);
    side = std::max(1, std::min(shorter, static_cast<int>(std::lround(shorter * fraction(rng)))));
    x0 = std::uniform_int_distribution<int>(0, image.width - side)(rng);
    y0 = std::uniform_int_distribution<int>(0, image.height - side)(rng);
  }
  Image square = crop(image, x0, y0, side);
  if (side == options_.image_size) return Result<Image>::success(std::move(square));
  return resize_image(square, options_.image_size, options_.image_size);
}

}  // namespace styleforge::trainer
