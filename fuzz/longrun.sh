#!/bin/sh
# longrun.sh: one long fuzzing run of one target, as recorded in fuzz/RESULTS.md. libFuzzer stops
# at the first crash; this goes on from the same corpus until the wall-clock budget is spent, so a
# finding does not end the run, and sums what each round reports.
#   sh fuzz/longrun.sh BUILDDIR TARGET SECONDS WORKDIR
# WORKDIR gets corpus/ (the growing corpus, seeded from fuzz/corpus/TARGET), crash-* artifacts,
# round-N.log and summary.txt. Run it under nice -n 19, two at a time at most on a shared machine.
set -eu
build=$1
t=$2
budget=$3
work=$4
src=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$work/corpus" "$work/tmp"
dict=""
case $t in
cfg) dict=$src/fuzz/cfg.dict ;;
img) dict=$src/fuzz/img.dict ;;
sidecar | labelme | coco) dict=$src/fuzz/json.dict ;;
tquery) dict=$src/fuzz/tquery.dict ;;
esac
start=$(date +%s)
round=0
execs=0
fast=0
while :; do
	now=$(date +%s)
	left=$((budget - (now - start)))
	[ "$left" -gt 5 ] || break
	round=$((round + 1))
	log=$work/round-$round.log
	rc=0
	TMPDIR=$work/tmp "$build/fuzz/fuzz_$t" -max_total_time="$left" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" ${dict:+-dict="$dict"} \
		"$work/corpus" "$src/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ -z "$n" ]; then
		# A crash ends a round before the final stats: the last status line has the count.
		n=$(grep -Eo '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	fi
	execs=$((execs + ${n:-0}))
	echo "round $round: exit $rc, ${n:-0} runs" >>"$work/summary.txt"
	[ "$rc" -eq 0 ] && break
	# A crash within seconds of every start (a seed crashes): nothing more to learn here.
	if [ $(($(date +%s) - now)) -lt 10 ]; then
		fast=$((fast + 1))
		[ "$fast" -lt 3 ] || break
	else
		fast=0
	fi
	# Leave the temporaries of a crashed round behind no more than once.
	rm -rf "$work/tmp" && mkdir -p "$work/tmp"
done
end=$(date +%s)
last=$(ls -t "$work"/round-*.log | head -n 1)
cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$last" | tail -n 1)
{
	echo "target: $t"
	echo "wall: $((end - start)) s in $round round(s)"
	echo "executions: $execs"
	echo "last: $cov"
	echo "findings: $(ls "$work" | grep -cE '^(crash|leak|timeout|oom|slow-unit)-' || true)"
} >>"$work/summary.txt"
rm -rf "$work/tmp"
