#include "generator_run.h"

#include <cstdio>

#include "data/idx.h"
#include "nets/dcgan.h"
#include "run/device.h"
#include "run/fail.h"

namespace styleforge::trainer {

void add_generator_options(OptionParser& parser, GeneratorOptions& options) {
  parser.add_string("data", &options.data, "folder of PNG/JPEG images, or an idx images file (.gz allowed)");
  parser.require("data");
  parser.add_int("image-size", &options.image_size, "side of the images, trained on and generated: 28, 32 or 64",
                 28, 64);
  parser.add_int("latent", &options.latent, "latent vector size", 1, 4096);
  parser.add_int("width", &options.width, "channel width (base number of filters)", 1, 1024);
  parser.add_string("labels", &options.labels,
                    "idx labels file of --data's images (e.g. train-labels-idx1-ubyte.gz): trains a class-conditional "
                    "model, the class (one-hot) being an input of the networks");
  parser.add_int("classes", &options.classes, "number of classes of --labels (labels must be below it)", 2, 1000);
}

torch::Tensor one_hot_classes(const torch::Tensor& classes_int64, int classes) {
  return torch::one_hot(classes_int64, classes).to(torch::kFloat);
}

torch::Tensor preview_classes(int count, int classes) {
  return torch::arange(count, torch::kLong).remainder(classes);
}

torch::Tensor GeneratorStart::classes_of(const std::vector<int64_t>& picked) const {
  return labels.index_select(0, torch::tensor(picked, torch::kLong));
}

torch::Tensor GeneratorStart::one_hot_of(const std::vector<int64_t>& picked) const {
  if (classes == 0) return {};
  return one_hot_classes(classes_of(picked), classes);
}

std::optional<int> start_generator_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                                       const GeneratorOptions& options, LoopOptions& loop, GeneratorStart* start) {
  if (auto code = begin_run(parser, argc, argv, command, loop, &start->dir, &start->distributed)) return code;
  // Both nets double the resolution per layer from a small base (nets/dcgan.h), which fixes the usable sizes.
  if (!gan_geometry(options.image_size).ok())
    return fail("--image-size " + std::to_string(options.image_size) + ": use 28, 32 or 64");
  Result<c10::DeviceType> device_type = pick_device(loop.device);
  if (!device_type.ok()) return fail(device_type.error);
  start->device = torch::Device(device_type.value);

  Result<TrainingImages> images = TrainingImages::open(options.data, options.image_size, /*random_crop=*/false);
  if (!images.ok()) return fail(images.error);
  std::fprintf(stderr, "%sdata: %s\n", start->distributed->prefix().c_str(), images.value.describe().c_str());
  start->images.emplace(std::move(images.value));
  if (options.labels.empty()) return std::nullopt;

  // Class-conditional: one label per image, each below --classes.
  if (!start->images->is_idx())
    return fail("--labels needs --data to be an idx images file (labels of an image folder are not supported)");
  Result<std::vector<uint8_t>> labels = read_idx_labels(options.labels);
  if (!labels.ok()) return fail(labels.error);
  if (static_cast<int64_t>(labels.value.size()) != start->images->size())
    return fail("--labels " + options.labels + " holds " + std::to_string(labels.value.size()) + " labels for the " +
                std::to_string(start->images->size()) + " images of --data " + options.data +
                ": pass the labels file that belongs to these images");
  for (size_t i = 0; i < labels.value.size(); ++i)
    if (labels.value[i] >= options.classes)
      return fail("--labels " + options.labels + ": label " + std::to_string(labels.value[i]) + " of image " +
                  std::to_string(i) + " is not below --classes " + std::to_string(options.classes));
  start->labels = torch::tensor(std::vector<int64_t>(labels.value.begin(), labels.value.end()), torch::kLong);
  start->classes = options.classes;
  std::fprintf(stderr, "%sclass-conditional: %d classes from %s\n", start->distributed->prefix().c_str(),
               options.classes, options.labels.c_str());
  return std::nullopt;
}

}  // namespace styleforge::trainer
