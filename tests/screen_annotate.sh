#!/bin/sh
# screen_annotate.sh: the annotator driven in a real terminal (tmux): open, zoom, pan, outline
# with the keyboard, draw behind, undo/redo, quit, hang-up; the masks on disk are checked
# against the core's own fill of the outlines the session made. Nothing waits a fixed time for
# a check: each waits (up to wait_limit, lib.sh) for the screen or the file it looks at.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
mc=${MASKCHECK:-./tests/maskcheck}
dump=${PNGDUMP:-./tests/pngdump}
data=${TESTS_DATA:-tests/data}
phase=0
T="tmux -L pxltest$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
# Each phase gets a server of its own: a server still shutting down takes no new session.
fresh() {
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxltest$$-$phase"
}
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"      # 64x43
cp "$data/good/gray8.png" "$d/b.png"
printf '[class thing]\nid = 3\ncolor = #ff0000\nkey = t\n\n[class other]\nid = 5\ncolor = #00ff00\nkey = y\n' >"$d/pxlabel.ini"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
# wait_for TEXT: until the screen shows TEXT.
wait_for() {
	wait_until shows "$1" && return 0
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
# wait_gone TEXT: until the screen no longer shows TEXT.
hidden() { ! shows "$1"; }
wait_gone() {
	wait_until hidden "$1" && return 0
	echo "# screen still shows: $1"
	return 1
}
# Keys reach pxlabel in order through the pty, so sending them needs no pause.
keys() { $T send-keys -t s "$@"; }
start() { # start COLS ROWS ARGS...
	cols=$1 rows=$2
	shift 2
	# The inner shell leaves pxlabel's pid (its own, kept through exec) for the signal tests:
	# a bare system has no pgrep.
	$T new-session -d -s s -x "$cols" -y "$rows" \
	    "TERM=xterm-256color sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' '$tmpdir/pid' $px $*; echo EXITED \$?; sleep 60"
}

# 64 columns and 23 rows with the panel hidden: the image area is 64 x 22 cells = 64 x 44
# half-block pixels, so a.png (64x43) shows at zoom 1 and the centre of cell (c, r) is the
# image point (c + 0.5, 2r + 0.5): a pixel centre, the rule's hardest case.
start 64 23 "$d"
check "the annotator starts on the first image" wait_for "a.png 1/2"
check "the status line shows zoom, class and mode" wait_for "thing | new over snap"
keys '|'
keys 100 h 100 k
check "the cursor stops at the corner at fit zoom" wait_for "(0, 0)"
keys 10 l 5 j
check "counts move the cursor by cells" wait_for "(10, 10)"
keys Space 30 l Space 10 j Space 30 h Space
keys Enter
check "closing the outline makes an instance" wait_for "new instance #1 (600 px)"
check "the sidecar is written at once" wait_until test -s "$d/a.pxl.json"
# A second instance behind the first, overlapping it: it only takes free pixels.
keys b y 100 h 100 k 30 l 5 j Space 30 l Space 10 j Space 30 h Space Enter
check "drawing behind" wait_for "new instance #2 (400 px)"
keys '+'
check "zoom in about the cursor" wait_for "| 2x |"
keys C-Right
keys '-'
check "zoom back out to fit" wait_for "| 1x |"
keys u
check "undo removes the instance drawn behind" wait_for "undone"
keys C-r
check "redo brings it back" wait_for "redone"
keys q
check "q quits" wait_for "EXITED 0"
run "$mc" -v "$d/a.png"
check "masks on disk equal the core's fill of the outlines" grep -q "^same 1000$" "$tmpdir/out"
check "the first outline's vertices are the cell centres" grep -q "instance 1 class 3 parent 0: add 10.5,10.5 40.5,10.5 40.5,30.5 10.5,30.5" "$tmpdir/out"
check "the second is class 'other', below the first" sh -c "head -n 1 '$tmpdir/out' | grep -q 'instance 2 class 5'"
run "$dump" "$d/a.instances.png" 10 10
check "a pixel centre on the left/top edge is inside" test "$(cat "$tmpdir/out")" = 1
run "$dump" "$d/a.instances.png" 40 10
check "the shared border goes to the instance on top's right neighbour" test "$(cat "$tmpdir/out")" = 2
run "$dump" "$d/a.instances.png" 35 20
check "the front instance keeps the overlap" test "$(cat "$tmpdir/out")" = 1
fresh

# Resume, next image, help, and a hang-up in the middle of an edit.
start 64 23 "$d"
check "a folder resumes at the image left last" wait_for "a.png 1/2"
keys N
check "next image" wait_for "b.png 2/2"
keys '?'
check "? shows the help" wait_for "pxlabel keys"
keys Escape
check "Esc closes it" wait_gone "pxlabel keys"
keys 5 l Space 10 l Space 8 j Space Enter
check "an instance on the second image" wait_for "new instance #1"
keys D
check "D marks the image done, and the progress counts it" wait_for "b.png 2/2 (1 done)"
# Two vertices, then Enter, which refuses to close them: once it says so, both are placed.
keys 3 l Space 5 l Space Enter
wait_for "an outline needs 3 vertices" >/dev/null
pid=$(cat "$tmpdir/pid")
kill -HUP $pid
check "SIGHUP: the process saves and ends" wait_for "EXITED 129"
run "$mc" "$d/b.png"
check "after the hang-up the sidecar loads and the masks match it" grep -q "^same " "$tmpdir/out"
fresh
start 64 23 "$d"
check "the next session resumes at b.png" wait_for "b.png 2/2"
check "and the outline being drawn at the hang-up is back" wait_for "outline you were drawing"
$T resize-window -t s -x 30 -y 8 2>/dev/null || $T resize-pane -t s -x 30 -y 8
check "a small terminal still shows the status line" wait_for "b.png"
$T resize-window -t s -x 64 -y 23 2>/dev/null || true
keys Escape q
check "quit after a resize" wait_for "EXITED 0"
fresh
# Review keeps its own place in the folder: walking it does not move where annotating resumes.
start 64 23 review "$d"
check "review starts at the first image, not where annotating left" wait_for "a.png 1/2"
keys q
wait_for "EXITED 0" >/dev/null
fresh
start 64 23 "$d"
check "and annotating the folder still resumes at b.png" wait_for "b.png 2/2"
# q over an outline in progress: said once; q again quits and the outline waits as a draft.
keys Escape Space 3 l Space q
check "q with an outline in progress says so" wait_for "an outline is in progress: Enter closes it"
keys q
check "q again quits" wait_for "EXITED 0"
fresh
start 64 23 "$d"
check "and the outline is back the next time" wait_for "the outline you were drawing when"
keys Escape q
wait_for "EXITED 0" >/dev/null
fresh

# Editing: erase, freehand, nesting, class change, raise, delete and undo.
mkdir -p "$tmpdir/edit"
cp "$data/good/rgb.png" "$tmpdir/edit/e.png"
cp "$d/pxlabel.ini" "$tmpdir/edit/"
start 64 23 "$tmpdir/edit/e.png"
check "edit phase starts" wait_for "e.png"
keys '|' 100 h 100 k
keys 10 l 2 j Space 30 l Space 15 j Space 30 h Space Enter
check "instance #1" wait_for "new instance #1 (900 px)"
keys 100 h 100 k 20 l 5 j Space 10 l Space 5 j Space 10 h Space Enter
check "instance #2 over it" wait_for "new instance #2 (100 px)"
# Snapping off for the cut: its corners are within snapping distance of #2's.
keys e s 100 h 100 k 22 l 6 j Space 2 l Space 2 j Space 2 h Space Enter
check "the eraser cuts from the selected instance" wait_for "cut from #2 (92 px)"
keys s
keys n 100 h 100 k 50 l 18 j f 8 l 2 j 8 h f Enter
check "freehand makes instance #3" wait_for "new instance #3"
keys x
check "delete the selected instance" wait_for "deleted #3"
keys u
check "undo brings it back" wait_for "undone"
keys 100 h 100 k 21 l 6 j g
keys 100 h 100 k 12 l 3 j p
check "the selected instance becomes part of the one under the cursor" wait_for "#2 is now part of #1"
keys Tab m
keys 100 h 100 k 12 l 3 j g R
keys q
check "edit phase quits" wait_for "EXITED 0"
run "$mc" -v "$tmpdir/edit/e.png"
check "masks match after all those edits" grep -q "^same " "$tmpdir/out"
check "#2 is class 'other', part of #1, with a cut" grep -q "instance 2 class 5 parent 1: add .* cut " "$tmpdir/out"
check "#3 came back with its freehand outline" grep -q "instance 3 class 3 parent 0: add" "$tmpdir/out"
check "#1 was lowered to the bottom" sh -c "head -n 1 '$tmpdir/out' | grep -q 'instance 1 '"
fresh

# The mouse (xterm's SGR reports, as tmux passes them on): clicks place vertices, the right
# button closes, the wheel zooms about the pointer.
mkdir -p "$tmpdir/mouse"
cp "$data/good/rgb.png" "$tmpdir/mouse/m.png"
start 64 23 "$tmpdir/mouse/m.png"
check "mouse phase starts" wait_for "m.png"
keys '|'
click() { $T send-keys -t s -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"; }
click 11 3
click 31 3
click 31 8
$T send-keys -t s -l "$(printf '\033[<2;20;12M\033[<2;20;12m')"
check "three clicks and a right click make an instance" wait_for "new instance #1"
$T send-keys -t s -l "$(printf '\033[<64;30;8M')"
check "the wheel zooms in" wait_for "| 2x |"
keys q
check "mouse phase quits" wait_for "EXITED 0"
run "$mc" -v "$tmpdir/mouse/m.png"
check "the clicked cells are the vertices" grep -q "add 10.5,4.5 30.5,4.5 30.5,14.5" "$tmpdir/out"
fresh

# Two annotators on one image: the second is told who has it and cannot overwrite the work.
mkdir -p "$tmpdir/two"
cp "$data/good/rgb.png" "$tmpdir/two/t.png"
start 64 23 "$tmpdir/two/t.png"
check "the first annotator has the image" wait_for "t.png 1/1 | "
check "its lock is beside the image" test -s "$tmpdir/two/t.pxl.lock"
first=$T
T="tmux -L pxltest$$-second"
start 100 23 "$tmpdir/two/t.png"
check "the second opens it read-only and is told by whom" wait_for "READ-ONLY | read-only: being edited by"
keys q
check "the second quits" wait_for "EXITED 0"
$T kill-server 2>/dev/null
T=$first
keys '|' 100 h 100 k 10 l 2 j Space 10 l Space 5 j Space Enter
check "the first can still edit" wait_for "new instance #1"
keys q
check "the first quits" wait_for "EXITED 0"
check "and its lock is gone" test ! -e "$tmpdir/two/t.pxl.lock"
fresh

# Undo survives leaving the image and coming back.
mkdir -p "$tmpdir/undo"
cp "$data/good/rgb.png" "$tmpdir/undo/a.png"
cp "$data/good/gray8.png" "$tmpdir/undo/b.png"
start 64 23 "$tmpdir/undo"
check "undo phase starts" wait_for "a.png 1/2"
keys '|' 100 h 100 k 10 l 2 j Space 10 l Space 5 j Space Enter
check "an instance on a.png" wait_for "new instance #1"
keys N
check "on to b.png" wait_for "b.png 2/2"
keys B
check "back to a.png" wait_for "a.png 1/2"
keys u
check "u still undoes the instance drawn before leaving" wait_for "undone"
keys q
check "undo phase quits" wait_for "EXITED 0"
run "$mc" -v "$tmpdir/undo/a.png"
check "and the undo reached the disk" sh -c "! grep -q '^instance' '$tmpdir/out'"
fresh

# Zoom steps are powers of two, and an outline that holds no pixel adds nothing.
start 64 23 "$tmpdir/two/t.png"
check "zoom phase starts" wait_for "t.png 1/1 | "
keys '|' + + + +
check "four steps from fit: 16x" wait_for "| 16x |"
keys - -
check "two back: 4x" wait_for "| 4x |"
keys z
check "z fits again" wait_for "| 1x |"
keys 100 h 100 k 5 l 5 j Space l Space j Space Enter
keys z
keys + + + 5 l Space l Space l Space Enter
check "an outline between pixel centres adds nothing" wait_for "holds no pixel centre"
keys q
check "zoom phase quits" wait_for "EXITED 0"
fresh

# An image that cannot be opened does not stop the session.
mkdir -p "$tmpdir/bad"
cp "$data/bad/huge-dimensions.png" "$tmpdir/bad/a.png"
cp "$data/good/rgb.png" "$tmpdir/bad/b.png"
start 64 23 "$tmpdir/bad"
check "a hostile image: its error where the image would be" wait_for "a.png: image is 60000x60000"
keys Space Enter g x + l
check "editing keys do nothing there, no crash" wait_for "could not be opened"
keys N
check "and the next image opens" wait_for "b.png 2/2"
keys q
check "quit" wait_for "EXITED 0"
fresh

# A broken sidecar opens read-only and is never overwritten.
printf '{"format": "pxlabel", "version": 1, broken' >"$d/a.pxl.json"
cp "$d/a.pxl.json" "$tmpdir/broken.json"
start 64 23 "$d/a.png"
check "a broken sidecar opens read-only" wait_for "READ-ONLY"
keys Space 5 l Space 5 j Space Enter
keys q
check "quit" wait_for "EXITED 0"
check "the broken sidecar is untouched" cmp -s "$d/a.pxl.json" "$tmpdir/broken.json"
fresh

done_testing
