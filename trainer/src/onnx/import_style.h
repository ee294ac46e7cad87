// A style network's weights from an ONNX file that `export` wrote (e.g. a shipped models/<id>.onnx), so a clean
// checkout can fine-tune a shipped style without the run directory it was trained in (`style --init-from FILE.onnx`).
// float16 kernels come back widened: the network starts within float16 rounding of the one that was exported.
#pragma once
#include <memory>
#include <string>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct TransformerNetImpl;

// Copies every parameter of `net` from the file; fails, changing nothing, when the file's network differs in
// width, block count, edge kernel or photo skip (the message names both) or lacks a parameter.
Status load_style_onnx(TransformerNetImpl& net, const std::string& onnx_path);

// The network the file holds, whatever its architecture (read from the weights' shapes and the graph), with the
// file's weights: what `style --teacher FILE.onnx` distils from.
Result<std::shared_ptr<TransformerNetImpl>> read_style_onnx(const std::string& onnx_path);

}  // namespace styleforge::trainer
