// `style`: trains a TransformerNet (Johnson et al. 2016) to paint content photos in the manner of one style image,
// with the perceptual loss of loss/perceptual.h through a frozen ImageNet network (MobileNetV2 by default).
// --adversarial adds a patch discriminator (Li & Wand 2016, MGAN) that judges patches of the stylised outputs
// against patches of the style image, on top of the perceptual loss.
//
// Loop: sample a batch of content crops -> stylise -> loss -> Adam step; every N steps a preview grid (content row,
// stylised row), every M steps and on SIGINT/SIGTERM an atomic checkpoint; the final model.pt at the end.
// Data parallel with --world-size (run/distributed.h): each rank stylises its slice of the global batch, weights the
// batch-mean loss by its share and the gradients are summed; the loss's random jitter and scale come from LibTorch's
// generator, seeded alike on every rank and drawn once per step, so all ranks use the same ones.
// --teacher distils: another trained style network (frozen) stylises the same batch, and the student is pulled to
// its output (issue 10: a cheaper network, e.g. width 8 with a 3x3 --edge-kernel, gets a shipped style as a dense
// per-pixel target instead of searching the perceptual loss). With the perceptual weights at 0 the loss network is
// never built.
#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>

#include <torch/torch.h>

#include "commands.h"
#include "data/dataset.h"
#include "loss/network_recipe.h"
#include "loss/style_setup.h"
#include "nets/transformer_net.h"
#include "run/checkpoint.h"
#include "run/device.h"
#include "run/finite.h"
#include "run/metrics.h"
#include "run/distributed.h"
#include "run/options.h"
#include "run/preview.h"
#include "run/progress.h"
#include "run/run_dir.h"
#include "run/start.h"
#include "run/stop.h"
#include "style_network.h"
#ifdef STYLEFORGE_WITH_ONNX
#include "onnx/import_style.h"
#endif

