#!/bin/sh
# smoke.sh: make fuzz-smoke. Builds the libFuzzer targets with clang in a build folder of their
# own (configure --enable-fuzzing) and runs each briefly on a copy of its seed corpus, so that a
# parser change that crashes on its own seeds or within seconds of mutation fails CI. The long
# runs are another matter: fuzz/RESULTS.md says how they were done.
#   sh fuzz/smoke.sh SRCDIR BUILDDIR      (FUZZ_TARGETS, FUZZ_SECONDS, FUZZ_CC from the environment)
set -eu
src=$1
build=$2
targets=${FUZZ_TARGETS:-cfg img tiff sidecar labelme coco rle tquery yolo}
seconds=${FUZZ_SECONDS:-20}
cc=${FUZZ_CC:-clang}

command -v "$cc" >/dev/null 2>&1 || {
	echo "fuzz-smoke: $cc not found (Debian: apt-get install clang)" >&2
	exit 1
}
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$src/configure" -nt Makefile ]; then
	echo "fuzz-smoke: configuring $build with CC=$cc --enable-fuzzing" >&2
	CC=$cc "$src/configure" --enable-fuzzing >configure.out 2>&1 || {
		tail -n 20 configure.out >&2
		exit 1
	}
fi
progs=""
for t in $targets; do progs="$progs fuzz/fuzz_$t"; done
make -j"$(nproc 2>/dev/null || echo 2)" $progs >make.out 2>&1 || {
	tail -n 40 make.out >&2
	exit 1
}

# Inputs the mutation finds go to a scratch corpus, never into the source tree; temporaries the
# targets write go to a folder removed at the end (a tmpfs when there is one: it is faster).
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pxlabel-fuzz-smoke.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
[ -d /dev/shm ] && [ -w /dev/shm ] && tmp=$(mktemp -d /dev/shm/pxlabel-fuzz-smoke.XXXXXX) || tmp=$scratch/tmp
mkdir -p "$tmp"
trap 'rm -rf "$scratch" "$tmp"' EXIT INT TERM

status=0
for t in $targets; do
	corpus=$scratch/corpus-$t
	mkdir -p "$corpus"
	dict=""
	case $t in
	cfg) dict=$src/fuzz/cfg.dict ;;
	img) dict=$src/fuzz/img.dict ;;
	sidecar | labelme | coco) dict=$src/fuzz/json.dict ;;
	tquery) dict=$src/fuzz/tquery.dict ;;
	esac
	log=$build/fuzz-smoke-$t.log
	# -timeout: one input taking seconds is a finding too; the artifacts go next to the log.
	if TMPDIR=$tmp "./fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/fuzz-smoke-$t-" ${dict:+-dict="$dict"} \
		"$corpus" "$src/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz-smoke: $t: ok, ${runs:-?} runs in ${seconds}s"
	else
		status=1
		echo "fuzz-smoke: $t: FAILED (log $log)" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written|.*runtime error)' "$log" >&2 || tail -n 30 "$log" >&2
	fi
done
exit $status
