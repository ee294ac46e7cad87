#!/usr/bin/python3
"""What a model costs to run, read from its ONNX graph: multiply-adds per pixel and learned parameters.

    scripts/model_cost.py [--models models] [--speed bench.json]

Writes a "cost" object into every models/manifest.json entry and a "- Cost:" line into its model card (replacing
an older one), so the figures always come from the shipped files. scripts/package-models calls the same functions
when it packages fresh runs. The speed comes from models/bench.json, what `node web/bench/bench.mjs --models models
--model ID --json FILE` writes (ms per megapixel on browser WASM 1 and 2 threads and in onnxruntime-node), or a JSON
list of such objects, one per network design (a style's quality and fast networks); --speed FILE reads another. A
figure goes on the cards of the models with the same graph cost as the benchmarked one. Needs Debian's python3-onnx."""
import argparse, json, os

import onnx  # Debian python3-onnx
from onnx import shape_inference

# Side used to give the graph's free dimensions a concrete size for shape inference. Every layer of our networks
# scales with the image area, so the per-pixel figure does not depend on it (a multiple of 4, as style nets need).
PROBE_SIDE = 256
# Inputs of these operators (by position) that hold learned values; the rest (pads, scales, shapes, and batch
# norm's running statistics, which are buffers, not parameters) are not counted as parameters.
LEARNED_INPUTS = {"Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "InstanceNormalization": (1, 2),
                  "BatchNormalization": (1, 2), "MatMul": (1,)}


