// `arbitrary`: trains one model for every painting (Ghiasi et al. 2017): a style predictor (frozen MobileNetV2
// trunk + a small MLP, nets/style_predictor.h) turns a painting into a 100-number style code, and a conditional
// TransformerNet (nets/conditional_transformer_net.h) paints a photo with the instance-norm scales and shifts that
// code gives. Both train together on the `style` command's loss recipe (loss/network_recipe.h), with a new
// augmented painting crop every step (data/painting_set.h) as the predictor's input and the loss's style target.
//
// Loop: draw a painting crop -> its style code -> stylise a batch of content crops -> loss against that crop ->
// Adam steps on both networks; previews every N steps (content row, then one row per preview painting: the first
// training painting and the first held-out one), checkpoints every M steps and on SIGINT/SIGTERM, model.pt at the
// end. Every draw comes from (seed, step), so a resumed run continues as if never stopped.
// Data parallel with --world-size (run/distributed.h), as `style`: every rank draws the step's painting crop (from
// the step alone) and so computes the same style code; each stylises its slice of the global batch of content
// crops, weights the batch-mean loss by its share, and the gradients of both networks are summed over the ranks.
#include <cstdio>
#include <random>
#include <stdexcept>

#include <torch/torch.h>

#include "arbitrary_model.h"
#include "commands.h"
#include "data/dataset.h"
#include "data/painting_set.h"
#include "loss/network_recipe.h"
#include "loss/style_setup.h"
#include "run/checkpoint.h"
#include "run/device.h"
#include "run/distributed.h"
#include "run/start.h"  // join_ranks
#include "run/finite.h"
#include "run/metrics.h"
#include "run/options.h"
#include "run/preview.h"
#include "run/progress.h"
#include "run/run_dir.h"
#include "run/stop.h"

