// The MobileNetV2 port (trainer/src/loss/mobilenet_v2.cpp) against TF.js running the same nsfwjs model on the
// same input (tests/trainer/tfjs_mobilenet_features.js), plus properties of the perceptual loss terms.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "judge/style_judge.h"
#include "loss/inception_v3.h"
#include "loss/mobilenet_v2.h"
#include "loss/perceptual.h"
#include "loss/tfjs_layers_model.h"
#include "nets/transformer_net.h"

// LibTorch pulls in glog, whose CHECK replaces Catch's: a failed check would abort the whole run instead of
// being reported. Restore Catch's.
#undef CHECK
#define CHECK(...) INTERNAL_CATCH_TEST("CHECK", Catch::ResultDisposition::ContinueOnFailure, __VA_ARGS__)

namespace fs = std::filesystem;
using namespace styleforge::trainer;

namespace {

// A deterministic image with edges, gradients and texture, in [-1, 1] (the ImageNet range of the port).
// Odd sizes on purpose: they exercise the asymmetric stride-2 padding.
torch::Tensor test_image(int64_t h, int64_t w) {
  torch::manual_seed(7);
  auto y = torch::linspace(0, 1, h).view({h, 1}).expand({h, w});
  auto x = torch::linspace(0, 1, w).view({1, w}).expand({h, w});
  auto r = torch::sin(x * 17.0) * 0.6 + (y > 0.5).to(torch::kFloat) * 0.3;
  auto g = torch::cos((x + y) * 9.0) * 0.5;
  auto b = torch::rand({h, w}) * 1.2 - 0.6 + x * 0.3;
  return torch::stack({r, g, b}).unsqueeze(0).clamp(-1, 1).contiguous();  // {1,3,h,w}
}

std::string mobilenet_dir() { return default_mobilenet_dir(); }

// Runs `layers` of the TF.js model in `model_dir` on `x` (NCHW, already in the network's range) with TF.js, and
// checks `ours` (the port's outputs for the same layers) against it: float noise only.
void check_against_tfjs(const std::string& model_dir, const std::string& tag, const torch::Tensor& x,
                        const std::vector<std::string>& layers, const std::vector<torch::Tensor>& ours) {
  const int64_t h = x.size(2), w = x.size(3);
  fs::path dir = fs::temp_directory_path() / ("styleforge-" + tag + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    torch::Tensor nhwc = x.permute({0, 2, 3, 1}).contiguous();
    std::ofstream out(dir / "input.bin", std::ios::binary);
    out.write(reinterpret_cast<const char*>(nhwc.data_ptr<float>()), nhwc.numel() * sizeof(float));
  }
  std::ostringstream cmd;
  cmd << "timeout 150 node " << STYLEFORGE_TESTS_DIR << "/tfjs_mobilenet_features.js " << model_dir << " "
      << (dir / "input.bin") << " " << h << " " << w << " " << dir;
  for (const auto& l : layers) cmd << " " << l;
  INFO(cmd.str());
  REQUIRE(std::system(cmd.str().c_str()) == 0);
  nlohmann::json shapes = nlohmann::json::parse(std::ifstream(dir / "shapes.json"));
  for (size_t i = 0; i < layers.size(); ++i) {
    std::vector<int64_t> shape = shapes.at(layers[i]).get<std::vector<int64_t>>();  // NHWC
    std::ifstream in(dir / (layers[i] + ".bin"), std::ios::binary);
    std::vector<float> data(static_cast<size_t>(shape[0] * shape[1] * shape[2] * shape[3]));
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size() * sizeof(float)));
    torch::Tensor ref = torch::from_blob(data.data(), shape).permute({0, 3, 1, 2});
    INFO(layers[i] << ": ours " << ours[i].sizes() << ", tfjs " << ref.sizes());
    REQUIRE(ours[i].sizes() == ref.sizes());
    const double diff = (ours[i] - ref).abs().max().item<double>();
    const double scale = std::max(1.0, ref.abs().max().item<double>());
    INFO(layers[i] << ": max |diff| " << diff << ", max |ref| " << scale);
    // Float noise only: folding BatchNorm into the conv and a different summation order move the last bits.
    CHECK(diff / scale < 1e-4);
    std::printf("%s port %-26s shape %s max|diff| %.3g (max|ref| %.3g)\n", tag.c_str(), layers[i].c_str(),
                ((std::ostringstream() << ours[i].sizes()).str()).c_str(), diff, scale);
  }
  fs::remove_all(dir);
}

