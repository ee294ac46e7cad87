"""Runs the official ONNX checker (full_check: shapes and types inferred through every node) on each file given.
usage: /usr/bin/python3 check_onnx.py FILE.onnx [...]   (Debian python3-onnx)"""
import sys

import onnx

failed = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
        print(f"ok: {path} (opset {opset}, {len(model.graph.node)} nodes)")
    except Exception as e:  # the checker raises several exception types; report them all alike
        print(f"FAIL: {path}: {e}", file=sys.stderr)
        failed += 1
sys.exit(1 if failed or len(sys.argv) < 2 else 0)
