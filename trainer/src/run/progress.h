// The progress line every long command prints: step/total, rate, ETA and the key losses, at most once per second
// (and always for the last step), e.g.
//   step 120/2000 (6.0%)  3.21 step/s  ETA 9m46s  loss_d 0.693 loss_g 1.204
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace styleforge::trainer {

class Progress {
 public:
  // `first_step` is where this process started (the checkpoint's step when resuming), so the rate only counts
  // steps run here.
  Progress(int64_t total_steps, int64_t first_step);
  // Prints when a second has passed since the last line, or when step == total.
  void update(int64_t step, const std::vector<std::pair<std::string, double>>& values);
  double elapsed_s() const;

 private:
  using Clock = std::chrono::steady_clock;
  int64_t total_, first_;
  Clock::time_point start_, last_print_;
  bool printed_ = false;
};

std::string format_duration(double seconds);  // "2h03m", "9m46s", "12s"

}  // namespace styleforge::trainer