bool have(const std::string& dir) {
  if (fs::exists(dir + "/model.min.js")) return true;
  WARN("skipped: " << dir << " missing (run scripts/setup to fetch nsfwjs@4.4.0)");
  return false;
}

// A batch of smooth random "photos" (0..255) for batch-norm recalibration: blurred noise with an intensity ramp.
torch::Tensor calibration_batch(int64_t n, int64_t side) {
  torch::manual_seed(11);
  torch::Tensor x = torch::rand({n, 3, side / 8, side / 8});
  x = torch::upsample_bilinear2d(x, {side, side}, false) * 200 + torch::rand({n, 3, side, side}) * 40;
  return x.clamp(0, 255);
}

}  // namespace

TEST_CASE("MobileNetV2 port matches TF.js on the same layers and input", "[mobilenet]") {
  if (!have(mobilenet_dir())) return;
  const std::vector<std::string> layers = {"Conv1_relu", "expanded_conv_project_BN", "block_1_project_BN",
                                           "block_2_add", "block_6_expand_relu", "block_10_project_BN"};
  torch::Tensor x = test_image(90, 130);
  MobileNetV2Features net(mobilenet_dir());
  torch::NoGradGuard no_grad;
  check_against_tfjs(mobilenet_dir(), "mobilenet", x, layers, net.features_raw(x, layers));
}

TEST_CASE("InceptionV3 port (the judge's network) matches TF.js", "[inception]") {
  if (!have(default_inception_dir())) return;
  // Concatenations, "same" average pooling, valid max pooling and 1x7 / 7x1 kernels all lie before mixed5.
  const std::vector<std::string> layers = {"activation_3", "mixed0", "mixed2", "mixed4", "mixed5"};
  torch::Tensor x = (test_image(99, 131) + 1) / 2;  // nsfwjs feeds InceptionV3 [0, 1]
  InceptionV3Features net(default_inception_dir());
  torch::NoGradGuard no_grad;
  check_against_tfjs(default_inception_dir(), "inception", x, layers, net.features(x * 255, layers));
}

TEST_CASE("Batch-norm recalibration leaves no zero variance and normalises BN outputs on the photos",
          "[mobilenet][recalibration]") {
  if (!have(mobilenet_dir())) return;
  MobileNetV2Features net(mobilenet_dir());
  // The file's quantized variances: many channels decode to exactly 0 (the defect being fixed).
  const int64_t zero_before = net.zero_variance_channels();
  INFO("zero-variance channels in the file: " << zero_before);
  CHECK(zero_before > 0);
  const torch::Tensor photos = calibration_batch(6, 96);
  torch::NoGradGuard no_grad;
  const torch::Tensor before = net.features(photos, {"block_1_expand_relu"})[0];
  std::vector<BatchNormCalibration> report = net.recalibrate_batch_norm(photos);
  CHECK(net.zero_variance_channels() == 0);
  REQUIRE(report.size() > 20);
  for (const auto& c : report) {
    INFO(c.layer << ": std/|gamma| " << c.std_ratio_before << " -> " << c.std_ratio_after);
    CHECK(c.std_ratio_after == Approx(1.0).margin(0.02));  // by construction on the calibration batch
  }
  // Before: channels amplified ~31x sit at the ReLU6 clip; after: far fewer.
  const torch::Tensor after = net.features(photos, {"block_1_expand_relu"})[0];
  const double clipped_before = (before >= 6).to(torch::kFloat).mean().item<double>();
  const double clipped_after = (after >= 6).to(torch::kFloat).mean().item<double>();
  std::printf("block_1_expand_relu at the clip: %.3f -> %.3f; zero-variance channels %lld -> 0\n", clipped_before,
              clipped_after, static_cast<long long>(zero_before));
  CHECK(clipped_after < clipped_before);
}

