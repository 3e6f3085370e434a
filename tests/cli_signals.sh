#!/bin/sh
# cli_signals.sh: a batch command stopped by SIGINT, SIGTERM or SIGHUP leaves none of the hidden
# temporaries (.NAME.XXXXXX) of the files it was writing, and ends by that signal. No timing is
# assumed: the command is frozen with SIGSTOP until a temporary is seen on disk, then signalled
# and let go, so the signal always lands while a file is being written. A run too quick to be
# caught that way is tried again with more images, then reported as a skip.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d/train/aachen"
printf '[class cat]\nid = 1\n\n[class dog]\nid = 2\n' >"$d/pxlabel.ini"

# add_images N: the set holds N copies of a 451x300 photo, each with outlines.
have=0
add_images() {
	while [ "$have" -lt "$1" ]; do
		have=$((have + 1))
		f=$d/train/aachen/img$have
		cp "$data/../../data/chelsea.png" "$f.png"
		cat >"$f.pxl.json" <<JSON
{"format": "pxlabel", "version": 1, "image": {"file": "img$have.png", "width": 451, "height": 300},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[100,50],[200,50],[200,150],[100,150]]]}]},
               {"id": 2, "class": 2, "shapes": [{"op": "add", "type": "polygon", "rings": [[[300,20],[440,90],[260,280]]]}]}]}
JSON
	done
}

temporaries() {
	find "$1" -name '.*.??????' -type f 2>/dev/null
}

# A script's background job starts with SIGINT ignored, and pxlabel rightly keeps a signal
# ignored from the start (nohup). This puts SIGINT back to the default before pxlabel starts.
# It runs as the background job itself (exec), so that $! is pxlabel's pid.
py=$(command -v python3)
launch() {
	if [ -n "$py" ]; then
		exec "$py" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
	else
		exec "$@"
	fi
}

# nap: a short pause (a whole second where sleep takes no fractions).
nap() {
	sleep 0.02 2>/dev/null || sleep 1
}

# stop_in_flight WHERE PID: freezes PID at a moment when a temporary is in WHERE (returns 0,
# the process stopped), or returns 1 once the command has ended without that happening.
stop_in_flight() {
	tries=0
	while [ "$tries" -lt 1000 ] && kill -0 "$2" 2>/dev/null; do
		kill -STOP "$2" 2>/dev/null || return 1
		if [ -n "$(temporaries "$1")" ]; then
			return 0
		fi
		kill -CONT "$2" 2>/dev/null
		# A finished command is a zombie until waited for: kill -0 still finds it.
		case $(cat "/proc/$2/stat" 2>/dev/null) in
		*") Z "*) return 1 ;;
		esac
		tries=$((tries + 1))
		nap
	done
	return 1
}

# interrupt SIGNAL NUMBER WHERE DESC CMD...: runs CMD, signals it while it writes into WHERE.
interrupt() {
	sig=$1 num=$2 where=$3 what=$4
	shift 4
	if [ "$sig" = INT ] && [ -z "$py" ]; then
		n=$((n + 1))
		echo "ok $n # SKIP $what: no python3 to start pxlabel with SIGINT not ignored"
		return
	fi
	for count in 150 600 2000; do
		add_images "$count"
		rm -rf "$tmpdir/out"
		launch "$@" 2>"$tmpdir/err" &
		pid=$!
		if stop_in_flight "$where" "$pid"; then
			seen=$(temporaries "$where" | head -n 1)
			kill -"$sig" "$pid"
			kill -CONT "$pid"
			wait "$pid"
			status=$?
			check "$what: the temporary being written ($(basename "$seen")) is removed" \
			    test -z "$(temporaries "$where")"
			check "$what: it ends by SIG$sig (status $status)" test "$status" -eq $((128 + num))
			return
		fi
		wait "$pid"
	done
	n=$((n + 1))
	echo "ok $n # SKIP $what: $count images were done before a temporary could be seen"
}

add_images 150
interrupt TERM 15 "$tmpdir/out" "export cityscapes --tree --copy, SIGTERM" \
    "$px" export cityscapes --tree --copy "$d" -o "$tmpdir/out"
check "a rerun finishes the export" sh -c "'$px' export cityscapes --tree --copy '$d' -o '$tmpdir/out' 2>/dev/null"
check "and leaves no temporaries" test -z "$(temporaries "$tmpdir/out")"
interrupt INT 2 "$tmpdir/out" "export voc, SIGINT" "$px" export voc "$d" -o "$tmpdir/out"
interrupt HUP 1 "$d" "mask (temporaries inside the data set), SIGHUP" "$px" mask "$d"
# Threads: a signal is taken by one thread while the others are writing (doc/scale.md).
interrupt TERM 15 "$tmpdir/out" "export voc -j 4, SIGTERM" "$px" export voc -j 4 "$d" -o "$tmpdir/out"
interrupt INT 2 "$d" "mask -j 3, SIGINT" "$px" mask -j 3 "$d"
interrupt TERM 15 "$tmpdir/out" "export coco -j 2, SIGTERM" "$px" export coco -j 2 "$d" -o "$tmpdir/out/all.json"

# A signal ignored from the start (nohup) stays ignored: the command runs to its end.
rm -rf "$tmpdir/out"
(trap '' HUP; exec "$px" export voc "$d" -o "$tmpdir/out" 2>"$tmpdir/err") &
pid=$!
stop_in_flight "$tmpdir/out" "$pid" && {
	kill -HUP "$pid"
	kill -CONT "$pid"
}
wait "$pid"
status=$?
check "an ignored SIGHUP (nohup) is left ignored: the export completes (status $status)" \
    sh -c "[ $status -eq 0 ] && grep -q 'exported $have of $have images' '$tmpdir/err'"

done_testing
