#!/usr/bin/python3
"""Compares the weights of two trainer files (model.pt / checkpoint.pt: TorchScript archives, read with python3-torch).

    compare_weights.py A B --same [--tolerance 1e-5]   exit 0 if every tensor matches within the tolerance
    compare_weights.py A B --differ                    exit 0 if some tensor differs by more than the tolerance
    --ignore NAME (repeatable): leave that tensor out, e.g. `step` when two runs of different lengths are compared

Prints the largest absolute difference and the tensor it is in. Tensors are matched by name; a name in only one
file is a failure either way."""
import argparse
import sys

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--same", action="store_true")
    mode.add_argument("--differ", action="store_true")
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--ignore", action="append", default=[])
    a = ap.parse_args()
    sa, sb = ({k: v for k, v in torch.jit.load(f).state_dict().items() if k not in a.ignore} for f in (a.a, a.b))
    if set(sa) != set(sb):
        print(f"different tensors: only in A {sorted(set(sa) - set(sb))}, only in B {sorted(set(sb) - set(sa))}")
        return 1
    worst, where = 0.0, ""
    for name in sorted(sa):
        diff = (sa[name].double() - sb[name].double()).abs().max().item() if sa[name].numel() else 0.0
        if diff > worst:
            worst, where = diff, name
    print(f"{len(sa)} tensors; largest difference {worst:.3g} in {where or '-'} (tolerance {a.tolerance:g})")
    ok = worst <= a.tolerance if a.same else worst > a.tolerance
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