TEST_CASE("Antialiased loss network: a 2-px checkerboard no longer reaches the first stride-2 layer", "[mobilenet]") {
  if (!have(mobilenet_dir())) return;
  MobileNetV2Features net(mobilenet_dir());
  torch::NoGradGuard no_grad;
  // Grey, and the same grey with a +-40 checkerboard of period 2 (the finest pattern a stride-2 layer folds).
  const torch::Tensor grey = torch::full({1, 3, 64, 64}, 128.0f);
  const torch::Tensor checker = (torch::arange(64).view({64, 1}) + torch::arange(64).view({1, 64})).remainder(2);
  const torch::Tensor patterned = grey + 40.0f * (2 * checker.to(torch::kFloat) - 1).expand({1, 3, 64, 64});
  // Conv1 pads only its bottom and right edges (with zeros): compare away from them.
  auto difference = [&]() {
    using namespace torch::indexing;
    const torch::Tensor a = net.features(grey, {"Conv1_relu"})[0], b = net.features(patterned, {"Conv1_relu"})[0];
    const auto inner = [](const torch::Tensor& t) { return t.index({Slice(), Slice(), Slice(0, -2), Slice(0, -2)}); };
    return (inner(a) - inner(b)).abs().max().item<double>();
  };
  const double plain = difference();
  net.set_antialias(3);
  const double blurred = difference();
  std::printf("Conv1_relu, checkerboard vs grey: max difference %.4f plain, %.6f with a 3-tap blur\n", plain, blurred);
  CHECK(plain > 0.5);     // the network as trained sees the checkerboard...
  CHECK(blurred < 1e-3);  // ...the binomial filter's response at the grid frequency is exactly 0
  net.set_antialias(0);
  CHECK(difference() == Approx(plain));
  CHECK_THROWS(net.set_antialias(4));
}

TEST_CASE("The judge on MobileNetV2: recalibrated, zero for an image against itself, larger for a changed one",
          "[judge][mobilenet]") {
  if (!have(mobilenet_dir())) return;
  CHECK_THROWS_AS(StyleJudge("vgg16", "", {"x"}, "x"), std::invalid_argument);
  const std::vector<std::string> layers = StyleJudge::default_style_layers("mobilenet_v2");
  StyleJudge judge("mobilenet_v2", "", layers, StyleJudge::default_content_layer("mobilenet_v2"),
                   calibration_batch(6, 96));
  const torch::Tensor image = (test_image(96, 128) + 1) * 127.5;
  const torch::Tensor bluer = (image * torch::tensor({0.6f, 0.8f, 1.2f}).view({1, 3, 1, 1})).clamp(0, 255);
  const JudgeDescription a = judge.describe(image), again = judge.describe(image), b = judge.describe(bluer);
  CHECK(judge.content_distance(a, again) == Approx(0.0).margin(1e-9));
  CHECK(judge.content_distance(a, b) > 0.01);
  for (const std::string& statistic : StyleJudge::statistics()) {
    const auto same = judge.style_distances(a, again, statistic), changed = judge.style_distances(b, a, statistic);
    REQUIRE(same.size() == layers.size());
    for (const std::string& layer : layers) {
      INFO(statistic << " " << layer << ": same " << same.at(layer) << ", recoloured " << changed.at(layer));
      CHECK(same.at(layer) == Approx(0.0).margin(1e-9));
      CHECK(changed.at(layer) > 1e-4);
    }
  }
}

// A small relative-Gram loss on two early layers, no smoothing or TV: quick, and every term comparable.
PerceptualOptions two_layer_relative_options() {
  PerceptualOptions o;
  o.style_layers = {"Conv1_relu", "block_3_expand_relu"};
  o.content_layer = "block_3_expand_relu";
  o.smoothing = false;
  o.relative_style = true;
  o.style_weight = 1;
  o.tv_weight = 0;
  return o;
}

