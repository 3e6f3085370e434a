#!/bin/sh
# long_kill.sh: the kill test (issue 15). A scripted annotator session in tmux (blocks mode), on a
# folder of two images, is killed with SIGKILL PXL_KILLS times (default 200; make check runs 15,
# make check-long 200) at random moments of three kinds, in turn: every fourth kill within
# ~15 ms of an Enter (while the new outline's sidecar is being written), every fourth around the
# idle moment the masks follow it, the other half anywhere in a burst of keys that draws
# outlines, marks the image done and moves between the images. After each kill, and in the start that follows it:
#  - every sidecar loads (pxlabel stats --json exits 0);
#  - no confirmed edit is lost: an image has at least the instances whose "new instance #K" the
#    screen showed, and the two have no more than were drawn;
#  - the next start takes over the killed session's lock and says so on the status line ("took
#    over the lock of USER@HOST (pid P, since ...)"), and the image is editable;
#  - no temporaries (.NAME.XXXXXX) remain after that start. A start removes only those over a
#    minute old (doc/locking.md: a younger one may have a live writer), so the test first ages
#    what the kill left, as if the annotator came back a few minutes later;
#  - the masks match the sidecar once the image is opened again (tests/maskcheck); the other
#    image's when the session moves there, and both at the end.
# PXL_KILL_SEED=N repeats a run (the seed is printed). Each kill is one TAP line; a summary of
# where the kills fell ends the output.
#
# bash, for two builtins: forking a process takes 50 ms on a loaded machine, too coarse to kill
# within 15 ms of a key, while read -t on a FIFO nobody writes waits to the millisecond and
# $EPOCHREALTIME tells the time.
if [ -z "$BASH_VERSION" ]; then
	command -v bash >/dev/null 2>&1 || { echo "1..0 # SKIP bash is not installed"; exit 77; }
	exec bash "$0" "$@"
fi
[ -n "$EPOCHREALTIME" ] || { echo "1..0 # SKIP bash is older than 5.0 (no EPOCHREALTIME)"; exit 77; }
. "${top_srcdir:-.}/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
px=${PXLABEL:-./src/pxlabel}
mc=${MASKCHECK:-./tests/maskcheck}
data=${TESTS_DATA:-tests/data}
kills=${PXL_KILLS:-200}
seed=${PXL_KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')}
seed=$((seed % 2147483648))
seed0=$seed
T="tmux -L pxlkill$$"
trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
d=$tmpdir/set
mkdir -p "$d"
cp "$data/../../data/chelsea.png" "$d/a.png" # 451x300
cp "$data/../../data/chelsea.png" "$d/b.png"
# Two classes: Tab between them shows on the status line, a sign that earlier keys were read.
printf '[class thing]\nid = 3\ncolor = #ff0000\nkey = t\n\n[class other]\nid = 5\ncolor = #00ff00\nkey = y\n' >"$d/pxlabel.ini"
mkfifo "$tmpdir/never"
exec 9<>"$tmpdir/never"
export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"
who="$(id -un)@$(hostname)"
echo "# $kills kills, PXL_KILL_SEED=$seed"

# rnd N: r becomes a number in [0, N), from the seeded generator (sh has no $RANDOM).
rnd() {
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	r=$(((seed / 65536) % $1))
}
sleep_ms() {
	local t
	printf -v t '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
	read -r -t "$t" -u 9
	return 0
}

screen() { $T capture-pane -t s -p; }
shows() { screen | grep -qF -- "$1"; }
status() { screen | tail -n 1; }
keys() { $T send-keys -t s "$@"; }
# A problem found for the kill being checked: told under its TAP line.
problems=
problem() {
	problems="$problems
# $*"
}
# The pid in the first line of IMAGE's lock ("" when there is no lock).
lock_pid() {
	[ -e "$d/$1.pxl.lock" ] || return 0
	sed -n '1s/^[^ ]* \([0-9][0-9]*\) .*/\1/p' "$d/$1.pxl.lock"
}
# The instances of each image's sidecar, from stats --json: "a.png 3".
counts() {
	awk '/"image": / { n = split($2, p, "/"); img = p[n]; sub(/",?$/, "", img); next }
	    img != "" && /"instances": / { v = $2; sub(/,$/, "", v); print img, v; img = "" }' "$tmpdir/stats"
}
temporaries() { ls -A "$d" | grep -E '^\..*\.[A-Za-z0-9]{6}$'; }
# Exactly the files a data set should hold, besides the images: no lock, no temporary, no guard.
extras() { ls -A "$d" | grep -v -E '^([ab]\.(png|pxl\.json|labels\.png|instances\.png)|pxlabel\.ini)$'; }

$T new-session -d -s keep 'sleep 100000' # keeps the server between the annotator's sessions
cur=
# Which image the annotator shows, from the status line.
opened() {
	case $(status) in
	" a.png 1/2"* | " * a.png 1/2"*) cur=a ;;
	" b.png 2/2"* | " * b.png 2/2"*) cur=b ;;
	*) return 1 ;;
	esac
}
opened_as() { opened && [ "$cur" = "$1" ]; }
start() {
	rm -f "$tmpdir/pid"
	$T kill-session -t s 2>/dev/null
	$T new-session -d -s s -x 200 -y 30 \
	    "TERM=xterm-256color sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' '$tmpdir/pid' '$px' --display blocks '$d' 2>'$tmpdir/stderr'; echo EXITED \$?; sleep 600"
	if ! wait_until test -s "$tmpdir/pid" || ! wait_until opened; then
		problem "the annotator did not start: $(status) $(cat "$tmpdir/stderr")"
		return 1
	fi
	pid=$(cat "$tmpdir/pid")
	cx=0 cy=0 cls=thing
}

