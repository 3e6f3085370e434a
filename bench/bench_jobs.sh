#!/bin/sh
# bench_jobs.sh: -j 2 against -j 1 on this machine's cores, for `pxlabel mask` and `export voc`
# on 200 images of 50 instances (640x480): the efficiency, t(-j 1) / (2 t(-j 2)), target 0.8;
# and `export voc -j 2` against LabelMe's own conversion (labelme.utils.shapes_to_label, Debian's
# labelme package) on the same shapes in the same run, target 10x. Each pxlabel time is the best
# of three runs; the output is removed before each run, untimed, so that every run writes new files.
set -eu
. "${top_srcdir:?}/bench/lib.sh"
work=$work/jobs
py=/usr/bin/python3
nimg=${BENCH_JOBS_IMAGES:-200}
bench_fresh "$work"
"$BENCH_DIR/bench_mkinterop" "$work/set" "$nimg" 50 640 480

# cpu CLEAN CMD...: the CPU seconds (user + system) of one run: what threads add in work of
# their own, apart from how much of the cores the machine's other load leaves this run.
cpu() {
	clean=$1
	shift
	sh -c "$clean"
	sync
	/usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>&1
	awk '{ print $1 + $2 }' "$work/time"
}

cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
masks="rm -f '$work'/set/*.labels.png '$work'/set/*.instances.png"
mask1=$(best3 "$masks" "$px" mask -q -j 1 "$work/set")
mask2=$(best3 "$masks" "$px" mask -q -j 2 "$work/set")
voc1=$(best3 "rm -rf '$work/voc'" "$px" export voc -q -j 1 "$work/set" -o "$work/voc")
voc2=$(best3 "rm -rf '$work/voc'" "$px" export voc -q -j 2 "$work/set" -o "$work/voc")
vcpu1=$(cpu "rm -rf '$work/voc'" "$px" export voc -q -j 1 "$work/set" -o "$work/voc")
vcpu2=$(cpu "rm -rf '$work/voc'" "$px" export voc -q -j 2 "$work/set" -o "$work/voc")
mcpu1=$(cpu "$masks" "$px" mask -q -j 1 "$work/set")
mcpu2=$(cpu "$masks" "$px" mask -q -j 2 "$work/set")
coco1=$(best3 "rm -f '$work/c.json'" "$px" export coco -q -j 1 "$work/set" -o "$work/c.json")
coco2=$(best3 "rm -f '$work/c.json'" "$px" export coco -q -j 2 "$work/set" -o "$work/c.json")
echo "bench_jobs: $nimg images x 50 instances, 640x480, $cores cores"
printf '  %-26s %8s %8s %11s\n' "" "-j 1" "-j 2" "efficiency"
for row in "mask:$mask1:$mask2" "export voc:$voc1:$voc2" "export coco:$coco1:$coco2"; do
	echo "$row" | awk -F: '{ printf "  pxlabel %-18s %7.3fs %7.3fs %10.2f\n", $1, $2, $3, $2 / (2 * $3) }'
done
echo "  (efficiency: t(-j 1) / (2 t(-j 2)), target 0.8 for mask and export voc)"
echo "$mcpu1 $mcpu2 $vcpu1 $vcpu2" | awk '{ printf "  CPU seconds, -j 1 / -j 2: mask %.2f / %.2f, export voc %.2f / %.2f (equal: the threads add no work)\n", $1, $2, $3, $4 }'
# mask writes into the data set and makes every mask durable (fsync of the file and of its
# folder, as the annotator does: the kill test depends on it). On ext4 those fsyncs wait for one
# journal commit after another, and two threads wait in turn. The same run on a tmpfs (no
# journal) shows what the threads give when the disk is not the limit.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=$(mktemp -d /dev/shm/pxl-bench-XXXXXX)
	cp -r "$work/set" "$shm/set"
	smasks="rm -f '$shm'/set/*.labels.png '$shm'/set/*.instances.png"
	smask1=$(best3 "$smasks" "$px" mask -q -j 1 "$shm/set")
	smask2=$(best3 "$smasks" "$px" mask -q -j 2 "$shm/set")
	rm -rf "$shm"
	echo "$smask1 $smask2" | awk '{ printf "  pxlabel mask on a tmpfs     %7.3fs %7.3fs %10.2f (no journal: the fsyncs cost nothing)\n", $1, $2, $1 / (2 * $2) }'
fi
echo "  load average when done: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (above the cores, the efficiency measures the load)"
if ! "$py" -c 'import labelme.utils, imgviz' 2>/dev/null; then
	echo "bench_jobs: Debian's labelme package missing, peer skipped (sh scripts/setup.sh bench installs it)"
	exit 0
fi
lm_voc=$(once "$py" "$top_srcdir/bench/bench_interop_labelme.py" voc "$work/set/labelme" "$work/lm_voc")
echo "  labelme shapes_to_label voc ${lm_voc}s"
echo "$lm_voc $voc1 $voc2" | awk '{ printf "  ratio voc (labelme / pxlabel): -j 1 %.1fx, -j 2 %.1fx (target 10x at -j 2)\n", $1 / $2, $1 / $3 }'
