// Conditional TransformerNet; the layout is documented in the header.
#include "nets/conditional_transformer_net.h"

#include <numeric>

#include <torch/torch.h>

namespace styleforge::trainer {
namespace {

// Hands out each norm's scale and shift, in the order norm_channels() lists them.
class NormParameters {
 public:
  NormParameters(const torch::Tensor& params, int64_t total) : params_(params), total_(total) {}
  torch::Tensor apply(const torch::Tensor& x) {
    const int64_t c = x.size(1);
    torch::Tensor scale = params_.narrow(1, next_, c).unsqueeze(2).unsqueeze(3);
    torch::Tensor shift = params_.narrow(1, total_ + next_, c).unsqueeze(2).unsqueeze(3);
    next_ += c;
    torch::Tensor normalised = torch::instance_norm(x, {}, {}, {}, {}, /*use_input_stats=*/true, /*momentum=*/0.0,
                                                    ConditionalTransformerNetImpl::kNormEpsilon, /*cudnn_enabled=*/false);
    return normalised * scale + shift;
  }
  int64_t used() const { return next_; }

 private:
  torch::Tensor params_;
  int64_t total_, next_ = 0;
};

}  // namespace

ConditionalResidualBlockImpl::ConditionalResidualBlockImpl(int64_t channels) {
  conv1 = register_module("conv1", ConvLayer(channels, channels, 3, 1));
  conv2 = register_module("conv2", ConvLayer(channels, channels, 3, 1));
}

ConditionalTransformerNetImpl::ConditionalTransformerNetImpl(int width_, int residual_blocks_, bool photo_skip_,
                                                             int code_size_)
    : width(width_), residual_blocks(residual_blocks_), code_size(code_size_), photo_skip(photo_skip_) {
  const int64_t w = width;
  conv1 = register_module("conv1", ConvLayer(3, w, 9, 1));
  conv2 = register_module("conv2", ConvLayer(w, 2 * w, 3, 2));
  conv3 = register_module("conv3", ConvLayer(2 * w, 4 * w, 3, 2));
  res = register_module("res", torch::nn::ModuleList());
  for (int i = 0; i < residual_blocks; ++i) res->push_back(ConditionalResidualBlock(4 * w));
  up1 = register_module("up1", UpsampleConvLayer(4 * w, 2 * w, 3));
  up2 = register_module("up2", UpsampleConvLayer(2 * w, w, 3));
  conv_out = register_module("conv_out", ConvLayer(w, 3, 9, 1));
  const int64_t total = total_norm_channels();
  norm_params = register_module("norm_params", torch::nn::Linear(code_size, 2 * total));
  torch::NoGradGuard no_grad;
  // Start around plain instance norm (scale 1, shift 0); the weights keep their default initialisation, so each
  // painting's code moves the scales by ~0.1-0.3 from the first step and the transformer learns to read it.
  norm_params->bias.zero_();
  norm_params->bias.narrow(0, 0, total).fill_(1.0);
}

std::vector<int64_t> ConditionalTransformerNetImpl::norm_channels() const {
  const int64_t w = width;
  std::vector<int64_t> channels{w, 2 * w, 4 * w};
  for (int i = 0; i < residual_blocks; ++i) channels.insert(channels.end(), {4 * w, 4 * w});
  channels.insert(channels.end(), {2 * w, w});
  return channels;
}

int64_t ConditionalTransformerNetImpl::total_norm_channels() const {
  const std::vector<int64_t> c = norm_channels();
  return std::accumulate(c.begin(), c.end(), int64_t{0});
}

torch::Tensor ConditionalTransformerNetImpl::forward(const torch::Tensor& x, const torch::Tensor& code) {
  TORCH_CHECK(code.dim() == 2 && code.size(1) == code_size && (code.size(0) == 1 || code.size(0) == x.size(0)),
              "style code must be {1 or batch, ", code_size, "}, got ", code.sizes());
  NormParameters norms(norm_params->forward(code), total_norm_channels());
  auto y = torch::relu(norms.apply(conv1->forward(x)));
  y = torch::relu(norms.apply(conv2->forward(y)));
  y = torch::relu(norms.apply(conv3->forward(y)));
  for (const auto& item : *res) {
    auto* block = item->as<ConditionalResidualBlockImpl>();
    auto r = torch::relu(norms.apply(block->conv1->forward(y)));
    y = y + norms.apply(block->conv2->forward(r));
  }
  y = torch::relu(norms.apply(up1->forward(y)));
  y = torch::relu(norms.apply(up2->forward(y)));
  torch::Tensor out = conv_out->forward(y);
  return photo_skip ? out + x : out;
}

}  // namespace styleforge::trainer
