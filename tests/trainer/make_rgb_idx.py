#!/usr/bin/python3
"""A tiny colour dataset in the format scripts/emoji-data writes (idx magic 0x00000804: count, 64, 64, 3, channels
interleaved; labels idx1), for the 64 px RGB smoke tests: 3 classes of shapes on white, in random shades, sizes and places
(seeded): 0 reddish discs, 1 greenish squares, 2 bluish horizontal bars. Writes DIR/{train,test}-{images-idx4,labels-idx1}-ubyte.gz
(48 and 24 images).

    make_rgb_idx.py DIR"""
import gzip, os, random, struct, sys

SIDE, CLASSES = 64, 3


def picture(kind, rng):
    colour = [rng.randrange(0, 120) for _ in range(3)]
    colour[kind] = rng.randrange(160, 256)  # the class's own hue dominates
    cx, cy, s = rng.randrange(20, 44), rng.randrange(20, 44), rng.randrange(8, 18)
    out = bytearray(b"\xff" * SIDE * SIDE * 3)
    for y in range(SIDE):
        for x in range(SIDE):
            dx, dy = x - cx, y - cy
            inside = (dx * dx + dy * dy <= s * s if kind == 0 else
                      max(abs(dx), abs(dy)) <= s if kind == 1 else abs(dy) <= s // 3 and abs(dx) <= s * 2)
            if inside:
                out[(y * SIDE + x) * 3:(y * SIDE + x) * 3 + 3] = bytes(colour)
    return bytes(out)


def write(path, header_dims, body):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">I", 0x0800 | len(header_dims)) + b"".join(struct.pack(">I", d) for d in header_dims) + body)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(1)
    for split, count in (("train", 48), ("test", 24)):
        labels = [i % CLASSES for i in range(count)]
        write(os.path.join(out, f"{split}-images-idx4-ubyte.gz"), (count, SIDE, SIDE, 3),
              b"".join(picture(k, rng) for k in labels))
        write(os.path.join(out, f"{split}-labels-idx1-ubyte.gz"), (count,), bytes(labels))


if __name__ == "__main__":
    main()
