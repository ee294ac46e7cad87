#!/usr/bin/env bash
# Distillation (issue 10, "faster style networks"): `style --teacher` trains a cheaper student (width 8, 3x3 edge
# kernel) to match a teacher with the perceptual weights at 0, so no loss network is built. The teacher is a
# random-weight style run from make_style_fixture (width 8, 2 blocks, 9x9 edges, no photo skip, output gain 5:
# grey 128 plus a random pattern; options.json without "edge-kernel", as runs made before the option): seconds
# instead of a loss-network training run. The student has no photo skip either (with one it would first have to
# learn to cancel the photo, which a random teacher does not keep) and lr 0.03, so 30 steps show a clear fall.
# Checks: the teacher term falls; --resume continues; an exported teacher (.onnx) is the same teacher; the student
# exports to ONNX and matches LibTorch (export_parity.js); its graph's multiply-adds match a hand count with 3x3
# edges; a bad teacher path and an even --edge-kernel get clear messages.
# usage: test_distill.sh TRAINER MAKE_STYLE_FIXTURE SHARED_DATA WORK_DIR   (exit 77 = skipped: no photos)
set -euo pipefail
trainer=$1 make_fixture=$2 data=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$(ls "$data"/photos/*.jpg 2>/dev/null | head -1)" ]; then echo "skipped: $data/photos not found"; exit 77; fi
rm -rf "$work" && mkdir -p "$work/content"
for f in $(ls "$data"/photos/*.jpg | head -4); do cp "$f" "$work/content/"; done
fail() { echo "FAIL: $*"; exit 1; }

"$make_fixture" "$work/teacher" 8 2 off 5 || fail "make_style_fixture failed"
grep -q edge-kernel "$work/teacher/options.json" && fail "the fixture should stand for a run from before --edge-kernel"

distil=(style --content "$work/content" --style-weight 0 --content-weight 0 --colour-weight 0 --width 8
        --residual-blocks 1 --edge-kernel 3 --photo-skip off --image-size 32 --batch-size 2 --threads 1
        --preview-every 0 --seed 2 --lr 0.03)
timeout 120 "$trainer" "${distil[@]}" --teacher "$work/teacher" --out "$work/student" --steps 30 \
  > "$work/student.log" 2>&1 || { cat "$work/student.log"; fail "style --teacher exited non-zero"; }
grep -q "teacher: $work/teacher (width 8, 2 residual blocks, edge kernel 9, photo skip off)" "$work/student.log" \
  || { cat "$work/student.log"; fail "the teacher was not loaded as the run it is"; }
grep -q "no loss network" "$work/student.log" || { cat "$work/student.log"; fail "no word that the loss network is skipped"; }
if grep -q "batch norm recalibrated" "$work/student.log"; then fail "the loss network was built for pure distillation"; fi
grep -qE "step 30/30 .*  teacher [0-9]" "$work/student.log" || fail "the progress line lacks the teacher term"
grep -q '"edge-kernel": *3' "$work/student/options.json" || fail "options.json lacks edge-kernel 3"
# Falls: the mean of the last 5 steps at most 60% of the first 5 (measured: about a third).
python3 - "$work/student/metrics.jsonl" <<'PY' || fail "the teacher term did not fall"
import json, sys
t = [json.loads(l)["teacher"] for l in open(sys.argv[1])]
assert len(t) == 30, len(t)
first, last = sum(t[:5]) / 5, sum(t[-5:]) / 5
print(f"teacher term: first 5 steps {first:.4f}, last 5 {last:.4f}")
assert last < 0.6 * first, (first, last)
PY

# --resume: the teacher path comes from options.json.
timeout 60 "$trainer" style --resume --out "$work/student" --steps 32 --threads 1 > "$work/resume.log" 2>&1 \
  || { cat "$work/resume.log"; fail "style --resume of a distillation run exited non-zero"; }
grep -q "resumed from .* at step 30" "$work/resume.log" || { cat "$work/resume.log"; fail "no resume at step 30"; }
grep -q "teacher: $work/teacher" "$work/resume.log" || { cat "$work/resume.log"; fail "the resumed run lost its teacher"; }
[ "$(wc -l < "$work/student/metrics.jsonl")" -eq 32 ] || fail "metrics.jsonl should have 32 lines after the resume"

# The teacher as an exported model (how a clean checkout distils a shipped models/<id>.onnx): the same network,
# so the first step's teacher term is the run directory's.
"$trainer" export --run "$work/teacher" --out "$work/teacher.onnx" > "$work/export-teacher.log" 2>&1 \
  || { cat "$work/export-teacher.log"; fail "export of the teacher failed"; }
timeout 60 "$trainer" "${distil[@]}" --teacher "$work/teacher.onnx" --out "$work/student-onnx" --steps 1 \
  > "$work/student-onnx.log" 2>&1 || { cat "$work/student-onnx.log"; fail "style --teacher FILE.onnx exited non-zero"; }
python3 - "$work/student/metrics.jsonl" "$work/student-onnx/metrics.jsonl" <<'PY' || fail "the ONNX teacher is not the run's"
import json, sys
a, b = (json.loads(open(f).readline())["teacher"] for f in sys.argv[1:3])
print(f"first teacher term: run directory {a:.6f}, ONNX file {b:.6f}")
assert abs(a - b) <= 1e-4 * a, (a, b)
PY

# Export of the student and parity with LibTorch (3x3 edge convs in the graph).
NODE_PATH=${NODE_PATH:-} node "$here/export_parity.js" "$trainer" "$work/student" "$work/parity" style \
  || fail "export parity of the distilled student"
"$trainer" export --run "$work/student" --out "$work/student.onnx" > "$work/export.log" 2>&1 \
  || { cat "$work/export.log"; fail "export of the student failed"; }
# scripts/model_cost.py (the manifest's and model cards' figure) against a hand count with 3x3 edges.
# Debian's python3 (python3-onnx), as tests/models runs it, rather than whatever python3 comes first in PATH.
py=/usr/bin/python3; [ -x "$py" ] || py=python3
if "$py" -c "import onnx" 2>/dev/null; then
  "$py" - "$here/../../scripts" "$work/student.onnx" <<'PY' || fail "multiply-adds of the 3x3 student"
import sys
sys.path.insert(0, sys.argv[1])
import model_cost
w, blocks, edge = 8, 1, 3
# conv1, conv_out at full size; conv2 at 1/4 of the pixels, conv3 and the residual convs at 1/16; the upsampling
# layers as exported (ConvTranspose, 4 taps per output pixel) at 1/4 and 1.
macs = 3 * w * edge**2 + w * 3 * edge**2 + w * 2*w * 9 / 4 + 2*w * 4*w * 9 / 16 + 2 * blocks * (4*w)**2 * 9 / 16
macs += 4*w * 2*w * 4 / 4 + 2*w * w * 4
got = model_cost.graph_cost(sys.argv[2])["macs_per_pixel"]
print(f"student: {got} multiply-adds per pixel, hand count {round(macs)}")
assert got == round(macs), (got, macs)
PY
else
  echo "python3-onnx missing: multiply-add count not checked"
fi

# Clear messages: a teacher that is not there, a file that is no model, an even edge kernel.
if "$trainer" "${distil[@]}" --teacher "$work/nowhere" --out "$work/bad1" --steps 1 > "$work/bad1.log" 2>&1; then
  fail "a missing teacher was accepted"; fi
grep -q -- "--teacher $work/nowhere: .*does not exist. Give a style run directory" "$work/bad1.log" \
  || { cat "$work/bad1.log"; fail "no clear message for a missing teacher"; }
printf 'not a model' > "$work/bad.onnx"
if "$trainer" "${distil[@]}" --teacher "$work/bad.onnx" --out "$work/bad2" --steps 1 > "$work/bad2.log" 2>&1; then
  fail "a non-ONNX teacher was accepted"; fi
grep -q -- "--teacher $work/bad.onnx: .*not an ONNX model" "$work/bad2.log" \
  || { cat "$work/bad2.log"; fail "no clear message for a teacher file that is not a model"; }
if "$trainer" "${distil[@]}" --teacher "$work/teacher" --edge-kernel 4 --out "$work/bad3" --steps 1 > "$work/bad3.log" 2>&1; then
  fail "an even edge kernel was accepted"; fi
grep -q -- "--edge-kernel 4: must be odd" "$work/bad3.log" || { cat "$work/bad3.log"; fail "no clear message for an even edge kernel"; }
echo "distillation test passed"
