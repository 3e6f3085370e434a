#!/bin/sh
# bench_core.sh: the pixel-exact core. Fill speed against a memset of the same spans and against
# OpenCV's fillPoly (when Debian's python3-opencv is there), the cost of one edit's
# recomposition at two image sizes, and memory for a 24-megapixel image with its masks.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image big24.jpg 6000 4000)

"$BENCH_DIR/bench_fill" "$work/polys.txt" "$work/fill_mask.raw" "$work/fill_spans.raw"
if /usr/bin/python3 -c 'import cv2' 2>/dev/null; then
	/usr/bin/python3 "$top_srcdir/bench/bench_fill_cv2.py" "$work/polys.txt" "$work/fill_mask.raw" "$work/fill_spans.raw"
else
	echo "bench_core: python3-opencv missing, cv2 comparison skipped (sh scripts/setup.sh bench installs it)"
fi
"$BENCH_DIR/bench_compose"
"$BENCH_DIR/bench_compose" "$img"
