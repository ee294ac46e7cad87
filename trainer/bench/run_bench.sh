#!/usr/bin/env bash
# One style training step (TransformerNet width 16 + MobileNetV2 perceptual loss + Adam, 256x256, batch 4) in our
# C++ vs the same network, loss and start weights in PyTorch (Debian python3-torch). Each runs in its own
# process, so each VmHWM is its own peak. Not a test; see README.md for figures.
# usage: trainer/bench/run_bench.sh BUILD_DIR [STEPS=5] [THREADS=0 (library default)]
set -euo pipefail
build=$1 steps=${2:-5} threads=${3:-0}
here=$(cd "$(dirname "$0")" && pwd)
bench="$build/bin/styleforge_style_bench"
[ -x "$bench" ] || bench=$(find "$build" -name styleforge_style_bench -type f -perm -u+x | head -1)
[ -n "$bench" ] || { echo "styleforge_style_bench not built: cmake --build $build --target styleforge_style_bench"; exit 1; }
graph=$(mktemp -d)
trap 'rm -rf "$graph"' EXIT
common=(--steps "$steps" --warmup 1 --size 256 --batch 4 --width 16 --threads "$threads")
cpp=$(timeout 1800 "$bench" "${common[@]}" --export-graph "$graph")
echo "$cpp"
py=$(timeout 1800 /usr/bin/python3 "$here/bench_pytorch.py" "$graph" "${common[@]}")
echo "$py"
rate() { sed -E 's/.*: ([0-9.]+) steps\/s.*/\1/' <<< "$1"; }
awk -v c="$(rate "$cpp")" -v p="$(rate "$py")" 'BEGIN { printf "ratio C++ / PyTorch: %.2fx (steps/s)\n", c / p }'
