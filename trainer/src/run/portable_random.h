// Random numbers that a seed names the same way on every standard library: std::uniform_real_distribution's output
// differs between libraries, a raw std::mt19937_64 stream does not. Used where a seed must name the same draw
// everywhere (augment's copies, the GAN's differentiable augmentation).
#pragma once
#include <random>

namespace styleforge::trainer {

// Uniform in [0, 1), from the top 53 bits of the next raw 64-bit value.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace styleforge::trainer
