// TF.js layers model reader; the format is described in the header.
#include "loss/tfjs_layers_model.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

namespace styleforge::trainer {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(path + ": cannot open (run scripts/setup to fetch nsfwjs@4.4.0 into third_party/nsfwjs, "
                             "or pass --loss-weights with the folder holding model.min.js)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Recursive-descent reader for the object-literal subset minifiers emit for JSON data.
class LiteralReader {
 public:
  LiteralReader(const std::string& text, size_t pos) : t_(text), p_(pos) {}
  size_t position() const { return p_; }

  nlohmann::json value() {
    skip_space();
    if (p_ >= t_.size()) fail("unexpected end of text");
    char c = t_[p_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"' || c == '\'') return string();
    if (c == '!') {  // !0 is true, !1 is false
      ++p_;
      nlohmann::json v = value();
      if (!v.is_number()) fail("'!' before something other than a number");
      return v.get<double>() == 0.0;
    }
    if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) return number();
    std::string word = identifier();
    if (word == "true") return true;
    if (word == "false") return false;
    if (word == "null") return nullptr;
    fail("unexpected token '" + word + "'");
    return nullptr;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("model.min.js: " + what + " at character " + std::to_string(p_));
  }
  void skip_space() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  void expect(char c) {
    skip_space();
    if (p_ >= t_.size() || t_[p_] != c) fail(std::string("expected '") + c + "'");
    ++p_;
  }
  std::string identifier() {
    size_t b = p_;
    while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '_' || t_[p_] == '$'))
      ++p_;
    if (b == p_) fail("expected a name");
    return t_.substr(b, p_ - b);
  }
  nlohmann::json object() {
    expect('{');
    nlohmann::json obj = nlohmann::json::object();
    skip_space();
    if (p_ < t_.size() && t_[p_] == '}') { ++p_; return obj; }
    for (;;) {
      skip_space();
      std::string key = (t_[p_] == '"' || t_[p_] == '\'') ? string().get<std::string>() : identifier();
      expect(':');
      obj[key] = value();
      skip_space();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; continue; }
      expect('}');
      return obj;
    }
  }
  nlohmann::json array() {
    expect('[');
    nlohmann::json arr = nlohmann::json::array();
    skip_space();
    if (p_ < t_.size() && t_[p_] == ']') { ++p_; return arr; }
    for (;;) {
      arr.push_back(value());
      skip_space();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; continue; }
      expect(']');
      return arr;
    }
  }
  nlohmann::json string() {
    char quote = t_[p_++];
    std::string out;
    while (p_ < t_.size() && t_[p_] != quote) {
      char c = t_[p_++];
      if (c == '\\' && p_ < t_.size()) {
        char e = t_[p_++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'u': fail("\\u escapes are not supported");
          default: out += e;
        }
      } else {
        out += c;
      }
    }
    if (p_ >= t_.size()) fail("unterminated string");
    ++p_;
    return out;
  }
  nlohmann::json number() {
    const char* begin = t_.c_str() + p_;
    char* end = nullptr;
    double v = std::strtod(begin, &end);
    if (end == begin) fail("bad number");
    p_ += static_cast<size_t>(end - begin);
    return v;
  }

  const std::string& t_;
  size_t p_;
};

// The one string literal that follows `exports=` in a shard wrapper.
std::string shard_base64(const std::string& js, const std::string& path) {
  size_t at = js.find("exports=\"");
  if (at == std::string::npos) throw std::runtime_error(path + ": no `exports=\"...\"` base64 string found");
  size_t begin = at + std::strlen("exports=\"");
  size_t end = js.find('"', begin);
  if (end == std::string::npos) throw std::runtime_error(path + ": unterminated base64 string");
  return js.substr(begin, end - begin);
}

}  // namespace

nlohmann::json parse_js_literal(const std::string& text, size_t start, size_t* end) {
  LiteralReader reader(text, start);
  nlohmann::json v = reader.value();
  if (end) *end = reader.position();
  return v;
}

std::vector<uint8_t> decode_base64(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  int8_t lookup[256];
  std::memset(lookup, -1, sizeof lookup);
  for (size_t i = 0; i < alphabet.size(); ++i) lookup[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    int8_t v = lookup[static_cast<uint8_t>(c)];
    if (v < 0) throw std::runtime_error(std::string("base64: invalid character '") + c + "'");
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out.push_back(static_cast<uint8_t>(bits >> 16));
      out.push_back(static_cast<uint8_t>(bits >> 8));
      out.push_back(static_cast<uint8_t>(bits));
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out.push_back(static_cast<uint8_t>(bits >> 4));
  if (count == 3) {
    out.push_back(static_cast<uint8_t>(bits >> 10));
    out.push_back(static_cast<uint8_t>(bits >> 2));
  }
  return out;
}

TfjsLayersModel load_tfjs_layers_model(const std::string& dir) {
  const std::string model_path = dir + "/model.min.js";
  const std::string js = read_file(model_path);
  size_t key = js.find("modelTopology:");
  if (key == std::string::npos) key = js.find("\"modelTopology\":");
  if (key == std::string::npos) throw std::runtime_error(model_path + ": no modelTopology found: not a TF.js layers model");
  size_t open = js.rfind('{', key);
  nlohmann::json root = parse_js_literal(js, open);
  if (!root.contains("modelTopology") || !root.contains("weightsManifest") || !root["weightsManifest"].is_array())
    throw std::runtime_error(model_path + ": the object lacks modelTopology or weightsManifest");

  TfjsLayersModel model;
  model.topology = root["modelTopology"];
  for (const auto& group : root["weightsManifest"]) {
    std::vector<uint8_t> bytes;
    for (const auto& shard : group.at("paths")) {
      const std::string path = dir + "/" + shard.get<std::string>() + ".min.js";
      std::vector<uint8_t> part = decode_base64(shard_base64(read_file(path), path));
      bytes.insert(bytes.end(), part.begin(), part.end());
    }
    size_t offset = 0;
    for (const auto& spec : group.at("weights")) {
      const std::string name = spec.at("name");
      std::vector<int64_t> shape = spec.at("shape").get<std::vector<int64_t>>();
      int64_t count = 1;
      for (int64_t d : shape) count *= d;
      const bool quantised = spec.contains("quantization");
      if (quantised && spec["quantization"].value("dtype", "") != "uint8")
        throw std::runtime_error(model_path + ": weight " + name + ": only uint8 quantisation is supported");
      const size_t size = static_cast<size_t>(count) * (quantised ? 1 : 4);
      if (offset + size > bytes.size())
        throw std::runtime_error(model_path + ": weight " + name + " runs past the end of the shard data (" +
                                 std::to_string(bytes.size()) + " bytes): shard files truncated?");
      torch::Tensor t;
      if (quantised) {
        const double scale = spec["quantization"].at("scale"), min = spec["quantization"].at("min");
        t = torch::from_blob(bytes.data() + offset, {count}, torch::kUInt8).to(torch::kFloat32) * scale + min;
      } else {
        t = torch::from_blob(bytes.data() + offset, {count}, torch::kFloat32).clone();
      }
      model.weights[name] = t.reshape(shape);
      offset += size;
    }
  }
  return model;
}

}  // namespace styleforge::trainer
