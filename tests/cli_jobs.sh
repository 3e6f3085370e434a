#!/bin/sh
# cli_jobs.sh: -j N gives the bytes -j 1 gives: the masks, stats (text and --json), every export
# format (COCO's ids and order included) and every import, with what is said on stderr, for
# -j 1, 2 and 4 (more threads than this machine has cores, so that workers finish out of order).
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
. "${top_srcdir:-.}/tests/jobs_set.sh"

d=$tmpdir/set
make_set "$d" 23

# same_tree A B: the same files with the same bytes (symbolic links by their targets' bytes), but
# for YOLO's data.yaml, which names its own folder (compared apart).
same_tree() {
	diff -r -x data.yaml -x data.yaml.x "$1" "$2" >/dev/null 2>&1
}

# Everything each -j writes, in $tmpdir/jJ.
for j in 1 2 4; do
	o=$tmpdir/j$j
	mkdir -p "$o"
	cp -R "$d" "$o/set"
	"$px" mask -j $j "$o/set" 2>"$o/mask.err"
	echo $? >"$o/mask.status"
	"$px" stats -j $j "$o/set" >"$o/stats.txt" 2>"$o/stats.err"
	"$px" stats --json -j $j "$o/set" >"$o/stats.json" 2>>"$o/stats.err"
	"$px" export coco -j $j "$o/set" -o "$o/coco.json" 2>"$o/export.err"
	"$px" export coco --rle --jobs=$j "$o/set" -o "$o/rle.json" 2>>"$o/export.err"
	"$px" export voc --val 30 -j $j "$o/set" -o "$o/voc" 2>>"$o/export.err"
	"$px" export labelme -j $j "$o/set" -o "$o/labelme" 2>>"$o/export.err"
	"$px" export cityscapes --tree --copy -j $j "$o/set" -o "$o/cs" 2>>"$o/export.err"
	"$px" export yolo --val 30 --copy -j $j "$o/set" -o "$o/yolo" 2>>"$o/export.err"
	# The exports' own paths differ between the runs: they are made the same for the comparison.
	sed "s|$o|OUT|g" "$o/export.err" >"$o/export.said"
	sed "s|$o|OUT|g" "$o/stats.txt" >"$o/stats.said"
	sed "s|$o|OUT|g" "$o/stats.json" >"$o/stats.jsaid"
	sed "s|$o|OUT|g" "$o/mask.err" >"$o/mask.said"
	sed "s|$o|X|" "$o/yolo/data.yaml" >"$o/yolo/data.yaml.x"
done
check "the set has images with and without outlines, in folders" test "$(grep -c 'review' "$tmpdir/j1/stats.txt")" -ge 20
check "mask -j 1 succeeded" test "$(cat "$tmpdir/j1/mask.status")" -eq 0
for j in 2 4; do
	check "mask -j $j: the same masks" same_tree "$tmpdir/j1/set" "$tmpdir/j$j/set"
	check "mask -j $j: the same summary" cmp -s "$tmpdir/j1/mask.said" "$tmpdir/j$j/mask.said"
	check "stats -j $j: the same text" cmp -s "$tmpdir/j1/stats.said" "$tmpdir/j$j/stats.said"
	check "stats --json -j $j: the same JSON" cmp -s "$tmpdir/j1/stats.jsaid" "$tmpdir/j$j/stats.jsaid"
	check "export coco -j $j: the same bytes (ids and order)" cmp -s "$tmpdir/j1/coco.json" "$tmpdir/j$j/coco.json"
	check "export coco --rle -j $j: the same bytes" cmp -s "$tmpdir/j1/rle.json" "$tmpdir/j$j/rle.json"
	for f in voc labelme cs; do
		check "export $f -j $j: the same files" same_tree "$tmpdir/j1/$f" "$tmpdir/j$j/$f"
	done
	# data.yaml names its own folder.
	check "export yolo -j $j: the same files" sh -c "diff -r -x data.yaml '$tmpdir/j1/yolo' '$tmpdir/j$j/yolo' &&
	    sed 's|$tmpdir/j1|X|' '$tmpdir/j1/yolo/data.yaml' | cmp -s - '$tmpdir/j$j/yolo/data.yaml.x'"
	check "export -j $j: the same messages, in the same order" cmp -s "$tmpdir/j1/export.said" "$tmpdir/j$j/export.said"
