// Perceptual loss (Johnson et al. 2016; Gatys et al. 2016) over a frozen LossNetwork:
//   total = content_weight * mean((F_c(out) - F_c(content))^2)
//         + style_weight   * sum over style layers of mean((G(F_l(out)) - G(F_l(style)))^2)
//         + tv_weight      * total variation of out (mean absolute difference of neighbouring pixels, 0..255)
//         + colour_weight  * sliced Wasserstein distance between the RGB pixel distributions of out and style
// with G(F) = F F^T / (C h w), the Gram matrix per image.
//
// Activation smoothing (Wang, Li & Vasconcelos, CVPR 2021, "SWAG"): networks other than VGG (residual ones such
// as MobileNetV2) have peaky, low-entropy activations whose Gram matrices are dominated by a few channels, and
// style transfer through them comes out weak. SWAG replaces each feature map F {C,h,w} by softmax(F) over all
// C*h*w values before the Gram matrix and the content comparison. Here the softmax is multiplied by C*h*w so a
// flat map stays at 1 and the loss weights keep similar magnitudes with or without it.
#pragma once
#include <map>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include <torch/types.h>

#include "loss/loss_network.h"

namespace styleforge::trainer {

struct PerceptualOptions {
  std::vector<std::string> style_layers;  // empty: the network's defaults
  std::string content_layer;              // empty: the network's default
  double content_weight = 1.0;
  double style_weight = 10.0;
  double tv_weight = 1e-4;
  bool smoothing = true;                  // SWAG softmax before Gram / content
  // Each step, output and content are cropped by the same random offset of 0..jitter px before the loss network
  // (Mordvintsev et al. 2018). Why: the network's stride-2 layers see each pixel at a fixed phase, and a loss
  // taken at one phase paints a 2-4 px periodic pattern into its gradient (the "crosshatch"); shifting the phase
  // every step averages it out. 0 = off.
  int jitter = 0;
  // Style term per layer: |G - G_style|^2 / |G_style|^2 (relative, so every layer weighs alike whatever its
  // activation scale) instead of mean((G - G_style)^2).
  bool relative_style = false;
  // Colour term: squared sliced Wasserstein distance (Rabin et al. 2011) between the output's RGB pixels and the
  // painting's, in 0..1 units, over kColourDirections fixed directions of RGB space. Why: with relative per-layer
  // Grams, colour lives only in the first layer's share and the results come out in one pale palette whatever
  // the painting; matching the whole colour distribution (not just its mean) gives back the painting's palette.
  double colour_weight = 0;
  // The colour term compares k x k block averages (k = colour_scale) rather than single pixels. Why: with the
  // pixel distribution matched, Gatys still came out pale, because fine speckle of saturated pixels averages to
  // pastel at any viewing distance; what a person reads as the painting's colours are those of regions.
  int colour_scale = 1;
  // Each step the loss network sees output, content and painting resized by one of these factors, drawn at
  // random (the painting's Gram matrices are kept per factor). Why: a fast network, unlike a Gatys run, optimises
  // the loss to its end and finds a stripe texture that MobileNetV2's statistics accept at one scale
  // (trainer/README.md); a texture has to match the painting at every scale, as brush strokes do, to pay off.
  // {1} = one scale, as before.
  std::vector<double> loss_scales = {1.0};
  // Which statistic of each style layer is matched: the Gram matrix, or the whole distribution of the layer's
  // activation vectors by the sliced Wasserstein distance (Heitz et al. 2021: each step, project output and painting
  // features onto C fresh random directions, sort, compare quantiles). Why sliced: a Gram matrix fixes only
  // second moments, and MobileNetV2 accepts fine stripes whose second moments match the painting's
  // (trainer/README.md, "Where the stripes come from"); a stripe texture's activation histogram (bimodal, peaky)
  // is not the painting's, so the full distribution cannot be matched by it. With relative_style each layer's
  // term is divided by the painting's mean squared activation (what an all-zero output would score), so every
  // layer weighs alike as with relative Grams.
  bool sliced_style = false;
  // Spectrum term (after Liu, Gousseau & Xia 2016, who added a Fourier spectrum constraint to Gram texture
  // synthesis because Gram statistics alone let regular patterns through): weight x mean over the output's
  // frequencies of relu(log P_out - log max(P_photo, P_painting) - log 4), P the power spectrum of each colour
  // channel (Hann window) and P_painting the mean over crops of the painting of the same size. Why: the fast
  // networks' stripes are narrow peaks of the spectrum, at frequencies where neither the photo nor the painting
  // has energy; brush texture the painting itself has is not touched. 0 = off.
  double spectrum_weight = 0;
  // Local peak term: the spectrum term looks at the whole image, where a photo's and a painting's texture
  // elsewhere give stripes in a flat sky room to hide (measured: the v4 the-kiss network, 20x the photo's
  // crosshatch on a sunset). This one cuts output and photo into 32x32 tiles and, per tile and colour channel,
  // divides each frequency's power by the mean of its ring (the same period in every direction), so only
  // periodic peaks stand out, not the 1/f fall-off or broadband brush texture: weight x mean over periods of 2 to
  // 10.7 px of relu(log R_out - log max(R_photo, 1) - log 4), R the ring-relative power. A photo's own regular
  // texture (bricks, fabric) is its allowance; the painting's is not, as a flat part of the photo has none to
  // give it. Why ring-relative: scripts/report/crosshatch.py measures the visible grid the same way. 0 = off.
  double peak_weight = 0;
};

constexpr int kColourDirections = 16;

struct PerceptualTerms {
  torch::Tensor content, style, tv, colour, spectrum, peak, total;  // scalars, already weighted
};

torch::Tensor gram_matrix(const torch::Tensor& features);     // {N,C,h,w} -> {N,C,C}
torch::Tensor softmax_smooth(const torch::Tensor& features);  // SWAG, scaled as described above
torch::Tensor total_variation(const torch::Tensor& images);   // mean |dx| + mean |dy|
// Power spectrum of each channel of `images255` {N,3,H,W} (0..1 units, mean removed, Hann window): {N,3,H,W/2+1}.
torch::Tensor power_spectrum(const torch::Tensor& images255);
// The spectrum term before its weight: mean relu(log(P_out + e) - log(P_reference + e) - log 4), any shapes that
// broadcast.
torch::Tensor spectrum_excess(const torch::Tensor& power, const torch::Tensor& reference_power);
constexpr int64_t kPeakTile = 32;
// Ring-relative power of the non-overlapping kPeakTile tiles of `images255` {N,3,H,W} (H, W >= kPeakTile): each
// frequency's power over the mean power of its ring, {N*tiles,3,kPeakTile,kPeakTile/2+1}.
torch::Tensor tile_ring_relative_power(const torch::Tensor& images255);
// The local peak term before its weight (PerceptualOptions::peak_weight), for output and photo of one size.
torch::Tensor peak_excess(const torch::Tensor& output255, const torch::Tensor& photo255);
// The sorted projections of the pixels of `images255` {N,3,H,W} onto `directions` {K,3}: {N,K,H*W}, 0..1 units.
torch::Tensor sorted_colour_projections(const torch::Tensor& images255, const torch::Tensor& directions);
// Squared sliced Wasserstein distance per image {N} between `sorted` {N,K,P} and one reference {K,M} (any M:
// the reference is read at the same P quantiles).
torch::Tensor sliced_wasserstein(const torch::Tensor& sorted, const torch::Tensor& reference_sorted);
// Style term of one layer by the sliced Wasserstein distance: `features` {N,C,h,w} against the painting's
// `style_features` {C,M}, projected on `directions` {K,C} (unit rows). Squared distance per image {N}.
torch::Tensor sliced_feature_distance(const torch::Tensor& features, const torch::Tensor& style_features,
                                      const torch::Tensor& directions);

class PerceptualLoss {
 public:
  PerceptualLoss(std::shared_ptr<LossNetwork> network, PerceptualOptions options);
  // The style target: `style255` {1,3,H,W}, 0..255. Its Gram matrices are computed once and kept.
  void set_style(const torch::Tensor& style255);
  // The loss of `output255` {N,3,H,W} made from `content255` (same shape, the content target; no gradient to it).
  PerceptualTerms compute(const torch::Tensor& output255, const torch::Tensor& content255);
  const PerceptualOptions& options() const { return options_; }

 private:
  torch::Tensor prepare(const torch::Tensor& f) const;
  torch::Tensor colour_blocks(const torch::Tensor& images255) const;
  std::shared_ptr<LossNetwork> network_;
  PerceptualOptions options_;
  std::vector<std::string> all_layers_;  // style layers, then the content layer
  torch::Tensor style_term(const torch::Tensor& features, const torch::Tensor& style_statistic) const;
  torch::Tensor painting_spectrum(int64_t height, int64_t width);  // mean over crops, kept per size
  torch::Tensor painting255_;  // the painting at loss scale 1, for painting_spectrum
  std::map<std::pair<int64_t, int64_t>, torch::Tensor> painting_spectra_;
  // Per loss scale, per style layer: the painting's Gram matrix {1,C,C}, or with sliced_style its features {C,M}.
  std::vector<std::vector<torch::Tensor>> style_statistics_;
  torch::Tensor colour_directions_, style_colours_;  // {K,3} unit vectors; the painting's sorted projections
};

}  // namespace styleforge::trainer
