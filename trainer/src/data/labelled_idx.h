// Labelled images from an idx pair (images + labels, e.g. Fashion-MNIST's train-images / train-labels), held
// whole in memory as tensors: what `classify` trains and tests on and what `generator-measure` compares with.
#pragma once
#include <cstdint>
#include <string>

#include <ATen/core/Tensor.h>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct LabelledImages {
  at::Tensor images;  // uint8 [N, C, H, W]: C 1 (grey) or 3 (RGB idx files)
  at::Tensor labels;  // int64 [N]; undefined when opened without labels
  int64_t size() const { return images.size(0); }
};

// Reads the first `max_count` images (0: all) and, when `labels_path` is not empty, as many labels, which must be
// at least as many as the images and in 0..classes-1. Errors name the file.
Result<LabelledImages> open_labelled_idx(const std::string& images_path, const std::string& labels_path,
                                         int64_t max_count, int classes);

// uint8 images -> float in -1..1 (the range of the generators' tanh outputs, and what the classifier sees).
at::Tensor to_minus_one_one(const at::Tensor& images);

}  // namespace styleforge::trainer
