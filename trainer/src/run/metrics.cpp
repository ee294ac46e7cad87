#include "run/metrics.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "run/run_dir.h"

namespace styleforge::trainer {

Status MetricsLog::open(const std::string& path, int64_t resume_step) {
  path_ = path;
  if (resume_step >= 0) {
    std::ifstream in(path);
    std::string kept, line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      // A torn last line (killed mid-write) fails to parse and is dropped with the lines past the checkpoint.
      if (j.is_discarded() || !j.contains("step") || !j["step"].is_number_integer()) continue;
      if (j["step"].get<int64_t>() <= resume_step) kept += line + "\n";
    }
    Status s = write_file_atomic(path, kept);
    if (!s.ok()) return s;
    out_.open(path, std::ios::app);
  } else {
    out_.open(path, std::ios::trunc);
  }
  if (!out_) return Status::failure("cannot open " + path + " for writing");
  return Status::success();
}

Status MetricsLog::append(int64_t step, double time_s, const std::vector<std::pair<std::string, double>>& values) {
  nlohmann::json j;
  j["step"] = step;
  j["time_s"] = time_s;
  for (const auto& [name, value] : values) j[name] = value;
  out_ << j.dump() << "\n";
  out_.flush();
  if (!out_) return Status::failure("cannot append to " + path_ + " (disk full?)");
  return Status::success();
}

}  // namespace styleforge::trainer
