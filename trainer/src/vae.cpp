// `vae`: train a convolutional VAE (nets/vae.h) on a folder of images or an idx file. Loss per image:
// sum of squared errors over pixels (images in -1..1) + beta * KL(q(z|x) || N(0, I)); Adam.
// Data parallel with --world-size (run/distributed.h): each rank sums its slice's loss over the global batch size,
// so the all-reduced gradient is the one-process gradient of the same global batch (the VAE has no BatchNorm).
// With --labels it is class-conditional (nets/vae.h): encoder and decoder read the one-hot of the image's class
// beside their inputs, and the encoder's class head learns the labels (cross-entropy times --class-weight), which
// stand in for the label when an upload of unknown class is encoded.
#include <torch/torch.h>

#include <cstdio>

#include "commands.h"
#include "generator_run.h"
#include "data/dataset.h"
#include "nets/dcgan.h"
#include "nets/vae.h"
#include "run/checkpoint.h"
#include "run/fail.h"
#include "run/finite.h"
#include "run/metrics.h"
#include "run/preview.h"
#include "run/progress.h"
#include "run/start.h"
#include "run/stop.h"

namespace styleforge::trainer {
namespace {

constexpr int kPreviewColumns = 8;  // preview rows: originals, their reconstructions, samples from N(0, I)
constexpr uint64_t kImageDraws = 0, kNoiseDraws = 1, kPriorDraws = 2;  // sample_seed streams

}  // namespace

int run_vae(int argc, char** argv) {
  GeneratorOptions o;
  o.latent = 32;
  double beta = 1.0, class_weight = 10.0, sample_class_weight = 0.0;
  LoopOptions loop;
  loop.batch_size = 64;
  loop.lr = 1e-3;
  OptionParser parser("vae", "Train a convolutional VAE on a folder of PNG/JPEG images or an idx file (e.g. Fashion-MNIST).");
  add_generator_options(parser, o);
  parser.add_float("beta", &beta, "weight of the KL term", 0, 1000);
  parser.add_float("sample-class-weight", &sample_class_weight,
                   "with --labels: weight of a cross-entropy asking the encoder's class head to name the class of "
                   "images decoded from prior samples z ~ N(0, I) made for that class (moves the decoder only): "
                   "without it the decoder may read the class from z and ignore the one-hot", 0, 1e6);
  parser.add_float("class-weight", &class_weight,
                   "with --labels: weight of the encoder's class cross-entropy (the reconstruction term is a sum "
                   "over pixels, in the hundreds)", 0, 1e6);
  add_loop_options(parser, loop);
  GeneratorStart start;
  if (auto code = start_generator_run(parser, argc, argv, "vae", o, loop, &start)) return *code;
  const int image_size = o.image_size, latent = o.latent, width = o.width;
  const torch::Device device = start.device;
  RunDir& dir = start.dir;
  const TrainingImages& images = *start.images;
  Distributed& group = *start.distributed;
  Result<BatchSlice> slice = batch_slice(loop.batch_size, group);
  if (!slice.ok()) return fail(slice.error);
  const double global_batch = loop.batch_size;

  torch::manual_seed(static_cast<uint64_t>(loop.seed));
  const int classes = start.classes;
  Vae vae(latent, image_size, width, classes);
  torch::Tensor preview_z = torch::randn({kPreviewColumns, latent});
  // Conditional previews: samples for classes 0, 1, 2, ... in order; originals go through the encoder's own guess.
  if (classes > 0)
    preview_z = torch::cat({preview_z, one_hot_classes(preview_classes(kPreviewColumns, classes), classes)}, 1);
  std::mt19937_64 preview_rng(static_cast<uint64_t>(loop.seed));
  Result<torch::Tensor> preview_x = images.batch(kPreviewColumns, preview_rng, PixelRange::MinusOneOne);
  if (!preview_x.ok()) return fail(preview_x.error);
  vae->to(device);
  preview_z = preview_z.to(device);
  torch::Tensor preview_real = preview_x.value.to(device);
  torch::optim::Adam opt(vae->parameters(), torch::optim::AdamOptions(loop.lr));
  std::vector<CheckpointPart> parts{{"vae", vae.ptr().get(), &opt}};

  int64_t step = 0;
  if (loop.resume && group.is_main()) {
    Result<int64_t> loaded = resume_checkpoint(dir.checkpoint_file(), parts, device);
    if (!loaded.ok()) return fail(loaded.error);
    step = loaded.value;
    std::fprintf(stderr, "resumed at step %lld\n", static_cast<long long>(step));
  }
  if (Status s = group.share_state(parts, step, device); !s.ok()) return fail(s.error);
  MetricsLog metrics;
  if (group.is_main())
    if (Status s = metrics.open(dir.metrics_file(), loop.resume ? step : -1); !s.ok()) return fail(s.error);
  const auto seed = static_cast<uint64_t>(loop.seed);

  auto write_preview_now = [&](int64_t at) {
    torch::NoGradGuard no_grad;
    vae->eval();
    torch::Tensor recon = vae->decode(vae->encode_for_decoder(preview_real));
    torch::Tensor grid = torch::cat({preview_real, recon, vae->decode(preview_z)});
    Status s = write_preview(dir.preview_file(at), grid, -1, 1, kPreviewColumns);
    vae->train();
    if (!s.ok()) std::fprintf(stderr, "warning: preview: %s\n", s.error.c_str());
  };
  auto checkpoint = [&](int64_t at) {
    return group.is_main() ? save_checkpoint(dir.checkpoint_file(), at, parts, /*keep_previous=*/true) : Status::success();
  };

  install_stop_handlers();
  Progress progress(loop.steps, step);
  // From the first step on, agreed by all ranks: a signal to any one of them stops them all at the same step.
  bool stop = group.world_size() == 1 && stop_requested();
  while (step < loop.steps) {
    if (stop) {
      if (Status s = checkpoint(step); !s.ok()) return fail(s.error);
      if (group.is_main())
        std::fprintf(stderr, "stopped at step %lld; checkpoint written. Continue with: --out %s --resume\n",
                     static_cast<long long>(step), dir.path().c_str());
      return kExitStopped;
    }
    // This rank's slice of the global batch; every image, crop and noise vector is drawn from its global position.
    std::vector<uint64_t> seeds;
    for (int i = 0; i < slice.value.count; ++i) seeds.push_back(sample_seed(seed, step, slice.value.first + i, kImageDraws));
    std::vector<int64_t> picked;
    Result<torch::Tensor> batch = images.samples(seeds, PixelRange::MinusOneOne, &picked);
    if (!batch.ok()) return fail(batch.error);
    torch::Tensor x = batch.value.to(device);
    torch::Tensor noise = per_sample_normal(seed, step, slice.value, latent, kNoiseDraws).to(device);

    opt.zero_grad();
    torch::Tensor f = vae->features(x);
    // Encoder and decoder learn from the true class; the class head learns to name it (sums over the slice, divided
    // by the global batch).
    torch::Tensor truth, one_hot;
    if (classes > 0) {
      truth = start.classes_of(picked).to(device);
      one_hot = one_hot_classes(truth, classes);
    }
    auto [mu, logvar] = vae->encode_features(f, one_hot);
    torch::Tensor z = mu + torch::exp(0.5 * logvar) * noise;  // reparameterisation trick
    torch::Tensor class_ce = torch::zeros({}, x.options()), class_right = torch::zeros({}, x.options());
    if (classes > 0) {
      z = torch::cat({z, one_hot}, 1);
      torch::Tensor logits = vae->class_logits(f);
      class_ce = torch::nn::functional::cross_entropy(
                     logits, truth, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                 global_batch;
      class_right = (logits.argmax(1) == truth).sum().to(torch::kFloat) / global_batch;
    }
    // Samples from the prior, made for the batch's classes, must be named that class by the encoder's class head;
    // the head's and the convolutions' weights are frozen for this term so that only the decoder moves (measured:
    // without it, 43% of prior samples were of their class at 6000 steps: the decoder read the class from z).
    torch::Tensor sample_ce = torch::zeros({}, x.options());
    if (classes > 0 && sample_class_weight > 0) {
      torch::Tensor made = vae->decode(
          torch::cat({per_sample_normal(seed, step, slice.value, latent, kPriorDraws).to(device), one_hot}, 1));
      std::vector<torch::Tensor> frozen = vae->fc_class->parameters();
      for (auto& down : vae->downs)
        for (auto& p : down->parameters()) frozen.push_back(p);
      for (auto& p : frozen) p.requires_grad_(false);
      torch::Tensor logits = vae->class_logits(vae->features(made));
      for (auto& p : frozen) p.requires_grad_(true);
      sample_ce = torch::nn::functional::cross_entropy(
                      logits, truth, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                  global_batch;
    }
    torch::Tensor recon = (vae->decode(z) - x).pow(2).sum() / global_batch;
    torch::Tensor kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum() / global_batch;
    torch::Tensor loss = recon + beta * kl + class_weight * class_ce + sample_class_weight * sample_ce;
    loss.backward();
    if (Status s = group.all_reduce_gradients(vae->parameters(), "step " + std::to_string(step + 1)); !s.ok())
      return fail(s.error);
    opt.step();
    ++step;

    Result<std::vector<double>> sums = group.sum_values(
        {loss.item<double>(), recon.item<double>(), kl.item<double>(), class_ce.item<double>(),
         class_right.item<double>(), sample_ce.item<double>(), stop_requested() ? 1.0 : 0.0},
        "step " + std::to_string(step));
    if (!sums.ok()) return fail(sums.error);
    const double l = sums.value[0];
    stop = sums.value[6] > 0;
    if (Status s = check_finite("loss", l, step); !s.ok()) return fail(s.error);
    if (!group.is_main()) continue;
    std::vector<std::pair<std::string, double>> values{{"loss", l}, {"recon", sums.value[1]}, {"kl", sums.value[2]}};
    if (classes > 0) {
      values.emplace_back("class_ce", sums.value[3]);
      values.emplace_back("class_accuracy", sums.value[4]);
      if (sample_class_weight > 0) values.emplace_back("sample_class_ce", sums.value[5]);
    }
    progress.update(step, values);
    if (step % loop.log_every == 0 || step == loop.steps)
      if (Status s = metrics.append(step, progress.elapsed_s(), values); !s.ok()) return fail(s.error);
    if (step % loop.preview_every == 0 || step == loop.steps) write_preview_now(step);
    if (step % loop.checkpoint_every == 0 || step == loop.steps)
      if (Status s = checkpoint(step); !s.ok()) return fail(s.error);
  }
  if (!group.is_main()) return 0;
  if (Status s = save_checkpoint(dir.model_file(), step, {{"vae", vae.ptr().get(), nullptr}}); !s.ok())
    return fail(s.error);
  std::fprintf(stderr, "done: %lld steps; model in %s (export with: styleforge-trainer export --run %s --out FILE.onnx)\n",
               static_cast<long long>(step), dir.model_file().c_str(), dir.path().c_str());
  return 0;
}

}  // namespace styleforge::trainer
