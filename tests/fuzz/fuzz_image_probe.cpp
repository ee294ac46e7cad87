// The header/structure walk alone: detail::probe_image (shared/src/image_probe.cpp), which decode_image() trusts to
// refuse oversized, truncated and structurally broken PNG and JPEG files (the JPEG marker, table and scan walk)
// before stb_image sees them. Much faster per input than decoding, so it reaches deeper into the walk.
// Seeds: tests/fuzz/corpus/image_decode (shared with the decode target; see scripts/fuzz).
//
// probe_image promises never to read outside [bytes, bytes + size): the input is copied into a buffer of exactly
// `size` bytes so ASan sees any read past its end. Its answer must also be self-consistent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "image_probe.h"

namespace {
[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_image_probe: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using styleforge::detail::ImageFormat;
  std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);  // exact size: nothing after it for a stray read to hit
  if (size > 0) std::memcpy(copy.get(), data, size);
  const styleforge::detail::ImageProbe probe = styleforge::detail::probe_image(size > 0 ? copy.get() : nullptr, size);
  if (probe.format == ImageFormat::Unknown && (probe.has_size || !probe.corrupt.empty())) {
    broken("an unknown format with a size or a structural finding");
  }
  // The header's own field widths (PNG 32 bits, JPEG 16): anything else was not read from the header.
  if (probe.has_size && (probe.width < 0 || probe.height < 0 || probe.width > 0xFFFFFFFFLL ||
                         probe.height > 0xFFFFFFFFLL)) {
    broken("a header size outside 0..2^32-1");
  }
  if (probe.format == ImageFormat::Jpeg && probe.has_size && (probe.width > 65535 || probe.height > 65535)) {
    broken("a JPEG size beyond 16 bits");
  }
  return 0;
}
