#!/usr/bin/python3
"""scripts/distill-fast from a clean checkout (--teachers models): phase 2 takes the loss recipe from the quality
model's card (what package-models wrote there round-trips), and --continue-from starts phase 2 at the shipped fast
network without a distillation phase. A stand-in trainer records the commands, so no training runs here.

    test_distill_fast.py REPO DATA_DIR WORK_DIR"""
import os, shutil, subprocess, sys
from importlib.machinery import SourceFileLoader

repo, data, work = sys.argv[1:4]
if not os.path.isdir(os.path.join(data, "photos")):
    print(f"skipped: no photos under {data}")
    sys.exit(77)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sys.path.insert(0, os.path.join(repo, "scripts"))  # package-models, which distill-fast loads, imports model_cost
distill = SourceFileLoader("distill_fast", os.path.join(repo, "scripts", "distill-fast")).load_module()
package = distill.package

# 1. A card's training command, as package-models writes it, gives back the recipe options and nothing else.
options = {"command": "style", "style": "/somewhere/paintings/x.jpg", "style-weight": 35.0, "peak-weight": 300.0,
           "spectrum-weight": 50000.0, "loss-scales": "1,0.7,0.5", "width": 16, "steps": 900, "out": "/tmp/x",
           "content": "/tmp/photos", "adversarial": False}
card = os.path.join(work, "x.md")
with open(card, "w") as f:
    f.write("# X\n\n- Steps: 900\n\nTraining command:\n\n```\n" + package.command_line(options, 900) + "\n```\n")
recipe = distill.recipe_from_card(card)
expected = {k: str(v) for k, v in options.items() if k in distill.RECIPE_KEYS}
expected["style"] = "../shared/data/paintings/x.jpg"
assert recipe == expected, (recipe, expected)
assert distill.recipe_from_card(os.path.join(work, "none.md")) is None
with open(card, "w") as f:
    f.write("# X\n\nNo command here.\n")
assert distill.recipe_from_card(card) is None

# 2. --continue-from models: one trainer call per style, phase 2 only, from the shipped fast network.
calls = os.path.join(work, "calls.txt")
trainer = os.path.join(work, "trainer")
with open(trainer, "w") as f:
    # Like the real one, it makes the run directory (--out).
    f.write(f"#!/bin/sh\necho \"$@\" >> {calls}\n"
            "while [ $# -gt 1 ]; do [ \"$1\" = --out ] && mkdir -p \"$2\"; shift; done\n")
os.chmod(trainer, 0o755)
script = os.path.join(repo, "scripts", "distill-fast")
models = os.path.join(repo, "models")
runs = os.path.join(work, "runs")
done = subprocess.run([script, "--runs", runs, "--teachers", models, "--continue-from", models, "--styles",
                       "starry-night", "--trainer", trainer, "--data", data, "--steps", "7"],
                      capture_output=True, text=True)
assert done.returncode == 0, done.stdout + done.stderr
lines = open(calls).read().splitlines()
assert len(lines) == 1, lines
args = lines[0].split()
value = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}
shipped_recipe = distill.recipe_from_card(os.path.join(models, "cards", "starry-night.md"))
assert value["--init-from"] == os.path.join(models, "starry-night-fast.onnx"), value
assert value["--teacher"] == os.path.join(models, "starry-night.onnx"), value
assert value["--style"] == os.path.join(data, "paintings", "opencv_starry_night.jpg"), value
assert value["--steps"] == "7" and value["--width"] == "8" and value["--edge-kernel"] == "3", value
for key in ("style-weight", "peak-weight", "spectrum-weight", "colour-weight", "style-scale", "loss-scales"):
    assert value["--" + key] == shipped_recipe[key], (key, value, shipped_recipe)
note = open(os.path.join(runs, "starry-night-fast", "card-note.txt")).read()
assert "--continue-from" in note and "7 more steps" in note, note

# 3. Nothing to continue from: a message that names the missing file, and a failing exit.
empty = os.path.join(work, "empty")
os.makedirs(empty)
done = subprocess.run([script, "--runs", os.path.join(work, "runs2"), "--teachers", models, "--continue-from",
                       empty, "--styles", "the-kiss", "--trainer", trainer, "--data", data],
                      capture_output=True, text=True)
assert done.returncode == 1, done.stdout + done.stderr
assert f"no {os.path.join(empty, 'the-kiss-fast.onnx')} to continue from" in done.stdout, done.stdout
print("distill-fast: card recipe round trip, --continue-from command and refusal ok")
