#!/bin/sh
# screen_assist.sh: the assist tools' keys in a real terminal (tmux), on a test image of a flat
# disc: the wand's preview (w) with its tolerance live (; and :), Esc dropping it and Enter
# taking it as a new instance of exactly the disc's pixels; the jump to the next unlabeled
# region (G); superpixels (S computes them beside the loop and caches them in the state
# folder, i picks one into the preview, I changes their size); edge-following outlines (F);
# the model command (A) from --assist-command and from config.ini, never from the data set's
# pxlabel.ini, its result taken with Enter, a hanging one stopped with Esc with its child;
# and in review, A approving while M reaches the model. Each check waits for what it looks at.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "1..0 # SKIP /usr/bin/python3 is needed for the stand-in model"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
mc=${MASKCHECK:-./tests/maskcheck}
standin=$(cd "${top_srcdir:-.}/tests" && pwd)/model_standin.py
phase=0
T="tmux -L pxlassist$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"
d=$tmpdir/discs
mkdir -p "$d" "$tmpdir/config/pxlabel"
disc=$(/usr/bin/python3 "$standin" disc "$d/disc.png" 120 80)
# The data set's own file names a command: it must never run.
printf '[class disc]\nid = 1\n\n[assist]\ncommand = touch %s/pwned\n' "$tmpdir" >"$d/pxlabel.ini"

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
wait_for() {
	wait_until shows "$1" && return 0
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
line_is() { screen | tail -n 1 | grep -qE -- "$1"; }
wait_line() {
	wait_until line_is "$1" && return 0
	echo "# status line never matched: $1"
	screen | tail -n 1 | sed 's/^/# /'
	return 1
}
keys() { $T send-keys -t s "$@"; }
start() { # start ARGS...: the annotator with these arguments
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxlassist$$-$phase"
	args=""
	for a in "$@"; do args="$args '$a'"; done
	$T new-session -d -s s -x 120 -y 40 "TERM=xterm-256color $px $args; echo EXITED \$?; sleep 60"
}

start "$d/disc.png"
check "starts on the disc's middle" wait_for "| (60, 40) | disc |"
keys w
check "w: the wand's preview is the disc ($disc px), with its tolerance" wait_for "wand $disc px, tolerance 24 (;/:), Enter: new, Esc"
keys : :
check ": raises the tolerance live" wait_for "wand $disc px, tolerance 32"
keys Escape
check "Esc drops the preview" wait_for "| dropped"
keys w Enter
check "w Enter: a new instance of exactly the disc" wait_for "new instance #1 ($disc px)"
keys G
check "G: the unlabeled region around it, with its size" wait_for "unlabeled region 1 of 1: $((120 * 80 - disc)) px, 120x80"
keys A
check "A with no model command says where one comes from" wait_for "no model command: [assist] command in config.ini"
keys F
check "F: edge-following outlines" wait_for "following edges"
keys F S
check "S: superpixels computed beside the loop" wait_line "\\| [0-9]+ superpixels? of about 1600 px\$"
cached() { ls "$tmpdir"/state/pxlabel/superpixels/*.slic >/dev/null 2>&1; }
check "and cached in the state folder" wait_until cached
keys i
check "i: the superpixel under the cursor into the preview" wait_for "(i picks), Enter: new, Esc"
# With the boundaries hidden, I computes nothing: its message stays to be read.
keys Escape
check "Esc drops it" wait_for "| dropped"
keys S I
check "I: another size" wait_for "superpixels of about 3600 px"
keys q
check "quit" wait_for "EXITED 0"
run "$mc" "$d/disc.png"
check "the masks on disk hold the disc" grep -q "same $disc" "$tmpdir/out"
check "the data set's pxlabel.ini command never ran" test ! -e "$tmpdir/pwned"

# Edge-following outlines close along the edge too: four vertices on the disc's rim (top,
# right, bottom, left), then Enter. A straight closing side would cut off the disc's upper
# left quarter arc (some 110 px); along the edge the instance is the disc within a rim's pixels.
mkdir -p "$tmpdir/rim"
cp "$d/disc.png" "$d/pxlabel.ini" "$tmpdir/rim/"
start "$tmpdir/rim/disc.png"
check "a second start on the disc" wait_for "| (60, 40) | disc |"
keys F 8 k Space 8 j 1 5 l Space 8 j 1 5 h Space 8 k 1 5 h Space
check "four vertices along the rim with F" wait_for "| (40, 40) | disc |"
keys Enter
rim_px() { px_now=$(screen | tail -n 1 | sed -n 's/.*new instance #1 (\([0-9]*\) px).*/\1/p'); [ -n "$px_now" ]; }
wait_until rim_px
check "Enter closes along the edge: $px_now px of the disc's $disc" sh -c "[ '${px_now:-0}' -ge $((disc - 30)) ] && [ '${px_now:-0}' -le $((disc + 30)) ]"
keys q
check "quit" wait_for "EXITED 0"

# The model command from the command line: a ring around the point.
rm -f "$d"/disc.pxl.json "$d"/disc.labels.png "$d"/disc.instances.png
start --assist-command "/usr/bin/python3 '$standin' ring" "$d/disc.png"
check "model: starts" wait_for "| (60, 40) | disc |"
keys A
check "A: the model's mask as a preview" wait_for "px, 1 point (A, M/Z adds), Enter: new, Esc"
keys 3k Z
check "Z: an exclude point, run again" wait_for "points (A, M/Z adds)"
keys Enter
check "Enter takes it" wait_for "new instance #1 ("
keys q
check "quit" wait_for "EXITED 0"

# From config.ini: a command that hangs; Esc stops it and its child.
printf '[assist]\ncommand = /usr/bin/python3 "%s" hang "%s/pid"\n' "$standin" "$tmpdir" >"$tmpdir/config/pxlabel/config.ini"
start "$d/disc.png"
check "hang: starts" wait_for "| (60, 40) | disc |"
keys A
check "A runs config.ini's command" wait_for "model running"
check "its child started" wait_until test -s "$tmpdir/pid"
keys Escape
check "Esc stops it" wait_for "model stopped"
child_gone() { ! kill -0 "$(cat "$tmpdir/pid")" 2>/dev/null || grep -q '^[0-9]* ([^)]*) Z' "/proc/$(cat "$tmpdir/pid")/stat" 2>/dev/null; }
check "and its child is gone" wait_until child_gone
keys q
check "quit" wait_for "EXITED 0"

# Review: A approves; M reaches the model.
printf '[assist]\ncommand = /usr/bin/python3 "%s" ring\n' "$standin" >"$tmpdir/config/pxlabel/config.ini"
cp "$d/disc.png" "$d/disc2.png"
start review "$d"
check "review: starts" wait_for "disc.png 1/2"
keys M
check "M runs the model in review (A is the reviewer's there)" wait_for "px, 1 point (M/Z adds)"
keys Escape A
check "A approves" wait_for "approved the previous image"
keys q
check "quit" wait_for "EXITED 0"
done_testing
