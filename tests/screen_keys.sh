#!/bin/sh
# screen_keys.sh: the keys and reports a new user tripped on (issue 16), in a real terminal
# (tmux): class keys on digits (key = 1 in pxlabel.ini picks that class on 1, and a count then
# starts with '), the count and the class prompt shown at the status line's end without hiding
# it, the panel's class names, the help scrolled by pages and to its ends, and the slivers an
# outline drawn behind leaves (said, counted, and v goes to them). Each check waits for what it
# looks at.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
mc=${MASKCHECK:-./tests/maskcheck}
photo=${top_srcdir:-.}/data/chelsea.png
phase=0
T="tmux -L pxlkeys$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"
d=$tmpdir/coffee
mkdir -p "$d" "$tmpdir/letters"
cp "$photo" "$d/c.png"
cp "$photo" "$tmpdir/letters/c.png"
printf '[class cup]\nid = 1\nkey = 1\n\n[class saucer]\nid = 2\nkey = 2\n\n[class spoon]\nid = 3\nkey = 3\n\n[class table]\nid = 4\nkey = 4\n' >"$d/pxlabel.ini"

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
wait_for() {
	wait_until shows "$1" && return 0
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
# wait_line REGEX: until the status line (the last) matches the extended REGEX.
line_is() { screen | tail -n 1 | grep -qE -- "$1"; }
wait_line() {
	wait_until line_is "$1" && return 0
	echo "# status line never matched: $1"
	screen | tail -n 1 | sed 's/^/# /'
	return 1
}
hidden() { ! shows "$1"; }
wait_gone() {
	wait_until hidden "$1" && return 0
	echo "# screen still shows: $1"
	return 1
}
keys() { $T send-keys -t s "$@"; }
tcursor() { $T display-message -p -t s '#{cursor_x},#{cursor_y}'; }
start() { # start IMAGE
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxlkeys$$-$phase"
	$T new-session -d -s s -x 120 -y 40 "TERM=xterm-256color $px '$1'; echo EXITED \$?; sleep 60"
}

# Classes on 1-4, as the README shows them: 3 picks spoon; + after it is one zoom step.
start "$d/c.png"
check "starts on the first class, cup" wait_for "| 0.202x | (225, 150) | cup |"
# tmux takes an APC as the pane's title: the kitty query must not be asked in tmux.
check "the pane's title is not the kitty query (not asked in tmux)" sh -c "! $T display -p -t s '#{pane_title}' | grep -q 'a=q'"
keys 3 +
check "3 picks spoon, and + zooms one step" wait_for "| 0.25x | (225, 150) | spoon |"
keys "'" 2
check "' starts a count, shown at the status line's end" wait_line "spoon \\| new over snap \\| 0% labeled \\| blocks \\(in tmux\\) +count 2$"
keys +
check "'2+ zooms two steps" wait_for "| 1x | (225, 150) | spoon |"
keys 7
check "a digit no class has says how counts go" wait_for "no class has the key 7"
keys 1 "'" 10l "'" 10j Space "'" 20l Space "'" 20j Space "'" 20h Space Enter
check "1 then an outline: a cup" wait_for "new instance #1"
keys c
check "the class prompt sits at the status line's end, and the line stays" \
    wait_line "^ c.png 1/1 \\| 1x \\| .* \\| cup \\| new over snap[^|]* \\| .* +class\\? \\(its key, Esc\\)$"
keys 4
check "c 4 picks table" wait_for "| table |"
keys q
check "quit" wait_for "EXITED 0"
run "$mc" -v "$d/c.png"
check "the outline drawn after 1 is class 1 (cup), drawn where the counts said" \
    grep -q "instance 1 class 1 parent 0: add 235.5,170 255.5,170 255.5,210 235.5,210" "$tmpdir/out" ||
    sed 's/^/# /' "$tmpdir/out"

# Classes with letter keys: digits alone are counts, as before.
printf '[class thing]\nid = 3\nkey = t\n' >"$tmpdir/letters/pxlabel.ini"
start "$tmpdir/letters/c.png"
check "letters: starts" wait_for "| 0.202x | (225, 150) | thing |"
keys 3 +
check "3+ zooms three steps" wait_for "| 1x | (225, 150) | thing |"
keys "'" 2 -
check "and ' counts there too" wait_for "| 0.25x | (225, 150) | thing |"
keys q
check "quit" wait_for "EXITED 0"

# The panel shows whole class names, or cuts them with an ellipsis; the help scrolls by pages
# and to its ends.
mkdir -p "$tmpdir/names"
cp "$photo" "$tmpdir/names/c.png"
printf '[class background]\nid = 1\n\n[class a rather long class name here]\nid = 2\n' >"$tmpdir/names/pxlabel.ini"
start "$tmpdir/names/c.png"
check "names: starts" wait_for "| 0.202x | (225, 150) | background |"
check "a long class name is cut with an ellipsis in the panel" wait_for "a rather long class n…"
keys Space 5l Space 5j Space Enter
check "an instance of background" wait_for "new instance #1"
check "its name is whole in the instance list" wait_for ">#1    background     600px"
keys '?'
check "the help opens at its top" wait_for "cursor left (a count repeats"
keys G
check "G goes to its end" wait_for "mouse: click = vertex"
check "the top has scrolled away" wait_gone "cursor left (a count repeats"
keys g
check "g back to the top" wait_for "cursor left (a count repeats"
keys Space
check "Space pages down" wait_gone "cursor left (a count repeats"
keys PPage
check "PgUp pages up" wait_for "cursor left (a count repeats"
keys NPage
check "PgDn pages down" wait_gone "cursor left (a count repeats"
keys Escape D
check "D marks it done" wait_for "review: done"
keys 10l Space 5l Space 5j Space Enter
check "an edit after it says so" wait_for "); this image was done: its review is now changed"
keys q
check "quit" wait_for "EXITED 0"

# Slivers: drawn behind, a background fills a hole cut in an object; the edit says it left a
# small stray part, and v goes to it. At 1x, from the centre (225.5, 150).
mkdir -p "$tmpdir/sliv"
cp "$photo" "$tmpdir/sliv/c.png"
start "$tmpdir/sliv/c.png"
check "slivers: starts" wait_for "| 0.202x | (225, 150) |"
keys + + + Space 20l Space 10j Space 20h Space Enter
check "an object at 1x" wait_for "new instance #1 (400 px)"
keys s e 5l 8k Space 2l Space j Space 2h Space Enter
check "a hole of 4 pixels cut in it" wait_for "cut from #1 (396 px)"
keys n b 1000h 1000k Space 1000l Space 1000j Space 1000h Space Enter
check "the background drawn behind: the edit says it left a stray part" \
    wait_for "; 1 new part under 20 px in #2: v goes to them"
keys '#'
check "the status line keeps the count" wait_for "% labeled, unlabeled shown, 1 sliver (v) |"
keys v
check "v goes to it, and says which" wait_for "part 1 of 1 under 20 px: #2, 4 px at (230, 154)"
keys '#'
check "the cursor is on it" wait_for "| 1x | (230, 154) |"
keys q
check "quit" wait_for "EXITED 0"

done_testing
