// Exporters: trained LibTorch modules -> ONNX files through GraphBuilder (graph_builder.h), one function per
// model kind. Each walks the module's named members (documented in nets/*.h) and writes the same computation
// the module's forward() runs in evaluation mode. Graph inputs/outputs (batch is a free dimension everywhere):
//   style        "image"  [batch, 3, height, width] (0..255)  -> "stylized" [batch, 3, height, width]
//   gan          "latent" [batch, Z]                          -> "image"    [batch, 3, S, S] (-1..1)
//   vae-encoder  "image"  [batch, 3, S, S] (-1..1)            -> "latent"   [batch, Z] (the posterior mean)
//   vae-decoder  "latent" [batch, Z]                          -> "image"    [batch, 3, S, S] (-1..1)
// Class-conditional nets (classes K > 0) take/give Z + K latent values: z, then the class (one-hot into the gan and
// vae-decoder; class probabilities out of the vae-encoder, through Softmax and Concat).
// `metadata` lands in the file's metadata_props (kind, options, commit). WeightPrecision::Float16 stores the
// kernels (conv, transposed conv, linear: nearly all of a file's bytes) as float16, each followed by a Cast to
// float32, so files are half the size while inference still runs in float32; biases and norm parameters, a few
// hundred values, stay float32.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "styleforge/result.h"

namespace styleforge::trainer {

struct TransformerNetImpl;
struct GeneratorImpl;
struct VaeImpl;

using Metadata = std::vector<std::pair<std::string, std::string>>;
enum class WeightPrecision { Float32, Float16 };

Status export_style_onnx(TransformerNetImpl& net, const std::string& path, const Metadata& metadata,
                         WeightPrecision precision = WeightPrecision::Float32);
Status export_generator_onnx(GeneratorImpl& net, const std::string& path, const Metadata& metadata,
                             WeightPrecision precision = WeightPrecision::Float32);
Status export_vae_encoder_onnx(VaeImpl& net, const std::string& path, const Metadata& metadata,
                               WeightPrecision precision = WeightPrecision::Float32);
Status export_vae_decoder_onnx(VaeImpl& net, const std::string& path, const Metadata& metadata,
                               WeightPrecision precision = WeightPrecision::Float32);

}  // namespace styleforge::trainer
