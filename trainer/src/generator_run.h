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
  std::string labels;  // idx labels of `data`'s images: given, the model is class-conditional
  int image_size = 32, latent = 64, width = 32;
  int classes = 10;    // one-hot size of a class-conditional model
  // The number of classes the networks take: 0 for an unconditional model.
  int conditioning_classes() const { return labels.empty() ? 0 : classes; }
};
void add_generator_options(OptionParser& parser, GeneratorOptions& options);

struct GeneratorStart {
  RunDir dir;  // rank 0 only
  std::shared_ptr<Distributed> distributed;
  torch::Device device = torch::kCPU;
  std::optional<TrainingImages> images;
  torch::Tensor labels;  // int64 [number of images], one class per image; undefined without --labels
  int classes = 0;       // conditioning_classes()

  // Classes [N] (int64) of the images `samples` picked (their indices); class-conditional runs only.
  torch::Tensor classes_of(const std::vector<int64_t>& picked) const;
  // The same as one-hot [N, classes], or an undefined tensor for an unconditional run (the nets then ignore it).
  torch::Tensor one_hot_of(const std::vector<int64_t>& picked) const;
};

// Classes [N] (int64) -> float one-hot [N, classes]: what a class-conditional net takes.
torch::Tensor one_hot_classes(const torch::Tensor& classes_int64, int classes);
// Preview classes for `count` samples: 0, 1, ..., classes-1, 0, 1, ... (every class shown, in order).
torch::Tensor preview_classes(int count, int classes);

// Parses the command line and prepares the run. Returns the exit code when the command ends here (--help, a bad
// option, an unusable device or data, the message already printed), or nothing when `start` is ready to train.
std::optional<int> start_generator_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                                       const GeneratorOptions& options, LoopOptions& loop, GeneratorStart* start);

}  // namespace styleforge::trainer
