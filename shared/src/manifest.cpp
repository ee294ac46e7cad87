// models/manifest.json, read without exceptions (the web build cannot catch them): every field is looked up and
// type-checked before use, and the first problem becomes an error naming the file and the field's path.
#include "styleforge/manifest.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "styleforge/latent.h"

namespace styleforge {
namespace {

using nlohmann::json;

constexpr int kManifestVersion = 1;
constexpr std::streamoff kMaxManifestBytes = 16LL * 1024 * 1024;
constexpr int64_t kMaxSide = 16384;         // max_tile, image_size
constexpr int64_t kMaxSizeMultiple = 1024;
constexpr int64_t kMaxLatentSize = 65536;
constexpr int64_t kMaxCodeSize = 65536;
// The predictor's trunk reaches stride 16 and takes per-channel statistics there: a painting needs at least 32 px.
constexpr int64_t kMinStyleSize = 32;

// Collects the first error; later checks become no-ops so one bad field gives one clear message.
class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(const std::string& path, const std::string& problem) {
    // A lone entry's paths start with '.' (".input.name"): the dot goes.
    const std::string shown = !path.empty() && path[0] == '.' ? path.substr(1) : path;
    if (error_.empty()) error_ = file_ + ": " + (shown.empty() ? "" : shown + ": ") + problem;
  }

  // The member `key` of `object`, or nullptr when absent (then, if `expected` is given, reports it missing).
  const json* member(const json& object, const std::string& path, const char* expected) {
    const auto it = object.find(last_key(path));
    if (it != object.end()) return &*it;
    if (expected != nullptr) fail(path, std::string("missing (expected ") + expected + ")");
    return nullptr;
  }

  bool read_string(const json& object, const std::string& path, bool required, std::string& out) {
    const json* value = member(object, path, required ? "a string" : nullptr);
    if (value == nullptr) return !required;
    if (!value->is_string()) return wrong_type(path, "a string", *value);
    out = value->get<std::string>();
    return true;
  }

  bool read_int(const json& object, const std::string& path, bool required, int64_t low, int64_t high, int& out,
                const std::string& why_required = {}) {
    const std::string expected = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
    const json* value = member(object, path, nullptr);
    if (value == nullptr) {
      if (required) fail(path, "missing (expected " + expected + why_required + ")");
      return !required;
    }
    if (value->is_number_unsigned()) {
      const uint64_t v = value->get<uint64_t>();
      if (v > uint64_t(high)) return out_of_range(path, expected, value->dump());
      if (int64_t(v) < low) return out_of_range(path, expected, value->dump());
      out = int(v);
      return true;
    }
    if (value->is_number_integer()) {
      const int64_t v = value->get<int64_t>();
      if (v < low || v > high) return out_of_range(path, expected, value->dump());
      out = int(v);
      return true;
    }
    return wrong_type(path, expected.c_str(), *value);
  }

  // A number that is finite as a float; `positive` also refuses 0, negatives and numbers that become 0 or lose
  // precision (subnormal) as a float. Checked after the conversion, since the float is what is used: 1e39 passes as
  // a double and becomes infinity, 1e-50 becomes 0 and turns every pixel into NaN.
  bool read_number(const json& value, const std::string& path, bool positive, float& out) {
    if (!value.is_number()) return wrong_type(path, "a number", value);
    const double v = value.get<double>();
    if (!std::isfinite(v)) {
      fail(path, "must be a finite number");
      return false;
    }
    if (positive && !(v > 0.0)) {
      fail(path, "must be greater than 0 (pixel values are divided by it), got " + value.dump());
      return false;
    }
    const float f = float(v);
    if (!std::isfinite(f)) {
      fail(path, value.dump() + " is beyond the range of a 32-bit float (about 3.4e38)");
      return false;
    }
    if (positive && !std::isnormal(f)) {
      fail(path, value.dump() + " is too close to 0 for a 32-bit float (the smallest normal one is about 1.2e-38)");
      return false;
    }
    out = f;
    return true;
  }

  bool wrong_type(const std::string& path, const char* expected, const json& value) {
    fail(path, std::string("expected ") + expected + ", got " + describe(value));
    return false;
  }

