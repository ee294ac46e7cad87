#include "classifier_run.h"

#include "data/labelled_idx.h"
#include "run/checkpoint.h"
#include "run/run_dir.h"

namespace styleforge::trainer {

void add_classifier_options(OptionParser& parser, ClassifierOptions& options) {
  parser.add_int("classes", &options.classes, "number of classes (labels 0..classes-1)", 2, 1000);
  parser.add_int("image-size", &options.image_size, "side of the (square) images; a multiple of 4", 4, 256);
  parser.add_int("channels", &options.channels, "colour channels of the images: 1 (grey idx3) or 3 (RGB idx4)", 1, 3);
  parser.add_int("width", &options.width, "channels of the first conv layer (the second has twice as many)", 1, 512);
  parser.add_int("features", &options.features, "size of the penultimate layer (the features FD compares)", 2, 4096);
}

Classifier make_classifier(const ClassifierOptions& o) {
  return Classifier(o.classes, o.image_size, o.width, o.features, o.channels);
}

Status load_classifier(const std::string& run, const torch::Device& device, Classifier* out) {
  using R = Status;
  Result<nlohmann::json> saved = read_run_options(run);
  if (!saved.ok()) return R::failure(saved.error);
  if (saved.value.value("command", "") != "classify")
    return R::failure(run + ": not a classify run (options.json says command '" + saved.value.value("command", "") +
                      "')");
  ClassifierOptions o;
  o.classes = static_cast<int>(saved_option_int(saved.value, "classes", o.classes));
  o.image_size = static_cast<int>(saved_option_int(saved.value, "image-size", o.image_size));
  o.width = static_cast<int>(saved_option_int(saved.value, "width", o.width));
  o.features = static_cast<int>(saved_option_int(saved.value, "features", o.features));
  o.channels = static_cast<int>(saved_option_int(saved.value, "channels", o.channels));
  Classifier net = make_classifier(o);
  Result<int64_t> loaded = load_checkpoint(run_weights_file(run), {{"classifier", net.ptr().get(), nullptr}}, device);
  if (!loaded.ok()) return R::failure(loaded.error);
  net->to(device);
  net->eval();
  *out = net;
  return R::success();
}

Classified classify_images(Classifier& net, const torch::Tensor& images, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  const bool was_training = net->is_training();
  net->eval();  // BatchNorm's running statistics, so a sample's features do not depend on its batch
  std::vector<torch::Tensor> features, predicted;
  for (int64_t first = 0; first < images.size(0); first += 500) {
    torch::Tensor x = to_minus_one_one(images.slice(0, first, first + 500)).to(device);
    torch::Tensor f = net->features(x);
    features.push_back(f.cpu());
    predicted.push_back(net->out->forward(f).argmax(1).cpu());
  }
  net->train(was_training);
  return {torch::cat(features), torch::cat(predicted)};
}

}  // namespace styleforge::trainer
