// Image decode/encode (PNG, JPEG through stb) with hard limits checked before any large allocation.
// Every image in shared/ is 8-bit RGBA, interleaved, rows top to bottom, no padding between rows.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace styleforge {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // width * height * 4 bytes
  bool empty() const { return width <= 0 || height <= 0; }
};

// Limits a decoder enforces from the header alone, so a hostile file cannot make us allocate gigabytes.
// The defaults admit a 48-megapixel photo (8000x6000) and refuse anything with a side over 16384.
struct DecodeLimits {
  int max_side = 16384;
  int64_t max_pixels = 8000LL * 6000LL;
};

// Decodes PNG or JPEG bytes. Refuses, with a message naming the reason: empty input, bytes that are no
// PNG/JPEG, a header whose size breaks `limits`, a zero-size image, and a truncated or corrupt file.
// The size is read from the header (PNG IHDR, JPEG SOFn) before stb allocates anything, and stb's allocations are
// capped by that size, so neither a huge header nor data that inflates past it can take gigabytes. Messages:
//   "image is empty (0 bytes): choose a PNG or JPEG file"
//   "not a PNG or JPEG image: open it in an image editor and export it as PNG or JPEG"
//   "image is 50000x50000 pixels; the limit is 16384 per side and 48 megapixels: resize it first"
//   "image header says 0x16 pixels: an image needs at least 1x1; the file is damaged, export it again"
//   "image file is truncated (it ends before the image data does): download or export it again"
//   "image file is corrupt (<what is broken>): export it again as PNG or JPEG"
//   "image data expands to far more than its WxH pixels need: the file is corrupt or malicious; export it again
//    as PNG or JPEG"
//   "image could not be decoded (<stb's reason>): it is corrupt or an unsupported variant; export it again as
//    PNG or JPEG"
// load_image_file() prefixes them with the path and a colon.
Result<Image> decode_image(const uint8_t* bytes, size_t size, const DecodeLimits& limits = {});
Result<Image> load_image_file(const std::string& path, const DecodeLimits& limits = {});

// Encoders return the whole file in memory. JPEG drops alpha; quality is 1..100.
Result<std::vector<uint8_t>> encode_png(const Image& image);
Result<std::vector<uint8_t>> encode_jpeg(const Image& image, int quality = 92);
// Picks the format from the extension (.png, .jpg, .jpeg) and writes atomically (temporary file, then rename).
Status save_image_file(const std::string& path, const Image& image);

// Bilinear resize (used for previews, thumbnails and training crops). Refuses non-positive sizes.
Result<Image> resize_image(const Image& image, int width, int height);
// A camera frame to the size a model runs at: halved by 2x2 averages while it is at least twice the target on both
// sides (so a 1280x720 frame scaled to 320x180 averages every pixel instead of skipping three in four, as a plain
// bilinear would), then bilinear to the exact size; `mirror` flips it left-right (a front camera shown as a mirror
// shows a face). Refuses what resize_image refuses.
Result<Image> scale_frame(const Image& frame, int width, int height, bool mirror);
// Each pixel repeated into a factor x factor block: a small generated picture enlarged with its pixels crisp (what
// the app saves as PNG). Refuses factors outside 1..64.
Result<Image> upscale_nearest(const Image& image, int factor);
// Grey as a person sees it (Rec. 601 luma: 0.299 R + 0.587 G + 0.114 B), in R, G and B; alpha kept.
Image to_grey(const Image& image);

}  // namespace styleforge
