// Checkpoints: one file (torch::serialize archive) holding the step counter, each named module and, when given,
// its optimizer's state. Layout inside the archive:
//   "step"                 int64 tensor, the number of completed steps
//   "<name>"               nested archive: the module's parameters and buffers (torch::nn::Module::save)
//   "<name>.optimizer"     nested archive: optimizer state (torch::optim::Optimizer::save), if saved
// A style run saves {"transformer"}, a DCGAN {"generator", "discriminator"}, a VAE {"vae"}.
// Saving writes "<file>.tmp", fsyncs it and renames it over <file> (run/durable.h), so a kill or a power cut at any
// moment leaves a complete checkpoint under <file>. With keep_previous, the checkpoint being replaced stays as
// "<file>.previous": what resume_checkpoint falls back to if <file> is ever found damaged (a disk error, a copy cut
// short, an editor) rather than losing the run.
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

Status save_checkpoint(const std::string& path, int64_t step, const std::vector<CheckpointPart>& parts,
                       bool keep_previous = false);

std::string previous_checkpoint_file(const std::string& path);  // <path>.previous
std::string corrupt_checkpoint_file(const std::string& path);   // <path>.corrupt

// Loads into existing modules (built with the same hyper-parameters) and optimizers, moving tensors to `device`.
// Returns the step counter. Errors name the file and the part that is missing or does not fit.
Result<int64_t> load_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                const c10::Device& device);

// The same archive in memory (what ranks of a distributed run send each other, run/distributed.h). `source` names
// the bytes in messages.
Result<std::string> checkpoint_bytes(int64_t step, const std::vector<CheckpointPart>& parts);
Result<int64_t> load_checkpoint_bytes(const std::string& bytes, const std::string& source,
                                      const std::vector<CheckpointPart>& parts, const c10::Device& device);

// --resume: load_checkpoint(path), and if that file is unreadable, truncated or does not fit, the previous one
// (<path>.previous); the refused file is then kept as <path>.corrupt (so the next save cannot rotate it over
// the good previous one) and a warning naming both goes to stderr. Fails, naming every file tried, when neither
// loads.
Result<int64_t> resume_checkpoint(const std::string& path, const std::vector<CheckpointPart>& parts,
                                  const c10::Device& device);

}  // namespace styleforge::trainer
