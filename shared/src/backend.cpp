// The reference backends (identity, 3x3 box blur) and run_tiled(), which drives any Backend over an image's tiles.
#include "styleforge/backend.h"

#include <algorithm>
#include <cmath>

namespace styleforge {
namespace {

std::string check_image_tensor(const Tensor& t) {
  if (t.shape.size() != 4 || t.shape[0] != 1 || t.channels() <= 0 || t.height() <= 0 || t.width() <= 0) {
    return "expected an image tensor {1,C,H,W} with C, H and W at least 1";
  }
  if (t.element_count() < 0) return "its shape needs more values than fit in 64 bits";
  if (int64_t(t.data.size()) != t.element_count()) {
    return "the tensor holds " + std::to_string(t.data.size()) + " values but its shape needs " +
           std::to_string(t.element_count());
  }
  return {};
}

class IdentityBackend final : public Backend {
 public:
  std::string name() const override { return "identity"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override {
    const std::string problem = check_image_tensor(input);
    if (!problem.empty()) return done(Result<Tensor>::failure("identity backend: " + problem));
    done(Result<Tensor>::success(input));
  }
};

class BoxBlurBackend final : public Backend {
 public:
  std::string name() const override { return "box-blur"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  void run(const Tensor& input, Done done) override {
    const std::string problem = check_image_tensor(input);
    if (!problem.empty()) return done(Result<Tensor>::failure("box-blur backend: " + problem));
    const int channels = input.channels(), height = input.height(), width = input.width();
    Tensor out;
    out.shape = input.shape;
    out.data.resize(input.data.size());
    const size_t plane = size_t(height) * size_t(width);
    for (int c = 0; c < channels; ++c) {
      const float* src = input.data.data() + size_t(c) * plane;
      float* dst = out.data.data() + size_t(c) * plane;
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
          float sum = 0.0f;
          for (int dy = -1; dy <= 1; ++dy) {
            const int yy = std::clamp(y + dy, 0, height - 1);
            for (int dx = -1; dx <= 1; ++dx) sum += src[size_t(yy) * size_t(width) + size_t(std::clamp(x + dx, 0, width - 1))];
          }
          dst[size_t(y) * size_t(width) + size_t(x)] = sum / 9.0f;
        }
      }
    }
    done(Result<Tensor>::success(std::move(out)));
  }
};

class ShiftBackend final : public Backend {
 public:
  std::string name() const override { return "shift"; }
  Status load(const ModelEntry&, const std::string&) override { return Status::success(); }
  Status set_conditioning(const std::string& input_name, const Tensor& value) override {
    if (input_name != "shift") return Status::failure("shift backend: its model has no input '" + input_name + "'");
    const std::string problem = check_conditioning(value);
    if (!problem.empty()) return Status::failure("shift backend: " + problem);
    shift_ = value.data;
    return Status::success();
  }
  void clear_conditioning() override { shift_.clear(); }
  void run(const Tensor& input, Done done) override {
    const std::string problem = check_image_tensor(input);
    if (!problem.empty()) return done(Result<Tensor>::failure("shift backend: " + problem));
    if (shift_.empty()) return done(Result<Tensor>::failure("shift backend: its conditioning input 'shift' is not set"));
    if (int64_t(shift_.size()) != input.channels())
      return done(Result<Tensor>::failure("shift backend: the shift has " + std::to_string(shift_.size()) +
                                          " values for " + std::to_string(input.channels()) + " channels"));
    Tensor out = input;
    const size_t plane = size_t(input.height()) * size_t(input.width());
    for (size_t c = 0; c < shift_.size(); ++c)
      for (size_t i = 0; i < plane; ++i) out.data[c * plane + i] += shift_[c];
    done(Result<Tensor>::success(std::move(out)));
  }

 private:
  std::vector<float> shift_;
};

// One tiled run. Owned by shared_ptrs held by run_tiled's caller frame and by each pending backend callback, so it
// lives exactly as long as an asynchronous backend may still call back.
//
// Synchronous backends call back inside backend.run(); the callback then only records that the tile is done and
// the loop in pump() moves on, so the stack does not grow per tile. Asynchronous backends call back later; the
// callback then restarts pump() itself.
class TiledRun : public std::enable_shared_from_this<TiledRun> {
 public:
  TiledRun(Backend& backend, Tensor image, const TileOptions& options, std::vector<TileRect> tiles,
           TileProgress progress, Backend::Done done)
      : backend_(backend), image_(std::move(image)), options_(options), tiles_(std::move(tiles)),
        blender_(image_.channels(), image_.width(), image_.height(), options),
        progress_(std::move(progress)), done_(std::move(done)) {}

