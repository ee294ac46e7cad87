// An `arbitrary` run's two networks (trainer/README.md, "Arbitrary styles"): the style predictor (painting ->
// style code) and the conditional transformer (photo + code -> painted photo), built from the run's options.json
// and loaded from its weights. What `export`, `stylize` and the training command share.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "nets/conditional_transformer_net.h"
#include "nets/style_predictor.h"
#include "run/checkpoint.h"
#include "styleforge/result.h"

namespace styleforge::trainer {

constexpr int kDefaultStyleCodeSize = 100;  // Ghiasi et al.'s size; a code is what the web app interpolates

struct ArbitraryModel {
  StylePredictor predictor{nullptr};
  ConditionalTransformerNet transformer{nullptr};
  int style_size = 0;  // shorter side the predictor's paintings are scaled to (training crops are this square)

  // The checkpoint parts ("predictor", "transformer"); optimizers as given (nullptr: weights only).
  std::vector<CheckpointPart> parts(torch::optim::Optimizer* predictor_optimizer = nullptr,
                                    torch::optim::Optimizer* transformer_optimizer = nullptr) const;
};

// The networks `options` (an arbitrary run's options.json) describe, with fresh weights; throws std::runtime_error
// naming what is wrong (e.g. the MobileNetV2 files missing).
ArbitraryModel build_arbitrary_model(const nlohmann::json& options);
// The shorter side paintings are scaled to for the predictor: image size x style scale, at least 32.
int arbitrary_style_size(int image_size, double style_scale);

// build_arbitrary_model + the run's weights (model.pt, else checkpoint.pt, the newer: run_weights_file), on
// `device`, in evaluation mode. `step` receives the step the weights are from. Errors name the run and the file.
Result<ArbitraryModel> load_arbitrary_run(const std::string& run, const c10::Device& device, int64_t* step = nullptr);

// The style code of the painting in `path`, scaled so its shorter side is model.style_size: {1, code_size}.
// Throws std::runtime_error naming the file when it cannot be read.
torch::Tensor style_code_of_file(ArbitraryModel& model, const std::string& path, const c10::Device& device);

}  // namespace styleforge::trainer
