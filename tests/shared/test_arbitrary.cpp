// [arbitrary] an arbitrary-style model in the manifest (kinds style-predictor and arbitrary-style, as
// `styleforge-trainer export` writes them: trainer/README.md, "The exported files") and its style codes: the
// painting prepared for the predictor, the predictor's output read, two codes mixed.
#include <cmath>
#include <functional>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "styleforge/manifest.h"
#include "styleforge/style_code.h"
#include "test_support.h"

using namespace styleforge;
using nlohmann::json;

namespace {

const char* const kFile = "models/manifest.json";

json identity_spec(const char* name) {
  return {{"name", name}, {"layout", "NCHW"},
          {"normalization", {{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}}}};
}

// The two entries exactly as export writes them (trainer/src/export.cpp, export_arbitrary_files).
json predictor_entry() {
  return {{"id", "arbitrary-predictor"}, {"name", "Any painting (style predictor)"}, {"kind", "style-predictor"},
          {"file", "arbitrary-predictor.onnx"}, {"credits", "34 paintings"}, {"input", identity_spec("style")},
          {"output", {{"name", "style_code"}, {"layout", "NC"}}}, {"style_size", 256}, {"code_size", 100},
          {"transformer", "arbitrary-transformer"}};
}
json transformer_entry() {
  return {{"id", "arbitrary-transformer"}, {"name", "Any painting"}, {"kind", "arbitrary-style"},
          {"file", "arbitrary-transformer.onnx"}, {"credits", "34 paintings"}, {"input", identity_spec("image")},
          {"style_input", {{"name", "style_code"}, {"layout", "NC"}}}, {"output", identity_spec("stylized")},
          {"max_tile", 512}, {"size_multiple", 4}, {"code_size", 100}, {"predictor", "arbitrary-predictor"}};
}
json manifest_with_pair() { return {{"version", 1}, {"models", {predictor_entry(), transformer_entry()}}}; }

std::string error_after(const std::function<void(json&)>& change) {
  json manifest = manifest_with_pair();
  change(manifest);
  auto result = parse_manifest(manifest.dump(), kFile);
  return result.ok() ? "(parsed without error)" : result.error;
}

}  // namespace

TEST_CASE("parse_manifest reads an arbitrary-style model's two entries", "[arbitrary]") {
  auto result = parse_manifest(manifest_with_pair().dump(2), kFile);
  INFO(result.error);
  REQUIRE(result.ok());
  const ModelEntry* predictor = result.value.find("arbitrary-predictor");
  const ModelEntry* transformer = result.value.find("arbitrary-transformer");
  REQUIRE(predictor != nullptr);
  REQUIRE(transformer != nullptr);
  CHECK(predictor->kind == ModelKind::StylePredictor);
  CHECK(std::string(to_string(predictor->kind)) == "style-predictor");
  CHECK(predictor->input.name == "style");
  CHECK(predictor->input.layout == "NCHW");
  CHECK(predictor->input.normalization.scale == 1.0f);
  CHECK(predictor->output.name == "style_code");
  CHECK(predictor->output.layout == "NC");
  CHECK(predictor->style_size == 256);
  CHECK(predictor->code_size == 100);
  CHECK(predictor->transformer == "arbitrary-transformer");

  CHECK(transformer->kind == ModelKind::ArbitraryStyle);
  CHECK(std::string(to_string(transformer->kind)) == "arbitrary-style");
  CHECK(transformer->input.name == "image");
  CHECK(transformer->style_input.name == "style_code");
  CHECK(transformer->style_input.layout == "NC");
  CHECK(transformer->output.name == "stylized");
  CHECK(transformer->max_tile == 512);
  CHECK(transformer->size_multiple == 4);
  CHECK(transformer->code_size == 100);
  CHECK(transformer->predictor == "arbitrary-predictor");
}

TEST_CASE("parse_model_entry reads each half on its own (what an exported file's metadata holds)", "[arbitrary]") {
  auto predictor = parse_model_entry(predictor_entry().dump(), "arbitrary-predictor.onnx");
  INFO(predictor.error);
  CHECK(predictor.ok());
  auto transformer = parse_model_entry(transformer_entry().dump(), "arbitrary-transformer.onnx");
  INFO(transformer.error);
  CHECK(transformer.ok());
}

