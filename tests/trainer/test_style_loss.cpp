// The MobileNetV2 port (trainer/src/loss/mobilenet_v2.cpp) against TF.js running the same nsfwjs model on the
// same input (tests/trainer/tfjs_mobilenet_features.js), plus properties of the perceptual loss terms.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "loss/mobilenet_v2.h"
#include "loss/perceptual.h"
#include "loss/tfjs_layers_model.h"
#include "nets/transformer_net.h"

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

}  // namespace

TEST_CASE("MobileNetV2 port matches TF.js on the same layers and input", "[mobilenet]") {
  if (!fs::exists(mobilenet_dir() + "/model.min.js")) {
    WARN("skipped: " << mobilenet_dir() << " missing (run scripts/setup to fetch nsfwjs@4.4.0)");
    return;
  }
  const int64_t h = 90, w = 130;
  const std::vector<std::string> layers = {"Conv1_relu", "expanded_conv_project_BN", "block_1_project_BN",
                                           "block_2_add", "block_6_expand_relu", "block_10_project_BN"};
  torch::Tensor x = test_image(h, w);
  fs::path dir = fs::temp_directory_path() / ("styleforge-mobilenet-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    torch::Tensor nhwc = x.permute({0, 2, 3, 1}).contiguous();
    std::ofstream out(dir / "input.bin", std::ios::binary);
    out.write(reinterpret_cast<const char*>(nhwc.data_ptr<float>()), nhwc.numel() * sizeof(float));
  }
  std::ostringstream cmd;
  cmd << "timeout 120 node " << STYLEFORGE_TESTS_DIR << "/tfjs_mobilenet_features.js " << mobilenet_dir() << " "
      << (dir / "input.bin") << " " << h << " " << w << " " << dir;
  for (const auto& l : layers) cmd << " " << l;
  INFO(cmd.str());
  REQUIRE(std::system(cmd.str().c_str()) == 0);

  MobileNetV2Features net(mobilenet_dir());
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> ours = net.features_raw(x, layers);
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
    std::printf("mobilenet port %-26s shape %s max|diff| %.3g (max|ref| %.3g)\n", layers[i].c_str(),
                ((std::ostringstream() << ours[i].sizes()).str()).c_str(), diff, scale);
  }
  fs::remove_all(dir);
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
