// InceptionV3 from the Keras/TF.js model in npm nsfwjs@4.4.0, up to `last_layer` (default mixed5), interpreted
// by KerasGraph. Input: RGB / 255 in [0, 1], the range nsfwjs feeds this model. Used as the style judge (a network
// the style models never train against) and usable as a loss network (--loss-net inception_v3).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "loss/keras_graph.h"
#include "loss/loss_network.h"

namespace styleforge::trainer {

class InceptionV3Features : public LossNetwork {
 public:
  explicit InceptionV3Features(const std::string& dir, const std::string& last_layer = "mixed5");

  std::vector<torch::Tensor> features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) override;
  std::vector<std::string> layer_names() const override { return graph_->layer_names(); }
  std::vector<std::string> default_style_layers() const override;
  std::string default_content_layer() const override { return "mixed2"; }
  std::vector<BatchNormCalibration> recalibrate_batch_norm(const torch::Tensor& photos255) override;
  int64_t zero_variance_channels() const { return graph_->zero_variance_channels(); }
  void set_antialias(int taps) override { graph_->set_antialias(taps); }  // see KerasGraph::set_antialias

 private:
  std::shared_ptr<KerasGraph> graph_;
};

// Where the InceptionV3 files are: $STYLEFORGE_NSFWJS_DIR/../inception_v3 if set, else under the source tree.
std::string default_inception_dir();

}  // namespace styleforge::trainer
