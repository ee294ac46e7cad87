// PNG: 8-byte signature, then chunks (length, type, data, CRC); IHDR comes first and holds width and height;
// IEND closes the file. JPEG: SOI (FF D8), then marker segments; a SOFn segment holds height and width, SOS starts
// entropy-coded data (in which FF is followed by 00 or RSTn, so any other FF xx is the next marker), EOI (FF D9)
// ends it. A file whose IEND / EOI is missing was cut off.
#include "image_probe.h"

#include <algorithm>

namespace styleforge::detail {
namespace {

constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr uint8_t kJpegSignature[3] = {0xFF, 0xD8, 0xFF};

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
uint32_t be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | uint32_t(p[1]); }

// True when the first min(size, n) bytes equal `signature`.
bool starts_like(const uint8_t* bytes, size_t size, const uint8_t* signature, size_t n) {
  return std::equal(bytes, bytes + std::min(size, n), signature);
}

void probe_png(const uint8_t* bytes, size_t size, ImageProbe& probe) {
  // Signature (8) + IHDR length and type (8) + width and height (8).
  if (size < 16) { probe.truncated = true; return; }
  if (be32(bytes + 8) != 13 || !std::equal(bytes + 12, bytes + 16, "IHDR")) {
    probe.corrupt = "the PNG does not start with an IHDR chunk";
    return;
  }
  if (size < 24) { probe.truncated = true; return; }
  probe.width = be32(bytes + 16);
  probe.height = be32(bytes + 20);
  probe.has_size = true;
  // Walk the chunk list to IEND; lengths only, no data is read.
  uint64_t pos = 8;
  while (pos + 8 <= size) {
    const uint32_t length = be32(bytes + pos);
    if (length > 0x7FFFFFFFu) { probe.corrupt = "a PNG chunk is longer than the format allows"; return; }
    if (std::equal(bytes + pos + 4, bytes + pos + 8, "IEND")) {
      probe.truncated = pos + 12 > size;  // IEND's CRC is the last thing in a complete file
      return;
    }
    pos += 12 + uint64_t(length);  // length, type, data, CRC
  }
  probe.truncated = true;
}

bool is_sof(uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// stb_image 2.27 (Debian 12) writes past its Huffman tables when a DHT segment's code counts add up to more than
// 256, so every DHT is checked here first, including those between the scans of a progressive JPEG.
bool valid_dht(const uint8_t* segment, size_t length) {
  size_t pos = 0;
  while (pos < length) {
    if (pos + 17 > length) return false;
    size_t symbols = 0;
    for (size_t i = 1; i <= 16; ++i) symbols += segment[pos + i];
    if (symbols > 256) return false;
    pos += 17 + symbols;
  }
  return pos == length;
}

void probe_jpeg(const uint8_t* bytes, size_t size, ImageProbe& probe) {
  size_t pos = 2;           // after SOI
  bool in_scan = false;     // inside entropy-coded data, where only FF 00 (stuffing) and RSTn may appear
  for (;;) {
    if (in_scan) {
      while (pos + 1 < size &&
             !(bytes[pos] == 0xFF && bytes[pos + 1] != 0x00 && !(bytes[pos + 1] >= 0xD0 && bytes[pos + 1] <= 0xD7))) {
        ++pos;
      }
      if (pos + 1 >= size) { probe.truncated = true; return; }
      in_scan = false;
    }
    if (pos >= size) { probe.truncated = true; return; }
    if (bytes[pos] != 0xFF) { probe.corrupt = "a JPEG marker is missing where one must be"; return; }
    while (pos < size && bytes[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= size) { probe.truncated = true; return; }
    const uint8_t marker = bytes[pos++];
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // standalone markers
    if (marker == 0xD9) {  // EOI
      if (!probe.has_size) probe.corrupt = "the JPEG ends before its image data";
      return;
    }
    if (marker == 0xD8) { probe.corrupt = "the JPEG restarts inside itself"; return; }
    if (pos + 2 > size) { probe.truncated = true; return; }
    const size_t length = be16(bytes + pos);  // includes its own two bytes
    if (length < 2) { probe.corrupt = "a JPEG segment has an impossible length"; return; }
    if (pos + length > size) { probe.truncated = true; return; }
    if (is_sof(marker) && !probe.has_size) {
      if (length < 8) { probe.corrupt = "the JPEG frame header is too short"; return; }
      probe.height = be16(bytes + pos + 3);
      probe.width = be16(bytes + pos + 5);
      probe.has_size = true;
    }
    if (marker == 0xC4 && !valid_dht(bytes + pos + 2, length - 2)) {
      probe.corrupt = "a JPEG Huffman table is malformed";
      return;
    }
    if (marker == 0xDA) {  // SOS: entropy-coded data follows the header
      if (!probe.has_size) { probe.corrupt = "the JPEG image data comes before its frame header"; return; }
      in_scan = true;
    }
    pos += length;
  }
}

}  // namespace

ImageProbe probe_image(const uint8_t* bytes, size_t size) {
  ImageProbe probe;
  if (bytes == nullptr || size == 0) return probe;
  if (starts_like(bytes, size, kPngSignature, sizeof kPngSignature)) {
    probe.format = ImageFormat::Png;
    if (size < sizeof kPngSignature) probe.truncated = true;
    else probe_png(bytes, size, probe);
  } else if (starts_like(bytes, size, kJpegSignature, sizeof kJpegSignature)) {
    probe.format = ImageFormat::Jpeg;
    if (size < sizeof kJpegSignature) probe.truncated = true;
    else probe_jpeg(bytes, size, probe);
  }
  return probe;
}

}  // namespace styleforge::detail
