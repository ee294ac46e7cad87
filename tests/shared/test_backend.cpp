// [backend] the reference backends and run_tiled(): progress, cancel, errors, asynchronous backends, and no stack
// growth per tile for synchronous ones.
#include <deque>

#include <catch2/catch.hpp>

#include "styleforge/backend.h"
#include "test_support.h"

using namespace styleforge;

namespace {

Tensor ramp_tensor(int channels, int height, int width) {
  Tensor t;
  t.shape = {1, channels, height, width};
  for (int i = 0; i < channels * height * width; ++i) t.data.push_back(float(i % 251) / 250.0f);
  return t;
}

TileOptions small_tiles() {
  TileOptions o;
  o.max_tile = 16;
  o.overlap = 4;
  o.size_multiple = 4;
  return o;
}

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

// Holds every request and answers only when the test says so, like ONNX Runtime Web's promises.
class AsyncBackend final : public Backend {
 public:
  explicit AsyncBackend(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return "async-" + inner_->name(); }
  Status load(const ModelEntry& e, const std::string& p) override { return inner_->load(e, p); }
  void run(const Tensor& input, Done done) override { pending_.push_back({input, std::move(done)}); }
  bool answer_one() {
    if (pending_.empty()) return false;
    auto [input, done] = std::move(pending_.front());
    pending_.pop_front();
    inner_->run(input, std::move(done));
    return true;
  }
  size_t pending() const { return pending_.size(); }

