#!/usr/bin/env bash
# Data-parallel training with c10d/Gloo on loopback (issue 14, trainer/src/run/distributed.h):
# 1. Equivalence: a VAE trained by 2 ranks (global batch 4: 2 images each) ends with the same weights, within
#    float tolerance, as one process with batch 4 and the same seed; a control run with another batch must differ.
# 2. Failure: SIGKILL one rank of a 2-rank DCGAN run; the other must exit 1 within 30 s, saying it lost the others.
# 3. Resume with another world size: that run continues in one process from rank 0's checkpoint.
# usage: test_distributed.sh TRAINER IDX_FILE WORK_DIR
set -uo pipefail
trainer=$1 idx=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$idx" ] || { echo "SKIP: $idx missing (Debian package dataset-fashion-mnist)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; for f in "$work"/*.log; do echo "--- $f"; tail -20 "$f"; done; exit 1; }
port() { echo $((20000 + RANDOM % 30000)); }  # another ctest job may hold a fixed port

vae=(vae --data "$idx" --image-size 28 --width 4 --latent 4 --steps 3 --seed 5 --threads 1 --log-every 1)
timeout 120 "$trainer" "${vae[@]}" --batch-size 4 --out "$work/one" >"$work/one.log" 2>&1 || fail "1-process run failed"
timeout 120 "$trainer" "${vae[@]}" --batch-size 2 --out "$work/control" >"$work/control.log" 2>&1 || fail "control run failed"
p=$(port)
timeout 120 "$trainer" "${vae[@]}" --batch-size 4 --out "$work/two" --world-size 2 --rank 1 --master-port "$p" \
  >"$work/two-rank1.log" 2>&1 &
rank1=$!
timeout 120 "$trainer" "${vae[@]}" --batch-size 4 --out "$work/two" --world-size 2 --rank 0 --master-port "$p" \
  >"$work/two-rank0.log" 2>&1 || fail "rank 0 of the 2-rank run failed"
wait $rank1 || fail "rank 1 of the 2-rank run failed"
grep -q "joined 2 ranks" "$work/two-rank1.log" || fail "rank 1 did not say it joined"
[ -f "$work/two/model.pt" ] || fail "rank 0 wrote no model.pt"
"$here/compare_weights.py" "$work/one/model.pt" "$work/two/model.pt" --same --tolerance 1e-5 ||
  fail "2 ranks x 2 images did not give the 1-process batch-4 weights"
"$here/compare_weights.py" "$work/one/model.pt" "$work/control/model.pt" --differ --tolerance 1e-5 ||
  fail "control: another batch gave the same weights, so the comparison proves nothing"
echo "ok: 2 ranks = 1 process (global batch 4), control differs"

# 2. A 2-rank DCGAN run that would take minutes; rank 1 is killed once rank 0 has logged 2 steps.
gan=(dcgan --data "$idx" --image-size 28 --width 4 --latent 4 --batch-size 4 --threads 1 --log-every 1
     --checkpoint-every 2 --preview-every 1000000)
p=$(port)
timeout 300 "$trainer" "${gan[@]}" --steps 100000 --out "$work/gan" --world-size 2 --rank 0 --master-port "$p" \
  >"$work/gan-rank0.log" 2>&1 &
rank0=$!
# Not under `timeout`: $! must be the trainer itself, the process the SIGKILL is for.
"$trainer" "${gan[@]}" --steps 100000 --out "$work/gan" --world-size 2 --rank 1 --master-port "$p" \
  >"$work/gan-rank1.log" 2>&1 &
rank1=$!
trap 'kill -KILL $rank1 2>/dev/null' EXIT
for _ in $(seq 1 600); do
  [ -f "$work/gan/checkpoint.pt" ] && [ "$(wc -l <"$work/gan/metrics.jsonl" 2>/dev/null || echo 0)" -ge 3 ] && break
  kill -0 $rank0 2>/dev/null || break
  sleep 0.1
done
kill -KILL $rank1
killed_at=$(date +%s)
wait $rank0
code=$?
took=$(($(date +%s) - killed_at))
[ $code -eq 1 ] || fail "rank 0 exited $code after its peer died, expected 1"
[ $took -le 30 ] || fail "rank 0 took $took s to notice its peer died (bound: 30 s)"
grep -q "rank 0 of 2: lost the other ranks during step" "$work/gan-rank0.log" || fail "rank 0's message does not say what happened"
echo "ok: rank 0 exited 1 after $took s: $(grep -m1 'lost the other ranks' "$work/gan-rank0.log" | cut -c1-160)"

# 3. Resume in one process (world size 1) from what rank 0 wrote.
saved=$(/usr/bin/python3 -c "import torch; print(int(torch.jit.load('$work/gan/checkpoint.pt').state_dict()['step']))")
timeout 120 "$trainer" dcgan --out "$work/gan" --resume --steps $((saved + 2)) >"$work/gan-resume.log" 2>&1 ||
  fail "--resume in one process failed"
grep -q "resumed at step $saved" "$work/gan-resume.log" || fail "resume did not continue from step $saved"
echo "ok: resumed in 1 process at step $saved and finished at $((saved + 2))"
