#include "run/distributed.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <exception>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "run/fail.h"

namespace styleforge::trainer {

class ProcessGroupHandle {
 public:
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  long parsed = std::strtol(v, &end, 10);
  return (*end == '\0' && parsed >= 0 && parsed <= 1 << 20) ? static_cast<int>(parsed) : fallback;
}

std::string env_string(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// What a collective that threw means for the person running it.
std::string lost_ranks(const std::string& prefix, const std::string& what, const std::exception& e, bool resumable) {
  return prefix + "lost the other ranks during " + what + " (" + first_line(e.what()) +
         "): a rank stopped or the network dropped; start all ranks again" + (resumable ? " with --resume" : "");
}

}  // namespace

void add_distributed_options(OptionParser& p, DistributedOptions& o) {
  o.world_size = std::max(1, env_int("WORLD_SIZE", o.world_size));
  o.rank = env_int("RANK", o.rank);
  o.master_addr = env_string("MASTER_ADDR", o.master_addr);
  o.master_port = env_int("MASTER_PORT", o.master_port);
  p.add_int("world-size", &o.world_size, "processes training together (data parallel; env WORLD_SIZE)", 1, 4096);
  p.add_int("rank", &o.rank, "this process's number, 0..world-size-1; rank 0 writes the run (env RANK)", 0, 4095);
  p.add_string("master-addr", &o.master_addr, "host of rank 0, where the others connect (env MASTER_ADDR)");
  p.add_int("master-port", &o.master_port, "TCP port rank 0 listens on (env MASTER_PORT)", 1, 65535);
  p.add_int("dist-timeout", &o.timeout_s, "seconds to wait for the other ranks before giving up", 1, 86400);
  for (const char* name : {"world-size", "rank", "master-addr", "master-port", "dist-timeout"}) p.not_saved(name);
}

Distributed::~Distributed() = default;

std::string Distributed::prefix() const {
  return world_size_ > 1 ? "rank " + std::to_string(rank_) + " of " + std::to_string(world_size_) + ": " : "";
}

Result<std::shared_ptr<Distributed>> Distributed::connect(const DistributedOptions& o) {
  using R = Result<std::shared_ptr<Distributed>>;
  auto d = std::make_shared<Distributed>();
  d->world_size_ = o.world_size;
  d->rank_ = o.rank;
  if (o.rank >= o.world_size)
    return R::failure("--rank " + std::to_string(o.rank) + " is not below --world-size " + std::to_string(o.world_size));
  if (o.world_size == 1) return R::success(d);
  const auto timeout = std::chrono::seconds(o.timeout_s);
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<uint16_t>(o.master_port);
    store_options.isServer = o.rank == 0;
    store_options.numWorkers = o.world_size;
    store_options.waitWorkers = true;
    store_options.timeout = timeout;
    auto handle = std::make_unique<ProcessGroupHandle>();
    handle->store = c10::make_intrusive<c10d::TCPStore>(o.master_addr, store_options);
    auto options = c10d::ProcessGroupGloo::Options::create();
    options->timeout = timeout;
    // Loopback runs (tests, one machine) stay on 127.0.0.1; across machines Gloo takes GLOO_SOCKET_IFNAME if set,
    // else the interface of this host's name, as PyTorch does.
    const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
    if (interface && *interface)
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    else if (o.master_addr == "localhost" || o.master_addr.rfind("127.", 0) == 0)
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    handle->group = c10::make_intrusive<c10d::ProcessGroupGloo>(handle->store, o.rank, o.world_size, options);
    d->group_ = std::move(handle);
  } catch (const std::exception& e) {
    return R::failure(d->prefix() + "cannot join the group at " + o.master_addr + ":" + std::to_string(o.master_port) +
                      " within " + std::to_string(o.timeout_s) + " s (" + first_line(e.what()) +
                      "); start every rank with the same --world-size, --master-addr and --master-port, rank 0 on "
                      "that host, and check the port is free and reachable");
  }
  return R::success(d);
}

