#!/bin/sh
# cli_mask.sh: `pxlabel mask` and `pxlabel stats` on a data set the test writes itself.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
dump=${PNGDUMP:-./tests/pngdump}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d/sub"
cp "$data/../../data/chelsea.png" "$d/chelsea.png"
cp "$data/good/exif-orient6.jpg" "$d/sub/rotated.jpg"
cp "$data/good/rgb.png" "$d/sub/plain.png"
cat >"$d/pxlabel.ini" <<'INI'
[class cat]
id = 1
color = #e6194b
key = c

[class cushion]
id = 2
color = #4363d8
parent = cat
INI
# Two squares, the second over the first; a cut from the first; a stroke behind everything.
cat >"$d/chelsea.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "chelsea.png", "width": 451, "height": 300},
 "instances": [
  {"id": 3, "class": 2, "shapes": [{"op": "add", "type": "stroke", "width": 2, "path": [[0.5, 290.5], [450.5, 290.5]]}]},
  {"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[100,50],[200,50],[200,150],[100,150]]]},
                                    {"op": "cut", "type": "polygon", "rings": [[[100,50],[110,50],[110,60],[100,60]]]}]},
  {"id": 2, "class": 2, "parent": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[150,100],[250,100],[250,200],[150,200]]]}]}
 ]}
JSON
# The rotated JPEG is 43x64 on disk and 64x43 upright: its sidecar is for the upright size.
cat >"$d/sub/rotated.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "rotated.jpg", "width": 64, "height": 43},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[0,0],[10,0],[10,5],[0,5]]]}]}]}
JSON

run "$px" mask "$d"
check "mask over a folder exits 0" test "$status" -eq 0
check "it reports what it did" grep -q "masks written for 2 of 3 images (1 without outlines, 0 failed)" "$tmpdir/err"
check "labels and instances written beside the image" test -s "$d/chelsea.labels.png" -a -s "$d/chelsea.instances.png"
check "no masks for an image without outlines" test ! -e "$d/sub/plain.labels.png"
check "no temporary files left" test -z "$(find "$d" -name '.*' -type f)"
run "$dump" "$d/chelsea.labels.png"
# cat: 100x100 - 10x10 cut - 50x50 under the cushion = 7400; cushion: 10000 + the stroke, whose
# width 2 takes the centres within 1 px of y = 290.5, boundary included: rows 289, 290, 291,
# 451 pixels each = 1353, no overlap.
check "class mask values and counts exact" test "$(cat "$tmpdir/out")" = "$(printf '451 300\n0 116547\n1 7400\n2 11353\n')"
run "$dump" "$d/chelsea.instances.png"
check "instance mask values and counts exact" test "$(cat "$tmpdir/out")" = "$(printf '451 300\n0 116547\n1 7400\n2 10000\n3 1353\n')"
run "$dump" "$d/chelsea.labels.png" 105 55
check "the cut left a hole" test "$(cat "$tmpdir/out")" = 0
run "$dump" "$d/chelsea.instances.png" 175 125
check "the instance on top wins the overlap" test "$(cat "$tmpdir/out")" = 2
run "$dump" "$d/sub/rotated.labels.png"
check "an EXIF-rotated image gets upright masks" test "$(head -n 1 "$tmpdir/out")" = "64 43"
cp "$d/chelsea.labels.png" "$tmpdir/first.png"
run "$px" mask --quiet "$d/chelsea.png"
check "mask is idempotent" cmp -s "$tmpdir/first.png" "$d/chelsea.labels.png"
check "--quiet says nothing" test ! -s "$tmpdir/err"

run "$px" stats "$d/chelsea.png"
check "stats prints the labeled fraction" grep -q "13.9% labeled  3 instances  review todo" "$tmpdir/out"
check "stats prints pixels per class with names" grep -q "cushion *11353 px" "$tmpdir/out"
run "$px" stats --json "$d"
check "stats --json totals" grep -q '"with_outlines": 2' "$tmpdir/out"
check "stats --json lists images without outlines" grep -q '"sidecar": false' "$tmpdir/out"
mkdir "$tmpdir/nothing"
run "$px" stats "$tmpdir/nothing"
check "stats on a folder without images says so in its total" sh -c "[ $status -eq 0 ] && grep -q '^total: 0 images' '$tmpdir/out'"

