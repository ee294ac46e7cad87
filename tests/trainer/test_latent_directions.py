#!/usr/bin/python3
"""`latent-directions` on a class-conditional DCGAN run (trainer.cdcgan.smoke's), then `export` of that run.

Checks what the app relies on: the directions are unit vectors of the free latent z (not the class), orthogonal to
each other, listed largest effect first; each is named by the statistic it measurably increases (or "detail"), and
names are unique; export copies them (name + vector) into the gan's manifest entry along with the class names.
Then the same run exported to ONNX: latent-directions reads the generator back from the file alone and finds the
same directions, and --manifest puts them into that file's manifest entry. Last, the shipped models/emoji-dcgan.onnx
(colour, white background): its directions in models/manifest.json are what the command finds from the file.

usage: test_latent_directions.py TRAINER RUN_DIR WORK_DIR MODELS_DIR"""
import json, math, os, shutil, subprocess, sys

trainer, run, work, models = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
# A copy of the run, so the exports of trainer.export.cgan never see a directions.json they did not expect.
run_copy = os.path.join(work, "run")
shutil.copytree(run, run_copy)
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


subprocess.run([trainer, "latent-directions", "--run", run_copy, "--count", "4", "--samples", "300", "--threads", "1"],
               check=True)
doc = json.load(open(os.path.join(run_copy, "directions.json")))
options = json.load(open(os.path.join(run_copy, "options.json")))
latent = options["latent"]
directions = doc["directions"]
check(len(directions) == 4, f"4 directions written (got {len(directions)})")
check(doc["classes"] == 10, "the run is read as class-conditional with 10 classes")
vectors = [d["vector"] for d in directions]
check(all(len(v) == latent for v in vectors), f"each vector has the free latent's {latent} values (no class part)")
dot = lambda a, b: sum(x * y for x, y in zip(a, b))
check(all(abs(math.sqrt(dot(v, v)) - 1) < 1e-3 for v in vectors), "unit vectors (within the 4-decimal rounding)")
check(all(abs(dot(vectors[i], vectors[j])) < 1e-3 for i in range(4) for j in range(i)), "orthogonal to each other")
effects = [d["effect"] for d in directions]
check(all(e > 0 for e in effects) and effects == sorted(effects, reverse=True), f"largest effect first: {effects}")
names = [d["name"] for d in directions]
check(len(set(names)) == len(names), f"unique names: {names}")
statistic = {"brighter": "brightness", "bolder": "brightness", "wider": "width_px", "taller": "height_px",
             "further right": "centre_x_px", "lower": "centre_y_px", "warmer": "warmth",
             "more colourful": "colourfulness"}
for d in directions:
    base = d["name"].rstrip(" 0123456789")
    if base == "detail":
        continue
    change = d["change_from_minus_2_to_plus_2"][statistic[base]]
    check(base in statistic and change > 0, f"'{d['name']}' increases {statistic[base]} (measured {change:+.3f})")

manifest_file = os.path.join(work, "manifest.json")
subprocess.run([trainer, "export", "--run", run_copy, "--out", os.path.join(work, "cgan.onnx"), "--credits", "test",
                "--manifest", manifest_file, "--class-names", ",".join(f"c{i}" for i in range(10))], check=True,
               stdout=subprocess.DEVNULL)
entry = json.load(open(manifest_file))["models"][0]
check(entry["latent_size"] == latent + 10, f"latent_size is z + class: {entry['latent_size']}")
check(entry["classes"] == [f"c{i}" for i in range(10)], "the class names are in the entry, in label order")
check([d["name"] for d in entry.get("directions", [])] == names, "export copies the directions' names")
check([d["vector"] for d in entry.get("directions", [])] == vectors, "export copies the directions' vectors")
bad = subprocess.run([trainer, "export", "--run", run_copy, "--out", os.path.join(work, "x.onnx"), "--credits", "t",
                      "--class-names", "one,two"], capture_output=True, text=True)
