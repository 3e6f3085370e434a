#!/bin/sh
# cli_shard.sh: --shard K/N takes a share of the images that depends on the image alone (its path
# in the data set): the shares are disjoint and cover the set, the same whichever folder the
# command runs in and however the set is named; and the shards' outputs combined are one run's:
# the masks and the VOC and Cityscapes trees file for file, COCO through merge coco and stats
# through merge stats, byte for byte.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
. "${top_srcdir:-.}/tests/jobs_set.sh"

d=$tmpdir/set
make_set "$d" 30
N=3

# The images of each share, as stats --json names them, relative to the set.
names() {
	"$px" stats --json "$@" 2>/dev/null | grep '"image":' | sed -E 's|.*"image": "(.*)",|\1|; s#^.*/(set|link|moved)/##; s#^\.\./##' | sort
}
names "$d" >"$tmpdir/all.names"
: >"$tmpdir/union.names"
for k in 0 1 2; do
	names --shard $k/$N "$d" >"$tmpdir/s$k.names"
	cat "$tmpdir/s$k.names" >>"$tmpdir/union.names"
	check "share $k/$N is not empty (30 images)" test -s "$tmpdir/s$k.names"
done
sort "$tmpdir/union.names" >"$tmpdir/union.sorted"
check "the shares cover the set, each image once" cmp -s "$tmpdir/all.names" "$tmpdir/union.sorted"
check "the set has 30 images" test "$(wc -l <"$tmpdir/all.names")" -eq 30

# The same share from another folder, by another name of the set, and by a folder inside it.
(cd "$d/train" && names --shard 1/$N ..) >"$tmpdir/s1.cd"
check "the same share run from inside the set, as .." cmp -s "$tmpdir/s1.names" "$tmpdir/s1.cd"
ln -s "$d" "$tmpdir/link"
names --shard 1/$N "$tmpdir/link" >"$tmpdir/s1.link"
check "the same share through a symbolic link to the set" cmp -s "$tmpdir/s1.names" "$tmpdir/s1.link"
names --shard 1/$N "$d/train" >"$tmpdir/s1.train"
grep '^train/' "$tmpdir/s1.names" >"$tmpdir/s1.train.want"
check "a folder of the set given alone: its images fall in the same shares" \
    cmp -s "$tmpdir/s1.train.want" "$tmpdir/s1.train"
cp -R "$d" "$tmpdir/moved"
names --shard 1/$N "$tmpdir/moved" >"$tmpdir/s1.moved"
check "the set copied elsewhere (another machine's path): the same share" cmp -s "$tmpdir/s1.names" "$tmpdir/s1.moved"

# Masks: the shards into one tree are one run.
cp -R "$d" "$tmpdir/one"
cp -R "$d" "$tmpdir/sharded"
"$px" mask -q "$tmpdir/one"
for k in 0 1 2; do
	"$px" mask -q --shard $k/$N "$tmpdir/sharded"
done
check "mask: the shards' masks are one run's" diff -r "$tmpdir/one" "$tmpdir/sharded"

# COCO: the shards merged are one run's file, byte for byte, in any order of the parts.
for rle in "" --rle; do
	"$px" export coco -q $rle "$d" -o "$tmpdir/one$rle.json" 2>/dev/null
	for k in 0 1 2; do
		"$px" export coco -q $rle --shard $k/$N "$d" -o "$tmpdir/part$k$rle.json" 2>/dev/null
	done
	run "$px" merge coco "$tmpdir/part2$rle.json" "$tmpdir/part0$rle.json" "$tmpdir/part1$rle.json" -o "$tmpdir/merged$rle.json"
	check "merge coco$rle: exit 0" test "$status" -eq 0
	check "merge coco$rle: the shards are one run's file, byte for byte" cmp -s "$tmpdir/one$rle.json" "$tmpdir/merged$rle.json"