# A class renamed in pxlabel.ini since the outlines were saved is pointed out.
"$px" mask --quiet "$d/chelsea.png"
cp "$d/pxlabel.ini" "$tmpdir/ini.bak"
cp "$d/chelsea.pxl.json" "$tmpdir/side.bak"
# As pxlabel writes them, sidecars record the classes they use.
sed -i 's/^ "instances": \[/ "classes": [{"id": 1, "name": "cat", "color": "#e6194b"}],\n "instances": [/' "$d/chelsea.pxl.json"
sed -i 's/\bcat\b/dog/' "$d/pxlabel.ini"
run "$px" stats "$d/chelsea.png"
check "stats warns that class 1 was \"cat\" and is now \"dog\"" grep -q 'warning: .*class 1 was "cat" when these outlines were saved, .*pxlabel.ini now calls it "dog"' "$tmpdir/err"
cp "$tmpdir/ini.bak" "$d/pxlabel.ini"
# Renumbered: the outlines keep cushion's old id 2, which an export would list beside the new 3.
sed -i 's/{"id": 1, "name": "cat", "color": "#e6194b"}/&, {"id": 2, "name": "cushion", "color": "#4363d8"}/' "$d/chelsea.pxl.json"
sed -i 's/^id = 2$/id = 3/' "$d/pxlabel.ini"
run "$px" mask "$d/chelsea.png"
check "mask warns that cushion was 2 and is now 3" grep -q 'warning: .*chelsea.pxl.json: class "cushion" was 2 when these outlines were saved, .*pxlabel.ini now gives it 3; the outlines keep 2$' "$tmpdir/err"
check "once" test "$(grep -c warning "$tmpdir/err")" -eq 1
cp "$tmpdir/ini.bak" "$d/pxlabel.ini"
run "$px" stats "$d/chelsea.png"
check "no warning when they agree" test ! -s "$tmpdir/err"
cp "$tmpdir/side.bak" "$d/chelsea.pxl.json"

# A sidecar whose image was deleted: one warning each time a folder is walked, not silence.
cp "$d/chelsea.pxl.json" "$d/sub/coffee.pxl.json"
sed -i 's/"file": "chelsea.png"/"file": "coffee.jpg"/' "$d/sub/coffee.pxl.json"
for cmd in mask stats "export coco -o $tmpdir/orphan.json"; do
	run "$px" $cmd "$d"
	check "${cmd%% -o *} warns of the sidecar without its image" sh -c "[ $status -eq 0 ] && [ \"\$(grep -c warning '$tmpdir/err')\" -eq 1 ] && grep -qx 'pxlabel: warning: $d/sub/coffee.pxl.json: its image coffee.jpg is missing; skipped' '$tmpdir/err'"
done
run "$px" stats "$d/chelsea.png"
check "not when images are named" test ! -s "$tmpdir/err"
printf 'not json' >"$d/sub/coffee.pxl.json"
run "$px" stats "$d"
check "a broken one is still pointed out" grep -q 'warning: .*sub/coffee.pxl.json: no PNG, JPEG or TIFF image of its name beside it; skipped' "$tmpdir/err"
rm "$d/sub/coffee.pxl.json"

