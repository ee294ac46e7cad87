#!/usr/bin/python3
"""scripts/device-train, the helper a session with a lent GPU runs there, checked on this machine's CPU:
  1. pack: runs of the plan's real sizes (width-32 networks: model.pt 6.8 MB, checkpoint.pt 20 MB with Adam's state)
     come back within the device tool's limits (at most 7 archives of at most 15 MB, 60 MB in all), every run's
     options.json and model.pt among them, checkpoints only where they fit, and summary.txt names what was left out;
  2. train --device cpu with a one-run plan: the run is stopped by SIGTERM at the deadline and writes checkpoint.pt,
     the finishing resume writes model.pt, the archives unpack into a folder where `style --resume` goes on, and
     `style --init-from` starts from a run folder that has model.pt alone (how the width-32 networks come back);
  3. unpack refuses an archive member that would land outside its folder.
usage: test_device_train.py TRAINER SHARED_DATA WORK_DIR   (exit 77 = skipped: no ../shared/data)"""
import argparse, json, os, shutil, subprocess, sys, tarfile
from importlib.machinery import SourceFileLoader

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
device_train = SourceFileLoader("device_train", os.path.join(REPO, "scripts", "device-train")).load_module()
trainer, data, work = (os.path.abspath(p) for p in sys.argv[1:4])
MB = 2**20
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def metrics_step(run):
    with open(os.path.join(run, "metrics.jsonl")) as f:
        return int(json.loads([l for l in f if l.strip()][-1])["step"])


def members(folder):
    names = {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".tar"):
            with tarfile.open(os.path.join(folder, f)) as tar:
                names[f] = [m.name for m in tar.getmembers()]
    return names


def test_pack():
    runs, out = os.path.join(work, "pack", "runs"), os.path.join(work, "pack", "out")
    os.makedirs(out)
    # model.pt and checkpoint.pt bytes as the plan's runs write them (measured: `train --device cpu` of the plan).
    sizes = {f"{s}-w32": (6_775_667, 20_298_390) for s in device_train.COMPARISON}
    sizes |= {f"{s}-w16": (1_758_323, 5_246_294) for s in device_train.COMPARISON}
    sizes |= {"emoji-ema": (3_963_251, 24_267_512), "emoji-ema-projection": (3_963_251, 24_248_344)}
    for run, (model, checkpoint) in sizes.items():
        os.makedirs(os.path.join(runs, run))
        for name, size in (("model.pt", model), ("checkpoint.pt", checkpoint), ("options.json", 100)):
            with open(os.path.join(runs, run, name), "wb") as f:
                f.truncate(size)  # sparse: tarfile still reads every byte, so the archives have the real sizes
        with open(os.path.join(runs, run, "metrics.jsonl"), "w") as f:
            f.write(json.dumps({"step": 42}) + "\n")
    device_train.pack(runs, list(sizes), out, 1.0)
    archives = [os.path.join(out, f) for f in os.listdir(out) if f.endswith(".tar")]
    check(len(archives) <= 7, f"{len(archives)} archives (at most 7)")
    check(all(os.path.getsize(f) <= 16 * MB for f in archives), "every archive within 16 MB: "
          + ", ".join(f"{os.path.getsize(f) / MB:.1f}" for f in archives))
    check(sum(os.path.getsize(f) for f in archives) <= 64 * MB, "archives within 64 MB together")
    packed = {n for names in members(out).values() for n in names}
    check(all(f"{r}/model.pt" in packed and f"{r}/options.json" in packed for r in sizes),
          "every run's model.pt and options.json packed")
    checkpoints = {r for r in sizes if f"{r}/checkpoint.pt" in packed}
    check(0 < len(checkpoints) < len(sizes), f"checkpoint.pt packed where room was left: {sorted(checkpoints)}")
    summary = open(os.path.join(out, "summary.txt")).read()
    check(all(f"left out (the tool's size limits): {r}/checkpoint.pt" in summary for r in set(sizes) - checkpoints),
          "summary.txt names each checkpoint left out")


