// The trainer's readers take a path, not bytes: each fuzz input is written to one file in a private temporary
// folder (made once per process, under $TMPDIR) and the reader opens that file.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz_input_file {

inline const std::string& folder() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/styleforge-fuzz-input.XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("fuzz_input_file: mkdtemp");
      std::abort();
    }
    return pattern;
  }();
  return dir;
}

// Writes `data` to folder()/name (replacing it) and returns the path.
inline std::string write(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = folder() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(("fuzz_input_file: cannot write " + path).c_str());
    std::abort();
  }
  return path;
}

}  // namespace fuzz_input_file
