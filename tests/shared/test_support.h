// Helpers shared by the shared-layer tests: fixture paths, file bytes, synthetic images and crafted file headers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/image.h"
#include "styleforge/tensor.h"

namespace test_support {

std::string data_path(const std::string& name);    // tests/shared/data/<name>
std::string output_path(const std::string& name);  // the test build folder, for files the tests write
std::string source_path(const std::string& name);  // the repository root
std::vector<uint8_t> read_bytes(const std::string& path);
// A fuzz regression input: tests/fuzz/corpus/<target>/<name>.
std::string corpus_path(const std::string& target, const std::string& name);
// A text corpus input "<operation> n1 n2 ..." (tests/fuzz/corpus/README.md): checks its operation and count of
// numbers and returns the numbers.
std::vector<int64_t> corpus_numbers(const std::string& target, const std::string& name, const std::string& operation,
                                    size_t count);

// The fixture photo (tests/shared/data/mountain.jpg), decoded; fails the test if it cannot be read.
const styleforge::Image& photo();
// The photo resized to width x height (bilinear), for small fast cases.
styleforge::Image small_photo(int width, int height);
// A deterministic colourful RGBA test pattern with varying alpha.
styleforge::Image pattern(int width, int height);

// A PNG holding only IHDR (8-bit RGBA, with the given size) and IEND, CRCs included: a valid header with no pixels.
std::vector<uint8_t> png_header_only(uint32_t width, uint32_t height);
// A JPEG holding SOI, a baseline frame header (SOF0) with the given size, and EOI.
std::vector<uint8_t> jpeg_header_only(uint16_t width, uint16_t height);
// A zlib stream (fixed-Huffman deflate) that inflates to exactly `output_bytes` (>= 1) zero bytes from a tiny input.
std::vector<uint8_t> zlib_zeros(size_t output_bytes);
// A PNG chunk: length, type, data, CRC.
void append_png_chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data);

float max_abs_difference(const styleforge::Tensor& a, const styleforge::Tensor& b);

}  // namespace test_support
