#!/usr/bin/env bash
# Smoke test of `dcgan` / `vae`: a few steps at tiny sizes; checks the run directory holds what it promises
# (options.json, checkpoint.pt, model.pt, one metrics line per logged step, a preview PNG) and that --help works.
# usage: test_generator_smoke.sh TRAINER dcgan|vae DATA WORK_DIR [LABELS [CLASSES [SIZE [OPTION...]]]]
# (DATA: idx file or image folder.) With LABELS (the idx labels of DATA) the run is class-conditional (--labels,
# CLASSES classes, default 10). SIZE: the image side (default 28 for idx files, 32 for folders). OPTIONs go to the
# training command as they are (e.g. --upsample resize).
set -uo pipefail
trainer=$1 command=$2 data=$3 work=$4 labels=${5:-} classes=${6:-10} size=${7:-}
extra=("${@:8}")
conditional=()
[ -n "$labels" ] && conditional=(--labels "$labels" --classes "$classes")
[ -e "$data" ] || { echo "SKIP: training data $data missing"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
run=$work/run
fail() { echo "FAIL: $*"; cat "$work/log" 2>/dev/null; exit 1; }

# Into a file, not a pipe: grep -q stops reading at the first match, and the trainer's next (line-buffered) write
# then dies of SIGPIPE, which pipefail reports as a failure.
"$trainer" "$command" --help > "$work/help.txt" || fail "--help exited non-zero"
grep -q -- "--image-size" "$work/help.txt" || fail "--help does not list --image-size"
if [ -z "$size" ]; then
  size=28
  [ -d "$data" ] && size=32
fi
start=$(date +%s.%N)
timeout 100 "$trainer" "$command" --data "$data" --out "$run" --image-size $size --width 8 --latent 8 \
  --batch-size 8 --steps 6 --log-every 2 --preview-every 3 --checkpoint-every 3 --threads 1 --device auto \
  "${conditional[@]}" "${extra[@]}" >"$work/log" 2>&1 ||
  fail "$command exited $?"
end=$(date +%s.%N)
for f in options.json checkpoint.pt model.pt metrics.jsonl previews/step-000003.png previews/step-000006.png; do
  [ -s "$run/$f" ] || fail "missing $run/$f"
done
[ "$(wc -l <"$run/metrics.jsonl")" -eq 3 ] || fail "metrics.jsonl: expected 3 lines (steps 2, 4, 6)"
tail -1 "$run/metrics.jsonl" | grep -q '"step":6' || fail "last metrics line is not step 6"
grep -q "step 6/6" "$work/log" || fail "no final progress line 'step 6/6'"
head -c 8 "$run/previews/step-000006.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "preview is not a PNG"
if [ -n "$labels" ]; then
  grep -q "class-conditional: $classes classes" "$work/log" || fail "the run did not say it is class-conditional"
  # A labels file that does not belong to the images is refused, naming both counts.
  bad=$work/bad-labels.idx
  printf '\x00\x00\x08\x01\x00\x00\x00\x03\x00\x01\x02' >"$bad"
  "$trainer" "$command" --data "$data" --labels "$bad" --out "$work/bad" --steps 1 --threads 1 >"$work/bad.log" 2>&1 &&
    fail "a 3-label file for the images was accepted"
  grep -q "holds 3 labels for the" "$work/bad.log" || fail "wrong-length labels: unclear message: $(cat "$work/bad.log")"
fi
printf 'ok: %s at %d px, 6 steps in %.1f s\n' "$command" "$size" "$(echo "$end - $start" | bc)"
