// RunDir: the one directory a training run owns (--out DIR). Layout:
//   DIR/options.json     every option the run was started with (export and --resume read it back)
//   DIR/checkpoint.pt    modules + optimizers + step, replaced atomically (see checkpoint.h)
//   DIR/metrics.jsonl    one JSON object per logged step (see metrics.h)
//   DIR/previews/        sample grids, step-NNNNNN.png
//   DIR/model.pt         the final modules (no optimizer state) written when a run completes
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "styleforge/result.h"

namespace styleforge::trainer {

class RunDir {
 public:
  // Creates DIR and DIR/previews if missing. A new run (resume == false) refuses a directory that already holds
  // a checkpoint, so a finished run is never overwritten by accident; --resume requires one.
  static Result<RunDir> open(const std::string& path, bool resume);

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string options_file() const { return file("options.json"); }
  std::string checkpoint_file() const { return file("checkpoint.pt"); }
  std::string metrics_file() const { return file("metrics.jsonl"); }
  std::string model_file() const { return file("model.pt"); }
  std::string preview_file(int64_t step) const;

  // options.json: `options` plus {"command": ...}; written atomically.
  Status write_options(const std::string& command, const nlohmann::json& options) const;

 private:
  std::string path_;
};

// Reads DIR/options.json (or the options.json beside a checkpoint file). Errors name the file.
Result<nlohmann::json> read_run_options(const std::string& run_dir);
// The weights a run leaves: DIR/model.pt when it completed, else DIR/checkpoint.pt, and checkpoint.pt also when it is
// newer (resumed past completion, then stopped); a file path is returned as is.
// (What `export`, `stylize` and `augment` load.)
std::string run_weights_file(const std::string& run);
// An integer saved in options.json, or `fallback` when absent or not an integer.
int64_t saved_option_int(const nlohmann::json& options, const char* key, int64_t fallback);
// An on/off choice from options.json: true only when it is there and "on" (runs older than the option: off).
bool saved_option_on(const nlohmann::json& options, const char* key);

// Writes `text` to `path` through a temporary file in the same directory and a rename, so readers never see a
// half-written file and a crash leaves the old version in place.
Status write_file_atomic(const std::string& path, const std::string& text);

}  // namespace styleforge::trainer
