// [manifest] parsing models/manifest.json: a valid manifest of every kind, the repository's own manifest, and one
// exact error per malformed field.
#include <functional>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "styleforge/manifest.h"
#include "test_support.h"

using namespace styleforge;
using nlohmann::json;

namespace {

const char* const kFile = "models/manifest.json";

json image_spec(const char* name) {
  return {{"name", name},
          {"layout", "NCHW"},
          {"normalization", {{"scale", 1}, {"mean", {0, 0, 0}}, {"std", {1, 1, 1}}}}};
}

json valid_manifest() {
  json style = {{"id", "starry-night"}, {"name", "The Starry Night"}, {"kind", "style"},
                {"file", "starry-night.onnx"}, {"input", image_spec("image")}, {"output", image_spec("stylized")},
                {"max_tile", 512}, {"size_multiple", 4},
                {"credits", "Vincent van Gogh, The Starry Night (1889), public domain"},
                {"thumbnail", "starry-night.jpg"}, {"card", "cards/starry-night.md"}};
  json gan = {{"id", "emoji-gan"}, {"name", "Emoji DCGAN"}, {"kind", "gan"}, {"file", "emoji-gan.onnx"},
              {"input", {{"name", "z"}, {"layout", "NC"}}}, {"output", image_spec("image")},
              {"latent_size", 100}, {"image_size", 64}, {"credits", "Twemoji, CC-BY-4.0"}};
  gan["output"]["normalization"] = {{"scale", 1.0 / 255}, {"mean", {0.5, 0.5, 0.5}}, {"std", {0.5, 0.5, 0.5}}};
  json encoder = {{"id", "mnist-vae-encoder"}, {"name", "MNIST VAE encoder"}, {"kind", "vae-encoder"},
                  {"file", "vae-encoder.onnx"}, {"input", image_spec("image")},
                  {"output", {{"name", "mean"}, {"layout", "NC"}}}, {"latent_size", 16}, {"image_size", 28},
                  {"credits", "MNIST"}};
  json decoder = {{"id", "mnist-vae-decoder"}, {"name", "MNIST VAE decoder"}, {"kind", "vae-decoder"},
                  {"file", "vae-decoder.onnx"}, {"input", {{"name", "z"}, {"layout", "NC"}}},
                  {"output", image_spec("image")}, {"latent_size", 16}, {"image_size", 28}, {"credits", "MNIST"}};
  return {{"version", 1}, {"models", {style, gan, encoder, decoder}}};
}

std::string error_after(const std::function<void(json&)>& change) {
  json manifest = valid_manifest();
  change(manifest);
  auto result = parse_manifest(manifest.dump(), kFile);
  return result.ok() ? "(parsed without error)" : result.error;
}

}  // namespace

TEST_CASE("parse_manifest reads every kind of model", "[manifest]") {
  auto result = parse_manifest(valid_manifest().dump(2), kFile);
  INFO(result.error);
  REQUIRE(result.ok());
  const Manifest& m = result.value;
  REQUIRE(m.models.size() == 4);
  const ModelEntry* style = m.find("starry-night");
  REQUIRE(style != nullptr);
  CHECK(style->kind == ModelKind::Style);
  CHECK(style->name == "The Starry Night");
  CHECK(style->file == "starry-night.onnx");
  CHECK(style->input.name == "image");
  CHECK(style->output.name == "stylized");
  CHECK(style->input.layout == "NCHW");
  CHECK(style->input.normalization.scale == 1.0f);
  CHECK(style->max_tile == 512);
  CHECK(style->size_multiple == 4);
  CHECK(style->thumbnail == "starry-night.jpg");
  CHECK(style->card == "cards/starry-night.md");
  const ModelEntry* gan = m.find("emoji-gan");
  REQUIRE(gan != nullptr);
  CHECK(gan->kind == ModelKind::Gan);
  CHECK(gan->latent_size == 100);
  CHECK(gan->image_size == 64);
  CHECK(gan->input.layout == "NC");
  CHECK(gan->output.normalization.mean[2] == 0.5f);
  CHECK(gan->output.normalization.scale == Approx(1.0 / 255));
  CHECK(gan->thumbnail.empty());
  CHECK(m.find("mnist-vae-encoder")->kind == ModelKind::VaeEncoder);
  CHECK(m.find("mnist-vae-decoder")->kind == ModelKind::VaeDecoder);
  CHECK(m.find("no-such-model") == nullptr);
  CHECK(std::string(to_string(ModelKind::VaeEncoder)) == "vae-encoder");
  CHECK(std::string(to_string(ModelKind::Gan)) == "gan");
  // Style defaults when max_tile and size_multiple are left out; unknown fields are ignored.
  json minimal = valid_manifest();
  minimal["models"][0].erase("max_tile");
  minimal["models"][0].erase("size_multiple");
  minimal["models"][0]["future_field"] = true;
  minimal.erase("version");
  auto defaults = parse_manifest(minimal.dump(), kFile);
  REQUIRE(defaults.ok());
  CHECK(defaults.value.models[0].max_tile == 512);
  CHECK(defaults.value.models[0].size_multiple == 4);
}

