// The metadata of an ONNX file, read from its bytes without a protobuf library (so the web build needs none), and
// the style model a person brings: a file written by `styleforge-trainer export`, whose metadata holds the model's
// manifest entry (normalisation, sizes, name, credits) under kManifestEntryKey.
//
// The subset of the protobuf wire format read here: an ONNX file is one serialised onnx.ModelProto, a sequence of
// fields, each a tag (varint: field number << 3 | wire type) and a value: wire type 0 a varint, 1 eight bytes,
// 2 a varint length and that many bytes, 5 four bytes (3 and 4, the deprecated groups, never occur in ONNX and are
// refused). ModelProto's fields read: 1 ir_version (varint, required), 7 graph (bytes, required, skipped), and
// 14 metadata_props (repeated bytes: a StringStringEntryProto, whose field 1 is the key and 2 the value). Every
// other field is checked for a valid wire type (and ModelProto's known fields for their own) and skipped. A file
// that breaks any of this, or ends inside a field, is not an ONNX model.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/manifest.h"
#include "styleforge/result.h"

namespace styleforge {

// Where `styleforge-trainer export` writes the model's manifest entry: one JSON object, as in models/manifest.json.
inline constexpr const char* kManifestEntryKey = "styleforge.manifest_entry";
// The trainer command that made the model ("style", "dcgan", "vae"); every export since the first writes it.
inline constexpr const char* kTrainerKindKey = "styleforge.kind";

struct MetadataProp {
  std::string key;
  std::string value;
};

// ModelProto.metadata_props of the ONNX file in data[0, size), in file order. Fails with "not an ONNX model: why"
// when the bytes are not a ModelProto as described above. Reads only; copies the keys and values.
Result<std::vector<MetadataProp>> read_onnx_metadata(const uint8_t* data, size_t size);

// The value of `key`, or nullptr. The last one wins when a key repeats (as a protobuf map would).
const std::string* find_metadata(const std::vector<MetadataProp>& props, const std::string& key);

// The style model in the ONNX file `file_name` (bytes data[0, size)), from the manifest entry in its metadata,
// validated by the same rules as models/manifest.json (parse_model_entry). Errors are written for a person and
// name the file: not an ONNX model; an ONNX model without styleforge metadata, or exported by a trainer from
// before the entry was stored (export it again); a generator, a VAE or half of an arbitrary-style model (a
// style-predictor or arbitrary-style file) rather than a style; an invalid entry.
// `file` in the returned entry is `file_name`.
Result<ModelEntry> read_style_model(const uint8_t* data, size_t size, const std::string& file_name);

}  // namespace styleforge
