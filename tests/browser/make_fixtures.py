#!/usr/bin/python3
"""Writes the browser tests' fixtures into OUT_DIR (run with Debian's /usr/bin/python3 + python3-onnx):

  models/       tiny ONNX models with fixed-seed random weights, and their manifest.json
    tiny-style.onnx, tiny-style-b.onnx   Conv(s2)/InstanceNormalization/Relu/Resize(nearest)/Conv/Sigmoid
    tiny-style-fast.onnx                 the same at half the width: tiny-style's fast network (variant_of)
    tiny-local.onnx                      stride 1, no InstanceNormalization/Resize: tiling must not change it
    tiny-gan.onnx                        latent -> Gemm/Reshape/Relu/Resize/Conv/Tanh, 32x32 RGB
    tiny-cgan.onnx                       the same, class-conditional: latent = 16 z values + a one-hot of 3
                                         (manifest: default truncation 0.75)
                                         classes, with two named directions in the manifest
    tiny-vae-encoder.onnx / -decoder     image 32x32 -> latent mean (+ logvar); latent -> image
    broken.onnx                          not an ONNX file: a model that fails to load
    tiny-style.png                       thumbnail
  empty-models/manifest.json             a site that ships no models yet
  inputs/       photo.png (320x240), tiny.png (64x48), medium.png (1000x664), large.png (3000x2000),
                not-an-image.png (text), truncated.png, huge-header.png (PNG header claiming 100000x100000)

These models are not trained: they only have to be real ONNX graphs of the operators our style nets use, so that
the browser (ONNX Runtime Web) and node (onnxruntime-node) can be compared on them.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
LATENT = 16
GEN_SIDE = 32


def weights(rng, *shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def save(model_graph, path):
    model = helper.make_model(model_graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="styleforge-test-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)


def style_net(seed, path, instance_norm=True, c=8):
    """instance_norm=False gives a purely local, stride-1 net (no InstanceNormalization, no Resize): tiled and
    untiled runs of it must agree to the pixel wherever tiles are placed. c: channels between the two convs."""
    rng = np.random.default_rng(seed)
    inits = [
        numpy_helper.from_array(weights(rng, c, 3, 3, 3), "w1"),
        numpy_helper.from_array(weights(rng, c, scale=0.1), "b1"),
        numpy_helper.from_array((1 + weights(rng, c, scale=0.2)), "gamma"),
        numpy_helper.from_array(weights(rng, c, scale=0.2).reshape(c, 1, 1) if not instance_norm
                                else weights(rng, c, scale=0.2), "beta"),
        numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
        numpy_helper.from_array(weights(rng, 3, c, 3, 3, scale=0.4), "w2"),
        numpy_helper.from_array(weights(rng, 3, scale=0.1), "b2"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         strides=[2, 2] if instance_norm else [1, 1]),
        helper.make_node("InstanceNormalization", ["c1", "gamma", "beta"], ["n1"], epsilon=1e-5) if instance_norm
        else helper.make_node("Add", ["c1", "beta"], ["n1"]),
        helper.make_node("Relu", ["n1"], ["r1"]),
        helper.make_node("Resize", ["r1", "", "scales"], ["u1"], mode="nearest") if instance_norm
        else helper.make_node("Identity", ["r1"], ["u1"]),
        helper.make_node("Conv", ["u1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["c2"], ["stylized"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_style",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])],
        [helper.make_tensor_value_info("stylized", TensorProto.FLOAT, [1, 3, "height", "width"])], inits)
    save(graph, path)


def generator(seed, path, name, latent=LATENT):
    rng = np.random.default_rng(seed)
    c = 8
    inits = [
        numpy_helper.from_array(weights(rng, latent, c * 8 * 8, scale=0.3), "wg"),
        numpy_helper.from_array(weights(rng, c * 8 * 8, scale=0.1), "bg"),
        numpy_helper.from_array(np.array([-1, c, 8, 8], np.int64), "shape"),
        numpy_helper.from_array(np.array([1, 1, GEN_SIDE / 8, GEN_SIDE / 8], np.float32), "scales"),
        numpy_helper.from_array(weights(rng, 3, c, 3, 3, scale=0.3), "wc"),
        numpy_helper.from_array(weights(rng, 3, scale=0.1), "bc"),
    ]
    nodes = [
        helper.make_node("Gemm", ["latent", "wg", "bg"], ["g"]),
        helper.make_node("Reshape", ["g", "shape"], ["g4"]),
        helper.make_node("Relu", ["g4"], ["r"]),
        helper.make_node("Resize", ["r", "", "scales"], ["u"], mode="nearest"),
        helper.make_node("Conv", ["u", "wc", "bc"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Tanh", ["c"], ["image"]),
    ]
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("latent", TensorProto.FLOAT, ["batch", latent])],
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, GEN_SIDE, GEN_SIDE])], inits)
    save(graph, path)


def encoder(seed, path):
    rng = np.random.default_rng(seed)
    c = 8
    flat = c * (GEN_SIDE // 4) ** 2
    inits = [
        numpy_helper.from_array(weights(rng, c, 3, 4, 4, scale=0.3), "w"),
        numpy_helper.from_array(weights(rng, c, scale=0.1), "b"),
        numpy_helper.from_array(weights(rng, flat, LATENT, scale=0.1), "wm"),
        numpy_helper.from_array(weights(rng, LATENT, scale=0.1), "bm"),
        numpy_helper.from_array(weights(rng, flat, LATENT, scale=0.1), "wv"),
        numpy_helper.from_array(weights(rng, LATENT, scale=0.1), "bv"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "w", "b"], ["c"], kernel_shape=[4, 4], strides=[4, 4]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Flatten", ["r"], ["f"]),
        helper.make_node("Gemm", ["f", "wm", "bm"], ["mean"]),
        helper.make_node("Gemm", ["f", "wv", "bv"], ["logvar"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_vae_encoder",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, GEN_SIDE, GEN_SIDE])],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [1, LATENT]),
         helper.make_tensor_value_info("logvar", TensorProto.FLOAT, [1, LATENT])], inits)
    save(graph, path)


CGAN_CLASSES = ["sneaker", "dress", "bag"]


def unit_vector(n, i):
    return [1.0 if k == i else 0.0 for k in range(n)]


def write_png(path, rgb):
    """RGB uint8 HxWx3 -> PNG (filter 0), by hand: only zlib is needed."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def photo(w, h, seed, noise=6.0):
    """A smooth synthetic 'photo' with edges and texture, so a style net's output is not flat."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 128 + 100 * np.sin(x / (w / 5.0)) * np.cos(y / (h / 3.0))
    g = 255 * x / max(1, w - 1)
    b = np.where((x // 40 + y // 40) % 2 == 0, 60.0, 200.0)
    img = np.stack([r, g, b], -1) + rng.normal(0, noise, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def style_cost(c):
    """style_net's multiply-adds per input pixel: conv1 (3x3x3 -> c) at stride 2, conv2 (3x3xc -> 3) at full size."""
    return {"macs_per_pixel": 27 * c // 4 + 27 * c}


def manifest_entry(id_, name, kind, file, inp, out, norm_in, norm_out, **extra):
    entry = {"id": id_, "name": name, "kind": kind, "file": file,
             "input": {"name": inp, "layout": "NCHW" if kind in ("style", "vae-encoder") else "NC",
                       "normalization": norm_in},
             "output": {"name": out, "layout": "NCHW" if kind != "vae-encoder" else "NC",
                        "normalization": norm_out},
             "credits": "styleforge test fixture: random weights, no artwork"}
    entry.update(extra)
    return entry


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_fixtures.py OUT_DIR")
    out = sys.argv[1]
    models = os.path.join(out, "models")
    inputs = os.path.join(out, "inputs")
    for d in (models, inputs, os.path.join(out, "empty-models")):
        os.makedirs(d, exist_ok=True)

    style_net(1, os.path.join(models, "tiny-style.onnx"))
    style_net(2, os.path.join(models, "tiny-style-b.onnx"))
    style_net(11, os.path.join(models, "tiny-style-fast.onnx"), c=4)
    style_net(6, os.path.join(models, "tiny-local.onnx"), instance_norm=False)
    generator(3, os.path.join(models, "tiny-gan.onnx"), "tiny_gan")
    generator(7, os.path.join(models, "tiny-cgan.onnx"), "tiny_cgan", LATENT + len(CGAN_CLASSES))
    encoder(4, os.path.join(models, "tiny-vae-encoder.onnx"))
    generator(5, os.path.join(models, "tiny-vae-decoder.onnx"), "tiny_vae_decoder")
    with open(os.path.join(models, "broken.onnx"), "wb") as f:
        f.write(b"this is not an ONNX model\n" * 4)
    write_png(os.path.join(models, "tiny-style.png"), photo(64, 64, 9))

    unit = {"scale": 1 / 255, "mean": [0, 0, 0], "std": [1, 1, 1]}
    tanh = {"scale": 1 / 255, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}
    style = dict(max_tile=512, size_multiple=2)
    gen = dict(latent_size=LATENT, image_size=GEN_SIDE)
    manifest = {"version": 1, "models": [
        manifest_entry("tiny-style", "Tiny style (test)", "style", "tiny-style.onnx", "image", "stylized", unit, unit,
                       thumbnail="tiny-style.png", cost=style_cost(8), **style),
        manifest_entry("tiny-style-fast", "Tiny style (test) (fast)", "style", "tiny-style-fast.onnx", "image",
                       "stylized", unit, unit, variant_of="tiny-style", cost=style_cost(4), **style),
        manifest_entry("tiny-style-b", "Tiny style B (test)", "style", "tiny-style-b.onnx", "image", "stylized", unit,
                       unit, **style),
        manifest_entry("tiny-local", "Tiny local style (test, no instance norm)", "style", "tiny-local.onnx", "image",
                       "stylized", unit, unit, **style),
        manifest_entry("broken", "Broken model (test)", "style", "broken.onnx", "image", "stylized", unit, unit,
                       **style),
        manifest_entry("tiny-gan", "Tiny GAN (test)", "gan", "tiny-gan.onnx", "latent", "image", unit, tanh, **gen),
        manifest_entry("tiny-cgan", "Tiny class GAN (test)", "gan", "tiny-cgan.onnx", "latent", "image", unit, tanh,
                       latent_size=LATENT + len(CGAN_CLASSES), image_size=GEN_SIDE, classes=CGAN_CLASSES,
                       truncation=0.75,  # the app's default truncation of z for this model
                       directions=[{"name": "wider", "vector": unit_vector(LATENT, 0)},
                                   {"name": "brighter", "vector": unit_vector(LATENT, 1)}]),
        manifest_entry("tiny-vae-encoder", "Tiny VAE encoder (test)", "vae-encoder", "tiny-vae-encoder.onnx", "image",
                       "mean", tanh, unit, **gen),
        manifest_entry("tiny-vae-decoder", "Tiny VAE decoder (test)", "vae-decoder", "tiny-vae-decoder.onnx",
                       "latent", "image", unit, tanh, **gen),
    ]}
    with open(os.path.join(models, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(out, "empty-models", "manifest.json"), "w") as f:
        json.dump({"version": 1, "models": []}, f)

    write_png(os.path.join(inputs, "photo.png"), photo(320, 240, 1))
    write_png(os.path.join(inputs, "tiny.png"), photo(64, 48, 2))
    write_png(os.path.join(inputs, "medium.png"), photo(1000, 664, 3, noise=0))
    write_png(os.path.join(inputs, "large.png"), photo(3000, 2000, 4, noise=0))
    write_png(os.path.join(inputs, "vae-b.png"), photo(96, 96, 5)[::-1].copy())
    with open(os.path.join(inputs, "not-an-image.png"), "w") as f:
        f.write("This is a text file with a .png name.\n")
    with open(os.path.join(inputs, "photo.png"), "rb") as f:
        data = f.read()
    with open(os.path.join(inputs, "truncated.png"), "wb") as f:
        f.write(data[: len(data) // 2])
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    with open(os.path.join(inputs, "huge-header.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr) & 0xFFFFFFFF))


if __name__ == "__main__":
    main()
