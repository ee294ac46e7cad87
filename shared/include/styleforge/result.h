// Errors as values. The web build compiles without exception catching, so no function in shared/ throws:
// each one returns a Status (ok, or a message for a person) or a Result<T> (a value, or that message).
#pragma once
#include <string>
#include <utility>

namespace styleforge {

struct Status {
  std::string error;  // empty when the call succeeded; otherwise says what was wrong and, where it can, what to do
  bool ok() const { return error.empty(); }
  static Status success() { return {}; }
  static Status failure(std::string message) { return Status{std::move(message)}; }
};

template <class T>
struct Result {
  T value{};
  std::string error;  // empty when `value` is valid
  bool ok() const { return error.empty(); }
  static Result success(T v) { Result r; r.value = std::move(v); return r; }
  static Result failure(std::string message) { Result r; r.error = std::move(message); return r; }
};

}  // namespace styleforge