# verify_open IMAGE HELD: IMAGE was just opened (a start, or N/B) while a lock of pid HELD (or
# none: "") was left on it. The takeover is told exactly then; the image is editable; its masks
# are the sidecar's.
takeovers=0
verify_open() {
	if [ -n "$2" ]; then
		if wait_until shows "took over the lock of $who (pid $2, since "; then
			takeovers=$((takeovers + 1))
		else
			problem "$1.png: the lock of pid $2 was left, and no takeover is told: $(status)"
		fi
	elif shows "took over"; then
		problem "$1.png: a takeover is told, but no lock was left: $(status)"
	fi
	case $(status) in *READ-ONLY*) problem "$1.png opened read-only: $(status)" ;; esac
	if [ -e "$d/$1.pxl.json" ] && ! "$mc" "$d/$1.png" >"$tmpdir/mc" 2>&1; then
		problem "$1.png: the masks are not the sidecar's once it is opened: $(cat "$tmpdir/mc")"
	fi
}

# What the screen confirmed per image, and Enters sent whose confirmation was not seen.
conf_a=0 conf_b=0 pending=0
conf() { eval "echo \$conf_$1"; }
# The cursor, in cells from the image's centre, where each open puts it: (cx, cy). The image
# is 87 x 29 cells at its fit zoom of 0.19 (a cell 5 pixels wide, 10 high).
# move_keys X Y: the keys from the cursor to (X, Y), in mkeys.
move_keys() {
	mkeys=
	[ "$1" -gt "$cx" ] && mkeys="$mkeys $(($1 - cx)) l"
	[ "$1" -lt "$cx" ] && mkeys="$mkeys $((cx - $1)) h"
	[ "$2" -gt "$cy" ] && mkeys="$mkeys $(($2 - cy)) j"
	[ "$2" -lt "$cy" ] && mkeys="$mkeys $((cy - $2)) k"
	cx=$1 cy=$2
}
# A rectangle of 3-12 x 2-7 cells (15 x 20 pixels at least), all inside the image, in okeys.
outline_keys() {
	rnd 60
	x=$((r - 35))
	rnd 17
	y=$((r - 12))
	rnd 10
	w=$((r + 3))
	rnd 6
	h=$((r + 2))
	move_keys $x $y
	okeys="$mkeys Space $w l Space $h j Space $w h Space"
	cy=$((y + h))
}
# Tab to the other class, and wait until the status line shows it: every key sent before has
# been read then.
sync_keys() {
	if [ "$cls" = thing ]; then cls=other; else cls=thing; fi
	keys Tab
	wait_until shows "| $cls | new over |" || problem "the status line never showed class $cls: $(status)"
}
# An outline closed with Enter, waiting until the screen says it is an instance.
draw_confirmed() {
	outline_keys
	id=$(($(conf $cur) + 1))
	# shellcheck disable=SC2086
	keys $okeys Enter
	if wait_until shows "new instance #$id ("; then
		eval "conf_$cur=$id"
	else
		problem "no \"new instance #$id\" after an outline on $cur.png: $(status)"
		pending=$((pending + 1))
	fi
}
# N or B to the other image, checked as a start is; the image left keeps no lock and has its
# masks written.
switch_confirmed() {
	from=$cur
	if [ "$cur" = a ]; then to=b key=N; else to=a key=B; fi
	held=$(lock_pid $to)
	keys $key
	if ! wait_until opened_as $to; then
		problem "$key did not open $to.png: $(status)"
		return
	fi
	cx=0 cy=0
	verify_open $to "$held"
	[ -e "$d/$from.pxl.lock" ] && problem "$from.png was left, its lock stayed"
	if [ -e "$d/$from.pxl.json" ] && ! "$mc" "$d/$from.png" >"$tmpdir/mc" 2>&1; then
		problem "$from.png was left, its masks are not the sidecar's: $(cat "$tmpdir/mc")"
	fi
}

