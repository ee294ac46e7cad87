#include "onnx/export_models.h"

#include <torch/torch.h>

#include <set>
#include <stdexcept>

#include "nets/dcgan.h"
#include "nets/transformer_net.h"
#include "nets/vae.h"
#include "onnx/graph_builder.h"
#include "onnx/torch_graph.h"

namespace styleforge::trainer {

Status export_style_onnx(TransformerNetImpl& net, const std::string& path, const Metadata& metadata,
                         WeightPrecision precision) {
  TorchGraph t("styleforge_style", precision);
  t.g.add_input("image", {"batch", 3, "height", "width"});
  auto in_relu = [&](const std::string& name, torch::nn::InstanceNorm2dImpl& norm, const std::string& x) {
    return t.op("Relu", t.instance_norm(name, norm, x));
  };
  std::string y = in_relu("in1", *net.in1, conv_layer(t, "conv1", *net.conv1, "image"));
  y = in_relu("in2", *net.in2, conv_layer(t, "conv2", *net.conv2, y));
  y = in_relu("in3", *net.in3, conv_layer(t, "conv3", *net.conv3, y));
  for (size_t i = 0; i < net.res->size(); ++i) {
    auto* block = (*net.res)[i]->as<ResidualBlockImpl>();
    std::string p = "res." + std::to_string(i);
    std::string r = in_relu(p + ".in1", *block->in1, conv_layer(t, p + ".conv1", *block->conv1, y));
    r = t.instance_norm(p + ".in2", *block->in2, conv_layer(t, p + ".conv2", *block->conv2, r));
    y = t.g.node("Add", {y, r}, {}, p + ".add");
  }
  y = in_relu("in4", *net.in4, t.upsample_conv("up1.conv", *net.up1->conv, y));
  y = in_relu("in5", *net.in5, t.upsample_conv("up2.conv", *net.up2->conv, y));
  if (net.photo_skip)
    t.g.node("Add", {conv_layer(t, "conv_out", *net.conv_out, y), "image"}, {}, "photo_skip", "stylized");
  else
    conv_layer(t, "conv_out", *net.conv_out, y, "stylized");
  t.g.add_output("stylized", {"batch", 3, "height", "width"});
  return finish(t, path, metadata);
}

Status export_generator_onnx(GeneratorImpl& net, const std::string& path, const Metadata& metadata,
                             WeightPrecision precision) {
  TorchGraph t("styleforge_gan", precision);
  // A class-conditional generator's fc reads [z, one-hot class] (nets/dcgan.h): the graph takes both as one input.
  t.g.add_input("latent", {"batch", net.latent + net.classes});
  std::string y = t.reshape(t.linear("fc", *net.fc, "latent"), {-1, net.c0, net.base, net.base});
  y = t.op("Relu", t.batch_norm("bn0", *net.bn0, y));
  const bool resize = net.upsample == GanUpsample::Resize;
  const size_t steps = resize ? net.resize_convs.size() : net.ups.size();
  for (size_t i = 0; i < steps; ++i) {
    const std::string name = "up" + std::to_string(i);
    y = resize ? t.conv(name, *net.resize_convs[i], t.upsample_nearest2x(y), 1) : t.conv_transpose(name, *net.ups[i], y, 1);
    if (i + 1 < steps)
      y = t.op("Relu", t.batch_norm("bn" + std::to_string(i + 1), *net.bns[i], y));
    else
      y = t.op("Tanh", y, "image");
  }
  t.g.add_output("image", {"batch", 3, net.image_size, net.image_size});
  return finish(t, path, metadata);
}

Status export_vae_encoder_onnx(VaeImpl& net, const std::string& path, const Metadata& metadata,
                               WeightPrecision precision) {
  TorchGraph t("styleforge_vae_encoder", precision);
  t.g.add_input("image", {"batch", 3, net.image_size, net.image_size});
  std::string y = "image";
  for (size_t i = 0; i < net.downs.size(); ++i)
    y = t.op("Relu", t.conv("down" + std::to_string(i), *net.downs[i], y, 1));
  y = t.g.node("Flatten", {y}, {attr("axis", 1)}, "flat");
  if (net.classes == 0) {
    t.g.node("Gemm", {y, t.weight("fc_mu.weight", net.fc_mu->weight), t.weight("fc_mu.bias", net.fc_mu->bias)},
             {attr("transB", 1)}, "fc_mu", "latent");
  } else {
    // The encoder's own class probabilities stand in for the label: mean = fc_mu([features, probabilities]), and
    // the output is [mean, probabilities], what the conditional decoder reads (VaeImpl::encode_for_decoder).
    std::string probabilities = t.g.node("Softmax", {t.linear("fc_class", *net.fc_class, y)},
                                         {attr("axis", 1)}, "class_probabilities");
    std::string with_class = t.g.node("Concat", {y, probabilities}, {attr("axis", 1)}, "features_and_class");
    std::string mean = t.linear("fc_mu", *net.fc_mu, with_class);
    t.g.node("Concat", {mean, probabilities}, {attr("axis", 1)}, "concat", "latent");
  }
  t.g.add_output("latent", {"batch", net.latent + net.classes});
  return finish(t, path, metadata);
}

Status export_vae_decoder_onnx(VaeImpl& net, const std::string& path, const Metadata& metadata,
                               WeightPrecision precision) {
  TorchGraph t("styleforge_vae_decoder", precision);
  t.g.add_input("latent", {"batch", net.latent + net.classes});  // [z, class] when conditional (nets/vae.h)
  std::string y = t.reshape(t.op("Relu", t.linear("fc", *net.fc, "latent")), {-1, net.c0, net.base, net.base});
  for (size_t i = 0; i < net.ups.size(); ++i) {
    y = t.conv_transpose("up" + std::to_string(i), *net.ups[i], y, 1);
    y = i + 1 < net.ups.size() ? t.op("Relu", y) : t.op("Tanh", y, "image");
  }
  t.g.add_output("image", {"batch", 3, net.image_size, net.image_size});
  return finish(t, path, metadata);
}

}  // namespace styleforge::trainer
