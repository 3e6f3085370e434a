#!/bin/sh
# cli_parallel.sh: the recipes of doc/scale.md with real GNU parallel (Debian's parallel): the
# shards of mask, export and stats as processes of their own, started by parallel (through
# --sshlogin ':', parallel's name for this machine, as the recipe for many machines is written),
# and what they make combined is compared with one run.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
. "${top_srcdir:-.}/tests/jobs_set.sh"

if ! command -v parallel >/dev/null 2>&1 || ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	echo "1..0 # SKIP no GNU parallel (Debian: apt-get install parallel)"
	exit 77
fi
par() {
	parallel --will-cite "$@"
}

d=$tmpdir/set
make_set "$d" 26
N=4

# One run of each, for the comparisons.
cp -R "$d" "$tmpdir/one"
"$px" mask -q "$tmpdir/one"
"$px" export coco -q "$d" -o "$tmpdir/one.json" 2>/dev/null
"$px" export voc -q --val 25 "$d" -o "$tmpdir/voc-one" 2>/dev/null
"$px" stats --json "$d" >"$tmpdir/one-stats.json" 2>/dev/null

# mask: N shards at once into one tree.
cp -R "$d" "$tmpdir/sharded"
par -j $N "$px" mask -q -j 1 --shard {}/$N "$tmpdir/sharded" ::: $(seq 0 $((N - 1)))
check "parallel: $N mask shards exit 0" test $? -eq 0
check "parallel: the shards' masks are one run's" diff -r "$tmpdir/one" "$tmpdir/sharded"

# export coco: a file a shard through --sshlogin (this machine, two jobs), then merge coco.
par --sshlogin 2/: "$px" export coco -q --shard {}/$N "$d" -o "$tmpdir/part{}.json" ::: $(seq 0 $((N - 1))) 2>/dev/null
check "parallel --sshlogin: $N coco shards exit 0" test $? -eq 0
run "$px" merge coco "$tmpdir"/part*.json -o "$tmpdir/merged.json"
check "merge coco of parallel's shards: exit 0" test "$status" -eq 0
check "merge coco: one run's file, byte for byte" cmp -s "$tmpdir/one.json" "$tmpdir/merged.json"

# export voc: the shards into one folder at once, then the lists.
par -j $N "$px" export voc -q --val 25 --shard {}/$N "$d" -o "$tmpdir/voc-sh" ::: $(seq 0 $((N - 1))) 2>/dev/null
check "parallel: $N voc shards into one folder exit 0" test $? -eq 0
"$px" export voc -q --val 25 --lists-only "$d" -o "$tmpdir/voc-sh"
check "export voc: the shards and --lists-only are one run's tree" diff -r "$tmpdir/voc-one" "$tmpdir/voc-sh"

# stats: the shards' --json, merged.
par -j $N "$px" stats --json --shard {}/$N "$d" ">" "$tmpdir/stats{}.json" ::: $(seq 0 $((N - 1))) 2>/dev/null
check "parallel: $N stats shards exit 0" test $? -eq 0
"$px" merge stats "$tmpdir"/stats*.json >"$tmpdir/merged-stats.json"
check "merge stats: one run's JSON, byte for byte" cmp -s "$tmpdir/one-stats.json" "$tmpdir/merged-stats.json"

done_testing
