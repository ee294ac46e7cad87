#!/usr/bin/env bash
# Smoke test of `arbitrary` (one model for any painting) at a tiny size: train a few steps, held-out paintings
# never drawn, resume, SIGTERM, bad --holdout, stylize with --style-image (two paintings paint differently, tiles
# work, a run without --style-image is refused), 2 ranks (--world-size) paint as 1 process, export to two files
# within the 8 MB budget; the AdaIN family (--family adain) trains, resumes, stylizes and is refused by export. The run it leaves
# (WORK_DIR/run) is what the export parity test (trainer.export.arbitrary) exports.
# usage: test_arbitrary_smoke.sh TRAINER IMAGE_TOOL SHARED_DATA WORK_DIR   (exit 77 = skipped: shared data missing)
set -euo pipefail
trainer=$1 tool=$2 data=$3 work=$4
fail() { echo "FAIL: $*"; exit 1; }
# The trainer's default held-out list (arbitrary.cpp), plus two paintings to train on.
held=(gcompris_Arcimboldo_Librarian.png gcompris_HokusaiBridge.png gcompris_bazille_rampart.png
      gcompris_details_PortraitOfPereTanguy.png gcompris_PieterBruegel.png mate_elephants.jpg)
train=(opencv_starry_night.jpg darknet_scream.jpg)
for f in "${held[@]}" "${train[@]}"; do
  [ -f "$data/paintings/$f" ] || { echo "skipped: $data/paintings/$f not found"; exit 77; }