 private:
  static std::string last_key(const std::string& path) {
    const size_t dot = path.find_last_of('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
  }
  static std::string describe(const json& value) {
    if (value.is_string() || value.is_number() || value.is_boolean() || value.is_null()) {
      return std::string(value.type_name()) + " " + value.dump();
    }
    return std::string("an ") + value.type_name();  // array or object
  }
  bool out_of_range(const std::string& path, const std::string& expected, const std::string& got) {
    fail(path, "expected " + expected + ", got " + got);
    return false;
  }

  std::string file_;
  std::string error_;
};

bool parse_kind(const std::string& text, ModelKind& kind) {
  for (ModelKind k : {ModelKind::Style, ModelKind::Gan, ModelKind::VaeEncoder, ModelKind::VaeDecoder,
                      ModelKind::StylePredictor, ModelKind::ArbitraryStyle}) {
    if (text == to_string(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Relative to the manifest's folder and staying inside it: a manifest must not point at arbitrary files.
bool valid_relative_path(const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find('\\') != std::string::npos || path.find(':') != std::string::npos) {
    return false;
  }
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") return false;
  }
  return true;
}

void read_path(Checker& check, const json& object, const std::string& path, bool required, std::string& out) {
  if (!check.read_string(object, path, required, out)) return;
  if (out.empty() && !required) return;
  if (!valid_relative_path(out)) {
    check.fail(path, "\"" + out + "\" must be a path relative to the manifest's folder, without '..'");
  }
}

// image_to_tensor and tensor_to_image compute scale / std, mean / std, std / scale and mean / scale in float; each
// number can be a valid float while a quotient is not (scale 1e-30 with mean 1e30).
void check_coefficients(Checker& check, const std::string& path, const Normalization& norm) {
  for (size_t c = 0; c < 3; ++c) {
    const float quotients[4] = {norm.scale / norm.std[c], norm.mean[c] / norm.std[c], norm.std[c] / norm.scale,
                                norm.mean[c] / norm.scale};
    for (float q : quotients) {
      if (!std::isfinite(q)) {
        return check.fail(path, "scale, mean[" + std::to_string(c) + "] and std[" + std::to_string(c) +
                                    "] are too far apart: dividing one by another overflows a 32-bit float");
      }
    }
  }
}

void read_normalization(Checker& check, const json& object, const std::string& path, Normalization& norm) {
  const json* value = check.member(object, path, "an object with scale, mean and std");
  if (value == nullptr) return;
  if (!value->is_object()) {
    check.wrong_type(path, "an object with scale, mean and std", *value);
    return;
  }
  const json* scale = check.member(*value, path + ".scale", "a number greater than 0");
  if (scale == nullptr || !check.read_number(*scale, path + ".scale", true, norm.scale)) return;
  for (const char* key : {"mean", "std"}) {
    const std::string field = path + "." + key;
    const json* array = check.member(*value, field, "an array of 3 numbers");
    if (array == nullptr) return;
    if (!array->is_array()) {
      check.wrong_type(field, "an array of 3 numbers", *array);
      return;
    }
    if (array->size() != 3) {
      check.fail(field, "expected an array of 3 numbers (R, G, B), got an array of " + std::to_string(array->size()));
      return;
    }
    std::array<float, 3>& target = std::strcmp(key, "mean") == 0 ? norm.mean : norm.std;
    const bool positive = std::strcmp(key, "std") == 0;
    for (size_t c = 0; c < 3; ++c) {
      if (!check.read_number((*array)[c], field + "[" + std::to_string(c) + "]", positive, target[c])) return;
    }
  }
  check_coefficients(check, path, norm);
}

void read_tensor_spec(Checker& check, const json& entry, const std::string& path, const char* want_layout,
                      TensorSpec& spec) {
  const json* value = check.member(entry, path, "an object with name and layout");
  if (value == nullptr) return;
  if (!value->is_object()) {
    check.wrong_type(path, "an object with name and layout", *value);
    return;
  }
  if (!check.read_string(*value, path + ".name", true, spec.name)) return;
  if (spec.name.empty()) return check.fail(path + ".name", "must not be empty (it is the ONNX tensor's name)");
  if (!check.read_string(*value, path + ".layout", true, spec.layout)) return;
  if (spec.layout != want_layout) {
    return check.fail(path + ".layout", std::string("expected \"") + want_layout + "\" here, got \"" + spec.layout + "\"");
  }
  if (spec.layout == "NCHW") read_normalization(check, *value, path + ".normalization", spec.normalization);
}

constexpr size_t kMaxClasses = 1000;
constexpr size_t kMaxDirections = 64;

// "classes": names of a class-conditional generator's classes (the last latent values are the class).
void read_classes(Checker& check, const json& entry, const std::string& path, ModelEntry& model) {
  const json* value = check.member(entry, path, nullptr);
  if (value == nullptr) return;
  const char* expected = "an array of class names (strings)";
  if (!value->is_array() || value->empty() || value->size() > kMaxClasses) return (void)check.wrong_type(path, expected, *value);
  for (size_t i = 0; i < value->size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    if (!(*value)[i].is_string() || (*value)[i].get<std::string>().empty())
      return check.fail(at, "expected a class name (a non-empty string)");
    model.classes.push_back((*value)[i].get<std::string>());
  }
  if (int64_t(model.classes.size()) >= model.latent_size)
    check.fail(path, std::to_string(model.classes.size()) + " classes leave no free latent values in latent_size " +
                         std::to_string(model.latent_size) + " (the class is the last values of the latent)");
}

// "directions": [{"name", "vector"}], each vector as long as the free latent.
void read_directions(Checker& check, const json& entry, const std::string& path, ModelEntry& model) {
  const json* value = check.member(entry, path, nullptr);
  if (value == nullptr) return;
  if (!value->is_array() || value->size() > kMaxDirections)
    return (void)check.wrong_type(path, "an array of at most 64 {name, vector} objects", *value);
  for (size_t i = 0; i < value->size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    const json& item = (*value)[i];
    if (!item.is_object()) return (void)check.wrong_type(at, "an object with name and vector", item);
    LatentDirection direction;
    if (!check.read_string(item, at + ".name", true, direction.name)) return;
    const json* vector = check.member(item, at + ".vector", "an array of numbers");
    if (vector == nullptr) return;
    if (!vector->is_array() || int64_t(vector->size()) != model.free_latent_size())
      return check.fail(at + ".vector", "expected " + std::to_string(model.free_latent_size()) +
                                            " numbers (latent_size less the classes)");
    for (size_t j = 0; j < vector->size(); ++j) {
      float v = 0;
      if (!check.read_number((*vector)[j], at + ".vector[" + std::to_string(j) + "]", false, v)) return;
      direction.vector.push_back(v);
    }
    model.directions.push_back(std::move(direction));
  }
}

// "truncation": the app's default for a GAN's truncation trick (styleforge/latent.h), in (0, 1]; absent = 1.
void read_truncation(Checker& check, const json& entry, const std::string& path, ModelEntry& model) {
  const json* value = check.member(entry, path, nullptr);
  if (value == nullptr) return;
  if (model.kind != ModelKind::Gan) return check.fail(path, "only a gan entry has a truncation");
  float psi = 1.0f;
  if (!check.read_number(*value, path, false, psi)) return;
  if (!valid_truncation(psi))
    return check.fail(path, "expected a number in (0, 1] (1: z as drawn; smaller: more typical pictures), got " +
                                value->dump());
  model.truncation = psi;
}

// The fields of the two halves of an arbitrary-style model: the code's size, the partner's id, and the predictor's
// painting size or the transformer's code input.
void read_arbitrary_fields(Checker& check, const json& entry, const std::string& path, const std::string& kind,
                           ModelEntry& model) {
  const std::string why = "; " + kind + " models need it";
  const bool predictor = model.kind == ModelKind::StylePredictor;
  check.read_int(entry, path + ".code_size", true, 1, kMaxCodeSize, model.code_size, why);
  if (predictor) check.read_int(entry, path + ".style_size", true, kMinStyleSize, kMaxSide, model.style_size, why);
  else read_tensor_spec(check, entry, path + ".style_input", "NC", model.style_input);
  if (check.failed()) return;
  const std::string partner_field = path + (predictor ? ".transformer" : ".predictor");
  std::string& partner = predictor ? model.transformer : model.predictor;
  if (!check.read_string(entry, partner_field, true, partner)) return;
  if (!valid_id(partner))
    check.fail(partner_field, "\"" + partner + "\" must be the id of its " +
                                  (predictor ? "arbitrary-style transformer" : "style predictor") + " (a-z, 0-9, '-')");
}

// Each half of an arbitrary-style model names its partner; in a manifest the partner must be there, of the other
// kind, naming it back, with codes of the same size (the app feeds one's output to the other).
void check_arbitrary_pairs(Checker& check, const Manifest& manifest) {
  for (size_t i = 0; i < manifest.models.size(); ++i) {
    const ModelEntry& model = manifest.models[i];
    const bool predictor = model.kind == ModelKind::StylePredictor;
    if (!predictor && model.kind != ModelKind::ArbitraryStyle) continue;
    const std::string field = "models[" + std::to_string(i) + "]." + (predictor ? "transformer" : "predictor");
    const std::string& partner_id = predictor ? model.transformer : model.predictor;
    const ModelKind partner_kind = predictor ? ModelKind::ArbitraryStyle : ModelKind::StylePredictor;
    const ModelEntry* partner = manifest.find(partner_id);
    if (partner == nullptr)
      return check.fail(field, "no model has the id \"" + partner_id + "\": list both files of an arbitrary-style model");
    if (partner->kind != partner_kind)
      return check.fail(field, "\"" + partner_id + "\" is a " + to_string(partner->kind) + " model, expected " +
                                   to_string(partner_kind));
    if ((predictor ? partner->predictor : partner->transformer) != model.id)
      return check.fail(field, "\"" + partner_id + "\" does not name \"" + model.id + "\" back as its partner");
    if (partner->code_size != model.code_size)
      return check.fail(field, "\"" + partner_id + "\" has code_size " + std::to_string(partner->code_size) +
                                   ", this model " + std::to_string(model.code_size) + ": they must match");
  }
}

// A fast network names the quality style it stands in for; that style must be in the manifest, be a style, and not
// be a fast network itself (the app shows one style with a choice of two networks, never a chain).
void check_variants(Checker& check, const Manifest& manifest) {
  for (size_t i = 0; i < manifest.models.size(); ++i) {
    const ModelEntry& model = manifest.models[i];
    if (model.variant_of.empty()) continue;
    const std::string field = "models[" + std::to_string(i) + "].variant_of";
    // Every message starts with the entry and what it claims, then says what is wrong with the claim.
    const std::string claim = "\"" + model.id + "\" is a fast network of \"" + model.variant_of + "\", but ";
    const ModelEntry* quality = manifest.find(model.variant_of);
    if (quality == nullptr)
      return check.fail(field, claim + "no model has that id: list its quality style in the same manifest");
    if (quality == &model) return check.fail(field, claim + "that is this entry: name its quality style");
    if (quality->kind != ModelKind::Style)
      return check.fail(field, claim + "that is a " + std::string(to_string(quality->kind)) +
                                   " model: a fast network stands in for a style");
    if (!quality->variant_of.empty())
      return check.fail(field, claim + "that is itself a fast network (of \"" + quality->variant_of +
                                   "\"): name the quality style");
    const ModelEntry* first = manifest.fast_variant(model.variant_of);
    if (first != &model)
      return check.fail(field, claim + "it already has one, \"" + first->id + "\": a style has at most one");
  }
}

// "cost": written by scripts/model_cost.py; only its multiply-adds per pixel are used (the app shows them).
void read_cost(Checker& check, const json& entry, const std::string& path, ModelEntry& model) {
  const json* cost = check.member(entry, path, nullptr);
  if (cost == nullptr) return;
  if (!cost->is_object()) return (void)check.wrong_type(path, "an object with macs_per_pixel", *cost);
  check.read_int(*cost, path + ".macs_per_pixel", false, 1, 2000000000, model.macs_per_pixel);
}

ModelEntry read_entry(Checker& check, const json& entry, const std::string& path) {
  ModelEntry model;
  if (!entry.is_object()) {
    check.wrong_type(path, "an object", entry);
    return model;
  }
  if (!check.read_string(entry, path + ".id", true, model.id)) return model;
  if (!valid_id(model.id)) {
    check.fail(path + ".id", "\"" + model.id + "\" may only use a-z, 0-9 and '-', and must not be empty");
    return model;
  }
  if (!check.read_string(entry, path + ".name", true, model.name)) return model;
  if (model.name.empty()) {
    check.fail(path + ".name", "must not be empty (it is shown to people)");
    return model;
  }
  std::string kind;
  if (!check.read_string(entry, path + ".kind", true, kind)) return model;
  if (!parse_kind(kind, model.kind)) {
    check.fail(path + ".kind", "unknown kind \"" + kind + "\" (expected style, gan, vae-encoder, vae-decoder, "
                               "style-predictor or arbitrary-style)");
    return model;
  }
  read_path(check, entry, path + ".file", true, model.file);
  if (check.failed()) return model;

  const bool image_in = model.kind != ModelKind::Gan && model.kind != ModelKind::VaeDecoder;
  const bool image_out = model.kind != ModelKind::VaeEncoder && model.kind != ModelKind::StylePredictor;
  read_tensor_spec(check, entry, path + ".input", image_in ? "NCHW" : "NC", model.input);
  read_tensor_spec(check, entry, path + ".output", image_out ? "NCHW" : "NC", model.output);
  if (check.failed()) return model;

  if (model.kind == ModelKind::StylePredictor || model.kind == ModelKind::ArbitraryStyle) {
    read_arbitrary_fields(check, entry, path, kind, model);
    if (check.failed()) return model;
  }
  if (model.kind == ModelKind::StylePredictor) {
    // Nothing tiles a painting: one run sees all of it, so max_tile and size_multiple do not apply.
  } else if (model.kind == ModelKind::Style || model.kind == ModelKind::ArbitraryStyle) {
    check.read_int(entry, path + ".max_tile", false, 1, kMaxSide, model.max_tile);
    check.read_int(entry, path + ".size_multiple", false, 1, kMaxSizeMultiple, model.size_multiple);
    if (!check.failed() && model.max_tile < model.size_multiple) {
      check.fail(path + ".max_tile", std::to_string(model.max_tile) + " is smaller than size_multiple (" +
                                         std::to_string(model.size_multiple) + ")");
    }
  } else {
    const std::string why = "; " + kind + " models need it";
    check.read_int(entry, path + ".latent_size", true, 1, kMaxLatentSize, model.latent_size, why);
    check.read_int(entry, path + ".image_size", true, 1, kMaxSide, model.image_size, why);
    if (!check.failed()) read_classes(check, entry, path + ".classes", model);
    if (!check.failed()) read_directions(check, entry, path + ".directions", model);
  }
  if (!check.failed()) read_truncation(check, entry, path + ".truncation", model);
  if (check.failed()) return model;

  check.read_string(entry, path + ".credits", true, model.credits);
  if (!check.failed() && model.credits.empty()) {
    check.fail(path + ".credits", "must not be empty: name the artwork and data the model was trained on");
  }
  read_path(check, entry, path + ".thumbnail", false, model.thumbnail);
  read_path(check, entry, path + ".card", false, model.card);
  if (check.failed()) return model;
  read_cost(check, entry, path + ".cost", model);
  if (check.failed()) return model;

  if (!check.read_string(entry, path + ".variant_of", false, model.variant_of)) return model;
  if (check.member(entry, path + ".variant_of", nullptr) != nullptr) {
    if (model.kind != ModelKind::Style)
      check.fail(path + ".variant_of", "only a style can be a fast network, this is a " + kind + " model");
    else if (!valid_id(model.variant_of))
      check.fail(path + ".variant_of", "\"" + model.variant_of + "\" must be the id of the quality style (a-z, 0-9, '-')");
  }
  return model;
}

// nlohmann's DOM parser without exceptions only says "discarded"; this SAX pass recovers where and why.
class SyntaxError : public nlohmann::json_sax<json> {
 public:
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: it means nothing to a person.
    const size_t bracket = message.find("] ");
    if (message.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
    return false;
  }
};

}  // namespace

const char* to_string(ModelKind kind) {
  switch (kind) {
    case ModelKind::Style: return "style";
    case ModelKind::Gan: return "gan";
    case ModelKind::VaeEncoder: return "vae-encoder";
    case ModelKind::VaeDecoder: return "vae-decoder";
    case ModelKind::StylePredictor: return "style-predictor";
    case ModelKind::ArbitraryStyle: return "arbitrary-style";
  }
  return "unknown";
}

const ModelEntry* Manifest::find(const std::string& id) const {
  for (const ModelEntry& model : models) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

const ModelEntry* Manifest::fast_variant(const std::string& style_id) const {
  if (style_id.empty()) return nullptr;
  for (const ModelEntry& model : models) {
    if (model.variant_of == style_id) return &model;
  }
  return nullptr;
}

Result<Manifest> parse_manifest(const std::string& json_text, const std::string& file_name) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    SyntaxError syntax;
    json::sax_parse(json_text, &syntax);
    return Result<Manifest>::failure(file_name + ": not valid JSON: " + syntax.message +
                                     "; fix the file (a missing comma, quote or bracket is the usual cause)");
  }
  Checker check(file_name);
  if (!root.is_object()) {
    check.wrong_type("", "a JSON object with \"models\"", root);
    return Result<Manifest>::failure(check.error());
  }
  int version = kManifestVersion;
  if (!check.read_int(root, "version", false, 1, 1000000, version)) return Result<Manifest>::failure(check.error());
  if (version != kManifestVersion) {
    check.fail("version", "this build reads version " + std::to_string(kManifestVersion) + ", the file is version " +
                              std::to_string(version) + ": use a matching styleforge build");
    return Result<Manifest>::failure(check.error());
  }
  const json* models = check.member(root, "models", "an array");
  if (models == nullptr) return Result<Manifest>::failure(check.error());
  if (!models->is_array()) {
    check.wrong_type("models", "an array", *models);
    return Result<Manifest>::failure(check.error());
  }
  Manifest manifest;
  std::string default_network = "quality";
  if (!check.read_string(root, "default_network", false, default_network)) return Result<Manifest>::failure(check.error());
  if (default_network != "quality" && default_network != "fast") {
    check.fail("default_network", "\"" + default_network + "\" is neither \"quality\" nor \"fast\"");
    return Result<Manifest>::failure(check.error());
  }
  manifest.fast_by_default = default_network == "fast";
  std::map<std::string, size_t> first_index;  // id -> index of the entry that has it
  for (size_t i = 0; i < models->size(); ++i) {
    const std::string path = "models[" + std::to_string(i) + "]";
    ModelEntry model = read_entry(check, (*models)[i], path);
    if (check.failed()) return Result<Manifest>::failure(check.error());
    const auto [it, inserted] = first_index.emplace(model.id, i);
    if (!inserted) {
      check.fail(path + ".id", "duplicate id \"" + model.id + "\" (models[" + std::to_string(it->second) +
                                   "] has it too): give each model its own id");
      return Result<Manifest>::failure(check.error());
    }
    manifest.models.push_back(std::move(model));
  }
  check_arbitrary_pairs(check, manifest);
  check_variants(check, manifest);
  if (check.failed()) return Result<Manifest>::failure(check.error());
  return Result<Manifest>::success(std::move(manifest));
}

Result<ModelEntry> parse_model_entry(const std::string& json_text, const std::string& source) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    SyntaxError syntax;
    json::sax_parse(json_text, &syntax);
    return Result<ModelEntry>::failure(source + ": not valid JSON: " + syntax.message);
  }
  Checker check(source);
  ModelEntry model = read_entry(check, root, "");
  if (check.failed()) return Result<ModelEntry>::failure(check.error());
  return Result<ModelEntry>::success(std::move(model));
}

Result<Manifest> load_manifest_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return Result<Manifest>::failure("cannot open " + path + " (" + std::strerror(errno) +
                                     "): check that the models folder is next to the app");
  }
  const std::streamoff size = file.tellg();
  if (size > kMaxManifestBytes) {
    return Result<Manifest>::failure(path + ": the manifest is over 16 MB, which no list of models needs; "
                                            "check that this is the right file");
  }
  std::string text(size_t(std::max<std::streamoff>(size, 0)), '\0');
  file.seekg(0);
  if (!text.empty() && !file.read(text.data(), std::streamsize(text.size()))) {
    return Result<Manifest>::failure("cannot read " + path + ": the read failed part way; retry");
  }
  return parse_manifest(text, path);
}

}  // namespace styleforge
