// The paintings an `arbitrary` run learns from: a folder of PNG/JPEG files split into training paintings and
// held-out ones (named by file; never loaded for training, so no step can see them), and augmented square crops of
// the training ones, each a new view of a painting: a random crop of 40-100% of the shorter side (brush strokes at
// several scales), a horizontal flip, a 90-degree rotation, and mild colour jitter (brightness and saturation
// x0.9..1.1), so 28 paintings look like thousands to the style predictor.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <torch/types.h>

#include "styleforge/result.h"

namespace styleforge::trainer {

class PaintingSet {
 public:
  // `dir`: PNG/JPEG files directly inside. `held_out`: file names in `dir` (each must exist there; at least
  // `min_held_out`). The training paintings are loaded scaled to shorter side `loaded_side`. Errors name the
  // folder or the file.
  static Result<PaintingSet> open(const std::string& dir, const std::vector<std::string>& held_out, int loaded_side,
                                  size_t min_held_out);

  const std::vector<std::string>& training() const { return training_; }  // file names, sorted
  const std::vector<std::string>& held_out() const { return held_out_; }
  std::string path_of(const std::string& name) const { return dir_ + "/" + name; }
  // One augmented square crop {1,3,side,side}, 0..255, of a training painting drawn from `rng`; `picked` gets its
  // index in training().
  torch::Tensor augmented_crop(std::mt19937_64& rng, int side, int64_t* picked = nullptr) const;

 private:
  std::string dir_;
  std::vector<std::string> training_, held_out_;
  std::vector<torch::Tensor> images_;  // training paintings, {1,3,H,W} 0..255
};

// The painting in `path` as the previews and stylize show it to the predictor: shorter side `side`, the centred
// square of it, {1,3,side,side} 0..255. Throws std::runtime_error naming the file.
torch::Tensor centred_painting(const std::string& path, int side);

}  // namespace styleforge::trainer
