#include "style_network.h"

#include <torch/torch.h>

#include "nets/transformer_net.h"
#include "run/checkpoint.h"
#include "run/run_dir.h"
#ifdef STYLEFORGE_WITH_ONNX
#include "onnx/import_style.h"
#endif

namespace styleforge::trainer {

std::shared_ptr<TransformerNetImpl> transformer_net_for_run(const nlohmann::json& options) {
  // Absent keys: width 16 and 5 blocks (the defaults since the start), no photo skip and a 9x9 edge kernel (the
  // network of runs made before those options existed).
  return std::make_shared<TransformerNetImpl>(static_cast<int>(saved_option_int(options, "width", 16)),
                                              static_cast<int>(saved_option_int(options, "residual-blocks", 5)),
                                              saved_option_on(options, "photo-skip"),
                                              static_cast<int>(saved_option_int(options, "edge-kernel", 9)));
}

Result<std::shared_ptr<TransformerNetImpl>> load_style_network(const std::string& path, const torch::Device& device) {
  using R = Result<std::shared_ptr<TransformerNetImpl>>;
  std::shared_ptr<TransformerNetImpl> net;
  const std::string onnx = ".onnx";
  if (path.size() > onnx.size() && path.compare(path.size() - onnx.size(), onnx.size(), onnx) == 0) {
#ifdef STYLEFORGE_WITH_ONNX
    R read = read_style_onnx(path);
    if (!read.ok()) return read;
    net = read.value;
#else
    return R::failure(path + ": this trainer was built without ONNX support (CMake option STYLEFORGE_WITH_ONNX); "
                      "give a style run directory instead");
#endif
  } else {
    Result<nlohmann::json> options = read_run_options(path);
    if (!options.ok()) return R::failure(options.error);
    const std::string command = options.value.value("command", "");
    if (command != "style")
      return R::failure(path + " is a '" + command + "' run, not a run of `styleforge-trainer style`");
    try {
      net = transformer_net_for_run(options.value);
    } catch (const std::exception& e) {
      return R::failure(path + "/options.json: its width/residual-blocks/edge-kernel make no TransformerNet: " +
                        e.what());
    }
    Result<int64_t> loaded = load_checkpoint(run_weights_file(path), {{"transformer", net.get(), nullptr}},
                                             torch::Device(torch::kCPU));
    if (!loaded.ok()) return R::failure(loaded.error);
  }
  net->to(device);
  net->eval();
  return R::success(net);
}

}  // namespace styleforge::trainer