TEST_CASE("Perceptual loss: relative style term and jitter", "[perceptual]") {
  if (!have(mobilenet_dir())) return;
  auto net = std::make_shared<MobileNetV2Features>(mobilenet_dir());
  PerceptualOptions o = two_layer_relative_options();
  torch::Tensor style = calibration_batch(1, 64), photo = calibration_batch(2, 64).narrow(0, 1, 1);
  PerceptualLoss loss(net, o);
  loss.set_style(style);
  torch::NoGradGuard no_grad;
  // The style image itself: no style loss; the photo as output of itself: no content loss.
  CHECK(loss.compute(style, photo).style.item<double>() < 1e-6);
  CHECK(loss.compute(photo, photo).content.item<double>() < 1e-8);
  const double other = loss.compute(photo, photo).style.item<double>();
  CHECK(other > 1e-3);
  // Relative: an output with (nearly) no activations is about one painting-Gram away per layer.
  const double black = loss.compute(torch::zeros({1, 3, 64, 64}), photo).style.item<double>();
  CHECK(black > 0.5);
  // Jitter: output and content are cropped alike, so an output equal to its content keeps content loss 0.
  o.jitter = 8;
  PerceptualLoss jittered(net, o);
  jittered.set_style(style);
  for (int i = 0; i < 4; ++i) CHECK(jittered.compute(photo, photo).content.item<double>() < 1e-8);
}

TEST_CASE("Perceptual loss at random scales compares each scale with the painting at that scale", "[perceptual]") {
  if (!have(mobilenet_dir())) return;
  auto net = std::make_shared<MobileNetV2Features>(mobilenet_dir());
  PerceptualOptions o = two_layer_relative_options();
  o.loss_scales = {1.0, 0.5};
  torch::Tensor style = calibration_batch(1, 64), photo = calibration_batch(2, 64).narrow(0, 1, 1);
  PerceptualLoss loss(net, o);
  loss.set_style(style);
  torch::NoGradGuard no_grad;
  // The painting as output is at distance 0 whichever scale is drawn (each has its own Gram target), and the
  // photo as its own output keeps content 0; the photo is far from the painting at both scales.
  std::set<double> photo_styles;
  for (int i = 0; i < 12; ++i) {
    CHECK(loss.compute(style, photo).style.item<double>() < 1e-6);
    CHECK(loss.compute(photo, photo).content.item<double>() < 1e-8);
    photo_styles.insert(std::round(loss.compute(photo, photo).style.item<double>() * 1e6));
  }
  CHECK(*photo_styles.begin() > 1e3);
  // Both scales were drawn: the photo's distance takes two different values.
  CHECK(photo_styles.size() == 2);
}

TEST_CASE("Colour term: sliced Wasserstein distance of RGB pixel distributions", "[perceptual][colour]") {
  // Pure pixel statistics, no network: the same image in another pixel order has the same colours.
  torch::manual_seed(3);
  const torch::Tensor directions = torch::cat({torch::eye(3), torch::randn({5, 3})});
  torch::Tensor a = torch::rand({1, 3, 16, 16}) * 255;
  torch::Tensor shuffled = a.reshape({1, 3, -1}).index_select(2, torch::randperm(256)).reshape({1, 3, 16, 16});
  const torch::Tensor ref = sorted_colour_projections(a, directions)[0];
  CHECK(sliced_wasserstein(sorted_colour_projections(shuffled, directions), ref).item<double>() < 1e-10);
  // A reference of another size is read at the same quantiles: a 2x nearest upscale has the same distribution.
  torch::Tensor big = a.repeat_interleave(2, 2).repeat_interleave(2, 3);
  CHECK(sliced_wasserstein(sorted_colour_projections(big, directions), ref).item<double>() < 1e-10);
  // Red channel +51 (0.2 in 0..1 units): along the red axis the distance is 0.2^2 exactly.
  torch::Tensor redder = a.clone();
  redder.narrow(1, 0, 1).add_(51);
  const torch::Tensor d = sorted_colour_projections(redder, directions.narrow(0, 0, 1));
  CHECK(sliced_wasserstein(d, sorted_colour_projections(a, directions.narrow(0, 0, 1))[0]).item<double>() ==
        Approx(0.04).epsilon(1e-4));
  // Its gradient moves a grey image's pixels towards the reference's colours.
  torch::Tensor grey = torch::full({1, 3, 16, 16}, 128.0, torch::requires_grad());
  torch::Tensor blue = torch::zeros({1, 3, 16, 16});
  blue.narrow(1, 2, 1).fill_(255);
  sliced_wasserstein(sorted_colour_projections(grey, directions), sorted_colour_projections(blue, directions)[0])
      .sum()
      .backward();
  const torch::Tensor step = -grey.grad().mean({0, 2, 3});  // descent direction per channel
  CHECK(step[2].item<double>() > 0);
  CHECK(step[0].item<double>() < 0);
  CHECK(step[1].item<double>() < 0);
}

