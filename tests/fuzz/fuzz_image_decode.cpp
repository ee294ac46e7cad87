// decode_image() on raw file bytes (PNG, JPEG or anything else): the probe, then stb_image behind the allocation cap.
// Seeds: tests/fuzz/corpus/image_decode (regression JPEGs, small valid PNG/JPEG files).
//
// A refusal is fine. What must never happen: a memory error or UB (ASan/UBSan abort), an allocation past
// libFuzzer's -malloc_limit_mb, or a decoded image that breaks the promise of DecodeLimits or of Image itself.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "styleforge/image.h"

namespace {

// Tighter than the app's defaults (16384 per side, 48 MP) so a tiny header cannot make each run decode for seconds;
// the limit checks and the cap are the same code either way.
const styleforge::DecodeLimits kLimits{2048, 1LL << 20};

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_image_decode: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const styleforge::Result<styleforge::Image> decoded = styleforge::decode_image(data, size, kLimits);
  if (!decoded.ok()) {
    if (decoded.error.empty()) broken("a refusal without a message");
    return 0;
  }
  const styleforge::Image& image = decoded.value;
  if (image.width <= 0 || image.height <= 0) broken("decoded an empty image");
  if (image.width > kLimits.max_side || image.height > kLimits.max_side ||
      int64_t(image.width) * image.height > kLimits.max_pixels) {
    broken("decoded an image beyond DecodeLimits");
  }
  if (image.rgba.size() != size_t(image.width) * size_t(image.height) * 4) broken("RGBA buffer of the wrong size");
  // Touch every byte (ASan would see a short buffer; MSan-style stale data shows as nondeterminism elsewhere).
  unsigned sum = 0;
  for (uint8_t v : image.rgba) sum += v;
  volatile unsigned sink = sum;
  (void)sink;
  return 0;
}
