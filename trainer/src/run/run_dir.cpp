#include "run/run_dir.h"

#include "run/durable.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace styleforge::trainer {

Result<RunDir> RunDir::open(const std::string& path, bool resume) {
  using R = Result<RunDir>;
  if (path.empty()) return R::failure("no run directory given: pass --out DIR");
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec))
    return R::failure("--out " + path + " exists and is not a directory: pick another path");
  bool has_checkpoint = fs::exists(fs::path(path) / "checkpoint.pt", ec);
  if (resume && !has_checkpoint)
    return R::failure("--resume: " + path + "/checkpoint.pt not found: start the run without --resume, or check --out");
  if (!resume && has_checkpoint)
    return R::failure(path + " already holds a run (checkpoint.pt): add --resume to continue it, or pick a new --out");
  fs::create_directories(fs::path(path) / "previews", ec);
  if (ec) return R::failure("cannot create run directory " + path + ": " + ec.message());
  RunDir dir;
  dir.path_ = path;
  return R::success(dir);
}

std::string RunDir::preview_file(int64_t step) const {
  char name[64];
  std::snprintf(name, sizeof name, "previews/step-%06lld.png", static_cast<long long>(step));
  return file(name);
}

Status RunDir::write_options(const std::string& command, const nlohmann::json& options) const {
  nlohmann::json j = options;
  j["command"] = command;
  return write_file_atomic(options_file(), j.dump(2) + "\n");
}

Result<nlohmann::json> read_run_options(const std::string& run_dir) {
  using R = Result<nlohmann::json>;
  std::error_code ec;
  fs::path dir = fs::is_directory(run_dir, ec) ? fs::path(run_dir) : fs::path(run_dir).parent_path();
  if (!fs::exists(run_dir, ec)) return R::failure("run directory " + run_dir + " does not exist");
  fs::path file = dir / "options.json";
  std::ifstream in(file);
  if (!in) return R::failure(file.string() + ": cannot open (is " + run_dir + " a training run directory?)");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return R::failure(file.string() + ": not a JSON object");
  return R::success(j);
}

std::string run_weights_file(const std::string& run) {
  std::error_code ec;
  if (!fs::is_directory(run, ec)) return run;
  const fs::path model = fs::path(run) / "model.pt", checkpoint = fs::path(run) / "checkpoint.pt";
  if (!fs::exists(model, ec)) return checkpoint.string();
  if (!fs::exists(checkpoint, ec)) return model.string();
  // model.pt is written when a run completes; a run resumed past that and then stopped (SIGTERM) leaves a newer
  // checkpoint.pt, whose weights are the run's latest.
  const auto model_time = fs::last_write_time(model, ec), checkpoint_time = fs::last_write_time(checkpoint, ec);
  return !ec && checkpoint_time > model_time ? checkpoint.string() : model.string();
}

bool saved_option_on(const nlohmann::json& options, const char* key) {
  auto it = options.find(key);
  return it != options.end() && it->is_string() && it->get<std::string>() == "on";
}

int64_t saved_option_int(const nlohmann::json& options, const char* key, int64_t fallback) {
  auto it = options.find(key);
  return it != options.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

Status write_file_atomic(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::failure("cannot write " + tmp + ": " + std::strerror(errno));
    out << text;
    out.flush();
    if (!out) return Status::failure("error writing " + tmp + " (disk full?)");
  }
  return durable_rename(tmp, path);
}

}  // namespace styleforge::trainer
