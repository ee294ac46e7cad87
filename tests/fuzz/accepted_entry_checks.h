// What a manifest entry that our parsers accepted must promise, for the fuzz targets whose inputs become entries
// (fuzz_manifest: models/manifest.json text; fuzz_onnx_metadata: a dropped model's own entry). A broken promise
// aborts, which libFuzzer reports as a crash with the input that caused it.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "styleforge/manifest.h"

namespace fuzz_checks {

[[noreturn]] inline void broken(const char* target, const char* what) {
  std::fprintf(stderr, "%s: %s\n", target, what);
  std::abort();
}

// Normalisation numbers the app can invert in float: scale and std normal and > 0, means finite, and every
// quotient image_to_tensor / tensor_to_image take finite (issue 14 finding 6).
inline void check_normalization(const char* target, const styleforge::Normalization& n) {
  if (!(n.scale > 0.0f) || !std::isnormal(n.scale)) broken(target, "accepted a scale that is not a normal float > 0");
  for (int c = 0; c < 3; ++c) {
    if (!(n.std[c] > 0.0f) || !std::isnormal(n.std[c])) broken(target, "accepted a std that is not a normal float > 0");
    if (!std::isfinite(n.mean[c])) broken(target, "accepted a mean that is not finite");
    const float q[4] = {n.scale / n.std[c], n.mean[c] / n.std[c], n.std[c] / n.scale, n.mean[c] / n.scale};
    for (float v : q) {
      if (!std::isfinite(v)) broken(target, "accepted normalisation numbers whose quotient overflows float");
    }
  }
}

}  // namespace fuzz_checks