def _fixed_input_model(model):
    """A copy of the model whose symbolic input dims are concrete: batch 1, height and width PROBE_SIDE."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for value in m.graph.input:
        dims = value.type.tensor_type.shape.dim
        for i, d in enumerate(dims):
            if not d.HasField("dim_value"):
                d.dim_value = 1 if i == 0 else PROBE_SIDE
    return shape_inference.infer_shapes(m, strict_mode=True)


def _shapes(model):
    shapes = {}
    for v in list(model.graph.input) + list(model.graph.value_info) + list(model.graph.output):
        dims = v.type.tensor_type.shape.dim
        if dims and all(d.HasField("dim_value") for d in dims):
            shapes[v.name] = [d.dim_value for d in dims]
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def _prod(xs):
    out = 1
    for x in xs:
        out *= x
    return out


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def node_macs(node, shapes):
    """Multiply-adds of one node for batch 1 (0 for operators that do no multiply-accumulate work)."""
    if node.op_type == "Conv":
        out, w = shapes[node.output[0]], shapes[node.input[1]]  # w: [C_out, C_in/group, kh, kw]
        return _prod(out) * _prod(w[1:])
    if node.op_type == "ConvTranspose":
        # Counted per output pixel: each gets C_in/group channels x kh*kw/(stride_h*stride_w) kernel taps. The same
        # as input pixels x C_out x kh*kw when nothing is cropped; with pads, the cropped border is not counted.
        out, w = shapes[node.output[0]], shapes[node.input[1]]  # w: [C_in, C_out/group, kh, kw]
        group, strides = _attr(node, "group", 1), _attr(node, "strides", [1, 1])
        return _prod(out) * (w[0] // group) * _prod(w[2:]) // _prod(strides)
    if node.op_type in ("Gemm", "MatMul"):
        out, a = shapes[node.output[0]], shapes[node.input[0]]
        k = a[0] if node.op_type == "Gemm" and _attr(node, "transA", 0) else a[-1]
        return _prod(out) * k
    return 0


def _learned_initializer(name, shapes, producers, inits):
    """The stored initializer a learned operator input comes from: itself, or what a derivation chain starts from
    (float16 kernels Cast to float32 at load; the exporter's upsampling kernels, MatMul'd with a fixed tap matrix
    and Transposed, where the kernel is the higher-rank operand). None for computed values."""
    while name not in inits:
        node = producers.get(name)
        if node is None or node.op_type not in ("Cast", "Transpose", "MatMul"):
            return None
        if node.op_type == "MatMul":
            ranks = [len(shapes.get(i, [])) for i in node.input[:2]]
            name = node.input[0] if ranks[0] > ranks[1] else node.input[1]
        else:
            name = node.input[0]
    return inits[name]


def graph_cost(path):
    """{"macs_per_pixel", "parameters"} of an ONNX file. Pixels: of the input image, or of the output image for a
    model whose input is not an image (a generator's latent vector)."""
    model = onnx.load(path)
    fixed = _fixed_input_model(model)
    shapes = _shapes(fixed)
    # Nodes whose inputs are all constant (kernel derivations, fp16 Casts) run once at load, not per image.
    constant = {i.name for i in fixed.graph.initializer} | {""}
    per_image = []
    for n in fixed.graph.node:
        if all(i in constant for i in n.input):
            constant.update(n.output)
        else:
            per_image.append(n)
    macs = sum(node_macs(n, shapes) for n in per_image)
    image = next((shapes[v.name] for v in list(fixed.graph.input) + list(fixed.graph.output)
                  if len(shapes.get(v.name, [])) == 4), None)
    if image is None:
        raise ValueError(f"{path}: neither input nor output is an NCHW image")
    inits = {i.name: i for i in fixed.graph.initializer}
    producers = {o: n for n in fixed.graph.node for o in n.output}
    learned = {}
    for node in per_image:
        for i in LEARNED_INPUTS.get(node.op_type, ()):
            init = _learned_initializer(node.input[i], shapes, producers, inits) if i < len(node.input) else None
            if init is not None:
                learned[init.name] = _prod(init.dims)
    return {"macs_per_pixel": round(macs / (image[2] * image[3])), "parameters": sum(learned.values())}


def cost_text(cost):
    return (f"{cost['macs_per_pixel']:,} multiply-adds per pixel ({cost['macs_per_pixel'] * 2e6 / 1e9:.1f} GFLOP per "
            f"megapixel), {cost['parameters']:,} parameters")


def speed_text(speed):
    return (f"ms per megapixel: browser WASM {speed['wasm1_ms_per_mp']:.0f} (1 thread), {speed['wasm2_ms_per_mp']:.0f} "
            f"(2 threads), onnxruntime-node {speed['node_ms_per_mp']:.0f} ({speed['where']}; measured on "
            f"{speed['model']}, the same graph cost, by {speed.get('bench', 'web/bench/bench.mjs')})")


def set_card_cost(card_path, line):
    """Puts `line` in the card in place of an older cost line, else right after the "- Files:" line."""
    lines = open(card_path, encoding="utf-8").read().split("\n")
    lines = [l for l in lines if not l.startswith("- Cost:")]
    at = next((i + 1 for i, l in enumerate(lines) if l.startswith("- Files:")), 2)
    lines.insert(at, line)
    open(card_path, "w", encoding="utf-8").write("\n".join(lines))


def annotate(models_dir, entries, speed=None):
    """Adds "cost" to each manifest entry and the cost line to its card (the VAE's two files share one card)."""
    bench = os.path.join(models_dir, "bench.json")
    if speed is None and os.path.exists(bench):
        speed = json.load(open(bench, encoding="utf-8"))
    # One benchmark, or a list of them (one per network design, e.g. a style's quality and fast networks).
    speeds = speed if isinstance(speed, list) else [speed] if speed else []
    cards = {}
    for e in entries:
        e["cost"] = graph_cost(os.path.join(models_dir, e["file"]))
        # Files that share one card (a VAE's two, an arbitrary-style model's two) say which is which.
        label = f"{e['kind']} " if e["kind"].startswith("vae") or e["kind"] in ("style-predictor", "arbitrary-style") else ""
        card = cards.setdefault(e.get("card"), {"costs": [], "speed": None})
        card["costs"].append(label + cost_text(e["cost"]))
        for s in speeds:
            if s.get("cost") == e["cost"]:
                card["speed"] = speed_text(s)
    for card, parts in cards.items():
        if card is None:
            continue
        line = "- Cost: " + "; ".join(parts["costs"]) + " (counted from the ONNX graph by scripts/model_cost.py)"
        if parts["speed"]:
            line += "; " + parts["speed"]
        set_card_cost(os.path.join(models_dir, card), line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
    ap.add_argument("--speed", help="JSON written by `node web/bench/bench.mjs --json FILE` (default: models/bench.json)")
    a = ap.parse_args()
    manifest_path = os.path.join(a.models, "manifest.json")
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    speed = json.load(open(a.speed, encoding="utf-8")) if a.speed else None
    annotate(a.models, manifest["models"], speed)
    with open(manifest_path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for e in manifest["models"]:
        print(f"{e['id']}: {e['cost']['macs_per_pixel']:,} multiply-adds per pixel, {e['cost']['parameters']:,} parameters")


if __name__ == "__main__":
    main()
