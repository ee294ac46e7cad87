// run_tiled with a backend that misbehaves on a schedule (tests/fuzz/corpus/README.md):
//   answers W H MAX_TILE OVERLAP SIZE_MULTIPLE A1 A2 ...
// run_tiled over a {1,3,H,W} image; the backend answers its i-th request Ai times (missing Ai: once), the first
// time with the right answer (its input: an identity model), the later times with other values, after the run has
// made its next request. Ai = 0: that request is never answered (the run stays pending, as when a browser tab
// drops a promise). Ai < 0: it answers once with an error. Finally it answers the first and last request again.
// Seeds: tests/fuzz/corpus/backend (issue 14 finding 7).
//
// A refusal is fine. `done` must be called at most once, exactly once when every request was answered, and a run
// whose every first answer was right must equal the identity model's run: extra answers never count.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <utility>

#include "fuzz_text.h"
#include "styleforge/backend.h"

namespace {

using namespace styleforge;

constexpr int64_t kMaxPixels = int64_t(1) << 16;
constexpr size_t kMaxRequests = 1024;
constexpr int64_t kMaxAnswers = 8;
// Padded tile data per run. A tiny image with a large size_multiple is padded far beyond its own size (by design:
// models need the multiple), so one input could cost seconds; such inputs are skipped.
constexpr int64_t kMaxPaddedFloats = int64_t(1) << 21;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_backend: %s\n", what);
  std::abort();
}

class RecordingBackend final : public Backend {
 public:
  std::string name() const override { return "recording"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override { requests.push_back({input, std::move(done)}); }
  void answer(size_t i, float filled) {
    Tensor output = requests[i].first;
    if (filled >= 0.0f) output.data.assign(output.data.size(), filled);
    Done done = requests[i].second;  // a copy: answering may make the next request and grow the deque
    done(Result<Tensor>::success(std::move(output)));
  }
  void fail(size_t i) {
    Done done = requests[i].second;
    done(Result<Tensor>::failure("out of GPU memory"));
  }
  std::deque<std::pair<Tensor, Done>> requests;
};

struct Outcome {
  int calls = 0;
  Result<Tensor> result;
  Backend::Done done() {
    return [this](Result<Tensor> r) {
      ++calls;
      result = std::move(r);
    };
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_text::Line line;
  if (!fuzz_text::parse(data, size, 5 + kMaxRequests, line) || line.operation != "answers" ||
      line.numbers.size() < 5 || !fuzz_text::all_fit_int(line.numbers)) {
    return 0;
  }
  const auto& n = line.numbers;
  const int width = int(n[0]), height = int(n[1]);
  if (width <= 0 || height <= 0 || int64_t(width) * height > kMaxPixels) return 0;
  const TileOptions options{int(n[2]), int(n[3]), int(n[4])};
  const Result<std::vector<TileRect>> plan = plan_tiles(width, height, options);
  if (plan.ok() && plan.value.size() > kMaxRequests) return 0;
  if (plan.ok()) {  // each tile is sent padded to the multiple: 3 rows with multiple 1614 become 1614 rows
    const int64_t m = options.size_multiple;
    int64_t floats = 0;
    for (const TileRect& t : plan.value) {
      floats += 3 * ((int64_t(t.width) + m - 1) / m * m) * ((int64_t(t.height) + m - 1) / m * m);
      if (floats > kMaxPaddedFloats) return 0;
    }
  }

  Tensor input;
  input.shape = {1, 3, height, width};
  input.data.resize(size_t(3) * size_t(width) * size_t(height));
  for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = float(i % 13);

  RecordingBackend backend;
  Outcome outcome;
  run_tiled(backend, input, options, nullptr, outcome.done());
  bool all_right = true;  // every request got its right answer first
  for (size_t i = 0; i < backend.requests.size() && i < kMaxRequests; ++i) {
    const int64_t times = 5 + i < n.size() ? n[5 + i] : 1;
    if (times == 0) {
      all_right = false;
      break;  // never answered: the run waits for ever and makes no more requests
    }
    if (times < 0) {
      all_right = false;
      backend.fail(i);
      continue;
    }
    backend.answer(i, -1.0f);
    for (int64_t extra = 1; extra < std::min(times, kMaxAnswers); ++extra) backend.answer(i, 99.0f);
  }
  if (outcome.calls > 1) broken("done called more than once");
  if (!backend.requests.empty()) {  // answers after the end change nothing
    backend.answer(0, 7.0f);
    backend.answer(backend.requests.size() - 1, 7.0f);
    if (backend.requests.size() > 1) backend.fail(backend.requests.size() - 1);
  }
  if (outcome.calls > 1) broken("done called more than once");
  if (!plan.ok()) {
    if (outcome.calls != 1 || outcome.result.ok()) broken("a refused plan did not fail the run once");
    return 0;
  }
  if (all_right) {
    if (outcome.calls != 1) broken("every request was answered but done was not called");
    if (!outcome.result.ok()) broken("a run answered rightly failed");
    auto identity = make_identity_backend();
    Outcome reference;
    run_tiled(*identity, input, options, nullptr, reference.done());
    if (reference.calls != 1 || !reference.result.ok()) broken("the identity run failed");
    if (outcome.result.value.data != reference.result.value.data) broken("an extra answer changed the result");
  }
  return 0;
}
