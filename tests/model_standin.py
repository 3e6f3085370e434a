#!/usr/bin/python3
# model_standin.py: a stand-in for a model command (doc/assist.md's protocol), for the tests.
# Reads the request from stdin and, by its first argument:
#   ring [COPY]   a ring around the first point (outer radius 10, inner 4: a mask with a hole),
#                 excluding any pixel within 3 of an exclude point; the request copied to COPY
#   fail          a few lines on stderr, exit 3
#   hang PIDFILE  starts a child that sleeps, writes its pid to PIDFILE, then sleeps itself
#   rgba          the ring as an RGBA mask: opaque white on transparent black (a colour mask,
#                 whose transparent background must read as no object)
#   size          a mask one pixel too wide
#   garbage       a file that is not a PNG
#   noread        exits 0 at once without reading stdin or writing the mask
#   disc OUT W H  (not a model: for the screen tests) writes a grey W x H test image, a flat
#                 disc of 200 (radius 20 around the middle) on a background of 60, and prints
#                 the disc's pixel count
# No third-party modules: the PNG is written with zlib and struct.
import json, os, struct, subprocess, sys, time, zlib

def png(path, w, h, rows, colour_type=0):
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)

mode = sys.argv[1] if len(sys.argv) > 1 else "ring"
if mode == "disc":
    out, w, h = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rows, n = [], 0
    for y in range(h):
        row = []
        for x in range(w):
            inside = (x + 0.5 - w / 2) ** 2 + (y + 0.5 - h / 2) ** 2 <= 400
            n += inside
            row.append(200 if inside else 60)
        rows.append(row)
    png(out, w, h, rows)
    print(n)
    sys.exit(0)
if mode == "noread":
    sys.exit(0)
req = json.load(sys.stdin)
w, h, out = req["width"], req["height"], req["output"]
if mode == "rgba":
    cx, cy = req["points"][0][0], req["points"][0][1]
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            on = 16 < (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= 100
            row += [255, 255, 255, 255] if on else [0, 0, 0, 0]
        rows.append(row)
    png(out, w, h, rows, 6)
    sys.exit(0)
if mode == "ring":
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            json.dump(req, f)
    inc = [p for p in req["points"] if p[2] == 1]
    exc = [p for p in req["points"] if p[2] == 0]
    cx, cy = inc[0][0], inc[0][1]
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2
            v = 255 if 16 < d2 <= 100 else 0
            for e in exc:
                if (x + 0.5 - e[0]) ** 2 + (y + 0.5 - e[1]) ** 2 <= 9:
                    v = 0
            row.append(v)
        rows.append(row)
    png(out, w, h, rows)
elif mode == "fail":
    sys.stderr.write("loading the model\nCUDA out of memory: tried to allocate 2 GiB\n")
    sys.exit(3)
elif mode == "hang":
    child = subprocess.Popen(["sleep", "300"])
    with open(sys.argv[2], "w") as f:
        f.write("%d\n" % child.pid)
    time.sleep(300)
elif mode == "size":
    png(out, w + 1, h, [[255] * (w + 1)] * h)
elif mode == "garbage":
    with open(out, "w") as f:
        f.write("not a png\n")
