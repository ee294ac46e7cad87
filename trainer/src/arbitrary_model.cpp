// Building and loading an arbitrary run's networks; see the header.
#include "arbitrary_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "loss/loss_network.h"
#include "loss/style_setup.h"
#include "run/run_dir.h"

namespace styleforge::trainer {

std::vector<CheckpointPart> ArbitraryModel::parts(torch::optim::Optimizer* predictor_optimizer,
                                                  torch::optim::Optimizer* transformer_optimizer) const {
  return {{"predictor", predictor.ptr().get(), predictor_optimizer},
          {"transformer", transformer.ptr().get(), transformer_optimizer}};
}

int arbitrary_style_size(int image_size, double style_scale) {
  return std::max(32, static_cast<int>(std::lround(image_size * style_scale / 4.0)) * 4);
}

ArbitraryModel build_arbitrary_model(const nlohmann::json& options) {
  const std::string loss_weights = options.value("loss-weights", std::string());
  const int code_size = static_cast<int>(saved_option_int(options, "code-size", kDefaultStyleCodeSize));
  ArbitraryModel m;
  m.predictor = StylePredictor(loss_weights.empty() ? default_mobilenet_dir() : loss_weights, code_size,
                               static_cast<int>(saved_option_int(options, "predictor-hidden", 256)));
  m.transformer = ConditionalTransformerNet(static_cast<int>(saved_option_int(options, "width", 16)),
                                            static_cast<int>(saved_option_int(options, "residual-blocks", 5)),
                                            saved_option_on(options, "photo-skip"), code_size);
  m.style_size = arbitrary_style_size(static_cast<int>(saved_option_int(options, "image-size", 256)),
                                      options.value("style-scale", 1.0));
  return m;
}

Result<ArbitraryModel> load_arbitrary_run(const std::string& run, const c10::Device& device, int64_t* step) {
  using R = Result<ArbitraryModel>;
  Result<nlohmann::json> options = read_run_options(run);
  if (!options.ok()) return R::failure(options.error);
  const std::string command = options.value.value("command", "");
  if (command != "arbitrary")
    return R::failure(run + " is a '" + command + "' run, not an arbitrary-style run (styleforge-trainer arbitrary)");
  ArbitraryModel m;
  try {
    m = build_arbitrary_model(options.value);
  } catch (const std::exception& e) {
    return R::failure(run + "/options.json: cannot build its networks: " + e.what());
  }
  const std::string weights = run_weights_file(run);
  Result<int64_t> loaded = load_checkpoint(weights, m.parts(), device);
  if (!loaded.ok()) return R::failure(loaded.error);
  if (step) *step = loaded.value;
  m.predictor->eval();
  m.transformer->eval();
  return R::success(m);
}

torch::Tensor style_code_of_file(ArbitraryModel& model, const std::string& path, const c10::Device& device) {
  torch::NoGradGuard no_grad;
  torch::Tensor painting = image_to_tensor255(load_image_scaled(path, model.style_size)).to(device);
  return model.predictor->forward(painting);
}

}  // namespace styleforge::trainer
