#!/bin/sh
# screen_xterm.sh: the annotator in a real sixel terminal, xterm -ti vt340 under Xvfb, looked at
# through screenshots. xterm's log (-l) keeps what pxlabel wrote, so the first image it sent is
# decoded (sixel2png) and compared with what xterm shows where it should be; then a cursor step
# (a small patch, the ring moved), the help (no image left behind), and plain xterm (no sixel:
# blocks). Skips when Xvfb, xterm, xdotool, ImageMagick or sixel2png is missing.
# Nothing waits a fixed time: each step waits (up to wait_limit, lib.sh) until the log or the
# screen shows what the next check looks at, so a loaded machine is only slower.
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
wait_until test -s "$tmpdir/display" || { echo "1..0 # SKIP Xvfb did not start: $(head -c 200 "$tmpdir/xvfb.log")"; exit 77; }
DISPLAY=:$(cat "$tmpdir/display")
export DISPLAY

log_size() { if [ -f "$tmpdir/log" ]; then wc -c <"$tmpdir/log"; else echo 0; fi; }
# log_quiet: xterm's log did not grow for half a second.
log_quiet() {
	quiet_before=$(log_size)
	sleep 0.5
	[ "$(log_size)" = "$quiet_before" ]
}
# sixels_ended: every sixel image begun in the log (DCS, ESC P) has its string terminator.
sixels_ended() {
	dcs=$(grep -aoF "$(printf '\033P')" "$tmpdir/log" 2>/dev/null | wc -l)
	st=$(grep -aoF "$(printf '\033\\')" "$tmpdir/log" 2>/dev/null | wc -l)
	[ "$dcs" -gt 0 ] && [ "$st" -ge "$dcs" ]
}
log_shows() { grep -aqF -- "$1" "$tmpdir/log" 2>/dev/null; }
# wait_log TEXT: until xterm's log holds TEXT and has stopped growing.
wait_log() {
	wait_until log_shows "$1" && wait_until log_quiet && return 0
	echo "# xterm's log never showed: $1"
	return 1
}
# wait_grow BYTES: until xterm's log is longer than BYTES and has stopped growing.
log_longer() { [ "$(log_size)" -gt "$1" ]; }
wait_grow() { wait_until log_longer "$1" && wait_until log_quiet; }
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
}
start_xterm() { # start_xterm XTERM-OPTIONS...
	rm -f "$tmpdir/log"
	xterm "$@" -xrm 'XTerm*numColorRegisters: 256' -xrm 'XTerm*maxGraphicSize: 4096x4096' \
	    -geometry 100x30+0+0 -l -lf "$tmpdir/log" -e "$px" --query-timeout 3000 "$tmpdir/cat.png" &
	xterm_pid=$!
	win=
	wait_until xterm_window
}
xterm_window() {
	win=$(xdotool search --pid "$xterm_pid" 2>/dev/null | head -n 1)
	[ -n "$win" ]
}
xterm_gone() { ! kill -0 "$xterm_pid" 2>/dev/null; }
# The text area starts inside xterm's border (1) and internal border (2).
B=3

start_xterm -ti vt340
check "xterm -ti vt340: the status line says sixel" wait_log "| sixel"
wait_until sixels_ended && wait_until log_quiet
# The query burst's kitty graphics query (an APC, which xterm ignores) confuses sixel2png's
# reading of the log: it goes first.
perl -0pe 's/\e_G[^\e]*\e\\//g' "$tmpdir/log" >"$tmpdir/log.six"
sixel2png -i "$tmpdir/log.six" -o "$tmpdir/sent.png" 2>/dev/null
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


# The cursor's ring around the centre of cell (35, 14), then (36, 14) after a step right: the
# pixels whose centres are r (the ring's radius, as display.c draws it) left of the point are white,
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
at_least() { awk -v q="$1" -v min="$2" 'BEGIN { exit !(q >= min) }'; }
# shown_first: a screenshot where xterm shows the image sent, with the cursor's ring.
shown_first() {
	shot first
	crop first $B $B "$w" "$h" area
	q=$(psnr "$tmpdir/area.png" "$tmpdir/sent.png")
	at_least "$q" 40 && ring_ok first 35 >/dev/null
}
wait_until shown_first
echo "# what xterm shows against what pxlabel sent: PSNR $q dB"
check "xterm shows it pixel for pixel at the top-left cell (PSNR $q dB >= 40)" at_least "$q" 40
check "the photo is there ($(colours area) colours, at most the 256 registers)" test "$(colours area)" -gt 100 -a "$(colours area)" -le 256
check "the cursor is a white ring with a black rim at the centre cell" ring_ok first 35
before=$(log_size)
keys l
# The ring drawn one cell on means the patch has arrived; then the log is counted.
stepped() { shot step && ring_ok step 36 >/dev/null; }
wait_until stepped
wait_grow "$before"
after=$(log_size)
check "a cursor step sends a small patch ($((after - before)) bytes)" test $((after - before)) -lt 3000 -a $((after - before)) -gt 0
check "the ring moved one cell right" ring_ok step 36
crop step $B $B "$w" "$h" area2
q2=$(psnr "$tmpdir/area2.png" "$tmpdir/sent.png")
check "and the rest of the image stayed (PSNR $q2 dB >= 30)" at_least "$q2" 30
keys '?'
help_shown() {
	log_shows "pxlabel keys" && shot help && crop help $B $B "$w" "$h" helparea &&
	    [ "$(colours helparea)" -lt 16 ]
}
wait_until help_shown
check "the help leaves no image behind ($(colours helparea) colours where the photo was)" test "$(colours helparea)" -lt 16
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key Escape
image_back() {
	shot back && crop back $B $B "$w" "$h" area3
	q3=$(psnr "$tmpdir/area3.png" "$tmpdir/area2.png")
	at_least "$q3" 40
}
wait_until image_back
check "closing the help brings the image back (PSNR $q3 dB >= 40)" at_least "$q3" 40
keys q
wait_until xterm_gone
check "q quits (xterm closes)" xterm_gone

# Plain xterm (decTerminalID 420) has no sixel: its DA1 reply has no 4.
start_xterm
check "plain xterm: blocks, and the status line says so" wait_log "| blocks"
check "no sixel was sent" sh -c "! grep -aq \"\$(printf '\033')P\" '$tmpdir/log'"
keys q
wait_until xterm_gone

done_testing
