#!/usr/bin/python3
"""PyTorch twin of styleforge_style_bench: the same training step (TransformerNet + MobileNetV2 perceptual loss,
Adam), from the graph and weights the C++ benchmark exported with --export-graph DIR.

usage: /usr/bin/python3 bench_pytorch.py DIR [--steps N] [--warmup N] [--size PX] [--batch N] [--width W]
                                             [--threads T]
Prints steps/s and peak memory (VmHWM) in the same format as the C++ benchmark.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- TransformerNet, module names as trainer/src/nets/transformer_net.cpp -------------------------------------
class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.pad = k // 2
        self.conv = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        return self.conv(F.pad(x, [self.pad] * 4, mode="reflect"))


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = ConvLayer(cin, cout, k, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


def instance_norm(c):
    return nn.InstanceNorm2d(c, eps=1e-5, affine=True, track_running_stats=False)


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(c, c, 3, 1), instance_norm(c)
        self.conv2, self.in2 = ConvLayer(c, c, 3, 1), instance_norm(c)

    def forward(self, x):
        return x + self.in2(self.conv2(F.relu(self.in1(self.conv1(x)))))


class TransformerNet(nn.Module):
    def __init__(self, w=16, blocks=5):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(3, w, 9, 1), instance_norm(w)
        self.conv2, self.in2 = ConvLayer(w, 2 * w, 3, 2), instance_norm(2 * w)
        self.conv3, self.in3 = ConvLayer(2 * w, 4 * w, 3, 2), instance_norm(4 * w)
        self.res = nn.ModuleList([ResidualBlock(4 * w) for _ in range(blocks)])
        self.up1, self.in4 = UpsampleConvLayer(4 * w, 2 * w, 3), instance_norm(2 * w)
        self.up2, self.in5 = UpsampleConvLayer(2 * w, w, 3), instance_norm(w)
        self.conv_out = ConvLayer(w, 3, 9, 1)

    def forward(self, x):
        y = F.relu(self.in1(self.conv1(x)))
        y = F.relu(self.in2(self.conv2(y)))
        y = F.relu(self.in3(self.conv3(y)))
        for block in self.res:
            y = block(y)
        y = F.relu(self.in4(self.up1(y)))
        y = F.relu(self.in5(self.up2(y)))
        return self.conv_out(y)


def load_transformer(net, directory):
    flat = np.fromfile(f"{directory}/transformer.bin", dtype="<f4")
    params = dict(net.named_parameters())
    offset = 0
    with open(f"{directory}/transformer.txt") as names:
        for line in names:
            key, count = line.split()
            count = int(count)
            with torch.no_grad():
                params[key].copy_(torch.from_numpy(flat[offset:offset + count].copy()).view_as(params[key]))
            offset += count


# --- MobileNetV2 graph as exported by MobileNetV2Features::write_graph ---------------------------------------
class GraphNet(nn.Module):
    def __init__(self, directory):
        super().__init__()
        graph = json.load(open(f"{directory}/mobilenet.json"))
        flat = torch.from_numpy(np.fromfile(f"{directory}/mobilenet.bin", dtype="<f4"))
        self.imagenet = graph["input_range"] == "imagenet"
        self.ops = graph["ops"]
        for i, op in enumerate(self.ops):
            if op["kind"] == "conv":
                for part in ("weight", "bias"):
                    spec = op[part]
                    n = int(np.prod(spec["shape"]))
                    self.register_buffer(f"op{i}_{part}", flat[spec["offset"]:spec["offset"] + n].view(spec["shape"]).clone())

    @staticmethod
    def pad_same(x, k, s):
        def amount(size):
            out = (size + s - 1) // s
            return max((out - 1) * s + k - size, 0)
        ph, pw = amount(x.shape[2]), amount(x.shape[3])
        return F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2]) if ph or pw else x

    def features(self, rgb255, layers):
        x = rgb255 / 127.5 - 1.0 if self.imagenet else rgb255 / 255.0
        index = {op["name"]: i for i, op in enumerate(self.ops)}
        wanted = [index[name] for name in layers]
        values = [None] * len(self.ops)
        for i in range(max(wanted) + 1):
            op = self.ops[i]
            kind = op["kind"]
            if kind == "input":
                values[i] = x
            elif kind == "zeropad":
                values[i] = F.pad(values[op["inputs"][0]], op["pad"])
            elif kind == "conv":
                inp = values[op["inputs"][0]]
                if op["same_padding"]:
                    inp = self.pad_same(inp, op["kernel"], op["stride"])
                values[i] = F.conv2d(inp, getattr(self, f"op{i}_weight"), getattr(self, f"op{i}_bias"),
                                     stride=op["stride"], groups=op["groups"])
            elif kind == "relu6":
                values[i] = torch.clamp(values[op["inputs"][0]], 0.0, 6.0)
            elif kind == "add":
                values[i] = values[op["inputs"][0]] + values[op["inputs"][1]]
        return [values[w] for w in wanted]


# --- perceptual loss as trainer/src/loss/perceptual.cpp (no smoothing) -----------------------------------------
STYLE_LAYERS = ["Conv1_relu", "block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu",
                "block_10_expand_relu"]
CONTENT_LAYER = "block_6_expand_relu"


def gram(f):
    n, c, h, w = f.shape
    f = f.reshape(n, c, h * w)
    return torch.bmm(f, f.transpose(1, 2)) / (c * h * w)


def total_variation(x):
    return (x[:, :, :, 1:] - x[:, :, :, :-1]).abs().mean() + (x[:, :, 1:, :] - x[:, :, :-1, :]).abs().mean()


def vm_hwm_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    network = GraphNet(a.dir).eval()
    net = TransformerNet(a.width, 5)
    load_transformer(net, a.dir)
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)
    with torch.no_grad():
        style_grams = [gram(f) for f in network.features(torch.rand(1, 3, a.size, a.size) * 255, STYLE_LAYERS)]
    content = torch.rand(a.batch, 3, a.size, a.size) * 255

    def step():
        with torch.no_grad():
            target = network.features(content, [CONTENT_LAYER])[0]
        adam.zero_grad()
        out = net(content)
        f = network.features(out, STYLE_LAYERS + [CONTENT_LAYER])
        style = sum((gram(fi) - g.expand(fi.shape[0], -1, -1)).pow(2).mean() for fi, g in zip(f[:-1], style_grams))
        total = 50.0 * style + (f[-1] - target).pow(2).mean() + 1e-4 * total_variation(out)
        total.backward()
        adam.step()
        return total.item()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    last = 0.0
    for _ in range(a.steps):
        last = step()
    seconds = time.perf_counter() - start
    print(f"pytorch-python: {a.steps} steps of batch {a.batch} at {a.size}x{a.size}, width {a.width}, "
          f"{torch.get_num_threads()} threads: {a.steps / seconds:.3f} steps/s ({seconds / a.steps:.2f} s/step), "
          f"peak memory VmHWM {vm_hwm_mib():.0f} MiB, last loss {last:.6g}")


if __name__ == "__main__":
    main()
