#!/usr/bin/env bash
# Bad inputs: each case must exit with the expected code and a message naming the cause (never a crash).
# usage: test_bad_inputs.sh TRAINER WORK_DIR
set -uo pipefail
trainer=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0

# expect CODE PATTERN -- command...: runs it (60 s limit), checks the exit code and that stderr matches PATTERN.
expect() {
  local want=$1 pattern=$2
  shift 3
  local out code
  out=$(timeout 60 "$@" 2>&1 >/dev/null)
  code=$?
  if [ $code -ne "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $code (want $want), output: $out"
    failures=$((failures + 1))
  else
    echo "ok: exit $code, '$(grep -E -- "$pattern" <<<"$out" | head -1)'"
  fi
}

common=(--image-size 28 --width 4 --latent 4 --batch-size 2 --steps 2 --threads 1)

mkdir -p "$work/empty"
expect 1 "holds no .png/.jpg/.jpeg" -- "$trainer" dcgan --data "$work/empty" --out "$work/r1" "${common[@]}"

mkdir -p "$work/corrupt"
printf 'not a png at all' >"$work/corrupt/a.png"
head -c 100 /dev/urandom >"$work/corrupt/b.jpg"
expect 1 "none of the 2 image files .* could be decoded" -- "$trainer" vae --data "$work/corrupt" --out "$work/r2" "${common[@]}"

# A labels file (magic 0x00000801) given where images are expected, padded past the 16-byte images header.
printf '\x00\x00\x08\x01\x00\x00\x00\x02\x01\x02\x03\x04\x05\x06\x07\x08' >"$work/labels.idx"
expect 1 "labels.idx: .*magic number 0x00000801" -- "$trainer" dcgan --data "$work/labels.idx" --out "$work/r3" "${common[@]}"
printf '\x00\x00\x08\x03\x00\x00\x00\x0a\x00\x00\x00\x1c\x00\x00\x00\x1c0123' >"$work/truncated.idx"
expect 1 "truncated.idx: truncated" -- "$trainer" vae --data "$work/truncated.idx" --out "$work/r4" "${common[@]}"
expect 1 "does not exist" -- "$trainer" vae --data "$work/no-such-file" --out "$work/r5" "${common[@]}"
# Fuzz regressions (tests/fuzz/corpus/idx): 16-byte headers once made the reader allocate what they promised
# before reading (16 TB: a crash; 4 GB: gone from memory before "truncated").
corpus=$(cd "$(dirname "$0")/../fuzz/corpus/idx" && pwd)
expect 1 "header_promises_16tb.idx: implausible sizes in header: 1000000 images of 4096x4096 would be" -- \
  "$trainer" dcgan --data "$corpus/header_promises_16tb.idx" --out "$work/r5b" "${common[@]}"
expect 1 "header_promises_4gb_short.idx: truncated: header promises 250000 images" -- \
  "$trainer" vae --data "$corpus/header_promises_4gb_short.idx" --out "$work/r5c" "${common[@]}"

expect 1 "run directory .*/missing-run does not exist" -- "$trainer" export --run "$work/missing-run" --out "$work/x.onnx"
expect 1 "--resume: run directory .*never-started does not exist" -- "$trainer" vae --out "$work/never-started" --resume
mkdir -p "$work/no-checkpoint" && echo '{"command": "vae", "data": "unused"}' >"$work/no-checkpoint/options.json"
expect 1 "checkpoint.pt not found" -- "$trainer" vae --out "$work/no-checkpoint" --resume

{ printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c'; head -c 1568 /dev/zero; } >"$work/two.idx"
expect 1 "--augment: unknown policy 'blur'; use off, or any of colour, translation, cutout" -- \
  "$trainer" dcgan --data "$work/two.idx" --out "$work/r5d" --augment colour,blur "${common[@]}"
expect 2 "option --ema: '1.5' is not a number in 0..0.99999" -- "$trainer" dcgan --data x --out y --ema 1.5
expect 2 "option --condition: 'label' is not one of planes\|projection" -- \
  "$trainer" dcgan --data x --out y --condition label
expect 1 "--class-weight needs a class-conditional run with the projection discriminator" -- \
  "$trainer" dcgan --data "$work/two.idx" --out "$work/r5e" --class-weight 1 "${common[@]}"

expect 2 "unknown option '--bogus'" -- "$trainer" dcgan --bogus 1
expect 2 "option --steps: 'many' is not a number" -- "$trainer" dcgan --data x --out y --steps many
expect 2 "option --data is required" -- "$trainer" vae --out y
expect 1 "--image-size 30: use 28, 32 or 64" -- "$trainer" vae --data "$work/labels.idx" --out "$work/r6" --image-size 30

# Training that diverges: an absurd learning rate drives the VAE's loss to inf/NaN within a few steps.
mkdir -p "$work/images"
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
if [ -f "$fashion" ]; then
  expect 1 "loss became (NaN|infinite) at step [0-9]+: training diverged" -- \
    "$trainer" vae --data "$fashion" --out "$work/nan" --image-size 28 --width 4 --latent 4 --batch-size 4 \
    --steps 200 --lr 1e12 --threads 1
  # A finished run is never overwritten by accident.
  "$trainer" vae --data "$fashion" --out "$work/done" "${common[@]}" >/dev/null 2>&1
  expect 1 "already holds a run" -- "$trainer" vae --data "$fashion" --out "$work/done" "${common[@]}"
  # A checkpoint of another kind, or of other hyper-parameters, is refused with the reason.
  sed -i 's/"command": "vae"/"command": "dcgan"/' "$work/done/options.json"
  expect 1 "holds no 'generator' module" -- "$trainer" export --run "$work/done" --out "$work/y.onnx"
else
  echo "note: $fashion missing, NaN and overwrite cases skipped"
fi

[ $failures -eq 0 ] || { echo "$failures case(s) failed"; exit 1; }
echo "all bad-input cases behaved"
