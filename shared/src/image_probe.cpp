// PNG: 8-byte signature, then chunks (length, type, data, CRC); IHDR comes first and holds width and height;
// IEND closes the file. JPEG: SOI (FF D8), then marker segments; a SOFn segment holds height and width, SOS starts
// entropy-coded data, EOI (FF D9) ends it. A file whose IEND / EOI is missing was cut off.
//
// The JPEG walk follows the marker stream exactly as stb_image 2.27 (Debian 12) reads it, because stb trusts what
// it reads: a Huffman table with more than 256 codes makes it write past its tables, and a table it never received
// is read from uninitialised memory. Every DHT that stb would process must therefore be seen and checked here, and
// every table a scan uses must have been defined before it.
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
  bool seen_image_data = false;
  while (pos + 8 <= size) {
    const uint32_t length = be32(bytes + pos);
    if (length > 0x7FFFFFFFu) { probe.corrupt = "a PNG chunk is longer than the format allows"; return; }
    if (std::equal(bytes + pos + 4, bytes + pos + 8, "IDAT")) {
      // stb appends each IDAT to a buffer it grows only when the chunk has bytes: an empty first IDAT makes it
      // memcpy to a null buffer (undefined behaviour; issue 14 finding 7). No encoder writes one.
      if (!seen_image_data && length == 0) {
        probe.corrupt = "the PNG's first image data chunk (IDAT) is empty";
        return;
      }
      seen_image_data = true;
    }
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
// The frames stb decodes: baseline, extended and progressive Huffman. It refuses every other SOFn on sight.
bool is_stb_sof(uint8_t marker) { return marker >= 0xC0 && marker <= 0xC2; }
bool is_restart(uint8_t marker) { return marker >= 0xD0 && marker <= 0xD7; }

// What stb knows when it reaches a scan: which tables it has been given and what the frame header said.
struct JpegState {
  bool quant[4] = {};  // DQT ids defined so far
  bool dc[4] = {};     // DHT ids defined so far, DC class
  bool ac[4] = {};     // and AC class
  bool frame = false;  // a frame header stb decodes (SOF0..SOF2) was read
  bool progressive = false;
  int components = 0;
  uint8_t component_id[4] = {};
  uint8_t quant_id[4] = {};
  bool any_scan = false;
};

// Checks one DHT segment (without its marker and length) the way stb_image reads it, table after table, and
// records the tables it defines. stb 2.27 writes past its Huffman tables when a table's code counts add up to more
// than 256, so that is refused, as are code lengths that do not form a prefix code (stb's own "bad code lengths").
bool read_dht(const uint8_t* segment, size_t length, JpegState& state) {
  size_t pos = 0;
  while (pos < length) {
    if (pos + 17 > length) return false;
    const uint8_t table_class = segment[pos] >> 4, id = segment[pos] & 15;
    if (table_class > 1 || id > 3) return false;
    size_t symbols = 0;
    uint32_t code = 0;  // the next canonical code of the current length, as stbi__build_huffman assigns them
    for (size_t bits = 1; bits <= 16; ++bits) {
      const uint8_t count = segment[pos + bits];
      symbols += count;
      code += count;
      if (code > (1u << bits)) return false;  // more codes of this length than there are bit patterns left
      code <<= 1;
    }
    if (symbols > 256) return false;
    if (pos + 17 + symbols > length) return false;
    (table_class == 0 ? state.dc : state.ac)[id] = true;
    pos += 17 + symbols;
  }
  return pos == length;
}

// Checks one DQT segment as stb reads it (8- or 16-bit tables, ids 0..3) and records the tables it defines.
bool read_dqt(const uint8_t* segment, size_t length, JpegState& state) {
  size_t pos = 0;
  while (pos < length) {
    const uint8_t precision = segment[pos] >> 4, id = segment[pos] & 15;
    if (precision > 1 || id > 3) return false;
    const size_t table_bytes = 1 + 64 * (size_t(precision) + 1);
    if (pos + table_bytes > length) return false;
    state.quant[id] = true;
    pos += table_bytes;
  }
  return true;
}

// The frame's components and the quantisation table each uses, as stbi__process_frame_header reads them.
bool read_frame(uint8_t marker, const uint8_t* segment, size_t length, JpegState& state) {
  const int components = segment[5];
  if ((components != 1 && components != 3 && components != 4) || length != 6 + 3 * size_t(components)) return false;
  state.frame = true;
  state.progressive = marker == 0xC2;
  state.components = components;
  for (int i = 0; i < components; ++i) {
    state.component_id[i] = segment[6 + 3 * i];
    state.quant_id[i] = segment[8 + 3 * i];
    if (state.quant_id[i] > 3) return false;
  }
  return true;
}

// Checks a scan header (SOS segment) against the frame and the tables defined so far; empty when it is fine.
// Which Huffman tables a scan decodes with, per stbi__parse_entropy_coded_data: a baseline scan uses DC and AC;
// a progressive scan uses DC for a first DC pass (Ss = 0, Ah = 0), none for a DC refinement, AC otherwise.
std::string check_scan(const uint8_t* segment, size_t length, JpegState& state) {
  if (length < 1) return "a JPEG scan header is malformed";
  const size_t count = segment[0];
  if (count < 1 || count > 4 || length != 4 + 2 * count) return "a JPEG scan header is malformed";
  const uint8_t spectral_start = segment[1 + 2 * count], approximation_high = segment[3 + 2 * count] >> 4;
  const bool needs_dc = !state.progressive || (spectral_start == 0 && approximation_high == 0);
  const bool needs_ac = !state.progressive || spectral_start > 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t id = segment[1 + 2 * i], dc = segment[2 + 2 * i] >> 4, ac = segment[2 + 2 * i] & 15;
    const int which = int(std::find(state.component_id, state.component_id + state.components, id) -
                          state.component_id);  // stb takes the first component with this id
    if (which == state.components) return "a JPEG scan names a component its frame header does not have";
    if (dc > 3 || ac > 3) return "a JPEG scan header is malformed";
    if (!state.quant[state.quant_id[which]]) return "a JPEG scan uses a quantisation table that was never defined";
    if ((needs_dc && !state.dc[dc]) || (needs_ac && !state.ac[ac])) {
      return "a JPEG scan uses a Huffman table that was never defined";
    }
  }
  state.any_scan = true;
  return {};
}

