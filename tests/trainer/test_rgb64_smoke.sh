#!/usr/bin/env bash
# Smoke test of the 64 px colour path (issue 13 item 3, the emoji generator): on a tiny RGB idx dataset
# (make_rgb_idx.py: 3 classes of coloured shapes on white, the format scripts/emoji-data writes)
#   - the class-conditional dcgan at --image-size 64 with the emoji recipe (--upsample resize, --augment, --ema,
#     --condition projection) through
#     test_generator_smoke.sh (run files, previews, labels checks); its run is what trainer.export.cgan_rgb64
#     exports (so the resize generator's Resize + Conv graph is checked against LibTorch there)
#   - classify --channels 3 --image-size 64 learns, and refuses grey data given as colour
#   - generator-measure: the test images against themselves give FD 0, class accuracy = the test accuracy
# usage: test_rgb64_smoke.sh TRAINER WORK_DIR   (the dcgan run lands in WORK_DIR/dcgan/run)
set -uo pipefail
trainer=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; cat "$work/log" 2>/dev/null; exit 1; }
json() { /usr/bin/python3 -c "import json,sys; print(eval(sys.argv[2], {}, {'j': json.load(open(sys.argv[1]))}))" "$@"; }
data=$work/data
/usr/bin/python3 "$here/make_rgb_idx.py" "$data" || fail "make_rgb_idx.py exited $?"

# The emoji recipe: resize-convolution generator and differentiable augmentation (trainer/README.md).
"$here/test_generator_smoke.sh" "$trainer" dcgan "$data/train-images-idx4-ubyte.gz" "$work/dcgan" \
  "$data/train-labels-idx1-ubyte.gz" 3 64 --upsample resize --augment colour,translation,cutout --ema 0.9 \
  --condition projection || exit 1
grep -q '"upsample": "resize"' "$work/dcgan/run/options.json" || fail "options.json does not record --upsample resize"
grep -q '"condition": "projection"' "$work/dcgan/run/options.json" || fail "options.json does not record --condition"
grep -q '"ema": 0.9' "$work/dcgan/run/options.json" || fail "options.json does not record --ema 0.9"
# The checkpoint holds the average, the trained generator with its optimiser and the projection discriminator:
# a resume takes all three back (it refuses a checkpoint that lacks a part).
timeout 60 "$trainer" dcgan --out "$work/dcgan/run" --resume --steps 8 --threads 1 >"$work/log" 2>&1 ||
  fail "resuming the --ema --condition projection run exited $?"
grep -q "resumed at step 6" "$work/log" || fail "the --ema run did not resume at step 6"
grep -q "48 64x64 RGB idx images" "$work/dcgan/log" || fail "the dcgan run did not read 48 RGB 64x64 images"

run=$work/classify
set=(--data "$data/train-images-idx4-ubyte.gz" --labels "$data/train-labels-idx1-ubyte.gz"
     --test-data "$data/test-images-idx4-ubyte.gz" --test-labels "$data/test-labels-idx1-ubyte.gz" --classes 3
     --image-size 64)
timeout 60 "$trainer" classify "${set[@]}" --out "$work/grey" --steps 1 --threads 1 >"$work/log" 2>&1 &&
  fail "classify took RGB images with --channels 1"
grep -q "with 3 channel(s); --image-size is 64, --channels 1" "$work/log" || fail "unclear channels refusal"
timeout 60 "$trainer" classify "${set[@]}" --channels 3 --width 8 --features 16 --out "$run" --steps 30 \
  --batch-size 16 --checkpoint-every 30 --threads 1 >"$work/log" 2>&1 || fail "classify exited $?"
accuracy=$(json "$run/evaluation.json" "j['test_accuracy']")
json "$run/evaluation.json" "j['test_accuracy'] > 0.5" | grep -q True || fail "test accuracy $accuracy: not learning"

timeout 60 "$trainer" generator-measure --classifier "$run" --count 24 --threads 1 --out "$work/measure.json" \
  --test-data "$data/test-images-idx4-ubyte.gz" --train-data "$data/train-images-idx4-ubyte.gz" \
  --samples "itself=$data/test-images-idx4-ubyte.gz:$data/test-labels-idx1-ubyte.gz" >"$work/log" 2>&1 ||
  fail "generator-measure exited $?"
json "$work/measure.json" "j['models'][0]['fd'] < 1e-6 and j['models'][0]['fd_floor'] > 0.001" | grep -q True ||
  fail "FD of the test set against itself is not 0 (or the floor is)"
json "$work/measure.json" "abs(j['models'][0]['class_accuracy'] - $accuracy) < 1e-9" | grep -q True ||
  fail "class accuracy of the labelled test images is not the classifier's test accuracy $accuracy"
echo "ok: 64 px RGB dcgan (conditional), classify --channels 3 (test accuracy $accuracy), generator-measure"
