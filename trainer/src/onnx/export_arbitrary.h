// Exporters of an `arbitrary` run (arbitrary_model.h) to two ONNX files, so the web app can compute a painting's
// style code once, keep it, mix two codes, and paint any number of photos or webcam frames with it:
//
//   style predictor   "style"      [1, 3, height, width]  RGB 0..255 (the painting, shorter side = the entry's
//                                                          style_size; any size works, the statistics are means)
//                  -> "style_code" [1, code_size]
//   transformer       "image"      [batch, 3, height, width] RGB 0..255 (sides multiples of 4)
//                     "style_code" [1, code_size]          (or [batch, code_size]: one code per image)
//                  -> "stylized"   [batch, 3, height, width] about 0..255 (clamp to show)
//
// The predictor's graph: x / 127.5 - 1, the MobileNetV2 trunk as KerasGraph interprets it (batch norm folded into
// the convolutions, ZeroPadding2D as Pad, TensorFlow "same" padding as pads or auto_pad SAME_UPPER, ReLU6 as
// Clip), per-channel ReduceMean and std (Sqrt of the mean squared deviation + 1e-5) of each statistic layer,
// Concat, Gemm + Relu + Gemm. The transformer's: TransformerNet's graph (upsampling folded into ConvTranspose as
// export_models.cpp does) with each InstanceNormalization at scale 1 and shift 0 followed by Mul and Add of its
// slice of Gemm(style_code) (the norm_params layer), reshaped to [-1, C, 1, 1].
#pragma once
#include <string>

#include "onnx/export_models.h"

namespace styleforge::trainer {

struct StylePredictorImpl;
struct ConditionalTransformerNetImpl;

Status export_style_predictor_onnx(StylePredictorImpl& net, const std::string& path, const Metadata& metadata,
                                   WeightPrecision precision = WeightPrecision::Float32);
Status export_arbitrary_transformer_onnx(ConditionalTransformerNetImpl& net, const std::string& path,
                                         const Metadata& metadata, WeightPrecision precision = WeightPrecision::Float32);

}  // namespace styleforge::trainer
