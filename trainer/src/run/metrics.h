// metrics.jsonl: one JSON object per line, {"step": N, "time_s": T, <name>: <value>, ...}. Appended and flushed
// line by line, so a killed run loses at most the line being written.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer {

class MetricsLog {
 public:
  // Opens `path` for appending. When resuming from a checkpoint taken at `resume_step`, lines logged after that
  // step (written before the kill but not covered by the checkpoint) are dropped so every step appears once;
  // all earlier lines are kept. A new run (resume_step < 0) starts an empty file.
  Status open(const std::string& path, int64_t resume_step);
  Status append(int64_t step, double time_s, const std::vector<std::pair<std::string, double>>& values);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace styleforge::trainer
