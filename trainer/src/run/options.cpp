#include "run/options.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace styleforge::trainer {
namespace {

// strtoll/strtod accept leading spaces and trailing junk; we want the whole text to be the number.
bool parse_int64(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || text[0] == ' ') return false;
  *out = v;
  return true;
}

bool parse_double(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || text[0] == ' ' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::string format_double(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

template <class T>
std::string range_error(const std::string& text, T lo, T hi) {
  std::ostringstream s;
  s << "'" << text << "' is not a number in " << lo << ".." << hi;
  return s.str();
}

}  // namespace

OptionParser::OptionParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void OptionParser::add(Option option) { options_.push_back(std::move(option)); }

OptionParser::Option* OptionParser::find(const std::string& name) {
  for (auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

const OptionParser::Option* OptionParser::find(const std::string& name) const {
  for (const auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

void OptionParser::add_flag(const std::string& name, bool* target, const std::string& help) {
  Option o;
  o.name = name, o.help = help, o.kind = "flag";
  o.default_text = *target ? "on" : "off";
  o.set = [target](const std::string&) { *target = true; return std::string(); };
  o.get = [target] { return nlohmann::json(*target); };
  o.set_json = [target](const nlohmann::json& j) -> std::string {
    if (!j.is_boolean()) return "expected true or false";
    *target = j.get<bool>();
    return {};
  };
  add(std::move(o));
}

// --name N for any integer type: parsed as int64, checked against [lo, hi], stored as T (also from options.json).
// `Opt` is deduced (OptionParser::Option is private to the class).
template <class Opt, class T>
void fill_integer_option(Opt& o, const std::string& name, T* target, const std::string& help, T lo, T hi) {
  o.name = name, o.help = help, o.kind = "int";
  o.default_text = std::to_string(*target);
  o.set = [target, lo, hi](const std::string& text) -> std::string {
    int64_t v = 0;
    if (!parse_int64(text, &v) || v < lo || v > hi) return range_error(text, lo, hi);
    *target = static_cast<T>(v);
    return {};
  };
  o.get = [target] { return nlohmann::json(*target); };
  o.set_json = [target, lo, hi](const nlohmann::json& j) -> std::string {
    if (!j.is_number_integer() || j.get<int64_t>() < lo || j.get<int64_t>() > hi) return "expected an integer in range";
    *target = j.get<T>();
    return {};
  };
}

void OptionParser::add_int64(const std::string& name, int64_t* target, const std::string& help, int64_t lo,
                             int64_t hi) {
  Option o;
  fill_integer_option(o, name, target, help, lo, hi);
  add(std::move(o));
}

void OptionParser::add_int(const std::string& name, int* target, const std::string& help, int lo, int hi) {
  Option o;
  fill_integer_option(o, name, target, help, lo, hi);
  add(std::move(o));
}

void OptionParser::add_float(const std::string& name, double* target, const std::string& help, double lo,
                             double hi) {
  Option o;
  o.name = name, o.help = help, o.kind = "float";
  o.default_text = format_double(*target);
  o.set = [target, lo, hi](const std::string& text) -> std::string {
    double v = 0;
    if (!parse_double(text, &v) || v < lo || v > hi) return range_error(text, lo, hi);
    *target = v;
    return {};
  };
  o.get = [target] { return nlohmann::json(*target); };
  o.set_json = [target](const nlohmann::json& j) -> std::string {
    if (!j.is_number()) return "expected a number";
    *target = j.get<double>();
    return {};
  };
  add(std::move(o));
}

void OptionParser::add_string(const std::string& name, std::string* target, const std::string& help) {
  Option o;
  o.name = name, o.help = help, o.kind = "string";
  o.default_text = target->empty() ? "" : *target;
  o.set = [target](const std::string& text) { *target = text; return std::string(); };
  o.get = [target] { return nlohmann::json(*target); };
  o.set_json = [target](const nlohmann::json& j) -> std::string {
    if (!j.is_string()) return "expected a string";
    *target = j.get<std::string>();
    return {};
  };
  add(std::move(o));
}

void OptionParser::add_choice(const std::string& name, std::string* target, const std::string& help,
                              std::vector<std::string> choices) {
  std::string listed;
  for (const auto& c : choices) listed += (listed.empty() ? "" : "|") + c;
  Option o;
  o.name = name, o.help = help + " (" + listed + ")", o.kind = "choice";
  o.default_text = *target;
  auto check = [target, choices, listed](const std::string& text) -> std::string {
    for (const auto& c : choices)
      if (c == text) {
        *target = text;
        return {};
      }
    return "'" + text + "' is not one of " + listed;
  };
  o.set = check;
  o.get = [target] { return nlohmann::json(*target); };
  o.set_json = [check](const nlohmann::json& j) -> std::string {
    if (!j.is_string()) return "expected a string";
    return check(j.get<std::string>());
  };
  add(std::move(o));
}

void OptionParser::require(const std::string& name) {
  if (Option* o = find(name)) o->required = true;
}

void OptionParser::not_saved(const std::string& name) {
  if (Option* o = find(name)) o->saved = false;
}

bool OptionParser::was_given(const std::string& name) const {
  const Option* o = find(name);
  return o && o->given;
}

std::string OptionParser::help_text() const {
  std::ostringstream s;
  s << "usage: styleforge-trainer " << command_ << " [options]\n\n" << summary_ << "\n\noptions:\n";
  for (const auto& o : options_) {
    std::string left = "  --" + o.name + (o.kind == "flag" ? "" : " <" + o.kind + ">");
    s << left;
    for (size_t i = left.size(); i < 28; ++i) s << ' ';
    if (left.size() >= 28) s << "\n" << std::string(28, ' ');
    s << o.help;
    if (o.required)
      s << " [required]";
    else if (o.kind != "flag" && !o.default_text.empty())
      s << " [default " << o.default_text << "]";
    s << "\n";
  }
  s << "  --help                    this text\n";
  return s.str();
}

namespace {

std::optional<int> usage_error(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "styleforge-trainer %s: %s\n(run 'styleforge-trainer %s --help' for the options)\n",
               command.c_str(), message.c_str(), command.c_str());
  return 2;
}

}  // namespace

std::optional<int> OptionParser::check_required() const {
  for (const auto& o : options_)
    if (o.required && !o.given && !o.restored) return usage_error(command_, "option --" + o.name + " is required");
  return std::nullopt;
}

std::optional<int> OptionParser::parse(int argc, char** argv, bool check) {
  auto usage_error = [this](const std::string& message) { return styleforge::trainer::usage_error(command_, message); };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(help_text().c_str(), stdout);
      return 0;
    }
    if (arg.rfind("--", 0) != 0) return usage_error("unexpected argument '" + arg + "' (options start with --)");
    Option* o = find(arg.substr(2));
    if (!o) return usage_error("unknown option '" + arg + "'");
    std::string value;
    if (o->kind != "flag") {
      if (i + 1 >= argc) return usage_error("option " + arg + " needs a value");
      value = argv[++i];
    }
    std::string err = o->set(value);
    if (!err.empty()) return usage_error("option " + arg + ": " + err);
    o->given = true;
  }
  return check ? check_required() : std::nullopt;
}

nlohmann::json OptionParser::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& o : options_)
    if (o.saved) j[o.name] = o.get();
  return j;
}

Status OptionParser::apply_saved(const nlohmann::json& saved) {
  if (!saved.is_object()) return Status::failure("saved options are not a JSON object");
  for (auto& o : options_) {
    if (o.given || !o.saved || !saved.contains(o.name)) continue;
    std::string err = o.set_json(saved.at(o.name));
    if (!err.empty()) return Status::failure("saved option '" + o.name + "': " + err);
    o.restored = true;
  }
  return Status::success();
}

std::string OptionParser::describe_values() const {
  std::ostringstream s;
  for (const auto& o : options_) s << "  " << o.name << " = " << o.get().dump() << "\n";
  return s.str();
}

}  // namespace styleforge::trainer