TEST_CASE("the repository's models/manifest.json loads", "[manifest]") {
  const std::string path = test_support::source_path("models/manifest.json");
  auto result = load_manifest_file(path);
  INFO(result.error);
  CHECK(result.ok());
  CHECK(load_manifest_file("/nonexistent-folder/manifest.json").error ==
        "cannot open /nonexistent-folder/manifest.json (No such file or directory): check that the models folder is "
        "next to the app");
}

TEST_CASE("parse_manifest refuses invalid JSON with its position", "[manifest]") {
  CHECK(parse_manifest("{\"models\": [}", kFile).error ==
        "models/manifest.json: not valid JSON: parse error at line 1, column 13: syntax error while parsing value - "
        "unexpected '}'; expected '[', '{', or a literal; fix the file (a missing comma, quote or bracket is the "
        "usual cause)");
  CHECK(parse_manifest("", kFile).error ==
        "models/manifest.json: not valid JSON: parse error at line 1, column 1: syntax error while parsing value - "
        "unexpected end of input; expected '[', '{', or a literal; fix the file (a missing comma, quote or bracket "
        "is the usual cause)");
  CHECK(parse_manifest("[]", kFile).error == "models/manifest.json: expected a JSON object with \"models\", got an array");
}

TEST_CASE("parse_manifest names the file and field of every error", "[manifest]") {
  struct Case {
    const char* what;
    std::function<void(json&)> change;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"models missing", [](json& j) { j.erase("models"); }, "models/manifest.json: models: missing (expected an array)"},
      {"models not an array", [](json& j) { j["models"] = "none"; },
       "models/manifest.json: models: expected an array, got string \"none\""},
      {"wrong version", [](json& j) { j["version"] = 2; },
       "models/manifest.json: version: this build reads version 1, the file is version 2: use a matching styleforge "
       "build"},
      {"entry not an object", [](json& j) { j["models"][1] = 5; },
       "models/manifest.json: models[1]: expected an object, got number 5"},
      {"id missing", [](json& j) { j["models"][2].erase("id"); },
       "models/manifest.json: models[2].id: missing (expected a string)"},
      {"id with capitals", [](json& j) { j["models"][0]["id"] = "Starry Night"; },
       "models/manifest.json: models[0].id: \"Starry Night\" may only use a-z, 0-9 and '-', and must not be empty"},
      {"duplicate id", [](json& j) { j["models"][3]["id"] = "emoji-gan"; },
       "models/manifest.json: models[3].id: duplicate id \"emoji-gan\" (models[1] has it too): give each model its "
       "own id"},
      {"name not a string", [](json& j) { j["models"][0]["name"] = 12; },
       "models/manifest.json: models[0].name: expected a string, got number 12"},
      {"empty name", [](json& j) { j["models"][0]["name"] = ""; },
       "models/manifest.json: models[0].name: must not be empty (it is shown to people)"},
      {"unknown kind", [](json& j) { j["models"][0]["kind"] = "diffusion"; },
       "models/manifest.json: models[0].kind: unknown kind \"diffusion\" (expected style, gan, vae-encoder, "
       "vae-decoder, style-predictor or arbitrary-style)"},
      {"file missing", [](json& j) { j["models"][1].erase("file"); },
       "models/manifest.json: models[1].file: missing (expected a string)"},
      {"file escapes the folder", [](json& j) { j["models"][0]["file"] = "../secret.onnx"; },
       "models/manifest.json: models[0].file: \"../secret.onnx\" must be a path relative to the manifest's folder, "
       "without '..'"},
      {"absolute thumbnail", [](json& j) { j["models"][0]["thumbnail"] = "/etc/passwd"; },
       "models/manifest.json: models[0].thumbnail: \"/etc/passwd\" must be a path relative to the manifest's "
       "folder, without '..'"},
      {"input missing", [](json& j) { j["models"][0].erase("input"); },
       "models/manifest.json: models[0].input: missing (expected an object with name and layout)"},
      {"input name missing", [](json& j) { j["models"][2]["input"].erase("name"); },
       "models/manifest.json: models[2].input.name: missing (expected a string)"},
      {"output name empty", [](json& j) { j["models"][0]["output"]["name"] = ""; },
       "models/manifest.json: models[0].output.name: must not be empty (it is the ONNX tensor's name)"},
      {"bad layout", [](json& j) { j["models"][0]["input"]["layout"] = "NHWC"; },
       "models/manifest.json: models[0].input.layout: expected \"NCHW\" here, got \"NHWC\""},
      {"generator with an image input", [](json& j) { j["models"][1]["input"]["layout"] = "NCHW"; },
       "models/manifest.json: models[1].input.layout: expected \"NC\" here, got \"NCHW\""},
      {"encoder with an image output", [](json& j) { j["models"][2]["output"]["layout"] = "NCHW"; },
       "models/manifest.json: models[2].output.layout: expected \"NC\" here, got \"NCHW\""},
      {"normalization missing", [](json& j) { j["models"][0]["output"].erase("normalization"); },
       "models/manifest.json: models[0].output.normalization: missing (expected an object with scale, mean and std)"},
      {"scale zero", [](json& j) { j["models"][0]["input"]["normalization"]["scale"] = 0; },
       "models/manifest.json: models[0].input.normalization.scale: must be greater than 0 (pixel values are divided "
       "by it), got 0"},
      {"mean too short", [](json& j) { j["models"][0]["input"]["normalization"]["mean"] = {0, 0}; },
       "models/manifest.json: models[0].input.normalization.mean: expected an array of 3 numbers (R, G, B), got an "
       "array of 2"},
      {"mean not numbers", [](json& j) { j["models"][0]["input"]["normalization"]["mean"][1] = "0"; },
       "models/manifest.json: models[0].input.normalization.mean[1]: expected a number, got string \"0\""},
      {"std of 0", [](json& j) { j["models"][1]["output"]["normalization"]["std"][2] = 0; },
       "models/manifest.json: models[1].output.normalization.std[2]: must be greater than 0 (pixel values are "
       "divided by it), got 0"},
      {"std not an array", [](json& j) { j["models"][0]["input"]["normalization"]["std"] = 1; },
       "models/manifest.json: models[0].input.normalization.std: expected an array of 3 numbers, got number 1"},
      {"negative max_tile", [](json& j) { j["models"][0]["max_tile"] = -512; },
       "models/manifest.json: models[0].max_tile: expected an integer from 1 to 16384, got -512"},
      {"fractional size_multiple", [](json& j) { j["models"][0]["size_multiple"] = 2.5; },
       "models/manifest.json: models[0].size_multiple: expected an integer from 1 to 1024, got number 2.5"},
      {"huge max_tile", [](json& j) { j["models"][0]["max_tile"] = 18446744073709551615ull; },
       "models/manifest.json: models[0].max_tile: expected an integer from 1 to 16384, got 18446744073709551615"},
      {"max_tile below size_multiple", [](json& j) { j["models"][0]["max_tile"] = 2; },
       "models/manifest.json: models[0].max_tile: 2 is smaller than size_multiple (4)"},
      {"generator without latent_size", [](json& j) { j["models"][1].erase("latent_size"); },
       "models/manifest.json: models[1].latent_size: missing (expected an integer from 1 to 65536; gan models need "
       "it)"},
      {"decoder without image_size", [](json& j) { j["models"][3].erase("image_size"); },
       "models/manifest.json: models[3].image_size: missing (expected an integer from 1 to 16384; vae-decoder "
       "models need it)"},
      {"negative latent_size", [](json& j) { j["models"][2]["latent_size"] = -16; },
       "models/manifest.json: models[2].latent_size: expected an integer from 1 to 65536, got -16"},
      {"credits missing", [](json& j) { j["models"][0].erase("credits"); },
       "models/manifest.json: models[0].credits: missing (expected a string)"},
      {"credits empty", [](json& j) { j["models"][3]["credits"] = ""; },
       "models/manifest.json: models[3].credits: must not be empty: name the artwork and data the model was trained "
       "on"},
      {"card not a string", [](json& j) { j["models"][0]["card"] = {{"path", "x.md"}}; },
       "models/manifest.json: models[0].card: expected a string, got an object"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(error_after(c.change) == c.error);
  }
}

