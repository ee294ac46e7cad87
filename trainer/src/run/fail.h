// How a subcommand reports a failure it cannot go on from: one "error: ..." line on stderr, exit code 1
// (bad usage exits 2 from the option parser; a run stopped by a signal exits kExitStopped, see start.h).
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>

namespace styleforge::trainer {

// The first line of a LibTorch / c10d exception message (they carry a C++ backtrace after it), at most 300
// characters: what a person needs in an error message.
inline std::string first_line(const std::string& what) {
  return what.substr(0, std::min(what.find('\n'), std::string::size_type{300}));
}

inline int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace styleforge::trainer