  void pump() {
    while (!finished_) {
      if (next_ == tiles_.size()) return complete(blender_.finish());
      const size_t tile = next_;
      inside_run_ = true;
      completed_inline_ = false;
      auto self = shared_from_this();
      // The answer carries the index of the tile it was asked for, so that it can only ever count for that tile.
      backend_.run(extract_tile(image_, tiles_[tile], options_),
                   [self, tile](Result<Tensor> output) { self->on_tile(tile, std::move(output)); });
      inside_run_ = false;
      if (!completed_inline_) return;  // asynchronous: on_tile() resumes pumping when the backend answers
    }
  }

 private:
  void on_tile(size_t tile, Result<Tensor> output) {
    // Only the first answer to the tile being run counts. A backend that answers a request twice, at once or late
    // (after the run has moved on to the next tile), or after the run has finished, is ignored: its second answer
    // is for a tile that is already blended, never the next tile's.
    if (finished_ || tile != next_) return;
    const TileRect& rect = tiles_[tile];
    const std::string where = "tile " + std::to_string(next_ + 1) + " of " + std::to_string(tiles_.size());
    if (!output.ok()) return complete(Result<Tensor>::failure(where + ": " + output.error));
    const Status added = blender_.add(rect, output.value);
    if (!added.ok()) return complete(Result<Tensor>::failure(where + ": " + added.error));
    ++next_;
    if (progress_ && !progress_(int(next_), int(tiles_.size()))) return complete(Result<Tensor>::failure("cancelled"));
    if (inside_run_) {
      completed_inline_ = true;  // pump()'s loop continues
    } else {
      pump();
    }
  }

  void complete(Result<Tensor> result) {
    finished_ = true;
    Backend::Done done = std::move(done_);
    done(std::move(result));
  }

  Backend& backend_;
  const Tensor image_;
  const TileOptions options_;
  const std::vector<TileRect> tiles_;
  TileBlender blender_;
  TileProgress progress_;
  Backend::Done done_;
  size_t next_ = 0;              // index of the tile being run; it moves on when that tile's first answer comes
  bool inside_run_ = false;      // true while backend_.run() has not returned
  bool completed_inline_ = false;
  bool finished_ = false;
};

}  // namespace

Status Backend::set_conditioning(const std::string& input_name, const Tensor&) {
  return Status::failure(name() + ": this model takes one input; it has no conditioning input '" + input_name + "'");
}

std::string check_conditioning(const Tensor& value) {
  if (value.shape.size() != 2 || value.shape[0] != 1 || value.shape[1] < 1)
    return "a conditioning input must be a tensor {1, N} with N at least 1";
  if (int64_t(value.data.size()) != value.element_count())
    return "the conditioning tensor holds " + std::to_string(value.data.size()) + " values but its shape needs " +
           std::to_string(value.element_count());
  for (float v : value.data)
    if (!std::isfinite(v)) return "the conditioning tensor holds a value that is not a finite number";
  return {};
}

std::unique_ptr<Backend> make_identity_backend() { return std::make_unique<IdentityBackend>(); }
std::unique_ptr<Backend> make_box_blur_backend() { return std::make_unique<BoxBlurBackend>(); }
std::unique_ptr<Backend> make_shift_backend() { return std::make_unique<ShiftBackend>(); }

void run_tiled(Backend& backend, const Tensor& image, const TileOptions& options, TileProgress progress,
               Backend::Done done) {
  const std::string problem = check_image_tensor(image);
  if (!problem.empty()) return done(Result<Tensor>::failure("cannot run the model: " + problem));
  Result<std::vector<TileRect>> tiles = plan_tiles(image.width(), image.height(), options);
  if (!tiles.ok()) return done(Result<Tensor>::failure("cannot run the model: " + tiles.error));
  auto run = std::make_shared<TiledRun>(backend, image, options, std::move(tiles.value), std::move(progress),
                                        std::move(done));
  run->pump();
}

}  // namespace styleforge
