#!/bin/sh
# screen_xterm.sh: the annotator in a real sixel terminal, xterm -ti vt340 under Xvfb, looked at
# through screenshots. xterm's log (-l) keeps what pxlabel wrote, so the first image it sent is
# decoded (sixel2png) and compared with what xterm shows where it should be; then a cursor step
# (a small patch, the ring moved), the help (no image left behind), and plain xterm (no sixel:
# blocks). Skips when Xvfb, xterm, xdotool, ImageMagick or sixel2png is missing.
. "${top_srcdir:-.}/tests/lib.sh"
for tool in Xvfb xterm xdotool import convert compare sixel2png; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 77; }
done
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
cp "$data/../../data/chelsea.png" "$tmpdir/cat.png"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

# A display of our own: Xvfb picks a free number and says which. -noreset: a server that resets
# when the last client leaves refuses the next xterm for a moment.
Xvfb -displayfd 5 -noreset -screen 0 1024x768x24 -nolisten tcp 5>"$tmpdir/display" 2>"$tmpdir/xvfb.log" &
xvfb=$!
xterm_pid=
trap 'kill $xterm_pid $xvfb 2>/dev/null; rm -rf "$tmpdir"' EXIT
i=0
while [ ! -s "$tmpdir/display" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$tmpdir/display" ] || { echo "1..0 # SKIP Xvfb did not start: $(head -c 200 "$tmpdir/xvfb.log")"; exit 77; }
DISPLAY=:$(cat "$tmpdir/display")
export DISPLAY

# wait_log TEXT: until xterm's log holds TEXT and has stopped growing (10 s at most).
wait_log() {
	i=0
	last=-1
	while [ $i -lt 100 ]; do
		size=0
		[ -f "$tmpdir/log" ] && size=$(wc -c <"$tmpdir/log")
		if grep -aqF -- "$1" "$tmpdir/log" 2>/dev/null && [ "$size" = "$last" ]; then
			return 0
		fi
		last=$size
		sleep 0.2
		i=$((i + 1))
	done
	echo "# xterm's log never showed: $1"
	return 1
}
# wait_grow BYTES: until xterm's log is longer than BYTES and has stopped growing (10 s at most).
wait_grow() {
	i=0
	last=-1
	while [ $i -lt 100 ]; do
		size=$(wc -c <"$tmpdir/log")
		[ "$size" -gt "$1" ] && [ "$size" = "$last" ] && return 0
		last=$size
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
# shot NAME: a screenshot of the screen.
shot() { import -window root "$tmpdir/$1.png"; }
# psnr A B: ImageMagick's PSNR of two same-size images (inf for identical ones: 100).
psnr() { compare -metric PSNR "$1" "$2" null: 2>&1 | sed 's/^inf$/100/; s/ .*//'; }
# crop SHOT X Y W H OUT
crop() { convert "$tmpdir/$1.png" -crop "$4x$5+$2+$3" +repage "$tmpdir/$6.png"; }
colours() { convert "$tmpdir/$1.png" -unique-colors -format %w info:; }
keys() {
	xdotool windowfocus --sync "$win" 2>/dev/null
	xdotool type --delay 50 "$1"
	sleep 0.3
}
start_xterm() { # start_xterm XTERM-OPTIONS...
	rm -f "$tmpdir/log"
	xterm "$@" -xrm 'XTerm*numColorRegisters: 256' -xrm 'XTerm*maxGraphicSize: 4096x4096' \
	    -geometry 100x30+0+0 -l -lf "$tmpdir/log" -e "$px" --query-timeout 3000 "$tmpdir/cat.png" &
	xterm_pid=$!
	win=
	i=0
	while [ -z "$win" ] && [ $i -lt 50 ]; do
		win=$(xdotool search --pid "$xterm_pid" 2>/dev/null | head -n 1)
		sleep 0.1
		i=$((i + 1))
	done
}
# The text area starts inside xterm's border (1) and internal border (2).
B=3

start_xterm -ti vt340
check "xterm -ti vt340: the status line says sixel" wait_log "| sixel"
shot first
sixel2png -i "$tmpdir/log" -o "$tmpdir/sent.png" 2>/dev/null
size=$(identify -format '%wx%h' "$tmpdir/sent.png" 2>/dev/null)
w=${size%x*}
h=${size#*x}
# 100x30 cells with the side panel: the image area is 71x29 cells.
# The image's height is the area's, less what is past the last whole 6-pixel sixel band (a band
# reaching into the status line would scroll the screen).
cw=$((w / 71))
ch=$(((h + 5) / 29))
check "the first image is the image area: 71x29 cells of ${cw}x$ch pixels ($size)" \
	test "$((cw * 71))x$((ch * 29 - ch * 29 % 6))" = "$size" -a "$cw" -ge 4 -a "$ch" -ge 8
crop first $B $B "$w" "$h" area
q=$(psnr "$tmpdir/area.png" "$tmpdir/sent.png")
echo "# what xterm shows against what pxlabel sent: PSNR $q dB"
check "xterm shows it pixel for pixel at the top-left cell (PSNR $q dB >= 40)" awk -v q="$q" 'BEGIN { exit !(q >= 40) }'
check "the photo is there ($(colours area) colours, at most the 256 registers)" test "$(colours area)" -gt 100 -a "$(colours area)" -le 256

# The cursor's ring around the centre of cell (35, 14), then (36, 14) after a step right: the
# pixels whose centres are r (the ring's radius, as app.c draws it) left of the point are white,
# one further black.
ring_ok() { # ring_ok SHOT CELL_X
	set -- "$1" $(awk -v cx="$2" -v cw="$cw" -v ch="$ch" 'BEGIN {
		s = cw < ch ? cw : ch; r = s / 2 - 1.5; if (r < 2.5) r = 2.5
		sx = (cx + 0.5) * cw; sy = (14 + 0.5) * ch
		for (x = int(sx - r - 3); x < sx; x++) { d = sx - (x + 0.5); if (d > r - 0.5 && d <= r + 0.5) break }
		print x, int(sy) }')
	xw=$((B + $2))
	y=$((B + $3))
	white=$(convert "$tmpdir/$1.png" -format "%[pixel:p{$xw,$y}]" info:)
	black=$(convert "$tmpdir/$1.png" -format "%[pixel:p{$((xw - 1)),$y}]" info:)
	[ "$white" = "srgb(255,255,255)" ] || [ "$white" = "white" ] || { echo "# ring: $white at $xw,$y"; return 1; }
	[ "$black" = "srgb(0,0,0)" ] || [ "$black" = "black" ] || { echo "# rim: $black"; return 1; }
}
check "the cursor is a white ring with a black rim at the centre cell" ring_ok first 35
before=$(wc -c <"$tmpdir/log")
keys l
wait_grow "$before"
after=$(wc -c <"$tmpdir/log")
check "a cursor step sends a small patch ($((after - before)) bytes)" test $((after - before)) -lt 3000 -a $((after - before)) -gt 0
shot step
check "the ring moved one cell right" ring_ok step 36
crop step $B $B "$w" "$h" area2
q2=$(psnr "$tmpdir/area2.png" "$tmpdir/sent.png")
check "and the rest of the image stayed (PSNR $q2 dB >= 30)" awk -v q="$q2" 'BEGIN { exit !(q >= 30) }'
before=$(wc -c <"$tmpdir/log")
keys '?'
wait_grow "$before"
wait_log "pxlabel keys"
shot help
crop help $B $B "$w" "$h" helparea
check "the help leaves no image behind ($(colours helparea) colours where the photo was)" test "$(colours helparea)" -lt 16
xdotool windowfocus --sync "$win" 2>/dev/null
before=$(wc -c <"$tmpdir/log")
xdotool key Escape
wait_grow "$before"
shot back
crop back $B $B "$w" "$h" area3
q3=$(psnr "$tmpdir/area3.png" "$tmpdir/area2.png")
check "closing the help brings the image back (PSNR $q3 dB >= 40)" awk -v q="$q3" 'BEGIN { exit !(q >= 40) }'
keys q
i=0
while kill -0 "$xterm_pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
check "q quits (xterm closes)" sh -c "! kill -0 $xterm_pid 2>/dev/null"

# Plain xterm (decTerminalID 420) has no sixel: its DA1 reply has no 4.
start_xterm
check "plain xterm: blocks, and the status line says so" wait_log "| blocks"
check "no sixel was sent" sh -c "! grep -aq \"\$(printf '\033')P\" '$tmpdir/log'"
keys q
i=0
while kill -0 "$xterm_pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done

done_testing
