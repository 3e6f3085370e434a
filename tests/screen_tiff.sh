#!/bin/sh
# screen_tiff.sh: the annotator on TIFFs in a real terminal (tmux): a 16-bit grey TIFF shows
# its narrow band through the default window, named in the status line; an 8-bit one has no
# window; an outline drawn on the TIFF is saved as masks of its size.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
dump=${PNGDUMP:-./tests/pngdump}
data=${TESTS_DATA:-tests/data}
T="tmux -L pxltiff$$"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/gray16-tiled.tif" "$d/a.tif"   # 64x43, values 1500..2199
cp "$data/good/rgb-strips.tif" "$d/b.tif"
printf '[class cell]\nid = 1\ncolor = #ff0000\nkey = c\n' >"$d/pxlabel.ini"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

screen() { $T capture-pane -t s -p; }
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
keys() { $T send-keys -t s "$@"; sleep 0.15; }

# 100 columns, 23 rows: the image area shows a.tif (64x43) whole.
$T new-session -d -s s -x 100 -y 23 "TERM=xterm-256color COLORTERM=truecolor $px --display blocks $d; echo EXITED \$?; sleep 60"
check "the annotator opens a 16-bit TIFF" wait_for "a.tif 1/2"
check "the status line gives its window" sh -c "$T capture-pane -t s -p | grep -q 'W 15[0-9][0-9]\.\.2[01][0-9][0-9]'"
keys '|'
greys() { greys=$($T capture-pane -t s -p -e | LC_ALL=C grep -o '[34]8;2;[0-9]*;[0-9]*;[0-9]*' | sort -u | wc -l); }
many_greys() { greys && [ "$greys" -gt 60 ]; }
wait_until many_greys
check "its 700 values fill the greys ($greys colours on screen)" test "$greys" -gt 60
# A square outline: four vertices, closed.
keys 10 l 5 j Space 20 l Space 10 j Space 20 h Space Enter
check "an outline closed on the TIFF" wait_for "new instance #1"
keys N
check "the next image: an 8-bit TIFF" wait_for "b.tif 2/2"
check "with no window in the status line" sh -c "! $T capture-pane -t s -p | grep -q ' W [0-9]'"
keys q
check "quit" wait_for "EXITED 0"
run "$dump" "$d/a.labels.png"
check "the masks are the TIFF's size, with the square in them" sh -c "head -n 1 '$tmpdir/out' | grep -qx '64 43' && grep -q '^1 ' '$tmpdir/out'"
done_testing
