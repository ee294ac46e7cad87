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

}  // namespace styleforge