TEST_CASE("parse_manifest names the broken field of an arbitrary-style entry", "[arbitrary]") {
  const std::vector<std::tuple<const char*, std::function<void(json&)>, std::string>> cases = {
      {"predictor without style_size", [](json& j) { j["models"][0].erase("style_size"); },
       "models/manifest.json: models[0].style_size: missing (expected an integer from 32 to 16384; style-predictor "
       "models need it)"},
      {"style_size too small", [](json& j) { j["models"][0]["style_size"] = 8; },
       "models/manifest.json: models[0].style_size: expected an integer from 32 to 16384, got 8"},
      {"code_size missing", [](json& j) { j["models"][1].erase("code_size"); },
       "models/manifest.json: models[1].code_size: missing (expected an integer from 1 to 65536; arbitrary-style "
       "models need it)"},
      {"predictor output as an image", [](json& j) { j["models"][0]["output"]["layout"] = "NCHW"; },
       "models/manifest.json: models[0].output.layout: expected \"NC\" here, got \"NCHW\""},
      {"transformer without style_input", [](json& j) { j["models"][1].erase("style_input"); },
       "models/manifest.json: models[1].style_input: missing (expected an object with name and layout)"},
      {"style_input as an image", [](json& j) { j["models"][1]["style_input"]["layout"] = "NCHW"; },
       "models/manifest.json: models[1].style_input.layout: expected \"NC\" here, got \"NCHW\""},
      {"transformer names no predictor", [](json& j) { j["models"][1].erase("predictor"); },
       "models/manifest.json: models[1].predictor: missing (expected a string)"},
      {"partner id not an id", [](json& j) { j["models"][0]["transformer"] = "../x"; },
       "models/manifest.json: models[0].transformer: \"../x\" must be the id of its arbitrary-style transformer "
       "(a-z, 0-9, '-')"},
      {"partner absent", [](json& j) { j["models"].erase(1); },
       "models/manifest.json: models[0].transformer: no model has the id \"arbitrary-transformer\": list both files "
       "of an arbitrary-style model"},
      {"partner of the wrong kind", [](json& j) { j["models"][1]["kind"] = "style"; },
       "models/manifest.json: models[0].transformer: \"arbitrary-transformer\" is a style model, expected "
       "arbitrary-style"},
      {"partner does not name it back", [](json& j) { j["models"][1]["predictor"] = "other"; },
       "models/manifest.json: models[0].transformer: \"arbitrary-transformer\" does not name "
       "\"arbitrary-predictor\" back as its partner"},
      {"code sizes differ", [](json& j) { j["models"][1]["code_size"] = 64; },
       "models/manifest.json: models[0].transformer: \"arbitrary-transformer\" has code_size 64, this model 100: "
       "they must match"},
  };
  for (const auto& [what, change, expected] : cases) {
    INFO(what);
    CHECK(error_after(change) == expected);
  }
}

TEST_CASE("prepare_painting scales the shorter side to style_size and refuses tiny pictures", "[arbitrary]") {
  const Image wide = test_support::pattern(200, 100);
  auto scaled = prepare_painting(wide, 64);
  INFO(scaled.error);
  REQUIRE(scaled.ok());
  CHECK(scaled.value.width == 128);
  CHECK(scaled.value.height == 64);
  auto tall = prepare_painting(test_support::pattern(90, 150), 60);
  REQUIRE(tall.ok());
  CHECK(tall.value.width == 60);
  CHECK(tall.value.height == 100);
  // Already the size: the same pixels, not a resampled copy (the browser test's reference relies on it).
  const Image exact = test_support::pattern(64, 80);
  auto same = prepare_painting(exact, 64);
  REQUIRE(same.ok());
  CHECK(same.value.rgba == exact.rgba);
  // A panorama keeps its middle, at most 4:1.
  auto panorama = prepare_painting(test_support::pattern(1000, 100), 50);
  REQUIRE(panorama.ok());
  CHECK(panorama.value.width == 200);
  CHECK(panorama.value.height == 50);

  auto one = prepare_painting(test_support::pattern(1, 1), 256);
  CHECK(one.error == "the picture is only 1x1 pixels: a style image needs at least 32 pixels on its shorter side "
                     "(a photo or scan of a painting, a few hundred pixels or more, works best)");
  CHECK_FALSE(prepare_painting(test_support::pattern(500, 31), 256).ok());
  CHECK(prepare_painting(test_support::pattern(32, 32), 256).ok());
}

TEST_CASE("style codes: read from the predictor, mixed, made a conditioning tensor", "[arbitrary]") {
  Tensor out;
  out.shape = {1, 4};
  out.data = {1, 2, 3, 4};
  auto code = read_style_code(out, 4);
  REQUIRE(code.ok());
  CHECK(code.value == std::vector<float>{1, 2, 3, 4});
  CHECK(read_style_code(out, 5).error == "the style predictor returned a tensor {1,4} where its manifest entry says {1,5}");
  out.data[2] = std::nanf("");
  CHECK_FALSE(read_style_code(out, 4).ok());

  const std::vector<float> a{0, 10, -4}, b{10, 0, 4};
  CHECK(mix_style_codes(a, b, 0).value == a);
  CHECK(mix_style_codes(a, b, 1).value == b);
  CHECK(mix_style_codes(a, b, 0.25f).value == std::vector<float>{2.5f, 7.5f, -2});
  CHECK(mix_style_codes(a, b, 7).value == b);  // clamped
  CHECK_FALSE(mix_style_codes(a, {1, 2}, 0.5f).ok());

  const Tensor t = style_code_tensor(a);
  CHECK(t.shape == std::vector<int64_t>{1, 3});
  CHECK(t.data == a);
}
