// [onnx_metadata] ONNX metadata read from the protobuf wire format, and the style model a person drops into the
// page: hand-built ModelProto bytes (written here field by field), the shipped models' real bytes, truncated and
// garbage inputs, and the person-facing message for each kind of wrong file.
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "styleforge/onnx_metadata.h"
#include "test_support.h"

using namespace styleforge;
using nlohmann::json;
using Bytes = std::vector<uint8_t>;

namespace {

// A minimal protobuf writer, enough to build ModelProto bytes by hand.
void put_varint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(uint8_t(v | 0x80));
    v >>= 7;
  }
  out.push_back(uint8_t(v));
}
void put_tag(Bytes& out, uint32_t field, uint32_t wire_type) { put_varint(out, (uint64_t(field) << 3) | wire_type); }
void put_varint_field(Bytes& out, uint32_t field, uint64_t v) {
  put_tag(out, field, 0);
  put_varint(out, v);
}
void put_bytes_field(Bytes& out, uint32_t field, const Bytes& payload) {
  put_tag(out, field, 2);
  put_varint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}
void put_string_field(Bytes& out, uint32_t field, const std::string& s) { put_bytes_field(out, field, Bytes(s.begin(), s.end())); }

Bytes prop(const std::string& key, const std::string& value) {
  Bytes p;
  put_string_field(p, 1, key);
  put_string_field(p, 2, value);
  return p;
}

json style_entry() {
  const json norm = {{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}};
  return {{"id", "my-style"}, {"name", "My style"}, {"kind", "style"}, {"file", "my-style.onnx"},
          {"input", {{"name", "image"}, {"layout", "NCHW"}, {"normalization", norm}}},
          {"output", {{"name", "stylized"}, {"layout", "NCHW"}, {"normalization", norm}}},
          {"max_tile", 256}, {"size_multiple", 4}, {"credits", "Me, my painting, CC0"}};
}

// A ModelProto as our trainer writes it: ir_version, producer, a graph (a GraphProto with a name and one node
// field, enough to skip), the opset, then the metadata (last, so truncations cut it first).
Bytes model_bytes(const std::vector<std::pair<std::string, std::string>>& metadata) {
  Bytes graph;
  put_string_field(graph, 2, "styleforge");
  Bytes node;
  put_string_field(node, 4, "Conv");
  put_bytes_field(graph, 1, node);
  Bytes opset;
  put_string_field(opset, 1, "");
  put_varint_field(opset, 2, 17);
  Bytes out;
  put_varint_field(out, 1, 8);
  put_string_field(out, 2, "styleforge-trainer");
  put_bytes_field(out, 7, graph);
  put_bytes_field(out, 8, opset);
  for (const auto& [key, value] : metadata) put_bytes_field(out, 14, prop(key, value));
  return out;
}

Bytes style_model() {
  // The entry last: a prefix that ends before it is a valid ONNX file without the entry.
  return model_bytes({{"styleforge.kind", "style"}, {"styleforge.step", "4"}, {kManifestEntryKey, style_entry().dump()}});
}

std::string style_error(const Bytes& bytes, const std::string& name = "mine.onnx") {
  auto r = read_style_model(bytes.data(), bytes.size(), name);
  return r.ok() ? "(read without error)" : r.error;
}

}  // namespace

TEST_CASE("read_onnx_metadata reads hand-built ModelProto bytes", "[onnx_metadata]") {
  const Bytes bytes = style_model();
  auto r = read_onnx_metadata(bytes.data(), bytes.size());
  INFO(r.error);
  REQUIRE(r.ok());
  REQUIRE(r.value.size() == 3);
  CHECK(r.value[0].key == "styleforge.kind");
  CHECK(r.value[0].value == "style");
  CHECK(r.value[1].key == "styleforge.step");
  CHECK(r.value[1].value == "4");
  CHECK(r.value[2].key == kManifestEntryKey);
  CHECK(json::parse(r.value[2].value) == style_entry());
  // Fields it does not know (a future ModelProto field 30, fixed32 and fixed64 values) are skipped.
  Bytes extended = bytes;
  put_tag(extended, 30, 5);
  extended.insert(extended.end(), {1, 2, 3, 4});
  put_tag(extended, 31, 1);
  extended.insert(extended.end(), 8, 0xAB);
  put_bytes_field(extended, 14, prop("later", "wins"));
  put_bytes_field(extended, 14, prop("later", "wins again"));
  auto e = read_onnx_metadata(extended.data(), extended.size());
  INFO(e.error);
  REQUIRE(e.ok());
  REQUIRE(e.value.size() == 5);
  REQUIRE(find_metadata(e.value, "later") != nullptr);
  CHECK(*find_metadata(e.value, "later") == "wins again");
  CHECK(find_metadata(e.value, "absent") == nullptr);
  // A model without metadata is still an ONNX model.
  const Bytes plain = model_bytes({});
  auto p = read_onnx_metadata(plain.data(), plain.size());
  REQUIRE(p.ok());
  CHECK(p.value.empty());
}

