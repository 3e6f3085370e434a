#!/usr/bin/python3
# agree_numpy.py: the measures of `pxlabel agree`, written the way one would in numpy, as the
# reference the CLI test checks agree against (to 1e-9) and the peer the bench times.
#   agree_numpy.py A B                   two folders: NAME.labels.png and NAME.instances.png
#   agree_numpy.py --users N1,N2 DIR     one folder: NAME.N1.labels.png against NAME.N2.*
# Classes are matched by name, from each sidecar's "classes" record. Prints agree's --json
# keys (classes -> name -> iou, pq, sq, rq, tp, fp, fn; mean_iou, pq, sq, rq); with --timing,
# the seconds spent decoding PNGs and computing on stderr.
# Per class: IoU = sum of intersections / sum of unions of the class masks; segments = the
# pixels each instance id shows; segments of one class match when IoU > 0.5;
# PQ = sum of matched IoU / (TP + FP/2 + FN/2), SQ = sum IoU / TP, RQ = TP / (TP + FP/2 + FN/2).
import glob
import json
import os
import sys
import time

import numpy as np
from PIL import Image


def class_names(sidecar):
    with open(sidecar) as f:
        return {c["id"]: c["name"] for c in json.load(f).get("classes", [])}


def load(stem, suffix):
    """Class mask (palette indices, uint8) and instance mask (uint16) of one side."""
    cls = np.asarray(Image.open(stem + suffix + ".labels.png"))
    ids = np.asarray(Image.open(stem + suffix + ".instances.png")).astype(np.uint16)
    return cls, ids


class Totals:
    def __init__(self):
        self.c = {}

    def get(self, name):
        return self.c.setdefault(name, {"inter": 0, "uni": 0, "iou": 0.0, "tp": 0, "fp": 0, "fn": 0})


def image_counts(ca, ia, cb, ib, names_a, names_b, tot):
    # Class indices by name: A's names first, then B's new ones; 0 unlabeled.
    names = []
    idx = {}
    lut_a = np.zeros(256, np.int64)
    lut_b = np.zeros(256, np.int64)
    for lut, nm, c in ((lut_a, names_a, ca), (lut_b, names_b, cb)):
        for cid in np.flatnonzero(np.bincount(c.ravel(), minlength=256)):
            if cid == 0:
                continue
            name = nm.get(int(cid), "class %d" % cid)
            if name not in idx:
                names.append(name)
                idx[name] = len(names)
            lut[cid] = idx[name]
    k = len(names) + 1
    la = lut_a[ca.ravel()]
    lb = lut_b[cb.ravel()]
    pix_a = np.bincount(la, minlength=k)
    pix_b = np.bincount(lb, minlength=k)
    inter = np.bincount(la[la == lb], minlength=k)
    for j, name in enumerate(names, 1):
        t = tot.get(name)
        t["inter"] += int(inter[j])
        t["uni"] += int(pix_a[j] + pix_b[j] - inter[j])

    # Segments: areas by id, each id's class at its first pixel in row order.
    a = ia.ravel()
    b = ib.ravel()
    area_a = np.bincount(a, minlength=65536)
    area_b = np.bincount(b, minlength=65536)
    seg_a = np.flatnonzero(area_a[1:]) + 1
    seg_b = np.flatnonzero(area_b[1:]) + 1
    first_a = np.full(65536, -1, np.int64)
    first_a[a[::-1]] = np.arange(a.size - 1, -1, -1)
    first_b = np.full(65536, -1, np.int64)
    first_b[b[::-1]] = np.arange(b.size - 1, -1, -1)
    cls_a = la[first_a[seg_a]]
    cls_b = lb[first_b[seg_b]]
    # Overlaps of every pair, through compact indices.
    ra = np.zeros(65536, np.int64)
    ra[seg_a] = np.arange(seg_a.size)
    rb = np.zeros(65536, np.int64)
    rb[seg_b] = np.arange(seg_b.size)
    both = (a > 0) & (b > 0)
    na, nb = seg_a.size, seg_b.size
    ov = np.bincount(ra[a[both]] * nb + rb[b[both]], minlength=na * nb).reshape(na, nb)
    uni = area_a[seg_a][:, None] + area_b[seg_b][None, :] - ov
    same = (cls_a[:, None] == cls_b[None, :]) & (cls_a[:, None] > 0)
    match = same & (2 * ov > uni)
    iou = np.where(match, ov / np.maximum(uni, 1), 0.0)
    ma = match.any(axis=1)
    mb = match.any(axis=0)
    for j, name in enumerate(names, 1):
        t = tot.get(name)
        t["tp"] += int((match & (cls_a[:, None] == j)).sum())
        t["iou"] += float(iou[cls_a == j].sum())
        t["fn"] += int(((cls_a == j) & ~ma).sum())
        t["fp"] += int(((cls_b == j) & ~mb).sum())


def result(tot):
    out = {"classes": {}}
    ious, pqs, sqs, rqs = [], [], [], []
    for name, t in tot.c.items():
        d = t["tp"] + 0.5 * t["fp"] + 0.5 * t["fn"]
        r = {"iou": t["inter"] / t["uni"] if t["uni"] else None,
             "pq": t["iou"] / d if d else None,
             "sq": (t["iou"] / t["tp"] if t["tp"] else 0.0) if d else None,
             "rq": t["tp"] / d if d else None,
             "tp": t["tp"], "fp": t["fp"], "fn": t["fn"]}
        out["classes"][name] = r
        if r["iou"] is not None:
            ious.append(r["iou"])
        if r["pq"] is not None:
            pqs.append(r["pq"])
            sqs.append(r["sq"])
            rqs.append(r["rq"])
    out["mean_iou"] = sum(ious) / len(ious) if ious else None
    out["pq"] = sum(pqs) / len(pqs) if pqs else None
    out["sq"] = sum(sqs) / len(sqs) if sqs else None
    out["rq"] = sum(rqs) / len(rqs) if rqs else None
    return out


def main():
    args = sys.argv[1:]
    timing = "--timing" in args
    args = [x for x in args if x != "--timing"]
    if args and args[0] == "--users":
        sa, sb = ["." + u for u in args[1].split(",")]
        da = db = args[2]
    else:
        sa = sb = ""
        da, db = args
    tot = Totals()
    t_load = t_comp = 0.0
    for lab in sorted(glob.glob(os.path.join(da, "*%s.labels.png" % sa))):
        stem = os.path.join(db, os.path.basename(lab)[: -len(sa + ".labels.png")])
        stem_a = lab[: -len(sa + ".labels.png")]
        t0 = time.perf_counter()
        ca, ia = load(stem_a, sa)
        cb, ib = load(stem, sb)
        t1 = time.perf_counter()
        image_counts(ca, ia, cb, ib, class_names(stem_a + sa + ".pxl.json"), class_names(stem + sb + ".pxl.json"), tot)
        t2 = time.perf_counter()
        t_load += t1 - t0
        t_comp += t2 - t1
    json.dump(result(tot), sys.stdout, indent=2)
    print()
    if timing:
        print("numpy: %.3f s decoding PNGs, %.3f s computing" % (t_load, t_comp), file=sys.stderr)


if __name__ == "__main__":
    main()
