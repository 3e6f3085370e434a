#!/bin/sh
# screen_review.sh: `pxlabel review` in a real terminal (tmux): the done images only, A
# approves, X rejects with a UTF-8 comment typed on the status line (Backspace over a
# two-byte character, Esc cancels), the verdicts in the sidecars with the reviewer's name from
# config.ini, and the annotator walking the rejects with the comment shown on opening.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
phase=0
T="tmux -u -L pxlrev$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
fresh() {
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -u -L pxlrev$$-$phase"
}
d=$tmpdir/set
mkdir -p "$d" "$tmpdir/config/pxlabel"
for i in a b c; do cp "$data/good/rgb.png" "$d/$i.png"; done
side() { # side NAME STATE
	printf '{"format": "pxlabel", "version": 1, "image": {"file": "%s.png", "width": 64, "height": 43}, "review": "%s", "classes": [], "instances": []}\n' "$1" "$2" >"$d/$1.pxl.json"
}
side a done
side b todo
side c done
printf '[review]\nname = Zo\303\253\n' >"$tmpdir/config/pxlabel/config.ini"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
wait_for() {
	wait_until shows "$1" && return 0
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
keys() { $T send-keys -t s "$@"; }
start() { # start COLS ROWS ARGS...
	cols=$1 rows=$2
	shift 2
	$T new-session -d -s s -x "$cols" -y "$rows" \
	    "LC_ALL=C.UTF-8 TERM=xterm-256color $px $*; echo EXITED \$?; sleep 60"
}
has() { grep -qF -- "$2" "$d/$1.pxl.json"; }

start 100 24 review --state done "$d"
check "review --state done starts on the first done image" wait_for "a.png 1/2"
keys Space A
check "A with an outline in progress says so and stays" wait_for "an outline in progress: Enter or Esc first"
check "on a.png" shows "a.png 1/2"
keys Escape w
check "w: a wand preview in review" wait_for "Enter: new, Esc"
keys A
check "A with a preview says so and stays" wait_for "a preview: Enter or Esc"
keys Escape A
check "A approves and opens the next done image" wait_for "c.png 2/2"
check "a.png is approved" has a '"review": "approved"'
check "by the reviewer of config.ini" has a '"reviewer": "Zoë"'
check "at a time" has a '"review_time": "20'
keys X
check "X asks why on the status line" wait_for "reject, why?"
keys -l "oops"
keys Escape
check "Esc cancels the comment" wait_for "reject cancelled"
check "and c.png is not rejected" has c '"review": "done"'
keys X
keys -l "roue mal détourée ✓é"
keys BSpace
check "the comment is typed in UTF-8, Backspace over a character" wait_for "roue mal détourée ✓_"
keys Enter
check "Enter rejects: the last image says so" wait_for "rejected; that was the last image"
check "c.png is rejected" has c '"review": "rejected"'
check "with the comment, whole characters" has c '"review_comment": "roue mal détourée ✓"'
keys q
check "review quits" wait_for "EXITED 0"
fresh

start 100 24 --state rejected "$d"
check "the annotator walks the rejects: c.png alone" wait_for "c.png 1/1"
check "and shows its comment on opening" wait_for "rejected by Zoë: roue mal détourée ✓"
keys q
check "quit" wait_for "EXITED 0"
fresh

run "$px" stats --json "$d"
check "stats counts the states" sh -c "tr -d ' \n' <'$tmpdir/out' | grep -qF '\"states\":{\"todo\":1,\"done\":0,\"rejected\":1,\"approved\":1}'"
run "$px" review --state frobbed "$d"
check "an unknown state is a usage error" test "$status" -eq 2

done_testing
