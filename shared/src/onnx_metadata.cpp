// ONNX metadata from the protobuf wire format (the subset is described in onnx_metadata.h), and the style model a
// person brings. Every read is bounds-checked against the end of its enclosing field: any bytes give an answer.
#include "styleforge/onnx_metadata.h"

#include <cstring>

namespace styleforge {
namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

// ModelProto fields this reader knows, with the wire type each must have.
struct KnownField {
  uint32_t number;
  WireType type;
  const char* name;
};
constexpr KnownField kModelFields[] = {
    {1, kVarint, "ir_version"},   {2, kBytes, "producer_name"},     {3, kBytes, "producer_version"},
    {4, kBytes, "domain"},        {5, kVarint, "model_version"},    {6, kBytes, "doc_string"},
    {7, kBytes, "graph"},         {8, kBytes, "opset_import"},      {14, kBytes, "metadata_props"},
    {20, kBytes, "training_info"}, {25, kBytes, "functions"},
};
constexpr uint64_t kMaxIrVersion = 100;  // ONNX is at IR version 10-11; far more is not an ONNX file

// A cursor over [pos, end): each read either succeeds or records why not and stops.
class Reader {
 public:
  Reader(const uint8_t* begin, const uint8_t* end, size_t base) : begin_(begin), pos_(begin), end_(end), base_(base) {}
  bool at_end() const { return pos_ >= end_; }
  size_t offset() const { return base_ + size_t(pos_ - begin_); }
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

  bool varint(uint64_t& out) {
    out = 0;
    const size_t start = offset();
    for (int i = 0; i < 10; ++i) {
      if (pos_ >= end_) return fail(start, "the file ends inside a number (cut short?)");
      const uint8_t b = *pos_++;
      if (i == 9 && b > 1) return fail(start, "a number longer than 64 bits");
      out |= uint64_t(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) return true;
    }
    return fail(start, "a number longer than 64 bits");
  }

  // The bytes of a length-delimited value: [data, data + size).
  bool bytes(const uint8_t*& data, size_t& size) {
    uint64_t length = 0;
    const size_t start = offset();
    if (!varint(length)) return false;
    if (length > uint64_t(end_ - pos_))
      return fail(start, "a field of " + std::to_string(length) + " bytes runs past the end (" +
                             std::to_string(end_ - pos_) + " left; the file is cut short or not ONNX)");
    data = pos_;
    size = size_t(length);
    pos_ += length;
    return true;
  }

  bool skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    const uint8_t* data = nullptr;
    size_t size = 0;
    switch (wire_type) {
      case kVarint: return varint(ignored);
      case kBytes: return bytes(data, size);
      case kFixed64: return advance(8);
      case kFixed32: return advance(4);
      default: return fail(offset(), "wire type " + std::to_string(wire_type) + ", which ONNX never uses");
    }
  }

  // The next field's number and wire type.
  bool tag(uint32_t& number, uint32_t& wire_type) {
    const size_t start = offset();
    uint64_t value = 0;
    if (!varint(value)) return false;
    number = uint32_t(value >> 3);
    wire_type = uint32_t(value & 7);
    if ((value >> 3) == 0 || (value >> 3) > 0x1fffffff) return fail(start, "an invalid field number");
    return true;
  }

  bool fail(size_t at, const std::string& why) {
    if (error_.empty()) error_ = "byte " + std::to_string(at) + ": " + why;
    return false;
  }

 private:
  bool advance(size_t n) {
    if (size_t(end_ - pos_) < n) return fail(offset(), "the file ends inside a field (cut short?)");
    pos_ += n;
    return true;
  }
  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  size_t base_;  // offset of begin_ in the file, for messages
  std::string error_;
};

// One StringStringEntryProto: key (1) and value (2); other fields skipped.
bool read_prop(const uint8_t* data, size_t size, size_t base, MetadataProp& prop, std::string& error) {
  Reader r(data, data + size, base);
  while (!r.at_end()) {
    uint32_t number = 0, type = 0;
    if (!r.tag(number, type)) break;
    if ((number == 1 || number == 2) && type == kBytes) {
      const uint8_t* text = nullptr;
      size_t length = 0;
      if (!r.bytes(text, length)) break;
      (number == 1 ? prop.key : prop.value).assign(reinterpret_cast<const char*>(text), length);
    } else if (number == 1 || number == 2) {
      r.fail(r.offset(), "a metadata key or value that is not a string");
      break;
    } else if (!r.skip(type)) {
      break;
    }
  }
  error = r.error();
  return !r.failed();
}

bool starts_with(const uint8_t* data, size_t size, const char* magic, size_t n) {
  return size >= n && std::memcmp(data, magic, n) == 0;
}

// What a file that is not ONNX looks like, when it is something common: the message can then say so.
std::string recognise(const uint8_t* data, size_t size) {
  if (starts_with(data, size, "\x89PNG", 4)) return "a PNG image";
  if (starts_with(data, size, "\xFF\xD8\xFF", 3)) return "a JPEG image";
  if (starts_with(data, size, "GIF8", 4)) return "a GIF image";
  if (starts_with(data, size, "RIFF", 4)) return "a RIFF file (WebP image, WAV sound...)";
  if (starts_with(data, size, "PK\x03\x04", 4)) return "a ZIP archive (a PyTorch .pt checkpoint is one)";
  if (starts_with(data, size, "\x1F\x8B", 2)) return "a gzip file";
  if (starts_with(data, size, "%PDF", 4)) return "a PDF document";
  if (starts_with(data, size, "\x80\x02", 2)) return "a Python pickle";
  return "";
}

}  // namespace

