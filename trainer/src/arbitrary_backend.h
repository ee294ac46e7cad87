// The trainer's styleforge::Backend for an `arbitrary` run: the conditional transformer with one painting's style
// code, computed once at load by the run's style predictor. `stylize --style-image` drives it through the shared
// layer (run_tiled, blend, colour), exactly as a per-style run; every tile uses the same code.
#pragma once
#include <memory>
#include <string>

#include "styleforge/backend.h"

namespace styleforge::trainer {

// load(entry, path): `path` is an arbitrary run directory; `entry` must have the identity normalisations
// (style_run_entry gives one). The painting in `style_image` is read there, scaled so its shorter side is the run's
// style size. run() is synchronous. set_conditioning("style_code", {1, code_size}) replaces that code (the name and
// shape of the exported transformer's style input); clear_conditioning() goes back to the painting's.
// `threads` > 0 sets LibTorch's CPU thread count.
std::unique_ptr<Backend> make_libtorch_arbitrary_backend(const std::string& style_image, const std::string& device,
                                                         int threads = 0);

}  // namespace styleforge::trainer
