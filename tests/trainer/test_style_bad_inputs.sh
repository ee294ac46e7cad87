#!/usr/bin/env bash
# Bad inputs to `style` and `gatys`: each must exit 1 (not crash) with a message naming the cause.
# usage: test_style_bad_inputs.sh TRAINER SHARED_DATA WORK_DIR
set -uo pipefail
trainer=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work/empty" "$work/content"
style="$data/paintings/opencv_starry_night.jpg"
[ -f "$style" ] || { echo "skipped: $style not found"; exit 77; }
cp "$(ls "$data"/photos/*.jpg | head -1)" "$work/content/"
echo "this is not an image" > "$work/not-an-image.png"
failures=0
# expect NAME PATTERN ARGS...: exit code 1 and PATTERN (grep -E) in stderr.
expect() {
  local name=$1 pattern=$2; shift 2
  timeout 60 "$trainer" "$@" > "$work/$name.out" 2> "$work/$name.err"
  local rc=$?
  if [ $rc -ne 1 ] || ! grep -Eq "$pattern" "$work/$name.err"; then
    echo "FAIL $name: exit $rc, stderr: $(cat "$work/$name.err")"; failures=$((failures + 1))
  else
    echo "ok   $name: $(head -c 200 "$work/$name.err")"
  fi
}
common=(--image-size 32 --steps 1 --threads 1)
expect missing_style "nope\.jpg" style --style "$work/nope.jpg" --content "$work/content" --out "$work/r1" "${common[@]}"
expect empty_content "empty.*(no|none)" style --style "$style" --content "$work/empty" --out "$work/r2" "${common[@]}"
expect not_an_image "not-an-image\.png" style --style "$work/not-an-image.png" --content "$work/content" --out "$work/r3" "${common[@]}"
expect wrong_weights "/no/such/folder/model.min.js" style --style "$style" --content "$work/content" --out "$work/r4" \
  --loss-weights /no/such/folder "${common[@]}"
expect wrong_vgg_file "not-an-image\.png.*TorchScript" style --style "$style" --content "$work/content" --out "$work/r5" \
  --loss-net vgg16 --loss-weights "$work/not-an-image.png" "${common[@]}"
expect bad_layer "no layer 'block_99'" style --style "$style" --content "$work/content" --out "$work/r6" \
  --style-layers block_99 "${common[@]}"
# Crops too small for the loss network once jittered and halved: a message naming the options, not LibTorch's.
expect too_small_for_loss "cannot take the 12x12 px image a 32x32 crop becomes .* loss scale 0.5: raise --image-size" \
  style --style "$style" --content "$work/content" --out "$work/r7" --loss-scales 0.5 --calibration-count 2 "${common[@]}"
expect gatys_no_calibration "needs --calibration-photos DIR" gatys --style "$style" --content "$(ls "$work"/content/* | head -1)" \
  --out "$work/g2" --image-size 32 --steps 1
expect gatys_missing_content "nope\.jpg" gatys --style "$style" --content "$work/nope.jpg" --out "$work/g1" --image-size 32 --steps 1
[ $failures -eq 0 ] || { echo "$failures bad-input case(s) failed"; exit 1; }
echo "style bad inputs: ok"
