// Tensors with model-supplied shapes (tests/fuzz/corpus/README.md):
//   shape D0 D1 ...   (0 to 8 dimensions; the corpus's regression inputs have 4)
// A model's output can claim any shape. This drives Tensor::element_count/channels/height/width, tensor_to_image
// (with data of the claimed size when that is small, and of a mismatched size), and run_tiled over a small image
// with a backend that answers every tile with a tensor of that shape.
// Seeds: tests/fuzz/corpus/tensor (issue 14 finding 5 and valid controls).
//
// A refusal is fine; memory errors, UB, an element count that is wrong (wrapped) or a result that contradicts the
// claimed shape are not.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "fuzz_text.h"
#include "styleforge/backend.h"

namespace {

using namespace styleforge;

constexpr int64_t kMaxFloats = int64_t(1) << 20;  // largest tensor the fuzzer itself fills

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_tensor: %s\n", what);
  std::abort();
}

// The exact product in 128 bits, or -1 for a negative dimension / a product beyond int64.
int64_t reference_count(const std::vector<int64_t>& shape) {
  if (shape.empty()) return 0;
  unsigned __int128 p = 1;
  bool zero = false;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d == 0) zero = true;
  }
  if (zero) return 0;
  for (int64_t d : shape) {
    p *= uint64_t(d);
    if (p > uint64_t(std::numeric_limits<int64_t>::max())) return -1;
  }
  return int64_t(p);
}

// Values a diverging model produces, next to ordinary ones.
void fill(std::vector<float>& data) {
  const float special[] = {0.0f, 1.0f, -1.0f, 254.6f, 255.5f, 1e30f, -1e30f,
                           std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                           std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                           std::numeric_limits<float>::max()};
  for (size_t i = 0; i < data.size(); ++i) data[i] = special[i % (sizeof special / sizeof special[0])];
}

class ShapeBackend final : public Backend {
 public:
  explicit ShapeBackend(Tensor answer) : answer_(std::move(answer)) {}
  std::string name() const override { return "shape"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor&, Done done) override { done(Result<Tensor>::success(answer_)); }

 private:
  Tensor answer_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_text::Line line;
  if (!fuzz_text::parse(data, size, 8, line) || line.operation != "shape") return 0;
  Tensor tensor;
  tensor.shape = line.numbers;
  const int64_t count = tensor.element_count();
  if (count != reference_count(tensor.shape)) broken("element_count differs from the exact product");
  for (int v : {tensor.channels(), tensor.height(), tensor.width()}) {
    if (v < 0) broken("a negative image dimension");
  }
  if (tensor.shape.size() != 4 && (tensor.channels() != 0 || tensor.height() != 0 || tensor.width() != 0)) {
    broken("image dimensions for a tensor that is not 4-D");
  }

  // Data of the claimed size when the fuzzer can hold it, and data of a size that does not match.
  std::vector<size_t> sizes;
  if (count >= 0 && count <= kMaxFloats) sizes.push_back(size_t(count));
  sizes.push_back(size_t(uint64_t(count) % 97));
  const Normalization norms[] = {Normalization{}, Normalization{1.0f, {0, 0, 0}, {1, 1, 1}},
                                 Normalization{1.0f / 255.0f, {0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}}};
  for (size_t n : sizes) {
    tensor.data.assign(n, 0.0f);
    fill(tensor.data);
    const bool matches = count >= 0 && int64_t(n) == count;
    for (const Normalization& norm : norms) {
      const Result<Image> image = tensor_to_image(tensor, norm);
      if (!image.ok()) continue;
      if (!matches) broken("tensor_to_image accepted data that does not match the shape");
      if (int64_t(image.value.width) != tensor.shape[3] || int64_t(image.value.height) != tensor.shape[2] ||
          image.value.rgba.size() != size_t(image.value.width) * size_t(image.value.height) * 4) {
        broken("tensor_to_image made an image of another size");
      }
    }
    // A model answering every tile of an 8x8 (4x4 tiles) image with this tensor.
    Tensor input;
    input.shape = {1, 3, 8, 8};
    input.data.assign(3 * 8 * 8, 0.5f);
    ShapeBackend backend(tensor);
    int calls = 0;
    for (const TileOptions& options : {TileOptions{}, TileOptions{4, 0, 4}}) {
      run_tiled(backend, input, options, nullptr, [&](Result<Tensor> result) {
        ++calls;
        if (result.ok() && (result.value.shape != input.shape || result.value.data.size() != input.data.size())) {
          broken("run_tiled produced a result of another shape");
        }
      });
    }
    if (calls != 2) broken("run_tiled did not call done exactly once");
  }
  return 0;
}
