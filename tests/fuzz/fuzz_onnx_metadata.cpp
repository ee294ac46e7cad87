// read_onnx_metadata() and read_style_model() on arbitrary bytes: what the web app does with any file a person
// drops on the page as a model (App::add_user_model). Seeds: tests/fuzz/corpus/onnx_metadata (tiny ModelProtos
// written by make_seeds.py: a style model with its manifest entry, one without, a generator).
//
// A refusal is fine (with a message). Accepted metadata must fit in the input (keys and values are copies of its
// bytes); an accepted style model must keep the manifest's promises (a style with NCHW image tensors, normalisation
// numbers that invert in float, tile options in range), carry the given file name and no thumbnail or card path.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "accepted_entry_checks.h"
#include "styleforge/onnx_metadata.h"

namespace {

[[noreturn]] void broken(const char* what) { fuzz_checks::broken("fuzz_onnx_metadata", what); }

void check_normalization(const styleforge::Normalization& n) { fuzz_checks::check_normalization("fuzz_onnx_metadata", n); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace styleforge;
  const auto metadata = read_onnx_metadata(data, size);
  if (metadata.ok()) {
    size_t total = 0;
    for (const MetadataProp& p : metadata.value) total += p.key.size() + p.value.size();
    if (total > size) broken("metadata larger than the file it came from");
  } else if (metadata.error.rfind("not an ONNX model: ", 0) != 0) {
    broken("a refusal that does not start with 'not an ONNX model: '");
  }
  const auto model = read_style_model(data, size, "fuzz.onnx");
  if (!model.ok()) {
    if (model.error.empty()) broken("a refusal without a message");
    if (metadata.ok() == false && model.error.find("is not an ONNX model") == std::string::npos)
      broken("bytes the reader refused were not called 'not an ONNX model'");
    return 0;
  }
  if (!metadata.ok()) broken("a style model from bytes the metadata reader refused");
  const ModelEntry& e = model.value;
  if (e.kind != ModelKind::Style) broken("accepted a model that is not a style");
  if (e.input.layout != "NCHW" || e.output.layout != "NCHW") broken("a style whose tensors are not NCHW");
  if (e.input.name.empty() || e.output.name.empty()) broken("a style without tensor names");
  if (e.max_tile < 1 || e.size_multiple < 1 || e.max_tile < e.size_multiple) broken("tile options out of range");
  if (e.file != "fuzz.onnx" || !e.thumbnail.empty() || !e.card.empty()) broken("file, thumbnail or card not as documented");
  check_normalization(e.input.normalization);
  check_normalization(e.output.normalization);
  return 0;
}
