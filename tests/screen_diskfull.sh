#!/bin/sh
# screen_diskfull.sh: the annotator (in tmux) on a small tmpfs that fills up after an outline is
# saved, so that the masks cannot follow it (issue 15). The status line says MASKS NOT WRITTEN;
# q exits 1 with the failed mask named on stderr; the edit is in the sidecar; both masks on disk
# are still the old pair, byte for byte, so they agree with each other; nothing temporary is
# left. A later start with room rebuilds them and says so. The test runs in a mount namespace
# of its own (unshare -m, or -rm without root), as tests/cli_litter.sh does, and is skipped
# where none can be had.
if [ -z "$PXL_DISKFULL_NS" ]; then
	command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
	command -v unshare >/dev/null 2>&1 || { echo "1..0 # SKIP unshare is not installed"; exit 77; }
	probe=$(mktemp -d "${TMPDIR:-/tmp}/pxl-ns-XXXXXX")
	for opt in -rm -m; do
		if unshare $opt sh -c "mount -t tmpfs -o size=256k tmpfs '$probe' 2>/dev/null" 2>/dev/null; then
			rmdir "$probe"
			PXL_DISKFULL_NS=1 unshare $opt sh "$0"
			exit $?
		fi
	done
	rmdir "$probe"
	echo "1..0 # SKIP no mount namespace for a small tmpfs (unshare -m)"
	exit 77
fi

# In the namespace: the tmpfs, and a tmux server of our own there.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
mc=${MASKCHECK:-./tests/maskcheck}
data=${TESTS_DATA:-tests/data}
phase=0
T="tmux -L pxlfull$$-$phase"
m=$tmpdir/full
mkdir -p "$m" "$tmpdir/old"
trap '$T kill-server 2>/dev/null; umount "$m" 2>/dev/null; rm -rf "$tmpdir"' EXIT
mount -t tmpfs -o size=256k tmpfs "$m" || { echo "1..0 # SKIP cannot mount a tmpfs in the namespace"; exit 77; }
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
start() { # each start a server of its own: one still shutting down takes no new session
	$T kill-server 2>/dev/null
	phase=$((phase + 1))
	T="tmux -L pxlfull$$-$phase"
	$T new-session -d -s s -x 200 -y 24 \
	    "TERM=xterm-256color '$px' --display blocks '$m/a.png' 2>'$tmpdir/err'; echo EXITED \$?; sleep 600"
}
temporaries() { ls -A "$m" | grep -E '^\..*\.[A-Za-z0-9]{6}$'; }

# One square, its masks written by pxlabel mask: the old pair.
cp "$data/good/rgb.png" "$m/a.png" # 64x43
cat >"$m/a.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "a.png", "width": 64, "height": 43},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[2,2],[20,2],[20,20],[2,20]]]}]}]}
JSON
"$px" mask --quiet "$m/a.png"
cp "$m/a.labels.png" "$m/a.instances.png" "$tmpdir/old/"
start
check "the annotator opens the image" wait_for "a.png 1/1 | "
# The disk fills up, all but one page: room for the sidecar's temporary (it frees the old one's
# page when it replaces it), not for the two masks' at once.
dd if=/dev/zero of="$m/fill" bs=4096 2>/dev/null
truncate -s -4096 "$m/fill"
keys Space 6 l Space 4 j Space 6 h Space Enter
check "an outline is made, and saved" wait_for "new instance #2 ("
run "$mc" -v "$m/a.png"
check "the sidecar holds it" test "$(grep -c '^instance ' "$tmpdir/out")" -eq 2
check "1.5 s later the masks cannot follow: the status line says so" \
    wait_for "MASKS NOT WRITTEN: $m/a.instances.png: write failed: No space left on device"
keys q
check "q exits 1" wait_for "EXITED 1"
check "naming the mask and the cause on stderr" \
    grep -qF "pxlabel: $m/a.png: masks not written (the next start rebuilds them): $m/a.instances.png: write failed: No space left on device" "$tmpdir/err"
check "both masks are the old ones, byte for byte: they agree with each other" \
    sh -c "cmp -s '$m/a.labels.png' '$tmpdir/old/a.labels.png' && cmp -s '$m/a.instances.png' '$tmpdir/old/a.instances.png'"
run "$mc" "$m/a.png"
check "and lag the sidecar, which kept the edit" grep -q "^differ$" "$tmpdir/out"
check "no temporary is left" test -z "$(temporaries)"
check "nor the lock" test ! -e "$m/a.pxl.lock"

rm "$m/fill"
start
check "with room again, the next start rebuilds the masks and says so" \
    wait_for "masks rebuilt: a.labels.png: older than a.pxl.json"
run "$mc" "$m/a.png"
check "the masks are the sidecar's now" grep -q "^same " "$tmpdir/out"
keys q
check "q exits 0" wait_for "EXITED 0"
check "with nothing on stderr" test ! -s "$tmpdir/err"
done_testing
