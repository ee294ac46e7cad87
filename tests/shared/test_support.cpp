#include "test_support.h"

#include <cmath>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

namespace test_support {

std::string data_path(const std::string& name) { return std::string(STYLEFORGE_TEST_DATA_DIR) + "/" + name; }
std::string output_path(const std::string& name) { return std::string(STYLEFORGE_TEST_OUTPUT_DIR) + "/" + name; }
std::string source_path(const std::string& name) { return std::string(STYLEFORGE_SOURCE_DIR) + "/" + name; }

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

std::string corpus_path(const std::string& target, const std::string& name) {
  return source_path("tests/fuzz/corpus/" + target + "/" + name);
}

std::vector<int64_t> corpus_numbers(const std::string& target, const std::string& name, const std::string& operation,
                                    size_t count) {
  std::ifstream file(corpus_path(target, name));
  INFO(corpus_path(target, name));
  REQUIRE(file.good());
  std::string word;
  file >> word;
  REQUIRE(word == operation);
  std::vector<int64_t> numbers;
  int64_t number = 0;
  while (file >> number) numbers.push_back(number);
  REQUIRE(file.eof());  // nothing but numbers after the operation
  REQUIRE(numbers.size() == count);
  return numbers;
}

const styleforge::Image& photo() {
  static const styleforge::Image image = [] {
    auto loaded = styleforge::load_image_file(data_path("mountain.jpg"));
    INFO(loaded.error);
    REQUIRE(loaded.ok());
    return loaded.value;
  }();
  return image;
}

styleforge::Image small_photo(int width, int height) {
  auto resized = styleforge::resize_image(photo(), width, height);
  INFO(resized.error);
  REQUIRE(resized.ok());
  return resized.value;
}

styleforge::Image pattern(int width, int height) {
  styleforge::Image image;
  image.width = width;
  image.height = height;
  image.rgba.resize(size_t(width) * size_t(height) * 4);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.rgba[(size_t(y) * size_t(width) + size_t(x)) * 4];
      p[0] = uint8_t(x * 7 + y * 3);
      p[1] = uint8_t(x * y + 11);
      p[2] = uint8_t(255 - x * 5);
      p[3] = uint8_t(y * 13 + x);
    }
  }
  return image;
}

namespace {
uint32_t crc32(const uint8_t* data, size_t size) {  // the PNG / zlib CRC, bit by bit
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}
}  // namespace

void append_png_chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
  put32(out, uint32_t(data.size()));
  std::vector<uint8_t> typed(type, type + 4);
  typed.insert(typed.end(), data.begin(), data.end());
  out.insert(out.end(), typed.begin(), typed.end());
  put32(out, crc32(typed.data(), typed.size()));
}

std::vector<uint8_t> png_header_only(uint32_t width, uint32_t height) {
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  std::vector<uint8_t> ihdr;
  put32(ihdr, width);
  put32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 6, 0, 0, 0});  // 8-bit, RGBA, deflate, adaptive filter, no interlace
  append_png_chunk(out, "IHDR", ihdr);
  append_png_chunk(out, "IEND", {});
  return out;
}

std::vector<uint8_t> zlib_zeros(size_t output_bytes) {
  // Deflate (RFC 1951), one final block with the fixed Huffman code: a literal 0, then matches of length 258 at
  // distance 1 (symbol 285, 8 bits 11000101; distance code 0, 5 bits), then end of block (symbol 256, 7 zero bits).
  // Huffman codes go most significant bit first into a stream that fills each byte from its lowest bit.
  std::vector<uint8_t> out = {0x78, 0x01};  // zlib header: deflate, 32K window, no dictionary
  uint32_t bits = 0;
  int count = 0;
  auto put = [&](uint32_t value, int n, bool huffman) {
    for (int i = 0; i < n; ++i) {
      const uint32_t bit = huffman ? (value >> (n - 1 - i)) & 1u : (value >> i) & 1u;
      bits |= bit << count;
      if (++count == 8) {
        out.push_back(uint8_t(bits));
        bits = 0;
        count = 0;
      }
    }
  };
  put(1, 1, false);           // BFINAL
  put(1, 2, false);           // BTYPE = fixed Huffman
  put(0x30, 8, true);         // literal 0
  size_t written = 1;
  for (; written + 258 <= output_bytes; written += 258) {
    put(0xC5, 8, true);       // length 258
    put(0, 5, true);          // distance 1
  }
  for (; written < output_bytes; ++written) put(0x30, 8, true);  // the rest as literal zeros: exact length
  put(0, 7, true);            // end of block
  if (count > 0) out.push_back(uint8_t(bits));
  out.insert(out.end(), 4, 0);  // Adler-32 (stb does not check it)
  return out;
}

std::vector<uint8_t> jpeg_header_only(uint16_t width, uint16_t height) {
  return {0xFF, 0xD8,                                   // SOI
          0xFF, 0xC0, 0x00, 0x11, 8,                    // SOF0, length 17, 8-bit samples
          uint8_t(height >> 8), uint8_t(height), uint8_t(width >> 8), uint8_t(width),
          3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0,        // three components, 1x1 sampling
          0xFF, 0xD9};                                  // EOI
}

float max_abs_difference(const styleforge::Tensor& a, const styleforge::Tensor& b) {
  REQUIRE(a.shape == b.shape);
  REQUIRE(a.data.size() == b.data.size());
  float worst = 0.0f;
  for (size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, std::fabs(a.data[i] - b.data[i]));
  return worst;
}

}  // namespace test_support
