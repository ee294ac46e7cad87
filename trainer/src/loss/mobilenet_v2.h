// MobileNetV2 (alpha 1.0) from the Keras/TF.js model in nsfwjs@4.4.0, up to block_10: the layers that its
// upstream training left frozen at their ImageNet values (layers after block_10 were fine-tuned for another task,
// so they are not offered). The graph itself is interpreted by KerasGraph (loss/keras_graph.h).
//
// Input range: the ImageNet layers were trained on x/127.5 - 1 (Keras mobilenet_v2.preprocess_input); nsfwjs
// feeds x/255 to its fine-tuned whole. InputRange picks one; the default is ImageNet's, as only those layers are used.
//
// Batch norm: the file's quantized moving variances decode to 0 for many channels (see keras_graph.h);
// recalibrate_batch_norm() re-estimates them from photos (the style loss does this with --bn-recalibration on).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "loss/keras_graph.h"
#include "loss/loss_network.h"

namespace styleforge::trainer {

enum class MobileNetInputRange { ImageNet /* [-1, 1] */, ZeroOne /* [0, 1], as nsfwjs */ };

class MobileNetV2Features : public LossNetwork {
 public:
  // Reads `dir`/model.min.js and its shards; builds the graph up to and including `last_layer`.
  explicit MobileNetV2Features(const std::string& dir, const std::string& last_layer = "block_10_project_BN",
                               MobileNetInputRange range = MobileNetInputRange::ImageNet);

  std::vector<torch::Tensor> features(const torch::Tensor& rgb255, const std::vector<std::string>& layers) override;
  // Same, for an input already in the network's own range, NCHW (used by the port test against TF.js).
  std::vector<torch::Tensor> features_raw(const torch::Tensor& x, const std::vector<std::string>& layers);
  std::vector<std::string> layer_names() const override;
  std::vector<std::string> default_style_layers() const override;
  std::string default_content_layer() const override;
  // BN recalibration on `photos255` {N,3,H,W} (ordinary photos, 0..255); see KerasGraph.
  std::vector<BatchNormCalibration> recalibrate_batch_norm(const torch::Tensor& photos255) override;
  int64_t zero_variance_channels() const { return graph_->zero_variance_channels(); }
  void set_antialias(int taps) override { graph_->set_antialias(taps); }  // see KerasGraph::set_antialias
  const KerasGraph& graph() const { return *graph_; }  // the interpreted layers (the ONNX exporter reads them)
  // Input normalisation the graph expects: [-1, 1] (ImageNet) or [0, 1].
  MobileNetInputRange input_range() const { return range_; }
  // The interpreted graph for trainer/bench's PyTorch twin of the loss (format in KerasGraph::write_graph).
  void write_graph(const std::string& json_path, const std::string& bin_path) const;

 private:
  torch::Tensor input_from(const torch::Tensor& rgb255) const;
  std::shared_ptr<KerasGraph> graph_;
  MobileNetInputRange range_;
};

}  // namespace styleforge::trainer
