#!/bin/sh
# cli_torchvision.sh: `export voc` and `export cityscapes --tree` read by torchvision's
# VOCSegmentation and Cityscapes (Debian's python3-torchvision), the loaders training code uses;
# skipped where /usr/bin/python3 lacks it. A PNG image, a JPEG with EXIF orientation 6 and a
# plain JPEG: every pair loads, image and mask have one size, the masks are what pxlabel made
# (void as 255 in VOC), and the rotated JPEG comes out upright, as the masks are (torchvision's
# PIL ignores EXIF orientation).
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
py=/usr/bin/python3
if ! "$py" -c 'import torchvision.datasets, numpy, PIL' 2>/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 lacks torchvision (Debian: python3-torchvision)"
	exit 0
fi
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"
cp "$data/good/exif-orient6.jpg" "$d/b.jpg"
cp "$data/good/baseline.jpg" "$d/c.JPEG"
printf '[class cat]\nid = 1\n\n[class dog]\nid = 2\n\n[class __ignore__]\nid = 3\n' >"$d/pxlabel.ini"
for f in a.png b.jpg c.JPEG; do
	cat >"$d/${f%.*}.json" <<JSON
{"imagePath": "$f", "imageWidth": 64, "imageHeight": 43, "shapes": [
 {"label": "cat", "points": [[2.3, 3.7], [40.2, 5.1], [30.8, 38.4]], "shape_type": "polygon"},
 {"label": "dog", "points": [[40, 8], [60, 8], [60, 20], [40, 20]], "shape_type": "polygon"},
 {"label": "__ignore__", "points": [[44, 30], [58, 30], [58, 40], [44, 40]], "shape_type": "polygon"}]}
JSON
done
run "$px" import labelme "$d/a.json" "$d/b.json" "$d/c.json"
check "import exits 0" test "$status" -eq 0

voc=$tmpdir/root/VOCdevkit/VOC2012
run "$px" export voc --jpeg "$d" -o "$voc"
check "export voc --jpeg exits 0" test "$status" -eq 0
check "--jpeg: the PNG is encoded as a.jpg" sh -c "test -f '$voc/JPEGImages/a.jpg' && ! test -L '$voc/JPEGImages/a.jpg'"
check "--jpeg: the rotated JPEG is written upright as b.jpg" sh -c "test -f '$voc/JPEGImages/b.jpg' && ! test -L '$voc/JPEGImages/b.jpg'"
check "--jpeg: the upright JPEG is linked as c.jpg" test -L "$voc/JPEGImages/c.jpg"
run "$py" - "$tmpdir/root" "$d" <<'PY'
import sys
import numpy as np
from PIL import Image, ImageOps
from torchvision.datasets import VOCSegmentation
ds = VOCSegmentation(sys.argv[1], year="2012", image_set="trainval", download=False)
bad = []
for i in range(len(ds)):
    img, target = ds[i]
    name = ds.images[i].rsplit("/", 1)[1][:-4]
    t = np.array(target)
    ours = np.array(Image.open(f"{sys.argv[2]}/{name}.labels.png"))
    want = np.where(ours == 3, 255, ours)  # __ignore__ is void
    if img.size != target.size or not np.array_equal(t, want):
        bad.append(("mask", name))
    src = ImageOps.exif_transpose(Image.open(f"{sys.argv[2]}/{name}.{ {'a': 'png', 'b': 'jpg', 'c': 'JPEG'}[name] }"))
    diff = np.abs(np.asarray(img, dtype=float) - np.asarray(src.convert("RGB"), dtype=float)).mean()
    if diff > 3:
        bad.append(("pixels", name, diff))
print(len(ds), bad)
sys.exit(0 if len(ds) == 3 and not bad else 1)
PY
check "VOCSegmentation loads the 3 pairs: same sizes, our masks, upright pixels" test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$tmpdir/out" "$tmpdir/err"

