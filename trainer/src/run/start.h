// What every training subcommand shares: the loop options (steps, batch size, seed, device, run directory,
// how often to log / preview / checkpoint) and the start of a run (parse, --resume, run directory, options.json,
// print the full option set).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <memory>

#include "run/distributed.h"
#include "run/options.h"
#include "run/run_dir.h"

namespace styleforge::trainer {

// Exit code of a run stopped by SIGINT/SIGTERM after writing its checkpoint (as a shell reports Ctrl-C).
constexpr int kExitStopped = 130;

struct LoopOptions {
  std::string out;             // run directory
  bool resume = false;
  int64_t steps = 2000;
  int batch_size = 64;
  double lr = 2e-4;
  int64_t seed = 1;
  std::string device = "auto";
  int threads = 0;             // 0: LibTorch's default
  int64_t log_every = 10;      // metrics.jsonl line every N steps
  int64_t preview_every = 200;
  int64_t checkpoint_every = 500;
  DistributedOptions distributed;  // not saved in options.json (run/distributed.h)
};

// Registers --out --resume --steps --batch-size --lr --seed --device --threads --log-every --preview-every
// --checkpoint-every and the distributed options, with the struct's current values as defaults.
void add_loop_options(OptionParser& parser, LoopOptions& loop);

// Parses argv; with --resume reads the run's options.json and takes every option not given on the command line
// from it; opens the run directory (refusing to overwrite a finished run without --resume); writes options.json;
// prints the option values; applies --threads. Returns an exit code when the command must stop there.
// With --world-size > 1 it then joins the other ranks: ranks other than 0 never touch the run directory; they take
// rank 0's options (those not on their own command line) and refuse to start if any differs.
std::optional<int> begin_run(OptionParser& parser, int argc, char** argv, const std::string& command,
                             LoopOptions& loop, RunDir* dir, std::shared_ptr<Distributed>* distributed);

// Joins the group of --world-size ranks (a group of one for a lone process): rank 0 sends its options, the
// others take them (take_options_of_rank_0). Returns an exit code (message printed) when it must stop.
std::optional<int> join_ranks(OptionParser& parser, const std::string& command, const DistributedOptions& options,
                              std::shared_ptr<Distributed>* distributed);

// Ranks other than 0, after rank 0's options (JSON with "command") arrived: they fill what this rank's command line
// left out; any other difference (except --out and --threads, local to each machine) stops the run. Returns an
// exit code (message printed) when it must stop.
std::optional<int> take_options_of_rank_0(OptionParser& parser, const std::string& command, Distributed& group,
                                          const std::string& main_options);

}  // namespace styleforge::trainer