done
check "a shard's file says which share it is" grep -q '"shard":"1/3"' "$tmpdir/part1.json"
check "a shard's image ids are places in the whole run" sh -c "! grep -q '\"images\":\\[{\"id\":1,' '$tmpdir/part1.json' || ! grep -q '\"images\":\\[{\"id\":1,' '$tmpdir/part2.json'"
run "$px" merge coco "$tmpdir/part0.json" "$tmpdir/part0.json" -o "$tmpdir/twice.json"
check "one shard twice is no split: joined in the order given" sh -c "[ $status -eq 0 ] && grep -q 'merged 2 files' '$tmpdir/err' && ! grep -q 'one run' '$tmpdir/err'"
check "and it says so: its images may be in the result twice" grep -q "warning: the parts are not the shares of one split.*in the result twice" "$tmpdir/err"
run "$px" merge coco "$tmpdir/part0.json" "$tmpdir/part2.json" -o "$tmpdir/two-of-three.json"
check "two shards of three: merged, with a warning of the one missing" sh -c "[ $status -eq 0 ] && grep -q 'warning: 2 of 3 shards: the result lacks the images of the 1 missing' '$tmpdir/err'"

# Two exports of other data sets: categories unified by name, ids kept where they agree.
cat >"$tmpdir/a.json" <<'JSON'
{"images":[{"id":7,"file_name":"a.png","width":4,"height":4}],
 "annotations":[{"id":3,"image_id":7,"category_id":1,"segmentation":[[0,0,2,0,2,2]],"area":2,"bbox":[0,0,2,2],"iscrowd":0}],
 "categories":[{"id":1,"name":"cat","supercategory":"cat"}]}
JSON
cat >"$tmpdir/b.json" <<'JSON'
{"images":[{"id":7,"file_name":"b.png","width":4,"height":4}],
 "annotations":[{"id":3,"image_id":7,"category_id":1,"segmentation":[[0,0,3,0,3,3]],"area":4,"bbox":[0,0,3,3],"iscrowd":0},
                {"id":4,"image_id":7,"category_id":5,"segmentation":[[1,1,3,1,3,3]],"area":2,"bbox":[1,1,2,2],"iscrowd":0}],
 "categories":[{"id":1,"name":"dog","supercategory":"dog"},{"id":5,"name":"cat","supercategory":"cat"}]}
JSON
run "$px" merge coco "$tmpdir/a.json" "$tmpdir/b.json" -o "$tmpdir/ab.json"
check "merge coco of two data sets: exit 0" test "$status" -eq 0
check "images numbered again, in the order given" grep -q '"images":\[{"id":1,"file_name":"a.png".*{"id":2,"file_name":"b.png"' "$tmpdir/ab.json"
check "annotations numbered again" grep -q '{"id":3,"image_id":2,"category_id":1,' "$tmpdir/ab.json"
check "a name's id kept (cat is 1), another name on a taken id moved after the largest (dog is 2)" \
    grep -q '"categories":\[{"id":1,"name":"cat","supercategory":"cat"},{"id":2,"name":"dog","supercategory":"dog"}\]' "$tmpdir/ab.json"
check "b's dog annotation follows its category" grep -q '{"id":2,"image_id":2,"category_id":2,' "$tmpdir/ab.json"
echo '{"images": 3}' >"$tmpdir/bad.json"
run "$px" merge coco "$tmpdir/a.json" "$tmpdir/bad.json" -o "$tmpdir/bad-out.json"
check "a part that is no COCO file: exit 1, named" sh -c "[ $status -eq 1 ] && grep -q 'bad.json: not a COCO file' '$tmpdir/err'"
check "and no output file" test ! -e "$tmpdir/bad-out.json"
run "$px" merge coco "$tmpdir/a.json" -o "$tmpdir/a.json"
check "merge coco -o onto a part: refused" test "$status" -eq 2

# stats: the shards' --json merged are one run's.
"$px" stats --json "$d" >"$tmpdir/one-stats.json" 2>/dev/null
for k in 0 1 2; do
	"$px" stats --json -j 2 --shard $k/$N "$d" >"$tmpdir/stats$k.json" 2>/dev/null
