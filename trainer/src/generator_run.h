// What `dcgan` and `vae` share before their training loops: the data and geometry options, starting the run
// (options.json, --resume, the run directory), the device, and opening the training images.
#pragma once
#include <optional>
#include <string>

#include <torch/torch.h>

#include "data/dataset.h"
#include "run/options.h"
#include "run/run_dir.h"
#include "run/start.h"

namespace styleforge::trainer {

struct GeneratorOptions {
  std::string data;
  int image_size = 32, latent = 64, width = 32;
};
void add_generator_options(OptionParser& parser, GeneratorOptions& options);

struct GeneratorStart {
  RunDir dir;  // rank 0 only
  std::shared_ptr<Distributed> distributed;
  torch::Device device = torch::kCPU;
  std::optional<TrainingImages> images;
};

// Parses the command line and prepares the run. Returns the exit code when the command ends here (--help, a bad
// option, an unusable device or data, the message already printed), or nothing when `start` is ready to train.
std::optional<int> start_generator_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                                       const GeneratorOptions& options, LoopOptions& loop, GeneratorStart* start);

}  // namespace styleforge::trainer
