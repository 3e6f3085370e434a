#!/bin/sh
# bench_interop.sh: `pxlabel export coco` and `export voc` on 200 images of 50 instances each,
# against LabelMe's own conversion (labelme.utils.shape_to_mask / shapes_to_label, Debian's
# labelme package, through /usr/bin/python3) on the same shapes, in the same run. Prints seconds
# and ratios (target: pxlabel 10x faster), and how far the two VOC exports agree.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
work=$work/interop
py=/usr/bin/python3
nimg=${BENCH_INTEROP_IMAGES:-200}
bench_fresh "$work"
"$BENCH_DIR/bench_mkinterop" "$work/set" "$nimg" 50 640 480

# Each output is removed before each run (best3).
px_coco=$(best3 "rm -f '$work/px.json'" "$px" export coco -q "$work/set" -o "$work/px.json")
px_rle=$(best3 "rm -f '$work/px_rle.json'" "$px" export coco -q --rle "$work/set" -o "$work/px_rle.json")
px_voc=$(best3 "rm -rf '$work/px_voc'" "$px" export voc -q "$work/set" -o "$work/px_voc")
echo "bench_interop: $nimg images x 50 instances, 640x480"
echo "  pxlabel export coco        ${px_coco}s"
echo "  pxlabel export coco --rle  ${px_rle}s"
echo "  pxlabel export voc         ${px_voc}s"
if ! "$py" -c 'import labelme.utils, imgviz' 2>/dev/null; then
	echo "bench_interop: Debian's labelme package missing, peer skipped (sh scripts/setup.sh bench installs it)"
	exit 0
fi
lm_coco=$(once "$py" "$top_srcdir/bench/bench_interop_labelme.py" coco "$work/set/labelme" "$work/lm.json")
lm_voc=$(once "$py" "$top_srcdir/bench/bench_interop_labelme.py" voc "$work/set/labelme" "$work/lm_voc")
echo "  labelme shape_to_mask coco ${lm_coco}s"
echo "  labelme shapes_to_label voc ${lm_voc}s"
echo "$lm_coco $px_coco $lm_voc $px_voc" | awk '{ printf "  ratio coco (labelme / pxlabel): %.1fx\n  ratio voc  (labelme / pxlabel): %.1fx\n", $1 / $2, $3 / $4 }'
"$py" - "$work/lm_voc" "$work/px_voc" <<'PY'
import sys, glob, os
import numpy as np
from PIL import Image
a_dir, b_dir = sys.argv[1:3]
same = total = 0
for p in sorted(glob.glob(os.path.join(a_dir, "SegmentationObject", "*.png"))):
    a = np.array(Image.open(p)); b = np.array(Image.open(os.path.join(b_dir, "SegmentationObject", os.path.basename(p))))
    same += int((a == b).sum()); total += a.size
print(f"  SegmentationObject agreement with LabelMe's painting: {100.0 * same / total:.2f}% of pixels")
PY
