// See the header.
#include "libtorch_image_run.h"

#include <cstring>

namespace styleforge::trainer {

void run_image_network(const Tensor& input, const torch::Device& device,
                       const std::function<torch::Tensor(const torch::Tensor&)>& forward, Backend::Done done) {
  if (input.shape.size() != 4 || input.shape[0] != 1 || input.shape[1] != 3 ||
      static_cast<int64_t>(input.data.size()) != input.element_count())
    return done(Result<Tensor>::failure("libtorch backend: expected a {1,3,H,W} image tensor"));
  torch::Tensor output;
  try {
    torch::NoGradGuard no_grad;
    torch::Tensor x = torch::from_blob(const_cast<float*>(input.data.data()), input.shape, torch::kFloat);
    output = forward(x.to(device)).to(torch::kCPU).contiguous();
  } catch (const std::exception& e) {
    return done(Result<Tensor>::failure("libtorch backend: forward failed: " + std::string(e.what()).substr(0, 300)));
  }
  Tensor result;
  result.shape = output.sizes().vec();
  result.data.resize(output.numel());
  std::memcpy(result.data.data(), output.data_ptr<float>(), result.data.size() * sizeof(float));
  done(Result<Tensor>::success(std::move(result)));
}

}  // namespace styleforge::trainer
