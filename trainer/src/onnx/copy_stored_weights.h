// Copies weights read back from a file `styleforge-trainer export` wrote (weight_reader.h) into a module's tensors,
// matched by their LibTorch names: what `style --init-from FILE.onnx` (import_style.cpp) and `latent-directions
// --run FILE.onnx` (import_generator.cpp) both need. Every name and shape is checked before anything is copied, so
// a file that does not fit leaves the module as it was.
#pragma once
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "onnx/weight_reader.h"
#include "styleforge/result.h"

namespace styleforge::trainer {

// `targets`: (name, tensor) pairs, e.g. a module's named_parameters(). `network` says in messages whose shape the
// file's weight was compared with (e.g. "this run's network").
inline Status copy_stored_weights(const std::vector<std::pair<std::string, torch::Tensor>>& targets,
                                  const onnx_writer::StoredWeights& stored, const std::string& onnx_path,
                                  const std::string& network) {
  std::vector<std::pair<torch::Tensor, const onnx_writer::StoredWeight*>> copies;
  for (const auto& [name, tensor] : targets) {
    auto found = stored.weights.find(name);
    if (found == stored.weights.end())
      return Status::failure(onnx_path + " has no weight " + name + " (was it written by styleforge-trainer export?)");
    if (found->second.shape != tensor.sizes().vec())
      return Status::failure(onnx_path + ": weight " + name + " has another shape than " + network + "'s");
    copies.emplace_back(tensor, &found->second);
  }
  torch::NoGradGuard no_grad;
  for (auto& [tensor, w] : copies) {
    torch::Tensor cpu = torch::from_blob(const_cast<float*>(w->values.data()), tensor.sizes(), torch::kFloat32);
    tensor.copy_(cpu.to(tensor.device()));
  }
  return Status::success();
}

}  // namespace styleforge::trainer