// Issue 14's fuzz finding; the manifests are kept in tests/fuzz/corpus/manifest.
TEST_CASE("parse_manifest checks normalisation numbers as the floats it stores", "[manifest]") {
  auto parse_corpus = [](const std::string& name) {
    const std::vector<uint8_t> bytes = test_support::read_bytes(test_support::corpus_path("manifest", name));
    auto result = parse_manifest(std::string(bytes.begin(), bytes.end()), kFile);
    return result.ok() ? "(parsed without error)" : result.error;
  };
  // Valid doubles, but 1e-50 becomes 0 as a float (every pixel NaN) and 1e39 becomes infinity.
  CHECK(parse_corpus("std_1e-50.json") ==
        "models/manifest.json: models[0].input.normalization.std[1]: 1e-50 is too close to 0 for a 32-bit float (the "
        "smallest normal one is about 1.2e-38)");
  CHECK(parse_corpus("std_1e39.json") ==
        "models/manifest.json: models[0].input.normalization.std[2]: 1e+39 is beyond the range of a 32-bit float "
        "(about 3.4e38)");
  CHECK(parse_corpus("scale_mean_too_far_apart.json") ==
        "models/manifest.json: models[0].input.normalization: scale, mean[0] and std[0] are too far apart: dividing "
        "one by another overflows a 32-bit float");
  CHECK(error_after([](json& j) { j["models"][1]["output"]["normalization"]["scale"] = 1e-40; }) ==
        "models/manifest.json: models[1].output.normalization.scale: 1e-40 is too close to 0 for a 32-bit float (the "
        "smallest normal one is about 1.2e-38)");
  CHECK(error_after([](json& j) { j["models"][0]["input"]["normalization"]["mean"][0] = -4e38; }) ==
        "models/manifest.json: models[0].input.normalization.mean[0]: -4e+38 is beyond the range of a 32-bit float "
        "(about 3.4e38)");
  // The extremes that fit still parse and are stored exactly as the float they are.
  json manifest = valid_manifest();
  manifest["models"][0]["input"]["normalization"]["std"] = {1e-37, 1e37, 3e38};
  manifest["models"][0]["input"]["normalization"]["scale"] = 1;
  auto parsed = parse_manifest(manifest.dump(), kFile);
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  CHECK(parsed.value.models[0].input.normalization.std[2] == 3e38f);
}

