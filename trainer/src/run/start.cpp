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
  add_distributed_options(p, loop.distributed);
}

namespace {

// Rank 0 (or a lone process): --resume restores options.json, then the run directory is opened and options.json
// written.
std::optional<int> open_run(OptionParser& parser, const std::string& command, LoopOptions& loop, RunDir* dir) {
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
  return std::nullopt;
}

}  // namespace

std::optional<int> take_options_of_rank_0(OptionParser& parser, const std::string& command, Distributed& group,
                                          const std::string& main_options) {
  nlohmann::json saved = nlohmann::json::parse(main_options, nullptr, /*allow_exceptions=*/false);
  if (!saved.is_object() || saved.value("command", "") != command) {
    std::fprintf(stderr, "error: %srank 0 runs '%s', not '%s'\n", group.prefix().c_str(),
                 saved.is_object() ? saved.value("command", "?").c_str() : "?", command.c_str());
    return 1;
  }
  if (Status applied = parser.apply_saved(saved); !applied.ok()) {
    std::fprintf(stderr, "error: %srank 0's options: %s\n", group.prefix().c_str(), applied.error.c_str());
    return 1;
  }
  if (auto code = parser.check_required()) return code;
  nlohmann::json mine = parser.to_json();
  mine["command"] = command;
  // Where each process keeps files and how many threads it uses may differ between machines.
  for (const char* local : {"out", "threads"}) {
    mine.erase(local);
    saved.erase(local);
  }
  if (mine != saved) {
    std::fprintf(stderr, "error: %smy options differ from rank 0's; start every rank with the same options (only "
                 "--rank differs).\nrank 0: %s\nthis rank: %s\n", group.prefix().c_str(), saved.dump().c_str(),
                 mine.dump().c_str());
    return 1;
  }
  return std::nullopt;
}

std::optional<int> join_ranks(OptionParser& parser, const std::string& command, const DistributedOptions& d,
                              std::shared_ptr<Distributed>* distributed) {
  Result<std::shared_ptr<Distributed>> group = Distributed::connect(d);
  if (!group.ok()) {
    std::fprintf(stderr, "error: %s\n", group.error.c_str());
    return 1;
  }
  *distributed = group.value;
  if (d.world_size == 1) return std::nullopt;
  nlohmann::json options = parser.to_json();
  options["command"] = command;
  std::string main_options = options.dump();  // rank 0's, received by the others
  if (Status s = group.value->broadcast_bytes(main_options, "the start (rank 0 sends its options)"); !s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.error.c_str());
    return 1;
  }
  if (d.rank > 0)
    if (auto code = take_options_of_rank_0(parser, command, *group.value, main_options)) return code;
  std::fprintf(stderr, "%sjoined %d ranks at %s:%d\n", group.value->prefix().c_str(), d.world_size,
               d.master_addr.c_str(), d.master_port);
  return std::nullopt;
}

std::optional<int> begin_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                             LoopOptions& loop, RunDir* dir, std::shared_ptr<Distributed>* distributed) {
  // Required options are checked after --resume has restored the saved ones.
  if (auto code = parser.parse(argc, argv, /*check_required=*/false)) return code;
  const DistributedOptions& d = loop.distributed;
  if (d.rank >= d.world_size) {
    std::fprintf(stderr, "styleforge-trainer %s: --rank %d must be below --world-size %d\n", command.c_str(), d.rank,
                 d.world_size);
    return 2;
  }
  if (d.rank == 0)
    if (auto code = open_run(parser, command, loop, dir)) return code;
  if (auto code = join_ranks(parser, command, d, distributed)) return code;
  if (loop.threads > 0) torch::set_num_threads(loop.threads);
  std::fprintf(stderr, "styleforge-trainer %s, options:\n%s", command.c_str(), parser.describe_values().c_str());
  return std::nullopt;
}

}  // namespace styleforge::trainer
