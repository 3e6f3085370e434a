#!/bin/sh
# bench_agree.sh: `pxlabel agree` on 200 images x 50 instances at 1280x960 (two annotations
# that differ, bench/agree_mkdata.py), against a numpy implementation of the same measures
# (bench/agree_numpy.py, /usr/bin/python3 with python3-numpy and python3-pil) in the same run.
# Each reads what it reads in use: agree the outlines (composing the masks), numpy the mask
# PNGs that `pxlabel mask` wrote. Prints seconds, the ratio (target: agree 10x faster), the
# ratio against numpy's computing alone (its PNG decoding left out), agree on the same mask
# PNGs as numpy, and how far the two answers are apart.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
work=$work/agree
py=/usr/bin/python3
nimg=${BENCH_AGREE_IMAGES:-200}
bench_fresh "$work"
"$py" "$top_srcdir/bench/agree_mkdata.py" "$work/set" "$nimg" 50 1280 960
"$px" mask "$work/set/a" "$work/set/b" >/dev/null 2>&1
# The same masks with no outlines beside them: agree then reads the PNGs, as numpy does.
for s in a b; do
	mkdir -p "$work/masks/$s"
	ln "$work/set/$s"/*.png "$work/set/$s/pxlabel.ini" "$work/masks/$s/"
done

t_px=$(best3 "" "$px" agree --json "$work/set/a" "$work/set/b")
"$px" agree --json "$work/set/a" "$work/set/b" >"$work/px.json"
px_masks=$(once "$px" agree --json "$work/masks/a" "$work/masks/b")
echo "bench_agree: $nimg images x 50 instances, 1280x960"
echo "  pxlabel agree (outlines)   ${t_px}s"
echo "  pxlabel agree (mask PNGs)  ${px_masks}s"
if ! "$py" -c 'import numpy, PIL' 2>/dev/null; then
	echo "bench_agree: /usr/bin/python3 lacks numpy or PIL, peer skipped (Debian: python3-numpy python3-pil)"
	exit 0
fi
t0=$(now)
"$py" "$top_srcdir/bench/agree_numpy.py" --timing "$work/set/a" "$work/set/b" >"$work/np.json" 2>"$work/np.err"
t1=$(now)
np=$(echo "$t0 $t1" | awk '{ print $2 - $1 }')
np_comp=$(sed -n 's/.*PNGs, \([0-9.]*\) s computing.*/\1/p' "$work/np.err")
echo "  numpy (mask PNGs)          ${np}s, of which computing ${np_comp}s"
echo "$np $t_px $np_comp $px_masks" | awk '{ printf "  ratio (numpy / agree): %.1fx\n  ratio (numpy computing alone / agree): %.1fx\n  ratio on the same mask PNGs (numpy / agree): %.1fx\n", $1 / $2, $3 / $2, $1 / $4 }'
"$py" - "$work/px.json" "$work/np.json" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
d = max(abs(v - a["classes"][n][k]) for n, c in b["classes"].items() for k, v in c.items())
d = max([d] + [abs(a[k] - b[k]) for k in ("mean_iou", "pq", "sq", "rq")])
print("  largest difference between the two answers: %.3g" % d)
PY