// At EOI: stb turns what the scans decoded into pixels, and for a progressive frame dequantises every component
// there, so an image without scans, or a component whose table never came, would be made of uninitialised memory.
std::string check_end(const JpegState& state) {
  if (!state.frame) return {};  // a frame stb does not decode: it refuses the file at that SOF already
  if (!state.any_scan) return "the JPEG ends before its image data";
  for (int i = 0; i < state.components; ++i) {
    if (!state.quant[state.quant_id[i]]) return "the JPEG frame uses a quantisation table that was never defined";
  }
  return {};
}

// The end of the entropy-coded data that starts at `pos`: the index of the FF that begins the next marker, or `size`
// when the bytes run out first. Read as stbi__grow_buffer_unsafe reads it: an FF, any number of FF fill bytes, then
// 00 is one stuffed FF data byte and D0..D7 a restart marker, both inside the scan; any other byte is a marker.
// (When stb finishes a scan before that marker, it skips to the next FF and reads the byte after it as a marker;
// inside the data that is 00, FF or RSTn, each of which it refuses, so it never reads a segment this walk did not.)
size_t end_of_scan(const uint8_t* bytes, size_t size, size_t pos) {
  while (pos < size) {
    if (bytes[pos] != 0xFF) { ++pos; continue; }
    size_t next = pos + 1;
    while (next < size && bytes[next] == 0xFF) ++next;
    if (next >= size) return size;
    if (bytes[next] != 0x00 && !is_restart(bytes[next])) return pos;
    pos = next + 1;
  }
  return size;
}

void probe_jpeg(const uint8_t* bytes, size_t size, ImageProbe& probe) {
  JpegState state;
  size_t pos = 2;  // after SOI
  for (;;) {
    if (pos >= size) { probe.truncated = true; return; }
    if (bytes[pos] != 0xFF) { probe.corrupt = "a JPEG marker is missing where one must be"; return; }
    while (pos < size && bytes[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= size) { probe.truncated = true; return; }
    const uint8_t marker = bytes[pos++];
    if (marker == 0x01 || is_restart(marker)) continue;  // standalone markers
    if (marker == 0xD9) {  // EOI
      if (!probe.has_size) probe.corrupt = "the JPEG ends before its image data";
      else probe.corrupt = check_end(state);
      return;
    }
    if (marker == 0xD8) { probe.corrupt = "the JPEG restarts inside itself"; return; }
    if (pos + 2 > size) { probe.truncated = true; return; }
    const size_t length = be16(bytes + pos);  // includes its own two bytes
    if (length < 2) { probe.corrupt = "a JPEG segment has an impossible length"; return; }
    if (pos + length > size) { probe.truncated = true; return; }
    const uint8_t* segment = bytes + pos + 2;
    if (is_sof(marker) && !probe.has_size) {
      if (length < 8) { probe.corrupt = "the JPEG frame header is too short"; return; }
      probe.height = be16(bytes + pos + 3);
      probe.width = be16(bytes + pos + 5);
      probe.has_size = true;
      if (is_stb_sof(marker) && !read_frame(marker, segment, length - 2, state)) {
        probe.corrupt = "the JPEG frame header is malformed";
        return;
      }
    }
    if (marker == 0xC4 && !read_dht(segment, length - 2, state)) {
      probe.corrupt = "a JPEG Huffman table is malformed";
      return;
    }
    if (marker == 0xDB && !read_dqt(segment, length - 2, state)) {
      probe.corrupt = "a JPEG quantisation table is malformed";
      return;
    }
    pos += length;
    if (marker == 0xDA) {  // SOS: entropy-coded data follows the header
      if (!probe.has_size) { probe.corrupt = "the JPEG image data comes before its frame header"; return; }
      if (state.frame) {
        probe.corrupt = check_scan(segment, length - 2, state);
        if (!probe.corrupt.empty()) return;
      }
      pos = end_of_scan(bytes, size, pos);
    }
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
