// The trainer's idx reader (read_idx_images, trainer/src/data/idx.cpp: MNIST / Fashion-MNIST image files, plain or
// gzip) on any file. Seeds: tests/fuzz/corpus/idx (a tiny valid file, plain and gzip; regression headers).
//
// A refusal is fine if it names the file. What must never happen: a memory error or UB, an allocation past
// libFuzzer's limit (a 16-byte header promising terabytes), or accepted images whose buffer does not hold exactly
// count x rows x columns bytes within the documented bounds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "data/idx.h"
#include "fuzz_input_file.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_idx: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz_input_file::write("images.idx", data, size);
  // The trainer's own default bound on the image count, so the fuzzer sees what `--data` would.
  const auto read = styleforge::trainer::read_idx_images(path);
  if (!read.ok()) {
    if (read.error.find(path) == std::string::npos) broken("a refusal that does not name the file");
    return 0;
  }
  const auto& images = read.value;
  if (images.count < 1 || images.count > 1000000) broken("accepted an image count out of range");
  if (images.rows < 1 || images.rows > 4096 || images.columns < 1 || images.columns > 4096)
    broken("accepted a side out of range");
  if (images.channels != 1 && images.channels != 3) broken("accepted a channel count other than 1 or 3");
  if (images.pixels.size() != size_t(images.count) * size_t(images.rows) * size_t(images.columns) * size_t(images.channels))
    broken("pixel buffer does not hold count x rows x columns x channels bytes");
  return 0;
}