TEST_CASE("parse_manifest reads a class-conditional generator's classes and named directions", "[manifest]") {
  json manifest = valid_manifest();
  json& gan = manifest["models"][1];
  gan["latent_size"] = 5;  // 3 free values + 2 classes
  gan["classes"] = {"sneaker", "dress"};
  gan["directions"] = {{{"name", "wider"}, {"vector", {0.6, 0.8, 0}}}, {{"name", "brighter"}, {"vector", {0, 0, 1}}}};
  auto result = parse_manifest(manifest.dump(), kFile);
  INFO(result.error);
  REQUIRE(result.ok());
  const ModelEntry* entry = result.value.find("emoji-gan");
  REQUIRE(entry != nullptr);
  CHECK(entry->classes == std::vector<std::string>{"sneaker", "dress"});
  CHECK(entry->free_latent_size() == 3);
  REQUIRE(entry->directions.size() == 2);
  CHECK(entry->directions[0].name == "wider");
  CHECK(entry->directions[0].vector == std::vector<float>{0.6f, 0.8f, 0.0f});
  CHECK(result.value.find("mnist-vae-decoder")->classes.empty());  // unconditional: no classes, all latent is z

  auto error = [&](const std::function<void(json&)>& change) {
    json broken = manifest;
    change(broken["models"][1]);
    auto r = parse_manifest(broken.dump(), kFile);
    return r.ok() ? std::string("(parsed without error)") : r.error;
  };
  CHECK(error([](json& g) { g["directions"][1]["vector"] = {1, 2}; }) ==
        "models/manifest.json: models[1].directions[1].vector: expected 3 numbers (latent_size less the classes)");
  CHECK(error([](json& g) { g["classes"][1] = ""; }) ==
        "models/manifest.json: models[1].classes[1]: expected a class name (a non-empty string)");
  CHECK(error([](json& g) { g["latent_size"] = 2; }) ==
        "models/manifest.json: models[1].classes: 2 classes leave no free latent values in latent_size 2 (the class "
        "is the last values of the latent)");
}

