#!/bin/sh
# bench_sixel.sh: a 24-megapixel JPEG to a sixel of at most 1280x720, pxlabel against img2sixel
# (default Floyd-Steinberg, and -d none), in one run. Prints times (hyperfine medians), peak
# memory (/usr/bin/time), output bytes and PSNR of each output decoded (sixel2png) against one
# reference: the JPEG scaled by ImageMagick's box filter to the same size. A second table feeds
# every tool that reference itself, so only the palette and the encoding differ.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image big24.jpg 6000 4000)
convert=${CONVERT:-/usr/bin/convert}
bench_need bench_sixel img2sixel sixel2png compare "$convert" hyperfine /usr/bin/time

png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

# pxlabel fits the picture in the box keeping its shape; img2sixel is given that same size.
"$px" render --format sixel --pixels 1280x720 "$img" >"$work/px.six"
sixel2png -i "$work/px.six" -o "$work/px.png"
size=$(png_size "$work/px.png")
w=${size%x*}
h=${size#*x}
"$convert" "$img" -filter Box -resize "${w}x${h}!" "$work/ref.png"

pxc="$px render --format sixel --pixels 1280x720 $img"
i2s="img2sixel -w $w -h $h $img"
i2sn="img2sixel -d none -w $w -h $h $img"
hyperfine -N --style none --warmup 1 --runs 7 --export-json "$work/sixel.json" \
	-n pxlabel "$pxc" -n img2sixel "$i2s" -n img2sixel_dnone "$i2sn" >/dev/null 2>&1
# out NAME COMMAND...: keeps the output, prints "bytes psnr" against ref.png.
quality() {
	name=$1
	shift
	sh -c "$*" >"$work/$name.six"
	sixel2png -i "$work/$name.six" -o "$work/$name.png"
	got=$(png_size "$work/$name.png")
	[ "$got" = "$size" ] || { echo "bench_sixel: $name decoded to $got, not $size" >&2; exit 1; }
	db=$(compare -metric PSNR "$work/$name.png" "$work/ref.png" null: 2>&1 || true)
	echo "$(wc -c <"$work/$name.six") $db"
}

j=$work/sixel.json
t_px=$(median "$j" pxlabel); t_i2s=$(median "$j" img2sixel); t_i2sn=$(median "$j" img2sixel_dnone)
m_px=$(peak "$pxc"); m_i2s=$(peak "$i2s"); m_i2sn=$(peak "$i2sn")
set -- $(quality px "$pxc"); b_px=$1; q_px=$2
set -- $(quality i2s "$i2s"); b_i2s=$1; q_i2s=$2
set -- $(quality i2sn "$i2sn"); b_i2sn=$1; q_i2sn=$2
# The same pixels into each encoder: the reference, at its own size.
set -- $(quality pxref "$px render --format sixel --pixels $size $work/ref.png"); b_pxr=$1; q_pxr=$2
set -- $(quality i2sref "img2sixel -d none $work/ref.png"); b_i2r=$1; q_i2r=$2
set -- $(quality i2sref_s "img2sixel -d none -E size $work/ref.png"); b_i2rs=$1; q_i2rs=$2

echo "sixel: 6000x4000 JPEG -> $size pixels (box 1280x720), PSNR against a box-filtered reference"
printf '%-18s %10s %10s %10s %8s\n' tool 'time_s' 'peak_kB' 'bytes' 'PSNR_dB'
printf '%-18s %10.4f %10s %10s %8.2f\n' pxlabel "$t_px" "$m_px" "$b_px" "$q_px"
printf '%-18s %10.4f %10s %10s %8.2f\n' img2sixel "$t_i2s" "$m_i2s" "$b_i2s" "$q_i2s"
printf '%-18s %10.4f %10s %10s %8.2f\n' 'img2sixel -d none' "$t_i2sn" "$m_i2sn" "$b_i2sn" "$q_i2sn"
echo "the reference itself encoded (palette and encoding only):"
printf '%-18s %10s %8.2f\n' pxlabel "$b_pxr" "$q_pxr"
printf '%-18s %10s %8.2f\n' 'img2sixel -d none' "$b_i2r" "$q_i2r"
printf '%-18s %10s %8.2f\n' '... -E size' "$b_i2rs" "$q_i2rs"
awk -v a="$t_px" -v b="$t_i2s" -v c="$t_i2sn" -v ma="$m_px" -v mb="$m_i2s" -v mc="$m_i2sn" \
    -v ba="$b_px" -v bb="$b_i2s" -v bc="$b_i2sn" -v qa="$q_px" -v qb="$q_i2s" -v qc="$q_i2sn" 'BEGIN {
	printf "ratio time pxlabel/img2sixel         %.2f, /img2sixel -d none %.2f (target <= 0.15)\n", a / b, a / c
	printf "ratio peak_mem pxlabel/img2sixel     %.2f, /img2sixel -d none %.2f\n", ma / mb, ma / mc
	printf "ratio bytes pxlabel/img2sixel        %.2f, /img2sixel -d none %.2f (target <= 0.50)\n", ba / bb, ba / bc
	printf "PSNR pxlabel - img2sixel             %+.2f dB, - img2sixel -d none %+.2f dB\n", qa - qb, qa - qc
}'
