// The one interface between shared/ and whatever runs a model: ONNX Runtime Web in the browser (web/),
// LibTorch in the trainer (trainer/), and the reference backends below for tests and model-less runs.
//
// run() reports through a callback so that one interface serves both kinds of engine: a synchronous backend
// calls `done` before run() returns; the browser's calls it later, from a JS promise, while the UI keeps drawing.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "styleforge/manifest.h"
#include "styleforge/tiling.h"

namespace styleforge {

class Backend {
 public:
  using Done = std::function<void(Result<Tensor>)>;
  virtual ~Backend() = default;
  // What actually runs the model, shown to people: "wasm", "webgpu", "libtorch-cpu", "identity", ...
  virtual std::string name() const = 0;
  // Loads the model that `entry` describes from `path` (for web: a URL; for the trainer: a checkpoint).
  virtual Status load(const ModelEntry& entry, const std::string& path) = 0;
  // Runs the loaded model on one input. `done` is called exactly once, with the output or an error.
  virtual void run(const Tensor& input, Done done) = 0;

  // A second, fixed input fed unchanged with every run() until it is set again or cleared: an arbitrary-style
  // transformer's style code (ModelEntry::style_input). Setting it once before run_tiled() gives every tile the same
  // code, so tiling, strength and colour preservation work as for a one-input style. `value` must be {1, N} with N
  // values, all finite. Backends whose models take no second input refuse it (this default); a backend that does
  // checks `input_name` against its model. Set it between runs, not while one is in flight.
  virtual Status set_conditioning(const std::string& input_name, const Tensor& value);
  virtual void clear_conditioning() {}
};

// Why `value` cannot be a conditioning tensor ({1, N}, N >= 1, as many values as its shape says, all finite), or ""
// when it can. Backends call it in set_conditioning().
std::string check_conditioning(const Tensor& value);

// Returns its input unchanged (a style "model" that does nothing): runs the UI and tests without a model.
std::unique_ptr<Backend> make_identity_backend();
// A 3x3 box blur with edge clamping: a model whose output depends on neighbours, to test tile blending.
std::unique_ptr<Backend> make_box_blur_backend();
// Adds its conditioning input (named "shift", {1, C}) to each channel: out[c] = in[c] + shift[c]. A two-input model
// for tests of set_conditioning and run_tiled; running it before the shift is set fails, saying so.
std::unique_ptr<Backend> make_shift_backend();

// Drives `backend` over every tile of `image` ({1,C,H,W}) and blends the results into one output of the same
// size. Works with synchronous and asynchronous backends alike (no recursion per tile for synchronous ones).
// `progress(done_tiles, total_tiles)` is called after each tile; returning false cancels the run, which then
// completes with the error "cancelled". `done` is called exactly once.
using TileProgress = std::function<bool(int done_tiles, int total_tiles)>;
void run_tiled(Backend& backend, const Tensor& image, const TileOptions& options, TileProgress progress,
               Backend::Done done);

}  // namespace styleforge
