// The style judge: how close an image is to a painting in style, and to a photo in content, measured with a
// network the style models never train against: InceptionV3 from nsfwjs for models trained against MobileNetV2,
// MobileNetV2 (batch norm recalibrated on photos: its file's is damaged) for models trained against InceptionV3.
//
// describe() runs the network once per image and keeps per-layer summaries; distances compare summaries, so
// an image is run once however many paintings it is compared with. Style statistics per layer (F: {C, h*w}):
//   gram       |G(x) - G(s)|^2 / |G(s)|^2, G = F F^T / (C h w): the Johnson et al. loss, our old judge
//   meanstd    sum_c (mu_x - mu_s)^2 + (sd_x - sd_s)^2, over sum_c mu_s^2 + sd_s^2: per-channel first and second
//              moments (what AdaIN matches), blind to which channels co-occur
//   sliced     sliced Wasserstein-2 (Heitz et al. 2021): the features projected on fixed random directions,
//              compared quantile by quantile, over the painting's projected variance: whole distributions
// All are relative (0 = same statistics), so layers of different magnitudes weigh alike.
// Content: |F(x) - F(photo)|^2 / |F(photo)|^2 on one layer (position by position: same size required).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "loss/loss_network.h"

namespace styleforge::trainer {

struct JudgeLayerSummary {
  torch::Tensor mean, std, gram, quantiles;  // {C}, {C}, {C,C}, {K directions, Q quantiles}
};

struct JudgeDescription {
  torch::Tensor content;                              // content-layer features {C,h,w}
  std::map<std::string, JudgeLayerSummary> layers;    // style layers
};

class StyleJudge {
 public:
  // `network`: "inception_v3" or "mobilenet_v2" (load_loss_network; `network_dir` "" = the default folder).
  // `calibration255` {N,3,H,W} photos, or undefined: when given, the network's batch norm is recalibrated on them
  // first (KerasGraph::recalibrate_batch_norm).
  StyleJudge(const std::string& network, const std::string& network_dir, std::vector<std::string> style_layers,
             std::string content_layer, const torch::Tensor& calibration255 = {});

  JudgeDescription describe(const torch::Tensor& image255);  // {1,3,H,W}, 0..255
  // Per style layer, the distance of `image` from `painting` by `statistic` (gram | meanstd | sliced).
  std::map<std::string, double> style_distances(const JudgeDescription& image, const JudgeDescription& painting,
                                                const std::string& statistic) const;
  double content_distance(const JudgeDescription& image, const JudgeDescription& photo) const;
  const std::vector<std::string>& style_layers() const { return style_layers_; }
  static const std::vector<std::string>& statistics();
  static std::vector<std::string> default_style_layers(const std::string& network);
  static std::string default_content_layer(const std::string& network);

 private:
  std::shared_ptr<LossNetwork> network_;
  std::vector<std::string> style_layers_;
  std::string content_layer_;
  std::map<std::string, torch::Tensor> directions_;  // per layer {C, K}, fixed seed
};

}  // namespace styleforge::trainer
