#include "onnx/import_generator.h"

#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "nets/dcgan.h"
#include "onnx/copy_stored_weights.h"
#include "onnx/weight_reader.h"
#include "run/run_dir.h"
#include "styleforge/onnx_metadata.h"

namespace styleforge::trainer {

Result<ImportedGenerator> read_generator_onnx(const std::string& onnx_path) {
  using R = Result<ImportedGenerator>;
  std::ifstream in(onnx_path, std::ios::binary);
  if (!in) return R::failure(onnx_path + ": cannot open");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto props = read_onnx_metadata(bytes.data(), bytes.size());
  if (!props.ok()) return R::failure(onnx_path + ": " + props.error);
  const std::string* kind = find_metadata(props.value, kTrainerKindKey);
  const std::string* stored_options = find_metadata(props.value, "styleforge.options");
  if (!kind || *kind != "dcgan" || !stored_options)
    return R::failure(onnx_path + " is not a GAN generator exported by styleforge-trainer (its metadata names " +
                      (kind ? "a '" + *kind + "' model" : "no trainer command") +
                      "): give a dcgan run directory or its exported .onnx");
  ImportedGenerator out;
  out.options = nlohmann::json::parse(*stored_options, nullptr, /*allow_exceptions=*/false);
  if (!out.options.is_object()) return R::failure(onnx_path + ": its styleforge.options metadata is not JSON");
  if (const std::string* step = find_metadata(props.value, "styleforge.step")) out.step = std::atoll(step->c_str());

  const int image_size = static_cast<int>(saved_option_int(out.options, "image-size", 32));
  const int latent = static_cast<int>(saved_option_int(out.options, "latent", 64));
  const int width = static_cast<int>(saved_option_int(out.options, "width", 32));
  const int classes = out.options.value("labels", std::string()).empty()
                          ? 0 : static_cast<int>(saved_option_int(out.options, "classes", 10));
  if (!gan_geometry(image_size).ok() || latent < 1 || width < 1 || classes < 0)
    return R::failure(onnx_path + ": its options describe no generator this trainer builds (image size " +
                      std::to_string(image_size) + ")");
  auto stored = onnx_writer::read_onnx_weights(onnx_path);
  if (!stored.ok()) return R::failure(stored.error);
  out.generator = std::make_shared<GeneratorImpl>(latent, image_size, width, classes,
                                                  gan_upsample_named(out.options.value("upsample", std::string())));

  // Every parameter and running statistic the export wrote (batch norm's num_batches_tracked is not in the graph).
  std::vector<std::pair<std::string, torch::Tensor>> targets;
  for (const auto& p : out.generator->named_parameters(true)) targets.emplace_back(p.key(), p.value());
  for (const auto& b : out.generator->named_buffers(true))
    if (b.key().find("num_batches_tracked") == std::string::npos) targets.emplace_back(b.key(), b.value());
  const std::string network = "the generator its options describe (latent " + std::to_string(latent) + ", width " +
                              std::to_string(width) + ")";
  if (Status s = copy_stored_weights(targets, stored.value, onnx_path, network); !s.ok()) return R::failure(s.error);
  out.generator->eval();
  return R::success(std::move(out));
}

}  // namespace styleforge::trainer