# wait_save IMAGE: until the annotator begins to write IMAGE's sidecar (its temporary appears):
# the moment an Enter is acted on, seen to a fraction of a millisecond, since a glob is a
# builtin and a loop of them forks nothing. Returns 1 when the write was over between two looks
# (the sidecar is newer than $tmpdir/ref, made before the Enter), or nothing came in 3 s.
wait_save() {
	local end=$((${EPOCHREALTIME/./} + 3000000)) f
	shopt -s nullglob
	while [ "${EPOCHREALTIME/./}" -lt $end ] && ! [ "$d/$1.pxl.json" -nt "$tmpdir/ref" ]; do
		for f in "$d"/."$1".pxl.json.??????; do
			shopt -u nullglob
			return 0
		done
	done
	shopt -u nullglob
	return 1
}

# The kill, and what must hold right after it.
kind_a=0 kind_c=0 kind_b=0 a_saved=0 a_lost=0 a_seen=0 stale_after=0 temps_after=0 ntemps=0
locks_after=0 guards=0
kill_now() {
	kill -9 "$pid" 2>/dev/null
	if ! wait_until shows "EXITED "; then
		problem "the annotator did not end"
		return
	fi
	st=$(screen | sed -n 's/.*EXITED \([0-9]*\).*/\1/p' | tail -n 1)
	[ "$st" = 137 ] || problem "the annotator ended with status $st before the kill: $(cat "$tmpdir/stderr")"
}
after_kill() {
	"$px" stats --json "$d" >"$tmpdir/stats" 2>"$tmpdir/stats.err" ||
	    problem "a sidecar does not load: $(cat "$tmpdir/stats.err")"
	grep -q "out of date" "$tmpdir/stats.err" && stale_after=$((stale_after + 1))
	na=$(counts | sed -n 's/^a\.png //p')
	nb=$(counts | sed -n 's/^b\.png //p')
	na=${na:-0} nb=${nb:-0}
	[ "$na" -ge "$conf_a" ] || problem "a.png: $na instances on disk, $conf_a were confirmed on the screen"
	[ "$nb" -ge "$conf_b" ] || problem "b.png: $nb instances on disk, $conf_b were confirmed on the screen"
	[ $((na + nb)) -le $((conf_a + conf_b + pending)) ] ||
	    problem "$((na + nb)) instances on disk, only $((conf_a + conf_b + pending)) were drawn"
	saved=$((na + nb - conf_a - conf_b))
	conf_a=$na conf_b=$nb pending=0
	[ -n "$(lock_pid a)$(lock_pid b)" ] && locks_after=$((locks_after + 1))
	ls -A "$d" | grep -q '\.takeover\.' && guards=$((guards + 1))
	left=$(temporaries)
	if [ -n "$left" ]; then
		temps_after=$((temps_after + 1))
		for f in $left; do
			ntemps=$((ntemps + 1))
			touch -d '2 minutes ago' "$d/$f"
		done
	fi
}