namespace styleforge::trainer {
namespace {

constexpr int kPreviewImages = 4;  // content crops shown in every preview, fixed for the whole run
constexpr uint64_t kCropDraws = 0, kStabilityNoiseDraws = 1;  // sample_seed streams

// The loss recipe for networks (network_loss_defaults, kNetworkContentLayer) is in loss/network_recipe.h.

struct StyleOptions {
  std::string style, content, out;
  int image_size = 256, batch_size = 4, width = 16, residual_blocks = 5, threads = 0;
  int64_t steps = 2000, preview_every = 200, checkpoint_every = 500, seed = 1;
  double lr = 1e-3, adversarial_weight = 0.05, discriminator_lr = 2e-4;
  // Noise stability (Gupta et al. 2017, "Characterizing and improving stability in neural style transfer"):
  // weight * mean(((net(photo + noise) - net(photo)) / 255)^2), noise normal with std `stability_noise` grey
  // levels. Why: without it a network amplifies a webcam's sensor noise into flicker between frames of a still
  // scene. (It does not remove the networks' stripe texture, which grows from the photo's structure rather than
  // its noise: trainer/README.md, "Where the stripes come from".) 0 = off.
  double stability_weight = 0, stability_noise = 4;
  std::string device = "auto";
  std::string photo_skip = "on";  // TransformerNetImpl::photo_skip
  int edge_kernel = 9;            // TransformerNetImpl::edge_kernel
  // Distillation: a style run directory or exported style .onnx whose output the student is pulled to, with
  // teacher_weight * mean |student - teacher| in 0..1 units. Empty = off.
  std::string teacher;
  double teacher_weight = 10;
  // A new run that starts from another run's network weights (its checkpoint.pt; same width, blocks and photo
  // skip) with a fresh optimizer and step 0: fine-tuning an existing style with a changed loss, which --resume
  // cannot do (it keeps the options a run started with).
  std::string init_from;
  bool resume = false, adversarial = false;
  LossSettings loss = network_loss_defaults();
  DistributedOptions distributed;
};

// PatchGAN-style discriminator: each output logit judges one ~22x22 receptive field of the input (0..255 RGB).
struct PatchDiscriminatorImpl : torch::nn::Module {
  torch::nn::Sequential body{nullptr};
  PatchDiscriminatorImpl() {
    using namespace torch::nn;
    body = register_module("body", Sequential(
        Conv2d(Conv2dOptions(3, 32, 4).stride(2).padding(1)), LeakyReLU(LeakyReLUOptions().negative_slope(0.2)),
        Conv2d(Conv2dOptions(32, 64, 4).stride(2).padding(1)), InstanceNorm2d(InstanceNorm2dOptions(64).affine(true)),
        LeakyReLU(LeakyReLUOptions().negative_slope(0.2)), Conv2d(Conv2dOptions(64, 1, 3).padding(1))));
  }
  torch::Tensor forward(const torch::Tensor& rgb255) { return body->forward(rgb255 / 127.5 - 1.0); }
};
TORCH_MODULE(PatchDiscriminator);

// `count` random square crops of side `size` from the style image (real samples for the discriminator).
torch::Tensor style_patches(const torch::Tensor& style, int count, int64_t size, std::mt19937_64& rng) {
  const int64_t h = style.size(2), w = style.size(3);
  size = std::min({size, h, w});
  std::vector<torch::Tensor> crops;
  for (int i = 0; i < count; ++i) {
    int64_t y = std::uniform_int_distribution<int64_t>(0, h - size)(rng);
    int64_t x = std::uniform_int_distribution<int64_t>(0, w - size)(rng);
    crops.push_back(style.narrow(2, y, size).narrow(3, x, size));
  }
  return torch::cat(crops);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// --init-from FILE.onnx: the weights of an exported style network (a shipped models/<id>.onnx), float16 kernels
// widened back. The file must hold this run's architecture.
void init_from_onnx(const StyleOptions& o, TransformerNetImpl& net) {
#ifdef STYLEFORGE_WITH_ONNX
  Status loaded = load_style_onnx(net, o.init_from);
  if (!loaded.ok()) throw std::runtime_error("--init-from: " + loaded.error);
  std::printf("network weights from %s; new optimizer, step 0\n", o.init_from.c_str());
#else
  (void)net;
  throw std::runtime_error("--init-from " + o.init_from + ": this trainer was built without ONNX support "
                           "(CMake option STYLEFORGE_WITH_ONNX); give a run directory instead");
#endif
}

// --init-from RUN: the other run's network weights into `transformer` (its optimizer state is not taken), from the
// file `export` reads (run_weights_file: model.pt, or checkpoint.pt where newer or alone), so a run that came back
// with its weights only (scripts/device-train) can be continued too.
void init_from_run(const StyleOptions& o, const CheckpointPart& transformer, const torch::Device& device) {
  Result<nlohmann::json> source = read_run_options(o.init_from);
  if (!source.ok()) throw std::runtime_error("--init-from: " + source.error);
  const nlohmann::json& s = source.value;
  const int edge_kernel = s.value("edge-kernel", 9);  // absent: a run from before the option, 9x9
  const bool same = s.value("width", -1) == o.width && s.value("residual-blocks", -1) == o.residual_blocks &&
                    s.value("photo-skip", std::string("off")) == o.photo_skip && edge_kernel == o.edge_kernel;
  if (!same)
    throw std::runtime_error("--init-from " + o.init_from + ": that run's network has width " +
                             std::to_string(s.value("width", -1)) + ", " + std::to_string(s.value("residual-blocks", -1)) +
                             " residual blocks, photo skip " + s.value("photo-skip", std::string("off")) +
                             ", edge kernel " + std::to_string(edge_kernel) +
                             "; give the same --width, --residual-blocks, --photo-skip and --edge-kernel");
  const std::string file = run_weights_file(o.init_from);
  Result<int64_t> loaded = resume_checkpoint(file, {{transformer.name, transformer.module, nullptr}}, device);
  if (!loaded.ok()) throw std::runtime_error("--init-from: " + loaded.error);
  std::printf("network weights from %s (step %lld); new optimizer, step 0\n", file.c_str(),
              static_cast<long long>(loaded.value));
}

int train(StyleOptions& o, OptionParser& parser) {
  const bool main_rank = o.distributed.rank == 0;
  // Only rank 0 owns the run directory; the others take its options and state.
  Result<RunDir> run = main_rank ? RunDir::open(o.out, o.resume) : Result<RunDir>::success(RunDir());
  if (!run.ok()) throw std::runtime_error(run.error);
  if (main_rank && o.resume) {
    Result<nlohmann::json> saved = read_run_options(o.out);
    if (!saved.ok()) throw std::runtime_error(saved.error);
    Status applied = parser.apply_saved(saved.value);
    if (!applied.ok()) throw std::runtime_error(applied.error);
    if (!saved.value.contains("photo-skip")) o.photo_skip = "off";  // a run from before the option: no skip
    if (!saved.value.contains("loss-scales")) o.loss.loss_scales = "1";  // likewise: one scale
    if (!saved.value.contains("colour-weight")) o.loss.colour_weight = 0;  // likewise: no colour term
    if (!saved.value.contains("antialias")) o.loss.antialias = 0;  // likewise: the network as trained
    if (!saved.value.contains("stability-weight")) o.stability_weight = 0;  // likewise: no stability term
    if (!saved.value.contains("edge-kernel")) o.edge_kernel = 9;  // likewise: 9x9 edge convs
    if (parser.check_required()) throw std::runtime_error(o.out + "/options.json lacks a required option");
  } else if (main_rank && o.loss.content_layer.empty() && o.loss.loss_net == "mobilenet_v2") {
    o.loss.content_layer = kNetworkContentLayer;
  }
  std::shared_ptr<Distributed> joined;
  if (auto code = join_ranks(parser, "style", o.distributed, &joined)) return *code;
  Distributed& group = *joined;
  if (group.world_size() > 1 && o.adversarial)
    throw std::runtime_error("--adversarial is not data-parallel yet (its discriminator sees the style image's "
                             "patches per process): train it with --world-size 1");
  Result<BatchSlice> slice = batch_slice(o.batch_size, group);
  if (!slice.ok()) throw std::runtime_error(slice.error);
  const double share = static_cast<double>(slice.value.count) / o.batch_size;
  std::printf("%sstyleforge-trainer style: options\n%s", group.prefix().c_str(), parser.describe_values().c_str());
  if (o.threads > 0) torch::set_num_threads(o.threads);
  auto device_r = pick_device(o.device);
  if (!device_r.ok()) throw std::runtime_error(device_r.error);
  const torch::Device device = device_r.value;
  torch::manual_seed(static_cast<uint64_t>(o.seed));
  std::mt19937_64 rng(static_cast<uint64_t>(o.seed));

  // The terms that read the loss network or the style image. Without them (pure distillation) neither is loaded:
  // building the loss network and recalibrating its batch norm, and a forward and backward through it every
  // step, would be most of the time of a distillation step.
  const LossSettings& l = o.loss;
  const bool perceptual = l.style_weight > 0 || l.content_weight > 0 || l.colour_weight > 0 ||
                          l.spectrum_weight > 0 || l.peak_weight > 0;
  if ((perceptual || o.adversarial) && o.style.empty())
    throw std::runtime_error("--style is required: the style, content, colour, spectrum, peak and adversarial terms "
                             "need the style image (to distil from --teacher alone, give --style-weight 0 "
                             "--content-weight 0 --colour-weight 0)");
  if (!perceptual && !o.adversarial && o.teacher.empty() && o.stability_weight <= 0)
    throw std::runtime_error("every loss term is off: give --teacher, or a style, content or colour weight above 0");

  // Inputs first, so bad paths fail before anything slow happens.
  torch::Tensor style;
  if (!o.style.empty()) {
    const int style_side = std::max(32, static_cast<int>(o.image_size * o.loss.style_scale));
    style = image_to_tensor255(load_image_scaled(o.style, style_side)).to(device);
  }
  std::shared_ptr<TransformerNetImpl> teacher;
  if (!o.teacher.empty()) {
    Result<std::shared_ptr<TransformerNetImpl>> loaded = load_style_network(o.teacher, device);
    if (!loaded.ok())
      throw std::runtime_error("--teacher " + o.teacher + ": " + loaded.error + ". Give a style run directory "
                               "(its options.json and model.pt or checkpoint.pt) or a style model exported to ONNX, "
                               "e.g. models/starry-night.onnx");
    teacher = loaded.value;
    for (auto& p : teacher->parameters()) p.set_requires_grad(false);  // frozen: only the student learns
    std::printf("teacher: %s (width %d, %d residual blocks, edge kernel %d, photo skip %s)\n", o.teacher.c_str(),
                teacher->width, teacher->residual_blocks, teacher->edge_kernel, teacher->photo_skip ? "on" : "off");
  }
  Result<TrainingImages> data = TrainingImages::open(o.content, o.image_size, true);
  if (!data.ok()) throw std::runtime_error(data.error);
  if (style.defined())
    std::printf("content: %s; style: %s at %lldx%lld; device: %s\n", data.value.describe().c_str(), o.style.c_str(),
                static_cast<long long>(style.size(3)), static_cast<long long>(style.size(2)), device.str().c_str());
  else
    std::printf("content: %s; no style image, no loss network (distillation only); device: %s\n",
                data.value.describe().c_str(), device.str().c_str());

  if (o.loss.calibration_photos.empty()) o.loss.calibration_photos = o.content;
  std::optional<PerceptualLoss> loss;
  if (perceptual) {
    loss.emplace(make_perceptual_loss(o.loss, device));
    loss->set_style(style);
  }

  TransformerNet net(o.width, o.residual_blocks, o.photo_skip == "on", o.edge_kernel);
  net->to(device);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(o.lr));
  PatchDiscriminator disc;
  disc->to(device);
  torch::optim::Adam disc_optimizer(disc->parameters(), torch::optim::AdamOptions(o.discriminator_lr).betas({0.5, 0.999}));
  std::vector<CheckpointPart> parts = {{"transformer", net.ptr().get(), &optimizer}};
  if (o.adversarial) parts.push_back({"discriminator", disc.ptr().get(), &disc_optimizer});

  int64_t step = 0;
  if (main_rank && o.resume) {  // other ranks get rank 0's weights and optimizer state from share_state below
    Result<int64_t> loaded = resume_checkpoint(run.value.checkpoint_file(), parts, device);
    if (!loaded.ok()) throw std::runtime_error(loaded.error);
    step = loaded.value;
    std::printf("resumed from %s at step %lld\n", run.value.checkpoint_file().c_str(), static_cast<long long>(step));
  } else if (main_rank) {
    if (ends_with(o.init_from, ".onnx")) init_from_onnx(o, *net);
    else if (!o.init_from.empty()) init_from_run(o, parts.front(), device);
    Status written = run.value.write_options("style", parser.to_json());
    if (!written.ok()) throw std::runtime_error(written.error);
  }
  if (Status s = group.share_state(parts, step, device); !s.ok()) throw std::runtime_error(s.error);
  MetricsLog metrics;
  if (main_rank) {
    Status opened = metrics.open(run.value.metrics_file(), o.resume ? step : -1);
    if (!opened.ok()) throw std::runtime_error(opened.error);
  }

  std::mt19937_64 preview_rng(12345);  // the same preview crops in every run and after --resume
  Result<at::Tensor> preview_batch = data.value.batch(kPreviewImages, preview_rng, PixelRange::Pixels255);
  if (!preview_batch.ok()) throw std::runtime_error(preview_batch.error);
  const torch::Tensor preview_content = preview_batch.value.to(device);

  auto save = [&](int64_t at_step) {
    if (!main_rank) return;
    Status s = save_checkpoint(run.value.checkpoint_file(), at_step, parts, /*keep_previous=*/true);
    if (!s.ok()) throw std::runtime_error(s.error);
  };
  auto preview = [&](int64_t at_step) {
    torch::NoGradGuard no_grad;
    net->eval();
    torch::Tensor out = net->forward(preview_content).clamp(0, 255);
    net->train();
    Status s = write_preview(run.value.preview_file(at_step), torch::cat({preview_content, out}), 0, 255,
                             kPreviewImages);
    if (!s.ok()) std::fprintf(stderr, "warning: preview not written: %s\n", s.error.c_str());
  };

  install_stop_handlers();
  Progress progress(o.steps, step);
  // From the first step on, agreed by all ranks: a signal to any one of them stops them all at the same step.
  bool stop = group.world_size() == 1 && stop_requested();
  while (step < o.steps) {
    if (stop) {
      save(step);
      if (main_rank)
        std::printf("stopped at step %lld; checkpoint written. Continue with --resume --out %s\n",
                    static_cast<long long>(step), o.out.c_str());
      return 0;
    }
    // This rank's slice of the global batch: each crop drawn from its global position (sample_seed).
    std::vector<uint64_t> seeds;
    for (int i = 0; i < slice.value.count; ++i)
      seeds.push_back(sample_seed(static_cast<uint64_t>(o.seed), step, slice.value.first + i, kCropDraws));
    Result<at::Tensor> batch = data.value.samples(seeds, PixelRange::Pixels255);
    if (!batch.ok()) throw std::runtime_error(batch.error);
    torch::Tensor content = batch.value.to(device);
    torch::Tensor output = net->forward(content);
    PerceptualTerms terms;
    if (loss) {
      terms = loss->compute(output, content);
    } else {  // no loss network: only the total variation, which reads the output alone
      const torch::Tensor zero = torch::zeros({}, output.options());
      terms = {zero, zero, total_variation(output) * o.loss.tv_weight, zero, zero, zero, zero};
      terms.total = terms.tv;
    }
    torch::Tensor distil = torch::zeros({}, output.options());
    if (teacher) {
      torch::Tensor target;
      {
        torch::NoGradGuard no_grad;
        // Clamped: the app shows the teacher's output clamped to 0..255, so that is what the student should match.
        target = teacher->forward(content).clamp(0, 255);
      }
      distil = (output - target).abs().mean() / 255.0 * o.teacher_weight;
    }
    torch::Tensor stability = torch::zeros({}, output.options());
    if (o.stability_weight > 0) {
      // Noise per sample by its global position, so ranks and a lone process draw the same (run/distributed.h).
      torch::Tensor noise = per_sample_normal(static_cast<uint64_t>(o.seed), step, slice.value, content[0].numel(),
                                              kStabilityNoiseDraws).to(device).view_as(content);
      torch::Tensor noisy_output = net->forward(content + o.stability_noise * noise);
      stability = ((noisy_output - output) / 255.0).pow(2).mean() * o.stability_weight;
    }
    torch::Tensor total = share * (terms.total + stability + distil);
    double adv_g = 0, adv_d = 0;
    if (o.adversarial) {
      // Non-saturating GAN loss for the generator: make the discriminator call output patches real.
      torch::Tensor fake_logits = disc->forward(output);
      torch::Tensor g_adv = torch::binary_cross_entropy_with_logits(fake_logits, torch::ones_like(fake_logits));
      total = total + o.adversarial_weight * g_adv;
      adv_g = g_adv.item<double>();
    }
    optimizer.zero_grad();
    total.backward();
    if (Status s = group.all_reduce_gradients(net->parameters(), "step " + std::to_string(step + 1)); !s.ok())
      throw std::runtime_error(s.error);
    optimizer.step();

    if (o.adversarial) {
      torch::Tensor real = style_patches(style, o.batch_size, o.image_size, rng);
      torch::Tensor real_logits = disc->forward(real);
      torch::Tensor fake_logits = disc->forward(output.detach());
      torch::Tensor d_loss =
          torch::binary_cross_entropy_with_logits(real_logits, torch::ones_like(real_logits)) +
          torch::binary_cross_entropy_with_logits(fake_logits, torch::zeros_like(fake_logits));
      disc_optimizer.zero_grad();
      d_loss.backward();
      disc_optimizer.step();
      adv_d = d_loss.item<double>();
    }
    ++step;

    Result<std::vector<double>> sums = group.sum_values(
        {total.item<double>(), share * terms.content.item<double>(), share * terms.style.item<double>(),
         share * terms.tv.item<double>(), share * terms.colour.item<double>(), stop_requested() ? 1.0 : 0.0,
         share * stability.item<double>(), share * terms.spectrum.item<double>(), share * terms.peak.item<double>(),
         share * distil.item<double>()},
        "step " + std::to_string(step));
    if (!sums.ok()) throw std::runtime_error(sums.error);
    stop = sums.value[5] > 0;
    const double value = sums.value[0];
    Status finite = check_finite("style loss", value, step);
    if (!finite.ok())
      throw std::runtime_error(finite.error + "; or lower --style-weight / --content-weight");
    if (!main_rank) continue;
    std::vector<std::pair<std::string, double>> values = {
        {"loss", value}, {"content", sums.value[1]}, {"style", sums.value[2]},
        {"tv", sums.value[3]}, {"colour", sums.value[4]}};
    if (o.stability_weight > 0) values.push_back({"stability", sums.value[6]});
    if (o.loss.spectrum_weight > 0) values.push_back({"spectrum", sums.value[7]});
    if (o.loss.peak_weight > 0) values.push_back({"peak", sums.value[8]});
    if (teacher) values.push_back({"teacher", sums.value[9]});
    if (o.adversarial) {
      values.push_back({"adv_g", adv_g});
      values.push_back({"adv_d", adv_d});
    }
    progress.update(step, values);
    Status logged = metrics.append(step, progress.elapsed_s(), values);
    if (!logged.ok()) throw std::runtime_error(logged.error);
    if (o.preview_every > 0 && (step % o.preview_every == 0 || step == o.steps)) preview(step);
    if (o.checkpoint_every > 0 && step % o.checkpoint_every == 0) save(step);
  }
  if (!main_rank) return 0;
  save(step);
  Status final_model = save_checkpoint(run.value.model_file(), step, {{"transformer", net.ptr().get(), nullptr}});
  if (!final_model.ok()) throw std::runtime_error(final_model.error);
  std::printf("done: %lld steps; model %s\n", static_cast<long long>(step), run.value.model_file().c_str());
  return 0;
}

}  // namespace

int run_style(int argc, char** argv) {
  StyleOptions o;
  OptionParser p("style", "train a fast feed-forward style network (Johnson et al. 2016) from one style image");
  p.add_string("style", &o.style, "style image (PNG/JPEG); not needed to distil from --teacher with the "
               "style, content and colour weights at 0");
  p.add_string("content", &o.content, "folder of content photos (PNG/JPEG, searched recursively)");
  p.add_string("out", &o.out, "run directory: checkpoint, metrics.jsonl, previews/, model.pt");
  // --style is required unless the run distils from --teacher alone (checked in train(), after --resume).
  p.require("content");
  p.require("out");
  p.add_int("image-size", &o.image_size, "side of the square training crops", 16, 4096);
  p.add_int("batch-size", &o.batch_size, "content images per step", 1, 1024);
  p.add_int64("steps", &o.steps, "training steps", 1, 100000000);
  p.add_float("lr", &o.lr, "Adam learning rate", 1e-7, 1);
  p.add_string("init-from", &o.init_from, "start from the network weights of this run directory (model.pt, or "
               "checkpoint.pt where newer or alone), or of a style model exported to ONNX (e.g. "
               "models/the-kiss.onnx): fine-tuning with changed loss options; same width, blocks and photo skip");
  p.add_int("width", &o.width, "TransformerNet width (channels of the first layer; 32 = the original)", 1, 256);
  p.add_int("residual-blocks", &o.residual_blocks, "TransformerNet residual blocks", 0, 32);
  p.add_choice("photo-skip", &o.photo_skip, "the network outputs photo + a change (starts at the photo, learns "
               "in far fewer steps) rather than a whole new picture", {"on", "off"});
  p.add_int("edge-kernel", &o.edge_kernel, "kernel size of the first and last conv (odd; 9 = the original; 3 "
            "saves ~7k of ~42k multiply-adds per pixel at width 16)", 1, 9);
  p.add_string("teacher", &o.teacher, "distil: a style run directory or exported style model (.onnx) whose output "
               "the network learns to match (may have another width, blocks, edge kernel)");
  p.add_float("teacher-weight", &o.teacher_weight, "weight of the teacher term: mean |output - teacher's| in 0..1 "
              "units", 0, 1e9);
  add_loss_options(p, o.loss);
  p.add_float("stability-weight", &o.stability_weight, "weight of the noise-stability term: the output may change "
              "little when the photo gets a little noise (no webcam flicker; 0 = off)", 0, 1e9);
  p.add_float("stability-noise", &o.stability_noise, "std of that noise, grey levels", 0, 255);
  p.add_flag("adversarial", &o.adversarial, "add an MGAN patch discriminator (Li & Wand 2016) on top of the loss");
  p.add_float("adversarial-weight", &o.adversarial_weight, "weight of the adversarial term", 0, 1e6);
  p.add_float("discriminator-lr", &o.discriminator_lr, "Adam learning rate of the discriminator", 1e-7, 1);
  p.add_int64("seed", &o.seed, "random seed (weights, crops)", 0, INT64_MAX);
  p.add_choice("device", &o.device, "where to train", {"auto", "cpu", "cuda"});
  p.add_int("threads", &o.threads, "CPU threads for LibTorch (0 = its default)", 0, 1024);
  p.add_int64("preview-every", &o.preview_every, "write previews/step-N.png every N steps (0 = never)", 0, INT64_MAX);
  p.add_int64("checkpoint-every", &o.checkpoint_every, "write checkpoint.pt every N steps (0 = only at the end)", 0,
              INT64_MAX);
  p.add_flag("resume", &o.resume, "continue the run in --out from its checkpoint (options come from options.json)");
  add_distributed_options(p, o.distributed);
  // --style (unless distilling) and --content are required, but a --resume run restores them from options.json
  // first (in train()).
  if (auto code = p.parse(argc, argv, /*check_required=*/false)) return *code;
  if (o.edge_kernel % 2 == 0) {  // even: reflection padding k/2 would not keep the image size
    std::fprintf(stderr, "style: --edge-kernel %d: must be odd (1, 3, 5, 7 or 9)\n", o.edge_kernel);
    return 2;
  }
  if (!o.resume && o.distributed.rank == 0) {  // other ranks may take them from rank 0
    if (auto code = p.check_required()) return *code;
    if (o.style.empty() && o.teacher.empty()) {  // before the run directory is made
      std::fprintf(stderr, "style: missing --style PAINTING (or --teacher RUN_OR_ONNX to distil a trained network)\n");
      return 2;
    }
  }
  try {
    return train(o, p);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "style: %s\n", e.what());
    return 1;
  }
}

}  // namespace styleforge::trainer
