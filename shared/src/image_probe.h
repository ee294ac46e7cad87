// Reads just enough of a PNG or JPEG to know its format, its size and whether the file is complete, without
// decoding pixels. decode_image() uses it to refuse oversized, zero-size and truncated files before stb allocates.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace styleforge::detail {

enum class ImageFormat { Unknown, Png, Jpeg };

struct ImageProbe {
  ImageFormat format = ImageFormat::Unknown;
  bool has_size = false;    // width/height were read from the header
  int64_t width = 0;        // as the header says (PNG allows up to 2^31 - 1)
  int64_t height = 0;
  bool truncated = false;   // the bytes end before the image does
  std::string corrupt;      // non-empty: the structure is broken in the way this says
};

// Never reads outside [bytes, bytes + size).
ImageProbe probe_image(const uint8_t* bytes, size_t size);

}  // namespace styleforge::detail
