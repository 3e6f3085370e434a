#!/bin/sh
# cli_yolo.sh: `export yolo` read by a YOLO reader written here (Ultralytics is not in Debian):
# data.yaml's names, then each label file's lines filled in order under the pixel rule (centre
# inside, non-zero winding, top-left rule; doc/coordinates.md) with integer arithmetic on the
# 1/256 grid, must give pxlabel's class masks exactly: overlapping LabelMe shapes at sub-pixel
# vertices, a ring with an unlabeled hole and a class in two parts (from a mask), and a JPEG with
# EXIF orientation 6, whose image must come out upright. Skipped without numpy and PIL in
# /usr/bin/python3.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
py=/usr/bin/python3
if ! "$py" -c 'import numpy, PIL' 2>/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 lacks numpy or PIL (Debian: python3-numpy python3-pil)"
	exit 0
fi
d=$tmpdir/set
mkdir -p "$d/sub" "$tmpdir/pred"
cp "$data/good/rgb.png" "$d/a.png"
cp "$data/good/exif-orient6.jpg" "$d/b.jpg"
cp "$data/good/rgb.png" "$d/sub/c.png"
printf '[class cat]\nid = 1\n\n[class dog]\nid = 2\n\n[class "odd" name]\nid = 4\n' >"$d/pxlabel.ini"
for f in a.png b.jpg; do
	cat >"$d/${f%.*}.json" <<JSON
{"imagePath": "$f", "imageWidth": 64, "imageHeight": 43, "shapes": [
 {"label": "cat", "points": [[2.3, 3.7], [40.2, 5.1], [30.8, 38.4]], "shape_type": "polygon"},
 {"label": "dog", "points": [[10.5, 10.25], [20.75, 11], [15.1, 20.9]], "shape_type": "polygon"},
 {"label": "dog", "points": [[40, 8], [60, 8], [60, 20], [40, 20]], "shape_type": "polygon"},
 {"label": "cat", "points": [[50.2, 2.2], [63.9, 30.3], [45.5, 42.9]], "shape_type": "polygon"}]}
JSON
done
run "$px" import labelme "$d/a.json" "$d/b.json"
check "import labelme exits 0" test "$status" -eq 0
# c: a ring of class 4 round an unlabeled hole with a cat inside it, a dog in two parts.
"$py" - "$tmpdir/pred/c.png" <<'PY'
import sys, numpy as np
from PIL import Image
m = np.zeros((43, 64), np.uint8)
m[5:35, 5:40] = 4
m[12:28, 12:30] = 0
m[16:22, 17:23] = 1
m[2:6, 50:60] = 2
m[30:40, 50:55] = 2
Image.fromarray(m).save(sys.argv[1])
PY
run "$px" import mask --images "$d/sub" "$tmpdir/pred/c.png"
check "import mask exits 0" test "$status" -eq 0

o=$tmpdir/out.yolo
run "$px" export yolo "$d" -o "$o"
check "export yolo exits 0" test "$status" -eq 0
check "images linked into images/train" sh -c "test -L '$o/images/train/a.png' && test -e '$o/images/train/sub/c.png'"
check "the rotated JPEG written upright, not linked" sh -c "test -f '$o/images/train/b.jpg' && ! test -L '$o/images/train/b.jpg'"
check "labels beside them" sh -c "test -s '$o/labels/train/a.txt' && test -s '$o/labels/train/b.txt' && test -s '$o/labels/train/sub/c.txt'"
check "data.yaml has path, train, val" sh -c "grep -q '^path: \"/' '$o/data.yaml' && grep -q '^train: images/train' '$o/data.yaml' && grep -q '^val: images/val' '$o/data.yaml'"
check "names by class id less one, a gap kept" sh -c "grep -q '^  0: \"cat\"' '$o/data.yaml' && grep -q '^  2: \"class 3\"' '$o/data.yaml' && grep -q '^  3: \"\\\\\"odd\\\\\" name\"' '$o/data.yaml'"

# The reader. Prints one line per image: NAME ok|DIFF n.
cat >"$tmpdir/reader.py" <<'PY'
import sys, os, re, numpy as np
from PIL import Image

def names(yaml):
    out = {}
    for line in open(yaml, encoding="utf-8"):
        m = re.match(r'^  (\d+): "(.*)"$', line.rstrip("\n"))
        if m:
            out[int(m.group(1))] = m.group(2)
    return out

def fill(mask, pts, value):
    """Pixel rule: centre (i + 0.5, j + 0.5) inside under non-zero winding; on an edge, inside
    on a left or top edge: a crossing counts when it lies at or left of the centre, and edges
    span [top, bottom) in y. Everything in 1/256 pixel integers."""
    h, w = mask.shape
    cx = (np.arange(w, dtype=np.int64) * 256 + 128)[None, :]
    cy = (np.arange(h, dtype=np.int64) * 256 + 128)[:, None]
    wind = np.zeros((h, w), np.int64)
    n = len(pts)
    for k in range(n):
        (ax, ay), (bx, by) = pts[k], pts[(k + 1) % n]
        if ay == by:
            continue
        sign = 1 if by > ay else -1
        y0, y1 = min(ay, by), max(ay, by)
        rows = (cy >= y0) & (cy < y1)
        # crossing x <= cx  <=>  (ax - cx) * (by - ay) + (cy - ay) * (bx - ax) <= 0, for by > ay
        t = (ax - cx) * (by - ay) + (cy - ay) * (bx - ax)
        left = (t <= 0) if by > ay else (t >= 0)
        wind += np.where(rows & left, sign, 0)
    mask[wind != 0] = value

