#!/usr/bin/python3
"""The quality report's parts on real components: the trainer's InceptionV3 judge on real paintings and photos,
the crosshatch measure on a real photo with and without a drawn grid, and scripts/quality-report end to end at
96 px (one shipped style, one held-out photo, a 3-step Gatys run, the quick judge check), and its --fast-only update.

    test_quality_report.py TRAINER SHARED_DATA WORK_DIR        (exit 77 = skipped: no ../shared/data)"""
import json, os, shutil, subprocess, sys

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts", "report"))
from crosshatch import crosshatch_ratio  # noqa: E402

PHOTO = "0375_python3-sklearn__china.jpg"  # held out from the style models' training (models/README.md)
PAINTINGS = ["opencv_starry_night.jpg", "gcompris_GreatWave.png"]
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def scaled(src, dst, side):
    img = Image.open(src).convert("RGB")
    s = side / min(img.size)
    img = img.resize((round(img.width * s) // 4 * 4, round(img.height * s) // 4 * 4), Image.LANCZOS)
    img.save(dst)
    return img


def judge(trainer, work, items):
    job, out = os.path.join(work, "job.json"), os.path.join(work, "judged.json")
    with open(job, "w") as f:
        json.dump({"items": items}, f)
    done = subprocess.run([trainer, "judge", "--job", job, "--out", out], capture_output=True, text=True, timeout=240)
    return done, ({i["id"]: i for i in json.load(open(out))["items"]} if done.returncode == 0 else {})


def main():
    trainer, data, work = sys.argv[1:4]
    if not os.path.isdir(os.path.join(data, "photos")):
        print(f"skipped: no {data}/photos")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    w = lambda name: os.path.join(work, name)
    photo = scaled(os.path.join(data, "photos", PHOTO), w("photo.png"), 128)
    for k, p in enumerate(PAINTINGS):
        painting = scaled(os.path.join(data, "paintings", p), w(f"painting{k}.png"), 192)
        painting.crop((16, 16, 112, 112)).save(w(f"crop{k}.png"))
    photo.resize((96, 96)).save(w("small.png"))

    # The judge: zero against itself, and a crop of a painting nearer that painting than another one.
    items = [{"id": "photo", "image": w("photo.png"), "content": w("photo.png"), "style": w("painting0.png")},
             {"id": "self", "image": w("painting0.png"), "style": w("painting0.png")}]
    items += [{"id": f"crop{k}/{m}", "image": w(f"crop{k}.png"), "style": w(f"painting{m}.png")}
              for k in range(2) for m in range(2)]
    done, got = judge(trainer, work, items)
    check(done.returncode == 0, f"judge ran ({done.stderr.strip()[-300:]})")
    if got:
        check(got["photo"]["content_loss"] == 0, "content distance of the photo to itself is 0")
        for stat in ("gram", "meanstd", "sliced"):
            check(all(v < 1e-9 for v in got["self"]["style"][stat].values()), f"{stat}: painting vs itself is 0")
            check(all(v > 0 for v in got["photo"]["style"][stat].values()), f"{stat}: photo vs painting > 0")
        sliced = lambda i: sum(got[i]["style"]["sliced"].values())
        for k in range(2):
            check(sliced(f"crop{k}/{k}") < sliced(f"crop{k}/{1 - k}"),
                  f"sliced: a crop of painting {k} is nearer it ({sliced(f'crop{k}/{k}'):.3f}) than the other "
                  f"({sliced(f'crop{k}/{1 - k}'):.3f})")
    done, _ = judge(trainer, work, [{"id": "x", "image": w("small.png"), "content": w("photo.png")}])
    check(done.returncode == 1 and "differ in size" in done.stderr, f"different sizes refused: {done.stderr.strip()}")

    # Crosshatch: the photo against itself is 1; a faint 4-px diagonal grid drawn over it is caught (2.6 when
    # written), and so are 6-px diagonal stripes of colour alone (red against blue: what a network trained
    # against MobileNetV2 drew, which the first, luminance-only measure missed); noise is not.
    a = np.asarray(photo, dtype=np.float64)
    yy, xx = np.mgrid[0:a.shape[0], 0:a.shape[1]]
    grid = np.clip(a + (6 * np.cos(np.pi * (xx + yy) / 2))[..., None], 0, 255)
    wave = 12 * np.cos(2 * np.pi * (xx - yy) / 6)
    stripes = np.clip(a + np.stack([wave, np.zeros_like(wave), -wave], axis=-1), 0, 255)
    noise = np.clip(a + np.random.RandomState(1).randn(*a.shape[:2], 1) * 6, 0, 255)
    check(abs(crosshatch_ratio(a, a) - 1) < 1e-9, "crosshatch ratio of the photo to itself is 1")
    check(crosshatch_ratio(grid, a) > 1.5, f"a 6-level diagonal grid: ratio {crosshatch_ratio(grid, a):.2f} > 1.5")
    check(crosshatch_ratio(stripes, a) > 1.5, f"6-px colour stripes: ratio {crosshatch_ratio(stripes, a):.2f} > 1.5")
    check(crosshatch_ratio(noise, a) < 1.2, f"6-level noise: ratio {crosshatch_ratio(noise, a):.2f} < 1.2")

    # The whole command at a tiny size.
    out = w("report")
    done = subprocess.run([os.path.join(REPO, "scripts", "quality-report"), "--trainer", trainer, "--data", data,
                           "--photos", "1", "--gatys-photos", "1", "--image-size", "96", "--gatys-steps", "3",
                           "--styles", "the-scream", "--no-comparison", "--judge-check", "quick",
                           "--work", w("report-work"), "--out", out], capture_output=True, text=True, timeout=1200)
    check(done.returncode == 0, f"quality-report ran ({done.stderr.strip()[-500:]})")
    if done.returncode == 0:
        report = json.load(open(os.path.join(out, "styles.json")))
        jc = report["judge_check"]
        check(jc["of"] == 4 and 0 <= jc["pytorch_identified"] <= 4 and 0 < jc["painting_crops_identified"] <= 1,
              f"judge_check {jc}")
        style = report["styles"][0]
        check(style["id"] == "the-scream" and style["group"] == "shipped", f"one shipped style: {style['id']}")
        for key in ("style_ratio", "content_loss", "crosshatch_ratio", "gatys_style_ratio", "v1_style_ratio"):
            check(isinstance(style.get(key), float) and style[key] > 0, f"{key} = {style.get(key)}")
        check("| the-scream |" in open(os.path.join(out, "styles.md")).read(), "styles.md has a the-scream row")
        sheet = Image.open(os.path.join(out, "style-comparison.jpg"))
        check(sheet.size == (160 * 7, 160), f"sheet: painting, photo, PyTorch, v1, now, Gatys, fast network at 160 px: {sheet.size}")

        # --fast-only: the fast network's fields, table row and sheet cell come back as measured; a report whose
        # quality figures no longer match the quality network is refused.
        fast_only = [os.path.join(REPO, "scripts", "quality-report"), "--trainer", trainer, "--data", data,
                     "--photos", "1", "--image-size", "96", "--styles", "the-scream", "--fast-only",
                     "--work", w("report-work"), "--out", out]
        measured = style["fastnet_style_ratio"]
        style["fastnet_style_ratio"], style["fastnet_content_loss"] = 9.99, 8.88
        json.dump(report, open(os.path.join(out, "styles.json"), "w"))
        Image.new("RGB", sheet.size, "black").save(os.path.join(out, "style-comparison.jpg"))
        done = subprocess.run(fast_only, capture_output=True, text=True, timeout=600)
        check(done.returncode == 0, f"--fast-only ran ({done.stderr.strip()[-500:]})")
        again = json.load(open(os.path.join(out, "styles.json")))["styles"][0]
        check(abs(again["fastnet_style_ratio"] - measured) < 1e-6,
              f"--fast-only measured the fast network again: {again['fastnet_style_ratio']} (first {measured})")
        md = open(os.path.join(out, "styles.md")).read()
        check("9.99" not in md and "8.88" not in md and md.count("## Fast networks") == 1
              and "![style comparison]" in md, "styles.md: the fast table rewritten in place, the rest kept")
        cells = np.asarray(Image.open(os.path.join(out, "style-comparison.jpg")).convert("L"), dtype=np.float64)
        check(cells[:, 160 * 6:].mean() > 20 and cells[:, :160 * 6].mean() < 5,
              "the sheet's fast column drawn again, the other cells left as they were")
        again["style_ratio"] *= 1.5
        json.dump({**report, "styles": [again]}, open(os.path.join(out, "styles.json"), "w"))
        done = subprocess.run(fast_only, capture_output=True, text=True, timeout=600)
        check(done.returncode == 1 and "quality network changed" in done.stderr,
              f"a report the quality network no longer matches is refused: {done.stderr.strip()[-300:]}")

    bad = subprocess.run([os.path.join(REPO, "scripts", "quality-report"), "--trainer", trainer, "--data", data,
                          "--styles", "mona-lisa", "--work", w("bad"), "--out", w("bad")], capture_output=True, text=True)
    check(bad.returncode == 1 and "mona-lisa" in bad.stderr, f"unknown style refused: {bad.stderr.strip()}")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