TEST_CASE("parse_manifest reads a GAN's default truncation and refuses one out of range or on another kind",
          "[manifest]") {
  json manifest = valid_manifest();
  auto parsed = parse_manifest(manifest.dump(), kFile);
  REQUIRE(parsed.ok());
  CHECK(parsed.value.find("emoji-gan")->truncation == 1.0f);  // absent: z as drawn
  manifest["models"][1]["truncation"] = 0.5;
  parsed = parse_manifest(manifest.dump(), kFile);
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  CHECK(parsed.value.find("emoji-gan")->truncation == 0.5f);
  auto error = [&](int index, const json& value) {
    json broken = manifest;
    broken["models"][index]["truncation"] = value;
    auto r = parse_manifest(broken.dump(), kFile);
    return r.ok() ? std::string("(parsed without error)") : r.error;
  };
  CHECK(error(1, 0) == "models/manifest.json: models[1].truncation: expected a number in (0, 1] (1: z as drawn; "
                       "smaller: more typical pictures), got 0");
  CHECK(error(1, 1.5).find("expected a number in (0, 1]") != std::string::npos);
  CHECK(error(1, "half").find("models[1].truncation") != std::string::npos);
  CHECK(error(0, 0.5) == "models/manifest.json: models[0].truncation: only a gan entry has a truncation");
}

namespace {

// valid_manifest() with a fast network of starry-night (issue 10 item 3), as scripts/package-models writes it.
json manifest_with_fast_variant() {
  json manifest = valid_manifest();
  json fast = manifest["models"][0];
  fast["id"] = "starry-night-fast";
  fast["name"] = "The Starry Night (fast)";
  fast["file"] = "starry-night-fast.onnx";
  fast["card"] = "cards/starry-night-fast.md";
  fast["cost"] = {{"macs_per_pixel", 7812}, {"parameters", 1234}};
  fast["variant_of"] = "starry-night";
  manifest["models"][0]["cost"] = {{"macs_per_pixel", 37216}, {"parameters", 1679235}};
  manifest["models"].push_back(fast);
  return manifest;
}

}  // namespace

TEST_CASE("parse_manifest reads a style's fast network and its cost", "[manifest]") {
  auto result = parse_manifest(manifest_with_fast_variant().dump(), kFile);
  INFO(result.error);
  REQUIRE(result.ok());
  const Manifest& m = result.value;
  const ModelEntry* quality = m.find("starry-night");
  const ModelEntry* fast = m.find("starry-night-fast");
  REQUIRE(quality != nullptr);
  REQUIRE(fast != nullptr);
  CHECK(quality->variant_of.empty());
  CHECK(fast->variant_of == "starry-night");
  CHECK(fast->kind == ModelKind::Style);
  CHECK(quality->macs_per_pixel == 37216);
  CHECK(fast->macs_per_pixel == 7812);
  CHECK(m.fast_variant("starry-night") == fast);
  CHECK(m.fast_variant("starry-night-fast") == nullptr);  // a fast network has no fast network of its own
  CHECK(m.fast_variant("emoji-gan") == nullptr);
  CHECK(m.fast_variant("") == nullptr);  // entries without variant_of must not match an empty id
  CHECK(m.find("emoji-gan")->macs_per_pixel == 0);  // no cost given: unknown
}