TEST_CASE("Sliced style term: matches whole activation distributions, not just second moments", "[perceptual]") {
  // One channel, 4 positions: values {-1,-1,1,1} and {-sqrt2,0,0,sqrt2} have the same Gram matrix (mean square 1),
  // so a Gram loss cannot tell them apart; their distributions differ, and the sliced distance says by how much:
  // sorted, position by position, ((sqrt2-1)^2 + 1 + 1 + (sqrt2-1)^2) / 4.
  const double r2 = std::sqrt(2.0);
  torch::Tensor two_valued = torch::tensor({-1.0f, 1.0f, -1.0f, 1.0f}).reshape({1, 1, 2, 2});
  torch::Tensor peaky = torch::tensor({0.0f, static_cast<float>(r2), static_cast<float>(-r2), 0.0f}).reshape({1, 1, 2, 2});
  CHECK((gram_matrix(two_valued) - gram_matrix(peaky)).abs().max().item<double>() < 1e-6);
  const torch::Tensor direction = torch::ones({1, 1});
  const double expected = (2 * (r2 - 1) * (r2 - 1) + 2) / 4;
  CHECK(sliced_feature_distance(two_valued, peaky.reshape({1, -1}), direction).item<double>() ==
        Approx(expected).epsilon(1e-5));
  // Order of positions does not matter (a distribution, as a Gram matrix); a painting with more positions
  // than the output is read at the output's quantiles.
  CHECK(sliced_feature_distance(two_valued.flip({3}), two_valued.reshape({1, -1}), direction).item<double>() < 1e-12);
  CHECK(sliced_feature_distance(two_valued, two_valued.reshape({1, -1}).repeat({1, 3}), direction).item<double>() <
        1e-12);

  if (!have(mobilenet_dir())) return;
  auto net = std::make_shared<MobileNetV2Features>(mobilenet_dir());
  PerceptualOptions o = two_layer_relative_options();
  o.sliced_style = true;
  torch::Tensor style = calibration_batch(1, 64), photo = calibration_batch(2, 64).narrow(0, 1, 1);
  PerceptualLoss loss(net, o);
  loss.set_style(style);
  {
    torch::NoGradGuard no_grad;
    // The painting as output: distance 0 whatever directions are drawn; the photo: clearly more.
    for (int i = 0; i < 3; ++i) CHECK(loss.compute(style, photo).style.item<double>() < 1e-6);
    CHECK(loss.compute(photo, photo).style.item<double>() > 1e-3);
  }
  // The gradient reaches the pixels and a step along it brings the photo nearer the painting.
  torch::manual_seed(5);
  torch::Tensor x = photo.clone().requires_grad_(true);
  loss.compute(x, photo).style.backward();
  REQUIRE(x.grad().isfinite().all().item<bool>());
  REQUIRE(x.grad().abs().sum().item<double>() > 0);
  torch::NoGradGuard no_grad;
  torch::manual_seed(5);
  const double before = loss.compute(photo, photo).style.item<double>();
  torch::manual_seed(5);
  const double after = loss.compute(photo - x.grad() / x.grad().abs().max() * 2, photo).style.item<double>();
  CHECK(after < before);
}

