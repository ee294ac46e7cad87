// A folder of training images (PNG/JPEG, searched recursively; other files are ignored). Every file is decoded
// once when the folder is opened: unreadable ones are skipped with a warning naming them, and opening fails only
// when none is readable. Decoded images are kept in memory, shrunk to the smallest size random crops need, while
// they fit `cache_bytes`; the rest are decoded again when sampled.
// Samples are square RGB crops resized to `image_size`; transparent pixels are composited over white (emoji).
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "styleforge/image.h"

namespace styleforge::trainer {

struct ImageFolderOptions {
  int image_size = 256;    // side of the square samples
  bool random_crop = true; // false: the centred square of the whole shorter side (deterministic)
  double min_crop = 0.7;   // random crops take this..1 of the shorter side, at a random position
  int64_t cache_bytes = 512ll << 20;
  DecodeLimits limits;     // per file; the fuzz target lowers them so one input cannot take seconds
};

class ImageFolder {
 public:
  static Result<ImageFolder> open(const std::string& dir, const ImageFolderOptions& options);

  size_t size() const { return files_.size(); }
  const std::string& file(size_t index) const { return files_[index]; }
  // One square sample of `image_size` (alpha 255). Fails only if a file changed on disk since open().
  Result<Image> sample(size_t index, std::mt19937_64& rng) const;

 private:
  Result<Image> decoded(size_t index) const;  // composited, shrunk; from the cache when there

  ImageFolderOptions options_;
  std::vector<std::string> files_;
  std::vector<Image> cache_;  // empty Image where not cached
};

}  // namespace styleforge::trainer
