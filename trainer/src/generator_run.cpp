#include "generator_run.h"

#include <cstdio>

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
  return std::nullopt;
}

}  // namespace styleforge::trainer
