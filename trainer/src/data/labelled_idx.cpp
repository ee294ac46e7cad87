#include "data/labelled_idx.h"

#include <torch/torch.h>

#include <algorithm>

#include "data/idx.h"

namespace styleforge::trainer {

Result<LabelledImages> open_labelled_idx(const std::string& images_path, const std::string& labels_path,
                                         int64_t max_count, int classes) {
  using R = Result<LabelledImages>;
  Result<IdxImages> idx = read_idx_images(images_path);
  if (!idx.ok()) return R::failure(idx.error);
  const int64_t n = max_count > 0 ? std::min(max_count, idx.value.count) : idx.value.count;
  LabelledImages out;
  out.images = torch::from_blob(idx.value.pixels.data(), {n, idx.value.rows, idx.value.columns, idx.value.channels},
                                torch::kUInt8)
                   .permute({0, 3, 1, 2})
                   .clone(at::MemoryFormat::Contiguous);  // a copy: the idx buffer goes away
  if (labels_path.empty()) return R::success(std::move(out));
  Result<std::vector<uint8_t>> labels = read_idx_labels(labels_path);
  if (!labels.ok()) return R::failure(labels.error);
  if (static_cast<int64_t>(labels.value.size()) < n)
    return R::failure(labels_path + ": " + std::to_string(labels.value.size()) + " labels for " + std::to_string(n) +
                      " images of " + images_path);
  for (int64_t i = 0; i < n; ++i)
    if (labels.value[static_cast<size_t>(i)] >= classes)
      return R::failure(labels_path + ": label " + std::to_string(labels.value[static_cast<size_t>(i)]) + " of image " +
                        std::to_string(i) + " is not below the " + std::to_string(classes) + " classes");
  out.labels = torch::from_blob(labels.value.data(), {n}, torch::kUInt8).to(torch::kInt64);
  return R::success(std::move(out));
}

at::Tensor to_minus_one_one(const at::Tensor& images) { return images.to(torch::kFloat) / 127.5 - 1.0; }

}  // namespace styleforge::trainer
