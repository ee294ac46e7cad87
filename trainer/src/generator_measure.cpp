// `generator-measure`: how close generated images are to the real data, measured with a `classify` run:
//   fd               Frechet distance (measure/frechet.h) between the classifier's penultimate features of N
//                    generated images and of N held-out test images (never trained on by generator or ruler)
//   fd_floor         the same between the N test images and N images drawn (seeded) from the training split: what
//                    a generator that reproduced the data distribution exactly would score with this N
//   classes_covered  measure/class_coverage.h: classes the classifier gives at least --min-share of the samples
//   class_accuracy   for samples made for a given class (a labels file next to them): the share the classifier
//                    puts in that class; null for unconditional generators
// N is --count (10000, the test set) for every set, since FD estimated from fewer samples reads higher.
// Generated images come as idx3 files (uint8, 0 = black, as the data): scripts/report/generator-samples.mjs
// writes them from the shipped ONNX models. Writes OUT.json {"models": [{"id", "dataset", "fd", "fd_floor",
// "class_accuracy", "classes_covered"}]}: entries with other ids already in OUT are kept (earlier models' figures
// stay on record), entries with the same id replaced; --details FILE adds each set's class shares.
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "classifier_run.h"
#include "commands.h"
#include "data/labelled_idx.h"
#include "loss/style_setup.h"  // split_commas
#include "measure/class_coverage.h"
#include "measure/frechet.h"
#include "run/device.h"
#include "run/fail.h"
#include "run/run_dir.h"

namespace styleforge::trainer {
namespace {

struct MeasureOptions {
  std::string classifier, samples, out, details, dataset = "fashion-mnist", device = "auto";
  std::string test_images = kFashionTestImages, train_images = kFashionTrainImages;
  int64_t count = 10000, seed = 1;
  double min_share = 0.01;
  int threads = 0;
};

struct SampleSet {
  std::string id, images, labels;  // labels: empty for unconditional samples
};

// "ID=IMAGES[:LABELS],..." -> sets; an error names the bad item.
Result<std::vector<SampleSet>> parse_samples(const std::string& text) {
  using R = Result<std::vector<SampleSet>>;
  std::vector<SampleSet> sets;
  for (const std::string& item : split_commas(text)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      return R::failure("--samples: '" + item + "' is not ID=IMAGES[:LABELS]");
    SampleSet s{item.substr(0, eq), item.substr(eq + 1), ""};
    if (const auto colon = s.images.find(':'); colon != std::string::npos) {
      s.labels = s.images.substr(colon + 1);
      s.images.resize(colon);
    }
    sets.push_back(s);
  }
  if (sets.empty()) return R::failure("--samples: no sample sets given");
  return R::success(sets);
}

// The first `count` images of a file; fewer is an error, since FD depends on N.
Result<LabelledImages> open_exactly(const std::string& images, const std::string& labels, int64_t count, int classes) {
  Result<LabelledImages> set = open_labelled_idx(images, labels, count, classes);
  if (set.ok() && set.value.size() < count)
    return Result<LabelledImages>::failure(images + ": holds " + std::to_string(set.value.size()) +
                                           " images, --count asks for " + std::to_string(count));
  return set;
}

nlohmann::ordered_json read_existing(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::ordered_json{{"models", nlohmann::ordered_json::array()}};
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("models") || !j["models"].is_array())
    throw std::runtime_error(path + ": exists but is not {\"models\": [...]}; move it away or fix it");
  return j;
}

int measure(const MeasureOptions& o) {
  if (o.threads > 0) torch::set_num_threads(o.threads);
  Result<std::vector<SampleSet>> sets = parse_samples(o.samples);
  if (!sets.ok()) return fail(sets.error);
  Result<c10::DeviceType> device_type = pick_device(o.device);
  if (!device_type.ok()) return fail(device_type.error);
  const torch::Device device(device_type.value);
  Classifier net{nullptr};
  if (Status s = load_classifier(o.classifier, device, &net); !s.ok()) return fail(s.error);
  const int classes = net->classes;

  Result<LabelledImages> test = open_exactly(o.test_images, "", o.count, classes);
  if (!test.ok()) return fail(test.error);
  const FeatureStats test_stats = feature_stats(classify_images(net, test.value.images, device).features);
  // The floor: `count` training images drawn without replacement by --seed.
  Result<LabelledImages> train = open_labelled_idx(o.train_images, "", 0, classes);
  if (!train.ok()) return fail(train.error);
  if (train.value.size() < o.count) return fail(o.train_images + ": fewer images than --count");
  torch::manual_seed(static_cast<uint64_t>(o.seed));
  torch::Tensor floor_pick = torch::randperm(train.value.size()).slice(0, 0, o.count);
  const double fd_floor = frechet_distance(
      test_stats, feature_stats(classify_images(net, train.value.images.index_select(0, floor_pick), device).features));
  std::printf("floor: FD(test, %lld training images) = %.3f\n", static_cast<long long>(o.count), fd_floor);

  nlohmann::ordered_json report = read_existing(o.out);
  nlohmann::ordered_json details{{"count", o.count}, {"min_share", o.min_share}, {"fd_floor", fd_floor},
                                 {"classifier", o.classifier}, {"class_shares", nlohmann::ordered_json::object()}};
  for (const SampleSet& set : sets.value) {
    Result<LabelledImages> samples = open_exactly(set.images, set.labels, o.count, classes);
    if (!samples.ok()) return fail(samples.error);
    if (samples.value.images.size(2) != net->image_size || samples.value.images.size(3) != net->image_size ||
        samples.value.images.size(1) != net->channels)
      return fail(set.images + ": images are not " + std::to_string(net->image_size) + " px with " +
                  std::to_string(net->channels) + " channel(s), as the classifier's");
    Classified c = classify_images(net, samples.value.images, device);
    const double fd = frechet_distance(feature_stats(c.features), test_stats);
    const ClassCoverage coverage = class_coverage(c.predicted, classes, o.min_share);
    nlohmann::ordered_json class_accuracy = nullptr;
    if (samples.value.labels.defined())
      class_accuracy = c.predicted.eq(samples.value.labels).to(torch::kFloat64).mean().item<double>();
    std::printf("%s: FD %.3f (floor %.3f), classes covered %d of %d, shares", set.id.c_str(), fd, fd_floor,
                coverage.covered, classes);
    for (double share : coverage.shares) std::printf(" %.3f", share);
    if (!class_accuracy.is_null()) std::printf(", class accuracy %.4f", class_accuracy.get<double>());
    std::printf("\n");
    // The keys and their order as issue 13 asks.
    nlohmann::ordered_json entry{{"id", set.id},
                                 {"dataset", o.dataset},
                                 {"fd", fd},
                                 {"fd_floor", fd_floor},
                                 {"class_accuracy", class_accuracy},
                                 {"classes_covered", coverage.covered}};
    details["class_shares"][set.id] = coverage.shares;
    auto& models = report["models"];
    auto same = std::find_if(models.begin(), models.end(), [&](const auto& m) { return m.value("id", "") == set.id; });
    if (same != models.end()) *same = entry;
    else models.push_back(entry);
  }
  if (Status s = write_file_atomic(o.out, report.dump(2) + "\n"); !s.ok()) return fail(s.error);
  std::printf("wrote %s\n", o.out.c_str());
  if (!o.details.empty()) {
    if (Status s = write_file_atomic(o.details, details.dump(2) + "\n"); !s.ok()) return fail(s.error);
    std::printf("wrote %s\n", o.details.c_str());
  }
  return 0;
}

}  // namespace

