#include "run/device.h"

#include <torch/cuda.h>

namespace styleforge::trainer {

Result<c10::DeviceType> pick_device(const std::string& name) {
  using R = Result<c10::DeviceType>;
  bool cuda = torch::cuda::is_available();
  if (name == "cpu" || (name == "auto" && !cuda)) return R::success(c10::kCPU);
  if (name == "cuda" || name == "auto") {
    if (!cuda)
      return R::failure("--device cuda: no CUDA device is available to this LibTorch (a CPU-only build, or no GPU "
                        "visible); use --device cpu or auto");
    return R::success(c10::kCUDA);
  }
  return R::failure("--device " + name + ": expected auto, cpu or cuda");
}

}  // namespace styleforge::trainer
