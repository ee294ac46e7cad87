// Loss network factory: picks the implementation by name.
#include "loss/loss_network.h"

#include <cstdlib>
#include <stdexcept>

#include "loss/inception_v3.h"
#include "loss/mobilenet_v2.h"
#include "loss/vgg.h"

#ifndef STYLEFORGE_SOURCE_DIR
#define STYLEFORGE_SOURCE_DIR "."
#endif

namespace styleforge::trainer {

std::string default_mobilenet_dir() {
  if (const char* env = std::getenv("STYLEFORGE_NSFWJS_DIR")) return env;
  return std::string(STYLEFORGE_SOURCE_DIR) + "/third_party/nsfwjs/dist/models/mobilenet_v2";
}

std::vector<BatchNormCalibration> LossNetwork::recalibrate_batch_norm(const torch::Tensor&) {
  throw std::runtime_error("batch-norm recalibration: only the nsfwjs networks (mobilenet_v2, inception_v3) have "
                           "quantized batch norm to fix; use --bn-recalibration off");
}

void LossNetwork::set_antialias(int) {
  throw std::runtime_error("--antialias: only for mobilenet_v2 and inception_v3");
}

std::shared_ptr<LossNetwork> load_loss_network(const std::string& kind, const std::string& path) {
  if (kind == "mobilenet_v2") return std::make_shared<MobileNetV2Features>(path.empty() ? default_mobilenet_dir() : path);
  if (kind == "mobilenet_v2_01")  // nsfwjs's own [0,1] input range, for comparison
    return std::make_shared<MobileNetV2Features>(path.empty() ? default_mobilenet_dir() : path, "block_10_project_BN",
                                                 MobileNetInputRange::ZeroOne);
  if (kind == "inception_v3") return std::make_shared<InceptionV3Features>(path.empty() ? default_inception_dir() : path);
  if (kind == "vgg16" || kind == "vgg19") {
    if (path.empty())
      throw std::runtime_error("--loss-net " + kind + " needs --loss-weights FILE (see trainer/README.md for how to "
                               "make it from torchvision)");
    return std::make_shared<VggFeatures>(path, kind == "vgg19" ? 19 : 16);
  }
  throw std::runtime_error("unknown loss network '" + kind + "' (expected mobilenet_v2, inception_v3, vgg16 or vgg19)");
}

}  // namespace styleforge::trainer
