#!/usr/bin/env bash
# Smoke test of `classify` and `generator-measure` on a tiny Fashion-MNIST subset (2000 training, 500 test images):
# classify writes its run (options.json, checkpoint.pt, model.pt, metrics.jsonl, evaluation.json), learns (test
# accuracy well above chance after 60 steps), resumes from its checkpoint; generator-measure gives FD 0 for the test
# images measured against themselves, FD > 0 for training images, and with the test labels as "the classes the
# samples were made for" a class accuracy equal to the classifier's own test accuracy.
# usage: test_classify_smoke.sh TRAINER FASHION_DIR WORK_DIR
set -uo pipefail
trainer=$1 fashion=$2 work=$3
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [ -e "$fashion/$f" ] || { echo "SKIP: $fashion/$f missing"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work"
run=$work/run
fail() { echo "FAIL: $*"; cat "$work/log" 2>/dev/null; exit 1; }
json() { /usr/bin/python3 -c "import json,sys; print(eval(sys.argv[2], {}, {'j': json.load(open(sys.argv[1]))}))" "$@"; }

"$trainer" classify --help > "$work/help.txt" || fail "--help exited non-zero"
grep -q -- "--train-count" "$work/help.txt" || fail "--help does not list --train-count"
# An images file given as labels is refused by name, before any run starts.
"$trainer" classify --labels "$fashion/t10k-images-idx3-ubyte.gz" --out "$work/bad" --steps 1 >"$work/log" 2>&1
[ $? -eq 1 ] || fail "classify with an images file as --labels did not exit 1"
grep -q "t10k-images-idx3-ubyte.gz: magic number 0x00000803 is not 0x00000801" "$work/log" ||
  fail "no message naming the file and its magic number"
data=(--data "$fashion/train-images-idx3-ubyte.gz" --labels "$fashion/train-labels-idx1-ubyte.gz"
      --test-data "$fashion/t10k-images-idx3-ubyte.gz" --test-labels "$fashion/t10k-labels-idx1-ubyte.gz"
      --train-count 2000 --test-count 500)
timeout 60 "$trainer" classify "${data[@]}" --out "$run" --steps 60 --batch-size 32 --log-every 10 \
  --checkpoint-every 30 --threads 1 >"$work/log" 2>&1 || fail "classify exited $?"
for f in options.json checkpoint.pt model.pt metrics.jsonl evaluation.json; do
  [ -s "$run/$f" ] || fail "missing $run/$f"
done
[ "$(wc -l <"$run/metrics.jsonl")" -eq 6 ] || fail "metrics.jsonl: expected 6 lines (steps 10..60)"
grep -q '"step":30,.*"test_accuracy"' "$run/metrics.jsonl" || fail "no test_accuracy at the step-30 checkpoint"
accuracy=$(json "$run/evaluation.json" "j['test_accuracy']")
grep -q "^test accuracy: " "$work/log" || fail "no 'test accuracy:' line"
# Chance is 0.1; 60 steps of 32 reach ~0.7 on this subset.
json "$run/evaluation.json" "j['test_accuracy'] > 0.5 and j['test_images'] == 500 and j['step'] == 60" | grep -q True ||
  fail "test accuracy $accuracy after 60 steps: not learning"

# --resume continues from the checkpoint: metrics end at the new total, each step once.
timeout 60 "$trainer" classify --out "$run" --resume --steps 90 --threads 1 >"$work/log" 2>&1 || fail "resume exited $?"
grep -q "resumed at step 60" "$work/log" || fail "did not resume at step 60"
[ "$(wc -l <"$run/metrics.jsonl")" -eq 9 ] || fail "metrics.jsonl after resume: expected 9 lines"
tail -1 "$run/metrics.jsonl" | grep -q '"step":90' || fail "last metrics line is not step 90"
accuracy=$(json "$run/evaluation.json" "j['test_accuracy']")

# generator-measure with real images as the "samples".
timeout 60 "$trainer" generator-measure --classifier "$run" --count 500 --threads 1 --out "$work/measure.json" \
  --details "$work/details.json" \
  --test-data "$fashion/t10k-images-idx3-ubyte.gz" --train-data "$fashion/train-images-idx3-ubyte.gz" \
  --samples "itself=$fashion/t10k-images-idx3-ubyte.gz:$fashion/t10k-labels-idx1-ubyte.gz,train=$fashion/train-images-idx3-ubyte.gz" \
  >"$work/log" 2>&1 || fail "generator-measure exited $?"
cat "$work/log"
m="$work/measure.json"
json "$m" "[x['id'] for x in j['models']] == ['itself', 'train']" | grep -q True || fail "ids in $m"
json "$m" "sorted(j['models'][0].keys()) == sorted(['id', 'dataset', 'fd', 'fd_floor', 'class_accuracy', 'classes_covered'])" |
  grep -q True || fail "keys of $m"
json "$m" "j['models'][0]['fd'] < 1e-6" | grep -q True || fail "FD of the test set against itself is not 0"
json "$m" "j['models'][1]['fd'] > 0.01 and j['models'][0]['fd_floor'] > 0.01" | grep -q True ||
  fail "FD of training images (or the floor) is 0"
json "$m" "abs(j['models'][0]['class_accuracy'] - $accuracy) < 1e-9 and j['models'][1]['class_accuracy'] is None" |
  grep -q True || fail "class accuracy of the labelled test images is not the classifier's test accuracy $accuracy"
json "$m" "j['models'][0]['classes_covered'] == 10" | grep -q True || fail "the test set does not cover 10 classes"
json "$work/details.json" "len(j['class_shares']['itself']) == 10 and abs(sum(j['class_shares']['train']) - 1) < 1e-9" |
  grep -q True || fail "class shares in details.json"
# A second measure of one id replaces its entry and keeps the others.
timeout 60 "$trainer" generator-measure --classifier "$run" --count 500 --threads 1 --out "$m" \
  --samples "train=$fashion/train-images-idx3-ubyte.gz" >"$work/log" 2>&1 || fail "second generator-measure exited $?"
json "$m" "[x['id'] for x in j['models']] == ['itself', 'train']" | grep -q True || fail "entries not kept/replaced"
echo "ok: classify (test accuracy $accuracy at step 90) and generator-measure"