TEST_CASE("read_style_model takes a style model's entry from its metadata", "[onnx_metadata]") {
  const Bytes bytes = style_model();
  auto r = read_style_model(bytes.data(), bytes.size(), "dropped name.onnx");
  INFO(r.error);
  REQUIRE(r.ok());
  CHECK(r.value.id == "my-style");
  CHECK(r.value.name == "My style");
  CHECK(r.value.kind == ModelKind::Style);
  CHECK(r.value.file == "dropped name.onnx");
  CHECK(r.value.input.name == "image");
  CHECK(r.value.output.name == "stylized");
  CHECK(r.value.max_tile == 256);
  CHECK(r.value.credits == "Me, my painting, CC0");
  // Thumbnails and cards are relative to a manifest folder, which a dropped file does not have.
  json with_thumbnail = style_entry();
  with_thumbnail["thumbnail"] = "my-style.jpg";
  const Bytes t = model_bytes({{kManifestEntryKey, with_thumbnail.dump()}});
  auto tr = read_style_model(t.data(), t.size(), "t.onnx");
  REQUIRE(tr.ok());
  CHECK(tr.value.thumbnail.empty());
}

TEST_CASE("read_style_model says what is wrong with each kind of file", "[onnx_metadata]") {
  // Not ONNX at all.
  CHECK(style_error({}) == "'mine.onnx' is not an ONNX model: the file is empty. Choose a .onnx style model "
                           "exported by styleforge-trainer.");
  const std::string text = "not a model";
  CHECK_THAT(style_error(Bytes(text.begin(), text.end())), Catch::Contains("'mine.onnx' is not an ONNX model: byte"));
  const Bytes png = test_support::png_header_only(4, 4);
  CHECK_THAT(style_error(png, "photo.png"), Catch::Contains("'photo.png' is not an ONNX model: it is a PNG image"));
  const Bytes jpeg = test_support::read_bytes(test_support::data_path("mountain.jpg"));
  CHECK_THAT(style_error(jpeg), Catch::Contains("not an ONNX model: it is a JPEG image"));

  // ONNX, but not ours, or not a style.
  CHECK_THAT(style_error(model_bytes({})),
             Catch::Contains("is an ONNX model, but it has no styleforge metadata") &&
                 Catch::Contains("export it with styleforge-trainer export from a style run"));
  CHECK_THAT(style_error(model_bytes({{"styleforge.kind", "style"}})),
             Catch::Contains("exported before export stored its settings") && Catch::Contains("export it again"));
  CHECK_THAT(style_error(model_bytes({{"styleforge.kind", "dcgan"}})),
             Catch::Contains("is a GAN generator, not a style model"));
  CHECK_THAT(style_error(model_bytes({{"styleforge.kind", "vae"}})), Catch::Contains("is a VAE, not a style model"));
  json gan = {{"id", "g"}, {"name", "G"}, {"kind", "gan"}, {"file", "g.onnx"},
              {"input", {{"name", "latent"}, {"layout", "NC"}}},
              {"output", {{"name", "image"}, {"layout", "NCHW"},
                          {"normalization", {{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}}}}},
              {"latent_size", 8}, {"image_size", 28}, {"credits", "x"}};
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, gan.dump()}})),
             Catch::Contains("is a GAN generator, not a style model"));
  gan["kind"] = "vae-decoder";
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, gan.dump()}})), Catch::Contains("is a VAE decoder"));

  // An entry the manifest's own rules refuse, named by field as in models/manifest.json.
  json bad = style_entry();
  bad["input"]["normalization"]["std"][0] = 0;
  CHECK(style_error(model_bytes({{kManifestEntryKey, bad.dump()}})) ==
        "The model description inside 'mine.onnx' is invalid: mine.onnx (its styleforge.manifest_entry metadata): "
        "input.normalization.std[0]: must be greater than 0 (pixel values are divided by it), got 0");
  bad = style_entry();
  bad["input"]["normalization"]["scale"] = 1e39;
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, bad.dump()}})),
             Catch::Contains("input.normalization.scale: 1e+39 is beyond the range of a 32-bit float"));
  bad = style_entry();
  bad.erase("credits");
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, bad.dump()}})), Catch::Contains("credits: missing"));
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, "{\"id\": "}})), Catch::Contains("is invalid") &&
             Catch::Contains("not valid JSON"));
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, "[1, 2]"}})), Catch::Contains("expected an object"));
}

