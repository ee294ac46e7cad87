// Decode, encode, load, save and resize images. Decoding checks the header first (image_probe.cpp) so that a
// hostile or broken file is refused before stb allocates anything for its pixels.
#include "styleforge/image.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "image_probe.h"
#include "stb_allocation_cap.h"
#include "stb_config.h"
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

namespace styleforge {
namespace {

// Files larger than this are refused before they are read into memory: no PNG or JPEG within DecodeLimits needs it.
constexpr std::streamoff kMaxImageFileBytes = 256LL * 1024 * 1024;
// resize_image() refuses targets larger than the default decode limits; nothing in styleforge needs more.
const DecodeLimits kResizeLimits{};

std::string megapixels(int64_t pixels) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", double(pixels) / 1e6);
  return text;
}

std::string size_text(int64_t width, int64_t height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// Empty `error` when `image` is non-empty and its buffer matches its size.
std::string check_image(const Image& image) {
  if (image.empty()) return "the image is empty (" + size_text(image.width, image.height) + " pixels)";
  if (image.rgba.size() != size_t(image.width) * size_t(image.height) * 4) {
    return "the image buffer holds " + std::to_string(image.rgba.size()) + " bytes but " +
           size_text(image.width, image.height) + " RGBA pixels need " +
           std::to_string(size_t(image.width) * size_t(image.height) * 4);
  }
  return {};
}

// stb's write callback: appends to the std::vector<uint8_t> passed as context.
void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

std::string lower_extension(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

}  // namespace

Result<Image> decode_image(const uint8_t* bytes, size_t size, const DecodeLimits& limits) {
  using detail::ImageFormat;
  if (bytes == nullptr || size == 0) return Result<Image>::failure("image is empty (0 bytes): choose a PNG or JPEG file");
  const detail::ImageProbe probe = detail::probe_image(bytes, size);
  if (probe.format == ImageFormat::Unknown) {
    return Result<Image>::failure("not a PNG or JPEG image: open it in an image editor and export it as PNG or JPEG");
  }
  // Size problems first: the header said so, and resizing is the most useful advice even if more is broken.
  if (probe.has_size && (probe.width == 0 || probe.height == 0)) {
    return Result<Image>::failure("image header says " + size_text(probe.width, probe.height) +
                                  " pixels: an image needs at least 1x1; the file is damaged, export it again");
  }
  if (probe.has_size && (probe.width > limits.max_side || probe.height > limits.max_side ||
                         double(probe.width) * double(probe.height) > double(limits.max_pixels))) {
    return Result<Image>::failure("image is " + size_text(probe.width, probe.height) + " pixels; the limit is " +
                                  std::to_string(limits.max_side) + " per side and " +
                                  megapixels(limits.max_pixels) + " megapixels: resize it first");
  }
  if (!probe.corrupt.empty()) {
    return Result<Image>::failure("image file is corrupt (" + probe.corrupt + "): export it again as PNG or JPEG");
  }
  if (probe.truncated) {
    return Result<Image>::failure(
        "image file is truncated (it ends before the image data does): download or export it again");
  }
  if (size > size_t(INT_MAX)) {
    return Result<Image>::failure("image file is larger than 2 GB: save it with more compression or resize it");
  }
  // The largest buffer a legitimate file of this size needs: 16-bit RGBA rows with filter bytes, doubled because
  // stb grows its inflate buffer by doubling (interlaced PNGs exceed its first guess), plus room for small tables.
  const size_t padded_pixels = size_t(probe.width + 16) * size_t(probe.height + 16);
  detail::StbAllocationCap cap(2 * padded_pixels * 8 + (size_t(1) << 20));
  int width = 0, height = 0, channels_in_file = 0;
  stbi_uc* pixels = stbi_load_from_memory(bytes, int(size), &width, &height, &channels_in_file, 4);
  if (pixels == nullptr && cap.exceeded()) {
    return Result<Image>::failure("image data expands to far more than its " + size_text(probe.width, probe.height) +
                                  " pixels need: the file is corrupt or malicious; export it again as PNG or JPEG");
  }
  if (pixels == nullptr) {
    return Result<Image>::failure(std::string("image could not be decoded (") + stbi_failure_reason() +
                                  "): it is corrupt or an unsupported variant; export it again as PNG or JPEG");
  }
  Image image;
  image.width = width;
  image.height = height;
  image.rgba.assign(pixels, pixels + size_t(width) * size_t(height) * 4);
  stbi_image_free(pixels);
  return Result<Image>::success(std::move(image));
}

Result<Image> load_image_file(const std::string& path, const DecodeLimits& limits) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return Result<Image>::failure("cannot open " + path + " (" + std::strerror(errno) + "): check the path");
  }
  const std::streamoff size = file.tellg();
  if (size > kMaxImageFileBytes) {
    return Result<Image>::failure(path + ": the file is " + std::to_string(size / (1024 * 1024)) +
                                  " MB; image files over 256 MB are refused: resize it first");
  }
  std::vector<uint8_t> bytes(size_t(std::max<std::streamoff>(size, 0)));
  file.seekg(0);
  if (!bytes.empty() && !file.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()))) {
    return Result<Image>::failure("cannot read " + path + ": the read failed part way; check the disk and retry");
  }
  Result<Image> decoded = decode_image(bytes.data(), bytes.size(), limits);
  if (!decoded.ok()) decoded.error = path + ": " + decoded.error;
  return decoded;
}