root, setdir = sys.argv[1], sys.argv[2]
nm = names(os.path.join(root, "data.yaml"))
for rel in sys.argv[3:]:
    labels = os.path.join(setdir, rel + ".labels.png")
    want = np.array(Image.open(labels))
    h, w = want.shape
    img = os.path.join(root, "images", "train", rel)
    img = [img + e for e in (".png", ".jpg") if os.path.exists(img + e)][0]
    size = Image.open(img).size
    got = np.zeros((h, w), np.uint8)
    for line in open(os.path.join(root, "labels", "train", rel + ".txt")):
        v = line.split()
        cls = int(v[0])
        assert cls in nm, cls
        xy = [float(s) for s in v[1:]]
        pts = [(int(np.floor(xy[i] * w * 256 + 0.5)), int(np.floor(xy[i + 1] * h * 256 + 0.5)))
               for i in range(0, len(xy), 2)]
        fill(got, pts, cls + 1)
    bad = int((got != want).sum())
    print(rel, "ok" if bad == 0 and size == (w, h) else "DIFF %d size %s" % (bad, size),
          "holes" if want[13, 13] == 0 and want[8, 8] == 4 else "")
PY
run "$py" "$tmpdir/reader.py" "$o" "$d" a b sub/c
cat "$tmpdir/err" >&2
check "the reader fills a.png's lines to its class mask" grep -q '^a ok' "$tmpdir/out"
check "and the rotated JPEG's, at its upright size" grep -q '^b ok' "$tmpdir/out"
check "and c's, holes included" grep -q '^sub/c ok holes' "$tmpdir/out"
check "the ring and its hole are one line (a seam), the dog's parts two: four lines in c" test "$(wc -l <"$o/labels/train/sub/c.txt")" -eq 4

# import yolo of the export: the same class masks, beside the images in OUT.
run "$px" import yolo "$o/data.yaml"
check "import yolo without the classes: exit 1, naming the way out" sh -c "[ $status -eq 1 ] && grep -q 'add-classes' '$tmpdir/err'"
run "$px" import yolo --add-classes "$o"
check "import yolo --add-classes (the folder) exits 0" test "$status" -eq 0
check "the classes keep their ids (index + 1)" sh -c "grep -A1 '^\[class dog\]' '$o/pxlabel.ini' | grep -q 'id = 2' &&
    grep -A1 '^\[class \"odd\" name\]' '$o/pxlabel.ini' | grep -q 'id = 4'"
run "$py" - "$d" "$o/images/train" a b sub/c <<'PY'
import sys, numpy as np
from PIL import Image
for rel in sys.argv[3:]:
    a = np.array(Image.open("%s/%s.labels.png" % (sys.argv[1], rel)))
    b = np.array(Image.open("%s/%s.labels.png" % (sys.argv[2], rel)))
    print(rel, "same" if a.shape == b.shape and (a == b).all() else "DIFF")
PY
check "import yolo of the export: the same class masks" test "$(grep -c ' same$' "$tmpdir/out")" -eq 3
# Hostile lines, named by file and line.
printf '0 0.1 0.1 0.5 0.1 0.5 0.5\n0 0.1 0.1 0.5 0.1 0.5 1.5\n' >"$o/labels/train/a.txt"
run "$px" import yolo --replace "$o"
check "a coordinate outside [0, 1]: exit 1, file and line" sh -c "[ $status -eq 1 ] && grep -q 'labels/train/a.txt:2: coordinate 6 (1.5) is outside' '$tmpdir/err'"
cp "$data/bad/yolo-odd.txt" "$o/labels/train/a.txt"
run "$px" import yolo --replace "$o"
check "odd length: file and line" grep -q 'a.txt:1: an odd number of coordinates' "$tmpdir/err"
cp "$data/bad/yolo-text.txt" "$o/labels/train/a.txt"
run "$px" import yolo --replace "$o"
check "not numeric: file and line" grep -q 'a.txt:2: coordinate 3 is not a number' "$tmpdir/err"
cp "$data/bad/yolo-class.txt" "$o/labels/train/a.txt"
run "$px" import yolo --replace "$o"
check "a class index data.yaml lacks: file and line" grep -q "a.txt:1: class index 9 is not in data.yaml's names" "$tmpdir/err"

printf 'train: ../set\nnames: [cat]\n' >"$o/out.yaml"
run "$px" import yolo "$o/out.yaml"
check "a train folder leading out of the data set is refused" sh -c "[ $status -eq 1 ] && grep -q 'out.yaml: train \"../set\" leads out of' '$tmpdir/err'"

run "$px" export yolo --val 100 "$d" -o "$tmpdir/v"
check "--val 100: every image in val" sh -c "test -s '$tmpdir/v/labels/val/a.txt' && test -L '$tmpdir/v/images/val/a.png' && ! test -e '$tmpdir/v/labels/train/a.txt'"
run "$px" export yolo --val 101 "$d" -o "$tmpdir/w"
check "--val 101: a usage error" test "$status" -eq 2
run "$px" export voc --val "" "$d" -o "$tmpdir/x"
check "voc's --val '': a usage error too (one parser for both)" sh -c "[ $status -eq 2 ] && grep -q -- \"--val needs a percentage 0 to 100, not ''\" '$tmpdir/err'"
done_testing
