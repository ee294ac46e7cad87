// The loss recipe for training feed-forward networks, shared by `style` and `arbitrary` so both train with the
// same measured settings (trainer/README.md, "What networks train with now").
#pragma once
#include "loss/style_setup.h"

namespace styleforge::trainer {

// A network optimises the loss to its end, where a Gatys run stops after 200 steps from the photo, so the Gatys
// recipe needs three changes for networks: random loss scales (else a stripe texture MobileNetV2 accepts at one
// scale), colour weight 1000 (at 3000 the colour term is all a network learns), and the content compared at
// MobileNetV2's block_3 (stride 4, so the photo's outlines stay; at block_6 the style overlays them). The content
// layer is set by the training command, for new runs on MobileNetV2 only: other networks have other layer names,
// and a resumed run keeps what its options.json says.
inline LossSettings network_loss_defaults() {
  LossSettings s;
  s.loss_scales = "1,0.7,0.5";
  s.colour_weight = 1000;
  return s;
}
constexpr const char* kNetworkContentLayer = "block_3_expand_relu";

}  // namespace styleforge::trainer
