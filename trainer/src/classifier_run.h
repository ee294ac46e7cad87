// What `classify` and `generator-measure` share: where Fashion-MNIST lies (Debian's dataset-fashion-mnist), the
// classifier's geometry options, loading a trained classifier run, and running it over many images in batches.
#pragma once
#include <string>
#include <utility>

#include <torch/torch.h>

#include "nets/classifier.h"
#include "run/options.h"
#include "styleforge/result.h"

namespace styleforge::trainer {

inline const std::string kFashionDir = "/usr/share/datasets/fashion-mnist/";
inline const std::string kFashionTrainImages = kFashionDir + "train-images-idx3-ubyte.gz";
inline const std::string kFashionTrainLabels = kFashionDir + "train-labels-idx1-ubyte.gz";
inline const std::string kFashionTestImages = kFashionDir + "t10k-images-idx3-ubyte.gz";
inline const std::string kFashionTestLabels = kFashionDir + "t10k-labels-idx1-ubyte.gz";

struct ClassifierOptions {
  int classes = 10, image_size = 28, width = 16, features = 128, channels = 1;
};
void add_classifier_options(OptionParser& parser, ClassifierOptions& options);
Classifier make_classifier(const ClassifierOptions& options);

// A finished (model.pt) or interrupted (checkpoint.pt) `classify` run into *net, in eval mode on `device`.
// (A Status, not a Result<Classifier>: Result needs a default-constructible value, a module holder is not.)
Status load_classifier(const std::string& run, const torch::Device& device, Classifier* net);

struct Classified {
  torch::Tensor features;   // float [N, F] on the CPU: the penultimate activations
  torch::Tensor predicted;  // int64 [N]: arg max of the logits
};
// uint8 images [N, C, S, S] as stored (C: the net's channels); eval mode, no gradients, 500 at a time (memory stays flat for 60000).
Classified classify_images(Classifier& net, const torch::Tensor& images, const torch::Device& device);

}  // namespace styleforge::trainer
