// `classify`: train a small CNN (nets/classifier.h) on labelled idx images, by default Fashion-MNIST's training
// split, and measure its accuracy on the test split. It is the ruler of `generator-measure` (FD on its
// penultimate features, class coverage), so it must classify well (>= 90% on Fashion-MNIST's test set) before its
// features mean anything. Loss: cross-entropy; Adam, its rate a tenth for the last quarter of the steps. One
// process (no --world-size: it trains in minutes).
// Besides the usual run files it writes DIR/evaluation.json {"step", "test_accuracy", "test_images"}.
#include <torch/torch.h>

#include <cstdio>

#include "classifier_run.h"
#include "commands.h"
#include "data/labelled_idx.h"
#include "run/checkpoint.h"
#include "run/device.h"
#include "run/fail.h"
#include "run/finite.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/start.h"
#include "run/stop.h"

namespace styleforge::trainer {
namespace {

struct ClassifyData {
  std::string train_images = kFashionTrainImages, train_labels = kFashionTrainLabels;
  std::string test_images = kFashionTestImages, test_labels = kFashionTestLabels;
  int64_t train_count = 0, test_count = 0;  // 0: all (a smaller number makes quick test runs)
};

double accuracy(Classifier& net, const LabelledImages& data, const torch::Device& device) {
  Classified c = classify_images(net, data.images, device);
  return c.predicted.eq(data.labels).to(torch::kFloat64).mean().item<double>();
}

}  // namespace

int run_classify(int argc, char** argv) {
  ClassifyData d;
  ClassifierOptions net_options;
  LoopOptions loop;
  loop.steps = 6000;  // batch 64: 6.4 epochs of Fashion-MNIST (3000 steps reach only 90.1%; trainer/README.md)
  loop.batch_size = 64;
  loop.lr = 1e-3;
  loop.log_every = 50;
  OptionParser parser("classify", "Train a small CNN classifier on labelled idx images (default: Fashion-MNIST), "
                                  "the ruler of generator-measure.");
  parser.add_string("data", &d.train_images, "training images (idx3, .gz allowed)");
  parser.add_string("labels", &d.train_labels, "training labels (idx1), in the images' order");
  parser.add_string("test-data", &d.test_images, "held-out test images, for the accuracy");
  parser.add_string("test-labels", &d.test_labels, "held-out test labels");
  parser.add_int64("train-count", &d.train_count, "train on the first N training images only (0: all)", 0, 100000000);
  parser.add_int64("test-count", &d.test_count, "test on the first N test images only (0: all)", 0, 100000000);
  add_classifier_options(parser, net_options);
  add_loop_options(parser, loop);
  RunDir dir;
  std::shared_ptr<Distributed> group;
  if (auto code = begin_run(parser, argc, argv, "classify", loop, &dir, &group)) return *code;
  if (group->world_size() > 1) return fail("classify trains in one process (--world-size 1)");
  Result<c10::DeviceType> device_type = pick_device(loop.device);
  if (!device_type.ok()) return fail(device_type.error);
  const torch::Device device(device_type.value);

  Result<LabelledImages> train = open_labelled_idx(d.train_images, d.train_labels, d.train_count, net_options.classes);
  if (!train.ok()) return fail(train.error);
  Result<LabelledImages> test = open_labelled_idx(d.test_images, d.test_labels, d.test_count, net_options.classes);
  if (!test.ok()) return fail(test.error);
  for (const LabelledImages* set : {&train.value, &test.value})
    if (set->images.size(2) != net_options.image_size || set->images.size(3) != net_options.image_size ||
        set->images.size(1) != net_options.channels)
      return fail("images are " + std::to_string(set->images.size(2)) + "x" + std::to_string(set->images.size(3)) +
                  " with " + std::to_string(set->images.size(1)) + " channel(s); --image-size is " +
                  std::to_string(net_options.image_size) + ", --channels " + std::to_string(net_options.channels));
  std::fprintf(stderr, "data: %lld training images, %lld test images\n", static_cast<long long>(train.value.size()),
               static_cast<long long>(test.value.size()));

  torch::manual_seed(static_cast<uint64_t>(loop.seed));
  Classifier net = make_classifier(net_options);
  net->to(device);
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(loop.lr));
  std::vector<CheckpointPart> parts{{"classifier", net.ptr().get(), &opt}};
  int64_t step = 0;
  if (loop.resume) {
    Result<int64_t> loaded = resume_checkpoint(dir.checkpoint_file(), parts, device);
    if (!loaded.ok()) return fail(loaded.error);
    step = loaded.value;
    std::fprintf(stderr, "resumed at step %lld\n", static_cast<long long>(step));
  }
  MetricsLog metrics;
  if (Status s = metrics.open(dir.metrics_file(), loop.resume ? step : -1); !s.ok()) return fail(s.error);
  const auto seed = static_cast<uint64_t>(loop.seed);
  const int64_t n = train.value.size();