TEST_CASE("parse_manifest refuses a fast network that does not name a quality style", "[manifest]") {
  auto error = [](const std::function<void(json&)>& change) {
    json manifest = manifest_with_fast_variant();
    change(manifest["models"]);
    auto r = parse_manifest(manifest.dump(), kFile);
    return r.ok() ? std::string("(parsed without error)") : r.error;
  };
  const char* claim = "models/manifest.json: models[4].variant_of: \"starry-night-fast\" is a fast network of ";
  CHECK(error([](json& m) { m[4]["variant_of"] = "starry-nite"; }) ==
        std::string(claim) + "\"starry-nite\", but no model has that id: list its quality style in the same manifest");
  CHECK(error([](json& m) { m[4]["variant_of"] = "starry-night-fast"; }) ==
        std::string(claim) + "\"starry-night-fast\", but that is this entry: name its quality style");
  CHECK(error([](json& m) { m[4]["variant_of"] = "emoji-gan"; }) ==
        std::string(claim) + "\"emoji-gan\", but that is a gan model: a fast network stands in for a style");
  // A fast network of a fast network: the chain's second link is refused.
  CHECK(error([](json& m) {
          json faster = m[4];
          faster["id"] = "starry-night-faster";
          faster["variant_of"] = "starry-night-fast";
          m.push_back(faster);
        }) == "models/manifest.json: models[5].variant_of: \"starry-night-faster\" is a fast network of "
              "\"starry-night-fast\", but that is itself a fast network (of \"starry-night\"): name the quality style");
  CHECK(error([](json& m) {
          json second = m[4];
          second["id"] = "starry-night-fast2";
          m.push_back(second);
        }) == "models/manifest.json: models[5].variant_of: \"starry-night-fast2\" is a fast network of "
              "\"starry-night\", but it already has one, \"starry-night-fast\": a style has at most one");
  // The entry itself: only styles, and the field must be an id.
  CHECK(error([](json& m) { m[1]["variant_of"] = "starry-night"; }) ==
        "models/manifest.json: models[1].variant_of: only a style can be a fast network, this is a gan model");
  CHECK(error([](json& m) { m[4]["variant_of"] = 3; }) ==
        "models/manifest.json: models[4].variant_of: expected a string, got number 3");
  CHECK(error([](json& m) { m[4]["variant_of"] = ""; }) ==
        "models/manifest.json: models[4].variant_of: \"\" must be the id of the quality style (a-z, 0-9, '-')");
  CHECK(error([](json& m) { m[4]["cost"] = 7812; }) ==
        "models/manifest.json: models[4].cost: expected an object with macs_per_pixel, got number 7812");
  CHECK(error([](json& m) { m[4]["cost"]["macs_per_pixel"] = -1; }) ==
        "models/manifest.json: models[4].cost.macs_per_pixel: expected an integer from 1 to 2000000000, got -1");
}

TEST_CASE("a lone entry may carry variant_of; only a manifest checks what it names", "[manifest]") {
  json entry = manifest_with_fast_variant()["models"][4];
  auto lone = parse_model_entry(entry.dump(), "my.onnx");
  INFO(lone.error);
  REQUIRE(lone.ok());
  CHECK(lone.value.variant_of == "starry-night");
  entry["kind"] = "gan";
  entry["latent_size"] = 4;
  entry["image_size"] = 8;
  entry["input"] = {{"name", "z"}, {"layout", "NC"}};
  CHECK(parse_model_entry(entry.dump(), "my.onnx").error ==
        "my.onnx: variant_of: only a style can be a fast network, this is a gan model");
}

TEST_CASE("parse_manifest reads which network runs by default", "[manifest]") {
  auto parsed = [](const std::function<void(json&)>& change) {
    json manifest = manifest_with_fast_variant();
    change(manifest);
    return parse_manifest(manifest.dump(), kFile);
  };
  auto absent = parsed([](json&) {});
  REQUIRE(absent.ok());
  CHECK_FALSE(absent.value.fast_by_default);  // without the field: the quality network, as before the field
  auto fast = parsed([](json& m) { m["default_network"] = "fast"; });
  REQUIRE(fast.ok());
  CHECK(fast.value.fast_by_default);
  auto quality = parsed([](json& m) { m["default_network"] = "quality"; });
  REQUIRE(quality.ok());
  CHECK_FALSE(quality.value.fast_by_default);
  CHECK(parsed([](json& m) { m["default_network"] = "Fast"; }).error ==
        "models/manifest.json: default_network: \"Fast\" is neither \"quality\" nor \"fast\"");
  CHECK(parsed([](json& m) { m["default_network"] = true; }).error ==
        "models/manifest.json: default_network: expected a string, got boolean true");
}
