#!/bin/sh
# screen_lock.sh: the annotator in tmux facing the locks and litter a killed session leaves: an
# empty lock file, the lock of a session killed with SIGKILL, and its temporaries. Each lock is
# taken over with a word on the status line saying whose it was; the temporaries are gone after
# the start.
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
phase=0
T="tmux -L pxllock$$-$phase"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
fresh() {
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxllock$$-$phase"
}
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"

screen() { $T capture-pane -t s -p; }
# wait_for TEXT: until the screen shows TEXT (10 s at most).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen never showed: $1"
	screen | sed 's/^/# /'
	return 1
}
start() { # start ARGS...: 200 columns, so that the whole message fits
	$T new-session -d -s s -x 200 -y 24 \
	    "TERM=xterm-256color sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' '$tmpdir/pid' $px $*; echo EXITED \$?; sleep 60"
}

# A start killed between creating the lock and writing it (pxlabel 0.4 could): 0 bytes.
: >"$d/a.pxl.lock"
touch -d '1 minute ago' "$d/a.pxl.lock"
# And what a session killed while saving leaves: a temporary of the sidecar.
echo '{"format": "pxl' >"$d/.a.pxl.json.Ab12Cd"
touch -d '5 minutes ago' "$d/.a.pxl.json.Ab12Cd"
start "$d"
check "an empty lock file a minute old is taken over, and the status line says so" \
    wait_for "took over an empty lock file ($d/a.pxl.lock"
check "the image is editable" sh -c "! $T capture-pane -t s -p | grep -q READ-ONLY"
check "the killed session's temporary is gone" test ! -e "$d/.a.pxl.json.Ab12Cd"
check "the lock now names this session" grep -q " $(cat "$tmpdir/pid") " "$d/a.pxl.lock"

# The session is killed: nothing can save or unlock.
kill -9 "$(cat "$tmpdir/pid")"
check "a session killed with SIGKILL" wait_for "EXITED 137"
check "leaves its lock" test -s "$d/a.pxl.lock"
dead=$(cat "$tmpdir/pid")
since=$(date -d "@$(sed -n 's/^since //p' "$d/a.pxl.lock")" +%H:%M)
fresh
start "$d"
check "the next start takes it over and says whose it was, since when, and that it ended" \
    wait_for "took over the lock of $(id -un)@$(hostname) (pid $dead, since $since), whose session ended"
first=$T
T="tmux -L pxllock$$-second"
start "$d"
check "a second annotator meanwhile is refused: read-only, told who" wait_for "read-only: being edited by"
$T send-keys -t s q
$T kill-server 2>/dev/null
T=$first
$T send-keys -t s q
check "the first quits" wait_for "EXITED 0"
check "and its lock is gone" test ! -e "$d/a.pxl.lock"
check "nothing else is left beside the image" test "$(ls -A "$d")" = "a.png"
done_testing
