// An exponential moving average of a network's weights (Polyak averaging; for GANs: Yazici et al. 2019, "The
// Unusual Effectiveness of Averaging in GAN Training", and Karras et al. 2018). A GAN's generator keeps moving
// as its discriminator changes its mind, so the weights at any one step carry that step's swing (the emoji GAN's
// FD went 63 -> 110 between two checkpoints 1,300 steps apart); their average over the last ~1/(1 - decay) steps
// does not. The average is a second copy of the network, never trained itself: it is what gets sampled and shipped.
#pragma once
#include <torch/nn.h>

namespace styleforge::trainer {

// average <- decay * average + (1 - decay) * live, parameter by parameter; buffers (BatchNorm's running statistics)
// are copied from `live`, since they already are running averages of the live network's activations.
// Both modules must have the same structure (same parameter and buffer names and shapes).
void update_weight_average(torch::nn::Module& average, const torch::nn::Module& live, double decay);

// average <- live exactly (parameters and buffers): the start of an average.
void copy_weights(torch::nn::Module& average, const torch::nn::Module& live);

}  // namespace styleforge::trainer
