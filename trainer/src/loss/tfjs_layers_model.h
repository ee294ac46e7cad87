// Reads a TF.js "layers model" that is wrapped as UMD JavaScript modules, the way npm nsfwjs@4.4.0 ships its
// MobileNetV2 (dist/models/mobilenet_v2/):
//   model.min.js             `...a.exports={modelTopology:{...Keras model config...},weightsManifest:[{paths:[...],
//                            weights:[{name,shape,dtype,quantization:{min,scale,dtype:"uint8"}},...]}]}...`
//                            a JavaScript object literal (unquoted keys, !0/!1 for true/false), not JSON.
//   group1-shard1of1.min.js  `...exports="<base64>"...`: the weight bytes of one shard.
// Weights lie back to back across the shards, in manifest order, one byte per value when quantised:
// w = q * scale + min (one scale/min per tensor). float32 weights (no quantization) are 4 bytes each.
// Nothing here runs JavaScript: the literal is parsed by a small reader that accepts exactly that subset.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace styleforge::trainer {

struct TfjsLayersModel {
  nlohmann::json topology;                     // modelTopology (keras model_config inside)
  std::map<std::string, torch::Tensor> weights;  // "Conv1/kernel" -> float32 tensor in the Keras layout
};

// Loads `dir`/model.min.js and the shards it names. Throws std::runtime_error naming the file and the
// problem (missing file, no object literal, a shard shorter than the manifest says, ...).
TfjsLayersModel load_tfjs_layers_model(const std::string& dir);

// Exposed for tests: JS object literal (the subset above) -> JSON; base64 -> bytes.
nlohmann::json parse_js_literal(const std::string& text, size_t start, size_t* end = nullptr);
std::vector<uint8_t> decode_base64(const std::string& text);

}  // namespace styleforge::trainer
