// The trainer's image folder (ImageFolder, trainer/src/data/image_folder.cpp) on a folder holding one file of any
// bytes, opened as .png and as .jpg, then sampled with random and centred crops. Seeds: tests/fuzz/corpus/image_decode.
//
// A refusal is fine (open fails when no file decodes). What must never happen: a memory error or UB (the
// composite, the shrink, the crop arithmetic), or a sample that is not an opaque image_size x image_size square.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "data/image_folder.h"
#include "fuzz_input_file.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_image_folder: %s\n", what);
  std::abort();
}

void check_sample(const styleforge::Image& image, int side) {
  if (image.width != side || image.height != side) broken("a sample that is not image_size x image_size");
  if (image.rgba.size() != size_t(side) * size_t(side) * 4) broken("a sample with an RGBA buffer of the wrong size");
  for (size_t i = 3; i < image.rgba.size(); i += 4)
    if (image.rgba[i] != 255) broken("a sample with transparent pixels (they are composited over white)");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using styleforge::trainer::ImageFolder;
  using styleforge::trainer::ImageFolderOptions;
  // The size and crop fraction come from the input's length, so small and odd sizes are both reached.
  ImageFolderOptions options;
  options.image_size = 1 + static_cast<int>(size % 37);
  options.min_crop = 0.3 + 0.1 * static_cast<double>(size % 8);
  options.limits = {2048, 1LL << 20};  // as the image_decode target: no input decodes for seconds
  for (const char* name : {"input.png", "input.jpg"}) {  // one at a time: the folder holds only this file
    const std::string path = fuzz_input_file::write(name, data, size);
    for (bool random_crop : {true, false}) {
      options.random_crop = random_crop;
      options.cache_bytes = random_crop ? 0 : (64ll << 20);  // both the decode-on-sample and the cached path
      auto folder = ImageFolder::open(fuzz_input_file::folder(), options);
      if (!folder.ok()) {
        if (folder.error.empty()) broken("a refusal without a message");
        continue;
      }
      if (folder.value.size() != 1) broken("the folder holds one file");
      std::mt19937_64 rng(size);
      for (int i = 0; i < 3; ++i) {
        auto sample = folder.value.sample(0, rng);
        if (!sample.ok()) broken("a file that opened could not be sampled (it did not change on disk)");
        check_sample(sample.value, options.image_size);
      }
    }
    std::remove(path.c_str());
  }
  return 0;
}
