// What the dcgan command's --ema, --condition projection and --class-weight rest on (trainer/src/run/weight_average.h,
// trainer/src/nets/dcgan.h), on the real networks: the average moves by exactly (1 - decay) of the gap each update,
// recalibration gives it the batch-norm statistics of its own activations; the projection discriminator's logit
// depends on the class through its embedding only, and the class's gradient reaches that embedding; the auxiliary
// classifier reads the class from the image alone and learns it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "nets/dcgan.h"
#include "run/weight_average.h"

// LibTorch pulls in glog, whose CHECK replaces Catch's: restore Catch's (as test_style_loss.cpp does).
#undef CHECK
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

using namespace styleforge::trainer;

namespace {

double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
  double worst = 0;
  auto pb = b.named_parameters();
  for (const auto& item : a.named_parameters())
    worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
  return worst;
}

}  // namespace

TEST_CASE("update_weight_average moves each weight (1 - decay) of the way and leaves the statistics alone") {
  torch::manual_seed(1);
  Generator live(8, 32, 4, 3, GanUpsample::Resize), average(8, 32, 4, 3, GanUpsample::Resize);
  dcgan_init(*live);
  copy_weights(*average, *live);
  CHECK(max_difference(*average, *live) == 0.0);

  // One training-like change of the live network: its weights move and a forward pass in train mode moves
  // BatchNorm's running statistics.
  torch::Tensor before = average->fc->weight.clone();
  {
    torch::NoGradGuard no_grad;
    for (auto& p : live->parameters()) p.add_(torch::randn_like(p));
  }
  live->forward(torch::randn({5, 8}), torch::one_hot(torch::tensor({0, 1, 2, 0, 1}), 3).to(torch::kFloat));
  update_weight_average(*average, *live, 0.9);
  torch::Tensor expected = 0.9 * before + 0.1 * live->fc->weight;
  CHECK(torch::allclose(average->fc->weight, expected, 1e-6, 1e-6));
  CHECK(max_difference(*average, *live) > 0.1);  // still mostly the old weights
  CHECK(live->bn0->running_mean.abs().sum().item<double>() > 0);  // the live statistics moved ...
  CHECK(average->bn0->running_mean.abs().sum().item<double>() == 0);  // ... the average's did not follow

  // decay 0 is a copy; networks of different shapes are refused, not blended.
  update_weight_average(*average, *live, 0.0);
  CHECK(max_difference(*average, *live) == 0.0);
  Generator other(8, 32, 8, 3, GanUpsample::Resize);
  CHECK_THROWS(update_weight_average(*other, *live, 0.5));
}

TEST_CASE("recalibrate_batch_norm sets each BatchNorm's statistics to the plain average over the batches given") {
  torch::manual_seed(3);
  Generator net(8, 32, 4, 0, GanUpsample::Transposed);
  dcgan_init(*net);
  net->eval();
  std::vector<torch::Tensor> zs{torch::randn({6, 8}), torch::randn({6, 8}) * 2 + 1};
  recalibrate_batch_norm(*net, 2, [&](int batch) { net->forward(zs[batch]); });

  // bn0 normalises fc's output: its running mean must be that output's mean over both batches (equal sizes), and
  // its running variance the mean of the two batches' unbiased variances, as a cumulative average gives.
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> means, variances;
  for (const auto& z : zs) {
    torch::Tensor pre = net->fc->forward(z).view({-1, net->c0, net->base, net->base});
    means.push_back(pre.mean({0, 2, 3}));
    variances.push_back(pre.var({0, 2, 3}, /*unbiased=*/true));
  }
  CHECK(torch::allclose(net->bn0->running_mean, (means[0] + means[1]) / 2, 1e-5, 1e-5));
  CHECK(torch::allclose(net->bn0->running_var, (variances[0] + variances[1]) / 2, 1e-4, 1e-4));
  // The network is back as it was: in eval mode, with the usual momentum for training.
  CHECK(!net->is_training());
  CHECK(!net->bn0->is_training());
  REQUIRE(net->bn0->options.momentum().has_value());
  CHECK(*net->bn0->options.momentum() == Approx(0.1));
}

