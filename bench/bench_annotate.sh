#!/bin/sh
# bench_annotate.sh: low bandwidth is a feature. A scripted session in a pty at 160x48 counts
# the bytes of a cursor step, a vertex placement, a zoom step, a pan step and a full redraw, in
# 256 colours and truecolor, against chafa's bytes for the same cell grid, and in sixel with
# 10x20-pixel cells against img2sixel's bytes for the same pixels; then the time to the first
# screen of a 24-megapixel photo, and the frame cost at two image sizes.
# The session harness answers no terminal query: blocks runs say --display blocks, sixel runs
# --display sixel --cell 10x20 --query-timeout 0 (what a terminal with 10x20 cells would say).
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image big24.jpg 6000 4000)
sess=$BENCH_DIR/bench_session
set_dir=$work/annotate
bench_fresh "$set_dir"
cp "$top_srcdir/data/chelsea.png" "$set_dir/"
bench_home

# The image area at 160x48 with the side panel: 131 x 47 cells.
steps='redraw=\x0c cursor1=l cursor2=l cursor3=l cursor4=l cursor5=l cursor6=j cursor7=j cursor8=j
 cursor9=h cursor10=k vertex1=\x20 vertexmove=llll vertex2=\x20 vertexmove2=jjjj vertex3=\x20 close=\r
 zoomin=+ pan=\x1b[1;5C zoomout=-'
for mode in 256 truecolor; do
	out=$work/session-$mode.txt
	# shellcheck disable=SC2086
	env TERM=xterm-256color COLORTERM= "$sess" 160 48 $steps -- "$px" --display blocks --colors "$mode" "$set_dir/chelsea.png" >"$out"
	bench_clean_set "$set_dir"
	cur=$(awk '/^cursor/ { s += $2; n++ } END { printf "%.0f", s / n }' "$out")
	maxcur=$(awk '/^cursor/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out")
	vtx=$(awk '/^vertex[0-9]/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out")
	zin=$(awk '/^zoomin/ { print $2 }' "$out")
	pan=$(awk '/^pan/ { print $2 }' "$out")
	full=$(awk '/^redraw/ { print $2 }' "$out")
	chafa_mode=$([ "$mode" = truecolor ] && echo full || echo 256)
	chafa_bytes=$(chafa -f symbols --symbols vhalf -c "$chafa_mode" -s 131x47 "$top_srcdir/data/chelsea.png" | wc -c)
	chafa200=$(chafa -f symbols --symbols vhalf -c "$chafa_mode" -s 200x50 "$top_srcdir/data/chelsea.png" | wc -c)
	echo "annotate at 160x48, $mode colours (chelsea.png):"
	sed 's/^/  /' "$out"
	echo "  cursor step: mean $cur bytes, max $maxcur (target <= 100)"
	echo "  vertex placement: max $vtx bytes (target <= 2048)"
	echo "  zoom step: $zin bytes; pan step: $pan bytes"
	echo "  full redraw: $full bytes; chafa for the same 131x47 image area: $chafa_bytes bytes (at 200x50: $chafa200)"
	awk -v a="$full" -v b="$chafa_bytes" -v m="$mode" 'BEGIN { printf "ratio bytes full_redraw/chafa %s %.2f (target <= 1.00)\n", m, a / b }'
done

# Typed ahead: keys that arrive together (a held key, a count typed quickly, a slow link) are all
# applied before one frame is drawn. Five pans in one write against one pan, twenty cursor steps
# against one; the target is a burst costing what its last state costs, in one frame.
out=$work/session-burst.txt
env TERM=xterm-256color COLORTERM= "$sess" 160 48 'zoomin=+' 'pan1=\e[1;5C' \
    'pan5=\e[1;5C\e[1;5C\e[1;5C\e[1;5C\e[1;5C' 'zoomout=-' 'cursor1=l' 'cursor20=llllllllllllllllllll' \
    -- "$px" --display blocks --colors 256 "$set_dir/chelsea.png" >"$out"
bench_clean_set "$set_dir"
echo "keys typed ahead at 160x48, 256 colours (chelsea.png; each step's keys in one write):"
sed 's/^/  /' "$out"
awk '/^pan1 / { b1 = $2 } /^pan5 / { b5 = $2; f5 = $6 } /^cursor1 / { c1 = $2 } /^cursor20 / { c20 = $2 }
    END { printf "ratio bytes five_pans/one_pan %.2f, %d frame(s) (target: one frame, <= 1.00)\n", b5 / b1, f5;
          printf "ratio bytes twenty_steps/one_step %.2f (target <= 1.5)\n", c20 / c1 }' "$out"

# Sixel: the image area is 1310x940 pixels.
sixel_opts="--display sixel --cell 10x20 --query-timeout 0"
out=$work/session-sixel.txt
# shellcheck disable=SC2086
env TERM=xterm-256color COLORTERM= "$sess" 160 48 $steps -- "$px" $sixel_opts "$set_dir/chelsea.png" >"$out"
bench_clean_set "$set_dir"
cur=$(awk '/^cursor/ { s += $2; n++ } END { printf "%.0f", s / n }' "$out")
maxcur=$(awk '/^cursor/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out")
vtx=$(awk '/^vertex[0-9]/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out")
vmove=$(awk '/^vertexmove/ { if ($2 > m) m = $2 } END { print m + 0 }' "$out")
close=$(awk '/^close/ { print $2 }' "$out")
zin=$(awk '/^zoomin/ { print $2 }' "$out")
pan=$(awk '/^pan/ { print $2 }' "$out")
full=$(awk '/^redraw/ { print $2 }' "$out")
echo "annotate at 160x48, sixel in 10x20-pixel cells (a 1310x940 image area, chelsea.png):"
sed 's/^/  /' "$out"
echo "  cursor step: mean $cur bytes, max $maxcur"
echo "  vertex placement: max $vtx bytes; 4 cells with an outline in progress: $vmove; closing: $close"
echo "  zoom step: $zin bytes; pan step: $pan bytes; full redraw: $full bytes"
awk -v a="$vtx" -v b="$full" 'BEGIN { printf "ratio bytes vertex/full_redraw sixel %.4f (target <= 0.05)\n", a / b }'
awk -v a="$cur" -v b="$full" 'BEGIN { printf "ratio bytes cursor_step/full_redraw sixel %.4f\n", a / b }'
if command -v img2sixel >/dev/null 2>&1; then
	# The same fitted picture (1310x871) as one image, libsixel's defaults and without dithering.
	i2s=$(img2sixel -w 1310 -h 871 "$top_srcdir/data/chelsea.png" | wc -c)
	i2sn=$(img2sixel -d none -w 1310 -h 871 "$top_srcdir/data/chelsea.png" | wc -c)
	echo "  img2sixel for the same 1310x871 picture: $i2s bytes (-d none: $i2sn)"
	awk -v a="$full" -v b="$i2s" 'BEGIN { printf "ratio bytes full_redraw/img2sixel sixel %.2f\n", a / b }'
fi

# Time to the first screen of a 24 MP JPEG, and to quit (which saves nothing: no edits).
echo "first screen of a 6000x4000 JPEG at 160x48:"
env TERM=xterm-256color "$sess" 160 48 -- "$px" --display blocks --colors 256 "$img" | sed 's/^/  /'
echo "the same in sixel (10x20-pixel cells):"
# shellcheck disable=SC2086
env TERM=xterm-256color "$sess" 160 48 -- "$px" $sixel_opts "$img" | sed 's/^/  /'
"$BENCH_DIR/bench_view"
