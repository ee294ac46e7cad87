// `dcgan`: train a DCGAN (nets/dcgan.h) on a folder of images or an idx file. Standard recipe of Radford et al.:
// Adam (beta1 0.5), binary cross-entropy on logits, one discriminator step and one generator step per batch.
// Data parallel with --world-size (run/distributed.h): each rank weights its slice's mean losses by its share of
// the global batch, so the all-reduced gradients are the global batch's (BatchNorm statistics stay per rank).
// With --labels the GAN is class-conditional (nets/dcgan.h): each generated image is made for the class of the
// real image in the same batch position, so classes are drawn as often as the data holds them.
// With --augment (data/diff_augment.h) the discriminator sees real and generated images through the same kind of
// random differentiable transform, in both steps: what keeps a GAN on a few thousand pictures (emoji) from collapsing.
// With --ema the run also keeps a moving average of the generator's weights (run/weight_average.h): that average is
// the checkpoint's "generator" (what previews, model.pt, export and the measures read); the trained generator and
// its optimiser are "training_generator".
// With --class-weight (AC-GAN, Odena et al. 2017; needs --labels and --condition projection) the discriminator's
// auxiliary head (nets/dcgan.h) also learns the class of the real images, and the generator is trained to make
// images that head reads as the class they were made for: the class then shapes what a sample depicts, not only
// whether the discriminator accepts it. Only real images teach the head (a head taught fakes too can call a poor
// sample of a class that class and stop pushing the generator).
#include <torch/torch.h>

#include <cstdio>

#include "commands.h"
#include "generator_run.h"
#include "data/dataset.h"
#include "data/diff_augment.h"
#include "nets/dcgan.h"
#include "run/checkpoint.h"
#include "run/fail.h"
#include "run/finite.h"
#include "run/metrics.h"
#include "run/preview.h"
#include "run/progress.h"
#include "run/start.h"
#include "run/stop.h"
#include "run/weight_average.h"

