// Painting folder, held-out split and augmented crops; see the header.
#include "data/painting_set.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <torch/torch.h>

#include "loss/style_setup.h"
#include "stylize.h"  // list_image_files

namespace styleforge::trainer {
namespace {

constexpr double kMinCrop = 0.4, kMaxCrop = 1.0;     // of the shorter side
constexpr double kJitterLow = 0.9, kJitterHigh = 1.1;  // brightness and saturation factors

torch::Tensor resize_square(const torch::Tensor& image, int side) {
  namespace F = torch::nn::functional;
  return F::interpolate(image, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{side, side})
                                   .mode(torch::kBilinear)
                                   .align_corners(false)
                                   .antialias(true));
}

}  // namespace

Result<PaintingSet> PaintingSet::open(const std::string& dir, const std::vector<std::string>& held_out,
                                      int loaded_side, size_t min_held_out) {
  using R = Result<PaintingSet>;
  Result<std::vector<std::string>> files = list_image_files(dir);
  if (!files.ok()) return R::failure("--paintings " + files.error);
  std::set<std::string> names, held(held_out.begin(), held_out.end());
  for (const std::string& f : files.value) names.insert(f.substr(f.find_last_of('/') + 1));
  for (const std::string& h : held)
    if (!names.count(h))
      return R::failure("--holdout: " + h + " is not a PNG/JPEG file in " + dir + " (give file names in that folder)");
  if (held.size() < min_held_out)
    return R::failure("--holdout names " + std::to_string(held.size()) + " paintings; hold out at least " +
                      std::to_string(min_held_out) + " (paintings training never sees, to measure generalisation)");
  PaintingSet set;
  set.dir_ = dir;
  for (const std::string& n : names) (held.count(n) ? set.held_out_ : set.training_).push_back(n);
  if (set.training_.empty()) return R::failure("--paintings " + dir + ": every painting is held out; none left to train on");
  try {
    for (const std::string& n : set.training_)
      set.images_.push_back(image_to_tensor255(load_image_scaled(set.path_of(n), loaded_side)));
  } catch (const std::exception& e) {
    return R::failure(std::string("--paintings: ") + e.what());
  }
  return R::success(std::move(set));
}

torch::Tensor PaintingSet::augmented_crop(std::mt19937_64& rng, int side, int64_t* picked) const {
  torch::NoGradGuard no_grad;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int64_t index = std::uniform_int_distribution<int64_t>(0, static_cast<int64_t>(images_.size()) - 1)(rng);
  if (picked) *picked = index;
  const torch::Tensor& image = images_[index];
  const int64_t h = image.size(2), w = image.size(3);
  const double fraction = kMinCrop + (kMaxCrop - kMinCrop) * unit(rng);
  const int64_t crop = std::max<int64_t>(8, std::lround(fraction * std::min(h, w)));
  const int64_t y = std::uniform_int_distribution<int64_t>(0, h - crop)(rng);
  const int64_t x = std::uniform_int_distribution<int64_t>(0, w - crop)(rng);
  torch::Tensor view = resize_square(image.narrow(2, y, crop).narrow(3, x, crop), side);
  if (unit(rng) < 0.5) view = view.flip({3});
  const int64_t quarter_turns = std::uniform_int_distribution<int64_t>(0, 3)(rng);
  if (quarter_turns) view = torch::rot90(view, quarter_turns, {2, 3});
  const double brightness = kJitterLow + (kJitterHigh - kJitterLow) * unit(rng);
  const double saturation = kJitterLow + (kJitterHigh - kJitterLow) * unit(rng);
  torch::Tensor grey = view.mean(1, true);
  view = (grey + (view - grey) * saturation) * brightness;
  return view.clamp(0, 255).contiguous();
}

torch::Tensor centred_painting(const std::string& path, int side) {
  torch::Tensor image = image_to_tensor255(load_image_scaled(path, side));
  const int64_t h = image.size(2), w = image.size(3), s = std::min(h, w);
  return image.narrow(2, (h - s) / 2, s).narrow(3, (w - s) / 2, s).contiguous();
}

}  // namespace styleforge::trainer
