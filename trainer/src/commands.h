// Each subcommand of styleforge-trainer is one function, defined in the file named after it.
// argv[0] is the subcommand's name; each parses its own options and prints its own --help.
// Returns a process exit code: 0 success, 1 a failure (message already printed), 2 bad usage.
#pragma once

namespace styleforge::trainer {

int run_style(int argc, char** argv);    // style.cpp:   train a fast feed-forward style network
int run_arbitrary(int argc, char** argv);  // arbitrary.cpp: one model for any painting (style predictor + transformer)
int run_gatys(int argc, char** argv);    // gatys.cpp:   optimisation-based style transfer of one image
int run_dcgan(int argc, char** argv);    // dcgan.cpp:   train a DCGAN
int run_vae(int argc, char** argv);      // vae.cpp:     train a convolutional VAE
int run_export(int argc, char** argv);   // export.cpp:  checkpoint -> ONNX + manifest entry
int run_stylize(int argc, char** argv);  // stylize.cpp: run a style checkpoint on a file or folder
int run_augment(int argc, char** argv);  // augment.cpp: style-randomised + geometric augmentation of a folder
int run_judge(int argc, char** argv);    // judge.cpp:   style/content distances with InceptionV3 (quality report)
int run_classify(int argc, char** argv);  // classify.cpp: train the classifier generator-measure measures with
int run_generator_measure(int argc, char** argv);  // generator_measure.cpp: FD, floor, class coverage of samples
int run_latent_directions(int argc, char** argv);  // latent_directions.cpp: named latent directions (sliders)

}  // namespace styleforge::trainer
