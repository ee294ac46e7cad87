#include "run/start.h"

#include <cstdio>
#include <torch/utils.h>

namespace styleforge::trainer {

void add_loop_options(OptionParser& p, LoopOptions& loop) {
  p.add_string("out", &loop.out, "run directory: checkpoint, options.json, metrics.jsonl, previews/");
  p.require("out");
  p.add_flag("resume", &loop.resume, "continue the run in --out from its checkpoint (options default to the saved ones)");
  p.add_int64("steps", &loop.steps, "total training steps (with --resume: the new total)", 1, 100000000);
  p.add_int("batch-size", &loop.batch_size, "images per step", 1, 4096);
  p.add_float("lr", &loop.lr, "learning rate (Adam)", 1e-12, 1e12);
  p.add_int64("seed", &loop.seed, "random seed (weights, sampling, crops)", 0, INT64_MAX);
  p.add_choice("device", &loop.device, "where to train", {"auto", "cpu", "cuda"});
  p.add_int("threads", &loop.threads, "CPU threads for LibTorch, 0 = its default", 0, 1024);
  p.add_int64("log-every", &loop.log_every, "append a metrics.jsonl line every N steps", 1, 100000000);
  p.add_int64("preview-every", &loop.preview_every, "write previews/step-N.png every N steps", 1, 100000000);
  p.add_int64("checkpoint-every", &loop.checkpoint_every, "write checkpoint.pt every N steps", 1, 100000000);
}

std::optional<int> begin_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                             LoopOptions& loop, RunDir* dir) {
  // Required options are checked after --resume has restored the saved ones.
  if (auto code = parser.parse(argc, argv, /*check_required=*/false)) return code;
  if (loop.resume && loop.out.empty()) {
    std::fprintf(stderr, "styleforge-trainer %s: --resume needs --out DIR (the run to continue)\n", command.c_str());
    return 2;
  }
  if (loop.resume) {
    Result<nlohmann::json> saved = read_run_options(loop.out);
    if (!saved.ok()) {
      std::fprintf(stderr, "error: --resume: %s\n", saved.error.c_str());
      return 1;
    }
    if (saved.value.value("command", "") != command) {
      std::fprintf(stderr, "error: --resume: %s is a '%s' run, not '%s'\n", loop.out.c_str(),
                   saved.value.value("command", "?").c_str(), command.c_str());
      return 1;
    }
    Status applied = parser.apply_saved(saved.value);
    if (!applied.ok()) {
      std::fprintf(stderr, "error: --resume: %s/options.json: %s\n", loop.out.c_str(), applied.error.c_str());
      return 1;
    }
  }
  if (auto code = parser.check_required()) return code;
  Result<RunDir> opened = RunDir::open(loop.out, loop.resume);
  if (!opened.ok()) {
    std::fprintf(stderr, "error: %s\n", opened.error.c_str());
    return 1;
  }
  *dir = opened.value;
  Status written = dir->write_options(command, parser.to_json());
  if (!written.ok()) {
    std::fprintf(stderr, "error: %s\n", written.error.c_str());
    return 1;
  }
  if (loop.threads > 0) torch::set_num_threads(loop.threads);
  std::fprintf(stderr, "styleforge-trainer %s, options:\n%s", command.c_str(), parser.describe_values().c_str());
  return std::nullopt;
}

}  // namespace styleforge::trainer
