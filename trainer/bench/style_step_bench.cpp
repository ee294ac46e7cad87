// Benchmark (not a test): one training step of the style network + MobileNetV2 perceptual loss, as `style` runs
// it (TransformerNet forward, content targets, loss, backward, Adam step), at a given size and batch.
// Prints steps/s and peak memory (VmHWM). --export-graph DIR also writes the loss network (ops + folded weights)
// and the TransformerNet's initial weights there, so bench_pytorch.py runs exactly the same computation.
// usage: styleforge_style_bench [--steps N] [--warmup N] [--size PX] [--batch N] [--width W] [--threads T]
//                               [--export-graph DIR]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "loss/mobilenet_v2.h"
#include "loss/perceptual.h"
#include "nets/transformer_net.h"

using namespace styleforge::trainer;

namespace {

// Peak resident memory of this process, from /proc/self/status (Linux); -1 when unavailable.
long vm_hwm_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// TransformerNet parameters in named_parameters() order, float32, for the PyTorch twin (same start point).
void write_parameters(TransformerNet& net, const std::string& dir) {
  std::ofstream bin(dir + "/transformer.bin", std::ios::binary | std::ios::trunc);
  std::ofstream names(dir + "/transformer.txt", std::ios::trunc);
  for (const auto& p : net->named_parameters()) {
    torch::Tensor t = p.value().detach().contiguous();
    bin.write(reinterpret_cast<const char*>(t.data_ptr<float>()), static_cast<std::streamsize>(t.numel() * 4));
    names << p.key() << " " << t.numel() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  int steps = 5, warmup = 1, size = 256, batch = 4, width = 16, threads = 0;
  std::string export_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const char* v = argv[i + 1];
    if (key == "--steps") steps = std::atoi(v);
    else if (key == "--warmup") warmup = std::atoi(v);
    else if (key == "--size") size = std::atoi(v);
    else if (key == "--batch") batch = std::atoi(v);
    else if (key == "--width") width = std::atoi(v);
    else if (key == "--threads") threads = std::atoi(v);
    else if (key == "--export-graph") export_dir = v;
    else { std::fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
  }
  if (threads > 0) torch::set_num_threads(threads);
  torch::manual_seed(1);
  try {
    auto network = std::make_shared<MobileNetV2Features>(default_mobilenet_dir());
    network->eval();
    PerceptualOptions options;  // `style`'s defaults: content 1, style 50, tv 1e-4, no smoothing
    options.style_weight = 50.0;
    options.smoothing = false;
    PerceptualLoss loss(network, options);
    TransformerNet net(width, 5);
    if (!export_dir.empty()) {
      network->write_graph(export_dir + "/mobilenet.json", export_dir + "/mobilenet.bin");
      write_parameters(net, export_dir);
    }
    torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
    loss.set_style(torch::rand({1, 3, size, size}) * 255);
    torch::Tensor content = torch::rand({batch, 3, size, size}) * 255;

    auto step = [&]() {
      adam.zero_grad();
      PerceptualTerms terms = loss.compute(net->forward(content), content);
      terms.total.backward();
      adam.step();
      return terms.total.item<double>();
    };
    for (int i = 0; i < warmup; ++i) step();
    auto start = std::chrono::steady_clock::now();
    double last = 0;
    for (int i = 0; i < steps; ++i) last = step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("libtorch-cpp: %d steps of batch %d at %dx%d, width %d, %d threads: %.3f steps/s (%.2f s/step), "
                "peak memory VmHWM %.0f MiB, last loss %.6g\n",
                steps, batch, size, size, width, torch::get_num_threads(), steps / seconds, seconds / steps,
                vm_hwm_kib() / 1024.0, last);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", std::string(e.what()).substr(0, 400).c_str());
    return 1;
  }
  return 0;
}
