// [image] decode limits and errors, PNG/JPEG round trips, files, resize, and a truncation fuzz loop.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <catch2/catch.hpp>

#include "styleforge/image.h"
#include "test_support.h"

using namespace styleforge;
using test_support::data_path;
using test_support::output_path;

namespace {

Result<Image> decode(const std::vector<uint8_t>& bytes, const DecodeLimits& limits = {}) {
  return decode_image(bytes.data(), bytes.size(), limits);
}

double mean_abs_rgb_difference(const Image& a, const Image& b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.rgba.size(); i += 4) {
    for (size_t c = 0; c < 3; ++c) sum += std::abs(int(a.rgba[i + c]) - int(b.rgba[i + c]));
  }
  return sum / double(a.rgba.size() / 4 * 3);
}

const char* const kTruncated =
    "image file is truncated (it ends before the image data does): download or export it again";

}  // namespace

TEST_CASE("decode_image reads the fixture photo (a real libjpeg JPEG)", "[image]") {
  const Image& image = test_support::photo();
  CHECK(image.width > 100);
  CHECK(image.height > 50);
  CHECK(image.rgba.size() == size_t(image.width) * size_t(image.height) * 4);
  CHECK(image.rgba[3] == 255);  // JPEG has no alpha: decoded opaque
}

TEST_CASE("PNG round trip is lossless, alpha included", "[image]") {
  for (const Image& original : {test_support::pattern(37, 23), test_support::small_photo(64, 41)}) {
    auto encoded = encode_png(original);
    REQUIRE(encoded.ok());
    auto decoded = decode(encoded.value);
    INFO(decoded.error);
    REQUIRE(decoded.ok());
    CHECK(decoded.value.width == original.width);
    CHECK(decoded.value.height == original.height);
    CHECK(decoded.value.rgba == original.rgba);
  }
}

TEST_CASE("JPEG round trip stays within tolerance and drops alpha", "[image]") {
  const Image original = test_support::small_photo(96, 64);
  auto encoded = encode_jpeg(original, 92);
  REQUIRE(encoded.ok());
  auto decoded = decode(encoded.value);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.value.width == 96);
  REQUIRE(decoded.value.height == 64);
  CHECK(mean_abs_rgb_difference(original, decoded.value) < 3.0);
  // Lower quality: smaller file, larger error, but still the same picture.
  auto rough = encode_jpeg(original, 20);
  REQUIRE(rough.ok());
  CHECK(rough.value.size() < encoded.value.size());
  auto rough_decoded = decode(rough.value);
  REQUIRE(rough_decoded.ok());
  CHECK(mean_abs_rgb_difference(original, rough_decoded.value) < 12.0);
  CHECK(mean_abs_rgb_difference(original, rough_decoded.value) > mean_abs_rgb_difference(original, decoded.value));
  const Image with_alpha = test_support::pattern(8, 8);
  auto alpha_decoded = decode(encode_jpeg(with_alpha).value);
  REQUIRE(alpha_decoded.ok());
  for (size_t i = 3; i < alpha_decoded.value.rgba.size(); i += 4) REQUIRE(alpha_decoded.value.rgba[i] == 255);
}

TEST_CASE("decode_image refuses empty input", "[image]") {
  const char* expected = "image is empty (0 bytes): choose a PNG or JPEG file";
  CHECK(decode_image(nullptr, 0).error == expected);
  const uint8_t byte = 0x89;
  CHECK(decode_image(&byte, 0).error == expected);
}

TEST_CASE("decode_image refuses bytes that are no PNG or JPEG", "[image]") {
  const std::string text = "Hello, I am a text file pretending to be a picture.\n";
  auto result = decode_image(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  CHECK(result.error == "not a PNG or JPEG image: open it in an image editor and export it as PNG or JPEG");
  const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};
  CHECK(decode(gif).error == result.error);
}

