#!/usr/bin/python3
"""Writes the small valid seeds (seed_*): starting points for the fuzzers.
image_decode/: one per format variant stb_image decodes (PNG RGBA, palette, 16-bit grey; JPEG baseline 4:2:0 and
4:4:4, greyscale, progressive). idx/: a tiny idx image file, plain and gzip, and the idx regression headers (a
16-byte header promising more than the reader allows, and one promising ~4 GB that the file does not hold).
Needs python3-pil (Debian). The committed files are what the fuzzers use; rerun only to change them.
"""
import gzip
import io
import pathlib
import struct

from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent / "image_decode"
IDX = pathlib.Path(__file__).resolve().parent / "idx"


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

def idx_images(count, rows, columns, pixels=None):
    """An idx3-ubyte file: magic 0x00000803, big-endian count, rows, columns, then the pixels (all given, or none)."""
    header = struct.pack(">IIII", 0x803, count, rows, columns)
    return header + (bytes(pixels) if pixels is not None else b"")


def idx_rgb_images(count, rows, columns, pixels):
    """A colour idx file (scripts/emoji-data): magic 0x00000804, count, rows, columns, 3, then the pixels."""
    return struct.pack(">IIIII", 0x804, count, rows, columns, 3) + bytes(pixels)


IDX_FILES = {
    "seed_3x4x5.idx": idx_images(3, 4, 5, [(i * 13) % 256 for i in range(3 * 4 * 5)]),
    "seed_rgb_2x3x4.idx": idx_rgb_images(2, 3, 4, [(i * 7) % 256 for i in range(2 * 3 * 4 * 3)]),
    "seed_2x3x3.idx.gz": gzip.compress(idx_images(2, 3, 3, range(18)), mtime=0),
    # 1,000,000 images of 4096x4096 (16 TB): refused by the size cap before any allocation.
    "header_promises_16tb.idx": idx_images(1000000, 4096, 4096),
    # 250,000 images of 128x128 (4.1 GB, under the cap) and 4 bytes: once a 4 GB allocation, now "truncated".
    "header_promises_4gb_short.idx": idx_images(250000, 128, 128, b"\x01\x02\x03\x04"),
}


if __name__ == "__main__":
    IDX.mkdir(exist_ok=True)
    for name, content in IDX_FILES.items():
        (IDX / name).write_bytes(content)
        print(f"idx/{name}: {len(content)} bytes")
    for name, (image, options) in SEEDS.items():
        out = io.BytesIO()
        image.save(out, **options)
        (HERE / name).write_bytes(out.getvalue())
        print(f"{name}: {len(out.getvalue())} bytes")
