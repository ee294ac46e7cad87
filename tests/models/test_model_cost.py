#!/usr/bin/python3
"""scripts/model_cost.py against a hand count: the shipped style networks are TransformerNet width 16 with 5
residual blocks (trainer/src/nets/transformer_net.h), so their multiply-adds per pixel and parameters follow from
the layer list alone. Also checks that models/manifest.json carries the figures its files' graphs give.

    test_model_cost.py REPO"""
import json, os, sys

repo = sys.argv[1]
sys.path.insert(0, os.path.join(repo, "scripts"))
import model_cost  # noqa: E402


def transformer_net_hand_count(w, blocks):
    """(multiply-adds per input pixel, parameters). Each conv: (c_in, c_out, kernel, share of the input's pixels
    its output has); each has a bias, and every instance norm after a conv has a scale and a shift per channel."""
    convs = [(3, w, 9, 1), (w, 2 * w, 3, 1 / 4), (2 * w, 4 * w, 3, 1 / 16)]  # conv1, conv2 (stride 2), conv3
    convs += [(4 * w, 4 * w, 3, 1 / 16)] * (2 * blocks)                      # residual blocks at 1/4 side
    convs += [(4 * w, 2 * w, 3, 1 / 4), (2 * w, w, 3, 1), (w, 3, 9, 1)]      # up1, up2 (after x2), conv_out
    macs = sum(ci * co * k * k * area for ci, co, k, area in convs)
    params = sum(ci * co * k * k + co for ci, co, k, _ in convs)
    normed = [co for _, co, _, _ in convs[:-1]]                                # all but conv_out
    return macs, params + sum(2 * c for c in normed)


macs, params = transformer_net_hand_count(16, 5)
assert (macs, params) == (42336, 424899), (macs, params)  # the figures written out, so the count is checked too
cost = model_cost.graph_cost(os.path.join(repo, "models", "starry-night.onnx"))
assert cost == {"macs_per_pixel": macs, "parameters": params}, cost
print(f"starry-night: {cost} = hand count")

manifest = json.load(open(os.path.join(repo, "models", "manifest.json"), encoding="utf-8"))
for e in manifest["models"]:
    got = model_cost.graph_cost(os.path.join(repo, "models", e["file"]))
    assert e.get("cost") == got, f"{e['id']}: manifest says {e.get('cost')}, graph gives {got} (run scripts/model_cost.py)"
print(f"{len(manifest['models'])} manifest entries carry their graph's cost")
