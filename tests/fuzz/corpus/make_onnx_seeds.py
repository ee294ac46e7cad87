#!/usr/bin/python3
"""Writes the seeds of the onnx_metadata fuzz target (onnx_metadata/seed_*): tiny ONNX ModelProtos (one Identity
node) with the metadata `styleforge-trainer export` writes: a style model with its manifest entry, the same without
the entry (an export from before it was stored), and a generator. The first is also written as
tests/shared/data/python-onnx-style.onnx, where test_onnx_metadata.cpp reads it: bytes from protobuf's own
serializer, not ours. Needs Debian's python3-onnx. The committed files are what the tests use; rerun only to change
them."""
import json
import pathlib

import onnx
from onnx import TensorProto, helper

HERE = pathlib.Path(__file__).resolve().parent / "onnx_metadata"
SHARED_TEST_DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"
UNIT = {"scale": 1, "mean": [0, 0, 0], "std": [1, 1, 1]}
STYLE_ENTRY = {
    "id": "seed-style", "name": "Seed style", "kind": "style", "file": "seed-style.onnx",
    "input": {"name": "image", "layout": "NCHW", "normalization": UNIT},
    "output": {"name": "stylized", "layout": "NCHW", "normalization": UNIT},
    "max_tile": 512, "size_multiple": 4, "credits": "fuzz seed",
}


def model(metadata):
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])
    y = helper.make_tensor_value_info("stylized", TensorProto.FLOAT, [1, 3, "height", "width"])
    graph = helper.make_graph([helper.make_node("Identity", ["image"], ["stylized"])], "seed", [x], [y])
    m = helper.make_model(graph, producer_name="styleforge-trainer", opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    helper.set_model_props(m, metadata)
    onnx.checker.check_model(m)
    return m.SerializeToString()


def main():
    HERE.mkdir(exist_ok=True)
    seeds = {
        "seed_style_with_entry.onnx": {"styleforge.kind": "style", "styleforge.step": "4",
                                       "styleforge.manifest_entry": json.dumps(STYLE_ENTRY)},
        "seed_style_without_entry.onnx": {"styleforge.kind": "style", "styleforge.step": "4"},
        "seed_generator.onnx": {"styleforge.kind": "dcgan"},
    }
    for name, metadata in seeds.items():
        (HERE / name).write_bytes(model(metadata))
        print(f"wrote {HERE / name}")
    (SHARED_TEST_DATA / "python-onnx-style.onnx").write_bytes(model(seeds["seed_style_with_entry.onnx"]))
    print(f"wrote {SHARED_TEST_DATA / 'python-onnx-style.onnx'}")


if __name__ == "__main__":
    main()