TEST_CASE("decode_image refuses oversized headers before decoding", "[image]") {
  const char* expected = "image is 50000x50000 pixels; the limit is 16384 per side and 48 megapixels: resize it first";
  CHECK(decode(test_support::png_header_only(50000, 50000)).error == expected);
  CHECK(decode(test_support::jpeg_header_only(50000, 50000)).error == expected);
  // Within the side limit but over the pixel budget.
  CHECK(decode(test_support::png_header_only(10000, 10000)).error ==
        "image is 10000x10000 pixels; the limit is 16384 per side and 48 megapixels: resize it first");
  // The largest PNG header value.
  CHECK(decode(test_support::png_header_only(0xFFFFFFFFu, 1)).error ==
        "image is 4294967295x1 pixels; the limit is 16384 per side and 48 megapixels: resize it first");
  // Caller-chosen limits, e.g. a thumbnail decoder.
  DecodeLimits limits;
  limits.max_side = 64;
  limits.max_pixels = 1500000;
  auto encoded = encode_png(test_support::pattern(65, 10));
  CHECK(decode(encoded.value, limits).error ==
        "image is 65x10 pixels; the limit is 64 per side and 1.5 megapixels: resize it first");
  CHECK(decode(encode_png(test_support::pattern(64, 10)).value, limits).ok());
}

TEST_CASE("decode_image refuses zero-size images", "[image]") {
  CHECK(decode(test_support::png_header_only(0, 16)).error ==
        "image header says 0x16 pixels: an image needs at least 1x1; the file is damaged, export it again");
  CHECK(decode(test_support::jpeg_header_only(16, 0)).error ==
        "image header says 16x0 pixels: an image needs at least 1x1; the file is damaged, export it again");
}

TEST_CASE("decode_image refuses truncated files", "[image]") {
  const std::vector<uint8_t> jpeg = test_support::read_bytes(data_path("mountain.jpg"));
  const std::vector<uint8_t> png = encode_png(test_support::small_photo(40, 30)).value;
  for (const auto* file : {&jpeg, &png}) {
    const std::vector<uint8_t> half(file->begin(), file->begin() + long(file->size() / 2));
    CHECK(decode(half).error == kTruncated);
    const std::vector<uint8_t> no_end(file->begin(), file->end() - 2);  // JPEG's EOI or PNG's CRC bytes cut
    CHECK(decode(no_end).error == kTruncated);
    const std::vector<uint8_t> signature_only(file->begin(), file->begin() + 3);
    CHECK(decode(signature_only).error == kTruncated);
  }
}

TEST_CASE("decode_image refuses corrupt files with the reason", "[image]") {
  std::vector<uint8_t> no_ihdr = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  test_support::append_png_chunk(no_ihdr, "IDAT", {1, 2, 3});
  test_support::append_png_chunk(no_ihdr, "IEND", {});
  CHECK(decode(no_ihdr).error ==
        "image file is corrupt (the PNG does not start with an IHDR chunk): export it again as PNG or JPEG");

  // A valid header whose pixel data is not deflate data: only the real decoder can notice.
  std::vector<uint8_t> bad_data = test_support::png_header_only(4, 4);
  bad_data.resize(bad_data.size() - 12);  // drop IEND
  test_support::append_png_chunk(bad_data, "IDAT", {0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x11});
  test_support::append_png_chunk(bad_data, "IEND", {});
  CHECK(decode(bad_data).error ==
        "image could not be decoded (bad zlib header): it is corrupt or an unsupported variant; export it again as "
        "PNG or JPEG");

  // A Huffman table claiming 16 x 255 codes (at most 256 exist): stb 2.27 would write past its tables.
  const std::vector<uint8_t> bad_dht_segment = {0xFF, 0xC4, 0x00, 0x13, 0x00, 255, 255, 255, 255, 255, 255, 255, 255,
                                                255,  255,  255,  255,  255,  255, 255, 255};
  std::vector<uint8_t> bad_dht = test_support::jpeg_header_only(8, 8);
  bad_dht.insert(bad_dht.end() - 2, bad_dht_segment.begin(), bad_dht_segment.end());
  const char* bad_table = "image file is corrupt (a JPEG Huffman table is malformed): export it again as PNG or JPEG";
  CHECK(decode(bad_dht).error == bad_table);
  // The same table after a scan, as between the scans of a progressive JPEG: found by walking the entropy-coded
  // data (a real file, so that its scan has the tables it needs).
  std::vector<uint8_t> late_dht = encode_jpeg(test_support::pattern(8, 8)).value;
  late_dht.resize(late_dht.size() - 2);  // drop EOI
  late_dht.insert(late_dht.end(), {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56});  // more data: stuffing, a restart
  late_dht.insert(late_dht.end(), bad_dht_segment.begin(), bad_dht_segment.end());
  late_dht.insert(late_dht.end(), {0xFF, 0xD9});
  CHECK(decode(late_dht).error == bad_table);
  // Code counts that add up to 256 or less but are no prefix code (three 1-bit codes).
  std::vector<uint8_t> bad_lengths = test_support::jpeg_header_only(8, 8);
  bad_lengths.insert(bad_lengths.end() - 2, {0xFF, 0xC4, 0x00, 0x16, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 1, 2, 3});
  CHECK(decode(bad_lengths).error == bad_table);

  const std::vector<uint8_t> jpeg_garbage = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34};
  CHECK(decode(jpeg_garbage).error ==
        "image file is corrupt (a JPEG marker is missing where one must be): export it again as PNG or JPEG");
}

