#!/usr/bin/python3
"""`latent-directions` on a class-conditional DCGAN run (trainer.cdcgan.smoke's), then `export` of that run.

Checks what the app relies on: the directions are unit vectors of the free latent z (not the class), orthogonal to
each other, listed largest effect first; each is named by the statistic it measurably increases (or "detail"), and
names are unique; export copies them (name + vector) into the gan's manifest entry along with the class names.

usage: test_latent_directions.py TRAINER RUN_DIR WORK_DIR"""
import json, math, os, shutil, subprocess, sys

trainer, run, work = sys.argv[1:4]
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
statistic = {"brighter": "brightness", "wider": "width_px", "taller": "height_px", "further right": "centre_x_px",
             "lower": "centre_y_px"}
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
sys.exit(1 if failures else 0)
