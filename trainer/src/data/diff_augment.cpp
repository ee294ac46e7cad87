#include "data/diff_augment.h"

#include <algorithm>
#include <random>
#include <sstream>

#include "run/portable_random.h"

namespace styleforge::trainer {
namespace {

// A whole number in [lo, hi].
int64_t whole(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(uniform01(rng) * static_cast<double>(hi - lo + 1));
}

// One image's parameters, drawn in a fixed order whatever the policy, so adding a policy does not change the others.
struct Draw {
  double brightness, saturation, contrast;
  int64_t shift_x, shift_y, cut_x, cut_y;
};

Draw draw(uint64_t seed, int64_t side) {
  std::mt19937_64 rng(seed);
  Draw d{};
  d.brightness = uniform01(rng) - 0.5;
  d.saturation = uniform01(rng) * 2.0;
  d.contrast = uniform01(rng) + 0.5;
  const int64_t shift = (side + 4) / 8;  // S/8, rounded
  d.shift_x = whole(rng, -shift, shift);
  d.shift_y = whole(rng, -shift, shift);
  d.cut_x = whole(rng, 0, side - 1);  // the cutout square's centre
  d.cut_y = whole(rng, 0, side - 1);
  return d;
}

torch::Tensor per_image(const std::vector<Draw>& draws, double Draw::*field, const torch::Tensor& like) {
  std::vector<float> values;
  for (const Draw& d : draws) values.push_back(static_cast<float>(d.*field));
  return torch::tensor(values).view({-1, 1, 1, 1}).to(like.device(), like.scalar_type());
}

// The image moved by (dx, dy) whole pixels, what is uncovered set to 0: pad by the shift, then cut the window.
torch::Tensor shifted(const torch::Tensor& image, int64_t dx, int64_t dy) {
  const int64_t h = image.size(1), w = image.size(2);
  const int64_t px = std::abs(dx), py = std::abs(dy);
  torch::Tensor padded = torch::constant_pad_nd(image, {px, px, py, py}, 0.0);
  return padded.narrow(1, py - dy, h).narrow(2, px - dx, w);
}

}  // namespace

std::string DiffAugmentPolicy::text() const {
  std::vector<std::string> names;
  if (colour) names.push_back("colour");
  if (translation) names.push_back("translation");
  if (cutout) names.push_back("cutout");
  if (names.empty()) return "off";
  std::string joined = names[0];
  for (size_t i = 1; i < names.size(); ++i) joined += "," + names[i];
  return joined;
}

Result<DiffAugmentPolicy> parse_diff_augment(const std::string& text) {
  using R = Result<DiffAugmentPolicy>;
  DiffAugmentPolicy policy;
  if (text.empty() || text == "off") return R::success(policy);
  std::stringstream list(text);
  std::string name;
  while (std::getline(list, name, ',')) {
    if (name == "colour" || name == "color")
      policy.colour = true;
    else if (name == "translation")
      policy.translation = true;
    else if (name == "cutout")
      policy.cutout = true;
    else
      return R::failure("--augment: unknown policy '" + name +
                        "'; use off, or any of colour, translation, cutout separated by commas");
  }
  return R::success(policy);
}

torch::Tensor diff_augment(const torch::Tensor& images, const DiffAugmentPolicy& policy,
                           const std::vector<uint64_t>& seeds) {
  if (!policy.any()) return images;
  TORCH_CHECK(images.dim() == 4 && images.size(0) == static_cast<int64_t>(seeds.size()),
              "diff_augment: expected [N, C, S, S] images and one seed per image");
  const int64_t side = images.size(3);
  std::vector<Draw> draws;
  for (uint64_t seed : seeds) draws.push_back(draw(seed, side));
  torch::Tensor x = images;
  if (policy.colour) {
    x = x + per_image(draws, &Draw::brightness, x);
    torch::Tensor pixel_mean = x.mean(1, /*keepdim=*/true);
    x = (x - pixel_mean) * per_image(draws, &Draw::saturation, x) + pixel_mean;
    torch::Tensor image_mean = x.mean({1, 2, 3}, /*keepdim=*/true);
    x = (x - image_mean) * per_image(draws, &Draw::contrast, x) + image_mean;
  }
  if (policy.translation) {
    std::vector<torch::Tensor> moved;
    for (int64_t i = 0; i < x.size(0); ++i) moved.push_back(shifted(x[i], draws[i].shift_x, draws[i].shift_y));
    x = torch::stack(moved);
  }
  if (policy.cutout) {
    const int64_t half = side / 4;  // the square's side is S/2
    torch::Tensor mask = torch::ones({x.size(0), 1, x.size(2), side});
    for (int64_t i = 0; i < x.size(0); ++i) {
      const int64_t y0 = std::max<int64_t>(0, draws[i].cut_y - half), y1 = std::min(x.size(2), draws[i].cut_y + half);
      const int64_t x0 = std::max<int64_t>(0, draws[i].cut_x - half), x1 = std::min(side, draws[i].cut_x + half);
      mask[i].narrow(1, y0, y1 - y0).narrow(2, x0, x1 - x0).zero_();
    }
    x = x * mask.to(x.device(), x.scalar_type());
  }
  return x;
}

}  // namespace styleforge::trainer
