#!/usr/bin/python3
"""bench_fill_cv2.py: OpenCV's cv2.fillPoly on bench_fill's polygons, timed and compared.

    bench_fill POLYS MASK SPANS && bench_fill_cv2.py POLYS MASK [SPANS]

Run with Debian's /usr/bin/python3 (python3-opencv). Prints "name value" lines:
  cv2_ms             best of 5, the 2000 fillPoly calls only (points prepared beforehand)
  cv2_vs_pxlabel     cv2_ms / pxlabel's fill_ms (from the POLYS header): above 1, pxlabel is faster
  cv2_composite_disagree_pct  pixels of the final 6000x4000 masks that differ, per 100 pixels
                     labelled in either (later polygons hide earlier differences)
  cv2_disagree_pct   with SPANS: per polygon, pixels in one fill and not the other, summed, per
                     100 pixels of pxlabel's fills
  cv2_extra_pct      with SPANS: cv2's pixels minus pxlabel's, per 100 of pxlabel's
cv2 puts pixel centres on integer coordinates and pxlabel at +0.5, so the points are shifted by
half a pixel: cv2 gets exactly the same outlines.
"""
import sys
import time

import cv2
import numpy as np

ONE = 256  # RASTER_ONE: fixed point, and cv2's shift=8


def read_polys(path):
    with open(path) as f:
        head = f.readline().split()
        if head[:2] != ["pxlabel-bench-polys", "1"]:
            sys.exit(f"{path}: not a bench_fill polygon file")
        w, h, npoly = int(head[2]), int(head[3]), int(head[4])
        fill_ms = float(head[5])
        polys = []
        for line in f:
            v = line.split()
            value, n = int(v[0]), int(v[1])
            xy = np.array(v[2:2 + 2 * n], dtype=np.float64).reshape(n, 2)
            # raster_pt_from_double rounds halves up: floor(v * 256 + 0.5)
            fixed = np.floor(xy * ONE + 0.5).astype(np.int64)
            polys.append((value, fixed))
    if len(polys) != npoly:
        sys.exit(f"{path}: {len(polys)} polygons, header says {npoly}")
    return w, h, fill_ms, polys


def read_spans(path, npoly):
    data = np.fromfile(path, dtype="<i4")
    out, at = [], 0
    for _ in range(npoly):
        cnt = int(data[at])
        out.append(data[at + 1:at + 1 + 3 * cnt].reshape(cnt, 3))
        at += 1 + 3 * cnt
    return out


def ours_in_box(spans, x0, y0, bw, bh):
    """pxlabel's pixels of one polygon in a bw x bh box at (x0, y0), from its spans."""
    diff = np.zeros((bh, bw + 1), np.int32)
    ys, xa, xb = spans[:, 0] - y0, spans[:, 1] - x0, spans[:, 2] - x0
    np.add.at(diff, (ys, xa), 1)
    np.add.at(diff, (ys, xb), -1)
    return np.cumsum(diff, axis=1)[:, :bw] > 0


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: bench_fill_cv2.py POLYS MASK [SPANS]")
    w, h, fill_ms, polys = read_polys(sys.argv[1])
    ours = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(h, w)
    # cv2 samples pixel (i, j) at (i, j); pxlabel at (i + 0.5, j + 0.5)
    cv_polys = [(value, (fixed - ONE // 2).astype(np.int32).reshape(-1, 1, 2)) for value, fixed in polys]

    mask = np.zeros((h, w), np.uint8)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for value, pts in cv_polys:
            cv2.fillPoly(mask, [pts], value, lineType=8, shift=8)
        best = min(best, time.perf_counter() - t)
    cv_ms = best * 1e3
    print(f"cv2_ms {cv_ms:.1f}")
    print(f"pxlabel_fill_ms {fill_ms:.1f}")
    print(f"cv2_vs_pxlabel {cv_ms / fill_ms:.2f}")
    either = np.count_nonzero((mask != 0) | (ours != 0))
    print(f"cv2_composite_disagree_pct {100.0 * np.count_nonzero(mask != ours) / either:.2f}")

    if len(sys.argv) > 3:
        spans = read_spans(sys.argv[3], len(polys))
        differ = extra = total = 0
        for (value, fixed), (_, pts), sp in zip(polys, cv_polys, spans):
            # a box holding both fills, clipped to the image like the fills themselves
            x0 = max(int(fixed[:, 0].min()) // ONE - 2, 0)
            y0 = max(int(fixed[:, 1].min()) // ONE - 2, 0)
            x1 = min(int(fixed[:, 0].max()) // ONE + 3, w)
            y1 = min(int(fixed[:, 1].max()) // ONE + 3, h)
            if x0 >= x1 or y0 >= y1:
                continue
            box = np.zeros((y1 - y0, x1 - x0), np.uint8)
            cv2.fillPoly(box, [pts - np.array([x0 * ONE, y0 * ONE], np.int32)], 1, lineType=8, shift=8)
            theirs = box != 0
            mine = ours_in_box(sp, x0, y0, x1 - x0, y1 - y0) if len(sp) else np.zeros_like(theirs)
            differ += np.count_nonzero(theirs != mine)
            extra += np.count_nonzero(theirs) - np.count_nonzero(mine)
            total += np.count_nonzero(mine)
        if total != sum(int((sp[:, 2] - sp[:, 1]).sum()) for sp in spans):
            sys.exit("bench_fill_cv2.py: the spans do not add up; the comparison is broken")
        print(f"cv2_disagree_pct {100.0 * differ / total:.2f}")
        print(f"cv2_extra_pct {100.0 * extra / total:.2f}")


if __name__ == "__main__":
    main()
