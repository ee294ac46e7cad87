#include "run/zip_check.h"

#include <zlib.h>

#include <cstdint>
#include <algorithm>
#include <limits>

namespace styleforge::trainer {
namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50, kZip64End = 0x06064b50, kZip64Locator = 0x07064b50,
                   kDirectoryEntry = 0x02014b50, kLocalHeader = 0x04034b50;
constexpr uint64_t kStored = 0, kDeflated = 8, kMaxDeflatedRecord = 64u << 20;

// Little-endian reads that refuse to leave the buffer.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  bool has(uint64_t at, uint64_t length) const { return at <= bytes_.size() && length <= bytes_.size() - at; }
  uint64_t get(uint64_t at, int width) const {
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes_[at + i]);
    return v;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  const std::string& bytes_;
};

uint32_t stored_crc(const std::string& bytes, uint64_t at, uint64_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t done = 0; done < size;) {  // crc32 takes at most 4 GB per call
    const uInt chunk = static_cast<uInt>(std::min<uint64_t>(size - done, std::numeric_limits<uInt>::max()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at + done), chunk);
    done += chunk;
  }
  return static_cast<uint32_t>(crc);
}

// LibTorch deflates a few small text records (the module's code); their CRC is over the inflated bytes, which must
// come to exactly `size` (bounded, so a damaged size cannot ask for gigabytes).
Result<uint32_t> inflated_crc(const std::string& bytes, uint64_t at, uint64_t compressed, uint64_t size) {
  using R = Result<uint32_t>;
  if (size > kMaxDeflatedRecord || compressed > kMaxDeflatedRecord) return R::failure("is implausibly large");
  std::string out(static_cast<size_t>(size) + 1, '\0');  // one spare byte shows output beyond `size`
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return R::failure("cannot be inflated (zlib)");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + at));
  z.avail_in = static_cast<uInt>(compressed);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&z, Z_FINISH);
  const uint64_t produced = z.total_out;
  inflateEnd(&z);
  if (status != Z_STREAM_END || produced != size) return R::failure("does not inflate to its stated size");
  return R::success(stored_crc(out, 0, size));
}

}  // namespace

Status check_checkpoint_zip(const std::string& bytes, const std::string& name) {
  auto refuse = [&](const std::string& why) { return Status::failure(name + ": damaged checkpoint file (" + why + ")"); };
  const Reader r(bytes);
  // The end-of-directory record: the last 22+ bytes, after at most a 64 KiB comment.
  if (bytes.size() < 22) return refuse("too short for a zip file");
  uint64_t end = bytes.size() - 22;
  const uint64_t lowest = bytes.size() > 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  while (r.get(end, 4) != kEndOfDirectory) {
    if (end == lowest) return refuse("no zip end-of-directory record: cut short or not a checkpoint");
    --end;
  }
  uint64_t entries = r.get(end + 10, 2), directory_size = r.get(end + 12, 4), directory = r.get(end + 16, 4);
  if (entries == 0xffff || directory_size == 0xffffffff || directory == 0xffffffff) {
    if (end < 20 || r.get(end - 20, 4) != kZip64Locator) return refuse("zip64 fields without a zip64 locator");
    const uint64_t record = r.get(end - 20 + 8, 8);
    if (!r.has(record, 56) || r.get(record, 4) != kZip64End) return refuse("zip64 end record out of place");
    entries = r.get(record + 32, 8);
    directory_size = r.get(record + 40, 8);
    directory = r.get(record + 48, 8);
  }
  if (!r.has(directory, directory_size) || directory + directory_size > end)
    return refuse("central directory outside the file");
  if (entries == 0) return refuse("an empty archive");
  uint64_t at = directory;
  for (uint64_t i = 0; i < entries; ++i) {
    if (!r.has(at, 46) || r.get(at, 4) != kDirectoryEntry) return refuse("central directory entry " + std::to_string(i) + " broken");
    const uint64_t method = r.get(at + 10, 2), crc = r.get(at + 16, 4), name_length = r.get(at + 28, 2),
                   extra_length = r.get(at + 30, 2), comment_length = r.get(at + 32, 2);
    uint64_t compressed = r.get(at + 20, 4), size = r.get(at + 24, 4), local = r.get(at + 42, 4);
    if (!r.has(at + 46, name_length + extra_length + comment_length)) return refuse("directory entry runs past the file");
    // Zip64 extra field (id 1): 64-bit values for exactly the fields that read 0xffffffff, in this order.
    for (uint64_t x = at + 46 + name_length, x_end = x + extra_length; x + 4 <= x_end;) {
      const uint64_t id = r.get(x, 2), length = r.get(x + 2, 2);
      if (x + 4 + length > x_end) return refuse("directory entry's extra field runs past it");
      if (id == 1) {
        uint64_t field = x + 4, field_end = field + length;
        for (uint64_t* value : {&size, &compressed, &local}) {
          if (*value != 0xffffffff) continue;
          if (field + 8 > field_end) return refuse("zip64 field too short");
          *value = r.get(field, 8);
          field += 8;
        }
      }
      x += 4 + length;
    }
    const std::string record = "record " + std::to_string(i);
    if (method != kStored && method != kDeflated) return refuse(record + " uses compression method " + std::to_string(method));
    if (method == kStored && compressed != size) return refuse(record + " is stored with two different sizes");
    if (!r.has(local, 30) || r.get(local, 4) != kLocalHeader) return refuse(record + " header out of place");
    // The directory's name and the record's own must agree: LibTorch finds records by name, and a damaged name
    // (which no CRC covers) sends its reader down error paths that leak inside it.
    const uint64_t local_name_length = r.get(local + 26, 2);
    if (local_name_length != name_length || !r.has(local + 30, name_length) ||
        bytes.compare(local + 30, name_length, bytes, at + 46, name_length) != 0)
      return refuse(record + "'s name differs between its header and the directory");
    const uint64_t data = local + 30 + local_name_length + r.get(local + 28, 2);
    if (!r.has(data, compressed) || data + compressed > directory) return refuse(record + " runs past its end");
    Result<uint32_t> actual = method == kStored ? Result<uint32_t>::success(stored_crc(bytes, data, size))
                                                : inflated_crc(bytes, data, compressed, size);
    if (!actual.ok()) return refuse(record + " " + actual.error);
    if (actual.value != crc) return refuse(record + " does not match its CRC-32");
    at += 46 + name_length + extra_length + comment_length;
  }
  return Status::success();
}

}  // namespace styleforge::trainer
