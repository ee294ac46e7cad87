// styleforge-trainer: dispatches to one subcommand. Each subcommand lives in its own file (see commands.h).
#include <cstdio>
#include <cstring>
#include <exception>

#include "commands.h"

namespace {

struct Subcommand {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

const Subcommand kSubcommands[] = {
    // Entries are added as each subcommand lands.
    {"style", styleforge::trainer::run_style, "train a fast style network from one style image and content photos"},
    {"arbitrary", styleforge::trainer::run_arbitrary,
     "train one model for any painting: a style predictor + a conditional style network (Ghiasi et al.)"},
    {"gatys", styleforge::trainer::run_gatys, "optimisation-based style transfer of one image (quality reference)"},
    {"dcgan", styleforge::trainer::run_dcgan, "train a DCGAN on a folder of images or an idx file"},
    {"vae", styleforge::trainer::run_vae, "train a convolutional VAE on a folder of images or an idx file"},
    {"export", styleforge::trainer::run_export, "export a trained run to ONNX + its manifest entry"},
    {"stylize", styleforge::trainer::run_stylize, "stylise an image or a folder with a trained style run"},
    {"judge", styleforge::trainer::run_judge, "style and content distances measured with InceptionV3 (the report's ruler)"},
    {"classify", styleforge::trainer::run_classify, "train a small CNN classifier (the ruler of generator-measure)"},
    {"generator-measure", styleforge::trainer::run_generator_measure,
     "FD to the test set, its floor and class coverage of generated images"},
    {"latent-directions", styleforge::trainer::run_latent_directions,
     "the latent directions that change a generator's images most, named by what they do (the app's sliders)"},
    {"augment", styleforge::trainer::run_augment, "augmented copies of a folder: random styles, flips, crops, rotations"},
};

void print_usage() {
  std::printf("styleforge-trainer %s (%s)\n\nusage: styleforge-trainer <command> [options]   (<command> --help for its options)\n\n",
              STYLEFORGE_VERSION, STYLEFORGE_COMMIT);
  for (const auto& s : kSubcommands) std::printf("  %-17s %s\n", s.name, s.summary);
}

}  // namespace

int main(int argc, char** argv) {
  // Whole lines on stdout even when it is a file: runs are logged with `> run.log 2>&1`, and a fully buffered
  // stdout was flushed every 4 KiB wherever that fell, so stderr's progress lines landed inside stdout's lines
  // ("resumed from .../checkpoi<progress line>nt.pt"; it broke a test in CI whose paths were a different length).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  for (const auto& s : kSubcommands) {
    if (std::strcmp(argv[1], s.name)) continue;
    // Subcommands report the errors they foresee themselves; this catches what LibTorch throws from deeper down
    // (e.g. a checkpoint from another LibTorch version whose optimizer state does not fit), so the trainer ends
    // with a message instead of an abort. Checkpoints are written atomically, so the last one survives.
    try {
      return s.run(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s stopped: %s\n", s.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "unknown command '%s'\n\n", argv[1]);
  print_usage();
  return 2;
}
