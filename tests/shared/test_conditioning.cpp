// [conditioning] a second, fixed input fed with every run (Backend::set_conditioning): what an arbitrary-style
// transformer's style code needs. The shift backend (out = in + shift[c]) stands in for a two-input model.
#include <catch2/catch.hpp>

#include "styleforge/backend.h"
#include "test_support.h"

using namespace styleforge;

namespace {

Tensor shift_of(std::vector<float> values) {
  Tensor t;
  t.shape = {1, int64_t(values.size())};
  t.data = std::move(values);
  return t;
}

Tensor ramp(int channels, int height, int width) {
  Tensor t;
  t.shape = {1, channels, height, width};
  t.data.resize(size_t(channels) * height * width);
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = float(i % 97);
  return t;
}

Result<Tensor> run_once(Backend& backend, const Tensor& input) {
  Result<Tensor> out = Result<Tensor>::failure("never answered");
  backend.run(input, [&](Result<Tensor> r) { out = std::move(r); });
  return out;
}

}  // namespace

TEST_CASE("one-input backends refuse a conditioning input, naming it", "[conditioning]") {
  auto identity = make_identity_backend();
  const Status refused = identity->set_conditioning("style_code", shift_of({1, 2, 3}));
  CHECK(refused.error == "identity: this model takes one input; it has no conditioning input 'style_code'");
}

TEST_CASE("check_conditioning takes {1, N} finite tensors only", "[conditioning]") {
  CHECK(check_conditioning(shift_of({1, 2})).empty());
  Tensor flat;
  flat.shape = {2};
  flat.data = {1, 2};
  CHECK(check_conditioning(flat) == "a conditioning input must be a tensor {1, N} with N at least 1");
  Tensor short_data = shift_of({1, 2});
  short_data.shape = {1, 3};
  CHECK(check_conditioning(short_data) == "the conditioning tensor holds 2 values but its shape needs 3");
  CHECK(check_conditioning(shift_of({1, 1.0f / 0.0f})) ==
        "the conditioning tensor holds a value that is not a finite number");
}

TEST_CASE("a conditioning input set once reaches every run until it is set again or cleared", "[conditioning]") {
  auto backend = make_shift_backend();
  const Tensor input = ramp(3, 4, 5);
  CHECK(run_once(*backend, input).error == "shift backend: its conditioning input 'shift' is not set");
  CHECK(backend->set_conditioning("code", shift_of({1, 2, 3})).error ==
        "shift backend: its model has no input 'code'");
  CHECK_FALSE(backend->set_conditioning("shift", Tensor{}).ok());

  REQUIRE(backend->set_conditioning("shift", shift_of({1, 2, 3})).ok());
  for (int repeat = 0; repeat < 2; ++repeat) {  // not consumed by a run
    auto out = run_once(*backend, input);
    REQUIRE(out.ok());
    const size_t plane = 20;
    CHECK(out.value.data[0] == input.data[0] + 1);
    CHECK(out.value.data[plane + 3] == input.data[plane + 3] + 2);
    CHECK(out.value.data[2 * plane + 19] == input.data[2 * plane + 19] + 3);
  }
  REQUIRE(backend->set_conditioning("shift", shift_of({-5, 0, 0})).ok());
  CHECK(run_once(*backend, input).value.data[0] == input.data[0] - 5);
  backend->clear_conditioning();
  CHECK_FALSE(run_once(*backend, input).ok());
}

TEST_CASE("run_tiled feeds the same conditioning to every tile: tiled equals whole", "[conditioning]") {
  auto backend = make_shift_backend();
  REQUIRE(backend->set_conditioning("shift", shift_of({10, -20, 0.5f})).ok());
  const Tensor image = ramp(3, 150, 230);
  TileOptions whole;
  whole.max_tile = 512;
  TileOptions tiled;
  tiled.max_tile = 64;
  tiled.overlap = 16;
  Result<Tensor> one = Result<Tensor>::failure("never answered"), many = one;
  int tiles = 0;
  run_tiled(*backend, image, whole, nullptr, [&](Result<Tensor> r) { one = std::move(r); });
  run_tiled(*backend, image, tiled, [&](int, int total) { tiles = total; return true; },
            [&](Result<Tensor> r) { many = std::move(r); });
  INFO(one.error << many.error);
  REQUIRE(one.ok());
  REQUIRE(many.ok());
  CHECK(tiles > 4);
  CHECK(one.value.data[0] == image.data[0] + 10);
  CHECK(test_support::max_abs_difference(one.value, many.value) < 1e-4f);
}
