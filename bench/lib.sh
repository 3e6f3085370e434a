# lib.sh: what the bench scripts share. Source it after `set -eu`; make bench (Makefile.am)
# gives PXLABEL, BENCH_DIR (the build's bench/, with the helper programs) and top_srcdir.
# Sets px (the pxlabel under test) and work (BENCH_DIR/work, made: the images there are kept
# from run to run).
# shellcheck disable=SC2034 # px is for the scripts
px=${PXLABEL:?}
work=${BENCH_DIR:?}/work
mkdir -p "$work"

# bench_fresh DIR: DIR empty, made anew (what a run writes, so that nothing of the last is read).
bench_fresh() {
	rm -rf "$1"
	mkdir -p "$1"
}

# bench_image NAME W H: the path of work/NAME, a JPEG of chelsea.png scaled to WxH, made once.
bench_image() {
	[ -s "$work/$1" ] || "$BENCH_DIR/bench_mkimage" "${top_srcdir:?}/data/chelsea.png" "$2" "$3" "$work/$1"
	echo "$work/$1"
}

# bench_need NAME TOOL...: exits 1 naming the first TOOL missing (NAME: the script's).
bench_need() {
	need_name=$1
	shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "$need_name: $tool missing (sh scripts/setup.sh bench installs it)"; exit 1; }
	done
}

# bench_home: the annotator's state and configuration in work, not the user's.
bench_home() {
	export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
}

# bench_clean_set DIR: what an annotator session left beside the images of DIR.
bench_clean_set() {
	rm -f "$1"/*.json "$1"/*.labels.png "$1"/*.instances.png "$1"/*.lock
}

now() { date +%s.%N; }

# best3 CLEAN CMD...: the best seconds of three runs of CMD (its output thrown away). CLEAN, a
# shell command, runs untimed before each, then sync, so that every run writes new files as a
# peer's single run does (replacing a file by rename makes ext4 flush it first: a cost the peer
# would not pay); "" for none.
best3() {
	best3_clean=$1
	shift
	b=
	for _ in 1 2 3; do
		if [ -n "$best3_clean" ]; then
			sh -c "$best3_clean"
			sync
		fi
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		b=$(echo "$t0 $t1 ${b:-}" | awk '{ d = $2 - $1; if ($3 == "" || d < $3) print d; else print $3 }')
	done
	echo "$b"
}

# once CMD...: the seconds of one run of CMD (its output thrown away).
once() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	echo "$t0 $t1" | awk '{ print $2 - $1 }'
}

# peak COMMAND: the peak resident set of a shell command, in kB, the lowest of 3 runs.
peak() {
	best=
	for _ in 1 2 3; do
		kb=$(/usr/bin/time -f %M sh -c "$* >/dev/null" 2>&1 | tail -n 1)
		[ -z "$best" ] || [ "$kb" -lt "$best" ] && best=$kb
	done
	echo "$best"
}

# median JSON NAME: the median seconds of NAME in hyperfine's --export-json file JSON.
median() {
	sed -n "/\"command\": \"$2\"/,/\"median\"/p" "$1" | sed -n 's/.*"median": \([0-9.e-]*\).*/\1/p'
}