  install_stop_handlers();
  Progress progress(loop.steps, step);
  double test_accuracy = -1;
  while (step < loop.steps) {
    if (stop_requested()) {
      if (Status s = save_checkpoint(dir.checkpoint_file(), step, parts, true); !s.ok()) return fail(s.error);
      std::fprintf(stderr, "stopped at step %lld; checkpoint written. Continue with: --out %s --resume\n",
                   static_cast<long long>(step), dir.path().c_str());
      return kExitStopped;
    }
    // Which images a step sees depends on (seed, step, position) alone, so a resumed run draws what the
    // uninterrupted one would have.
    std::vector<int64_t> picks;
    for (int i = 0; i < loop.batch_size; ++i)
      picks.push_back(static_cast<int64_t>(sample_seed(seed, step, i, 0) % static_cast<uint64_t>(n)));
    torch::Tensor index = torch::tensor(picks, torch::kInt64);
    torch::Tensor x = to_minus_one_one(train.value.images.index_select(0, index)).to(device);
    torch::Tensor y = train.value.labels.index_select(0, index).to(device);

    // The last quarter of the steps at a tenth of the rate: Adam's noise at full rate costs about a point of test
    // accuracy. A function of the step alone, so --resume keeps it (a larger --steps on resume moves the drop).
    const double lr = step >= loop.steps * 3 / 4 ? loop.lr / 10 : loop.lr;
    static_cast<torch::optim::AdamOptions&>(opt.param_groups()[0].options()).lr(lr);
    opt.zero_grad();
    torch::Tensor logits = net->forward(x);
    torch::Tensor loss = torch::cross_entropy_loss(logits, y);
    loss.backward();
    opt.step();
    ++step;

    const double l = loss.item<double>();
    if (Status s = check_finite("loss", l, step); !s.ok()) return fail(s.error);
    const double batch_accuracy = logits.argmax(1).eq(y).to(torch::kFloat64).mean().item<double>();
    std::vector<std::pair<std::string, double>> values{{"loss", l}, {"batch_accuracy", batch_accuracy}};
    // The test accuracy at every checkpoint and at the end (where the checkpoint is written, below): the curve says
    // when more steps stop paying.
    const bool evaluate = step % loop.checkpoint_every == 0 || step == loop.steps;
    if (evaluate) {
      test_accuracy = accuracy(net, test.value, device);
      values.emplace_back("test_accuracy", test_accuracy);
    }
    progress.update(step, values);
    if (step % loop.log_every == 0 || evaluate)
      if (Status s = metrics.append(step, progress.elapsed_s(), values); !s.ok()) return fail(s.error);
    if (evaluate)
      if (Status s = save_checkpoint(dir.checkpoint_file(), step, parts, true); !s.ok()) return fail(s.error);
  }
  // A resumed run that was already complete trained nothing: measure what it has.
  if (test_accuracy < 0) test_accuracy = accuracy(net, test.value, device);
  if (Status s = save_checkpoint(dir.model_file(), step, {{"classifier", net.ptr().get(), nullptr}}); !s.ok())
    return fail(s.error);
  const nlohmann::json evaluation{
      {"step", step},
      {"test_accuracy", test_accuracy},
      {"test_images", test.value.size()},
      {"test_data", d.test_images}};
  if (Status s = write_file_atomic(dir.file("evaluation.json"), evaluation.dump(2) + "\n"); !s.ok())
    return fail(s.error);
  std::printf("test accuracy: %.4f on %lld images (step %lld)\n", test_accuracy,
              static_cast<long long>(test.value.size()), static_cast<long long>(step));
  std::fprintf(stderr, "done: %lld steps; model in %s\n", static_cast<long long>(step), dir.model_file().c_str());
  return 0;
}

}  // namespace styleforge::trainer
