// Checkpoints: one file (torch::serialize archive) holding the step counter, each named module and, when given,
// its optimizer's state. Layout inside the archive:
//   "step"                 int64 tensor, the number of completed steps
//   "<name>"               nested archive: the module's parameters and buffers (torch::nn::Module::save)
//   "<name>.optimizer"     nested archive: optimizer state (torch::optim::Optimizer::save), if saved
// A style run saves {"transformer"}, a DCGAN {"generator", "discriminator"}, a VAE {"vae"}.
// Saving writes "<file>.tmp" then renames it over <file>, so a kill mid-save leaves the previous checkpoint.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}
namespace c10 {
struct Device;
}

namespace styleforge::trainer {

struct CheckpointPart {
  std::string name;
  torch::nn::Module* module = nullptr;        // required
  torch::optim::Optimizer* optimizer = nullptr;  // optional: nullptr saves/loads the module only
};

Status save_checkpoint(const std::string& path, int64_t step, const std::vector<CheckpointPart>& parts);

// Loads into existing modules (built with the same hyper-parameters) and optimizers, moving tensors to `device`.
// Returns the step counter. Errors name the file and the part that is missing or does not fit.
Result<int64_t> load_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                const c10::Device& device);

}  // namespace styleforge::trainer
