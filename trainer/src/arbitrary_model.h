// An `arbitrary` run's networks (trainer/README.md, "Arbitrary styles"), built from the run's options.json and
// loaded from its weights: what `export`, `stylize` and the training command share. Two families, both "painting ->
// style code, photo + code -> painted photo" (options.json "family"):
//   ghiasi  the style predictor (learned code) and the conditional transformer: the shipped family
//   adain   AdainNet (nets/adain_net.h): the code is the painting's encoder statistics, a decoder learns; kept to
//           compare the families on the same loss and data (not exported)
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "nets/adain_net.h"
#include "nets/conditional_transformer_net.h"
#include "nets/style_predictor.h"
#include "run/checkpoint.h"
#include "styleforge/result.h"

namespace styleforge::trainer {

constexpr int kDefaultStyleCodeSize = 100;  // Ghiasi et al.'s size; a code is what the web app interpolates

struct ArbitraryModel {
  std::string family = "ghiasi";                   // or "adain"
  StylePredictor predictor{nullptr};               // ghiasi
  ConditionalTransformerNet transformer{nullptr};  // ghiasi
  AdainNet adain{nullptr};                         // adain
  int style_size = 0;  // shorter side the predictor's paintings are scaled to (training crops are this square)

  // A painting {N,3,H,W} 0..255 -> its style code {N, code_size()}.
  torch::Tensor code(const torch::Tensor& style255);
  // A photo {N,3,H,W} 0..255 painted with `code` {1 or N, code_size()}.
  torch::Tensor paint(const torch::Tensor& photo255, const torch::Tensor& code);
  int code_size() const;
  // The networks, in checkpoint order: ghiasi {predictor, transformer}; adain {adain}.
  std::vector<torch::nn::Module*> networks() const;
  // The frozen MobileNetV2 parts' batch norm, re-estimated on photos as the loss network's is.
  void recalibrate(const torch::Tensor& photos255);
  // The checkpoint parts ("predictor", "transformer" / "adain"), with one optimizer per network in networks()
  // order (empty: weights only).
  std::vector<CheckpointPart> parts(const std::vector<torch::optim::Optimizer*>& optimizers = {}) const;
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
