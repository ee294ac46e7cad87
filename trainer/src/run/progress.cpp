#include "run/progress.h"

#include <cstdio>

namespace styleforge::trainer {

Progress::Progress(int64_t total_steps, int64_t first_step)
    : total_(total_steps), first_(first_step), start_(Clock::now()), last_print_(start_) {}

double Progress::elapsed_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lds", s);
  return text;
}

void Progress::update(int64_t step, const std::vector<std::pair<std::string, double>>& values) {
  auto now = Clock::now();
  bool last = step >= total_;
  if (printed_ && !last && now - last_print_ < std::chrono::seconds(1)) return;
  printed_ = true;
  last_print_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(step - first_) / elapsed : 0.0;
  double eta = rate > 0 ? static_cast<double>(total_ - step) / rate : -1.0;
  std::string line;
  char part[96];
  std::snprintf(part, sizeof part, "step %lld/%lld (%.1f%%)  %.2f step/s  ETA %s", static_cast<long long>(step),
                static_cast<long long>(total_), total_ > 0 ? 100.0 * step / total_ : 100.0, rate,
                format_duration(eta).c_str());
  line = part;
  for (const auto& [name, value] : values) {
    std::snprintf(part, sizeof part, "  %s %.4g", name.c_str(), value);
    line += part;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace styleforge::trainer