namespace styleforge::trainer {
namespace {

constexpr int kPreviewImages = 4;
constexpr uint64_t kCropDraws = 0, kPaintingDraws = 2;  // sample_seed streams
constexpr size_t kMinHeldOut = 6;
// Held out unless --holdout says otherwise (written to options.json either way): six paintings of six manners,
// none of them a gallery style, so the gallery paintings train and these measure generalisation.
constexpr const char* kDefaultHoldout =
    "gcompris_Arcimboldo_Librarian.png,gcompris_HokusaiBridge.png,gcompris_bazille_rampart.png,"
    "gcompris_details_PortraitOfPereTanguy.png,gcompris_PieterBruegel.png,mate_elephants.jpg";

struct ArbitraryOptions {
  std::string paintings, content, out, holdout = kDefaultHoldout;
  int image_size = 256, batch_size = 4, width = 16, residual_blocks = 5, threads = 0;
  int code_size = kDefaultStyleCodeSize, predictor_hidden = 256;
  int64_t steps = 20000, preview_every = 200, checkpoint_every = 500, seed = 1;
  double lr = 1e-3;
  std::string device = "auto", photo_skip = "on", family = "ghiasi";
  bool resume = false;
  LossSettings loss = network_loss_defaults();
  DistributedOptions distributed;  // not saved in options.json
};

int train(ArbitraryOptions& o, OptionParser& parser) {
  const bool main_rank = o.distributed.rank == 0;
  // Only rank 0 owns the run directory; the others take its options and state.
  Result<RunDir> run = main_rank ? RunDir::open(o.out, o.resume) : Result<RunDir>::success(RunDir());
  if (!run.ok()) throw std::runtime_error(run.error);
  if (main_rank && o.resume) {
    Result<nlohmann::json> saved = read_run_options(o.out);
    if (!saved.ok()) throw std::runtime_error(saved.error);
    Status applied = parser.apply_saved(saved.value);
    if (!applied.ok()) throw std::runtime_error(applied.error);
    if (parser.check_required()) throw std::runtime_error(o.out + "/options.json lacks a required option");
  } else if (main_rank && o.loss.content_layer.empty() && o.loss.loss_net == "mobilenet_v2") {
    o.loss.content_layer = kNetworkContentLayer;
  }
  std::shared_ptr<Distributed> joined;
  if (auto code = join_ranks(parser, "arbitrary", o.distributed, &joined)) return *code;
  Distributed& group = *joined;
  Result<BatchSlice> slice = batch_slice(o.batch_size, group);
  if (!slice.ok()) throw std::runtime_error(slice.error);
  const double share = static_cast<double>(slice.value.count) / o.batch_size;
  if (o.loss.loss_net != "mobilenet_v2")
    throw std::runtime_error("--loss-net " + o.loss.loss_net + ": the style predictor's trunk is MobileNetV2, and "
                             "so is its loss here (the exported predictor must be the network the loss measured)");
  std::printf("%sstyleforge-trainer arbitrary: options\n%s", group.prefix().c_str(), parser.describe_values().c_str());
  if (o.threads > 0) torch::set_num_threads(o.threads);
  auto device_r = pick_device(o.device);
  if (!device_r.ok()) throw std::runtime_error(device_r.error);
  const torch::Device device = device_r.value;
  torch::manual_seed(static_cast<uint64_t>(o.seed));

  // Inputs first, so bad paths fail before anything slow happens.
  const int style_side = arbitrary_style_size(o.image_size, o.loss.style_scale);
  Result<PaintingSet> paintings = PaintingSet::open(o.paintings, split_commas(o.holdout), 2 * style_side, kMinHeldOut);
  if (!paintings.ok()) throw std::runtime_error(paintings.error);
  Result<TrainingImages> data = TrainingImages::open(o.content, o.image_size, true);
  if (!data.ok()) throw std::runtime_error(data.error);
  auto list = [](const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
  };
  std::printf("content: %s; device: %s\ntraining paintings (%zu): %s\nheld out, never trained on (%zu): %s\n"
              "style crops %d px from paintings scaled to %d px\n",
              data.value.describe().c_str(), device.str().c_str(), paintings.value.training().size(),
              list(paintings.value.training()).c_str(), paintings.value.held_out().size(),
              list(paintings.value.held_out()).c_str(), style_side, 2 * style_side);

  if (o.loss.calibration_photos.empty()) o.loss.calibration_photos = o.content;
  PerceptualLoss loss = make_perceptual_loss(o.loss, device);
  ArbitraryModel model = build_arbitrary_model(parser.to_json());
  // The trunk's batch norm as the loss network's: recalibrated on the same photos (a resume loads the same values).
  model.recalibrate(
      load_calibration_photos(o.loss.calibration_photos, o.loss.calibration_size, o.loss.calibration_count));
  // One Adam per network (ghiasi: predictor's fc layers, transformer; adain: the decoder; frozen trunks are buffers).
  std::vector<std::unique_ptr<torch::optim::Adam>> optimizers;
  std::vector<torch::optim::Optimizer*> optimizer_list;
  for (torch::nn::Module* net : model.networks()) {
    net->to(device);
    optimizers.push_back(std::make_unique<torch::optim::Adam>(net->parameters(), torch::optim::AdamOptions(o.lr)));
    optimizer_list.push_back(optimizers.back().get());
  }
  const std::vector<CheckpointPart> parts = model.parts(optimizer_list);

  int64_t step = 0;
  if (main_rank && o.resume) {  // other ranks get rank 0's weights and optimizer state from share_state below
    Result<int64_t> loaded = resume_checkpoint(run.value.checkpoint_file(), parts, device);
    if (!loaded.ok()) throw std::runtime_error(loaded.error);
    step = loaded.value;
    std::printf("resumed from %s at step %lld\n", run.value.checkpoint_file().c_str(), static_cast<long long>(step));
  } else if (main_rank) {
    Status written = run.value.write_options("arbitrary", parser.to_json());
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
  std::vector<torch::Tensor> preview_paintings = {
      centred_painting(paintings.value.path_of(paintings.value.training().front()), style_side).to(device)};
  if (!paintings.value.held_out().empty())
    preview_paintings.push_back(
        centred_painting(paintings.value.path_of(paintings.value.held_out().front()), style_side).to(device));

  auto save = [&](int64_t at_step) {
    if (!main_rank) return;
    Status s = save_checkpoint(run.value.checkpoint_file(), at_step, parts, /*keep_previous=*/true);
    if (!s.ok()) throw std::runtime_error(s.error);
  };
  auto preview = [&](int64_t at_step) {
    torch::NoGradGuard no_grad;
    for (torch::nn::Module* net : model.networks()) net->eval();
    std::vector<torch::Tensor> rows = {preview_content};
    for (const torch::Tensor& painting : preview_paintings)
      rows.push_back(model.paint(preview_content, model.code(painting)).clamp(0, 255));
    for (torch::nn::Module* net : model.networks()) net->train();
    Status s = write_preview(run.value.preview_file(at_step), torch::cat(rows), 0, 255, kPreviewImages);
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
    std::mt19937_64 painting_rng(sample_seed(static_cast<uint64_t>(o.seed), step, 0, kPaintingDraws));
    int64_t painting = 0;
    torch::Tensor style = paintings.value.augmented_crop(painting_rng, style_side, &painting).to(device);
    loss.set_style(style);
    // This rank's slice of the global batch: each crop drawn from its global position (sample_seed).
    std::vector<uint64_t> seeds;
    for (int i = 0; i < slice.value.count; ++i)
      seeds.push_back(sample_seed(static_cast<uint64_t>(o.seed), step, slice.value.first + i, kCropDraws));
    Result<at::Tensor> batch = data.value.samples(seeds, PixelRange::Pixels255);
    if (!batch.ok()) throw std::runtime_error(batch.error);
    torch::Tensor content = batch.value.to(device);
    torch::Tensor output = model.paint(content, model.code(style));
    PerceptualTerms terms = loss.compute(output, content);
    for (auto& optimizer : optimizers) optimizer->zero_grad();
    (share * terms.total).backward();
    const std::string at = "step " + std::to_string(step + 1);
    for (torch::nn::Module* net : model.networks())
      if (Status s = group.all_reduce_gradients(net->parameters(), at); !s.ok()) throw std::runtime_error(s.error);
    for (auto& optimizer : optimizers) optimizer->step();
    ++step;

    Result<std::vector<double>> sums = group.sum_values(
        {share * terms.total.item<double>(), share * terms.content.item<double>(), share * terms.style.item<double>(),
         share * terms.tv.item<double>(), share * terms.colour.item<double>(), share * terms.spectrum.item<double>(),
         share * terms.peak.item<double>(), stop_requested() ? 1.0 : 0.0},
        at);
    if (!sums.ok()) throw std::runtime_error(sums.error);
    stop = sums.value[7] > 0;
    const double value = sums.value[0];
    Status finite = check_finite("arbitrary loss", value, step);
    if (!finite.ok()) throw std::runtime_error(finite.error + "; or lower --style-weight / --content-weight");
    if (!main_rank) continue;
    std::vector<std::pair<std::string, double>> values = {
        {"loss", value}, {"content", sums.value[1]}, {"style", sums.value[2]}, {"tv", sums.value[3]},
        {"colour", sums.value[4]}};
    if (o.loss.spectrum_weight > 0) values.push_back({"spectrum", sums.value[5]});
    if (o.loss.peak_weight > 0) values.push_back({"peak", sums.value[6]});
    values.push_back({"painting", static_cast<double>(painting)});  // index into the training paintings (log above)
    progress.update(step, values);
    Status logged = metrics.append(step, progress.elapsed_s(), values);
    if (!logged.ok()) throw std::runtime_error(logged.error);
    if (o.preview_every > 0 && (step % o.preview_every == 0 || step == o.steps)) preview(step);
    if (o.checkpoint_every > 0 && step % o.checkpoint_every == 0) save(step);
  }
  if (!main_rank) return 0;
  save(step);
  Status final_model = save_checkpoint(run.value.model_file(), step, model.parts());
  if (!final_model.ok()) throw std::runtime_error(final_model.error);
  std::printf("done: %lld steps; model %s\n", static_cast<long long>(step), run.value.model_file().c_str());
  return 0;
}

}  // namespace

int run_arbitrary(int argc, char** argv) {
  ArbitraryOptions o;
  OptionParser p("arbitrary", "train one arbitrary-style model (Ghiasi et al. 2017): a style predictor + a "
                 "conditional TransformerNet, on a folder of paintings");
  p.add_string("paintings", &o.paintings, "folder of paintings (PNG/JPEG directly inside)");
  p.add_string("content", &o.content, "folder of content photos (PNG/JPEG, searched recursively)");
  p.add_string("out", &o.out, "run directory: checkpoint, metrics.jsonl, previews/, model.pt");
  p.require("paintings");
  p.require("content");
  p.require("out");
  p.add_string("holdout", &o.holdout, "comma-separated file names in --paintings never trained on (at least 6; "
               "the default list is written to options.json)");
  p.add_int("image-size", &o.image_size, "side of the square training crops", 16, 4096);
  p.add_int("batch-size", &o.batch_size, "content images per step (all painted with the step's painting)", 1, 1024);
  p.add_int64("steps", &o.steps, "training steps", 1, 100000000);
  p.add_float("lr", &o.lr, "Adam learning rate (both networks)", 1e-7, 1);
  p.add_choice("family", &o.family, "ghiasi: style predictor + conditional transformer (exported, shipped); adain: "
               "encoder statistics + AdaIN + a trained decoder, to compare (trainer/README.md)", {"ghiasi", "adain"});
  p.add_int("width", &o.width, "transformer width (channels of the first layer)", 1, 256);
  p.add_int("residual-blocks", &o.residual_blocks, "transformer residual blocks", 0, 32);
  p.add_choice("photo-skip", &o.photo_skip, "the transformer outputs photo + a change", {"on", "off"});
  p.add_int("code-size", &o.code_size, "numbers in a style code", 1, 4096);
  p.add_int("predictor-hidden", &o.predictor_hidden, "units of the style predictor's hidden layer", 1, 16384);
  add_loss_options(p, o.loss);
  p.add_int64("seed", &o.seed, "random seed (weights, crops, paintings)", 0, INT64_MAX);
  p.add_choice("device", &o.device, "where to train", {"auto", "cpu", "cuda"});
  p.add_int("threads", &o.threads, "CPU threads for LibTorch (0 = its default)", 0, 1024);
  p.add_int64("preview-every", &o.preview_every, "write previews/step-N.png every N steps (0 = never)", 0, INT64_MAX);
  p.add_int64("checkpoint-every", &o.checkpoint_every, "write checkpoint.pt every N steps (0 = only at the end)", 0,
              INT64_MAX);
  p.add_flag("resume", &o.resume, "continue the run in --out from its checkpoint (options come from options.json)");
  add_distributed_options(p, o.distributed);
  if (auto code = p.parse(argc, argv, /*check_required=*/false)) return *code;
  if (!o.resume && o.distributed.rank == 0)  // other ranks may take them from rank 0
    if (auto code = p.check_required()) return *code;
  try {
    return train(o, p);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "arbitrary: %s\n", e.what());
    return 1;
  }
}

}  // namespace styleforge::trainer
