#!/bin/sh
# screen_cursor.sh: the cursor and the view in a real terminal (tmux), as a new user met them
# (issue 16): the cursor keeps its image point through zoom, fit and '.', never leaves the
# image, and the view follows it with a margin; the status line says what the next vertex
# snaps to. The bundled chelsea.png (451x300) in 120x40
# with the panel: an image area of 91x39 cells, fit zoom 0.202. Each bug is a phase of its own,
# from a fresh start at the image's centre (225, 150); each check waits for the status line.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
photo=${top_srcdir:-.}/data/chelsea.png
phase=0
T="tmux -L pxlcur$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"
mkdir -p "$tmpdir/set"
cp "$photo" "$tmpdir/set/c.png"

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
wait_for() {
	wait_until shows "$1" && return 0
	echo "# screen never showed: $1"
	screen | tail -n 1 | sed 's/^/# /'
	return 1
}
keys() { $T send-keys -t s "$@"; }
# A fresh annotator on c.png, at its first screen (options for pxlabel as arguments).
phase() {
	# The last phase's annotator quits as a user would: killed (a hang-up) with an outline in
	# progress it would keep it as a draft, and this phase's would open with it.
	if $T has-session -t s 2>/dev/null; then
		keys Escape Escape q
		wait_until shows "EXITED" || true
	fi
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxlcur$$-$phase"
	$T new-session -d -s s -x 120 -y 40 "TERM=xterm-256color $px $* '$tmpdir/set/c.png'; echo EXITED \$?; sleep 60"
	wait_for "0.202x | (225, 150) |" >/dev/null
}
# The terminal's cursor, "x,y".
tcursor() { $T display-message -p -t s '#{cursor_x},#{cursor_y}'; }

# A: zooming out to fit lost the cursor (it went above the image).
phase
keys + + 60h 25k
check "A: at 0.5x, 60h 25k" wait_for "| 0.5x | (105, 50) |"
keys -
check "A: - keeps the point at 0.25x" wait_for "| 0.25x | (105, 50) |"
keys -
check "A: and the next - (fit) too" wait_for "| 0.202x | (105, 50) |"
phase
keys + 10h
check "A: + 10h" wait_for "| 0.25x | (185, 150) |"
keys -
check "A: + 10h - keeps the point" wait_for "| 0.202x | (185, 150) |"

# B: '.' at fit zoom jumped to the image's centre.
phase
keys 10h
check "B: 10h at fit" wait_for "| 0.202x | (175, 150) |"
keys .
check "B: . at fit keeps the point" wait_for "| 0.202x | (175, 150) |"
keys 20l
check "B: and the next move goes on from it" wait_for "| 0.202x | (275, 150) |"

# C: z in the middle of an outline moved the cursor, and the next vertex with it.
phase
keys + + + + 7l 3j Space
check "C: a vertex at 2x" wait_for "| 2x | (229.00, 153.00) |"
keys z + + + +
check "C: z and back to 2x: the same point" wait_for "| 2x | (229.00, 153.00) |"
keys Escape

# D: the cursor left the image.
phase
keys + + 1000h 1000k
check "D: a long move up left stops in the image" wait_for "| 0.5x | (1, 2) |"
keys 1000l 1000j
check "D: and down right" wait_for "| 0.5x | (449, 298) |"

# The view follows with a margin: after a counted jump past the view the terminal's cursor is
# not on the image area's edge (columns 0-90, rows 0-38), but 12 columns and 6 rows inside.
phase
keys + + + + 100l
check "a counted jump right, past the view at 2x" wait_for "| 2x | (275.50, 150.00) |"
check "the cursor is 12 columns from the area's right edge" test "$(tcursor)" = "78,19"
keys 50j
check "a counted jump down" wait_for "| 2x | (275.50, 200.00) |"
check "the cursor is 6 rows above the area's bottom" test "$(tcursor)" = "78,32"
keys 1000h
check "at the image's left border" wait_for "| 2x | (0.00, 200.00) |"
check "the cursor may reach the edge: there is no image beyond" test "$(tcursor)" = "0,32"
keys q
check "quit" wait_for "EXITED 0"

# In half blocks the cursor's cell is marked on the image in a loud colour (the half holding
# its point), as well as by the terminal's cursor. In truecolor the marker's RGB is exact: one
# cell of the screen has it, on the terminal cursor's row.
phase --colors truecolor
loud() { $T capture-pane -t s -p -e | LC_ALL=C grep -n -o -E '8;2;(255;0;255|0;255;255|255;255;0)m' | cut -d: -f1 | tr '\n' ' '; }
marked_on_cursor_row() { test "$(loud)" = "$(( $(tcursor | cut -d, -f2) + 1 )) "; }
check "the cursor's cell is marked on the image, once, on the cursor's row" wait_until marked_on_cursor_row
keys 5l 3j
check "a move takes the mark along" wait_for "| 0.202x | (250, 179) |"
check "still once, on the new row" wait_until marked_on_cursor_row
keys q
check "quit" wait_for "EXITED 0"

# Snapping you can read: the status line says what the next vertex snaps to, and whether the
# unlabeled highlight is on.
phase
keys + + + Space 10l Space 10j Space Enter
check "a triangle at 1x" wait_for "new instance #1"
keys l h
check "on its last corner: the next vertex snaps to a vertex of #1" wait_for "| new over snap: vertex of #1 |"
keys 3k
check "on its side: to an edge of #1" wait_for "| new over snap: edge of #1 |"
keys 1000h
check "at the image's left border: to the border" wait_for "| new over snap: image border |"
keys 3l
check "away from everything: snap alone" wait_for "| new over snap | "
keys s
check "snapping off: no word of it" wait_for "| new over | "
keys '#'
check "the unlabeled highlight is said" wait_for "% labeled, unlabeled shown |"
# Snapping to the picture's edges: E, then the cat's fur at fit zoom has an edge in reach.
keys z E
check "E turns edge snapping on, and says what it does" wait_for "snapping to the picture's edges: a vertex goes"
keys 20l 10j
check "the status line says the vertex would go onto an edge, and how far" wait_for "| new over edges: image edge "
keys Space
check "placed, it says it moved" wait_for "vertex 1 on an edge of the picture (moved "
keys Escape E
check "E again: off" wait_for "no snapping to the picture's edges"
keys q
check "quit" wait_for "EXITED 0"

done_testing
