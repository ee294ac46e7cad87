// Test fixture: writes a style run directory (options.json + checkpoint.pt) holding a TransformerNet with random
// weights, every parameter perturbed (instance-norm scales and biases too, which a fresh net has at 1 and 0), so
// the export parity test exercises each weight without needing the loss network or a training run.
// usage: make_style_fixture RUN_DIR [WIDTH] [RESIDUAL_BLOCKS] [PHOTO_SKIP on|off] [OUTPUT_GAIN]
// OUTPUT_GAIN (default 100) scales the last layer; the distillation test's teacher uses a small one, so that its
// output is a photo with a learnable change rather than mostly clamped noise.
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>

#include "nets/transformer_net.h"
#include "run/checkpoint.h"
#include "run/run_dir.h"

namespace {

// Instance-norm scales are named "...in<k>.weight" (in1..in5, res.<i>.in1, res.<i>.in2).
bool is_instance_norm_scale(const std::string& key) {
  const std::string suffix = ".weight";
  if (key.size() <= suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  const std::string owner_path = key.substr(0, key.size() - suffix.size());
  const size_t dot = owner_path.rfind('.');
  const std::string owner = dot == std::string::npos ? owner_path : owner_path.substr(dot + 1);
  return owner.rfind("in", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace styleforge::trainer;
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_style_fixture RUN_DIR [WIDTH] [RESIDUAL_BLOCKS] [PHOTO_SKIP on|off] [OUTPUT_GAIN]\n");
    return 2;
  }
  const int width = argc > 2 ? std::atoi(argv[2]) : 8, blocks = argc > 3 ? std::atoi(argv[3]) : 2;
  torch::manual_seed(7);
  const std::string photo_skip = argc > 4 ? argv[4] : "off";
  const double gain = argc > 5 ? std::atof(argv[5]) : 100;
  TransformerNet net(width, blocks, photo_skip == "on");
  {
    torch::NoGradGuard no_grad;
    for (auto& p : net->named_parameters()) {
      const bool norm_scale = is_instance_norm_scale(p.key());
      if (norm_scale)
        p.value().normal_(1.0, 0.3);
      else
        p.value().add_(torch::randn_like(p.value()) * 0.05);
    }
    // A trained net outputs pixels around 0..255; scale the last layer so the parity test compares numbers of
    // that size (an absolute tolerance on outputs near 1 would be far easier to meet).
    net->conv_out->conv->weight.mul_(gain);
    net->conv_out->conv->bias.add_(128);
  }
  auto dir = RunDir::open(argv[1], false);
  if (!dir.ok()) {
    std::fprintf(stderr, "%s\n", dir.error.c_str());
    return 1;
  }
  nlohmann::json options{{"width", width}, {"residual-blocks", blocks}, {"style", "random test fixture"}};
  if (argc > 4) options["photo-skip"] = photo_skip;
  auto s = dir.value.write_options("style", options);
  if (s.ok()) s = save_checkpoint(dir.value.model_file(), 0, {{"transformer", net.ptr().get(), nullptr}});
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.error.c_str());
    return 1;
  }
  return 0;
}
