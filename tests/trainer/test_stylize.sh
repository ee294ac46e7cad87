#!/usr/bin/env bash
# `stylize` on a style run: output sizes (also a side that is no multiple of 4, and a folder of two files),
# strength 0 reproduces the input, tiled vs untiled agree, --preserve-colour runs, bad inputs exit 1 naming the cause.
# usage: test_stylize.sh TRAINER IMAGE_TOOL RUN_DIR SHARED_DATA WORK_DIR   (exit 77 = skipped: no photos)
set -euo pipefail
trainer=$1 tool=$2 run=$3 data=$4 work=$5
photo=$(ls "$data"/photos/*.jpg 2>/dev/null | head -1 || true)
[ -n "$photo" ] || { echo "skipped: no photos in $data/photos"; exit 77; }
rm -rf "$work" && mkdir -p "$work/in" "$work/empty"
fail() { echo "FAIL: $*"; exit 1; }
st() { timeout 120 "$trainer" stylize --model "$run" --threads 1 "$@"; }

"$tool" resize "$photo" "$work/in/a.png" 96 72
"$tool" resize "$photo" "$work/in/b.png" 70 45      # neither side a multiple of 4
"$tool" resize "$photo" "$work/big.png" 200 152

# Sizes: one file, an odd-sized file, a folder of two.
st --input "$work/in/a.png" --output "$work/a_out.png" > "$work/log" 2>&1 || { cat "$work/log"; fail "stylize a.png"; }
[ "$("$tool" size "$work/a_out.png")" = 96x72 ] || fail "a_out.png is $("$tool" size "$work/a_out.png"), expected 96x72"
st --input "$work/in/b.png" --output "$work/b_out.png" > "$work/log" 2>&1 || { cat "$work/log"; fail "stylize b.png"; }
[ "$("$tool" size "$work/b_out.png")" = 70x45 ] || fail "b_out.png is $("$tool" size "$work/b_out.png"), expected 70x45"
st --input "$work/in" --output "$work/folder_out" > "$work/log" 2>&1 || { cat "$work/log"; fail "stylize folder"; }
[ "$(ls "$work/folder_out" | wc -l)" -eq 2 ] || fail "folder output should hold 2 files: $(ls "$work/folder_out")"
[ "$("$tool" size "$work/folder_out/b.png")" = 70x45 ] || fail "folder_out/b.png has the wrong size"
# The network really changed the image (the fixture's weights are far from identity).
read -r _ changed _ _ < <("$tool" diff "$work/in/a.png" "$work/a_out.png")
[ "$changed" -gt 10 ] || fail "stylised output is (nearly) the input: max diff $changed"

# Strength 0 gives back the input (within 1/255).
st --input "$work/in/b.png" --output "$work/b_s0.png" --strength 0 > "$work/log" 2>&1 || { cat "$work/log"; fail "strength 0"; }
read -r _ max _ mean < <("$tool" diff "$work/in/b.png" "$work/b_s0.png")
[ "$max" -le 1 ] || fail "strength 0 differs from the input by up to $max/255"

# Tiled (two 160 px tiles, 48 px overlap) vs one pass. Instance norm takes its statistics per tile, so tiles are
# styled a little differently (shared/include/styleforge/tiling.h), and this fixture's random weights amplify that:
# its outputs saturate, so a small change of statistics flips whole pixels. Measured here: mean abs diff 14/255 over
# RGB, while an unrelated output of the same net differs by ~65/255; bound: mean < 20/255. A net trained 40 steps on
# Starry Night (too slow for a test here: 80 s) gave mean 3.1/255 at these settings, 20.6/255 with 96 px tiles
# (2x2 tiles, statistics of a quarter of the image each). (The exact tiled = untiled
# property is tested in shared/ with local backends; this checks the LibTorch backend behind run_tiled.)
st --input "$work/big.png" --output "$work/whole.png" > "$work/log" 2>&1 || { cat "$work/log"; fail "untiled"; }
st --input "$work/big.png" --output "$work/tiled.png" --max-tile 160 --overlap 48 > "$work/log" 2>&1 \
  || { cat "$work/log"; fail "tiled"; }
grep -q "max tile 160" "$work/log" || fail "tiled run did not use --max-tile 160"
read -r _ max _ mean < <("$tool" diff "$work/whole.png" "$work/tiled.png")
echo "tiled vs untiled: max $max mean $mean"
awk -v m="$mean" 'BEGIN { exit !(m < 20) }' || fail "tiled vs untiled mean diff $mean >= 20"

st --input "$work/in/a.png" --output "$work/a_colour.png" --preserve-colour --strength 0.7 > "$work/log" 2>&1 \
  || { cat "$work/log"; fail "--preserve-colour"; }

# Bad inputs: exit 1 and a message naming the cause.
expect_fail() {  # expect_fail PATTERN args...
  local pattern=$1; shift
  set +e; st "$@" > "$work/log" 2>&1; local code=$?; set -e
  [ "$code" -eq 1 ] || { cat "$work/log"; fail "expected exit 1 for $*, got $code"; }
  grep -q "$pattern" "$work/log" || { cat "$work/log"; fail "message for $* lacks '$pattern'"; }
}
printf 'not an image' > "$work/broken.png"
expect_fail "broken.png: not a PNG or JPEG" --input "$work/broken.png" --output "$work/x.png"
expect_fail "holds no PNG or JPEG" --input "$work/empty" --output "$work/x"
set +e; timeout 60 "$trainer" stylize --model "$work/no-such-run" --input "$work/in/a.png" --output "$work/x.png" \
  > "$work/log" 2>&1; code=$?; set -e
[ "$code" -eq 1 ] && grep -q "no-such-run does not exist" "$work/log" || { cat "$work/log"; fail "missing model dir"; }
echo "stylize: ok"
