// The part of run() both LibTorch Backends share (a style run's TransformerNet, an arbitrary run's conditional one):
// check the {1,3,H,W} input, run the network without gradients on the backend's device, hand back the output as a
// shared-layer Tensor, errors as the Backend contract asks (done called once, with a message).
#pragma once
#include <torch/torch.h>

#include <functional>

#include "styleforge/backend.h"

namespace styleforge::trainer {

void run_image_network(const Tensor& input, const torch::Device& device,
                       const std::function<torch::Tensor(const torch::Tensor&)>& forward, Backend::Done done);

}  // namespace styleforge::trainer
