// The NaN check every training loop runs on its losses: a non-finite loss stops the run with a message naming
// the loss, the step and what usually helps, instead of training on garbage.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "styleforge/result.h"

namespace styleforge::trainer {

inline Status check_finite(const std::string& what, double value, int64_t step) {
  if (std::isfinite(value)) return Status::success();
  return Status::failure(what + " became " + (std::isnan(value) ? "NaN" : "infinite") + " at step " +
                         std::to_string(step) +
                         ": training diverged. Lower --lr, check the input data, or --resume from the last "
                         "checkpoint (it holds the last finite state)");
}

}  // namespace styleforge::trainer