TEST_CASE("Spectrum term: regular stripes cost, the photo's and the painting's own texture do not", "[perceptual]") {
  torch::Tensor photo = calibration_batch(2, 64).narrow(0, 1, 1);
  // Diagonal stripes of period ~5 px and amplitude 12 grey levels, as the fast networks drew them.
  torch::Tensor y = torch::arange(64).to(torch::kFloat).view({64, 1}), x = torch::arange(64).to(torch::kFloat).view({1, 64});
  torch::Tensor stripes = 12 * torch::sin((x + y) * (2 * M_PI / 5 / std::sqrt(2.0)));
  torch::Tensor striped = photo + stripes;
  const torch::Tensor reference = power_spectrum(photo);
  CHECK(spectrum_excess(power_spectrum(photo), reference).item<double>() == 0);
  const double cost = spectrum_excess(power_spectrum(striped), reference).item<double>();
  CHECK(cost > 1e-3);
  // Its gradient removes the stripes: a descent step lowers their amplitude (the projection on the stripe
  // pattern) while the cost falls.
  torch::Tensor image = striped.clone().requires_grad_(true);
  spectrum_excess(power_spectrum(image), reference).backward();
  torch::Tensor stepped = (striped - image.grad() / image.grad().abs().max() * 4).detach();
  auto amplitude = [&](const torch::Tensor& t) { return ((t - photo) * stripes).sum().item<double>(); };
  CHECK(amplitude(stepped) < amplitude(striped));
  CHECK(spectrum_excess(power_spectrum(stepped), reference).item<double>() < cost);

  if (!have(mobilenet_dir())) return;
  // Through the loss: a painting made of those same stripes makes them its own texture, so they no longer cost.
  auto net = std::make_shared<MobileNetV2Features>(mobilenet_dir());
  PerceptualOptions o = two_layer_relative_options();
  o.spectrum_weight = 1;
  torch::NoGradGuard no_grad;
  PerceptualLoss loss(net, o);
  loss.set_style(calibration_batch(1, 96));
  CHECK(loss.compute(photo, photo).spectrum.item<double>() == 0);
  CHECK(loss.compute(striped, photo).spectrum.item<double>() > 1e-3);
  torch::Tensor striped_painting = torch::full({1, 3, 96, 96}, 128.0) +
      12 * torch::sin((torch::arange(96).to(torch::kFloat).view({96, 1}) + torch::arange(96).to(torch::kFloat).view({1, 96})) *
                      (2 * M_PI / 5 / std::sqrt(2.0)));
  loss.set_style(striped_painting);
  CHECK(loss.compute(striped, photo).spectrum.item<double>() < 0.2 * cost);
}

TEST_CASE("Peak term: stripes on a flat region cost, the photo's own stripes and noise do not", "[perceptual]") {
  // A flat grey photo with sensor-like noise; a 64x64 output of it with diagonal stripes of period ~5 px.
  torch::manual_seed(3);
  torch::Tensor flat = 128 + 3 * torch::randn({1, 3, 64, 64});
  torch::Tensor y = torch::arange(64).to(torch::kFloat).view({64, 1}), x = torch::arange(64).to(torch::kFloat).view({1, 64});
  torch::Tensor stripes = 6 * torch::sin((x + y) * (2 * M_PI / 5 / std::sqrt(2.0)));
  torch::Tensor striped = flat + stripes;
  // Ring-relative power: the stripes stand 10x above their ring; the noise does not.
  CHECK(tile_ring_relative_power(striped).max().item<double>() > 10);
  CHECK(peak_excess(flat, flat).item<double>() < 1e-3);
  CHECK(peak_excess(flat + 3 * torch::randn({1, 3, 64, 64}), flat).item<double>() < 1e-3);  // more noise: no cost
  const double cost = peak_excess(striped, flat).item<double>();
  CHECK(cost > 5e-3);  // a mean over all 2-10.7 px frequencies, of which the stripes fill a few
  // A photo that has those stripes itself gives them their allowance.
  CHECK(peak_excess(striped, striped).item<double>() < 0.05 * cost);
  // Its gradient removes the stripes.
  torch::Tensor image = striped.clone().requires_grad_(true);
  peak_excess(image, flat).backward();
  torch::Tensor stepped = (striped - image.grad() / image.grad().abs().max() * 2).detach();
  auto amplitude = [&](const torch::Tensor& t) { return ((t - flat) * stripes).sum().item<double>(); };
  CHECK(amplitude(stepped) < amplitude(striped));
  CHECK(peak_excess(stepped, flat).item<double>() < cost);
}

