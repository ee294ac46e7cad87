// InceptionV3 feature network over the interpreted Keras graph; see the header.
#include "loss/inception_v3.h"

#include <torch/torch.h>

#include "loss/loss_network.h"

namespace styleforge::trainer {

InceptionV3Features::InceptionV3Features(const std::string& dir, const std::string& last_layer)
    : graph_(register_module("graph", std::make_shared<KerasGraph>(dir, last_layer))) {}

std::vector<torch::Tensor> InceptionV3Features::features(const torch::Tensor& rgb255,
                                                         const std::vector<std::string>& layers) {
  return graph_->forward(rgb255 / 255.0, layers);
}

std::vector<BatchNormCalibration> InceptionV3Features::recalibrate_batch_norm(const torch::Tensor& photos255) {
  return graph_->recalibrate_batch_norm(photos255 / 255.0);
}

std::vector<std::string> InceptionV3Features::default_style_layers() const {
  return {"activation_3", "activation_5", "mixed1", "mixed4"};
}

std::string default_inception_dir() {
  const std::string mobilenet = default_mobilenet_dir();  // .../dist/models/mobilenet_v2
  return mobilenet.substr(0, mobilenet.find_last_of('/')) + "/inception_v3";
}

}  // namespace styleforge::trainer
