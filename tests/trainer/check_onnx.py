"""Runs the official ONNX checker (full_check: shapes and types inferred through every node) on each file given.
With --manifest FILE (what `export --manifest` wrote), also checks that each file's metadata carries its own manifest
entry under "styleforge.manifest_entry", equal to the manifest's entry whose "file" is that file's name (the entry
the web app reads from a dropped file).
usage: /usr/bin/python3 check_onnx.py [--manifest FILE] FILE.onnx [...]   (Debian python3-onnx)"""
import json
import os
import sys

import onnx

args = sys.argv[1:]
manifest = None
if len(args) >= 2 and args[0] == "--manifest":
    with open(args[1], encoding="utf-8") as f:
        manifest = {m["file"]: m for m in json.load(f)["models"]}
    args = args[2:]

failed = 0
for path in args:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
        note = ""
        if manifest is not None:
            props = {p.key: p.value for p in model.metadata_props}
            if "styleforge.manifest_entry" not in props:
                raise ValueError("no styleforge.manifest_entry metadata")
            entry = json.loads(props["styleforge.manifest_entry"])
            expected = manifest.get(os.path.basename(path))
            if entry != expected:
                raise ValueError(f"styleforge.manifest_entry {entry} differs from the manifest's entry {expected}")
            note = f", metadata entry '{entry['id']}' ({entry['kind']}) matches the manifest"
        print(f"ok: {path} (opset {opset}, {len(model.graph.node)} nodes{note})")
    except Exception as e:  # the checker raises several exception types; report them all alike
        print(f"FAIL: {path}: {e}", file=sys.stderr)
        failed += 1
sys.exit(1 if failed or len(args) < 1 else 0)