// Issue 14's fuzz findings, kept as files in tests/fuzz/corpus/image_decode (made by make_jpeg_regressions.py there).
TEST_CASE("decode_image refuses the JPEGs an outside fuzz run got past the probe", "[image]") {
  auto corpus = [](const std::string& name) {
    return test_support::read_bytes(test_support::corpus_path("image_decode", name));
  };
  auto corrupt = [](const std::string& reason) {
    return "image file is corrupt (" + reason + "): export it again as PNG or JPEG";
  };
  // FF FF 00 in a scan is a fill byte and a stuffed FF to stb; the probe once read a marker 00 there and skipped
  // the bytes after it, which held a DHT with 2040 codes that stb's Huffman builder wrote past its tables with.
  CHECK(decode(corpus("jpeg_ff_ff_00_hidden_dht.jpg")).error == corrupt("a JPEG Huffman table is malformed"));
  // Scans and frames whose tables never came: stb would decode them from uninitialised memory.
  const std::string no_quant = corrupt("a JPEG scan uses a quantisation table that was never defined");
  CHECK(decode(corpus("jpeg_progressive_no_tables.jpg")).error == no_quant);
  CHECK(decode(corpus("jpeg_baseline_no_tables.jpg")).error == no_quant);
  CHECK(decode(corpus("jpeg_baseline_no_dqt.jpg")).error == no_quant);
  CHECK(decode(corpus("jpeg_frame_without_scan.jpg")).error == corrupt("the JPEG ends before its image data"));
  // With the quantisation table but no Huffman tables.
  std::vector<uint8_t> no_huffman = corpus("jpeg_minimal_valid.jpg");
  const std::vector<uint8_t> dht = {0xFF, 0xC4};
  while (true) {  // cut both DHT segments (each 2 + 20 bytes) out of the file
    const auto at = std::search(no_huffman.begin(), no_huffman.end(), dht.begin(), dht.end());
    if (at == no_huffman.end()) break;
    no_huffman.erase(at, at + 22);
  }
  CHECK(decode(no_huffman).error == corrupt("a JPEG scan uses a Huffman table that was never defined"));

  // The controls decode: minimal files with every table, FF FF 00 as data, and a libjpeg progressive file with
  // restart markers, a DHT before each scan and DC refinement scans that name no table they use.
  for (const char* name : {"jpeg_minimal_valid.jpg", "jpeg_ff_ff_00_in_scan_valid.jpg"}) {
    auto decoded = decode(corpus(name));
    INFO(name << ": " << decoded.error);
    REQUIRE(decoded.ok());
    CHECK(decoded.value.width == 8);
    CHECK(decoded.value.rgba[0] == 128);  // all coefficients 0: mid grey
  }
  auto progressive = decode(corpus("jpeg_progressive_restarts_libjpeg.jpg"));
  INFO(progressive.error);
  REQUIRE(progressive.ok());
  CHECK(progressive.value.width == 48);
  CHECK(progressive.value.height == 40);
}

