// Differentiable augmentation for GAN training on small datasets (DiffAugment, Zhao et al. 2020): the same kind of
// random transform is applied to every image the discriminator sees, real and generated alike, in both the
// discriminator's and the generator's step. Gradients flow through it to the generator, and since the
// discriminator only ever sees transformed images it cannot simply memorise a few thousand training pictures
// (the emoji set has 2,542), which is what makes a small-data GAN collapse into blotches.
//
// Policies (any of them, comma separated), on images in -1..1 [N, C, S, S]:
//   colour       brightness + U(-0.5, 0.5); saturation x U(0, 2) around each pixel's channel mean; contrast
//                x U(0.5, 1.5) around the image mean
//   translation  a whole-pixel shift of up to S/8 in x and y, the uncovered border filled with 0
//   cutout       a square of side S/2 at a random centre (clipped at the border) set to 0
// Every image's parameters come from its own seed (run/distributed.h's sample_seed), so a transform depends on the
// image's global batch position, not on the world size or which rank draws it.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct DiffAugmentPolicy {
  bool colour = false, translation = false, cutout = false;
  bool any() const { return colour || translation || cutout; }
  std::string text() const;  // "off" or e.g. "colour,translation,cutout": what parse_diff_augment reads back
};

// "off" (or empty) or a comma-separated list of colour, translation, cutout ("color" accepted).
Result<DiffAugmentPolicy> parse_diff_augment(const std::string& text);

// images [N, C, S, S] (any device), one seed per image -> the transformed images, differentiable in `images`.
// With no policy the input itself is returned.
torch::Tensor diff_augment(const torch::Tensor& images, const DiffAugmentPolicy& policy,
                           const std::vector<uint64_t>& seeds);

}  // namespace styleforge::trainer