Status Distributed::all_reduce_sum(const std::vector<torch::Tensor>& tensors, const std::string& what) {
  if (!group_ || tensors.empty()) return Status::success();
  try {
    std::vector<torch::Tensor> flat{torch::cat([&] {
      std::vector<torch::Tensor> parts;
      for (const auto& t : tensors) parts.push_back(t.detach().to(torch::kCPU, torch::kFloat).reshape(-1));
      return parts;
    }())};
    group_->group->allreduce(flat)->wait();
    int64_t offset = 0;
    for (const auto& t : tensors) {
      const int64_t n = t.numel();
      torch::NoGradGuard no_grad;
      t.copy_(flat[0].slice(0, offset, offset + n).view(t.sizes()));
      offset += n;
    }
  } catch (const std::exception& e) {
    return Status::failure(lost_ranks(prefix(), what, e, true));
  }
  return Status::success();
}

Status Distributed::all_reduce_gradients(const std::vector<torch::Tensor>& parameters, const std::string& what) {
  if (!group_) return Status::success();
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    grads.push_back(p.grad());
  }
  return all_reduce_sum(grads, what);
}

Result<std::vector<double>> Distributed::sum_values(const std::vector<double>& values, const std::string& what) {
  using R = Result<std::vector<double>>;
  if (!group_) return R::success(values);
  torch::Tensor t = torch::tensor(values, torch::kDouble);
  try {
    std::vector<torch::Tensor> tensors{t};
    group_->group->allreduce(tensors)->wait();
  } catch (const std::exception& e) {
    return R::failure(lost_ranks(prefix(), what, e, true));
  }
  return R::success(std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel()));
}

Status Distributed::broadcast_bytes(std::string& bytes, const std::string& what) {
  if (!group_) return Status::success();
  try {
    std::vector<torch::Tensor> size{torch::tensor({static_cast<int64_t>(bytes.size())})};
    group_->group->broadcast(size)->wait();
    const int64_t n = size[0].item<int64_t>();
    std::vector<torch::Tensor> data{torch::empty({std::max<int64_t>(n, 1)}, torch::kUInt8)};
    if (is_main()) std::memcpy(data[0].data_ptr<uint8_t>(), bytes.data(), bytes.size());
    group_->group->broadcast(data)->wait();
    if (!is_main()) bytes.assign(reinterpret_cast<const char*>(data[0].data_ptr<uint8_t>()), static_cast<size_t>(n));
  } catch (const std::exception& e) {
    return Status::failure(lost_ranks(prefix(), what, e, false));
  }
  return Status::success();
}

Status Distributed::share_state(const std::vector<CheckpointPart>& parts, int64_t& step, const torch::Device& device) {
  if (!group_) return Status::success();
  std::string bytes;
  if (is_main()) {
    Result<std::string> state = checkpoint_bytes(step, parts);
    if (!state.ok()) return Status::failure(state.error);
    bytes = std::move(state.value);
  }
  if (Status s = broadcast_bytes(bytes, "the start (rank 0 sends its weights)"); !s.ok()) return s;
  if (is_main()) return Status::success();
  Result<int64_t> loaded = load_checkpoint_bytes(bytes, prefix() + "rank 0's training state", parts, device);
  if (!loaded.ok()) return Status::failure(loaded.error);
  step = loaded.value;
  return Status::success();
}

Result<BatchSlice> batch_slice(int global_batch, const Distributed& d) {
  const int world = d.world_size(), rank = d.rank();
  if (global_batch < world)
    return Result<BatchSlice>::failure("--batch-size " + std::to_string(global_batch) + " is smaller than --world-size " +
                                       std::to_string(world) + ": every rank needs at least one image per step");
  const int base = global_batch / world, extra = global_batch % world;
  BatchSlice slice;
  slice.first = rank * base + std::min(rank, extra);
  slice.count = base + (rank < extra ? 1 : 0);
  return Result<BatchSlice>::success(slice);
}

uint64_t sample_seed(uint64_t run_seed, int64_t step, int64_t index, uint64_t stream) {
  // splitmix64 over the four numbers: nearby steps and positions give unrelated seeds.
  auto mix = [](uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  return mix(mix(mix(mix(run_seed) ^ static_cast<uint64_t>(step)) ^ static_cast<uint64_t>(index)) ^ stream);
}

torch::Tensor per_sample_normal(uint64_t run_seed, int64_t step, const BatchSlice& slice, int64_t dims,
                                uint64_t stream) {
  std::vector<torch::Tensor> rows;
  for (int i = 0; i < slice.count; ++i) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(sample_seed(run_seed, step, slice.first + i, stream));
    rows.push_back(torch::randn({1, dims}, generator));
  }
  return torch::cat(rows);
}

}  // namespace styleforge::trainer