TEST_CASE("the projection discriminator takes the class through its embedding of the last features") {
  torch::manual_seed(2);
  Discriminator planes(32, 4, 3, GanCondition::Planes), projection(32, 4, 3, GanCondition::Projection);
  dcgan_init(*projection);
  // Planes: 3 + 3 input channels and no embedding; projection: the image's 3 channels, embedding [c, classes].
  CHECK(planes->downs[0]->weight.size(1) == 6);
  CHECK(planes->embed.is_empty());
  REQUIRE(!projection->embed.is_empty());
  CHECK(projection->downs[0]->weight.size(1) == 3);
  CHECK(projection->embed->weight.size(1) == 3);

  projection->eval();
  torch::Tensor images = torch::rand({2, 3, 32, 32}) * 2 - 1;
  torch::Tensor class0 = torch::one_hot(torch::tensor({0, 0}), 3).to(torch::kFloat);
  torch::Tensor class2 = torch::one_hot(torch::tensor({2, 2}), 3).to(torch::kFloat);
  torch::Tensor a = projection->forward(images, class0), b = projection->forward(images, class2);
  CHECK(a.sizes() == torch::IntArrayRef({2, 1}));
  CHECK((a - b).abs().max().item<double>() > 1e-4);  // the class changes the verdict
  {
    torch::NoGradGuard no_grad;
    projection->embed->weight.zero_();
  }
  CHECK(torch::allclose(projection->forward(images, class0), projection->forward(images, class2)));

  // The gradient of a logit reaches the embedding's column of that class only.
  projection->zero_grad();
  projection->forward(images, class2).sum().backward();
  torch::Tensor grad = projection->embed->weight.grad();
  CHECK(grad.select(1, 2).abs().sum().item<double>() > 0);
  CHECK(grad.select(1, 0).abs().sum().item<double>() == 0);
  CHECK_THROWS(projection->forward(images, torch::Tensor()));  // a class-conditional model needs its class
}

TEST_CASE("the auxiliary classifier reads the class from the image alone and learns it from real images") {
  torch::manual_seed(3);
  CHECK_THROWS(Discriminator(32, 4, 3, GanCondition::Planes, true));  // planes show it the class: no auxiliary head
  CHECK_THROWS(Discriminator(32, 4, 0, GanCondition::Projection, true));
  Discriminator plain(32, 4, 3, GanCondition::Projection);
  CHECK(plain->aux.is_empty());
  CHECK_THROWS(plain->forward_with_classes(torch::zeros({1, 3, 32, 32}), torch::ones({1, 3}) / 3));

  Discriminator d(32, 4, 2, GanCondition::Projection, true);
  dcgan_init(*d);
  REQUIRE(!d->aux.is_empty());
  // Two classes of picture: reddish and bluish, with noise, so the head must read colour out of the features.
  auto pictures = [](int64_t n) {
    torch::Tensor labels = torch::arange(n) % 2;
    torch::Tensor red = torch::tensor({0.6f, -0.6f, -0.6f}).view({1, 3, 1, 1});
    torch::Tensor colour = torch::where(labels.view({n, 1, 1, 1}) == 0, red, red.flip(1));
    return std::pair{colour + 0.5 * torch::randn({n, 3, 32, 32}), labels};
  };
  auto [images, labels] = pictures(16);
  torch::Tensor one_hot = torch::one_hot(labels, 2).to(torch::kFloat);
  d->eval();
  auto [logit, class_logits] = d->forward_with_classes(images, one_hot);
  CHECK(class_logits.sizes() == torch::IntArrayRef({16, 2}));
  CHECK(torch::allclose(logit, d->forward(images, one_hot)));  // the same verdict as forward
  // The class given does not reach the head: the same images with every class swapped, the same class logits.
  CHECK(torch::allclose(class_logits, d->forward_with_classes(images, 1 - one_hot).second));

  // Trained on its cross-entropy alone (what --class-weight adds to the discriminator's loss), it learns the class.
  d->train();
  torch::optim::Adam adam(d->parameters(), torch::optim::AdamOptions(1e-2));
  auto cross_entropy = [&](const torch::Tensor& x, const torch::Tensor& y) {
    return torch::nll_loss(torch::log_softmax(d->forward_with_classes(x, torch::one_hot(y, 2).to(torch::kFloat)).second, 1), y);
  };
  const double before = cross_entropy(images, labels).item<double>();
  for (int step = 0; step < 40; ++step) {
    auto [x, y] = pictures(16);
    adam.zero_grad();
    cross_entropy(x, y).backward();
    adam.step();
  }
  d->eval();
  auto [test_images, test_labels] = pictures(32);
  torch::NoGradGuard no_grad;
  torch::Tensor guessed = d->forward_with_classes(test_images, torch::one_hot(test_labels, 2).to(torch::kFloat)).second.argmax(1);
  CHECK(guessed.eq(test_labels).to(torch::kFloat).mean().item<double>() > 0.9);
  CHECK(cross_entropy(images, labels).item<double>() < 0.5 * before);
}
