// The trainer's styleforge::Backend: a TransformerNet run directory (what `style` writes) executed by LibTorch.
// `stylize` and `augment` drive it through the shared layer (run_tiled, blend_images, preserve_colour), so the
// trainer post-processes exactly as the browser app does; only the engine differs.
#pragma once
#include <memory>
#include <string>

#include "styleforge/backend.h"
#include "styleforge/manifest.h"

namespace styleforge::trainer {

// A Backend that runs a TransformerNet. `device` is auto|cpu|cuda (see run/device.h); a bad choice makes load()
// fail with the reason. load(entry, path): `path` is a style run directory (options.json + model.pt, else
// checkpoint.pt) or a checkpoint file inside one; `entry` is only read for its normalisations, which must be the
// style-net identity (scale 1, mean 0, std 1): style_run_entry() gives one. run() is synchronous: `done` is called
// before it returns, with the raw network output {1,3,H,W} (about 0..255) or an error naming the problem.
// `threads` > 0 sets LibTorch's CPU thread count (process-wide); 0 keeps its default.
std::unique_ptr<Backend> make_libtorch_style_backend(const std::string& device, int threads = 0);

// The manifest entry a style run exports with (export.cpp writes the same fields): 0..255 in and out,
// max_tile 512, size_multiple 4. `id` names the run in messages.
ModelEntry style_run_entry(const std::string& id);

}  // namespace styleforge::trainer
