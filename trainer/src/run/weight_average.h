// An exponential moving average of a network's weights (Polyak averaging; for GANs: Yazici et al. 2019, "The
// Unusual Effectiveness of Averaging in GAN Training", and Karras et al. 2018). A GAN's generator keeps moving
// as its discriminator changes its mind, so the weights at any one step carry that step's swing (the emoji GAN's
// FD went 63 -> 110 between two checkpoints 1,300 steps apart); their average over the last ~1/(1 - decay) steps
// does not. The average is a second copy of the network, never trained itself: it is what gets sampled and shipped.
#pragma once
#include <functional>

#include <torch/nn.h>

namespace styleforge::trainer {

// average <- decay * average + (1 - decay) * live, parameter by parameter. Buffers (BatchNorm's running
// statistics) are left alone: the live network's statistics do not fit averaged weights (averaging shrinks the
// weights' spread, so the live statistics wash the average's pictures out); recalibrate_batch_norm gives the
// average its own before it is used. Both modules must have the same structure (names and shapes).
void update_weight_average(torch::nn::Module& average, const torch::nn::Module& live, double decay);

// average <- live exactly, parameters and buffers: the start of an average.
void copy_weights(torch::nn::Module& average, const torch::nn::Module& live);

// Re-estimates the running mean and variance of every BatchNorm2d in `net` as the plain average over `batches`
// forward passes in training mode (forward_batch(i) runs batch i through `net`; no gradients are kept), then puts
// the network back in the mode it was in. What BigGAN calls "standing statistics".
void recalibrate_batch_norm(torch::nn::Module& net, int batches, const std::function<void(int batch)>& forward_batch);

}  // namespace styleforge::trainer
