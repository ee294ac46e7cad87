#!/usr/bin/python3
"""scripts/upgrade_style_graph.py keeps the function: an upsampling layer in the first export's form (Resize
nearest x2 -> Pad reflect 1 -> Conv 3x3 with a float16 kernel behind a Cast), random weights, is rewritten to
Pad edge -> ConvTranspose, and onnxruntime-node gives the same output for both on a non-square input; a layer the
rewrite does not cover (a 5x5 kernel) is left as it was.

    test_upgrade_style_graph.py REPO WORK_DIR"""
import json, os, subprocess, sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

repo, work = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(repo, "scripts"))
import upgrade_style_graph  # noqa: E402

os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(7)


def upsample_layer_model(kernel):
    """x [1, 5, h, w] -> nearest x2 -> reflect pad kernel//2 -> conv (5 -> 6 channels), as the old exporter wrote."""
    w = (rng.standard_normal((6, 5, kernel, kernel)) * 0.2).astype(np.float16)
    b = rng.standard_normal(6).astype(np.float32)
    p = kernel // 2
    nodes = [
        helper.make_node("Resize", ["x", "", "scales_2x"], ["x_up"], mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
        helper.make_node("Pad", ["x_up", "pads"], ["x_up_pad"], mode="reflect"),
        helper.make_node("Cast", ["w.fp16"], ["w"], to=TensorProto.FLOAT),
        helper.make_node("Conv", ["x_up_pad", "w", "b"], ["y"], kernel_shape=[kernel, kernel], strides=[1, 1],
                         pads=[0, 0, 0, 0], group=1),
    ]
    inits = [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales_2x"),
             numpy_helper.from_array(np.array([0, 0, p, p, 0, 0, p, p], np.int64), "pads"),
             numpy_helper.from_array(w, "w.fp16"), numpy_helper.from_array(b, "b")]
    graph = helper.make_graph(nodes, "upsample_layer",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 5, "h", "w"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, "h2", "w2"])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def run_in_onnxruntime_node(files, shape):
    """Outputs of each file on one random input, through onnxruntime-node (the repo's node_modules)."""
    script = """
const ort = require('onnxruntime-node');
const [shape, files] = JSON.parse(process.argv[1]);
const n = shape.reduce((a, b) => a * b, 1);
const x = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3), shape);
(async () => {
  const out = [];
  for (const f of files) out.push(Array.from((await (await ort.InferenceSession.create(f)).run({ x })).y.data));
  console.log(JSON.stringify(out));
})();
"""
    result = subprocess.run(["node", "-e", script, json.dumps([shape, files])], capture_output=True, text=True,
                            cwd=repo, env={**os.environ, "NODE_PATH": os.path.join(repo, "node_modules")})
    assert result.returncode == 0, result.stderr
    return [np.array(o, np.float32) for o in json.loads(result.stdout)]


old = upsample_layer_model(3)
old_file, new_file = os.path.join(work, "upsample-old.onnx"), os.path.join(work, "upsample-new.onnx")
onnx.save(old, old_file)
new = onnx.ModelProto()
new.CopyFrom(old)
assert upgrade_style_graph.upgrade(new) == 1
onnx.checker.check_model(new, full_check=True)
onnx.save(new, new_file)
ops = [n.op_type for n in new.graph.node]
assert "Resize" not in ops and ops.count("ConvTranspose") == 1, ops
assert any(i.name == "w.fp16" and i.data_type == TensorProto.FLOAT16 for i in new.graph.initializer), \
    "the float16 kernel is kept, not replaced by a float32 copy"

a, b = run_in_onnxruntime_node([old_file, new_file], [1, 5, 6, 10])
assert a.shape == b.shape == (6 * 12 * 20,), (a.shape, b.shape)
diff = float(np.abs(a - b).max())
assert diff < 1e-4 * max(1.0, float(np.abs(a).max())), diff
print(f"3x3 upsampling layer rewritten: max difference {diff:.2e} (outputs up to {np.abs(a).max():.1f})")

untouched = upsample_layer_model(5)
assert upgrade_style_graph.upgrade(untouched) == 0
assert [n.op_type for n in untouched.graph.node] == ["Resize", "Pad", "Cast", "Conv"]
print("5x5 upsampling layer left as it was")