done
run "$px" merge stats "$tmpdir/stats1.json" "$tmpdir/stats2.json" "$tmpdir/stats0.json"
check "merge stats: exit 0" test "$status" -eq 0
check "merge stats: one run's JSON, byte for byte" cmp -s "$tmpdir/one-stats.json" "$tmpdir/out"

# VOC and Cityscapes: the shards into one folder, then VOC's lists: one run's tree.
"$px" export voc -q --val 40 "$d" -o "$tmpdir/voc-one" 2>/dev/null
"$px" export cityscapes -q --tree "$d" -o "$tmpdir/cs-one" 2>/dev/null
for k in 0 1 2; do
	"$px" export voc -q --val 40 --shard $k/$N "$d" -o "$tmpdir/voc-sh" 2>/dev/null
	"$px" export cityscapes -q --tree --shard $k/$N "$d" -o "$tmpdir/cs-sh" 2>/dev/null
done
"$px" export voc -q --val 40 --lists-only "$d" -o "$tmpdir/voc-sh"
check "export voc: the shards and --lists-only are one run's tree" diff -r "$tmpdir/voc-one" "$tmpdir/voc-sh"
check "export cityscapes: the shards are one run's tree" diff -r "$tmpdir/cs-one" "$tmpdir/cs-sh"

# VOC's one folder: two images of one name are found across shards too.
mkdir -p "$tmpdir/clash/a" "$tmpdir/clash/b"
cp "$d/pxlabel.ini" "$tmpdir/clash/"
cp "$d/train/aachen/img0.png" "$tmpdir/clash/a/x.png"
cp "$d/train/aachen/img0.pxl.json" "$tmpdir/clash/a/x.pxl.json"
cp "$d/train/aachen/img0.png" "$tmpdir/clash/b/x.png"
cp "$d/train/aachen/img0.pxl.json" "$tmpdir/clash/b/x.pxl.json"
sed -i 's/img0.png/x.png/' "$tmpdir/clash/a/x.pxl.json" "$tmpdir/clash/b/x.pxl.json"
refused=0
for k in 0 1 2 3 4 5 6 7; do
	"$px" export voc -q --shard $k/8 "$tmpdir/clash" -o "$tmpdir/clash-voc" 2>"$tmpdir/err$k" ||
		grep -q "would both be x in VOC's one folder.*b/x.png skipped" "$tmpdir/err$k" && refused=$((refused + 1))
done
check "two images of one name in different shards: the second is refused in its shard" test "$refused" -ge 1

# Usage.
for bad in 3/3 -1/2 1 a/b 1/0 0/2x; do
	run "$px" mask --shard "$bad" "$d"
	check "--shard $bad: a usage error" sh -c "[ $status -eq 2 ] && grep -q 'needs K/N' '$tmpdir/err'"
done
run "$px" import coco --images "$d" --shard 2/2 "$tmpdir/one.json"
check "import coco --shard: the same parser" sh -c "[ $status -eq 2 ] && grep -q 'needs K/N' '$tmpdir/err'"

# import coco --shard: the same shares as the other commands, the images' paths in the data set.
for k in 0 1 2; do
	cp -R "$d" "$tmpdir/in$k"
	find "$tmpdir/in$k" -name '*.pxl.json' -exec rm {} +
	"$px" import coco -q --images "$tmpdir/in$k" --shard $k/$N "$tmpdir/one.json"
	(cd "$tmpdir/in$k" && find . -name '*.pxl.json' | sed 's|^\./||; s|\.pxl\.json$|.png|' | sort) >"$tmpdir/in$k.names"
	while read -r f; do
		[ -f "$d/${f%.png}.pxl.json" ] && echo "$f"
	done <"$tmpdir/s$k.names" >"$tmpdir/in$k.want"
	check "import coco --shard $k/$N: the images of share $k with outlines" cmp -s "$tmpdir/in$k.want" "$tmpdir/in$k.names"
done

done_testing
