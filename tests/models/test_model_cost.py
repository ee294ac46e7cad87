#!/usr/bin/python3
"""scripts/model_cost.py against a hand count: the shipped style networks are TransformerNet width 16 with 5
residual blocks (trainer/src/nets/transformer_net.h), so their multiply-adds per pixel and parameters follow from
the layer list alone. Also checks that models/manifest.json carries the figures its files' graphs give.

    test_model_cost.py REPO"""
import json, os, sys

repo = sys.argv[1]
sys.path.insert(0, os.path.join(repo, "scripts"))
import model_cost  # noqa: E402


def transformer_net_hand_count(w, blocks, upsampling, edge=9):
    """(multiply-adds per input pixel, parameters). Each conv: (c_in, c_out, kernel, share of the input's pixels
    its output has); each has a bias, and every instance norm after a conv has a scale and a shift per channel.
    upsampling "resize": the two upsampling layers run their 3x3 kernel on the x2 image (9 taps per output pixel);
    "conv_transpose": today's export, where each output pixel reads 2x2 source pixels (4 taps; the 3x3 weights are
    stored and summed at load, so the parameters are the same). edge: the kernel of conv1 and conv_out (9 in the
    original network; 3 in the fast networks, trainer --edge-kernel)."""
    up_taps = {"resize": 9, "conv_transpose": 4}[upsampling]
    convs = [(3, w, edge, 1), (w, 2 * w, 3, 1 / 4), (2 * w, 4 * w, 3, 1 / 16)]  # conv1, conv2 (stride 2), conv3
    convs += [(4 * w, 4 * w, 3, 1 / 16)] * (2 * blocks)                      # residual blocks at 1/4 side
    ups = [(4 * w, 2 * w, 3, 1 / 4), (2 * w, w, 3, 1)]                        # up1, up2 (output sides)
    out = [(w, 3, edge, 1)]                                                      # conv_out
    macs = sum(ci * co * k * k * area for ci, co, k, area in convs + out)
    macs += sum(ci * co * up_taps * area for ci, co, _, area in ups)
    layers = convs + ups + out
    params = sum(ci * co * k * k + co for ci, co, k, _ in layers)
    normed = [co for _, co, _, _ in layers[:-1]]                               # all but conv_out
    return round(macs), params + sum(2 * c for c in normed)


# The figures written out, so the count itself is checked too: 42,336 is the "about 42k" for the
# Resize + Conv form the models were first exported in.
assert transformer_net_hand_count(16, 5, "resize") == (42336, 424899)
assert transformer_net_hand_count(16, 5, "conv_transpose") == (37216, 424899)
macs, params = transformer_net_hand_count(16, 5, "conv_transpose")
cost = model_cost.graph_cost(os.path.join(repo, "models", "starry-night.onnx"))
assert cost == {"macs_per_pixel": macs, "parameters": params}, cost
print(f"starry-night: {cost} = hand count")

# The fast network shipped beside it (issue 10): width 8, 3x3 edges; its manifest entry names the quality style.
assert transformer_net_hand_count(8, 5, "conv_transpose", edge=3) == (7792, 105315)
fast = model_cost.graph_cost(os.path.join(repo, "models", "starry-night-fast.onnx"))
assert fast == {"macs_per_pixel": 7792, "parameters": 105315}, fast
print(f"starry-night-fast: {fast} = hand count")

manifest = json.load(open(os.path.join(repo, "models", "manifest.json"), encoding="utf-8"))
for e in manifest["models"]:
    got = model_cost.graph_cost(os.path.join(repo, "models", e["file"]))
    assert e.get("cost") == got, f"{e['id']}: manifest says {e.get('cost')}, graph gives {got} (run scripts/model_cost.py)"
print(f"{len(manifest['models'])} manifest entries carry their graph's cost")
