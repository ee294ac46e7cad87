// The arbitrary-style networks (trainer/src/nets/conditional_transformer_net.h, style_predictor.h): the conditional
// transformer is TransformerNet when its code gives each norm the scale and shift TransformerNet's affine norms
// hold; a batch of codes paints each image with its own; the predictor's statistics do not depend on batch company.
// The AdaIN family (nets/adain_net.h): AdaIN gives features exactly the code's statistics; only the decoder trains.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "loss/loss_network.h"
#include "nets/adain_net.h"
#include "nets/conditional_transformer_net.h"
#include "nets/style_predictor.h"
#include "nets/transformer_net.h"

#undef CHECK  // glog's CHECK (through LibTorch) replaces Catch's; restore Catch's (as test_style_loss.cpp does)
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

using namespace styleforge::trainer;

namespace {

// TransformerNet's instance norms in ConditionalTransformerNet's order (norm_channels()).
std::vector<torch::nn::InstanceNorm2dImpl*> norms_in_order(TransformerNetImpl& net) {
  std::vector<torch::nn::InstanceNorm2dImpl*> norms{net.in1.get(), net.in2.get(), net.in3.get()};
  for (const auto& item : *net.res) {
    auto* block = item->as<ResidualBlockImpl>();
    norms.push_back(block->in1.get());
    norms.push_back(block->in2.get());
  }
  norms.push_back(net.in4.get());
  norms.push_back(net.in5.get());
  return norms;
}

}  // namespace

TEST_CASE("Conditional transformer equals TransformerNet for the code that gives its norms' scales and shifts",
          "[arbitrary]") {
  torch::manual_seed(3);
  TransformerNet plain(8, 2, true);
  ConditionalTransformerNet conditional(8, 2, true, 4);
  torch::NoGradGuard no_grad;
  for (auto& p : plain->named_parameters()) p.value().add_(torch::randn_like(p.value()) * 0.3);
  // Same convolutions: every parameter but the norms' has the same name in both.
  auto target = conditional->named_parameters();
  for (auto& p : plain->named_parameters())
    if (target.contains(p.key())) target[p.key()].copy_(p.value());
  // norm_params: weight 0, bias = [every scale, every shift] of plain's norms, so any code gives exactly them.
  std::vector<torch::Tensor> scales, shifts;
  for (auto* n : norms_in_order(*plain)) {
    scales.push_back(n->weight);
    shifts.push_back(n->bias);
  }
  conditional->norm_params->weight.zero_();
  conditional->norm_params->bias.copy_(torch::cat({torch::cat(scales), torch::cat(shifts)}));

  const torch::Tensor x = torch::rand({2, 3, 32, 40}) * 255;
  const torch::Tensor expected = plain->forward(x);
  const torch::Tensor got = conditional->forward(x, torch::randn({1, 4}));
  const double diff = (got - expected).abs().max().item<double>();
  INFO("max |conditional - plain| = " << diff << " (outputs up to " << expected.abs().max().item<double>() << ")");
  CHECK(diff < 1e-3);

  // With a code that matters, two codes paint differently and a batch of codes paints each image with its own.
  conditional->norm_params->weight.normal_(0, 0.2);
  const torch::Tensor codes = torch::randn({2, 4});
  const torch::Tensor both = conditional->forward(x, codes);
  const torch::Tensor first = conditional->forward(x.narrow(0, 0, 1), codes.narrow(0, 0, 1));
  const torch::Tensor second = conditional->forward(x.narrow(0, 1, 1), codes.narrow(0, 1, 1));
  CHECK((both.narrow(0, 0, 1) - first).abs().max().item<double>() < 1e-3);
  CHECK((both.narrow(0, 1, 1) - second).abs().max().item<double>() < 1e-3);
  const torch::Tensor other = conditional->forward(x.narrow(0, 0, 1), codes.narrow(0, 1, 1));
  CHECK((other - first).abs().mean().item<double>() > 1.0);
  CHECK_THROWS(conditional->forward(x, torch::randn({3, 4})));  // 3 codes for 2 images
}

TEST_CASE("Style predictor: per-image statistics, a code per painting", "[arbitrary]") {
  torch::manual_seed(4);
  StylePredictor predictor(default_mobilenet_dir(), 10, 16);
  torch::NoGradGuard no_grad;
  const torch::Tensor paintings = torch::rand({2, 3, 64, 64}) * 255;
  const torch::Tensor together = predictor->forward(paintings);
  REQUIRE(together.sizes() == torch::IntArrayRef({2, 10}));
  CHECK(predictor->features == 2 * (32 + 144 + 192 + 384));
  const torch::Tensor alone = predictor->forward(paintings.narrow(0, 1, 1));
  CHECK((together.narrow(0, 1, 1) - alone).abs().max().item<double>() < 1e-4);
  CHECK((together[0] - together[1]).abs().max().item<double>() > 1e-4);
  // Only the MLP trains: the trunk's weights are buffers, not parameters.
  for (const auto& p : predictor->named_parameters()) CHECK(p.key().rfind("fc", 0) == 0);
}

TEST_CASE("AdaIN: features take the code's statistics; the code is the painting's; only the decoder trains",
          "[arbitrary]") {
  torch::manual_seed(5);
  torch::NoGradGuard no_grad;
  // Any features, any target statistics (stds > 0): the result has exactly those means and stds per image.
  const torch::Tensor features = torch::randn({2, 6, 9, 7}) * 3 + 1;
  const torch::Tensor target = torch::cat({torch::randn({2, 6}) * 2, torch::rand({2, 6}) * 4 + 0.1}, 1);
  const torch::Tensor moved = adaptive_instance_norm(features, target);
  CHECK((channel_statistics(moved) - target).abs().max().item<double>() < 1e-3);
  // Shape and layout are kept: each image's spatial pattern, up to a per-channel affine map, is unchanged.
  CHECK(torch::allclose(adaptive_instance_norm(features, channel_statistics(features)), features, 1e-4, 1e-3));
  CHECK_THROWS(adaptive_instance_norm(features, torch::randn({2, 5})));

  AdainNet net(default_mobilenet_dir(), 4, 1, true);
  CHECK(net->code_size == 2 * 144);  // block_3_expand_relu's channels, [means, stds]
  const torch::Tensor paintings = torch::rand({2, 3, 64, 64}) * 255;
  const torch::Tensor codes = net->code(paintings);
  REQUIRE(codes.sizes() == torch::IntArrayRef({2, 288}));
  CHECK((codes[0] - codes[1]).abs().max().item<double>() > 1e-3);
  const torch::Tensor photo = torch::rand({1, 3, 32, 48}) * 255;
  const torch::Tensor painted = net->forward(photo, codes.narrow(0, 0, 1));
  CHECK(painted.sizes() == photo.sizes());
  CHECK((net->forward(photo, codes.narrow(0, 1, 1)) - painted).abs().max().item<double>() > 1e-3);
  // The encoder is frozen: its weights are buffers; the parameters are the decoder's.
  for (const auto& p : net->named_parameters()) CHECK(p.key().rfind("encoder", 0) != 0);
  CHECK(!net->named_parameters().is_empty());
}
