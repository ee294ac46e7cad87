// Reader for the idx image and label files of MNIST / Fashion-MNIST (e.g. Debian dataset-fashion-mnist,
// /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz). Plain or gzip-compressed (zlib reads both).
// Format: big-endian uint32 magic 0x00000803 (unsigned byte, 3 dimensions), then count, rows, columns, then
// count*rows*columns bytes, row-major. Colour images (scripts/emoji-data) have a 4th dimension of 3: magic
// 0x00000804, count, rows, columns, 3, the channels interleaved (R, G, B of a pixel together).
// Every check names the file: magic, dimension sizes, truncated data.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct IdxImages {
  int64_t count = 0;
  int rows = 0, columns = 0;
  int channels = 1;             // 1 (grey) or 3 (RGB, interleaved)
  std::vector<uint8_t> pixels;  // count * rows * columns * channels, 0 = background (grey files)
};

// Refuses more than `max_count` images or sides over 4096 (a corrupt header must not make us allocate gigabytes).
Result<IdxImages> read_idx_images(const std::string& path, int64_t max_count = 1000000);

// The labels file beside it (magic 0x00000801: uint8, 1 dimension), e.g. train-labels-idx1-ubyte.gz: one class
// number per image, in the images' order. Refuses more than `max_count` labels.
Result<std::vector<uint8_t>> read_idx_labels(const std::string& path, int64_t max_count = 1000000);

}  // namespace styleforge::trainer
