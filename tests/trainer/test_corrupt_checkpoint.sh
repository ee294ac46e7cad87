#!/usr/bin/env bash
# A damaged checkpoint is refused with a message naming it, and the previous good one is used instead and kept:
#  1. a 5-step VAE run saves checkpoints at steps 2, 4 and 5 (checkpoint.pt = step 5, .previous = step 4);
#  2. checkpoint.pt truncated to half: --resume warns naming it, resumes at step 4 and keeps the bad file as
#     checkpoint.pt.corrupt;
#  3. both damaged (garbage in checkpoint.pt, no usable previous): --resume fails, naming both files;
#  4. the fuzz regressions that crashed or leaked in LibTorch's own reader (tests/fuzz/corpus/checkpoint), and a checkpoint with
#     one byte flipped inside a record: both refused by the container check (run/zip_check.h) before LibTorch reads
#     them, and the run resumes from the previous checkpoint.
# usage: test_corrupt_checkpoint.sh TRAINER IDX_FILE WORK_DIR
set -uo pipefail
trainer=$1 idx=$2 work=$3
[ -f "$idx" ] || { echo "SKIP: $idx missing (Debian package dataset-fashion-mnist)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
run=$work/run
fail() { echo "FAIL: $*"; echo "--- log:"; cat "$work/log"; exit 1; }

"$trainer" vae --data "$idx" --out "$run" --image-size 28 --width 4 --latent 4 --batch-size 4 --steps 5 \
  --log-every 1 --checkpoint-every 2 --preview-every 1000000 --threads 1 >"$work/log" 2>&1 || fail "first run failed"
[ -f "$run/checkpoint.pt" ] && [ -f "$run/checkpoint.pt.previous" ] || fail "no checkpoint.pt and .previous"

size=$(stat -c %s "$run/checkpoint.pt")
truncate -s $((size / 2)) "$run/checkpoint.pt"
"$trainer" vae --out "$run" --resume --steps 6 >"$work/log" 2>&1 || fail "resume with a truncated checkpoint failed"
grep -q "refused $run/checkpoint.pt" "$work/log" || fail "the warning does not name the truncated checkpoint"
grep -q "resumed at step 4" "$work/log" || fail "did not resume from the previous checkpoint (step 4)"
grep -q "Exception raised from" "$work/log" && fail "the message carries LibTorch's backtrace"
[ "$(stat -c %s "$run/checkpoint.pt.corrupt")" -eq $((size / 2)) ] || fail "the refused file was not kept as .corrupt"

echo "not a checkpoint" >"$run/checkpoint.pt"
echo "nor this" >"$run/checkpoint.pt.previous"
"$trainer" vae --out "$run" --resume --steps 8 >"$work/log" 2>&1 && fail "resume from two damaged checkpoints succeeded"
grep -q "$run/checkpoint.pt: damaged checkpoint file" "$work/log" || fail "error does not name checkpoint.pt"
grep -q "$run/checkpoint.pt.previous" "$work/log" || fail "error does not name the previous checkpoint"

corpus=$(cd "$(dirname "$0")/../fuzz/corpus/checkpoint" && pwd)
run=$work/run2
"$trainer" vae --data "$idx" --out "$run" --image-size 28 --width 4 --latent 4 --batch-size 4 --steps 5 \
  --log-every 1 --checkpoint-every 2 --preview-every 1000000 --threads 1 >"$work/log" 2>&1 || fail "second first run failed"
cp "$corpus/segv_in_libtorch_reader.pt" "$run/checkpoint.pt"
"$trainer" vae --out "$run" --resume --steps 5 >"$work/log" 2>&1 || fail "resume past the fuzz regression failed (exit $?)"
grep -q "refused $run/checkpoint.pt: $run/checkpoint.pt: damaged checkpoint file" "$work/log" || fail "fuzz regression not refused by the container check"
grep -q "resumed at step 4" "$work/log" || fail "did not resume from step 4 after the fuzz regression"
# A record renamed in the directory only (no CRC covers names): LibTorch leaked on it; refused by name now.
cp "$corpus/leak_renamed_record.pt" "$run/checkpoint.pt"
"$trainer" vae --out "$run" --resume --steps 5 >"$work/log" 2>&1 || fail "resume past the renamed record failed"
grep -q "name differs between its header and the directory" "$work/log" || fail "renamed record not refused"
# The run finished at step 5 again; flip one byte in the middle of that good checkpoint's largest record (its
# data, not a header or name: where that lies depends on the model's layout, so it is looked up, not guessed).
/usr/bin/python3 - "$run/checkpoint.pt" <<'PY'
import struct, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    record = max(z.infolist(), key=lambda i: i.compress_size)
data = bytearray(open(path, "rb").read())
at = record.header_offset
name_length, extra_length = struct.unpack("<HH", data[at + 26:at + 30])  # the local header's own lengths
start = at + 30 + name_length + extra_length
data[start + record.compress_size // 2] ^= 0x40
open(path, "wb").write(data)
PY
"$trainer" vae --out "$run" --resume --steps 6 >"$work/log" 2>&1 || fail "resume past a flipped byte failed"
grep -q "does not match its CRC-32" "$work/log" || fail "a flipped byte was not caught by the CRC check"
echo "ok: truncated checkpoint refused by name, resumed from the previous one, damaged file kept; both damaged: refused; fuzz regression and flipped byte refused before LibTorch"
