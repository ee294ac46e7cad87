#!/usr/bin/python3
"""The quality report's parts on real components: InceptionV3 (TF.js) losses of a shipped style model's output on a
held-out photo, and scripts/quality-report end to end at 96 px with a 3-step Gatys run.

    test_quality_report.py TRAINER SHARED_DATA WORK_DIR        (exit 77 = skipped: no ../shared/data)"""
import json, os, re, shutil, subprocess, sys

from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCEPTION = os.path.join(REPO, "third_party", "nsfwjs", "dist", "models", "inception_v3")
PHOTO = "0375_python3-sklearn__china.jpg"  # held out from the style models' training (models/README.md)
PAINTING = "opencv_starry_night.jpg"
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def node(script, *args):
    env = dict(os.environ, NODE_PATH=os.path.join(REPO, "node_modules"))
    return subprocess.run(["node", os.path.join(REPO, "scripts", "report", script), *args], env=env,
                          capture_output=True, text=True, timeout=240)


def scaled(src, dst, side, multiple=4):
    img = Image.open(src).convert("RGB")
    s = side / min(img.size)
    img = img.resize((round(img.width * s) // multiple * multiple, round(img.height * s) // multiple * multiple))
    img.save(dst)
    return img.size


def main():
    trainer, data, work = sys.argv[1:4]
    if not os.path.isdir(os.path.join(data, "photos")):
        print(f"skipped: no {data}/photos")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    w = lambda name: os.path.join(work, name)
    size = scaled(os.path.join(data, "photos", PHOTO), w("photo.ppm"), 128)
    scaled(os.path.join(data, "paintings", PAINTING), w("painting.ppm"), 128)
    Image.open(w("photo.ppm")).resize((96, 96)).save(w("small.ppm"))

    # A shipped model on the photo: same size out, and visibly changed.
    ran = node("style_onnx.mjs", os.path.join(REPO, "models", "starry-night.onnx"), w("photo.ppm"), w("fast.ppm"))
    check(ran.returncode == 0, f"style_onnx ran ({ran.stderr.strip()})")
    fast = Image.open(w("fast.ppm"))
    check(fast.size == size, f"stylized size {fast.size} == photo size {size}")
    changed = sum(abs(a - b) for a, b in zip(fast.tobytes(), Image.open(w("photo.ppm")).tobytes())) / len(fast.tobytes())
    check(changed > 10, f"stylized differs from the photo by {changed:.1f} grey levels on average (> 10)")

    items = [("photo", "photo.ppm", "photo.ppm", "painting.ppm"), ("painting", "painting.ppm", "painting.ppm",
              "painting.ppm"), ("fast", "fast.ppm", "photo.ppm", "painting.ppm")]
    with open(w("job.json"), "w") as f:
        json.dump({"model_dir": INCEPTION, "items": [{"id": i, "image": w(a), "content": w(b), "style": w(c)}
                                                     for i, a, b, c in items]}, f)
    ran = node("inception_losses.mjs", w("job.json"), w("losses.json"))
    check(ran.returncode == 0, f"inception_losses ran ({ran.stderr.strip()})")
    got = {m["id"]: m for m in json.load(open(w("losses.json")))["items"]}
    check(got["photo"]["content_loss"] == 0, "content loss of the photo against itself is 0")
    check(got["painting"]["style_loss"] == 0, "style loss of the painting against itself is 0")
    check(got["photo"]["style_loss"] > 0, f"photo vs painting style loss {got['photo']['style_loss']:.3g} > 0")
    # The point of the report: a trained model moves the photo's InceptionV3 style statistics toward the painting
    # (it never trained against InceptionV3), at the price of some content.
    check(got["fast"]["style_loss"] < 0.9 * got["photo"]["style_loss"],
          f"stylized style loss {got['fast']['style_loss']:.3g} < 0.9 x the photo's {got['photo']['style_loss']:.3g}")
    check(got["fast"]["content_loss"] > 0, f"stylized content loss {got['fast']['content_loss']:.3g} > 0")

    with open(w("mismatch.json"), "w") as f:
        json.dump({"model_dir": INCEPTION, "items": [{"id": "x", "image": w("small.ppm"), "content": w("photo.ppm"),
                                                      "style": w("painting.ppm")}]}, f)
    ran = node("inception_losses.mjs", w("mismatch.json"), w("mismatch-out.json"))
    check(ran.returncode == 1 and "differ in size" in ran.stderr, f"different sizes refused: {ran.stderr.strip()}")

    # The whole command at a tiny size: one style, one photo, 3 Gatys steps.
    out = w("report")
    done = subprocess.run([os.path.join(REPO, "scripts", "quality-report"), "--trainer", trainer, "--data", data,
                           "--photos", "1", "--image-size", "96", "--gatys-steps", "3", "--styles", "the-scream",
                           "--work", w("report-work"), "--out", out], capture_output=True, text=True, timeout=240)
    check(done.returncode == 0, f"quality-report ran ({done.stderr.strip()[-500:]})")
    markdown = open(os.path.join(out, "styles.md")).read() if done.returncode == 0 else ""
    row = re.search(r"^\| the-scream \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|",
                    markdown, re.M)
    check(row is not None, "styles.md has a the-scream row with five losses")
    if row:
        values = [float(v) for v in row.groups()]
        check(all(v > 0 for v in values), f"all losses positive: {values}")
    sheet = os.path.join(out, "style-comparison.jpg")
    check(os.path.exists(sheet) and Image.open(sheet).size == (480, 320),
          "style-comparison.jpg: painting + fast + Gatys columns, photo row + one style row at 160 px")

    bad = subprocess.run([os.path.join(REPO, "scripts", "quality-report"), "--trainer", trainer, "--data", data,
                          "--styles", "mona-lisa", "--work", w("bad"), "--out", w("bad")], capture_output=True, text=True)
    check(bad.returncode == 1 and "mona-lisa" in bad.stderr, f"unknown style refused: {bad.stderr.strip()}")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