# Bad input: errors name the file, nothing is overwritten.
cp "$d/chelsea.pxl.json" "$tmpdir/good.json"
printf '{"format": "pxlabel", "version": 1,\n "image": {"file": "x", "width": 451, "height": 300},\n "instances": [}\n' >"$d/chelsea.pxl.json"
cp "$d/chelsea.labels.png" "$tmpdir/before.png"
run "$px" mask "$d/chelsea.png"
check "a broken sidecar: exit 1" test "$status" -eq 1
check "the error gives file, line and column" grep -q "chelsea.pxl.json:3:" "$tmpdir/err"
check "the masks are left alone" cmp -s "$tmpdir/before.png" "$d/chelsea.labels.png"
check "the broken sidecar is left alone" grep -q '"instances": \[}' "$d/chelsea.pxl.json"
cp "$tmpdir/good.json" "$d/chelsea.pxl.json"
sed 's/"width": 451/"width": 450/' "$tmpdir/good.json" >"$d/chelsea.pxl.json"
run "$px" mask "$d/chelsea.png"
check "a sidecar made for another size is refused" sh -c "[ $status -eq 1 ] && grep -q 'would not line up' '$tmpdir/err'"
check "without a word of EXIF when the sizes are not swapped" sh -c "! grep -q EXIF '$tmpdir/err'"
sed 's/"width": 451, "height": 300/"width": 300, "height": 451/' "$tmpdir/good.json" >"$d/chelsea.pxl.json"
run "$px" mask "$d/chelsea.png"
check "width and height swapped: refused, with the EXIF orientation as the likely cause" sh -c "[ $status -eq 1 ] && grep -q 'made for a 300x451 image, but .*chelsea.png is 451x300: masks would not line up (width and height swapped: the image.s EXIF orientation probably changed' '$tmpdir/err'"
cp "$tmpdir/good.json" "$d/chelsea.pxl.json"
printf '[class cat]\nid = 1\ncolor = red\n' >"$d/pxlabel.ini"
run "$px" mask "$d/chelsea.png"
check "a bad pxlabel.ini names file and line" sh -c "[ $status -eq 1 ] && grep -q 'pxlabel.ini:3' '$tmpdir/err'"
rm "$d/pxlabel.ini"
cp "$d/chelsea.png" "$d/chelsea.jpg"
run "$px" mask "$d"
check "two images with one stem are refused" sh -c "[ $status -eq 1 ] && grep -q 'share a name' '$tmpdir/err'"
rm "$d/chelsea.jpg"
run "$px" mask
check "mask without arguments is a usage error" test "$status" -eq 2
run "$px" stats "$d/nothing.png"
check "stats on a missing file is an error" test "$status" -eq 1

# Slivers: a background drawn behind fills a 2x2 hole cut in an object: a part of 4 pixels of
# the background, far from the rest of it. stats names the image and the part.
s=$tmpdir/sliv
mkdir -p "$s"
cp "$data/good/rgb.png" "$s/a.png"
cp "$data/good/rgb.png" "$s/b.png"
cat >"$s/a.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "a.png", "width": 64, "height": 43},
 "instances": [
  {"id": 2, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[0,0],[64,0],[64,43],[0,43]]]}]},
  {"id": 1, "class": 2, "shapes": [{"op": "add", "type": "polygon", "rings": [[[10,10],[30,10],[30,30],[10,30]]]},
                                    {"op": "cut", "type": "polygon", "rings": [[[15,15],[17,15],[17,17],[15,17]]]}]}
 ]}
JSON
cat >"$s/b.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "b.png", "width": 64, "height": 43},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[0,0],[10,0],[10,5],[0,5]]]}]}]}
JSON
run "$px" stats "$s"
check "stats names the sliver of a.png" grep -q "^  slivers: 1 part of instances under 20 px: #2 4 px at (15, 15)$" "$tmpdir/out"
check "and lists the images that have them" sh -c "grep -A1 '^slivers (small stray parts of instances, v in the annotator goes to them) in 1 image:' '$tmpdir/out' | grep -q 'a.png'"
check "b.png has none" sh -c "! grep -A3 'b.png' '$tmpdir/out' | grep -q slivers:"
run "$px" stats --json "$s"
check "stats --json: the sliver, with instance, size and place" \
    sh -c "tr -d ' \n' <'$tmpdir/out' | grep -q '\"slivers\":\[{\"instance\":2,\"pixels\":4,\"x\":15,\"y\":15}\]'"
check "stats --json: the size it looked for" grep -q '"sliver_pixels": 20' "$tmpdir/out"
check "stats --json: images with slivers in the totals" grep -q '"with_slivers": 1' "$tmpdir/out"
printf '[pxlabel]\nsliver_pixels = 4\n' >"$s/pxlabel.ini"
run "$px" stats --json "$s"
check "sliver_pixels = 4 in pxlabel.ini: a part of 4 is no sliver" grep -q '"with_slivers": 0' "$tmpdir/out"

done_testing
