// The TransformerNet a style run trained, rebuilt from what it left: options.json (width, blocks, photo skip, edge
// kernel, each with the meaning an absent key had before the option existed) and its weights. One place for what
// `export`, `stylize`/`augment` (libtorch_backend.cpp) and `style --teacher` all need.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct TransformerNetImpl;

// The architecture options.json describes (random weights). Throws std::exception when its values make no network.
std::shared_ptr<TransformerNetImpl> transformer_net_for_run(const nlohmann::json& options);

// A trained style network in eval mode on `device`, from a style run directory (model.pt or checkpoint.pt, as
// run_weights_file picks) or from a style model exported to ONNX (a path ending in .onnx, e.g. a shipped
// models/<id>.onnx). Errors name the path.
Result<std::shared_ptr<TransformerNetImpl>> load_style_network(const std::string& path, const torch::Device& device);

}  // namespace styleforge::trainer