int run_generator_measure(int argc, char** argv) {
  MeasureOptions o;
  OptionParser parser("generator-measure",
                      "FD to the test set, its floor and class coverage of generated images, measured with a "
                      "classify run.");
  parser.add_string("classifier", &o.classifier, "a classify run directory (its model.pt, else checkpoint.pt)");
  parser.require("classifier");
  parser.add_string("samples", &o.samples, "ID=IMAGES[:LABELS],...: idx3 files of generated images (LABELS: idx1, "
                                           "the class each was generated for, conditional models only)");
  parser.require("samples");
  parser.add_string("out", &o.out, "JSON report to write (entries with other ids in it are kept)");
  parser.require("out");
  parser.add_string("details", &o.details, "optional JSON with what the report does not hold: each set's class "
                                           "shares, N, the minimum share (what generators.md tabulates)");
  parser.add_string("dataset", &o.dataset, "dataset name recorded with each entry");
  parser.add_string("test-data", &o.test_images, "held-out real images (idx3) the samples are compared with");
  parser.add_string("train-data", &o.train_images, "training images (idx3), for the floor");
  parser.add_int64("count", &o.count, "images per set (test, floor, each sample set)", 2, 100000000);
  parser.add_int64("seed", &o.seed, "seed of the floor's draw of training images", 0, INT64_MAX);
  parser.add_float("min-share", &o.min_share, "a class is covered when it gets at least this share of the samples",
                   0, 1);
  parser.add_choice("device", &o.device, "where to run the classifier", {"auto", "cpu", "cuda"});
  parser.add_int("threads", &o.threads, "CPU threads for LibTorch, 0 = its default", 0, 1024);
  if (auto code = parser.parse(argc, argv)) return *code;
  return measure(o);
}

}  // namespace styleforge::trainer
