// parse_manifest() on arbitrary text (nlohmann::json without exceptions, then every field checked).
// Seeds: tests/fuzz/corpus/manifest (regression manifests and a trimmed models/manifest.json).
//
// A refusal is fine. A manifest that is accepted must keep the promises the app relies on: normalisation numbers
// that can be inverted in float (scale and std normal and > 0, every quotient image_to_tensor/tensor_to_image take
// finite: issue 14 finding 6), tile options within the documented ranges; and converting a small image through
// its input and output normalisation must not hit UB.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "accepted_entry_checks.h"
#include "styleforge/manifest.h"
#include "styleforge/tensor.h"

namespace {

[[noreturn]] void broken(const char* what) { fuzz_checks::broken("fuzz_manifest", what); }

void check_normalization(const styleforge::Normalization& n) { fuzz_checks::check_normalization("fuzz_manifest", n); }

styleforge::Image tiny_image() {
  styleforge::Image image;
  image.width = 2;
  image.height = 2;
  image.rgba = {0, 128, 255, 255, 255, 0, 1, 255, 17, 34, 51, 0, 200, 100, 50, 255};
  return image;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace styleforge;
  const Result<Manifest> parsed = parse_manifest(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!parsed.ok()) {
    if (parsed.error.empty()) broken("a refusal without a message");
    return 0;
  }
  const Image image = tiny_image();
  for (const ModelEntry& model : parsed.value.models) {
    if (parsed.value.find(model.id) == nullptr) broken("find() misses an accepted id");
    if (model.kind == ModelKind::Style || model.kind == ModelKind::VaeEncoder) {
      if (model.input.layout != "NCHW") broken("an image model whose input is not NCHW");
    }
    if (model.kind == ModelKind::Style) {
      if (model.max_tile < 1 || model.size_multiple < 1 || model.max_tile < model.size_multiple) {
        broken("accepted tile options outside their documented ranges");
      }
    }
    // An accepted arbitrary-style half has its partner in the manifest, of the other kind, naming it back, with
    // codes of the same size (what the app relies on when it feeds one's output to the other).
    if (model.kind == ModelKind::StylePredictor || model.kind == ModelKind::ArbitraryStyle) {
      const bool predictor = model.kind == ModelKind::StylePredictor;
      const ModelEntry* partner = parsed.value.find(predictor ? model.transformer : model.predictor);
      if (partner == nullptr || partner->code_size != model.code_size || model.code_size < 1 ||
          (predictor ? partner->predictor : partner->transformer) != model.id)
        broken("accepted an arbitrary-style half without its matching partner");
      if (predictor && model.style_size < 32) broken("accepted a style_size under 32");
      if (!predictor && model.style_input.layout != "NC") broken("accepted a style_input that is not NC");
    }
    for (const TensorSpec* spec : {&model.input, &model.output}) {
      if (spec->layout != "NCHW") continue;
      check_normalization(spec->normalization);
    }
    if (model.input.layout == "NCHW" && model.output.layout == "NCHW") {
      // The app's path for a style model: image -> input normalisation -> (identity model) -> output normalisation.
      const Tensor tensor = image_to_tensor(image, model.input.normalization);
      const Result<Image> back = tensor_to_image(tensor, model.output.normalization);
      if (!back.ok()) broken("tensor_to_image refused a tensor made with an accepted manifest's normalisation");
    }
  }
  return 0;
}
