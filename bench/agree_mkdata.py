#!/usr/bin/python3
# agree_mkdata.py: two annotations of one synthetic data set, for `pxlabel agree`'s tests and
# bench: N grey W x H images with K star-shaped polygons each (annotator A), and the same
# polygons as a second annotator B would draw them: vertices moved a little, some objects left
# out, some given another class, a few extra. B's pxlabel.ini numbers the classes otherwise
# (agree matches them by name). Nothing large is committed; this writes it.
#   agree_mkdata.py OUT N K W H [SEED]
# writes OUT/a/ and OUT/b/ (image, NAME.pxl.json, pxlabel.ini), and OUT/shared/: the images
# once, with A's outlines as NAME.alice.pxl.json and B's as NAME.bob.pxl.json (one pxlabel.ini).
import json
import math
import os
import random
import struct
import sys
import zlib

CLASSES = ["person", "car", "bicycle", "dog", "tree"]
IDS_A = {name: i + 1 for i, name in enumerate(CLASSES)}
IDS_B = {name: 20 - i for i, name in enumerate(CLASSES)}  # other ids, same names


def png_grey(path, w, h, value):
    row = b"\0" + bytes([value]) * w
    raw = zlib.compress(row * h, 1)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", raw))
        f.write(chunk(b"IEND", b""))


def q(v):
    """On pxlabel's 1/256 pixel grid, so that the file says exactly what is meant."""
    return round(v * 256) / 256


def star(rng, w, h):
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    r = rng.uniform(0.02, 0.12) * min(w, h) + 2
    n = rng.randint(5, 14)
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        rr = r * rng.uniform(0.6, 1.0)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts, r


def clamp(p, w, h):
    return (q(min(max(p[0], 0), w)), q(min(max(p[1], 0), h)))


def sidecar(path, image, w, h, objects, ids):
    classes = [{"id": ids[n], "name": n, "color": "#%02x%02x%02x" % (40 * ids[n] % 256, 90, 200)}
               for n in CLASSES]
    inst = []
    for k, (name, pts) in enumerate(objects):
        inst.append({"id": k + 1, "class": ids[name], "parent": 0,
                     "shapes": [{"op": "add", "type": "polygon", "rings": [[list(p) for p in pts]]}]})
    doc = {"format": "pxlabel", "version": 1, "image": {"file": image, "width": w, "height": h},
           "review": "done", "classes": classes, "instances": inst}
    with open(path, "w") as f:
        json.dump(doc, f)


def ini(path, ids):
    with open(path, "w") as f:
        for name in CLASSES:
            f.write("[class %s]\nid = %d\n\n" % (name, ids[name]))


def main():
    out, n, k, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 7)
    dirs = {s: os.path.join(out, s) for s in ("a", "b", "shared")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    ini(os.path.join(dirs["a"], "pxlabel.ini"), IDS_A)
    ini(os.path.join(dirs["b"], "pxlabel.ini"), IDS_B)
    ini(os.path.join(dirs["shared"], "pxlabel.ini"), IDS_A)
    for i in range(n):
        stem = "img%03d" % i
        image = stem + ".png"
        png_grey(os.path.join(dirs["a"], image), w, h, 40 + i % 200)
        for s in ("b", "shared"):
            dst = os.path.join(dirs[s], image)
            if os.path.exists(dst):
                os.unlink(dst)
            os.link(os.path.join(dirs["a"], image), dst)
        a, b = [], []
        for _ in range(k):
            pts, r = star(rng, w, h)
            name = rng.choice(CLASSES)
            a.append((name, [clamp(p, w, h) for p in pts]))
            u = rng.random()
            if u < 0.08:
                continue  # B left it out
            if u < 0.13:
                name = rng.choice(CLASSES)  # B saw another class
            # B's vertices: near A's, some far enough that the match fails.
            jit = r * (0.05 if rng.random() < 0.85 else 0.6)
            dx, dy = rng.uniform(-jit, jit), rng.uniform(-jit, jit)
            b.append((name, [clamp((x + dx + rng.uniform(-jit, jit) / 3, y + dy + rng.uniform(-jit, jit) / 3), w, h)
                             for x, y in pts]))
        for _ in range(max(1, k // 20)):
            pts, r = star(rng, w, h)
            b.append((rng.choice(CLASSES), [clamp(p, w, h) for p in pts]))
        sidecar(os.path.join(dirs["a"], stem + ".pxl.json"), image, w, h, a, IDS_A)
        sidecar(os.path.join(dirs["b"], stem + ".pxl.json"), image, w, h, b, IDS_B)
        sidecar(os.path.join(dirs["shared"], stem + ".alice.pxl.json"), image, w, h, a, IDS_A)
        sidecar(os.path.join(dirs["shared"], stem + ".bob.pxl.json"), image, w, h, b, IDS_A)


if __name__ == "__main__":
    main()