Result<std::vector<uint8_t>> encode_png(const Image& image) {
  const std::string problem = check_image(image);
  if (!problem.empty()) return Result<std::vector<uint8_t>>::failure("cannot encode PNG: " + problem);
  std::vector<uint8_t> out;
  if (!stbi_write_png_to_func(append_bytes, &out, image.width, image.height, 4, image.rgba.data(), image.width * 4)) {
    return Result<std::vector<uint8_t>>::failure("cannot encode PNG: the encoder failed (out of memory?)");
  }
  return Result<std::vector<uint8_t>>::success(std::move(out));
}

Result<std::vector<uint8_t>> encode_jpeg(const Image& image, int quality) {
  const std::string problem = check_image(image);
  if (!problem.empty()) return Result<std::vector<uint8_t>>::failure("cannot encode JPEG: " + problem);
  if (quality < 1 || quality > 100) {
    return Result<std::vector<uint8_t>>::failure("cannot encode JPEG: quality " + std::to_string(quality) +
                                                 " is outside 1..100");
  }
  if (image.width > 65535 || image.height > 65535) {
    return Result<std::vector<uint8_t>>::failure("cannot encode JPEG: JPEG sides are limited to 65535 pixels");
  }
  std::vector<uint8_t> out;
  // stb's JPEG writer reads R, G, B of each 4-byte pixel and ignores alpha.
  // UBSan reports a left shift of a negative int on every encode: stbiw__jpg_writeBits keeps its bit buffer in an
  // int and keeps shifting it left by 8, past the sign bit (issue 14). Undefined before C++20, but every compiler
  // we build with (GCC, Clang, Emscripten) does the two's complement shift, and it only ever writes out bits 16..23,
  // so the bits shifted past the sign never matter. The header is Debian's: no local fix short of patching it.
  if (!stbi_write_jpg_to_func(append_bytes, &out, image.width, image.height, 4, image.rgba.data(), quality)) {
    return Result<std::vector<uint8_t>>::failure("cannot encode JPEG: the encoder failed (out of memory?)");
  }
  return Result<std::vector<uint8_t>>::success(std::move(out));
}

Status save_image_file(const std::string& path, const Image& image) {
  const std::string ext = lower_extension(path);
  Result<std::vector<uint8_t>> encoded;
  if (ext == ".png") {
    encoded = encode_png(image);
  } else if (ext == ".jpg" || ext == ".jpeg") {
    encoded = encode_jpeg(image);
  } else {
    return Status::failure("cannot save " + path + ": unknown extension \"" + ext + "\"; use .png, .jpg or .jpeg");
  }
  if (!encoded.ok()) return Status::failure("cannot save " + path + ": " + encoded.error);
  // Write next to the target and rename over it, so a reader never sees a half-written image.
  const std::string temporary = path + ".part";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Status::failure("cannot save " + path + ": cannot create " + temporary + " (" + std::strerror(errno) +
                             "): check that the folder exists and is writable");
    }
    file.write(reinterpret_cast<const char*>(encoded.value.data()), std::streamsize(encoded.value.size()));
    file.close();
    if (!file) {
      std::remove(temporary.c_str());
      return Status::failure("cannot save " + path + ": writing " + temporary + " failed: check free disk space");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return Status::failure("cannot save " + path + ": renaming the temporary file failed (" + reason + ")");
  }
  return Status::success();
}

