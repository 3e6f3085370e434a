#!/bin/sh
# bench_tiff.sh: TIFF and 16-bit images, in one run.
# 1. A 24-megapixel tiled TIFF (6000x4000 RGB, 256x256 deflate tiles, no pyramid) to a 200x50
#    half-block preview (200x100 pixels): pxlabel render against vipsthumbnail making the same
#    150x100 picture; and the same for a 16-bit grey TIFF. Times (hyperfine medians, and the
#    CPU time, steadier on a shared machine), peak memory (/usr/bin/time), ratios.
# 2. The memory of an annotator session (image, pyramid, masks) on the 16-bit grey 24-megapixel
#    TIFF against the same picture as 8-bit RGB.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
bench_need bench_tiff vipsthumbnail hyperfine /usr/bin/time
jpg=$(bench_image big24.jpg 6000 4000)
rgb=$work/big24-tiled.tif
g16=$work/big24-grey16.tif
g8=$work/big24-grey8rgb.tif
[ -s "$rgb" ] || "$BENCH_DIR/bench_mktiff" "$jpg" rgb8 256 deflate "$rgb"
[ -s "$g16" ] || "$BENCH_DIR/bench_mktiff" "$jpg" grey16 256 deflate "$g16"
[ -s "$g8" ] || "$BENCH_DIR/bench_mktiff" "$jpg" grey8rgb 256 deflate "$g8"

pxc="$px render --size 200x50 --colors truecolor $rgb"
vipsc="vipsthumbnail $rgb --size 200x100 -o $work/vips-thumb.ppm"
pxc16="$px render --size 200x50 --colors truecolor $g16"
vipsc16="vipsthumbnail $g16 --size 200x100 -o $work/vips-thumb16.png"
hyperfine -N --style none --warmup 1 --runs 10 --export-json "$work/tiff.json" \
	-n pxlabel "$pxc" -n vipsthumbnail "$vipsc" -n pxlabel16 "$pxc16" -n vipsthumbnail16 "$vipsc16" >/dev/null 2>&1
stat() { # name field: median, or the mean of user + system
	sed -n "/\"command\": \"$1\"/,/\"exit_codes\"/p" "$work/tiff.json" | awk -v f="$2" '
		/"median"/ { gsub(/[,"]/, ""); m = $2 }
		/"user"/ { gsub(/[,"]/, ""); u = $2 }
		/"system"/ { gsub(/[,"]/, ""); s = $2 }
		END { print (f == "median" ? m : u + s) }'
}
t_px=$(stat pxlabel median); t_v=$(stat vipsthumbnail median)
c_px=$(stat pxlabel cpu); c_v=$(stat vipsthumbnail cpu)
t_px16=$(stat pxlabel16 median); t_v16=$(stat vipsthumbnail16 median)
c_px16=$(stat pxlabel16 cpu); c_v16=$(stat vipsthumbnail16 cpu)
m_px=$(peak "$pxc"); m_v=$(peak "$vipsc"); m_px16=$(peak "$pxc16"); m_v16=$(peak "$vipsc16")

echo "render: 6000x4000 tiled TIFF (256x256 deflate tiles) -> 200x50 cells (150x100 pixels)"
printf '%-22s %10s %10s %10s\n' tool 'time_s' 'cpu_s' 'peak_kB'
printf '%-22s %10.4f %10.4f %10s\n' "pxlabel RGB" "$t_px" "$c_px" "$m_px"
printf '%-22s %10.4f %10.4f %10s\n' "vipsthumbnail RGB" "$t_v" "$c_v" "$m_v"
printf '%-22s %10.4f %10.4f %10s\n' "pxlabel grey16" "$t_px16" "$c_px16" "$m_px16"
printf '%-22s %10.4f %10.4f %10s\n' "vipsthumbnail grey16" "$t_v16" "$c_v16" "$m_v16"
awk -v a="$t_px" -v b="$t_v" -v c="$c_px" -v d="$c_v" -v ma="$m_px" -v mb="$m_v" \
    -v a16="$t_px16" -v b16="$t_v16" -v ma16="$m_px16" -v mb16="$m_v16" 'BEGIN {
	printf "ratio time pxlabel/vipsthumbnail tiled TIFF      %.2f (cpu %.2f) (target <= 1.00)\n", a / b, c / d
	printf "ratio peak_mem pxlabel/vipsthumbnail tiled TIFF  %.2f (target <= 1.00)\n", ma / mb
	printf "ratio time pxlabel/vipsthumbnail 16-bit grey     %.2f\n", a16 / b16
	printf "ratio peak_mem pxlabel/vipsthumbnail 16-bit grey %.2f\n", ma16 / mb16
}'

# The annotator's peak memory (the session harness quits after the first screen): the process
# tree's largest resident set is pxlabel's.
bench_home
session() { # IMAGE: peak kB of a session on it, the lowest of 3
	best=
	for i in 1 2 3; do
		kb=$(/usr/bin/time -f %M env TERM=xterm-256color "$BENCH_DIR/bench_session" 160 48 -- \
		    "$px" --display blocks --colors 256 "$1" 2>&1 >/dev/null | tail -n 1)
		[ -z "$best" ] || [ "$kb" -lt "$best" ] && best=$kb
	done
	echo "$best"
}
s16=$(session "$g16")
s8=$(session "$g8")
echo "annotator session on a 6000x4000 picture (image + pyramid + 3 bytes a pixel of masks):"
printf '  16-bit grey TIFF  %8s kB peak\n' "$s16"
printf '  8-bit RGB TIFF    %8s kB peak\n' "$s8"
awk -v a="$s16" -v b="$s8" 'BEGIN {
	printf "  16-bit grey holds %.2f bytes a pixel less (2 + 2/3 for image and pyramid against 3 + 1)\n", (b - a) * 1024 / (6000 * 4000)
	printf "ratio session_mem grey16/rgb8 %.2f (target < 1.00)\n", a / b
}'