TEST_CASE("read_onnx_metadata refuses malformed wire data", "[onnx_metadata]") {
  auto error = [](const Bytes& b) {
    auto r = read_onnx_metadata(b.data(), b.size());
    return r.ok() ? "(read without error)" : r.error;
  };
  Bytes b;
  put_varint_field(b, 1, 8);
  Bytes no_graph = b;
  CHECK(error(no_graph) == "not an ONNX model: it has no graph");
  Bytes no_version;
  put_bytes_field(no_version, 7, {});
  CHECK(error(no_version) == "not an ONNX model: it names no IR version");
  Bytes bad_version;
  put_varint_field(bad_version, 1, 5000);
  put_bytes_field(bad_version, 7, {});
  CHECK_THAT(error(bad_version), Catch::Contains("IR version 5000"));
  Bytes wrong_type = b;  // metadata_props as a varint
  put_varint_field(wrong_type, 14, 3);
  put_bytes_field(wrong_type, 7, {});
  CHECK(error(wrong_type) == "not an ONNX model: byte 2: field metadata_props has the wrong wire type");
  Bytes group = b;  // wire type 3 (start group)
  put_tag(group, 40, 3);
  CHECK_THAT(error(group), Catch::Contains("wire type 3, which ONNX never uses"));
  Bytes long_varint = b;
  put_tag(long_varint, 5, 0);
  long_varint.insert(long_varint.end(), 11, 0xFF);
  CHECK_THAT(error(long_varint), Catch::Contains("longer than 64 bits"));
  Bytes field_zero = {0x00};
  CHECK_THAT(error(field_zero), Catch::Contains("invalid field number"));
  Bytes huge_length = b;  // a length far beyond the file (and beyond size_t on wasm32)
  put_tag(huge_length, 7, 2);
  put_varint(huge_length, uint64_t(1) << 40);
  CHECK_THAT(error(huge_length), Catch::Contains("runs past the end"));
  Bytes bad_prop = b;  // a metadata entry whose key is a varint
  Bytes p;
  put_varint_field(p, 1, 7);
  put_bytes_field(bad_prop, 14, p);
  CHECK_THAT(error(bad_prop), Catch::Contains("a broken metadata entry") && Catch::Contains("not a string"));
}

TEST_CASE("every truncation of a style model is refused, never read as a model", "[onnx_metadata]") {
  const Bytes bytes = style_model();
  REQUIRE(read_style_model(bytes.data(), bytes.size(), "m.onnx").ok());
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO("first " << n << " of " << bytes.size() << " bytes");
    CHECK_FALSE(read_style_model(bytes.data(), n, "m.onnx").ok());
  }
}

TEST_CASE("garbage never reads as a style model", "[onnx_metadata]") {
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return uint8_t(state >> 24);
  };
  const Bytes valid = style_model();
  int refused = 0, total = 0;
  for (int round = 0; round < 2000; ++round) {
    Bytes b;
    if (round % 2 == 0) {  // pure noise of many lengths
      b.resize(size_t(round % 300));
      for (auto& v : b) v = next();
    } else {  // the valid model with a few bytes changed: structure mostly intact
      b = valid;
      for (int k = 0; k < 1 + round % 4; ++k) b[next() % b.size()] = next();
    }
    auto r = read_style_model(b.data(), b.size(), "g.onnx");
    ++total;
    if (!r.ok()) {
      ++refused;
      CHECK(!r.error.empty());
    } else {
      // A change that kept a valid file (inside a string, say) must still give a valid style entry.
      CHECK(r.value.kind == ModelKind::Style);
      CHECK(!r.value.input.name.empty());
    }
  }
  CHECK(refused > total / 2);
}