done
check "the exports said something to compare (a warning per image with a stale mask is in order)" \
    grep -q "exported" "$tmpdir/j1/export.said"

# Imports, -j 1 against -j 2 and 4, of what the -j 1 exports wrote, each into fresh copies of
# the images: the outlines and masks they write, and what they say.
images_of() { # images_of FROM TO: the photos of FROM (no masks, no outlines) into TO
	(cd "$1" && find . -name 'img*.png' ! -name '*.labels.png' ! -name '*.instances.png') | while read -r img; do
		mkdir -p "$2/$(dirname "$img")"
		cp "$1/$img" "$2/$img"
	done
	cp "$1/pxlabel.ini" "$2/"
}
for j in 1 2 4; do
	o=$tmpdir/j$j
	mkdir -p "$o/in-lm" "$o/in-mask"
	cp -R "$tmpdir/j1/labelme" "$o/in-lm/labelme" # its imagePath: ../set/...
	images_of "$d" "$o/in-lm/set"
	images_of "$d" "$o/in-coco"
	images_of "$d" "$o/in-mask"
	(cd "$tmpdir/j1/set" && find . -name '*.labels.png' -o -name '*.instances.png') | while read -r m; do
		cp "$tmpdir/j1/set/$m" "$o/in-mask/$m"
	done
	cp -R "$tmpdir/j1/yolo" "$o/in-yolo"
	rm "$o/in-yolo/data.yaml.x"
	sed "s|^path: .*|path: \"$o/in-yolo\"|" "$tmpdir/j1/yolo/data.yaml" >"$o/in-yolo/data.yaml"
	cp "$d/pxlabel.ini" "$o/in-yolo/"
	"$px" import labelme -j $j --root "$o/in-lm" "$o/in-lm/labelme" 2>"$o/imp.err"
	echo "status $?" >>"$o/imp.err"
	"$px" import coco -j $j --images "$o/in-coco" "$tmpdir/j1/coco.json" 2>>"$o/imp.err"
	echo "status $?" >>"$o/imp.err"
	"$px" import mask -j $j $(find "$o/in-mask" -name '*.labels.png' | sort) 2>>"$o/imp.err"
	echo "status $?" >>"$o/imp.err"
	"$px" import yolo -j $j "$o/in-yolo" 2>>"$o/imp.err"
	echo "status $?" >>"$o/imp.err"
	sed "s|$o|OUT|g" "$o/imp.err" >"$o/imp.said"
done
check "the imports of -j 1 succeeded" sh -c "! grep -v 'status 0' '$tmpdir/j1/imp.err' | grep -q status"
for f in lm coco mask yolo; do
	check "import $f -j 1 wrote outlines" test -n "$(find "$tmpdir/j1/in-$f" -name '*.pxl.json' | head -n 1)"
done
for j in 2 4; do
	for f in lm coco mask yolo; do
		check "import $f -j $j: the same outlines and masks" same_tree "$tmpdir/j1/in-$f" "$tmpdir/j$j/in-$f"
	done
	check "import -j $j: the same messages" cmp -s "$tmpdir/j1/imp.said" "$tmpdir/j$j/imp.said"
done

# Usage.
run "$px" mask -j 0 "$d"
check "-j 0: a usage error" test "$status" -eq 2
run "$px" stats -j x "$d"
check "-j x: a usage error, naming it" sh -c "[ $status -eq 2 ] && grep -q \"\\-j needs a number of threads, 1 to 64, not 'x'\" '$tmpdir/err'"
run "$px" export voc -j 65 "$d" -o "$tmpdir/v65"
check "-j 65: over the limit" test "$status" -eq 2
run "$px" stats --json -j 2 "$d"
check "stats --json -j 2: --json is long only now, -j takes a number" sh -c "[ $status -eq 0 ] && grep -q '\"totals\"' '$tmpdir/out'"

done_testing
