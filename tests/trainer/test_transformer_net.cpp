// TransformerNet's edge kernel (issue 10: cheaper networks): conv1 and conv_out take its size, the output keeps the
// input's size, and the default is the original network parameter for parameter (runs made before the option).
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "nets/transformer_net.h"

#undef CHECK  // glog's CHECK (through LibTorch) replaces Catch's; restore Catch's (as test_style_loss.cpp does)
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

using namespace styleforge::trainer;

TEST_CASE("TransformerNet edge kernel 3: 3x3 first and last convs, output the input's size", "[edge_kernel]") {
  torch::NoGradGuard no_grad;
  TransformerNet net(8, 2, true, 3);
  CHECK(net->conv1->conv->weight.sizes().vec() == std::vector<int64_t>{8, 3, 3, 3});
  CHECK(net->conv_out->conv->weight.sizes().vec() == std::vector<int64_t>{3, 8, 3, 3});
  CHECK(net->conv1->pad == 1);
  CHECK(net->conv_out->pad == 1);
  // The inner layers do not depend on it.
  CHECK(net->conv2->conv->weight.sizes().vec() == std::vector<int64_t>{16, 8, 3, 3});
  torch::Tensor x = torch::rand({2, 3, 36, 44}) * 255;
  CHECK(net->forward(x).sizes().vec() == x.sizes().vec());
  TransformerNet one(8, 1, false, 1);
  CHECK(one->conv_out->conv->weight.sizes().vec() == std::vector<int64_t>{3, 8, 1, 1});
  CHECK(one->forward(x).sizes().vec() == x.sizes().vec());
}

TEST_CASE("TransformerNet edge kernel 9 is the default and today's network, weight for weight", "[edge_kernel]") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(5);
  TransformerNet by_default(8, 2, true);
  torch::manual_seed(5);
  TransformerNet nine(8, 2, true, 9);
  CHECK(by_default->edge_kernel == 9);
  CHECK(nine->conv1->conv->weight.sizes().vec() == std::vector<int64_t>{8, 3, 9, 9});
  CHECK(nine->conv_out->conv->weight.sizes().vec() == std::vector<int64_t>{3, 8, 9, 9});
  auto a = by_default->named_parameters(), b = nine->named_parameters();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].key() == b[i].key());
    CHECK(torch::equal(a[i].value(), b[i].value()));  // same names, same initial values from the same seed
  }
  torch::Tensor x = torch::rand({1, 3, 32, 32}) * 255;
  CHECK(torch::equal(by_default->forward(x), nine->forward(x)));
  CHECK(nine->forward(x).sizes().vec() == x.sizes().vec());
}

TEST_CASE("TransformerNet refuses an even edge kernel", "[edge_kernel]") {
  CHECK_THROWS_AS(TransformerNet(8, 1, false, 4), std::invalid_argument);
  CHECK_THROWS_AS(TransformerNet(8, 1, false, 0), std::invalid_argument);
}
