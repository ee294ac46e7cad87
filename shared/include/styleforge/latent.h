// Latent-space operations for generators (GAN, VAE decoder). Sampling is seeded and platform-independent:
// the same seed gives the same vector natively, in the browser and in the trainer.
#pragma once
#include <cstdint>
#include <vector>

#include "styleforge/result.h"

namespace styleforge {

// n standard-normal values from `seed` (xoshiro256** seeded by splitmix64, Box-Muller).
std::vector<float> sample_normal(uint64_t seed, size_t n);

// Linear interpolation a + t (b - a). Fails if the sizes differ.
Result<std::vector<float>> lerp(const std::vector<float>& a, const std::vector<float>& b, float t);

// Spherical interpolation along the great circle between a and b (Shoemake), scaled by the interpolated norm
// so that samples stay at a typical distance from the origin. Falls back to lerp when a and b are parallel.
Result<std::vector<float>> slerp(const std::vector<float>& a, const std::vector<float>& b, float t);

// The truncation trick (Marchesi 2017; Brock et al. 2019, BigGAN): z scaled by psi toward the centre of its
// prior (the origin). A generator's most typical pictures lie near the centre, so psi below 1 trades variety for
// pictures that look more like its training set; 1 leaves z as drawn. Apply it to the free z, before the class.
// Fails unless psi is in (0, 1] (valid_truncation; the manifest's "truncation" is checked with it too).
bool valid_truncation(float psi);
Result<std::vector<float>> truncate_latent(const std::vector<float>& z, float psi);

// --- class-conditional generators and named directions (models/manifest.json "classes", "directions") ---------

// The latent a class-conditional generator takes: z followed by the one-hot of `class_index` among `classes`
// (z alone when classes is 0). Fails when class_index is not in 0..classes-1.
Result<std::vector<float>> latent_with_class(const std::vector<float>& z, int class_index, int classes);

// Between two [z, class] latents: slerp on z (the first size - classes values), lerp on the class part, so a
// morph across classes passes through mixtures of the two one-hot vectors. classes 0: plain slerp.
Result<std::vector<float>> interpolate_with_class(const std::vector<float>& a, const std::vector<float>& b, float t,
                                                  int classes);

// The coordinate of z along a (unit) direction: the dot product over the direction's length (the free z; a class
// part after it is ignored). Fails when z is shorter than the direction.
Result<float> coordinate_along(const std::vector<float>& z, const std::vector<float>& direction);
// Moves z so that its coordinate along `direction` becomes `value`, leaving the other coordinates (and the class
// part) as they were: z += (value - coordinate) * direction / |direction|^2.
Result<std::vector<float>> set_coordinate_along(const std::vector<float>& z, const std::vector<float>& direction,
                                                float value);

}  // namespace styleforge