TEST_CASE("TF.js literal reader and base64 decoder", "[mobilenet]") {
  nlohmann::json v = parse_js_literal("{a:!0,b:!1,c:[.5,-1e-3,\"x\"],d:null,\"e\":{}}", 0);
  CHECK(v["a"] == true);
  CHECK(v["b"] == false);
  CHECK(v["c"][0] == 0.5);
  CHECK(v["c"][1] == -1e-3);
  CHECK(v["c"][2] == "x");
  CHECK(v["d"].is_null());
  CHECK_THROWS_WITH(parse_js_literal("{a:foo}", 0), Catch::Contains("unexpected token 'foo'"));
  std::vector<uint8_t> bytes = decode_base64("aGVsbG8=");
  CHECK(std::string(bytes.begin(), bytes.end()) == "hello");
  CHECK_THROWS(decode_base64("a*b="));
}

TEST_CASE("A missing weights folder is reported with the path and the fix", "[mobilenet]") {
  CHECK_THROWS_WITH(MobileNetV2Features("/nonexistent/folder"),
                    Catch::Contains("/nonexistent/folder/model.min.js") && Catch::Contains("scripts/setup"));
}

TEST_CASE("Gram matrix, smoothing and TV behave as defined", "[perceptual]") {
  torch::Tensor f = torch::rand({2, 4, 5, 6});
  torch::Tensor g = gram_matrix(f);
  REQUIRE(g.sizes() == torch::IntArrayRef({2, 4, 4}));
  CHECK(torch::allclose(g, g.transpose(1, 2)));
  CHECK(g[0][1][2].item<double>() == Approx((f[0][1] * f[0][2]).sum().item<double>() / (4 * 30)).epsilon(1e-5));
  torch::Tensor s = softmax_smooth(f);
  CHECK(s.sum({1, 2, 3}).allclose(torch::full({2}, 4.0 * 30)));  // softmax * C*h*w sums to C*h*w
  CHECK(softmax_smooth(torch::zeros({1, 2, 3, 3})).allclose(torch::ones({1, 2, 3, 3})));
  CHECK(total_variation(torch::full({1, 3, 8, 8}, 5.0)).item<double>() == 0.0);
  CHECK(total_variation(torch::rand({1, 3, 8, 8})).item<double>() > 0.0);
}

TEST_CASE("TransformerNet keeps the input size and has the agreed submodule names", "[transformer]") {
  TransformerNet net(8, 2);
  torch::NoGradGuard no_grad;
  torch::Tensor y = net->forward(torch::rand({2, 3, 36, 52}) * 255);
  CHECK(y.sizes() == torch::IntArrayRef({2, 3, 36, 52}));
  auto params = net->named_parameters();
  for (const char* name : {"conv1.conv.weight", "in1.weight", "conv2.conv.bias", "in3.bias", "res.0.conv1.conv.weight",
                           "res.1.in2.weight", "up1.conv.conv.weight", "in5.bias", "conv_out.conv.weight"})
    CHECK(params.contains(name));
  CHECK(params["res.0.conv1.conv.weight"].sizes() == torch::IntArrayRef({32, 32, 3, 3}));
}
