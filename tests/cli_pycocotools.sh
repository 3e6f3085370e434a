#!/bin/sh
# cli_pycocotools.sh: pxlabel's COCO files against pycocotools itself, where /usr/bin/python3 has
# it (with numpy and PIL); skipped otherwise (pycocotools is not packaged in Debian, so CI skips).
# Checks: every exported annotation (polygons and RLE) decodes to exactly the pixels of its
# instance in NAME.instances.png, area and bbox agree with pycocotools' own, and polygons with
# half-pixel corners import to the pixels pycocotools gives them (doc/formats.md).
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
py=/usr/bin/python3
if ! "$py" -c 'import pycocotools.mask, numpy, PIL' 2>/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 lacks pycocotools, numpy or PIL"
	exit 0
fi
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"
printf '[class cat]\nid = 1\n\n[class dog]\nid = 2\n' >"$d/pxlabel.ini"
# Overlapping shapes, a slanted edge, a circle, and a ring with a hole (a cut): 64 x 43.
cat >"$d/a.json" <<'JSON'
{"imagePath": "a.png", "imageWidth": 64, "imageHeight": 43, "shapes": [
 {"label": "cat", "points": [[2.3, 3.7], [40.2, 5.1], [30.8, 38.4]], "shape_type": "polygon"},
 {"label": "dog", "points": [[8, 8], [30, 8], [30, 20], [8, 20]], "shape_type": "polygon"},
 {"label": "cat", "points": [[50.5, 30.5], [55.5, 30.5]], "shape_type": "circle"},
 {"label": "dog", "points": [[12, 24], [28, 24], [28, 40], [12, 40]], "group_id": 7, "shape_type": "polygon"},
 {"label": "cat", "points": [[16, 28], [24, 28], [24, 36], [16, 36]], "shape_type": "polygon"}]}
JSON
run "$px" import labelme "$d/a.json"
check "import exits 0" test "$status" -eq 0
for mode in polygons rle; do
	opt=
	[ $mode = rle ] && opt=--rle
	run "$px" export coco $opt "$d" -o "$tmpdir/$mode.json"
	check "export coco ($mode) exits 0" test "$status" -eq 0
	run "$py" - "$tmpdir/$mode.json" "$d/a.instances.png" <<'PY'
import json, sys
import numpy as np
from PIL import Image
from pycocotools import mask as M
coco = json.load(open(sys.argv[1]))
ids = np.array(Image.open(sys.argv[2]))
h, w = ids.shape
bad = []
for a in coco["annotations"]:
    seg = a["segmentation"]
    rle = M.merge(M.frPyObjects(seg, h, w)) if isinstance(seg, list) else seg
    m = M.decode(rle).astype(bool)
    # the instance is whichever id covers the mask's pixels
    vals = np.unique(ids[m])
    if len(vals) != 1 or not np.array_equal(m, ids == vals[0]):
        bad.append(("pixels", a["id"]))
    if int(M.area(rle)) != a["area"] or [int(v) for v in M.toBbox(rle)] != a["bbox"]:
        bad.append(("area/bbox", a["id"]))
print(len(coco["annotations"]), bad)
sys.exit(1 if bad else 0)
PY
	check "pycocotools decodes every $mode annotation to exactly its instance's pixels" test "$status" -eq 0
done
# pycocotools' ties: a square with corners on pixel centres.
cat >"$tmpdir/tie.json" <<'JSON'
{"images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 43}],
 "categories": [{"id": 1, "name": "cat"}],
 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[10.5, 0.5, 13.5, 0.5, 13.5, 3.5, 10.5, 3.5]]},
                 {"id": 2, "image_id": 1, "category_id": 1, "segmentation": [[20.5, 10.25, 40.5, 12.5, 30.5, 30.5]]}]}
JSON
run "$px" import coco --replace --images "$d" "$tmpdir/tie.json"
check "import coco exits 0" test "$status" -eq 0
run "$py" - "$tmpdir/tie.json" "$d/a.instances.png" <<'PY'
import json, sys
import numpy as np
from PIL import Image
from pycocotools import mask as M
coco = json.load(open(sys.argv[1]))
ids = np.array(Image.open(sys.argv[2]))
a = coco["annotations"][0]
m = M.decode(M.merge(M.frPyObjects(a["segmentation"], 43, 64))).astype(bool)
sys.exit(0 if np.array_equal(m, ids == 1) else 1)
PY
check "half-pixel corners: the pixels pycocotools gives (its tie rule)" test "$status" -eq 0
done_testing
