#!/bin/sh
# bench_kitty.sh: the kitty graphics display's bandwidth against sixel and half blocks, in the
# pty harness at 160x48 with 10x20-pixel cells (bench_session; it answers no query, so each
# display is named: --display kitty|sixel --cell 10x20 --query-timeout 0, or blocks in
# truecolor). On chelsea.png: the first frame, then a cursor step, a zoom step, a pan step and a
# vertex. On a 6000x4000 JPEG: time and bytes to the first screen, then three zoom steps to 1:1
# and pan steps there. kitty keeps the image: a step that only moves the view costs
# placements; tiles of a large image not sent yet show a coarser level meanwhile and are sent
# while the user is idle, with those around the view (counted apart, and printed).
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image big24.jpg 6000 4000)
sess=$BENCH_DIR/bench_session
set_dir=$work/kitty
bench_fresh "$set_dir"
cp "$top_srcdir/data/chelsea.png" "$set_dir/"
bench_home

opts() { # display
	case $1 in
	blocks) echo "--display blocks --colors truecolor" ;;
	*) echo "--display $1 --cell 10x20 --query-timeout 0" ;;
	esac
}
field() { awk -v n="$1" '$1 == n { print $2 }' "$2"; }

steps='cursor=l vertex=\x20 cancel=\e zoom=+ pan=\e[1;5C'
for d in kitty sixel blocks; do
	# shellcheck disable=SC2046
	env TERM=xterm-256color COLORTERM=truecolor "$sess" 160 48 $steps -- "$px" $(opts $d) "$set_dir/chelsea.png" \
	    >"$work/kitty-$d.txt"
	bench_clean_set "$set_dir"
done
echo "kitty graphics at 160x48, 10x20-pixel cells (a 1310x940 image area), chelsea.png: bytes"
printf '%-8s %10s %8s %8s %8s %8s\n' display first cursor zoom pan vertex
for d in kitty sixel blocks; do
	f=$work/kitty-$d.txt
	printf '%-8s %10s %8s %8s %8s %8s\n' "$d" "$(field start "$f")" "$(field cursor "$f")" "$(field zoom "$f")" \
	    "$(field pan "$f")" "$(field vertex "$f")"
done
k=$work/kitty-kitty.txt s=$work/kitty-sixel.txt b=$work/kitty-blocks.txt
for what in start cursor zoom pan vertex; do
	awk -v w="$what" -v k="$(field "$what" "$k")" -v s="$(field "$what" "$s")" -v b="$(field "$what" "$b")" 'BEGIN {
		printf "ratio bytes %s kitty/sixel %.4f, kitty/blocks %.4f\n", w, k / s, k / b }'
done
awk -v c="$(field cursor "$k")" -v z="$(field zoom "$k")" -v p="$(field pan "$k")" -v v="$(field vertex "$k")" 'BEGIN {
	printf "kitty targets: cursor %d <= 100 %s, zoom %d <= 2048 %s, pan %d <= 2048 %s, vertex %d <= 4096 %s\n",
	    c, c <= 100 ? "ok" : "MISSED", z, z <= 2048 ? "ok" : "MISSED", p, p <= 2048 ? "ok" : "MISSED", v, v <= 4096 ? "ok" : "MISSED" }'

# The 24 MP JPEG: three zoom steps from fit (0.22x) reach 1x; then pans (C-Right, C-Down,
# C-Left) there. bench_kitty_pan.py tells a step's frame from what the display sends after it
# while the user is idle (kitty's tiles of the new view and around it): both are printed.
for d in kitty sixel blocks; do
	/usr/bin/python3 "$top_srcdir/bench/bench_kitty_pan.py" "$px" "$img" "$d" >"$work/kitty-big-$d.txt"
done
echo "a 6000x4000 JPEG at 160x48: the first screen (bytes, ms to its last byte, then idle bytes);"
echo "bytes a step, and after it while idle"
printf '%-8s %10s %8s %10s %12s %12s %12s %12s\n' display first ms idle 'zoom mean' 'zoom idle' 'pan mean' 'pan idle'
for d in kitty sixel blocks; do
	awk -v d="$d" '$1 == "start" { f = $2; t = $3; i = $4 } /^zoom/ { zs += $2; zi += $3; zn++ } /^pan/ { ps += $2; pi += $3; pn++ }
	    END { printf "%-8s %10d %8d %10d %12.0f %12.0f %12.0f %12.0f\n", d, f, t, i, zs / zn, zi / zn, ps / pn, pi / pn }' \
	    "$work/kitty-big-$d.txt"
done
pan() { awk -v c="$2" '/^pan/ { s += $c; n++ } END { print s / n }' "$work/kitty-big-$1.txt"; }
awk -v k="$(pan kitty 2)" -v ki="$(pan kitty 3)" -v s="$(pan sixel 2)" -v si="$(pan sixel 3)" -v b="$(pan blocks 2)" 'BEGIN {
	printf "ratio bytes pan_1x kitty/sixel %.4f (target <= 0.10), kitty/blocks %.4f\n", k / s, k / b
	printf "ratio bytes pan_1x with the idle uploads after it: kitty/sixel %.2f\n", (k + ki) / (s + si) }'
