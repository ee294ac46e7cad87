// A DCGAN generator back from an ONNX file that `export` wrote (e.g. the shipped models/emoji-dcgan.onnx), for the
// commands that only read a generator (`latent-directions`): a clean checkout has the shipped file, not the run
// directory it was trained in. The architecture comes from the run options `export` stores in the file's metadata
// (styleforge.options: latent, width, image size, classes); float16 kernels come back widened.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct GeneratorImpl;

struct ImportedGenerator {
  std::shared_ptr<GeneratorImpl> generator;  // in eval mode (batch norm uses the stored running statistics)
  nlohmann::json options;                     // the run's options.json as stored in the file
  int64_t step = 0;                           // the training step it was exported at (styleforge.step)
};

// Fails with a message naming the file when it is not an ONNX model, was not exported from a dcgan run by our
// trainer, or its weights do not fit the architecture its options describe.
Result<ImportedGenerator> read_generator_onnx(const std::string& onnx_path);

}  // namespace styleforge::trainer
