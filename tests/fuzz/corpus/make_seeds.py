#!/usr/bin/python3
"""Writes the small valid seed images in image_decode/ (seed_*): starting points for the fuzzers, one per format
variant stb_image decodes (PNG RGBA, palette, 16-bit grey; JPEG baseline 4:2:0 and 4:4:4, greyscale,
progressive). Needs python3-pil (Debian). The committed files are what the fuzzers use; rerun only to change them.
"""
import io
import pathlib

from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent / "image_decode"


def gradient(mode, w=8, h=8):
    im = Image.new("RGBA", (w, h))
    for y in range(h):
        for x in range(w):
            im.putpixel((x, y), (x * 255 // (w - 1), y * 255 // (h - 1), (x * y * 7) % 256, 128 + (x * 16) % 128))
    return im if mode == "RGBA" else im.convert(mode)


SEEDS = {
    "seed_rgba_8x8.png": (gradient("RGBA"), dict(format="PNG")),
    "seed_palette_8x8.png": (gradient("RGB").convert("P", palette=Image.ADAPTIVE, colors=16), dict(format="PNG")),
    "seed_grey16_8x8.png": (gradient("L").convert("I;16"), dict(format="PNG")),
    "seed_rgb_16x16_420.jpg": (gradient("RGB", 16, 16), dict(format="JPEG", quality=75)),
    "seed_rgb_16x8_444.jpg": (gradient("RGB", 16, 8), dict(format="JPEG", quality=85, subsampling=0)),
    "seed_grey_8x8.jpg": (gradient("L"), dict(format="JPEG", quality=90)),
    "seed_rgb_16x16_progressive.jpg": (gradient("RGB", 16, 16), dict(format="JPEG", quality=80, progressive=True)),
}

if __name__ == "__main__":
    for name, (image, options) in SEEDS.items():
        out = io.BytesIO()
        image.save(out, **options)
        (HERE / name).write_bytes(out.getvalue())
        print(f"{name}: {len(out.getvalue())} bytes")
