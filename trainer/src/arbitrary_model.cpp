// Building and loading an arbitrary run's networks; see the header.
#include "arbitrary_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "loss/loss_network.h"
#include "loss/style_setup.h"
#include "run/run_dir.h"

namespace styleforge::trainer {

torch::Tensor ArbitraryModel::code(const torch::Tensor& style255) {
  return family == "adain" ? adain->code(style255) : predictor->forward(style255);
}

torch::Tensor ArbitraryModel::paint(const torch::Tensor& photo255, const torch::Tensor& style_code) {
  return family == "adain" ? adain->forward(photo255, style_code) : transformer->forward(photo255, style_code);
}

int ArbitraryModel::code_size() const { return family == "adain" ? adain->code_size : predictor->code_size; }

std::vector<torch::nn::Module*> ArbitraryModel::networks() const {
  if (family == "adain") return {adain.ptr().get()};
  return {predictor.ptr().get(), transformer.ptr().get()};
}

void ArbitraryModel::recalibrate(const torch::Tensor& photos255) {
  if (family == "adain")
    adain->recalibrate_encoder(photos255);
  else
    predictor->recalibrate_trunk(photos255);
}

std::vector<CheckpointPart> ArbitraryModel::parts(const std::vector<torch::optim::Optimizer*>& optimizers) const {
  const std::vector<torch::nn::Module*> nets = networks();
  const std::vector<std::string> names =
      family == "adain" ? std::vector<std::string>{"adain"} : std::vector<std::string>{"predictor", "transformer"};
  std::vector<CheckpointPart> parts;
  for (size_t i = 0; i < nets.size(); ++i)
    parts.push_back({names[i], nets[i], i < optimizers.size() ? optimizers[i] : nullptr});
  return parts;
}

int arbitrary_style_size(int image_size, double style_scale) {
  return std::max(32, static_cast<int>(std::lround(image_size * style_scale / 4.0)) * 4);
}

ArbitraryModel build_arbitrary_model(const nlohmann::json& options) {
  const std::string loss_weights = options.value("loss-weights", std::string());
  const int code_size = static_cast<int>(saved_option_int(options, "code-size", kDefaultStyleCodeSize));
  const std::string mobilenet = loss_weights.empty() ? default_mobilenet_dir() : loss_weights;
  const int width = static_cast<int>(saved_option_int(options, "width", 16));
  const int blocks = static_cast<int>(saved_option_int(options, "residual-blocks", 5));
  ArbitraryModel m;
  m.family = options.value("family", std::string("ghiasi"));  // runs made before --family were all ghiasi
  if (m.family == "adain") {
    m.adain = AdainNet(mobilenet, width, blocks, saved_option_on(options, "photo-skip"));
  } else if (m.family == "ghiasi") {
    m.predictor = StylePredictor(mobilenet, code_size,
                                 static_cast<int>(saved_option_int(options, "predictor-hidden", 256)));
    m.transformer = ConditionalTransformerNet(width, blocks, saved_option_on(options, "photo-skip"), code_size);
  } else {
    throw std::runtime_error("unknown family '" + m.family + "' (ghiasi or adain)");
  }
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
  for (torch::nn::Module* net : m.networks()) net->eval();
  return R::success(m);
}

torch::Tensor style_code_of_file(ArbitraryModel& model, const std::string& path, const c10::Device& device) {
  torch::NoGradGuard no_grad;
  torch::Tensor painting = image_to_tensor255(load_image_scaled(path, model.style_size)).to(device);
  return model.code(painting);
}

}  // namespace styleforge::trainer
