#!/usr/bin/env bash
# `augment`: N files per input with the input's size, a manifest line per copy, byte-identical files for the
# same seed (and different ones for another seed), bad inputs exit 1 naming the cause.
# usage: test_augment.sh TRAINER IMAGE_TOOL RUN_DIR_1 RUN_DIR_2 SHARED_DATA WORK_DIR   (exit 77 = no photos)
set -euo pipefail
trainer=$1 tool=$2 run1=$3 run2=$4 data=$5 work=$6
photos=$(ls "$data"/photos/*.jpg 2>/dev/null | head -2 || true)
[ -n "$photos" ] || { echo "skipped: no photos in $data/photos"; exit 77; }
rm -rf "$work" && mkdir -p "$work/in" "$work/empty"
fail() { echo "FAIL: $*"; exit 1; }
i=0; for p in $photos; do "$tool" resize "$p" "$work/in/photo$i.png" $((64 + 6 * i)) 50; i=$((i + 1)); done
aug() { timeout 120 "$trainer" augment --styles "$run1,$run2" --threads 1 "$@"; }

for out in out1 out2; do
  aug --input "$work/in" --output "$work/$out" --copies 3 --seed 5 > "$work/log" 2>&1 || { cat "$work/log"; fail "augment"; }
done
aug --input "$work/in" --output "$work/out3" --copies 3 --seed 6 > "$work/log" 2>&1 || { cat "$work/log"; fail "augment seed 6"; }
[ "$(ls "$work/out1"/*_aug*.png | wc -l)" -eq 6 ] || fail "expected 6 files (2 inputs x 3 copies): $(ls "$work/out1")"
[ "$(wc -l < "$work/out1/augment.jsonl")" -eq 6 ] || fail "augment.jsonl should have 6 lines"
grep -q '"output":"photo1_aug2.png"' "$work/out1/augment.jsonl" || fail "manifest lacks photo1_aug2.png"
for key in style strength flip rotation_deg crop; do grep -q "\"$key\"" "$work/out1/augment.jsonl" || fail "manifest lacks $key"; done
[ "$("$tool" size "$work/out1/photo1_aug0.png")" = 70x50 ] || fail "photo1_aug0.png should keep its input's 70x50"
for f in "$work"/out1/*; do cmp -s "$f" "$work/out2/$(basename "$f")" || fail "seed 5 twice: $(basename "$f") differs"; done
cmp -s "$work/out1/augment.jsonl" "$work/out3/augment.jsonl" && fail "seeds 5 and 6 drew the same augmentations"
# Both styles are used across the copies (6 draws from 2 styles; seed 5 picks both).
[ "$(grep -o '"style":"[^"]*"' "$work/out1/augment.jsonl" | sort -u | wc -l)" -eq 2 ] || fail "only one style was drawn"

expect_fail() {  # expect_fail PATTERN args...
  local pattern=$1; shift
  set +e; timeout 60 "$trainer" augment --threads 1 "$@" > "$work/log" 2>&1; local code=$?; set -e
  [ "$code" -eq 1 ] || { cat "$work/log"; fail "expected exit 1 for $*, got $code"; }
  grep -q "$pattern" "$work/log" || { cat "$work/log"; fail "message for $* lacks '$pattern'"; }
}
expect_fail "holds no PNG or JPEG" --styles "$run1" --input "$work/empty" --output "$work/x"
expect_fail "no-such-run does not exist" --styles "$run1,$work/no-such-run" --input "$work/in" --output "$work/x"
printf 'not an image' > "$work/empty/broken.jpg"
expect_fail "broken.jpg: not a PNG or JPEG" --styles "$run1" --input "$work/empty" --output "$work/x"
echo "augment: ok"