namespace styleforge::trainer {
namespace {

constexpr int kPreviewSamples = 16;
// sample_seed streams: which image, its noise, and the transforms of --augment (real, generated in the
// discriminator's step, generated in the generator's step: three independent draws, as DiffAugment makes them).
constexpr uint64_t kImageDraws = 0, kNoiseDraws = 1, kAugmentReal = 2, kAugmentFake = 3, kAugmentGenerator = 4;
// --ema: the averaged generator's batch-norm statistics come from this many batches of its own samples, drawn from
// their own stream (the same latents every time, so a preview or checkpoint depends only on the weights).
constexpr uint64_t kCalibrationDraws = 5;
constexpr int kCalibrationBatches = 8;

}  // namespace

int run_dcgan(int argc, char** argv) {
  GeneratorOptions o;
  LoopOptions loop;
  loop.batch_size = 64;
  loop.lr = 2e-4;
  OptionParser parser("dcgan", "Train a DCGAN on a folder of PNG/JPEG images or an idx file (e.g. Fashion-MNIST).");
  add_generator_options(parser, o);
  add_loop_options(parser, loop);
  std::string upsample = "transposed";
  parser.add_choice("upsample", &upsample,
                    "how the generator doubles the side: transposed (4x4 stride-2 transposed convolutions, Radford "
                    "et al.) or resize (nearest x2 + 3x3 convolution: no checkerboard)",
                    {"transposed", "resize"});
  std::string augment_text = "off";
  parser.add_string("augment", &augment_text,
                    "differentiable augmentation of what the discriminator sees (DiffAugment): off, or any of "
                    "colour,translation,cutout (for small datasets, e.g. the emoji)");
  std::string condition = "planes";
  parser.add_choice("condition", &condition,
                    "how a class-conditional discriminator takes the class (with --labels): planes (one-hot planes "
                    "beside the image) or projection (Miyato & Koyama 2018: a class embedding dotted with the last "
                    "features; conditions more strongly)",
                    {"planes", "projection"});
  double ema = 0;
  parser.add_float("ema", &ema,
                   "decay of a moving average of the generator's weights, which is what gets sampled and exported "
                   "(e.g. 0.999: about the last 1,000 steps); 0: off, the generator as trained",
                   0, 0.99999);
  double class_weight = 0;
  parser.add_float("class-weight", &class_weight,
                   "AC-GAN: weight of an auxiliary classification loss (the discriminator learns the class of real "
                   "images, the generator makes images it reads as their class); needs --labels and --condition "
                   "projection; 0: off",
                   0, 100);
  GeneratorStart start;
  if (auto code = start_generator_run(parser, argc, argv, "dcgan", o, loop, &start)) return *code;
  const bool auxiliary = class_weight > 0;
  if (auxiliary && (start.classes == 0 || condition != "projection"))
    return fail("--class-weight needs a class-conditional run with the projection discriminator: add --labels FILE "
                "and --condition projection, or leave --class-weight at 0");
  Result<DiffAugmentPolicy> augment = parse_diff_augment(augment_text);
  if (!augment.ok()) return fail(augment.error);
  const int image_size = o.image_size, latent = o.latent, width = o.width;
  const torch::Device device = start.device;
  RunDir& dir = start.dir;
  const TrainingImages& images = *start.images;
  Distributed& group = *start.distributed;
  Result<BatchSlice> slice = batch_slice(loop.batch_size, group);
  if (!slice.ok()) return fail(slice.error);
  // Each rank's share of a batch mean: summed over ranks, losses and gradients are those of the global batch.
  const double share = static_cast<double>(slice.value.count) / loop.batch_size;

  // Same seed -> same initial weights and preview noise, on a fresh run and on --resume alike.
  torch::manual_seed(static_cast<uint64_t>(loop.seed));
  const int classes = start.classes;
  Generator generator(latent, image_size, width, classes, gan_upsample_named(upsample));
  Discriminator discriminator(image_size, width, classes, gan_condition_named(condition), auxiliary);
  dcgan_init(*generator);
  dcgan_init(*discriminator);
  // The averaged generator (--ema): starts as the initial weights, is never trained, and is what gets sampled.
  Generator average(nullptr);
  if (ema > 0) {
    average = Generator(latent, image_size, width, classes, gan_upsample_named(upsample));
    copy_weights(*average, *generator);
    average->to(device);
  }
  Generator& sampled = ema > 0 ? average : generator;
  torch::Tensor preview_z = torch::randn({kPreviewSamples, latent});
  generator->to(device);
  discriminator->to(device);
  preview_z = preview_z.to(device);
  // Conditional previews: sample i made for class i mod classes (every class in order).
  torch::Tensor preview_one_hot =
      classes > 0 ? one_hot_classes(preview_classes(kPreviewSamples, classes), classes).to(device) : torch::Tensor();
  auto adam = [&](torch::nn::Module& m) {
    return torch::optim::Adam(m.parameters(), torch::optim::AdamOptions(loop.lr).betas({0.5, 0.999}));
  };
  torch::optim::Adam opt_g = adam(*generator), opt_d = adam(*discriminator);
  std::vector<CheckpointPart> parts{{"generator", generator.ptr().get(), &opt_g},
                                    {"discriminator", discriminator.ptr().get(), &opt_d}};
  if (ema > 0)
    parts = {{"generator", average.ptr().get(), nullptr},
             {"training_generator", generator.ptr().get(), &opt_g},
             {"discriminator", discriminator.ptr().get(), &opt_d}};

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

  // Before the averaged generator is sampled or saved: its own batch-norm statistics (run/weight_average.h), once
  // per step (a preview and a checkpoint often fall on the same step; the weights have not changed between them).
  int64_t calibrated_at = -1;
  auto calibrate_average = [&](int64_t at) {
    if (ema <= 0 || calibrated_at == at) return;
    calibrated_at = at;
    const BatchSlice whole{0, loop.batch_size};
    torch::Tensor one_hot =
        classes > 0 ? one_hot_classes(preview_classes(loop.batch_size, classes), classes).to(device) : torch::Tensor();
    recalibrate_batch_norm(*average, kCalibrationBatches, [&](int batch) {
      average->forward(per_sample_normal(seed, batch, whole, latent, kCalibrationDraws).to(device), one_hot);
    });
  };
  auto write_preview_now = [&](int64_t at) {
    calibrate_average(at);
    torch::NoGradGuard no_grad;
    sampled->eval();
    Status s = write_preview(dir.preview_file(at), sampled->forward(preview_z, preview_one_hot), -1, 1);
    sampled->train();
    if (!s.ok()) std::fprintf(stderr, "warning: preview: %s\n", s.error.c_str());
  };
  auto checkpoint = [&](int64_t at) {
    if (group.is_main()) calibrate_average(at);
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
    // This rank's slice of the global batch; every image and noise vector is drawn from its global position.
    std::vector<uint64_t> seeds;
    for (int i = 0; i < slice.value.count; ++i) seeds.push_back(sample_seed(seed, step, slice.value.first + i, kImageDraws));
    std::vector<int64_t> picked;
    Result<torch::Tensor> batch = images.samples(seeds, PixelRange::MinusOneOne, &picked);
    if (!batch.ok()) return fail(batch.error);
    torch::Tensor real = batch.value.to(device);
    torch::Tensor one_hot = start.one_hot_of(picked);
    if (one_hot.defined()) one_hot = one_hot.to(device);
    const int64_t n = real.size(0);
    auto augmented = [&](const torch::Tensor& images, uint64_t stream) {
      if (!augment.value.any()) return images;
      std::vector<uint64_t> draws;
      for (int i = 0; i < slice.value.count; ++i) draws.push_back(sample_seed(seed, step, slice.value.first + i, stream));
      return diff_augment(images, augment.value, draws);
    };
    torch::Tensor ones = torch::ones({n, 1}, real.options()), zeros = torch::zeros({n, 1}, real.options());
    const std::string at = "step " + std::to_string(step + 1);

    // Discriminator: real -> 1, generated -> 0 (and, with --class-weight, the real images' classes).
    // (BatchNorm statistics are each rank's own, as in PyTorch's DDP.)
    torch::Tensor fake =
        generator->forward(per_sample_normal(seed, step, slice.value, latent, kNoiseDraws).to(device), one_hot);
    // With --class-weight: the auxiliary head's cross-entropy for the classes the batch's images were drawn with.
    torch::Tensor labels = auxiliary ? start.classes_of(picked).to(device) : torch::Tensor();
    auto class_loss = [&](const torch::Tensor& class_logits) {
      return auxiliary ? torch::nll_loss(torch::log_softmax(class_logits, 1), labels) : torch::zeros({}, real.options());
    };
    auto judged = [&](const torch::Tensor& images) {  // {logit, class logits or undefined}
      if (!auxiliary) return std::pair<torch::Tensor, torch::Tensor>{discriminator->forward(images, one_hot), {}};
      return discriminator->forward_with_classes(images, one_hot);
    };
    opt_d.zero_grad();
    auto [logits_real, classes_real] = judged(augmented(real, kAugmentReal));
    torch::Tensor logits_fake = discriminator->forward(augmented(fake.detach(), kAugmentFake), one_hot);
    torch::Tensor loss_d = share * (torch::binary_cross_entropy_with_logits(logits_real, ones) +
                                    torch::binary_cross_entropy_with_logits(logits_fake, zeros));
    torch::Tensor class_d = class_loss(classes_real);
    if (auxiliary) loss_d = loss_d + share * class_weight * class_d;
    loss_d.backward();
    if (Status s = group.all_reduce_gradients(discriminator->parameters(), at); !s.ok()) return fail(s.error);
    opt_d.step();

    // Generator: make the discriminator say 1 for generated images (the non-saturating loss), and with
    // --class-weight read them as the class they were made for.
    opt_g.zero_grad();
    auto [logits_g, classes_g] = judged(augmented(fake, kAugmentGenerator));
    torch::Tensor loss_g = share * torch::binary_cross_entropy_with_logits(logits_g, ones);
    torch::Tensor class_g = class_loss(classes_g);
    if (auxiliary) loss_g = loss_g + share * class_weight * class_g;
    loss_g.backward();
    if (Status s = group.all_reduce_gradients(generator->parameters(), at); !s.ok()) return fail(s.error);
    opt_g.step();
    if (ema > 0) update_weight_average(*average, *generator, ema);
    ++step;

    Result<std::vector<double>> sums = group.sum_values(
        {loss_d.item<double>(), loss_g.item<double>(), share * torch::sigmoid(logits_real).mean().item<double>(),
         share * torch::sigmoid(logits_fake).mean().item<double>(), share * class_d.item<double>(),
         share * class_g.item<double>(), stop_requested() ? 1.0 : 0.0},
        at);
    if (!sums.ok()) return fail(sums.error);
    const double ld = sums.value[0], lg = sums.value[1];
    stop = sums.value[6] > 0;
    for (auto [name, value] : {std::pair<const char*, double>{"loss_d", ld}, {"loss_g", lg}})
      if (Status s = check_finite(name, value, step); !s.ok()) return fail(s.error);
    if (!group.is_main()) continue;
    std::vector<std::pair<std::string, double>> values{
        {"loss_d", ld}, {"loss_g", lg}, {"d_real", sums.value[2]}, {"d_fake", sums.value[3]}};
    if (auxiliary) {  // the auxiliary classifier's cross-entropy on real images and on generated ones
      values.emplace_back("class_real", sums.value[4]);
      values.emplace_back("class_fake", sums.value[5]);
    }
    progress.update(step, values);
    if (step % loop.log_every == 0 || step == loop.steps)
      if (Status s = metrics.append(step, progress.elapsed_s(), values); !s.ok()) return fail(s.error);
    if (step % loop.preview_every == 0 || step == loop.steps) write_preview_now(step);
    if (step % loop.checkpoint_every == 0 || step == loop.steps)
      if (Status s = checkpoint(step); !s.ok()) return fail(s.error);
  }
  if (!group.is_main()) return 0;
  calibrate_average(step);
  if (Status s = save_checkpoint(dir.model_file(), step, {{"generator", sampled.ptr().get(), nullptr}}); !s.ok())
    return fail(s.error);
  std::fprintf(stderr, "done: %lld steps; model in %s (export with: styleforge-trainer export --run %s --out FILE.onnx)\n",
               static_cast<long long>(step), dir.model_file().c_str(), dir.path().c_str());
  return 0;
}

}  // namespace styleforge::trainer