check(bad.returncode != 0 and "2 names for this run's 10 classes" in bad.stderr,
      "export refuses a wrong number of class names, saying how many it needs")

# The same generator from its ONNX file alone (float32 weights, so the same numbers up to rounding).
onnx32 = os.path.join(work, "cgan32.onnx")
manifest32 = os.path.join(work, "manifest32.json")
subprocess.run([trainer, "export", "--run", run_copy, "--out", onnx32, "--credits", "test", "--weights", "fp32",
                "--manifest", manifest32, "--class-names", ",".join(f"c{i}" for i in range(10))], check=True,
               stdout=subprocess.DEVNULL)
doc32_file = os.path.join(work, "from-onnx.json")
m = json.load(open(manifest32))
del m["models"][0]["directions"]  # as a shipped file without them would be
json.dump(m, open(manifest32, "w"))
subprocess.run([trainer, "latent-directions", "--run", onnx32, "--count", "4", "--samples", "300", "--threads", "1",
                "--out", doc32_file, "--manifest", manifest32], check=True)
doc32 = json.load(open(doc32_file))
check(doc32["step"] == doc["step"] and doc32["classes"] == 10, "the .onnx is read with its run's step and classes")
check([d["name"] for d in doc32["directions"]] == names, f"same names from the .onnx: {[d['name'] for d in doc32['directions']]}")
check(all(abs(dot(a["vector"], b)) > 0.999 for a, b in zip(doc32["directions"], vectors)),
      "same directions from the .onnx as from the run (|cos| > 0.999)")
entry32 = json.load(open(manifest32))["models"][0]
check([d["vector"] for d in entry32.get("directions", [])] == [d["vector"] for d in doc32["directions"]],
      "--manifest puts the directions into the file's entry")

def refused(args, words, what):
    r = subprocess.run([trainer, "latent-directions"] + args, capture_output=True, text=True)
    check(r.returncode != 0 and words in r.stderr, f"{what} (stderr: {r.stderr.strip()[:160]})")

not_onnx = os.path.join(work, "not-a-model.onnx")
open(not_onnx, "w").write("hello")
refused(["--run", not_onnx], "not an ONNX model", "a text file named .onnx is refused as not an ONNX model")
refused(["--run", run_copy, "--manifest", manifest32], "--manifest is for a generator given as an .onnx",
        "--manifest with a run directory is refused")
stray = os.path.join(work, "cgan32.directions.json")  # where an .onnx's directions go without --out
refused(["--run", onnx32, "--manifest", manifest_file], "has no entry whose file is cgan32.onnx",
        "--manifest without the file's entry is refused")
check(not os.path.exists(stray), "... before anything is written")

# The shipped colour generator: white background, and the manifest's sliders are what the file gives.
emoji = os.path.join(models, "emoji-dcgan.onnx")
shipped = {e["id"]: e for e in json.load(open(os.path.join(models, "manifest.json")))["models"]}
if os.path.exists(emoji) and "emoji-dcgan" in shipped:
    emoji_doc = os.path.join(work, "emoji.json")
    subprocess.run([trainer, "latent-directions", "--run", emoji, "--threads", "1", "--out", emoji_doc], check=True)
    got = json.load(open(emoji_doc))
    check(min(got["background"]) > 0.9, f"the emoji background is found white: {got['background']}")
    check("brighter" not in [d["name"].rstrip(" 0123456789") for d in got["directions"]],
          "no emoji slider is called 'brighter' (more ink on white is 'bolder')")
    listed = shipped["emoji-dcgan"].get("directions", [])
    check([d["name"] for d in listed] == [d["name"] for d in got["directions"]] and
          all(abs(dot(a["vector"], b["vector"])) > 0.999 for a, b in zip(listed, got["directions"])),
          f"the shipped emoji sliders {[d['name'] for d in listed]} are what latent-directions finds in the file")
sys.exit(1 if failures else 0)
