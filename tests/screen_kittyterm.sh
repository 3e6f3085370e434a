#!/bin/sh
# screen_kittyterm.sh: the annotator in a real kitty (Debian's kitty, software OpenGL) under
# Xvfb, looked at through screenshots. kitty answers the graphics query (TERM is made
# xterm-256color, as over SSH): the status line says kitty; the image area is compared with the
# core's view_render of the same view (tests/viewshot) at fit, at 8x and after a pan (PSNR at
# least 30 dB); the help and quitting leave no image on the screen. Skips (77) when Xvfb, kitty,
# xdotool or ImageMagick is missing, or kitty cannot start. Each step waits (up to
# wait_limit, lib.sh) for what it checks; software OpenGL is slow, never a reason to sleep.
. "${top_srcdir:-.}/tests/lib.sh"
for tool in Xvfb kitty xdotool import convert; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 77; }
done
px=${PXLABEL:-./src/pxlabel}
viewshot=${VIEWSHOT:-./tests/viewshot}
data=${TESTS_DATA:-tests/data}
cp "$data/../../data/chelsea.png" "$tmpdir/cat.png"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

Xvfb -displayfd 5 -noreset -screen 0 1280x800x24 -nolisten tcp 5>"$tmpdir/display" 2>"$tmpdir/xvfb.log" &
xvfb=$!
kitty_pid=
trap 'kill $kitty_pid $xvfb 2>/dev/null; rm -rf "$tmpdir"' EXIT
wait_until test -s "$tmpdir/display" || { echo "1..0 # SKIP Xvfb did not start: $(head -c 200 "$tmpdir/xvfb.log")"; exit 77; }
DISPLAY=:$(cat "$tmpdir/display")
export DISPLAY LIBGL_ALWAYS_SOFTWARE=1

# The shell in kitty writes the window's size in cells and pixels, then runs the annotator as a
# user over SSH would: TERM=xterm-256color, no KITTY_WINDOW_ID.
cat >"$tmpdir/run.sh" <<SH
stty size >"$tmpdir/cells"
/usr/bin/python3 -c 'import fcntl, struct, sys, termios; print(*struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\\0" * 8)))' >"$tmpdir/winsize"
unset KITTY_WINDOW_ID
TERM=xterm-256color "$px" --query-timeout 5000 "$tmpdir/cat.png"
echo \$? >"$tmpdir/status"
exec sleep 600
SH
kitty --config NONE -o initial_window_width=1200 -o initial_window_height=760 -o remember_window_size=no \
    -o window_padding_width=0 -o placement_strategy=top-left -o cursor_blink_interval=0 sh "$tmpdir/run.sh" >"$tmpdir/kitty.log" 2>&1 &
kitty_pid=$!
kitty_window() {
	win=$(xdotool search --pid "$kitty_pid" 2>/dev/null | head -n 1)
	[ -n "$win" ] && test -s "$tmpdir/winsize"
}
wait_until kitty_window || { echo "1..0 # SKIP kitty did not start: $(head -c 300 "$tmpdir/kitty.log")"; exit 77; }
set -- $(cat "$tmpdir/winsize") # rows cols xpixel ypixel
rows=$1 cols=$2 cw=$(($3 / $2)) ch=$(($4 / $1))
eval "$(xdotool getwindowgeometry --shell "$win")" # X, Y: the window's place on the screen
acols=$((cols - 29)) arows=$((rows - 1))
echo "# kitty: ${cols}x$rows cells of ${cw}x$ch pixels, window at $X,$Y; image area ${acols}x$arows cells"

shot() {
	import -window root "$tmpdir/$1.png" && convert "$tmpdir/$1.png" "$tmpdir/$1.ppm" || return 1
	[ -z "${PXL_KEEP_SHOTS:-}" ] || cp "$tmpdir/$1.png" "$PXL_KEEP_SHOTS/"
}
# matches NAME ZOOM DX DY: the screenshot NAME against view_render at ZOOM (0: fit), panned in
# (DX, DY) cells by the best k; sets q.
matches() {
	shot "$1" || return 1
	set -- $("$viewshot" "$tmpdir/cat.png" "$tmpdir/$1.ppm" "$X" "$Y" "$acols" "$arows" "$cw" "$ch" "$2" "$3" "$4")
	k=$1 q=$2
	awk -v q="$q" 'BEGIN { exit !(q >= 30) }'
}
keys() {
	xdotool windowfocus --sync "$win" 2>/dev/null
	xdotool type --delay 80 "$1"
}
colours() { convert "$tmpdir/$1.png" -crop "$(($acols * $cw))x$(($arows * $ch))+$X+$Y" +repage -unique-colors -format %w info:; }

wait_until matches fit 0 0 0
check "kitty shows the fit view: PSNR $q dB against view_render (>= 30)" awk -v q="$q" 'BEGIN { exit !(q >= 30) }'
keys "++"
wait_until matches zoom8 8 0 0
check "two zoom steps: 8x, PSNR $q dB (>= 30), crisp pixels" awk -v q="$q" 'BEGIN { exit !(q >= 30) }'
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key ctrl+Right
# Until the view has moved: the unmoved view (k = 0) still matches before the pan arrives.
panned() { matches pan 8 1 0 && [ "$k" -gt 0 ]; }
wait_until panned
check "a pan (C-Right): $k cells on, PSNR $q dB (>= 30)" awk -v q="$q" -v k="$k" 'BEGIN { exit !(q >= 30 && k > 0) }'
keys '?'
# The help's text is antialiased grey: the photo's colour is what must be gone (the mean
# saturation of the area, from 0 to 1).
saturation() { convert "$tmpdir/$1.png" -crop "$(($acols * $cw))x$(($arows * $ch))+$X+$Y" +repage -colorspace HSL \
    -channel G -separate -format '%[fx:mean]' info:; }
help_shown() { shot help && awk -v s="$(saturation help)" 'BEGIN { exit !(s < 0.01) }'; }
wait_until help_shown
check "the help leaves no image behind (mean saturation $(saturation help) where the photo was)" help_shown
xdotool windowfocus --sync "$win" 2>/dev/null
xdotool key Escape
wait_until matches back 8 1 0
check "closing the help brings it back (PSNR $q dB)" awk -v q="$q" 'BEGIN { exit !(q >= 30) }'
keys q
quit() { test -s "$tmpdir/status"; }
wait_until quit
check "q quits with status 0" test "$(cat "$tmpdir/status" 2>/dev/null)" = 0
cleared() { shot after && [ "$(colours after)" -lt 4 ]; }
wait_until cleared
check "after quitting no image is left on the screen ($(colours after) colours)" test "$(colours after)" -lt 4

done_testing
