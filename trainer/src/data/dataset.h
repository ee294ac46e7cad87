// Training images for the generators (dcgan, vae) and anything else that wants random batches: a folder of
// PNG/JPEG files or an idx file, behind one call that returns float NCHW batches on the CPU.
#pragma once
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <ATen/core/Tensor.h>

#include "data/image_folder.h"
#include "data/idx.h"

namespace styleforge::trainer {

enum class PixelRange {
  Pixels255,    // 0..255 (style networks)
  MinusOneOne,  // -1..1  (tanh generators)
};

class TrainingImages {
 public:
  // A directory opens as an image folder, a file as idx images (grey, repeated to 3 channels, or RGB). Random crops
  // apply to folders only; idx images are resized whole to image_size.
  static Result<TrainingImages> open(const std::string& path, int image_size, bool random_crop = true);

  int64_t size() const;
  std::string describe() const;  // "352 images from DIR" / "60000 28x28 idx images from FILE"
  // `count` random samples (with replacement), as float [count, 3, image_size, image_size] on the CPU.
  Result<at::Tensor> batch(int count, std::mt19937_64& rng, PixelRange range) const;
  // One sample per seed: which image and which crop come from that seed alone, so a sample does not depend on
  // what else is in the batch (each rank of a distributed run draws its own slice of the global batch).
  // `picked`, when given, receives the index of each sample's image (e.g. to look up its label).
  Result<at::Tensor> samples(const std::vector<uint64_t>& seeds, PixelRange range,
                             std::vector<int64_t>* picked = nullptr) const;
  bool is_idx() const { return idx_ != nullptr; }

 private:
  std::string path_;
  int image_size_ = 0;
  std::shared_ptr<ImageFolder> folder_;
  std::shared_ptr<IdxImages> idx_;
};

// Images (all image_size x image_size) -> float [N, 3, S, S] in 0..255.
at::Tensor images_to_batch(const std::vector<Image>& images);

}  // namespace styleforge::trainer
