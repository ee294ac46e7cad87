#!/usr/bin/env bash
# Fault injection: a VAE run on Fashion-MNIST is killed with SIGKILL at random moments, 20 times, each time resumed
# from where it was. Checkpoints are written every 2 steps, so many kills land while one is being written (the test
# counts those: a checkpoint.pt.tmp left behind). After every kill, --resume must work and lose at most one
# checkpoint interval: the step it resumes at is >= the last step in metrics.jsonl - 2. At the end the run
# finishes, and metrics.jsonl holds every step exactly once.
# usage: test_kill_resume.sh TRAINER IDX_FILE WORK_DIR [KILLS]
set -uo pipefail
trainer=$1 idx=$2 work=$3 kills=${4:-20}
[ -f "$idx" ] || { echo "SKIP: $idx missing (Debian package dataset-fashion-mnist)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
run=$work/run every=2 pid=
trap 'kill -KILL $pid 2>/dev/null' EXIT  # never leave a trainer writing into the next run's folder
fail() {
  echo "FAIL: $*"; echo "--- last log:"; tail -n 20 "$work/last.log"
  echo "--- run folder:"; ls -la "$run"; ps -o pid,stat,etime,args -p "$pid"; exit 1
}
last_step() { [ -f "$run/metrics.jsonl" ] && sed -n 's/.*"step":\([0-9]*\).*/\1/p' "$run/metrics.jsonl" | tail -n 1; }
start() {  # start [--resume]: a long run in the background, its pid in $pid
  # Emptied here, not by the child's redirection: that happens after fork, and until then the wait below would
  # read the previous run's "resumed at step" line.
  : >"$work/last.log"
  if [ "${1:-}" = --resume ]; then
    "$trainer" vae --out "$run" --resume --steps 1000000 >>"$work/last.log" 2>&1 &
  else
    "$trainer" vae --data "$idx" --out "$run" --image-size 28 --width 16 --latent 8 --batch-size 16 --steps 1000000 \
      --log-every 1 --checkpoint-every $every --preview-every 1000000 --threads 1 >>"$work/last.log" 2>&1 &
  fi
  pid=$!
}

# First run: wait for its first checkpoint, so there is something to resume.
start
for _ in $(seq 1 600); do [ -f "$run/checkpoint.pt" ] && break; sleep 0.1; done
[ -f "$run/checkpoint.pt" ] || fail "no first checkpoint after 60 s"
during_write=0
for i in $(seq 1 "$kills"); do
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"  # 0.10 .. 0.99 s after the start
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  [ -f "$run/checkpoint.pt.tmp" ] && during_write=$((during_write + 1))
  logged=$(last_step)
  start --resume
  for _ in $(seq 1 600); do
    grep -q "resumed at step\|error" "$work/last.log" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  resumed=$(sed -n 's/.*resumed at step \([0-9]*\).*/\1/p' "$work/last.log" | head -n 1)
  if [ -z "$resumed" ]; then
    kill -0 $pid 2>/dev/null || { wait $pid; echo "the resumed trainer exited with status $?"; }
    fail "kill $i: --resume did not resume"
  fi
  [ "$resumed" -ge $((${logged:-0} - every)) ] || fail "kill $i: resumed at $resumed, but step ${logged} was logged (lost more than $every steps)"
  echo "kill $i: last logged step ${logged:-none}, resumed at $resumed"
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
# Finish cleanly a few steps past the last checkpoint.
total=$(( $(last_step) + 3 ))
timeout 120 "$trainer" vae --out "$run" --resume --steps $total >"$work/last.log" 2>&1 || fail "final resumed run failed"
[ -f "$run/model.pt" ] || fail "no model.pt after the run finished"
for s in $(seq 1 $total); do
  n=$(grep -c "\"step\":$s," "$run/metrics.jsonl")
  [ "$n" -eq 1 ] || fail "step $s logged $n times in metrics.jsonl"
done
echo "ok: $kills SIGKILLs ($during_write during a checkpoint write), every resume lost <= $every steps; finished at step $total"