def test_train_stop_pack_resume():
    stage = os.path.join(work, "stage")
    photos = os.path.join(stage, "data", "photos")
    os.makedirs(photos)
    for p in sorted(os.listdir(os.path.join(data, "photos")))[:4]:
        shutil.copy(os.path.join(data, "photos", p), photos)
    os.symlink(os.path.join(REPO, "third_party", "nsfwjs", "dist", "models", "mobilenet_v2"),
               os.path.join(stage, "mobilenet_v2"))
    device_train.STAGE = stage
    device_train.RUNS = os.path.join(stage, "runs")
    device_train.STOP_MARGIN_S = 0
    device_train.PLAN = {"tiny": ["style", "--content", photos, "--style",
                                  os.path.join(data, "paintings", "opencv_starry_night.jpg"), "--image-size", "64",
                                  "--batch-size", "1", "--width", "8", "--residual-blocks", "1",
                                  "--calibration-count", "4", "--seed", "1"]}
    out = os.path.join(work, "train-out")
    os.environ["OUT"] = out
    device_train.main(["train", "--device", "cpu", "--trainer", trainer, "--minutes", "0.3"])
    log = open(os.path.join(stage, "runs", "tiny.log")).read()
    check("stopped at step" in log, "the run was stopped by SIGTERM at the deadline and said so")
    back = os.path.join(work, "back")
    device_train.main(["unpack", out, "--into", back])
    run = os.path.join(back, "tiny")
    check(all(os.path.isfile(os.path.join(run, f)) for f in ("model.pt", "checkpoint.pt", "options.json")),
          "model.pt, checkpoint.pt and options.json came back")
    step = metrics_step(run)
    check(step > 0 and f"tiny: step {step}, checkpoint.pt" in open(os.path.join(out, "summary.txt")).read(),
          f"summary.txt gives the step reached ({step})")
    done = subprocess.run([trainer, "style", "--resume", "--out", run, "--steps", str(step + 2), "--device", "cpu"],
                          capture_output=True, text=True, timeout=120)
    check(done.returncode == 0 and metrics_step(run) == step + 2,
          f"style --resume continues the unpacked run to step {step + 2} (exit {done.returncode}) {done.stderr[-300:]}")
    # A run whose checkpoint did not fit (the width-32 ones) comes back with model.pt alone: --init-from takes it.
    weights_only = os.path.join(work, "weights-only")
    os.makedirs(weights_only)
    for f in ("options.json", "model.pt"):
        shutil.copy(os.path.join(run, f), weights_only)
    tuned = subprocess.run([trainer, "style", "--init-from", weights_only, "--out", os.path.join(work, "tuned"),
                            "--steps", "1", "--device", "cpu"] + device_train.PLAN["tiny"][1:],
                           capture_output=True, text=True, timeout=120)
    check(tuned.returncode == 0 and f"network weights from {weights_only}/model.pt (step {step + 2})" in tuned.stdout,
          f"--init-from a run folder with model.pt alone (exit {tuned.returncode}) {tuned.stderr[-300:]}")


def test_unpack_refuses_escape():
    folder = os.path.join(work, "evil")
    os.makedirs(folder)
    payload = os.path.join(work, "payload.txt")
    open(payload, "w").write("x")
    with tarfile.open(os.path.join(folder, "runs-1.tar"), "w") as tar:
        tar.add(payload, arcname="../escaped.txt")
    into = os.path.join(work, "evil-into")
    try:
        device_train.main(["unpack", folder, "--into", into])
        refused = False
    except SystemExit as e:
        refused = "refusing member ../escaped.txt" in str(e)
    check(refused and not os.path.exists(os.path.join(work, "escaped.txt")), "unpack refuses a member outside its folder")


if __name__ == "__main__":
    if not os.path.isdir(os.path.join(data, "photos")):
        print(f"skipped: no {data}/photos")
        sys.exit(77)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    test_pack()
    test_unpack_refuses_escape()
    test_train_stop_pack_resume()
    sys.exit(1 if failures else 0)
