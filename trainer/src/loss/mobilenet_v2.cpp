// MobileNetV2 loss network over the interpreted Keras graph; see the header.
#include "loss/mobilenet_v2.h"

#include <torch/torch.h>

namespace styleforge::trainer {

MobileNetV2Features::MobileNetV2Features(const std::string& dir, const std::string& last_layer,
                                         MobileNetInputRange range)
    : graph_(register_module("graph", std::make_shared<KerasGraph>(dir, last_layer))), range_(range) {}

torch::Tensor MobileNetV2Features::input_from(const torch::Tensor& rgb255) const {
  return range_ == MobileNetInputRange::ImageNet ? rgb255 / 127.5 - 1.0 : rgb255 / 255.0;
}

std::vector<torch::Tensor> MobileNetV2Features::features_raw(const torch::Tensor& x,
                                                             const std::vector<std::string>& layers) {
  return graph_->forward(x, layers);
}

std::vector<torch::Tensor> MobileNetV2Features::features(const torch::Tensor& rgb255,
                                                         const std::vector<std::string>& layers) {
  return graph_->forward(input_from(rgb255), layers);
}

std::vector<BatchNormCalibration> MobileNetV2Features::recalibrate_batch_norm(const torch::Tensor& photos255) {
  return graph_->recalibrate_batch_norm(input_from(photos255));
}

std::vector<std::string> MobileNetV2Features::layer_names() const { return graph_->layer_names(); }

std::vector<std::string> MobileNetV2Features::default_style_layers() const {
  return {"Conv1_relu", "block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu", "block_10_expand_relu"};
}

std::string MobileNetV2Features::default_content_layer() const { return "block_6_expand_relu"; }

void MobileNetV2Features::write_graph(const std::string& json_path, const std::string& bin_path) const {
  graph_->write_graph(json_path, bin_path, range_ == MobileNetInputRange::ImageNet ? "imagenet" : "zero_one");
}

}  // namespace styleforge::trainer
