// LibTorch Backend on an arbitrary run with a fixed painting; see the header.
#include "arbitrary_backend.h"

#include <torch/torch.h>

#include "arbitrary_model.h"
#include "libtorch_image_run.h"
#include "run/device.h"

namespace styleforge::trainer {
namespace {

class LibtorchArbitraryBackend : public Backend {
 public:
  LibtorchArbitraryBackend(std::string style_image, std::string device)
      : style_image_(std::move(style_image)), device_name_(std::move(device)) {}

  std::string name() const override { return device_.is_cuda() ? "libtorch-cuda" : "libtorch-cpu"; }

  Status load(const ModelEntry& entry, const std::string& path) override {
    loaded_ = false;
    const Normalization& in = entry.input.normalization;
    if (in.scale != 1.0f || in.mean[0] != 0.0f || in.std[0] != 1.0f)
      return Status::failure(entry.id + ": an arbitrary-style network takes pixels in 0..255 (scale 1, mean 0, std 1)");
    Result<c10::DeviceType> device = pick_device(device_name_);
    if (!device.ok()) return Status::failure(device.error);
    device_ = torch::Device(device.value);
    Result<ArbitraryModel> model = load_arbitrary_run(path, device_);
    if (!model.ok()) return Status::failure(model.error);
    model_ = model.value;
    try {
      painting_code_ = style_code_of_file(model_, style_image_, device_);
    } catch (const std::exception& e) {
      return Status::failure(std::string("--style-image ") + e.what());
    }
    code_ = painting_code_;
    loaded_ = true;
    return Status::success();
  }

  // The transformer's style input under the name the exported file gives it ("style_code"): a code from elsewhere
  // (another painting's, a mix of two) replaces the --style-image one for every run until cleared.
  Status set_conditioning(const std::string& input_name, const Tensor& value) override {
    if (input_name != "style_code") return Backend::set_conditioning(input_name, value);
    if (!loaded_) return Status::failure("libtorch backend: load the run before setting its style code");
    const std::string problem = check_conditioning(value);
    if (!problem.empty()) return Status::failure("libtorch backend: " + problem);
    if (value.shape[1] != model_.code_size())
      return Status::failure("libtorch backend: the style code has " + std::to_string(value.shape[1]) +
                             " numbers; this run's codes have " + std::to_string(model_.code_size()));
    code_ = torch::from_blob(const_cast<float*>(value.data.data()), value.shape, torch::kFloat).clone().to(device_);
    return Status::success();
  }
  void clear_conditioning() override { code_ = painting_code_; }

  void run(const Tensor& input, Done done) override {
    if (!loaded_) return done(Result<Tensor>::failure("libtorch backend: no model loaded (call load first)"));
    run_image_network(
        input, device_, [this](const torch::Tensor& x) { return model_.paint(x, code_); },
        std::move(done));
  }

 private:
  std::string style_image_, device_name_;
  torch::Device device_{torch::kCPU};
  ArbitraryModel model_;
  torch::Tensor painting_code_;  // --style-image's code, computed at load
  torch::Tensor code_;           // the code every run uses: the painting's, or one set_conditioning gave
  bool loaded_ = false;
};

}  // namespace

std::unique_ptr<Backend> make_libtorch_arbitrary_backend(const std::string& style_image, const std::string& device,
                                                         int threads) {
  if (threads > 0) torch::set_num_threads(threads);
  return std::make_unique<LibtorchArbitraryBackend>(style_image, device);
}

}  // namespace styleforge::trainer
