// LibTorch Backend on a TransformerNet run directory, read with the run infrastructure `export` uses:
// hyper-parameters from options.json (read_run_options, saved_option_int), weights from model.pt or else
// checkpoint.pt (run_weights_file, load_checkpoint with part "transformer").
#include "libtorch_backend.h"

#include <torch/torch.h>

#include <filesystem>

#include "nets/transformer_net.h"
#include "run/checkpoint.h"
#include "libtorch_image_run.h"
#include "run/device.h"
#include "run/run_dir.h"
#include "style_network.h"

namespace fs = std::filesystem;

namespace styleforge::trainer {
namespace {

bool is_identity(const Normalization& n) {
  for (int c = 0; c < 3; ++c)
    if (n.mean[c] != 0.0f || n.std[c] != 1.0f) return false;
  return n.scale == 1.0f;
}

class LibtorchStyleBackend : public Backend {
 public:
  explicit LibtorchStyleBackend(std::string device) : device_name_(std::move(device)) {}

  std::string name() const override { return device_.is_cuda() ? "libtorch-cuda" : "libtorch-cpu"; }

  Status load(const ModelEntry& entry, const std::string& path) override {
    net_ = nullptr;
    if (!is_identity(entry.input.normalization) || !is_identity(entry.output.normalization))
      return Status::failure(entry.id + ": a TransformerNet takes and gives pixels in 0..255 (normalisation scale 1, "
                             "mean 0, std 1); this entry asks for another");
    Result<c10::DeviceType> device = pick_device(device_name_);
    if (!device.ok()) return Status::failure(device.error);
    device_ = torch::Device(device.value);

    std::error_code ec;
    if (!fs::exists(path, ec))
      return Status::failure(path + " does not exist: give a run directory written by "
                             "`styleforge-trainer style --out DIR`");
    Result<nlohmann::json> options = read_run_options(path);
    if (!options.ok()) return Status::failure(options.error);
    const std::string command = options.value.value("command", "");
    if (command != "style")
      return Status::failure(path + " is a '" + command + "' run, not a style run: stylize needs a run of "
                             "`styleforge-trainer style`");
    const std::string weights = run_weights_file(path);

    TransformerNet net{nullptr};
    try {
      net = TransformerNet(transformer_net_for_run(options.value));
    } catch (const std::exception& e) {
      return Status::failure(path + "/options.json: width/residual-blocks/edge-kernel do not make a TransformerNet: " +
                             e.what());
    }
    Result<int64_t> loaded = load_checkpoint(weights, {{"transformer", net.ptr().get(), nullptr}}, device_);
    if (!loaded.ok()) return Status::failure(loaded.error);
    net->eval();
    net_ = net;
    return Status::success();
  }

  void run(const Tensor& input, Done done) override {
    if (!net_) return done(Result<Tensor>::failure("libtorch backend: no model loaded (call load first)"));
    run_image_network(input, device_, [this](const torch::Tensor& x) { return net_->forward(x); }, std::move(done));
  }

 private:
  std::string device_name_;
  torch::Device device_{torch::kCPU};
  TransformerNet net_{nullptr};
};

}  // namespace

std::unique_ptr<Backend> make_libtorch_style_backend(const std::string& device, int threads) {
  if (threads > 0) torch::set_num_threads(threads);
  return std::make_unique<LibtorchStyleBackend>(device);
}

ModelEntry style_run_entry(const std::string& id) {
  ModelEntry entry;
  entry.id = id;
  entry.name = id;
  entry.kind = ModelKind::Style;
  Normalization pixels;
  pixels.scale = 1.0f;
  entry.input = {"image", "NCHW", pixels};
  entry.output = {"stylized", "NCHW", pixels};
  entry.max_tile = 512;
  entry.size_multiple = 4;
  return entry;
}

}  // namespace styleforge::trainer
