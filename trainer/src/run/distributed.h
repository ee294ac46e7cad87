// Data-parallel training across processes and machines with LibTorch's c10d and its Gloo backend (tensors over
// TCP; CUDA gradients are copied to the CPU for it: NCCL is not wired up). Every rank runs the same command; --batch-size stays the global batch and
// each rank computes its own slice of it (samples are drawn per global position, see sample_seed), so the summed
// gradients are the one-process gradient and a run can resume with another world size.
//
//   rank 0 (on host A):  styleforge-trainer vae ... --world-size 2 --rank 0 --master-addr A --master-port 29500
//   rank 1 (on host B):  styleforge-trainer vae ... --world-size 2 --rank 1 --master-addr A --master-port 29500
// or the environment variables torchrun sets: WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT.
//
// Rank 0 alone writes options.json, metrics, previews and checkpoints; it sends its weights and optimizer state to
// the others at the start (fresh or resumed), so only rank 0 needs the run directory. Any collective that fails
// (a rank died, the network dropped, --dist-timeout passed) ends every surviving rank with one message.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "run/checkpoint.h"
#include "run/options.h"
#include "styleforge/result.h"

namespace styleforge::trainer {

struct DistributedOptions {
  int world_size = 1;
  int rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  int timeout_s = 120;  // longest wait for a peer: connecting, and each collective
};

// --world-size --rank --master-addr --master-port --dist-timeout, defaulting to WORLD_SIZE, RANK, MASTER_ADDR,
// MASTER_PORT when set. None of them is saved in options.json: they describe this process, not the run.
void add_distributed_options(OptionParser& parser, DistributedOptions& options);

class ProcessGroupHandle;  // c10d's group, kept out of this header

class Distributed {
 public:
  // World size 1: no group, every collective below is a no-op. Otherwise connects to the others (rank 0 hosts the
  // store at master-addr:master-port) and fails with a message if they do not all arrive within the timeout.
  static Result<std::shared_ptr<Distributed>> connect(const DistributedOptions& options);
  ~Distributed();

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  bool is_main() const { return rank_ == 0; }
  // "rank 1 of 2: " for messages from a multi-process run, "" otherwise.
  std::string prefix() const;

  // Sums tensors (same shapes on every rank) in place, in one flat all-reduce.
  Status all_reduce_sum(const std::vector<torch::Tensor>& tensors, const std::string& what);
  // Sums every parameter's gradient across ranks (a missing gradient counts as zeros).
  Status all_reduce_gradients(const std::vector<torch::Tensor>& parameters, const std::string& what);
  // Sums numbers across ranks (each rank's share of the step's losses, a stop flag), in one all-reduce.
  Result<std::vector<double>> sum_values(const std::vector<double>& values, const std::string& what);
  // Rank 0's bytes to every rank.
  Status broadcast_bytes(std::string& bytes, const std::string& what);
  // Rank 0's modules, optimizer states and step to every rank (through the checkpoint format, in memory).
  Status share_state(const std::vector<CheckpointPart>& parts, int64_t& step, const torch::Device& device);

 private:
  int rank_ = 0, world_size_ = 1;
  std::unique_ptr<ProcessGroupHandle> group_;
};

// The first global batch position this rank computes and how many: the global batch split as evenly as possible.
struct BatchSlice {
  int first = 0, count = 0;
};
Result<BatchSlice> batch_slice(int global_batch, const Distributed& distributed);

// The seed of the random draws for global batch position `index` at `step` (which image, its crop, its noise):
// the same on every rank and with any world size. `stream` tells apart independent draws of one sample.
uint64_t sample_seed(uint64_t run_seed, int64_t step, int64_t index, uint64_t stream);
// Normal noise [count, dims] for positions first..first+count-1, each row from its own sample_seed.
torch::Tensor per_sample_normal(uint64_t run_seed, int64_t step, const BatchSlice& slice, int64_t dims,
                                uint64_t stream);

}  // namespace styleforge::trainer
