#!/bin/sh
# cli_agree.sh: `pxlabel agree` on two annotations of a small synthetic data set
# (bench/agree_mkdata.py): --json parsed by python3, equal to a numpy implementation of the same
# measures (bench/agree_numpy.py, on the masks) to 1e-9; an annotation against itself agrees
# fully; two folders and one shared folder with two people's own files give the same answer;
# images only one side annotated; masks without outlines; the text table; usage errors.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
src=${top_srcdir:-.}
py=/usr/bin/python3
if ! "$py" -c 'import json' 2>/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 is missing"
	exit 77
fi
d=$tmpdir/set
"$py" "$src/bench/agree_mkdata.py" "$d" 5 12 96 72 3

# json_get FILE EXPR: prints a Python expression over the parsed JSON (as j).
json_get() {
	"$py" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

run "$px" agree --json "$d/a" "$d/b"
cp "$tmpdir/out" "$tmpdir/ab.json"
check "agree A B --json succeeds" test "$status" -eq 0
check "--json: classes by name, each with iou pq sq rq tp fp fn; then mean_iou and pq" test "$(json_get "$tmpdir/ab.json" \
    "sorted(j['classes']) == sorted(['person','car','bicycle','dog','tree']) and all(list(c)[:7] == ['iou','pq','sq','rq','tp','fp','fn'] for c in j['classes'].values()) and list(j)[:3] == ['classes','mean_iou','pq']")" = True
check "the two annotations differ: 0 < mean IoU < 1, some matches and some misses" test "$(json_get "$tmpdir/ab.json" \
    "0 < j['mean_iou'] < 1 and 0 < j['pq'] < 1 and sum(c['tp'] for c in j['classes'].values()) > 20 and sum(c['fn'] + c['fp'] for c in j['classes'].values()) > 0")" = True
check "--json: the 5 images compared, the worst listed worst first" test "$(json_get "$tmpdir/ab.json" \
    "j['images']['compared'] == 5 and len(j['worst']) == 5 and [w['mean_iou'] for w in j['worst']] == sorted(w['mean_iou'] for w in j['worst'])")" = True

# The reference: numpy on the masks pxlabel mask writes.
if "$py" -c 'import numpy, PIL' 2>/dev/null; then
	"$px" mask "$d/a" "$d/b" >/dev/null 2>&1
	"$py" "$src/bench/agree_numpy.py" "$d/a" "$d/b" >"$tmpdir/np.json"
	check "equal to the numpy implementation of the same measures, to 1e-9" "$py" -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert sorted(a["classes"]) == sorted(b["classes"]), (a["classes"].keys(), b["classes"].keys())
for n, c in b["classes"].items():
    for k, v in c.items():
        assert abs(v - a["classes"][n][k]) <= 1e-9, (n, k, v, a["classes"][n][k])
for k in ("mean_iou", "pq", "sq", "rq"):
    assert abs(a[k] - b[k]) <= 1e-9, (k, a[k], b[k])
' "$tmpdir/ab.json" "$tmpdir/np.json"
else
	n=$((n + 1))
	echo "ok $n # SKIP /usr/bin/python3 lacks numpy or PIL (Debian: python3-numpy python3-pil)"
	"$px" mask "$d/a" "$d/b" >/dev/null 2>&1
fi

run "$px" agree --json "$d/a" "$d/a"
check "--json: the sums behind the measures (intersection, union, iou_sum) give them back" test "$(json_get "$tmpdir/ab.json" \
    "all(c['iou'] == c['intersection'] / c['union'] and abs(c['pq'] - c['iou_sum'] / (c['tp'] + c['fp'] / 2 + c['fn'] / 2)) < 1e-15 for c in j['classes'].values())")" = True
check "an annotation against itself: IoU 1 and PQ 1 in every class, no FP or FN" test "$(json_get "$tmpdir/out" \
    "j['mean_iou'] == 1 and j['pq'] == 1 and all(c['iou'] == 1 and c['pq'] == 1 and c['fp'] == 0 and c['fn'] == 0 for c in j['classes'].values())")" = True

# One shared folder, alice's and bob's own files (B's classes there under A's ids).
run "$px" agree --json --users alice,bob "$d/shared"
cp "$tmpdir/out" "$tmpdir/users.json"
check "agree --users alice,bob DIR succeeds, with no warning about their files" sh -c "test $status -eq 0 && ! test -s '$tmpdir/err'"
check "--users gives what the two folders give (classes matched by name there, by id here)" "$py" -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["classes"] == b["classes"] and a["mean_iou"] == b["mean_iou"] and a["pq"] == b["pq"]
' "$tmpdir/ab.json" "$tmpdir/users.json"

# B leaves img001 unlabelled and lacks img002 altogether: both count against it.
cp -r "$d/b" "$tmpdir/b2"
rm "$tmpdir/b2/img001.pxl.json" "$tmpdir/b2/img001.labels.png" "$tmpdir/b2/img001.instances.png" "$tmpdir"/b2/img002.*
run "$px" agree --json "$d/a" "$tmpdir/b2"
check "images one side lacks are listed, and their segments are false negatives" test "$(json_get "$tmpdir/out" \
    "j['images']['only_a'] == ['img001.png', 'img002.png'] and j['images']['compared'] == 5 and sum(c['fn'] for c in j['classes'].values()) > $(json_get "$tmpdir/ab.json" "sum(c['fn'] for c in j['classes'].values())")")" = True
run "$px" agree --json "$tmpdir/b2" "$d/a"
check "and the other way round, false positives" test "$(json_get "$tmpdir/out" \
    "j['images']['only_b'] == ['img001.png', 'img002.png'] and j['images']['only_a'] == []")" = True

# Masks with no outlines beside them (another tool's, a model's) are read.
cp -r "$d/b" "$tmpdir/b3"
rm "$tmpdir"/b3/*.pxl.json
run "$px" agree --json "$d/a" "$tmpdir/b3"
check "masks without outlines: read from the files, the same answer" "$py" -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["classes"] == b["classes"], (a, b)
' "$tmpdir/ab.json" "$tmpdir/out"

run "$px" agree --worst 2 "$d/a" "$d/b"
check "the text output: a table of classes, the mean, the two worst images" sh -c "test $status -eq 0 &&
    head -1 '$tmpdir/out' | grep -q '^class  *IoU  *PQ  *SQ  *RQ  *TP  *FP  *FN' &&
    grep -q '^person ' '$tmpdir/out' && grep -q '^mean ' '$tmpdir/out' &&
    test \$(sed -n '/disagree most/,\$p' '$tmpdir/out' | grep -c 'img0') -eq 2"

run "$px" agree --json "$d/a/img003.png" "$d/b/img003.png"
check "two images: the one pair compared" test "$(json_get "$tmpdir/out" \
    "j['images']['compared'] == 1 and j['worst'][0]['image'].endswith('a/img003.png') and 0 < j['mean_iou'] < 1")" = True
# A class name from a sidecar with an escape sequence in it: shown, never sent raw.
mkdir -p "$tmpdir/h/a" "$tmpdir/h/b"
for s in a b; do
	cp "$d/a/img000.png" "$tmpdir/h/$s/"
	"$py" -c '
import json, sys
w = 96 - int(sys.argv[2])
json.dump({"format": "pxlabel", "version": 1, "image": {"file": "img000.png", "width": 96, "height": 72},
           "classes": [{"id": 200, "name": "ev\u001b]0;t\u0007il", "color": "#ff0000"}],
           "instances": [{"id": 1, "class": 200, "parent": 0, "shapes": [{"op": "add", "type": "polygon",
                          "rings": [[[0, 0], [w, 0], [w, 72], [0, 72]]]}]}]}, open(sys.argv[1], "w"))
' "$tmpdir/h/$s/img000.pxl.json" "$([ $s = a ] && echo 0 || echo 30)"
done
no_control() { ! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1"; }
run "$px" agree "$tmpdir/h/a" "$tmpdir/h/b"
shown_escaped() { test "$status" -eq 0 && grep -qF 'ev\x1b]0;t\x07il' "$tmpdir/out" && no_control "$tmpdir/out"; }
check "a class name with an escape sequence: named, escaped, in the table" shown_escaped
run "$px" agree --json "$tmpdir/h/a" "$tmpdir/h/b"
check "... and in --json, as \\u escapes, with its measures (IoU 66/96)" test "$(json_get "$tmpdir/out" \
    "abs(j['classes']['ev\x1b]0;t\x07il']['iou'] - 66 / 96) < 1e-12")" = True

# -j and --shard (batch.h): the same bytes on any number of threads; shards that add up.
"$px" agree -j 1 --json "$d/a" "$d/b" >"$tmpdir/j1.json" 2>&1
"$px" agree -j 3 --json "$d/a" "$d/b" >"$tmpdir/j3.json" 2>&1
check "-j 3 prints the bytes -j 1 does" cmp -s "$tmpdir/j1.json" "$tmpdir/j3.json"
for k in 0 1 2; do
	"$px" agree --shard $k/3 --json "$d/a" "$d/b" >"$tmpdir/s$k.json"
	"$px" agree --shard $k/3 --json --users alice,bob "$d/shared" >"$tmpdir/u$k.json"
done
check "three shards' sums add up to one run's, in both forms" "$py" -c '
import json, sys
whole = json.load(open(sys.argv[1]))
for form in ("s", "u"):
    parts = [json.load(open("%s/%s%d.json" % (sys.argv[2], form, k))) for k in range(3)]
    assert sum(p["images"]["compared"] for p in parts) == whole["images"]["compared"]
    for n, c in whole["classes"].items():
        for f in ("intersection", "union", "tp", "fp", "fn", "iou_sum"):
            got = sum(p["classes"].get(n, {}).get(f, 0) for p in parts)
            assert abs(got - c[f]) < 1e-9, (form, n, f, got, c[f])
' "$tmpdir/j1.json" "$tmpdir"

run "$px" agree "$d/a"
check "one folder without --users is a usage error" test "$status" -eq 2
run "$px" agree --users alice "$d/shared"
check "--users wants two names" test "$status" -eq 2
run "$px" agree --users alice,alice "$d/shared"
check "--users with one name twice is refused" test "$status" -eq 2
run "$px" agree --worst many "$d/a" "$d/b"
check "--worst wants a number" test "$status" -eq 2
run "$px" agree "$d/a" "$tmpdir/nowhere"
check "a missing folder is an error naming it" sh -c "test $status -eq 1 && grep -q nowhere '$tmpdir/err'"

done_testing
