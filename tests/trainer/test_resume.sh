#!/usr/bin/env bash
# Resume test: start a VAE run on Fashion-MNIST, SIGTERM it mid-run, check it wrote a checkpoint and exited 130,
# then --resume with a larger --steps: the step count must continue from the checkpoint, metrics.jsonl must keep
# its earlier lines unchanged and hold every step exactly once.
# usage: test_resume.sh TRAINER IDX_FILE WORK_DIR
set -uo pipefail
trainer=$1 idx=$2 work=$3
[ -f "$idx" ] || { echo "SKIP: $idx missing (Debian package dataset-fashion-mnist)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
run=$work/run
fail() { echo "FAIL: $*"; echo "--- log:"; cat "$work"/*.log; exit 1; }

timeout 120 "$trainer" vae --data "$idx" --out "$run" --image-size 28 --width 4 --latent 4 --batch-size 4 \
  --steps 100000 --log-every 1 --checkpoint-every 1000000 --preview-every 1000000 --threads 1 >"$work/first.log" 2>&1 &
pid=$!
# Wait until a few steps are logged, then ask it to stop.
for _ in $(seq 1 600); do
  [ -f "$run/metrics.jsonl" ] && [ "$(wc -l <"$run/metrics.jsonl")" -ge 5 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
kill -TERM $pid
wait $pid
code=$?
[ $code -eq 130 ] || fail "stopped run exited $code, expected 130"
grep -q "stopped at step" "$work/first.log" || fail "no 'stopped at step' message"
stopped=$(sed -n 's/.*stopped at step \([0-9]*\).*/\1/p' "$work/first.log")
[ -n "$stopped" ] && [ "$stopped" -ge 5 ] || fail "stopped at step '$stopped', expected >= 5"
cp "$run/metrics.jsonl" "$work/metrics-before.jsonl"
head -n "$stopped" "$work/metrics-before.jsonl" >"$work/kept-expected.jsonl"

total=$((stopped + 3))
timeout 120 "$trainer" vae --out "$run" --resume --steps $total >"$work/second.log" 2>&1 || fail "resumed run failed"
grep -q "resumed at step $stopped" "$work/second.log" || fail "resume did not start at step $stopped"
grep -q '"image-size": 28' "$run/options.json" || fail "options.json lost the saved --image-size"
lines=$(wc -l <"$run/metrics.jsonl")
[ "$lines" -eq "$total" ] || fail "metrics.jsonl has $lines lines, expected $total (one per step)"
head -n "$stopped" "$run/metrics.jsonl" | cmp -s - "$work/kept-expected.jsonl" || fail "earlier metrics lines changed"
for s in $(seq 1 $total); do
  [ "$(grep -c "\"step\":$s," "$run/metrics.jsonl")" -eq 1 ] || fail "step $s logged $(grep -c "\"step\":$s," "$run/metrics.jsonl") times"
done
[ -f "$run/model.pt" ] || fail "no model.pt after the resumed run completed"
echo "ok: stopped at step $stopped, resumed, finished at $total; metrics.jsonl intact"