done
photo=$(ls "$data"/photos/*.jpg 2>/dev/null | head -1 || true)
[ -n "$photo" ] || { echo "skipped: no photos in $data/photos"; exit 77; }
rm -rf "$work" && mkdir -p "$work/paintings" "$work/content"
for f in "${held[@]}" "${train[@]}"; do ln -s "$(realpath "$data/paintings/$f")" "$work/paintings/$f"; done
for f in $(ls "$data"/photos/*.jpg | head -4); do cp "$f" "$work/content/"; done
common=(--paintings "$work/paintings" --content "$work/content" --image-size 64 --batch-size 2 --threads 1 --lr 0.01
        --calibration-count 8)

timeout 180 "$trainer" arbitrary "${common[@]}" --out "$work/run" --steps 4 --preview-every 2 --checkpoint-every 2 \
  > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "arbitrary exited non-zero"; }
for f in checkpoint.pt model.pt options.json metrics.jsonl previews/step-000002.png previews/step-000004.png; do
  [ -s "$work/run/$f" ] || fail "arbitrary run lacks $f"
done
[ "$(wc -l < "$work/run/metrics.jsonl")" -eq 4 ] || fail "metrics.jsonl should have 4 lines"
grep -q '"style":' "$work/run/metrics.jsonl" || fail "metrics.jsonl lacks the style loss"
grep -q "training paintings (2): darknet_scream.jpg, opencv_starry_night.jpg" "$work/train.log" \
  || { cat "$work/train.log"; fail "the log does not list the 2 training paintings"; }
grep -q "held out, never trained on (6): gcompris_Arcimboldo_Librarian.png" "$work/train.log" \
  || fail "the log does not list the 6 held-out paintings"
grep -q '"holdout": "gcompris_Arcimboldo_Librarian.png,' "$work/run/options.json" || fail "options.json lacks the holdout list"
# Every step's painting is one of the 2 training ones (index 0 or 1 of the list above), never a held-out one.
/usr/bin/python3 - "$work/run/metrics.jsonl" <<'PY' || fail "a step drew a painting outside the training set"
import json, sys
drawn = [json.loads(l)["painting"] for l in open(sys.argv[1])]
print("paintings drawn:", drawn)
sys.exit(0 if all(p in (0, 1) for p in drawn) else 1)
PY
grep -q "batch norm recalibrated on 8 crops of $work/content" "$work/train.log" || fail "no batch-norm recalibration"

# --resume alone continues the run (paintings, content and holdout from options.json).
timeout 180 "$trainer" arbitrary --resume --out "$work/run" --steps 6 --threads 1 > "$work/resume.log" 2>&1 \
  || { cat "$work/resume.log"; fail "arbitrary --resume exited non-zero"; }
grep -q "resumed from .* at step 4" "$work/resume.log" || { cat "$work/resume.log"; fail "--resume did not continue from step 4"; }
[ "$(wc -l < "$work/run/metrics.jsonl")" -eq 6 ] || fail "metrics.jsonl should have 6 lines after the resume"

# SIGTERM: a checkpoint at the step it stopped, and the message saying how to continue.
timeout 180 "$trainer" arbitrary "${common[@]}" --out "$work/stopped" --steps 100000 --preview-every 0 \
  --checkpoint-every 0 > "$work/stop.log" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -s "$work/stopped/metrics.jsonl" ] && break; sleep 0.1; done
kill -TERM $pid
code=0; wait $pid || code=$?
[ $code -eq 0 ] || { cat "$work/stop.log"; fail "a run stopped by SIGTERM exited $code"; }
grep -q "stopped at step [1-9][0-9]*; checkpoint written" "$work/stop.log" || { cat "$work/stop.log"; fail "no checkpoint on SIGTERM"; }
[ -s "$work/stopped/checkpoint.pt" ] || fail "SIGTERM left no checkpoint.pt"

# --holdout: a name not in the folder, and fewer than 6, are refused by name.
if "$trainer" arbitrary "${common[@]}" --out "$work/bad1" --steps 1 --holdout "nope.png,${held[1]},${held[2]},${held[3]},${held[4]},${held[5]}" \
     > "$work/bad1.log" 2>&1; then fail "--holdout with a missing file was accepted"; fi
grep -q "nope.png is not a PNG/JPEG file in" "$work/bad1.log" || { cat "$work/bad1.log"; fail "no clear message for a missing held-out file"; }
if "$trainer" arbitrary "${common[@]}" --out "$work/bad2" --steps 1 --holdout "${held[0]},${held[1]}" \
     > "$work/bad2.log" 2>&1; then fail "--holdout of 2 paintings was accepted"; fi
grep -q "hold out at least 6" "$work/bad2.log" || { cat "$work/bad2.log"; fail "no clear message for too few held-out paintings"; }

# stylize --style-image: the photo's size, a held-out painting paints differently from a training one, tiles.
"$tool" resize "$photo" "$work/photo.png" 136 100
st() { timeout 120 "$trainer" stylize --model "$work/run" --threads 1 --input "$work/photo.png" "$@"; }
st --output "$work/starry.png" --style-image "$data/paintings/opencv_starry_night.jpg" > "$work/st1.log" 2>&1 \
  || { cat "$work/st1.log"; fail "stylize --style-image starry night"; }
st --output "$work/bruegel.png" --style-image "$data/paintings/${held[4]}" > "$work/st2.log" 2>&1 \
  || { cat "$work/st2.log"; fail "stylize --style-image (held-out painting)"; }
[ "$("$tool" size "$work/starry.png")" = 136x100 ] || fail "stylized output is $("$tool" size "$work/starry.png"), expected 136x100"
read -r _ max _ mean < <("$tool" diff "$work/starry.png" "$work/bruegel.png")
echo "two paintings: max $max mean $mean"
[ "$max" -gt 8 ] || fail "two paintings gave (nearly) the same picture (max diff $max): the style code is not used"
read -r _ max _ mean < <("$tool" diff "$work/photo.png" "$work/starry.png")
[ "$max" -gt 2 ] || fail "the output is the photo unchanged"
st --output "$work/tiled.png" --style-image "$data/paintings/opencv_starry_night.jpg" --max-tile 64 --overlap 16 \
  > "$work/st3.log" 2>&1 || { cat "$work/st3.log"; fail "stylize tiled"; }
grep -q "max tile 64" "$work/st3.log" || fail "tiled run did not use --max-tile 64"
[ "$("$tool" size "$work/tiled.png")" = 136x100 ] || fail "tiled output has the wrong size"
read -r _ max _ mean < <("$tool" diff "$work/starry.png" "$work/tiled.png")
echo "tiled vs untiled: max $max mean $mean"
awk -v m="$mean" 'BEGIN { exit !(m < 20) }' || fail "tiled vs untiled mean diff $mean >= 20"
set +e; st --output "$work/x.png" > "$work/st4.log" 2>&1; code=$?; set -e
[ "$code" -eq 1 ] && grep -q "is an arbitrary-style run: give the painting to paint with, --style-image FILE" "$work/st4.log" \
  || { cat "$work/st4.log"; fail "stylize without --style-image: expected exit 1 and a message"; }
set +e; st --output "$work/x.png" --style-image "$work/nothing.png" > "$work/st5.log" 2>&1; code=$?; set -e
[ "$code" -eq 1 ] && grep -q "nothing.png" "$work/st5.log" || { cat "$work/st5.log"; fail "a missing --style-image was not named"; }

# Data parallel (issue 14): 2 ranks on loopback x 1 crop = 1 process with batch 2, same seed: compared by what the
# two runs paint (as the style smoke test does: biases before an instance norm get only float noise as gradient).
port=$((20000 + RANDOM % 30000))
dp=(--paintings "$work/paintings" --content "$work/content" --image-size 64 --batch-size 2 --threads 1 --lr 0.01
    --calibration-count 8 --steps 2 --preview-every 0 --seed 3)
timeout 180 "$trainer" arbitrary "${dp[@]}" --out "$work/dp-one" > "$work/dp-one.log" 2>&1 \
  || { cat "$work/dp-one.log"; fail "1-process arbitrary run failed"; }
timeout 180 "$trainer" arbitrary --out "$work/dp-two" --world-size 2 --rank 1 --master-port $port \
  > "$work/dp-rank1.log" 2>&1 &
rank1=$!
timeout 180 "$trainer" arbitrary "${dp[@]}" --out "$work/dp-two" --world-size 2 --rank 0 --master-port $port \
  > "$work/dp-rank0.log" 2>&1 || { cat "$work/dp-rank0.log" "$work/dp-rank1.log"; fail "rank 0 of the 2-rank run failed"; }
wait $rank1 || { cat "$work/dp-rank1.log"; fail "rank 1 (given only --world-size/--rank: options from rank 0) failed"; }
grep -q "joined 2 ranks" "$work/dp-rank1.log" || { cat "$work/dp-rank1.log"; fail "rank 1 did not say it joined"; }
[ ! -e "$work/dp-two/metrics.jsonl" ] || [ "$(wc -l < "$work/dp-two/metrics.jsonl")" -eq 2 ] \
  || fail "the 2-rank run's metrics.jsonl should have 2 lines (rank 0 alone writes it)"
for r in dp-one dp-two; do
  timeout 120 "$trainer" stylize --model "$work/$r" --threads 1 --input "$work/photo.png" --output "$work/$r.png" \
    --style-image "$data/paintings/opencv_starry_night.jpg" > "$work/$r-st.log" 2>&1 \
    || { cat "$work/$r-st.log"; fail "stylize with $r"; }
done
read -r _ max _ mean < <("$tool" diff "$work/dp-one.png" "$work/dp-two.png")
echo "1 process vs 2 ranks: max $max mean $mean"
[ "$max" -le 2 ] || fail "2 ranks x 1 crop did not paint like 1 process x 2 crops (max diff $max, bound 2)"
read -r _ max _ mean < <("$tool" diff "$work/dp-one.png" "$work/starry.png")
[ "$max" -gt 2 ] || fail "control: the 2-step run paints like the 6-step run, so the comparison proves nothing"

# export: two files, fp16, the default architecture (width 16, 5 blocks) within the app's 8 MB budget.
mkdir -p "$work/export"
"$trainer" export --run "$work/run" --out "$work/export/arb.onnx" --weights fp16 --credits "test paintings" \
  --manifest "$work/export/manifest.json" > "$work/export.log" 2>&1 || { cat "$work/export.log"; fail "export failed"; }
for f in arb-predictor.onnx arb-transformer.onnx; do [ -s "$work/export/$f" ] || fail "export did not write $f"; done
bytes=$(( $(stat -c %s "$work/export/arb-predictor.onnx") + $(stat -c %s "$work/export/arb-transformer.onnx") ))
echo "exported files together: $bytes bytes"
[ "$bytes" -le 8000000 ] || fail "the two files are $bytes bytes, over the 8 MB budget"
grep -q '"kind": "style-predictor"' "$work/export/manifest.json" && grep -q '"kind": "arbitrary-style"' "$work/export/manifest.json" \
  || fail "manifest lacks the two entries"

# --family adain (the comparison family): trains, resumes as adain, the code reaches the output; not exported.
# lr 0.001: its decoder has no norms, and 0.01 saturates the output within 2 steps (colour term ~1e6).
timeout 180 "$trainer" arbitrary --paintings "$work/paintings" --content "$work/content" --image-size 64 --batch-size 2 \
  --threads 1 --lr 0.001 --calibration-count 8 --family adain --out "$work/adain" --steps 2 --preview-every 2 \
  > "$work/adain.log" 2>&1 || { cat "$work/adain.log"; fail "arbitrary --family adain exited non-zero"; }
grep -q '"family": "adain"' "$work/adain/options.json" || fail "options.json lacks the family"
[ -s "$work/adain/previews/step-000002.png" ] || fail "the adain run wrote no preview"
timeout 180 "$trainer" arbitrary --resume --out "$work/adain" --steps 3 --threads 1 > "$work/adain-resume.log" 2>&1 \
  || { cat "$work/adain-resume.log"; fail "adain --resume exited non-zero"; }
grep -q "resumed from .* at step 2" "$work/adain-resume.log" || fail "the adain run did not resume at step 2"
st2() { timeout 120 "$trainer" stylize --model "$work/adain" --threads 1 --input "$work/photo.png" "$@"; }
st2 --output "$work/adain-starry.png" --style-image "$data/paintings/opencv_starry_night.jpg" > "$work/ad1.log" 2>&1 \
  || { cat "$work/ad1.log"; fail "stylize with the adain run"; }
st2 --output "$work/adain-bruegel.png" --style-image "$data/paintings/${held[4]}" > "$work/ad2.log" 2>&1 \
  || { cat "$work/ad2.log"; fail "stylize with the adain run (held-out painting)"; }
[ "$("$tool" size "$work/adain-starry.png")" = 136x100 ] || fail "the adain output has the wrong size"
read -r _ max _ mean < <("$tool" diff "$work/adain-starry.png" "$work/adain-bruegel.png")
echo "adain, two paintings: max $max mean $mean"
# 3 steps from a random decoder: the paintings' codes differ by a grey level or so (measured max 1, mean 0.42);
# identical pictures would mean the code never reaches the output (float-level checks: test_arbitrary_nets.cpp).
[ "$max" -ge 1 ] || fail "the adain run painted two paintings identically: the code does not reach the output"
if "$trainer" export --run "$work/adain" --out "$work/export/adain.onnx" > "$work/adain-export.log" 2>&1; then
  fail "export of an adain run was accepted"; fi
grep -q "only the ghiasi family" "$work/adain-export.log" || { cat "$work/adain-export.log"; fail "no clear export refusal"; }
echo "arbitrary smoke: ok"