// Issue 14 finding 7 (the repo's own 1-hour fuzz run): stb grows its IDAT buffer only for a chunk with bytes, so an
// empty first IDAT made it memcpy to a null pointer. The fuzzer's input is kept in the corpus.
TEST_CASE("decode_image refuses a PNG whose first IDAT chunk is empty", "[image]") {
  const std::string refused =
      "image file is corrupt (the PNG's first image data chunk (IDAT) is empty): export it again as PNG or JPEG";
  CHECK(decode(test_support::read_bytes(test_support::corpus_path("image_decode", "png_empty_first_idat.png")))
            .error == refused);
  auto png_with_idats = [](const std::vector<std::vector<uint8_t>>& idats) {
    std::vector<uint8_t> png = test_support::png_header_only(16, 16);
    png.resize(png.size() - 12);  // drop IEND
    for (const auto& data : idats) test_support::append_png_chunk(png, "IDAT", data);
    test_support::append_png_chunk(png, "IEND", {});
    return png;
  };
  const std::vector<uint8_t> pixels = test_support::zlib_zeros(16 * 65);
  CHECK(decode(png_with_idats({{}, pixels})).error == refused);
  // An empty IDAT after one with bytes is harmless to stb and legal PNG: it still decodes.
  auto decoded = decode(png_with_idats({pixels, {}}));
  INFO(decoded.error);
  REQUIRE(decoded.ok());
  CHECK(decoded.value.width == 16);
}

TEST_CASE("decode_image returns zeros, not stale memory, where a JPEG scan stopped early", "[image]") {
  const std::vector<uint8_t> file = test_support::read_bytes(
      test_support::corpus_path("image_decode", "jpeg_restart_stops_scan_early.jpg"));
  // Leave freed blocks full of 0xAB where stb's small buffers (its 16x8 plane needs 16 * 8 + 15 bytes) will come
  // from, so that a decoder reading memory it never wrote would show it.
  static void* volatile escaped;  // the blocks escape through it, so the compiler cannot drop the writes
  for (size_t bytes : {143, 128, 256}) {
    escaped = std::malloc(bytes);
    std::memset(escaped, 0xAB, bytes);
    std::free(escaped);
  }
  auto decoded = decode(file);
  INFO(decoded.error);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.value.width == 16);
  // Row 3 (the allocator reuses the first 16 bytes of a freed block for itself). The first block was decoded (all
  // coefficients 0: mid grey), the second never was: zeros, not 0xAB.
  CHECK(decoded.value.rgba[(3 * 16 + 4) * 4] == 128);
  CHECK(decoded.value.rgba[(3 * 16 + 12) * 4] == 0);
}

TEST_CASE("decode_image refuses pixel data that inflates far beyond the header's size", "[image]") {
  // A 16x16 RGBA PNG needs 16 * (1 + 64) = 1040 bytes of inflated data; this one inflates to 8 MB of zeros.
  std::vector<uint8_t> bomb = test_support::png_header_only(16, 16);
  bomb.resize(bomb.size() - 12);  // drop IEND
  test_support::append_png_chunk(bomb, "IDAT", test_support::zlib_zeros(8u << 20));
  test_support::append_png_chunk(bomb, "IEND", {});
  CHECK(bomb.size() < 64 * 1024);
  CHECK(decode(bomb).error ==
        "image data expands to far more than its 16x16 pixels need: the file is corrupt or malicious; export it again "
        "as PNG or JPEG");
  // The same construction with exactly the right amount of data decodes: the cap only stops excess.
  std::vector<uint8_t> honest = test_support::png_header_only(16, 16);
  honest.resize(honest.size() - 12);
  test_support::append_png_chunk(honest, "IDAT", test_support::zlib_zeros(16 * 65));
  test_support::append_png_chunk(honest, "IEND", {});
  auto decoded = decode(honest);
  INFO(decoded.error);
  REQUIRE(decoded.ok());
  CHECK(decoded.value.width == 16);
  CHECK(decoded.value.rgba == std::vector<uint8_t>(16 * 16 * 4, 0));
}

TEST_CASE("decode_image survives every truncation of a PNG and a JPEG", "[image]") {
  const Image small = test_support::small_photo(48, 32);
  const std::vector<std::vector<uint8_t>> files = {
      encode_png(small).value, encode_jpeg(small, 80).value,
      test_support::read_bytes(data_path("mountain.jpg"))};  // libjpeg's output, larger: coarser steps
  for (const auto& file : files) {
    const size_t step = file.size() > 8000 ? 61 : 3;
    int refused = 0;
    for (size_t length = 0; length < file.size(); length += step) {
      auto result = decode_image(file.data(), length);
      if (result.ok()) {
        REQUIRE(result.value.rgba.size() == size_t(result.value.width) * size_t(result.value.height) * 4);
      } else {
        REQUIRE(!result.error.empty());
        ++refused;
      }
    }
    CHECK(refused > 0);
    // Flipping bytes in the middle must not crash either.
    std::vector<uint8_t> damaged = file;
    for (size_t i = 20; i < damaged.size(); i += 97) damaged[i] ^= 0x5A;
    auto result = decode(damaged);
    CHECK((result.ok() || !result.error.empty()));
  }
}