Result<std::vector<MetadataProp>> read_onnx_metadata(const uint8_t* data, size_t size) {
  using R = Result<std::vector<MetadataProp>>;
  if (data == nullptr || size == 0) return R::failure("not an ONNX model: the file is empty");
  Reader r(data, data + size, 0);
  std::vector<MetadataProp> props;
  bool has_ir_version = false, has_graph = false;
  while (!r.at_end()) {
    const size_t field_start = r.offset();
    uint32_t number = 0, type = 0;
    if (!r.tag(number, type)) break;
    const KnownField* known = nullptr;
    for (const KnownField& f : kModelFields)
      if (f.number == number) known = &f;
    if (known && known->type != type) {
      r.fail(field_start, std::string("field ") + known->name + " has the wrong wire type");
      break;
    }
    if (number == 1) {
      uint64_t version = 0;
      if (!r.varint(version)) break;
      if (version == 0 || version > kMaxIrVersion) {
        r.fail(field_start, "IR version " + std::to_string(version) + " (ONNX files have 1 to about 11)");
        break;
      }
      has_ir_version = true;
    } else if (number == 14) {
      const uint8_t* entry = nullptr;
      size_t length = 0;
      const size_t entry_start = r.offset();
      if (!r.bytes(entry, length)) break;
      MetadataProp prop;
      std::string error;
      if (!read_prop(entry, length, entry_start, prop, error)) {
        r.fail(field_start, "a broken metadata entry (" + error + ")");
        break;
      }
      props.push_back(std::move(prop));
    } else {
      if (number == 7) has_graph = true;
      if (!r.skip(type)) break;
    }
  }
  if (r.failed()) {
    const std::string what = recognise(data, size);
    return R::failure("not an ONNX model: " + (what.empty() ? r.error() : "it is " + what));
  }
  if (!has_ir_version || !has_graph) {
    const std::string what = recognise(data, size);
    return R::failure("not an ONNX model: " + (!what.empty() ? "it is " + what
                                               : !has_ir_version ? std::string("it names no IR version")
                                                                 : std::string("it has no graph")));
  }
  return R::success(std::move(props));
}

const std::string* find_metadata(const std::vector<MetadataProp>& props, const std::string& key) {
  const std::string* found = nullptr;
  for (const MetadataProp& p : props)
    if (p.key == key) found = &p.value;
  return found;
}

Result<ModelEntry> read_style_model(const uint8_t* data, size_t size, const std::string& file_name) {
  using R = Result<ModelEntry>;
  const std::string quoted = "'" + file_name + "'";
  auto metadata = read_onnx_metadata(data, size);
  if (!metadata.ok())
    return R::failure(quoted + " is " + metadata.error + ". Choose a .onnx style model exported by styleforge-trainer.");
  const std::string* entry_text = find_metadata(metadata.value, kManifestEntryKey);
  const std::string* trainer_kind = find_metadata(metadata.value, kTrainerKindKey);
  auto not_a_style = [&](const std::string& what) {
    return R::failure(quoted + " is " + what + ", not a style model: only style models (styleforge-trainer style, "
                      "then export) can be added to the styles.");
  };
  if (entry_text == nullptr) {
    if (trainer_kind != nullptr && *trainer_kind == "dcgan") return not_a_style("a GAN generator");
    if (trainer_kind != nullptr && *trainer_kind == "vae") return not_a_style("a VAE");
    if (trainer_kind != nullptr && *trainer_kind == "style")
      return R::failure(quoted + " is a styleforge style model exported before export stored its settings in the "
                        "file (no " + std::string(kManifestEntryKey) + " metadata), so its normalisation and sizes "
                        "are unknown: export it again with styleforge-trainer export from its style run.");
    return R::failure(quoted + " is an ONNX model, but it has no styleforge metadata (" + kManifestEntryKey +
                      "), so its input, normalisation and sizes are unknown: export it with styleforge-trainer "
                      "export from a style run.");
  }
  auto entry = parse_model_entry(*entry_text, file_name + " (its " + kManifestEntryKey + " metadata)");
  if (!entry.ok()) return R::failure("The model description inside " + quoted + " is invalid: " + entry.error);
  switch (entry.value.kind) {
    case ModelKind::Style: break;
    case ModelKind::Gan: return not_a_style("a GAN generator");
    case ModelKind::VaeEncoder: return not_a_style("a VAE encoder");
    case ModelKind::VaeDecoder: return not_a_style("a VAE decoder");
    // An arbitrary-style model is two files that work only together, and its styles come from paintings: the
    // site's own is used through "Use my own style image".
    case ModelKind::StylePredictor:
    case ModelKind::ArbitraryStyle:
      return R::failure(quoted + " is one half (the " + to_string(entry.value.kind) + " file) of an arbitrary-style "
                        "model, not a style model: it cannot be added to the styles. To paint with a picture of your "
                        "own, use \"Use my own style image\" with a painting (PNG or JPEG).");
  }
  entry.value.file = file_name;
  entry.value.thumbnail.clear();  // relative to a manifest folder a dropped file does not have
  entry.value.card.clear();
  return entry;
}

}  // namespace styleforge