 private:
  std::unique_ptr<Backend> inner_;
  std::deque<std::pair<Tensor, Done>> pending_;
};

// Answers with an error on the n-th call, or answers twice, or with a wrong shape: a badly behaved model.
class FaultyBackend final : public Backend {
 public:
  enum class Fault { ErrorOnSecond, AnswerTwice, WrongShape };
  explicit FaultyBackend(Fault fault) : fault_(fault) {}
  std::string name() const override { return "faulty"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override {
    ++calls;
    if (fault_ == Fault::ErrorOnSecond && calls == 2) return done(Result<Tensor>::failure("out of GPU memory"));
    if (fault_ == Fault::WrongShape) {
      Tensor half = input;
      half.shape[3] /= 2;
      half.data.resize(size_t(half.element_count()));
      return done(Result<Tensor>::success(half));
    }
    done(Result<Tensor>::success(input));
    if (fault_ == Fault::AnswerTwice) done(Result<Tensor>::success(input));
  }
  int calls = 0;

 private:
  Fault fault_;
};

// Keeps every request with its callback; the test answers them when and as often as it likes, like a buggy
// asynchronous engine whose promise settles twice.
class RecordingBackend final : public Backend {
 public:
  std::string name() const override { return "recording"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override { requests.push_back({input, std::move(done)}); }
  // Answers request i with its own input (an identity model) or, for `filled`, a tensor of that shape full of it.
  void answer(size_t i, float filled = -1.0f) {
    REQUIRE(i < requests.size());
    Tensor output = requests[i].first;
    if (filled >= 0.0f) output.data.assign(output.data.size(), filled);
    Done done = requests[i].second;  // a copy: answering may make the next request and grow the deque
    done(Result<Tensor>::success(std::move(output)));
  }
  std::deque<std::pair<Tensor, Done>> requests;
};

}  // namespace

TEST_CASE("identity and box-blur backends", "[backend]") {
  auto identity = make_identity_backend();
  auto blur = make_box_blur_backend();
  CHECK(identity->name() == "identity");
  CHECK(blur->name() == "box-blur");
  CHECK(identity->load(ModelEntry{}, "anything").ok());

  const Tensor input = ramp_tensor(3, 5, 7);
  Outcome same;
  identity->run(input, same.done());
  REQUIRE(same.calls == 1);
  CHECK(same.result.value.data == input.data);

  // A single bright pixel in the middle of a 3x3 image is inside every pixel's clamped 3x3 window exactly once.
  Tensor dot;
  dot.shape = {1, 1, 3, 3};
  dot.data = {0, 0, 0, 0, 9, 0, 0, 0, 0};
  Outcome blurred;
  blur->run(dot, blurred.done());
  REQUIRE(blurred.result.ok());
  CHECK(blurred.result.value.data == std::vector<float>(9, 1.0f));
  // Edge clamping: a corner pixel of a 2x2 image sees itself 4 times, each neighbour twice, the diagonal once.
  Tensor square;
  square.shape = {1, 1, 2, 2};
  square.data = {9, 0, 0, 0};
  Outcome corner;
  blur->run(square, corner.done());
  CHECK(corner.result.value.data == std::vector<float>{4, 2, 2, 1});

  Tensor latent;
  latent.shape = {1, 100};
  latent.data.resize(100);
  Outcome refused;
  blur->run(latent, refused.done());
  CHECK(refused.result.error == "box-blur backend: expected an image tensor {1,C,H,W} with C, H and W at least 1");
  identity->run(latent, refused.done());
  CHECK(refused.result.error == "identity backend: expected an image tensor {1,C,H,W} with C, H and W at least 1");
}

TEST_CASE("run_tiled reports progress after every tile, in order", "[backend]") {
  auto identity = make_identity_backend();
  const Tensor input = ramp_tensor(3, 40, 50);
  const size_t expected_tiles = plan_tiles(50, 40, small_tiles()).value.size();
  REQUIRE(expected_tiles > 4);
  std::vector<std::pair<int, int>> reports;
  Outcome outcome;
  run_tiled(*identity, input, small_tiles(),
            [&](int done, int total) {
              reports.push_back({done, total});
              return true;
            },
            outcome.done());
  REQUIRE(outcome.calls == 1);
  REQUIRE(outcome.result.ok());
  CHECK(test_support::max_abs_difference(outcome.result.value, input) < 1e-6f);
  REQUIRE(reports.size() == expected_tiles);
  for (size_t i = 0; i < reports.size(); ++i) {
    CHECK(reports[i].first == int(i + 1));
    CHECK(reports[i].second == int(expected_tiles));
  }
}

TEST_CASE("run_tiled cancels when progress says so", "[backend]") {
  FaultyBackend counting(FaultyBackend::Fault::AnswerTwice);  // also proves a second answer is ignored
  int reports = 0;
  Outcome outcome;
  run_tiled(counting, ramp_tensor(3, 40, 50), small_tiles(), [&](int done, int) {
    ++reports;
    return done < 2;
  }, outcome.done());
  CHECK(outcome.calls == 1);
  CHECK(outcome.result.error == "cancelled");
  CHECK(reports == 2);
  CHECK(counting.calls == 2);  // no tile is started after the cancel
}

TEST_CASE("run_tiled drives an asynchronous backend to the same result", "[backend]") {
  const Tensor input = ramp_tensor(3, 37, 45);
  Outcome sync;
  auto blur = make_box_blur_backend();
  run_tiled(*blur, input, small_tiles(), nullptr, sync.done());
  REQUIRE(sync.result.ok());

  AsyncBackend async(make_box_blur_backend());
  Outcome later;
  run_tiled(async, input, small_tiles(), nullptr, later.done());
  CHECK(later.calls == 0);  // nothing has answered yet
  int answered = 0;
  while (async.answer_one()) {
    ++answered;
    CHECK(async.pending() <= 1);  // one tile in flight at a time
  }
  CHECK(answered == int(plan_tiles(45, 37, small_tiles()).value.size()));
  REQUIRE(later.calls == 1);
  REQUIRE(later.result.ok());
  CHECK(later.result.value.data == sync.result.value.data);
}

TEST_CASE("run_tiled loops rather than recursing for synchronous backends", "[backend]") {
  // A 1 x 60000 strip in 4-pixel tiles overlapping by 1: 20000 tiles. One stack frame per tile would overflow
  // WebAssembly's stack (5 MB) long before the end.
  Tensor strip;
  strip.shape = {1, 1, 1, 60000};
  strip.data.assign(60000, 0.25f);
  TileOptions tiny;
  tiny.max_tile = 4;
  tiny.overlap = 1;
  tiny.size_multiple = 1;
  auto identity = make_identity_backend();
  int tiles = 0;
  Outcome outcome;
  run_tiled(*identity, strip, tiny, [&](int, int total) {
    tiles = total;
    return true;
  }, outcome.done());
  REQUIRE(outcome.calls == 1);
  REQUIRE(outcome.result.ok());
  CHECK(tiles == 20000);
  CHECK(outcome.result.value.data == strip.data);
}

TEST_CASE("run_tiled reports backend failures and bad input", "[backend]") {
  const Tensor input = ramp_tensor(3, 40, 50);
  const int total = int(plan_tiles(50, 40, small_tiles()).value.size());
  FaultyBackend failing(FaultyBackend::Fault::ErrorOnSecond);
  Outcome failed;
  run_tiled(failing, input, small_tiles(), nullptr, failed.done());
  CHECK(failed.calls == 1);
  CHECK(failed.result.error == "tile 2 of " + std::to_string(total) + ": out of GPU memory");
  CHECK(failing.calls == 2);

  FaultyBackend shrinking(FaultyBackend::Fault::WrongShape);
  Outcome wrong;
  run_tiled(shrinking, input, small_tiles(), nullptr, wrong.done());
  CHECK(wrong.result.error == "tile 1 of " + std::to_string(total) +
                                  ": tile blending: the model returned a tensor of the wrong shape for a 16x16 tile "
                                  "(expected {1,3,H,W} with H,W at least the tile size); check the model");

  auto identity = make_identity_backend();
  Outcome bad_options;
  TileOptions options = small_tiles();
  options.overlap = 8;
  run_tiled(*identity, input, options, nullptr, bad_options.done());
  CHECK(bad_options.result.error ==
        "cannot run the model: bad tile options: max_tile 16 (rounded down to a multiple of 4) must exceed twice the "
        "overlap 8; lower the overlap");
  Outcome empty;
  run_tiled(*identity, Tensor{}, small_tiles(), nullptr, empty.done());
  CHECK(empty.calls == 1);
  CHECK(empty.result.error ==
        "cannot run the model: expected an image tensor {1,C,H,W} with C, H and W at least 1");
}

// Issue 14's fuzz finding; the schedule of answers is kept in tests/fuzz/corpus/backend.
TEST_CASE("run_tiled ignores a backend's late second answer instead of taking it as the next tile's", "[backend]") {
  const auto n = test_support::corpus_numbers("backend", "late_second_answer.txt", "answers", 7);
  const Tensor input = ramp_tensor(3, int(n[1]), int(n[0]));
  TileOptions options;
  options.max_tile = int(n[2]);
  options.overlap = int(n[3]);
  options.size_multiple = int(n[4]);
  const std::vector<int64_t> answers(n.begin() + 5, n.end());  // how often each request is answered
  REQUIRE(plan_tiles(input.width(), input.height(), options).value.size() == answers.size());

  RecordingBackend backend;
  Outcome outcome;
  run_tiled(backend, input, options, nullptr, outcome.done());
  for (size_t i = 0; i < answers.size(); ++i) {
    REQUIRE(backend.requests.size() == i + 1);
    backend.answer(i);  // the real answer: the run moves on and asks for the next tile
    // The extra answers arrive while the next tile is awaited. They once counted as its answer, so that tile was
    // skipped and the run finished with a hole (or these values) in the result.
    for (int64_t extra = 1; extra < answers[i]; ++extra) backend.answer(i, 99.0f);
  }
  REQUIRE(outcome.calls == 1);
  INFO(outcome.result.error);
  REQUIRE(outcome.result.ok());
  auto identity = make_identity_backend();  // the same run with a backend that answers once
  Outcome reference;
  run_tiled(*identity, input, options, nullptr, reference.done());
  REQUIRE(reference.result.ok());
  CHECK(outcome.result.value.data == reference.result.value.data);
  CHECK(test_support::max_abs_difference(outcome.result.value, input) < 1e-6f);
  // Answers after the run has finished change nothing either.
  backend.answer(0, 99.0f);
  backend.answer(answers.size() - 1, 99.0f);
  CHECK(outcome.calls == 1);
}