Result<Image> resize_image(const Image& image, int width, int height) {
  const std::string problem = check_image(image);
  if (!problem.empty()) return Result<Image>::failure("cannot resize: " + problem);
  if (width <= 0 || height <= 0) {
    return Result<Image>::failure("cannot resize to " + size_text(width, height) + ": both sides must be at least 1");
  }
  if (width > kResizeLimits.max_side || height > kResizeLimits.max_side ||
      int64_t(width) * height > kResizeLimits.max_pixels) {
    return Result<Image>::failure("cannot resize to " + size_text(width, height) + ": the limit is " +
                                  std::to_string(kResizeLimits.max_side) + " per side and " +
                                  megapixels(kResizeLimits.max_pixels) + " megapixels");
  }
  // Pixel centres line up (half-pixel offset), so a 2x upscale and a 2x downscale are symmetric.
  struct Tap { int i0, i1; float f; };
  auto taps = [](int src, int dst) {
    std::vector<Tap> out(static_cast<size_t>(dst));
    const float ratio = float(src) / float(dst);
    for (int d = 0; d < dst; ++d) {
      const float s = std::clamp((float(d) + 0.5f) * ratio - 0.5f, 0.0f, float(src - 1));
      const int i0 = int(s);
      out[size_t(d)] = {i0, std::min(i0 + 1, src - 1), s - float(i0)};
    }
    return out;
  };
  const std::vector<Tap> xs = taps(image.width, width), ys = taps(image.height, height);
  Image out;
  out.width = width;
  out.height = height;
  out.rgba.resize(size_t(width) * size_t(height) * 4);
  const size_t stride = size_t(image.width) * 4;
  for (int y = 0; y < height; ++y) {
    const Tap& ty = ys[size_t(y)];
    const uint8_t* row0 = image.rgba.data() + size_t(ty.i0) * stride;
    const uint8_t* row1 = image.rgba.data() + size_t(ty.i1) * stride;
    uint8_t* dst = out.rgba.data() + size_t(y) * size_t(width) * 4;
    for (int x = 0; x < width; ++x) {
      const Tap& tx = xs[size_t(x)];
      for (int c = 0; c < 4; ++c) {
        const float top = row0[tx.i0 * 4 + c] + tx.f * float(row0[tx.i1 * 4 + c] - row0[tx.i0 * 4 + c]);
        const float bottom = row1[tx.i0 * 4 + c] + tx.f * float(row1[tx.i1 * 4 + c] - row1[tx.i0 * 4 + c]);
        const float v = top + ty.f * (bottom - top);
        dst[size_t(x) * 4 + size_t(c)] = uint8_t(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  }
  return Result<Image>::success(std::move(out));
}

namespace {
// Each output pixel the rounded mean of a 2x2 block (an odd last row or column is dropped).
Image halve(const Image& image) {
  Image out;
  out.width = image.width / 2;
  out.height = image.height / 2;
  out.rgba.resize(size_t(out.width) * size_t(out.height) * 4);
  const size_t stride = size_t(image.width) * 4;
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* top = image.rgba.data() + size_t(2 * y) * stride;
    const uint8_t* bottom = top + stride;
    uint8_t* dst = out.rgba.data() + size_t(y) * size_t(out.width) * 4;
    for (int x = 0; x < out.width; ++x)
      for (int c = 0; c < 4; ++c) {
        const size_t i = size_t(x) * 8 + size_t(c);
        dst[size_t(x) * 4 + size_t(c)] = uint8_t((top[i] + top[i + 4] + bottom[i] + bottom[i + 4] + 2) / 4);
      }
  }
  return out;
}
}  // namespace

Result<Image> scale_frame(const Image& frame, int width, int height, bool mirror) {
  const std::string problem = check_image(frame);
  if (!problem.empty()) return Result<Image>::failure("cannot scale the frame: " + problem);
  if (width <= 0 || height <= 0) return resize_image(frame, width, height);  // its message
  Image halved;
  const Image* source = &frame;
  while (source->width >= 2 * width && source->height >= 2 * height) {
    halved = halve(*source);
    source = &halved;
  }
  Result<Image> scaled = resize_image(*source, width, height);
  if (!scaled.ok() || !mirror) return scaled;
  Image& out = scaled.value;
  for (int y = 0; y < out.height; ++y) {
    uint8_t* row = out.rgba.data() + size_t(y) * size_t(out.width) * 4;
    for (int left = 0, right = out.width - 1; left < right; ++left, --right)
      std::swap_ranges(row + size_t(left) * 4, row + size_t(left) * 4 + 4, row + size_t(right) * 4);
  }
  return scaled;
}

Result<Image> upscale_nearest(const Image& image, int factor) {
  const std::string problem = check_image(image);
  if (!problem.empty()) return Result<Image>::failure("cannot enlarge: " + problem);
  if (factor < 1 || factor > 64)
    return Result<Image>::failure("cannot enlarge " + std::to_string(factor) + " times: use 1 to 64");
  Image out;
  out.width = image.width * factor;
  out.height = image.height * factor;
  out.rgba.resize(size_t(out.width) * size_t(out.height) * 4);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      std::copy_n(&image.rgba[(size_t(y / factor) * size_t(image.width) + size_t(x / factor)) * 4], 4,
                  &out.rgba[(size_t(y) * size_t(out.width) + size_t(x)) * 4]);
  return Result<Image>::success(std::move(out));
}

Image to_grey(const Image& image) {
  Image out = image;
  for (size_t i = 0; i + 3 < out.rgba.size(); i += 4) {
    const int luma = (299 * out.rgba[i] + 587 * out.rgba[i + 1] + 114 * out.rgba[i + 2] + 500) / 1000;
    out.rgba[i] = out.rgba[i + 1] = out.rgba[i + 2] = uint8_t(luma);
  }
  return out;
}

}  // namespace styleforge