# Without --jpeg: images keep their format, but the rotated one is still written upright.
run "$px" export voc "$d" -o "$tmpdir/plain"
check "export voc exits 0" test "$status" -eq 0
check "plain: the PNG is linked as a.png" test -L "$tmpdir/plain/JPEGImages/a.png"
check "plain: the rotated JPEG is written upright, not linked" sh -c "test -f '$tmpdir/plain/JPEGImages/b.jpg' && ! test -L '$tmpdir/plain/JPEGImages/b.jpg'"
run "$py" -c "from PIL import Image; im = Image.open('$tmpdir/plain/JPEGImages/b.jpg'); raise SystemExit(im.size != (64, 43))"
check "plain: b.jpg is 64x43 as stored, as its masks" test "$status" -eq 0
run "$px" export voc --jpeg-quality 0 "$d" -o "$tmpdir/q"
check "--jpeg-quality 0 is a usage error" test "$status" -eq 2

# Cityscapes: the data set as split/city folders, exported as the tree torchvision walks.
cs=$tmpdir/cs
mkdir -p "$cs/train/aachen" "$cs/val/bremen"
cp "$d/pxlabel.ini" "$cs/"
cp "$d/a.png" "$d/a.pxl.json" "$cs/train/aachen/"
cp "$d/b.jpg" "$d/b.pxl.json" "$cs/train/aachen/"
cp "$d/c.JPEG" "$d/c.pxl.json" "$cs/val/bremen/"
run "$px" export cityscapes --tree --stuff __ignore__ "$cs" -o "$tmpdir/csout"
check "export cityscapes --tree exits 0" test "$status" -eq 0
check "--tree: masks under gtFine/, images under leftImg8bit/" sh -c "test -f '$tmpdir/csout/gtFine/train/aachen/a_gtFine_labelIds.png' && test -L '$tmpdir/csout/leftImg8bit/train/aachen/a_leftImg8bit.png' && test -L '$tmpdir/csout/leftImg8bit/val/bremen/c_leftImg8bit.JPEG'"
run "$py" - "$tmpdir/csout" "$d" <<'PY'
import sys
import numpy as np
from PIL import Image, ImageOps
from torchvision.datasets import Cityscapes
bad = []
n = 0
for split in ("train", "val"):
    ds = Cityscapes(sys.argv[1], split=split, mode="fine", target_type=["semantic", "instance", "color"])
    for i in range(len(ds)):
        n += 1
        img, (sem, ins, col) = ds[i]
        name = ds.images[i].rsplit("/", 1)[1].split("_leftImg8bit")[0]
        cls = np.array(Image.open(f"{sys.argv[2]}/{name}.labels.png"))
        ids = np.array(Image.open(f"{sys.argv[2]}/{name}.instances.png"))
        s, t = np.array(sem), np.array(ins)
        if not (img.size == sem.size == ins.size == col.size) or not np.array_equal(s, cls):
            bad.append(("semantic", name))
        # things: class * 1000 + an index, one value per instance; stuff (__ignore__): its id
        for v in np.unique(ids[ids > 0]):
            vals = np.unique(t[ids == v])
            c = int(cls[ids == v][0])
            if len(vals) != 1 or (vals[0] != c if c == 3 else vals[0] // 1000 != c):
                bad.append(("instance", name, int(v)))
        src = ImageOps.exif_transpose(Image.open(f"{sys.argv[2]}/{name}.{ {'a': 'png', 'b': 'jpg', 'c': 'JPEG'}[name] }"))
        if np.abs(np.asarray(img, dtype=float) - np.asarray(src.convert("RGB"), dtype=float)).mean() > 3:
            bad.append(("pixels", name))
print(n, bad)
sys.exit(0 if n == 3 and not bad else 1)
PY
check "Cityscapes loads train and val: same sizes, our classes, one id per instance, upright pixels" test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$tmpdir/out" "$tmpdir/err"
done_testing