TEST_CASE("a file serialised by protobuf itself (python-onnx) reads as a style model", "[onnx_metadata]") {
  // tests/fuzz/corpus/make_onnx_seeds.py wrote it with onnx.helper: another writer than our own.
  const Bytes bytes = test_support::read_bytes(test_support::data_path("python-onnx-style.onnx"));
  auto r = read_style_model(bytes.data(), bytes.size(), "python-onnx-style.onnx");
  INFO(r.error);
  REQUIRE(r.ok());
  CHECK(r.value.id == "seed-style");
  CHECK(r.value.name == "Seed style");
  CHECK(r.value.input.name == "image");
  CHECK(r.value.output.name == "stylized");
  CHECK(r.value.max_tile == 512);
  CHECK(r.value.credits == "fuzz seed");
  auto meta = read_onnx_metadata(bytes.data(), bytes.size());
  REQUIRE(meta.ok());
  REQUIRE(meta.value.size() == 3);
  CHECK(meta.value[0].key == "styleforge.kind");
  CHECK(meta.value[1].value == "4");
}

TEST_CASE("the shipped models' real bytes: a style is read like a dropped one, a generator refused", "[onnx_metadata]") {
  // The shipped styles were exported with their manifest entry (since the v5 styles), so a person can also drop one
  // in; the entry agrees with models/manifest.json where a file's own entry can (not thumbnail and card paths).
  const Bytes style = test_support::read_bytes(test_support::source_path("models/starry-night.onnx"));
  auto meta = read_onnx_metadata(style.data(), style.size());
  INFO(meta.error);
  REQUIRE(meta.ok());
  REQUIRE(find_metadata(meta.value, kTrainerKindKey) != nullptr);
  CHECK(*find_metadata(meta.value, kTrainerKindKey) == "style");
  REQUIRE(find_metadata(meta.value, "styleforge.options") != nullptr);
  CHECK(json::parse(*find_metadata(meta.value, "styleforge.options"))["command"] == "style");
  auto read = read_style_model(style.data(), style.size(), "starry-night.onnx");
  INFO(read.error);
  REQUIRE(read.ok());
  CHECK(read.value.id == "starry-night");
  CHECK(read.value.kind == ModelKind::Style);
  const Bytes manifest = test_support::read_bytes(test_support::source_path("models/manifest.json"));
  const json shipped = json::parse(std::string(manifest.begin(), manifest.end()));
  for (const auto& e : shipped["models"])
    if (e["id"] == "starry-night") {
      CHECK(read.value.name == e["name"].get<std::string>());
      CHECK(read.value.credits == e["credits"].get<std::string>());
      CHECK(read.value.max_tile == e["max_tile"].get<int>());
    }

  const Bytes gan = test_support::read_bytes(test_support::source_path("models/fashion-dcgan.onnx"));
  CHECK_THAT(style_error(gan, "fashion-dcgan.onnx"),
             Catch::StartsWith("'fashion-dcgan.onnx' is a GAN generator, not a style model"));
  // Cut short anywhere (inside the graph, or in the last field), a real file is not an ONNX model.
  for (size_t n : {size_t(1), size_t(40), style.size() / 2, style.size() - 1}) {
    INFO("first " << n << " bytes");
    CHECK_THAT(style_error(Bytes(style.begin(), style.begin() + long(n))), Catch::Contains("is not an ONNX model"));
  }
}

TEST_CASE("read_style_model refuses either half of an arbitrary-style model, pointing to style images", "[onnx_metadata]") {
  json predictor = {{"id", "a-predictor"}, {"name", "A (style predictor)"}, {"kind", "style-predictor"},
                    {"file", "a-predictor.onnx"}, {"credits", "x"},
                    {"input", {{"name", "style"}, {"layout", "NCHW"},
                               {"normalization", {{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}}}}},
                    {"output", {{"name", "style_code"}, {"layout", "NC"}}}, {"style_size", 64}, {"code_size", 100},
                    {"transformer", "a-transformer"}};
  CHECK(style_error(model_bytes({{kManifestEntryKey, predictor.dump()}}), "a-predictor.onnx") ==
        "'a-predictor.onnx' is one half (the style-predictor file) of an arbitrary-style model, not a style model: it "
        "cannot be added to the styles. To paint with a picture of your own, use \"Use my own style image\" with a "
        "painting (PNG or JPEG).");
  json transformer = style_entry();
  transformer["kind"] = "arbitrary-style";
  transformer["style_input"] = {{"name", "style_code"}, {"layout", "NC"}};
  transformer["code_size"] = 100;
  transformer["predictor"] = "a-predictor";
  CHECK_THAT(style_error(model_bytes({{kManifestEntryKey, transformer.dump()}})),
             Catch::Contains("(the arbitrary-style file) of an arbitrary-style model, not a style model"));
}
