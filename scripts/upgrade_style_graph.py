#!/usr/bin/python3
"""Rewrites style networks exported before the upsampling change to the graph today's exporter writes, without
their training runs: each Resize (nearest x2) -> Pad (reflect 1) -> Conv (3x3) becomes Pad (edge 1) ->
ConvTranspose (4x4, stride 2, pads 3) on the small image, its kernel derived in the graph from the stored 3x3 one.
Same function (up to float rounding), 2.25x fewer multiply-adds in those layers; why and how: the comment on
TorchGraph::upsample_conv in trainer/src/onnx/export_models.cpp, which this mirrors node for node.

    scripts/upgrade_style_graph.py MODEL.onnx [...]     (rewrites in place; files without the pattern are left as is)

Needs Debian's python3-onnx. Check the result against the old file with node scripts/report/compare_style_models.mjs
or web/bench/profile_ops.mjs."""
import os, sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

# Which 3x3 taps act on the source pixel at ConvTranspose kernel index t (rows), as in the exporter.
TAPS = np.array([[0, 0, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]], np.float32)


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _initializer_values(graph, name):
    for init in graph.initializer:
        if init.name == name:
            return numpy_helper.to_array(init).tolist()
    return None


def _is_upsample_conv(resize, pad, conv, graph):
    """Resize nearest x2 (asymmetric, floor) -> Pad reflect 1 -> Conv 3x3 stride 1, no own padding, group 1."""
    return (resize.op_type == "Resize" and _attr(resize, "mode", b"nearest") == b"nearest"
            and _initializer_values(graph, resize.input[2]) == [1, 1, 2, 2]
            and pad.op_type == "Pad" and _attr(pad, "mode") == b"reflect"
            and _initializer_values(graph, pad.input[1]) == [0, 0, 1, 1, 0, 0, 1, 1]
            and conv.op_type == "Conv" and list(_attr(conv, "kernel_shape", [])) == [3, 3]
            and list(_attr(conv, "strides", [1, 1])) == [1, 1] and _attr(conv, "group", 1) == 1
            and list(_attr(conv, "pads", [0, 0, 0, 0])) == [0, 0, 0, 0])


def upgrade(model):
    """Rewrites the graph in place; returns how many upsampling layers changed."""
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    replaced = {}
    for conv in graph.node:
        pad = producer.get(conv.input[0]) if conv.op_type == "Conv" else None
        resize = producer.get(pad.input[0]) if pad is not None else None
        if resize is None or not _is_upsample_conv(resize, pad, conv, graph):
            continue
        x, k3, out = resize.input[0], conv.input[1], conv.output[0]
        nodes = [
            helper.make_node("Pad", [x, "pads_edge_1"], [x + "_edge_pad"], name=x + "_edge_pad/Pad", mode="edge"),
            helper.make_node("MatMul", ["upsample_conv_taps", k3], [k3 + "_rows"], name=k3 + "_rows/MatMul"),
            helper.make_node("MatMul", [k3 + "_rows", "upsample_conv_taps_t"], [k3 + "_4x4"],
                             name=k3 + "_4x4/MatMul"),
            helper.make_node("Transpose", [k3 + "_4x4"], [k3 + "_4x4_io"], name=k3 + "_4x4_io/Transpose",
                             perm=[1, 0, 2, 3]),
            helper.make_node("ConvTranspose", [x + "_edge_pad", k3 + "_4x4_io", *conv.input[2:]], [out],
                             name=out + "/ConvTranspose", kernel_shape=[4, 4], strides=[2, 2], pads=[3, 3, 3, 3]),
        ]
        replaced[id(conv)] = nodes
        replaced[id(pad)] = replaced[id(resize)] = []
    if not replaced:
        return 0
    kept = []
    for n in graph.node:
        kept += replaced.get(id(n), [n])
    del graph.node[:]
    graph.node.extend(kept)
    graph.initializer.extend([numpy_helper.from_array(TAPS, "upsample_conv_taps"),
                              numpy_helper.from_array(TAPS.T.copy(), "upsample_conv_taps_t"),
                              numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads_edge_1")])
    used = {i for n in graph.node for i in n.input}
    unused = [i for i in graph.initializer if i.name not in used]  # the x2 scales, if nothing else reads them
    for init in unused:
        graph.initializer.remove(init)
    return sum(1 for nodes in replaced.values() if nodes)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        model = onnx.load(path)
        count = upgrade(model)
        if count:
            onnx.checker.check_model(model, full_check=True)
            tmp = path + ".tmp"
            onnx.save(model, tmp)
            os.replace(tmp, path)
        print(f"{path}: {count} upsampling layer(s) rewritten")


if __name__ == "__main__":
    main()
