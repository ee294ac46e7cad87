// The one-line text inputs of the tiling, tensor and backend targets (tests/fuzz/corpus/README.md):
//   "<operation> n1 n2 ..."  with whitespace-separated decimal integers.
// Anything else (junk, numbers beyond int64, too many numbers) is not an input for these targets and is skipped.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace fuzz_text {

struct Line {
  std::string operation;
  std::vector<int64_t> numbers;
};

// False when `bytes` is not "<word> <int> <int> ..." with at most `max_numbers` numbers.
inline bool parse(const uint8_t* bytes, size_t size, size_t max_numbers, Line& line) {
  size_t i = 0;
  auto space = [&](size_t k) { return bytes[k] == ' ' || bytes[k] == '\t' || bytes[k] == '\n' || bytes[k] == '\r'; };
  auto skip_space = [&] { while (i < size && space(i)) ++i; };
  skip_space();
  while (i < size && bytes[i] >= 'a' && bytes[i] <= 'z') line.operation += char(bytes[i++]);
  if (line.operation.empty()) return false;
  for (;;) {
    const size_t before = i;
    skip_space();
    if (i == size) return true;
    if (i == before) return false;  // no space between tokens
    bool negative = false;
    if (bytes[i] == '-') { negative = true; ++i; }
    if (i == size || bytes[i] < '0' || bytes[i] > '9') return false;
    uint64_t magnitude = 0;
    const uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
    while (i < size && bytes[i] >= '0' && bytes[i] <= '9') {
      const unsigned digit = unsigned(bytes[i++] - '0');
      if (magnitude > (limit - digit) / 10) return false;
      magnitude = magnitude * 10 + digit;
    }
    if (line.numbers.size() == max_numbers) return false;
    // Two's complement negation in uint64, then back: well defined for every value including INT64_MIN.
    line.numbers.push_back(negative ? int64_t(0 - magnitude) : int64_t(magnitude));
  }
}

inline bool fits_int(int64_t v) {
  return v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max();
}

inline bool all_fit_int(const std::vector<int64_t>& numbers) {
  for (int64_t v : numbers) if (!fits_int(v)) return false;
  return true;
}

}  // namespace fuzz_text
