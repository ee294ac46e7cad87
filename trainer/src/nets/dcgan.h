// DCGAN (Radford et al. 2016) for small square images (28, 32 or 64 pixels), with a width parameter.
//
//   Generator(latent z [N, Z]):
//     fc     Linear(Z, c0 * b * b), reshaped to [N, c0, b, b]; bn0 BatchNorm2d(c0); ReLU
//     up<i>  ConvTranspose2d(c_i, c_i / 2, 4, stride 2, pad 1), doubling the side; bn<i+1> + ReLU after each
//            but the last, whose output has 3 channels and goes through tanh (-1..1).
//            With upsample "resize": nearest x2, then Conv2d(c_i, c_i / 2, 3, pad 1) instead (Odena et al. 2016,
//            "Deconvolution and checkerboard artifacts": a 4x4 stride-2 transposed convolution gives every other
//            output pixel different kernel taps, which paints a fine checkerboard into the samples; nearest
//            upsampling then a convolution treats every output pixel alike). The exporter writes Resize + Conv.
//   Discriminator(image [N, 3, S, S]) -> logit [N, 1]:
//     down<i> Conv2d(4, stride 2, pad 1) halving the side, channels 3 -> w -> 2w -> ...; BatchNorm2d (dbn<i>) on
//             all but the first; LeakyReLU 0.2; then fc Linear(c * b * b, 1)
//   b (the base side) and the number of x2 steps: 28 -> 7 and 2, 32 -> 4 and 3, 64 -> 4 and 4; c0 = w * 2^(steps-1).
// Class-conditional (classes K > 0; Mirza & Osindero 2014): the class enters as a one-hot vector [N, K]. The
// generator's fc reads [z, one-hot] (Z + K inputs); the discriminator sees the one-hot as K constant image planes
// after the 3 colour channels (3 + K input channels), so it can call a real image of the wrong class fake.
// Or, with the projection discriminator (Miyato & Koyama 2018, "cGANs with Projection Discriminator"), the image
// alone goes through the convolutions and the class enters at the end: logit = fc(h) + <embed(one-hot), sum of h
// over positions>, embed Linear(K, c, no bias). The class then judges what the image's features are, not its
// first layer's colours, which conditions a GAN much more strongly; only the discriminator differs, never the
// generator or its export.
// Auxiliary classifier (AC-GAN, Odena et al. 2017; projection only, where the convolutions never see the class):
// a second head aux Linear(c * b * b, K) on the same last features gives class logits, so the discriminator can
// be taught the class of real images and the generator trained to make images it reads as their class.
// The exporter (trainer/src/onnx/) reads these members directly.
#pragma once
#include <torch/nn.h>

#include <string>
#include <utility>
#include <vector>

namespace styleforge::trainer {

// The base side and number of x2 steps for an image size; {0, 0} for unsupported sizes.
struct GanGeometry {
  int base = 0;
  int steps = 0;
  bool ok() const { return steps > 0; }
};
GanGeometry gan_geometry(int image_size);

// How the generator doubles the side (the dcgan option --upsample, stored in options.json).
enum class GanUpsample { Transposed, Resize };
// "transposed" (also when absent: runs from before the option) or "resize"; anything else is refused by the option.
GanUpsample gan_upsample_named(const std::string& name);

struct GeneratorImpl : torch::nn::Module {
  GeneratorImpl(int latent, int image_size, int width, int classes = 0, GanUpsample upsample = GanUpsample::Transposed);
  // `one_hot` [N, classes] is required when classes > 0 and ignored otherwise.
  torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& one_hot = {});
  int latent, image_size, width, classes, base, c0;
  GanUpsample upsample;
  torch::nn::Linear fc{nullptr};
  torch::nn::BatchNorm2d bn0{nullptr};
  std::vector<torch::nn::ConvTranspose2d> ups;     // upsample Transposed: one per x2 step (empty otherwise)
  std::vector<torch::nn::Conv2d> resize_convs;     // upsample Resize: the 3x3 convolution of each x2 step, also "up<i>"
  std::vector<torch::nn::BatchNorm2d> bns;  // after ups[0 .. steps-2]
};
TORCH_MODULE(Generator);

// How a class-conditional discriminator takes the class (the dcgan option --condition, stored in options.json).
enum class GanCondition { Planes, Projection };
// "planes" (also when absent: runs from before the option) or "projection".
GanCondition gan_condition_named(const std::string& name);

struct DiscriminatorImpl : torch::nn::Module {
  // `auxiliary_classifier` needs Projection and classes > 0 (the constructor throws otherwise).
  DiscriminatorImpl(int image_size, int width, int classes = 0, GanCondition condition = GanCondition::Planes,
                    bool auxiliary_classifier = false);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& one_hot = {});
  // The real/fake logit [N, 1] and, from the same features, the auxiliary head's class logits [N, classes].
  std::pair<torch::Tensor, torch::Tensor> forward_with_classes(const torch::Tensor& x, const torch::Tensor& one_hot);
  int classes;
  std::vector<torch::nn::Conv2d> downs;
  std::vector<torch::nn::BatchNorm2d> bns;  // after downs[1 ..]
  torch::nn::Linear fc{nullptr};
  torch::nn::Linear embed{nullptr};  // Projection with classes > 0 only (so forward knows the condition by it)
  torch::nn::Linear aux{nullptr};    // the auxiliary classifier, when asked for

 private:
  torch::Tensor features(const torch::Tensor& x, const torch::Tensor& one_hot);  // the last convolution's, [N, c, b, b]
  torch::Tensor logit(const torch::Tensor& features, const torch::Tensor& one_hot);
};
TORCH_MODULE(Discriminator);

// DCGAN initialisation: conv weights N(0, 0.02), batch-norm scale N(1, 0.02), biases 0.
void dcgan_init(torch::nn::Module& module);

// [a, b] along dimension 1 when `classes` > 0 (b must then be [N, classes]), else a alone: how every
// class-conditional layer here takes its class.
torch::Tensor with_class(const torch::Tensor& a, const torch::Tensor& one_hot, int classes);
// The one-hot vector as constant planes beside an image [N, C, H, W] -> [N, C + classes, H, W].
torch::Tensor with_class_planes(const torch::Tensor& image, const torch::Tensor& one_hot, int classes);

}  // namespace styleforge::trainer
