#!/bin/sh
# bench_assist.sh: the assist tools. SLIC superpixels on 12 megapixels (4000x3000, 2000
# segments, compactness 10): pxlabel's own (src/core/slic.c) against scikit-image's slic
# (python3-skimage) and VLFeat's vl_slic_segment (libvlfeat-dev) in the same run, ratios
# printed (the target: at least 5x faster than scikit-image). Then the wand and one scissors
# segment on the same scene at 24 and 96 megapixels: their time follows the region and the
# band, not the image (ratio about 1).
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image slic12.jpg 4000 3000)
nseg=2000
m=10

echo "bench_assist: SLIC, 4000x3000, $nseg segments, compactness $m"
ours=$("$BENCH_DIR/bench_assist" slic "$img" $nseg $m "$work/slic12.rgb")
echo "  pxlabel (src/core/slic.c), best of 3: $ours s"
if /usr/bin/python3 -c 'import skimage' 2>/dev/null; then
	sk=$(/usr/bin/python3 "$top_srcdir/bench/bench_slic_skimage.py" "$img" $nseg $m)
	echo "  scikit-image slic: $sk s"
	awk -v a="$sk" -v b="$ours" 'BEGIN { printf "  pxlabel is %.1fx faster than scikit-image (target: 5x)\n", a / b }'
else
	echo "  scikit-image missing: sh scripts/setup.sh bench installs python3-skimage"
fi
if [ -r /usr/include/vl/slic.h ] && ${CC:-cc} -O2 -o "$work/bench_vlslic" "$top_srcdir/bench/bench_vlslic.c" -lvl -lm 2>/dev/null; then
	vl=$("$work/bench_vlslic" "$work/slic12.rgb" 4000 3000 $nseg $m)
	echo "  VLFeat vl_slic_segment (the Debian library): $vl s"
	awk -v a="$vl" -v b="$ours" 'BEGIN { printf "  pxlabel is %.1fx faster than VLFeat\n", a / b }'
	if [ -n "${sk:-}" ]; then
		awk -v a="$sk" -v b="$vl" 'BEGIN { printf "  VLFeat against scikit-image: %.2fx as fast, so it %s the 5x target\n", a / b, ((a / b >= 5) ? "meets" : "misses") }'
	fi
else
	echo "  VLFeat missing: sh scripts/setup.sh bench installs libvlfeat-dev"
fi
rm -f "$work/slic12.rgb"

echo "bench_assist: the wand and one scissors segment, the same scene at 24 and 96 megapixels"
"$BENCH_DIR/bench_assist" scale | sed 's/^/  /'
