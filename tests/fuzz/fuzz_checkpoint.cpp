// The trainer's checkpoint loading (load_checkpoint and resume_checkpoint, trainer/src/run/checkpoint.cpp) on a
// file of any bytes, into a tiny module with an Adam optimizer. Seeds: tests/fuzz/corpus/checkpoint (a real
// checkpoint of that module, written by this target: STYLEFORGE_WRITE_CHECKPOINT_SEED=FILE fuzz_checkpoint).
//
// The parsing itself is LibTorch's (zip container, pickle, tensor records), linked as Debian ships it: the fuzzer
// gets coverage from our code only, so it is blind inside LibTorch and finds there only what mutation stumbles on.
// A refusal is fine if it names the file. What must never happen: a crash, UB or a memory error (ASan still sees
// LibTorch's heap through its malloc), an exception escaping, or a resume that neither loads nor says why.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <torch/torch.h>

#include "fuzz_input_file.h"
#include "run/checkpoint.h"

namespace {

struct TinyImpl : torch::nn::Module {
  torch::nn::Linear fc{nullptr};
  TinyImpl() { fc = register_module("fc", torch::nn::Linear(3, 2)); }
};
TORCH_MODULE(Tiny);

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_checkpoint: %s\n", what);
  std::abort();
}

struct Model {
  Tiny net;
  torch::optim::Adam optimizer{net->parameters(), torch::optim::AdamOptions(1e-3)};
  std::vector<styleforge::trainer::CheckpointPart> parts() { return {{"net", net.ptr().get(), &optimizer}}; }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  torch::set_num_threads(1);
  if (const char* seed = std::getenv("STYLEFORGE_WRITE_CHECKPOINT_SEED")) {
    Model model;
    // One optimizer step, so the seed holds Adam's state tensors as a real checkpoint does.
    model.net->fc->forward(torch::ones({1, 3})).sum().backward();
    model.optimizer.step();
    const auto saved = styleforge::trainer::save_checkpoint(seed, 7, model.parts());
    std::fprintf(stderr, "%s: %s\n", seed, saved.ok() ? "written" : saved.error.c_str());
    std::exit(saved.ok() ? 0 : 1);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz_input_file::write("checkpoint.pt", data, size);
  Model model;
  try {
    const auto loaded = styleforge::trainer::load_checkpoint(path, model.parts(), torch::kCPU);
    if (!loaded.ok() && loaded.error.find(path) == std::string::npos) broken("a refusal that does not name the file");
    // resume_checkpoint falls back to <path>.previous, absent here: it must fail with the same message or load.
    const auto resumed = styleforge::trainer::resume_checkpoint(path, model.parts(), torch::kCPU);
    if (resumed.ok() != loaded.ok()) broken("resume_checkpoint and load_checkpoint disagree");
  } catch (...) {
    broken("an exception escaped checkpoint loading");
  }
  return 0;
}