# One round: the start after the last kill (checked), a few confirmed steps, then the kill.
k=0
what=
report() { # the TAP line of kill k, once the start after it has been checked
	n=$((n + 1))
	if [ -z "$problems" ]; then
		echo "ok $n - kill $k ($what): sidecars load, no confirmed edit lost, takeover told, no temporaries, masks match"
	else
		echo "not ok $n - kill $k ($what)$problems"
		failed=$((failed + 1))
	fi
	problems=
}
t_begin=$(date +%s)
while :; do
	# The image this start opens: the one the last session was on (the resume point).
	start_held_a=$(lock_pid a) start_held_b=$(lock_pid b)
	if start; then
		eval "held=\$start_held_$cur"
		[ $k -eq 0 ] || verify_open $cur "$held"
		left=$(temporaries)
		[ -z "$left" ] || problem "temporaries left after the start: $left"
	fi
	[ $k -eq 0 ] || report
	[ $k -lt "$kills" ] || break
	k=$((k + 1))
	# Snapping off, so that every outline holds its rectangle.
	keys s
	wait_until shows "| new over |" || problem "snapping did not go off: $(status)"
	rnd 3
	steps=$r
	while [ "$steps" -gt 0 ]; do
		steps=$((steps - 1))
		rnd 10
		if [ $r -lt 6 ]; then
			draw_confirmed
		elif [ $r -lt 8 ]; then
			switch_confirmed
		else
			rnd 2000
			sleep_ms $r
		fi
	done
	if [ $((k % 4)) -eq 1 ]; then
		# Within 15 ms of an Enter: the outline's vertices are read first, so that the Enter is
		# what runs; the delay counts from the moment its sidecar's write begins (tmux's
		# send-keys returns tens of milliseconds after the key went, on a loaded machine).
		kind_a=$((kind_a + 1))
		outline_keys
		# shellcheck disable=SC2086
		keys $okeys
		sync_keys
		# Half of them in the first 3 ms, while the sidecar is being written and synced.
		rnd 2
		if [ $r -eq 0 ]; then rnd 3; else rnd 15; fi
		touch "$tmpdir/ref"
		keys Enter &
		if wait_save $cur; then
			a_seen=$((a_seen + 1))
			from="its sidecar's write began"
		else
			from="its sidecar was written (between two looks)"
		fi
		sleep_ms $r
		kill -9 "$pid"
		wait
		kill_now
		pending=1
		after_kill
		if [ "$saved" -eq 1 ]; then
			a_saved=$((a_saved + 1))
			what="Enter, killed $r ms after $from: the outline was on disk"
		else
			a_lost=$((a_lost + 1))
			what="Enter, killed $r ms after $from: the outline was not on disk yet"
		fi
	elif [ $((k % 4)) -eq 3 ]; then
		# When the masks follow the outline (1.5 s without an edit, on a 250 ms idle tick).
		kind_c=$((kind_c + 1))
		draw_confirmed
		rnd 400
		sleep_ms $((1400 + r))
		kill_now
		after_kill
		what="$((1400 + r)) ms after a confirmed outline, around its masks' write"
	else
		# Anywhere in a burst of keys: outlines, done, moves between the images.
		kind_b=$((kind_b + 1))
		burst= said=
		rnd 4
		items=$((r + 1))
		while [ $items -gt 0 ]; do
			items=$((items - 1))
			rnd 10
			if [ $r -lt 5 ]; then
				outline_keys
				burst="$burst $okeys Enter"
				said="$said, outline"
				pending=$((pending + 1))
			elif [ $r -lt 7 ]; then
				rnd 30
				burst="$burst $((r + 1)) l $((r % 7 + 1)) j"
				said="$said, move"
			elif [ $r -lt 8 ]; then
				burst="$burst D"
				said="$said, D"
			else
				rnd 2
				[ $r -eq 0 ] && burst="$burst N" || burst="$burst B"
				[ $r -eq 0 ] && said="$said, N" || said="$said, B"
			fi
		done
		rnd 1500
		# shellcheck disable=SC2086
		keys $burst
		sleep_ms $r
		kill_now
		after_kill
		what="$r ms into a burst of keys (${said#, })"
	fi
done

# After the last kill: both images opened, then a quit; nothing is left but the work.
if opened; then
	switch_confirmed
	keys q
	wait_until shows "EXITED 0" || problem "q did not end the annotator with status 0: $(status)"
fi
"$px" stats --json "$d" >"$tmpdir/stats" 2>"$tmpdir/stats.err" || problem "stats fails: $(cat "$tmpdir/stats.err")"
[ ! -s "$tmpdir/stats.err" ] || problem "stats warns: $(cat "$tmpdir/stats.err")"
for img in a b; do
	if [ -e "$d/$img.pxl.json" ] && ! "$mc" "$d/$img.png" >"$tmpdir/mc" 2>&1; then
		problem "$img.png: masks are not the sidecar's at the end: $(cat "$tmpdir/mc")"
	fi
done
extra=$(extras)
[ -z "$extra" ] || problem "left in the folder after a quit: $extra"
k=end
what="both images opened after the last kill, then q: nothing left but the images, sidecars and masks"
report
t_end=$(date +%s)
echo "# $kills kills in $((t_end - t_begin)) s (PXL_KILL_SEED=$seed0): $kind_a within 15 ms of an Enter" \
    "($a_seen timed from the start of its sidecar's write; $a_saved with the outline on disk, $a_lost before it), $kind_c around a mask write, $kind_b in a burst"
echo "# after the kills: masks older than the outlines $stale_after times, temporaries left $temps_after times" \
    "($ntemps files), a lock left $locks_after times, a takeover guard seen $guards times;" \
    "$takeovers takeovers told; $conf_a + $conf_b instances at the end"
done_testing
