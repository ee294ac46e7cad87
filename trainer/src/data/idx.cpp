#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace styleforge::trainer {
namespace {

constexpr uint64_t kMaxIdxBytes = 4ull << 30;  // Fashion-MNIST's training set is 47 MB
constexpr uint64_t kReadChunk = 1ull << 20;  // the buffer grows by doubling; small reads cost nothing

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

uint32_t big_endian(const unsigned char* b) {
  return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

// Reads exactly `bytes` bytes into `out`, growing it with the data actually read, never to what a header promises:
// a 16-byte header must not make us allocate gigabytes before the file turns out to be short. Returns how many
// bytes the file held (fewer than asked when truncated).
size_t read_body(gzFile_s* file, uint64_t bytes, std::vector<uint8_t>& out) {
  size_t done = 0;
  while (done < bytes) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(bytes - done, kReadChunk));
    out.resize(done + chunk);
    int n = gzread(file, out.data() + done, static_cast<unsigned>(chunk));
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return done;
}

// "PATH: magic number 0x... is not EXPECTED or not an idx file?": `expected` names the right magic and the likely
// mix-up.
std::string wrong_magic(const std::string& path, uint32_t magic, const std::string& expected) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", magic);
  return path + ": magic number " + text + " is not " + expected + " or not an idx file?";
}

}  // namespace

Result<IdxImages> read_idx_images(const std::string& path, int64_t max_count) {
  using R = Result<IdxImages>;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) return R::failure(path + ": cannot open idx file");
  unsigned char header[20];
  int got = gzread(file.get(), header, 16);
  if (got != 16)
    return R::failure(path + ": too short for an idx header (" + std::to_string(got < 0 ? 0 : got) + " of 16 bytes)");
  uint32_t magic = big_endian(header);
  if (magic != 0x00000803u && magic != 0x00000804u)
    return R::failure(wrong_magic(path, magic, "0x00000803 (idx images, uint8, 3 dimensions) or 0x00000804 (colour "
                                               "images, a 4th dimension of 3); a labels file (0x00000801)"));
  IdxImages out;
  out.count = big_endian(header + 4);
  uint32_t rows = big_endian(header + 8), columns = big_endian(header + 12);
  if (magic == 0x00000804u) {
    got = gzread(file.get(), header + 16, 4);
    if (got != 4) return R::failure(path + ": too short for a 4-dimension idx header (20 bytes)");
    if (big_endian(header + 16) != 3)
      return R::failure(path + ": a 4-dimension idx images file must end in 3 channels (RGB), not " +
                        std::to_string(big_endian(header + 16)));
    out.channels = 3;
  }
  if (out.count < 1 || out.count > max_count || rows < 1 || rows > 4096 || columns < 1 || columns > 4096)
    return R::failure(path + ": implausible sizes in header: " + std::to_string(out.count) + " images of " +
                      std::to_string(rows) + "x" + std::to_string(columns));
  out.rows = static_cast<int>(rows);
  out.columns = static_cast<int>(columns);
  const uint64_t bytes = static_cast<uint64_t>(out.count) * rows * columns * static_cast<uint64_t>(out.channels);
  if (bytes > kMaxIdxBytes)
    return R::failure(path + ": implausible sizes in header: " + std::to_string(out.count) + " images of " +
                      std::to_string(rows) + "x" + std::to_string(columns) + " would be " + std::to_string(bytes >> 20) +
                      " MiB (more than " + std::to_string(kMaxIdxBytes >> 30) + " GiB)");
  const size_t done = read_body(file.get(), bytes, out.pixels);
  if (done != bytes)
    return R::failure(path + ": truncated: header promises " + std::to_string(out.count) + " images (" +
                      std::to_string(bytes) + " bytes) but the file holds " + std::to_string(done));
  return R::success(std::move(out));
}

Result<std::vector<uint8_t>> read_idx_labels(const std::string& path, int64_t max_count) {
  using R = Result<std::vector<uint8_t>>;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) return R::failure(path + ": cannot open idx file");
  unsigned char header[8];
  int got = gzread(file.get(), header, sizeof header);
  if (got != static_cast<int>(sizeof header))
    return R::failure(path + ": too short for an idx labels header (" + std::to_string(got < 0 ? 0 : got) +
                      " of 8 bytes)");
  uint32_t magic = big_endian(header);
  if (magic != 0x00000801u)
    return R::failure(wrong_magic(path, magic, "0x00000801 (idx labels, uint8, 1 dimension); an images file (0x00000803)"));
  const int64_t count = big_endian(header + 4);
  if (count < 1 || count > max_count)
    return R::failure(path + ": implausible label count in header: " + std::to_string(count));
  std::vector<uint8_t> labels;
  const size_t done = read_body(file.get(), static_cast<uint64_t>(count), labels);
  if (done != static_cast<size_t>(count))
    return R::failure(path + ": truncated: header promises " + std::to_string(count) + " labels but the file holds " +
                      std::to_string(done));
  return R::success(std::move(labels));
}

}  // namespace styleforge::trainer
