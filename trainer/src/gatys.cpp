// `gatys`: optimisation-based style transfer (Gatys et al. 2016) of one content image: the pixels themselves are
// optimised, starting from the content photo, against the same perceptual loss as `style`. Slow, but the quality
// reference the feed-forward networks are judged against. Adam by default; --optimizer lbfgs for L-BFGS.
#include <cstdio>
#include <stdexcept>

#include <torch/torch.h>

#include "commands.h"
#include "loss/style_setup.h"
#include "run/device.h"
#include "run/finite.h"
#include "run/metrics.h"
#include "run/options.h"
#include "run/preview.h"
#include "run/progress.h"
#include "run/run_dir.h"
#include "run/stop.h"

namespace styleforge::trainer {
namespace {

struct GatysOptions {
  std::string style, content, out, output, optimizer = "adam", device = "auto";
  int image_size = 512, threads = 0;
  int64_t steps = 300, preview_every = 50, seed = 1;
  double lr = 2.0;  // Adam on 0..255 pixels: a few grey levels per step
  LossSettings loss;
};

int optimise(GatysOptions& o, OptionParser& parser) {
  std::printf("styleforge-trainer gatys: options\n%s", parser.describe_values().c_str());
  if (o.threads > 0) torch::set_num_threads(o.threads);
  auto device_r = pick_device(o.device);
  if (!device_r.ok()) throw std::runtime_error(device_r.error);
  const torch::Device device = device_r.value;
  torch::manual_seed(static_cast<uint64_t>(o.seed));

  torch::Tensor content = image_to_tensor255(load_image_scaled(o.content, o.image_size)).to(device);
  const int style_side = std::max(32, static_cast<int>(o.image_size * o.loss.style_scale));
  torch::Tensor style = image_to_tensor255(load_image_scaled(o.style, style_side)).to(device);
  Result<RunDir> run = RunDir::open(o.out, false);
  if (!run.ok()) throw std::runtime_error(run.error);
  Status written = run.value.write_options("gatys", parser.to_json());
  if (!written.ok()) throw std::runtime_error(written.error);
  MetricsLog metrics;
  Status opened = metrics.open(run.value.metrics_file(), -1);
  if (!opened.ok()) throw std::runtime_error(opened.error);

  PerceptualLoss loss = make_perceptual_loss(o.loss, device);
  loss.set_style(style);
  torch::Tensor image = content.clone().requires_grad_(true);

  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (o.optimizer == "lbfgs")
    optimizer = std::make_unique<torch::optim::LBFGS>(
        std::vector<torch::Tensor>{image}, torch::optim::LBFGSOptions(o.lr).max_iter(1).history_size(20));
  else
    optimizer = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{image},
                                                     torch::optim::AdamOptions(o.lr));
  install_stop_handlers();
  Progress progress(o.steps, 0);
  PerceptualTerms last;
  for (int64_t step = 1; step <= o.steps && !stop_requested(); ++step) {
    auto closure = [&]() -> torch::Tensor {
      optimizer->zero_grad();
      last = loss.compute(image, content);
      last.total.backward();
      return last.total;
    };
    optimizer->step(closure);
    {
      torch::NoGradGuard no_grad;
      image.clamp_(0, 255);
    }
    const double value = last.total.item<double>();
    Status finite = check_finite("gatys loss", value, step);
    if (!finite.ok()) throw std::runtime_error(finite.error + "; or lower --style-weight");
    std::vector<std::pair<std::string, double>> values = {{"loss", value},
                                                          {"content", last.content.item<double>()},
                                                          {"style", last.style.item<double>()},
                                                          {"colour", last.colour.item<double>()}};
    if (last.spectrum.item<double>() > 0) values.push_back({"spectrum", last.spectrum.item<double>()});
    if (last.peak.item<double>() > 0) values.push_back({"peak", last.peak.item<double>()});
    progress.update(step, values);
    Status logged = metrics.append(step, progress.elapsed_s(), values);
    if (!logged.ok()) throw std::runtime_error(logged.error);
    if (o.preview_every > 0 && step % o.preview_every == 0)
      write_preview(run.value.preview_file(step), image.detach(), 0, 255);
  }
  const std::string output = o.output.empty() ? run.value.file("result.png") : o.output;
  Status saved = save_image_file(output, tensor255_to_image(image));
  if (!saved.ok()) throw std::runtime_error(output + ": " + saved.error);
  std::printf("wrote %s\n", output.c_str());
  return 0;
}

}  // namespace

int run_gatys(int argc, char** argv) {
  GatysOptions o;
  OptionParser p("gatys", "optimisation-based style transfer of one image (Gatys et al. 2016)");
  p.add_string("style", &o.style, "style image (PNG/JPEG)");
  p.add_string("content", &o.content, "content image (PNG/JPEG)");
  p.add_string("out", &o.out, "run directory: options.json, metrics.jsonl, previews/, result.png");
  p.require("style");
  p.require("content");
  p.require("out");
  p.add_string("output", &o.output, "where to write the result (default: OUT/result.png)");
  p.add_int("image-size", &o.image_size, "shorter side of the result", 16, 4096);
  p.add_int64("steps", &o.steps, "optimisation steps", 1, 100000);
  p.add_choice("optimizer", &o.optimizer, "optimiser", {"adam", "lbfgs"});
  p.add_float("lr", &o.lr, "learning rate (Adam: grey levels per step; L-BFGS: 1 is usual)", 1e-6, 1e4);
  add_loss_options(p, o.loss);
  p.add_int64("seed", &o.seed, "random seed", 0, INT64_MAX);
  p.add_choice("device", &o.device, "where to run", {"auto", "cpu", "cuda"});
  p.add_int("threads", &o.threads, "CPU threads for LibTorch (0 = its default)", 0, 1024);
  p.add_int64("preview-every", &o.preview_every, "write previews/step-N.png every N steps (0 = never)", 0, INT64_MAX);
  if (auto code = p.parse(argc, argv)) return *code;
  try {
    return optimise(o, p);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatys: %s\n", e.what());
    return 1;
  }
}

}  // namespace styleforge::trainer
