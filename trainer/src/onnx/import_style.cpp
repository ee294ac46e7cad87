#include "onnx/import_style.h"

#include <algorithm>

#include <torch/torch.h>

#include "nets/transformer_net.h"
#include "onnx/copy_stored_weights.h"
#include "onnx/weight_reader.h"

namespace styleforge::trainer {
namespace {

// The architecture the file holds, read from its initializers and nodes.
struct StoredStyleShape {
  int width = 0, residual_blocks = 0, edge_kernel = 9;
  bool photo_skip = false;
};

StoredStyleShape shape_of(const onnx_writer::StoredWeights& stored) {
  StoredStyleShape s;
  auto conv1 = stored.weights.find("conv1.conv.weight");
  if (conv1 != stored.weights.end() && !conv1->second.shape.empty()) s.width = static_cast<int>(conv1->second.shape[0]);
  // conv1's kernel is [width, 3, k, k]; conv_out's is the same k (TransformerNetImpl::edge_kernel).
  if (conv1 != stored.weights.end() && conv1->second.shape.size() == 4)
    s.edge_kernel = static_cast<int>(conv1->second.shape[2]);
  while (stored.weights.count("res." + std::to_string(s.residual_blocks) + ".conv1.conv.weight")) ++s.residual_blocks;
  // The photo skip is the one Add that reads the graph input (export_style_onnx: conv_out + image).
  for (const auto& node : stored.nodes)
    if (node.op_type == "Add" && std::find(node.inputs.begin(), node.inputs.end(), "image") != node.inputs.end())
      s.photo_skip = true;
  return s;
}

std::string describe(int width, int blocks, bool skip, int edge_kernel) {
  // The edge kernel is named only when it is not the original 9, so messages about today's networks read as before.
  return "width " + std::to_string(width) + ", " + std::to_string(blocks) + " residual blocks, photo skip " +
         (skip ? "on" : "off") + (edge_kernel == 9 ? "" : ", edge kernel " + std::to_string(edge_kernel));
}

Status copy_weights(TransformerNetImpl& net, const onnx_writer::StoredWeights& stored, const std::string& onnx_path) {
  const StoredStyleShape s = shape_of(stored);
  if (s.width != net.width || s.residual_blocks != net.residual_blocks || s.photo_skip != net.photo_skip ||
      s.edge_kernel != net.edge_kernel)
    return Status::failure(onnx_path + " holds a network of " +
                           describe(s.width, s.residual_blocks, s.photo_skip, s.edge_kernel) + "; this run's is " +
                           describe(net.width, net.residual_blocks, net.photo_skip, net.edge_kernel) +
                           ": give the same --width, --residual-blocks, --photo-skip and --edge-kernel");
  std::vector<std::pair<std::string, torch::Tensor>> targets;
  for (const auto& p : net.named_parameters(true)) targets.emplace_back(p.key(), p.value());
  return copy_stored_weights(targets, stored, onnx_path, "this network");
}

}  // namespace

Status load_style_onnx(TransformerNetImpl& net, const std::string& onnx_path) {
  auto stored = onnx_writer::read_onnx_weights(onnx_path);
  if (!stored.ok()) return Status::failure(stored.error);
  return copy_weights(net, stored.value, onnx_path);
}

Result<std::shared_ptr<TransformerNetImpl>> read_style_onnx(const std::string& onnx_path) {
  using Net = std::shared_ptr<TransformerNetImpl>;
  auto stored = onnx_writer::read_onnx_weights(onnx_path);
  if (!stored.ok()) return Result<Net>::failure(stored.error);
  const StoredStyleShape s = shape_of(stored.value);
  if (s.width <= 0 || s.edge_kernel < 1 || s.edge_kernel % 2 == 0)
    return Result<Net>::failure(onnx_path + " holds no style network (no usable conv1.conv.weight): was it written "
                                "by `styleforge-trainer export` from a style run?");
  auto net = std::make_shared<TransformerNetImpl>(s.width, s.residual_blocks, s.photo_skip, s.edge_kernel);
  Status copied = copy_weights(*net, stored.value, onnx_path);
  if (!copied.ok()) return Result<Net>::failure(copied.error);
  return Result<Net>::success(net);
}

}  // namespace styleforge::trainer