TEST_CASE("encoders refuse bad input", "[image]") {
  Image empty;
  CHECK(encode_png(empty).error == "cannot encode PNG: the image is empty (0x0 pixels)");
  Image short_buffer = test_support::pattern(4, 4);
  short_buffer.rgba.resize(10);
  CHECK(encode_jpeg(short_buffer).error ==
        "cannot encode JPEG: the image buffer holds 10 bytes but 4x4 RGBA pixels need 64");
  const Image ok = test_support::pattern(4, 4);
  CHECK(encode_jpeg(ok, 0).error == "cannot encode JPEG: quality 0 is outside 1..100");
  CHECK(encode_jpeg(ok, 101).error == "cannot encode JPEG: quality 101 is outside 1..100");
  CHECK(encode_jpeg(ok, 1).ok());
  CHECK(encode_jpeg(ok, 100).ok());
}

TEST_CASE("load_image_file and save_image_file", "[image]") {
  CHECK(load_image_file("/nonexistent-folder/photo.png").error ==
        "cannot open /nonexistent-folder/photo.png (No such file or directory): check the path");
  const std::string text_file = output_path("not-an-image.png");
  { std::ofstream(text_file) << "plain text"; }
  CHECK(load_image_file(text_file).error ==
        text_file + ": not a PNG or JPEG image: open it in an image editor and export it as PNG or JPEG");

  const Image original = test_support::pattern(33, 17);
  const std::string png = output_path("saved.png");
  std::remove(png.c_str());
  REQUIRE(save_image_file(png, original).ok());
  auto loaded = load_image_file(png);
  REQUIRE(loaded.ok());
  CHECK(loaded.value.rgba == original.rgba);
  CHECK(!std::ifstream(png + ".part").good());  // the temporary was renamed, not left behind
  // Overwriting works too (rename over an existing file).
  REQUIRE(save_image_file(png, test_support::pattern(5, 5)).ok());
  CHECK(load_image_file(png).value.width == 5);

  const std::string jpeg = output_path("saved.JPEG");
  REQUIRE(save_image_file(jpeg, original).ok());
  auto loaded_jpeg = load_image_file(jpeg);
  REQUIRE(loaded_jpeg.ok());
  CHECK(loaded_jpeg.value.width == 33);

  CHECK(save_image_file(output_path("x.bmp"), original).error ==
        "cannot save " + output_path("x.bmp") + ": unknown extension \".bmp\"; use .png, .jpg or .jpeg");
  CHECK(save_image_file("/nonexistent-folder/x.png", original).error ==
        "cannot save /nonexistent-folder/x.png: cannot create /nonexistent-folder/x.png.part (No such file or "
        "directory): check that the folder exists and is writable");
  CHECK(save_image_file(png, Image{}).error == "cannot save " + png + ": cannot encode PNG: the image is empty (0x0 pixels)");
}

