// How a subcommand reports a failure it cannot go on from: one "error: ..." line on stderr, exit code 1
// (bad usage exits 2 from the option parser; a run stopped by a signal exits kExitStopped, see start.h).
#pragma once
#include <cstdio>
#include <string>

namespace styleforge::trainer {

inline int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace styleforge::trainer
