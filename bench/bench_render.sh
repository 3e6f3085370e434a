#!/bin/sh
# bench_render.sh: a 24-megapixel JPEG to a 200x50 half-block preview, pxlabel against chafa and
# timg, and against djpeg decoding the same file (the floor a full decode sets), in one run.
# Prints times (hyperfine medians), peak memory (/usr/bin/time), output bytes, and the ratios.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
img=$(bench_image big24.jpg 6000 4000)
bench_need bench_render chafa timg djpeg hyperfine /usr/bin/time

size=200x50
pxc="$px render --size $size --colors truecolor $img"
pxc256="$px render --size $size --colors 256 $img"
chafac="chafa -f symbols --symbols vhalf -c full -s $size $img"
chafac256="chafa -f symbols --symbols vhalf -c 256 -s $size $img"
timgc="timg -g $size -pq $img"
djfull="djpeg $img"
djeighth="djpeg -scale 1/8 $img"

hyperfine -N --style none --warmup 2 --runs 15 --export-json "$work/render.json" \
	-n pxlabel "$pxc" -n chafa "$chafac" -n timg "$timgc" -n djpeg "$djfull" -n djpeg_1_8 "$djeighth" >/dev/null 2>&1
bytes() { sh -c "$*" | wc -c; }

j=$work/render.json
t_px=$(median "$j" pxlabel); t_chafa=$(median "$j" chafa); t_timg=$(median "$j" timg)
t_dj=$(median "$j" djpeg); t_dj8=$(median "$j" djpeg_1_8)
m_px=$(peak "$pxc"); m_chafa=$(peak "$chafac"); m_timg=$(peak "$timgc"); m_dj=$(peak "$djfull")
b_px=$(bytes "$pxc"); b_chafa=$(bytes "$chafac"); b_timg=$(bytes "$timgc")
b_px256=$(bytes "$pxc256"); b_chafa256=$(bytes "$chafac256")

echo "render: 6000x4000 JPEG -> $size cells, half blocks"
printf '%-10s %10s %10s %10s\n' tool 'time_s' 'peak_kB' 'bytes'
printf '%-10s %10.4f %10s %10s\n' pxlabel "$t_px" "$m_px" "$b_px"
printf '%-10s %10.4f %10s %10s\n' chafa "$t_chafa" "$m_chafa" "$b_chafa"
printf '%-10s %10.4f %10s %10s\n' timg "$t_timg" "$m_timg" "$b_timg"
printf '%-10s %10.4f %10s %10s\n' djpeg "$t_dj" "$m_dj" -
printf '%-10s %10.4f %10s %10s\n' djpeg-1/8 "$t_dj8" - -
echo "256 colours: pxlabel $b_px256 bytes, chafa $b_chafa256 bytes"
awk -v a="$t_px" -v b="$t_dj" -v c="$t_chafa" -v d="$t_timg" -v ma="$m_px" -v mt="$m_timg" \
    -v ba="$b_px" -v bc="$b_chafa" -v ba2="$b_px256" -v bc2="$b_chafa256" 'BEGIN {
	printf "ratio time pxlabel/djpeg_full   %.2f (target <= 1.00)\n", a / b
	printf "ratio time pxlabel/chafa        %.2f\n", a / c
	printf "ratio time pxlabel/timg         %.2f\n", a / d
	printf "ratio peak_mem pxlabel/timg     %.2f (target <= 0.50)\n", ma / mt
	printf "ratio bytes pxlabel/chafa       %.2f truecolor, %.2f 256 colours (target <= 1.00)\n", ba / bc, ba2 / bc2
}'