TEST_CASE("scale_frame averages every camera pixel, then mirrors", "[image]") {
  // Vertical stripes white, black, black, white, ... (period 4): a 2x or 4x downscale that averages sees mid grey;
  // a plain bilinear from a 4x larger frame reads columns 1 and 2 of each 4 only: black.
  auto stripes = [](int width, int height, int period, int shift) {
    Image image;
    image.width = width;
    image.height = height;
    image.rgba.resize(size_t(width) * height * 4, 255);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        for (int c = 0; c < 3; ++c) image.rgba[(size_t(y) * width + x) * 4 + c] = ((x + shift) / period) % 2 ? 0 : 255;
    return image;
  };
  REQUIRE(resize_image(stripes(320, 240, 2, 1), 80, 60).value.rgba[0] == 0);  // what averaging must avoid
  for (int factor : {2, 4}) {
    auto scaled = scale_frame(stripes(80 * factor, 60 * factor, 2, 1), 80, 60, false);
    INFO("downscaled " << factor << "x: " << scaled.error);
    REQUIRE(scaled.ok());
    int lowest = 255, highest = 0;
    for (size_t i = 0; i < scaled.value.rgba.size(); i += 4) {
      lowest = std::min(lowest, int(scaled.value.rgba[i]));
      highest = std::max(highest, int(scaled.value.rgba[i]));
    }
    CHECK(lowest >= 126);
    CHECK(highest <= 129);
  }
  // Wide stripes survive, and mirror reverses each row exactly.
  const Image wide = stripes(160, 120, 16, 0);
  auto plain = scale_frame(wide, 80, 60, false), mirrored = scale_frame(wide, 80, 60, true);
  REQUIRE(plain.ok());
  REQUIRE(mirrored.ok());
  CHECK(int(plain.value.rgba[0]) == 255);
  CHECK(int(plain.value.rgba[12 * 4]) == 0);  // source x 24..25: the second stripe
  for (int y : {0, 59})
    for (int x : {0, 13, 79})
      for (int c = 0; c < 4; ++c)
        CHECK(mirrored.value.rgba[(size_t(y) * 80 + x) * 4 + c] == plain.value.rgba[(size_t(y) * 80 + 79 - x) * 4 + c]);
  // The frame's own size comes back unchanged; a bad size is refused with resize_image's message.
  const Image& photo = test_support::photo();
  auto same = scale_frame(photo, photo.width, photo.height, false);
  REQUIRE(same.ok());
  CHECK(same.value.rgba == photo.rgba);
  CHECK(scale_frame(photo, 0, 10, false).error == resize_image(photo, 0, 10).error);
}

TEST_CASE("resize_image is bilinear with aligned pixel centres", "[image]") {
  Image ramp;
  ramp.width = 2;
  ramp.height = 1;
  ramp.rgba = {0, 0, 0, 255, 255, 255, 255, 255};
  auto wide = resize_image(ramp, 4, 1);
  REQUIRE(wide.ok());
  // Output pixel x samples source position (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped to 0..1).
  const int expected[4] = {0, 64, 191, 255};
  for (int x = 0; x < 4; ++x) CHECK(int(wide.value.rgba[size_t(x) * 4]) == expected[x]);

  const Image& photo = test_support::photo();
  auto same = resize_image(photo, photo.width, photo.height);
  REQUIRE(same.ok());
  CHECK(same.value.rgba == photo.rgba);
  auto smaller = resize_image(photo, 50, 1);
  REQUIRE(smaller.ok());
  CHECK(smaller.value.rgba.size() == 50 * 4);

  Image flat = test_support::pattern(9, 7);
  for (size_t i = 0; i < flat.rgba.size(); ++i) flat.rgba[i] = uint8_t(100 + i % 4);
  auto flat_resized = resize_image(flat, 23, 3);
  REQUIRE(flat_resized.ok());
  for (size_t i = 0; i < flat_resized.value.rgba.size(); ++i) REQUIRE(flat_resized.value.rgba[i] == 100 + i % 4);

  CHECK(resize_image(photo, 0, 10).error == "cannot resize to 0x10: both sides must be at least 1");
  CHECK(resize_image(photo, 10, -3).error == "cannot resize to 10x-3: both sides must be at least 1");
  CHECK(resize_image(photo, 20000, 10).error ==
        "cannot resize to 20000x10: the limit is 16384 per side and 48 megapixels");
  CHECK(resize_image(Image{}, 10, 10).error == "cannot resize: the image is empty (0x0 pixels)");
}

TEST_CASE("upscale_nearest repeats each pixel into a crisp block; to_grey keeps light and dark", "[image]") {
  Image image;
  image.width = 2;
  image.height = 1;
  image.rgba = {255, 0, 0, 255, 10, 20, 30, 128};
  auto big = upscale_nearest(image, 3);
  REQUIRE(big.ok());
  CHECK(big.value.width == 6);
  CHECK(big.value.height == 3);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 6; ++x) {
      const uint8_t* got = &big.value.rgba[size_t(y * 6 + x) * 4];
      const uint8_t* want = &image.rgba[size_t(x / 3) * 4];
      CHECK(std::equal(got, got + 4, want));
    }
  CHECK(upscale_nearest(image, 65).error == "cannot enlarge 65 times: use 1 to 64");
  CHECK(!upscale_nearest(Image{}, 2).ok());
  const Image grey = to_grey(image);
  CHECK(grey.rgba == std::vector<uint8_t>{76, 76, 76, 255, 18, 18, 18, 128});  // 0.299 * 255; 2.99 + 11.74 + 3.42
}
