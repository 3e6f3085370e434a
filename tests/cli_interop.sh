#!/bin/sh
# cli_interop.sh: `pxlabel import` and `pxlabel export` on files the test writes: LabelMe and COCO
# files of known shapes (pixel counts worked out by hand), round trips import -> export -> import
# that keep every pixel, masks in and out, and hostile files.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
dump=${PNGDUMP:-./tests/pngdump}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d/sub"
cp "$data/good/rgb.png" "$d/a.png"
cp "$data/good/rgb.png" "$d/sub/b.png"
cat >"$d/pxlabel.ini" <<'INI'
[class cat]
id = 1

[class dog]
id = 2
INI
# a.png is 64 x 43. cat: rectangle (2,3)-(12,13), 100 pixels, of which the dog (drawn later) takes
# x 8..12, y 8..13: 80 left. dog: 22 x 12 = 264. A second cat, a circle of radius 3 centred on a
# pixel centre: the integer offsets with dx^2 + dy^2 <= 9, 7 + 10 + 10 + 2 = 29 pixels. The point
# is skipped with a warning.
cat >"$d/a.json" <<'JSON'
{"version": "5.1.1", "flags": {}, "imagePath": "a.png", "imageData": null, "imageWidth": 64, "imageHeight": 43,
 "shapes": [
  {"label": "cat", "points": [[2, 3], [12, 13]], "group_id": null, "shape_type": "rectangle", "flags": {}},
  {"label": "dog", "points": [[8, 8], [30, 8], [30, 20], [8, 20]], "group_id": null, "shape_type": "polygon", "flags": {}},
  {"label": "cat", "points": [[40.5, 30.5], [43.5, 30.5]], "group_id": null, "shape_type": "circle", "flags": {}},
  {"label": "dog", "points": [[50, 5]], "group_id": null, "shape_type": "point", "flags": {}, "colour": 1}
 ]}
JSON
cat >"$d/sub/b.json" <<'JSON'
{"imagePath": "b.png", "imageWidth": 64, "imageHeight": 43,
 "shapes": [{"label": "bird", "points": [[0, 0], [10, 0], [10, 10], [0, 10]], "group_id": 4, "shape_type": "polygon"},
            {"label": "bird", "points": [[20, 0], [30, 0], [30, 10]], "group_id": 4, "shape_type": "polygon"}]}
JSON
want_a=$(printf '64 43\n0 2379\n1 109\n2 264\n')
want_a_inst=$(printf '64 43\n0 2379\n1 80\n2 264\n3 29\n')

run "$px" import labelme "$d"
check "a class missing from pxlabel.ini: exit 1" test "$status" -eq 1
check "it is named, with the way out" grep -q 'class not in .*pxlabel.ini: "bird" (add them, or import with --add-classes)' "$tmpdir/err"
check "the other image is imported" test -s "$d/a.pxl.json" -a -s "$d/a.labels.png" -a -s "$d/a.instances.png"
check "the point is skipped with a warning" grep -q 'a.json: shapes\[3\]: point "dog" skipped' "$tmpdir/err"
check "an unknown field is a warning" grep -q 'shapes\[3\]: unknown field "colour" ignored' "$tmpdir/err"
check "no progress bar when stderr is not a terminal" sh -c "! grep -q '#' '$tmpdir/err'"
run "$dump" "$d/a.labels.png"
check "class mask: LabelMe's layering, the pixel rule (rectangle, polygon, circle)" test "$(cat "$tmpdir/out")" = "$want_a"
run "$dump" "$d/a.instances.png"
check "instance mask: one instance per shape without group" test "$(cat "$tmpdir/out")" = "$want_a_inst"
run "$px" import labelme "$d/a.json"
check "outlines already there are not overwritten" sh -c "[ $status -eq 1 ] && grep -q 'use --replace or --append' '$tmpdir/err'"
run "$px" import labelme --add-classes --replace "$d"
check "--add-classes adds the missing class" sh -c "[ $status -eq 0 ] && grep -q '^\[class bird\]' '$d/pxlabel.ini'"
check "and says so" grep -q 'pxlabel.ini: 1 class added' "$tmpdir/err"
run "$dump" "$d/sub/b.instances.png"
# Two polygons with one group_id: one instance. The square 100 px; the triangle (20,0) (30,0)
# (30,10): its slanted edge is a left edge, so centres on it count: row j takes x from j + 20
# to 29, 10 + 9 + ... + 1 = 55.
check "one group_id: one instance of both shapes" test "$(cat "$tmpdir/out")" = "$(printf '64 43\n0 2597\n1 155\n')"
run "$dump" "$d/a.labels.png"
check "--replace gives the same masks again" test "$(cat "$tmpdir/out")" = "$want_a"

# The masks again, now that every class is in pxlabel.ini (and so in the palette), so that
# round trips can be compared byte for byte.
run "$px" mask "$d"
# COCO: export, import into a copy of the images, same masks.
run "$px" export coco "$d" -o "$tmpdir/out.json"
check "export coco exits 0" test "$status" -eq 0
check "file names relative to the folder" grep -q '"file_name":"sub/b.png"' "$tmpdir/out.json"
check "area is the exact pixel count" grep -q '"area":264' "$tmpdir/out.json"
check "bbox is x, y, width, height" grep -q '"bbox":\[8,8,22,12\]' "$tmpdir/out.json"
check "categories from the classes" grep -q '{"id":3,"name":"bird","supercategory":"bird"}' "$tmpdir/out.json"
c=$tmpdir/coco
mkdir -p "$c/sub"
cp "$d/a.png" "$c/a.png"
cp "$d/sub/b.png" "$c/sub/b.png"
run "$px" import coco --images "$c" "$tmpdir/out.json"
check "import coco without the classes: exit 1" test "$status" -eq 1
run "$px" import coco --add-classes --images "$c" "$tmpdir/out.json"
check "import coco --add-classes exits 0" test "$status" -eq 0
run "$px" mask "$c" # the palette of a.png's masks, written before bird was added, now has it
check "categories become classes with their ids" sh -c "grep -A1 '^\[class dog\]' '$c/pxlabel.ini' | grep -q 'id = 2'"
check "COCO round trip: the same class mask" cmp -s "$d/a.labels.png" "$c/a.labels.png"
check "COCO round trip: the same instance mask" cmp -s "$d/a.instances.png" "$c/a.instances.png"
check "COCO round trip: the second image" cmp -s "$d/sub/b.labels.png" "$c/sub/b.labels.png"
run "$px" export coco --rle "$d" -o "$tmpdir/rle.json"
check "export coco --rle" sh -c "[ $status -eq 0 ] && grep -q '\"counts\":\"' '$tmpdir/rle.json'"
run "$px" import coco --replace --images "$c" "$tmpdir/rle.json"
check "RLE round trip: the same masks" sh -c "[ $status -eq 0 ] && cmp -s '$d/a.instances.png' '$c/a.instances.png'"
run "$px" import coco --replace --images "$c" --shard 0/2 "$tmpdir/rle.json"
grep -o 'imported [0-9]* image' "$tmpdir/err" >"$tmpdir/shards"
run "$px" import coco --replace --images "$c" --shard 1/2 "$tmpdir/rle.json"
grep -o 'imported [0-9]* image' "$tmpdir/err" >>"$tmpdir/shards"
check "--shard 0/2 and 1/2 take the two images between them" awk '{ s += $2 } END { exit s != 2 }' "$tmpdir/shards"

# LabelMe: export next to a copy, import back.
l=$tmpdir/lm
run "$px" export labelme "$d" -o "$l"
check "export labelme exits 0" sh -c "[ $status -eq 0 ] && [ -s '$l/a.json' ] && [ -s '$l/sub/b.json' ]"
check "imagePath leads from the JSON to the image" grep -q '"imagePath": "../../set/sub/b.png"' "$l/sub/b.json"
run "$px" import labelme "$l/a.json"
check "an imagePath out of the JSON's folder is refused" sh -c "[ $status -eq 1 ] && grep -q 'leads out of' '$tmpdir/err'"
cp "$d/a.labels.png" "$tmpdir/a.labels.before.png"
cp "$d/a.instances.png" "$tmpdir/a.instances.before.png"
run "$px" import labelme --replace --root "$tmpdir" "$l"
check "with --root around both it imports" test "$status" -eq 0
check "LabelMe round trip: the same class mask" cmp -s "$tmpdir/a.labels.before.png" "$d/a.labels.png"
check "LabelMe round trip: the same instance mask" cmp -s "$tmpdir/a.instances.before.png" "$d/a.instances.png"

# VOC.
v=$tmpdir/voc
run "$px" export voc --val 50 "$d" -o "$v"
check "export voc exits 0" test "$status" -eq 0
run "$dump" "$v/SegmentationClass/a.png"
check "SegmentationClass holds the class ids" test "$(cat "$tmpdir/out")" = "$want_a"
run "$dump" "$v/SegmentationObject/a.png"
check "SegmentationObject numbers the objects" test "$(cat "$tmpdir/out")" = "$want_a_inst"
check "class_names.txt: line i names class i" test "$(cat "$v/class_names.txt")" = "$(printf '_background_\ncat\ndog\nbird')"
check "trainval lists both" test "$(cat "$v/ImageSets/Segmentation/trainval.txt")" = "$(printf 'a\nb')"
check "train and val split them" test "$(cat "$v/ImageSets/Segmentation/train.txt" "$v/ImageSets/Segmentation/val.txt" | sort)" = "$(printf 'a\nb')"
check "JPEGImages links to the images" test -L "$v/JPEGImages/a.png" -a -e "$v/JPEGImages/a.png"
run "$px" export voc --copy --class-colours "$d/a.png" -o "$tmpdir/voc2"
check "--copy copies" sh -c "[ $status -eq 0 ] && [ -f '$tmpdir/voc2/JPEGImages/a.png' ] && [ ! -L '$tmpdir/voc2/JPEGImages/a.png' ]"
rm "$v/ImageSets/Segmentation/trainval.txt"
run "$px" export voc --lists-only "$d" -o "$v"
check "--lists-only writes the lists from the masks there" test "$(cat "$v/ImageSets/Segmentation/trainval.txt")" = "$(printf 'a\nb')"
run "$px" export voc --lists-only "$d" -o "$tmpdir/novoc"
check "--lists-only where no export was made: refused, nothing made" sh -c "[ $status -eq 1 ] && grep -q 'has no SegmentationClass/' '$tmpdir/err' && [ ! -e '$tmpdir/novoc/JPEGImages' ]"
# A name with a line break cannot be a line of a list: left out, and said so.
cp "$v/SegmentationClass/a.png" "$v/SegmentationClass/$(printf 'c\nd').png"
run "$px" export voc --lists-only "$d" -o "$v"
check "a mask named with a line break is left out of the lists" test "$(cat "$v/ImageSets/Segmentation/trainval.txt")" = "$(printf 'a\nb')"
check "and the export says so" sh -c "[ $status -eq 0 ] && grep -qF 'SegmentationClass/c\\x0ad.png: left out of the lists in ImageSets/: a line break in its name' '$tmpdir/err'"
rm "$v/SegmentationClass/$(printf 'c\nd').png"

# Cityscapes.
y=$tmpdir/cs
run "$px" export cityscapes --stuff dog "$d" -o "$y"
check "export cityscapes exits 0" sh -c "[ $status -eq 0 ] && [ -s '$y/a_gtFine_labelIds.png' ] && [ -s '$y/a_gtFine_color.png' ] && [ -s '$y/sub/b_gtFine_instanceIds.png' ]"
run "$dump" "$y/a_gtFine_instanceIds.png"
check "instanceIds: class * 1000 + index, stuff as its class id" test "$(cat "$tmpdir/out")" = "$(printf '64 43\n0 2379\n2 264\n1000 80\n1001 29\n')"

# Masks in: the image's own masks, and a prediction in another folder.
m=$tmpdir/m
mkdir -p "$m/pred"
cp "$d/a.png" "$m/a.png"
cp "$d/pxlabel.ini" "$m/pxlabel.ini"
cp "$d/a.labels.png" "$m/pred/a.labels.png"
cp "$d/a.instances.png" "$m/pred/a.instances.png"
run "$px" import mask --images "$m" "$m/pred/a.labels.png"
check "import mask exits 0" test "$status" -eq 0
check "the instance mask beside it is used" cmp -s "$m/a.instances.png" "$d/a.instances.png"
rm "$m/a.labels.png" "$m/a.instances.png"
run "$px" mask "$m/a.png"
check "import mask, then mask: the identical class mask" cmp -s "$m/a.labels.png" "$d/a.labels.png"
check "and the identical instance mask" cmp -s "$m/a.instances.png" "$d/a.instances.png"
cp "$d/a.labels.png" "$m/pred/a.png"
run "$px" import mask --replace --images "$m" "$m/pred/a.png"
run "$dump" "$m/a.instances.png"
check "a class mask alone: one instance per class" test "$(cat "$tmpdir/out")" = "$(printf '64 43\n0 2379\n1 109\n2 264\n')"

# Hostile files.
printf '{"imagePath": "a.png",\n "shapes": [\n  {"label": "cat",, }\n]}\n' >"$tmpdir/bad.json"
cp "$tmpdir/bad.json" "$d/bad.json"
run "$px" import labelme "$d/bad.json"
check "malformed JSON: file, line and column" sh -c "[ $status -eq 1 ] && grep -q 'bad.json:3:' '$tmpdir/err'"
printf '{"imagePath": "../../../etc/passwd", "shapes": []}' >"$d/esc.json"
run "$px" import labelme "$d/esc.json"
check "an imagePath leaving the data set is refused" sh -c "[ $status -eq 1 ] && grep -q 'leads out of' '$tmpdir/err'"
rm "$d/esc.json" "$d/bad.json"
printf '{"images": [{"id": 1, "file_name": "/etc/passwd", "width": 4, "height": 4}], "annotations": [{"image_id": 1, "category_id": 1, "segmentation": [[0,0,1,0,1,1]]}], "categories": [{"id": 1, "name": "cat"}]}' >"$tmpdir/esc.json"
run "$px" import coco --images "$c" "$tmpdir/esc.json"
check "a file_name outside --images is refused" sh -c "[ $status -eq 1 ] && grep -q 'absolute path' '$tmpdir/err'"
printf '{"imagePath": "a.png", "imageWidth": 65, "imageHeight": 43, "shapes": []}' >"$d/size.json"
run "$px" import labelme --replace "$d/size.json"
check "a file made for another image size is refused" sh -c "[ $status -eq 1 ] && grep -q 'made for a 65x43 image' '$tmpdir/err'"
rm "$d/size.json"
run "$px" import coco "$tmpdir/out.json"
check "import coco without --images is a usage error" test "$status" -eq 2
run "$px" import
check "import without a format is a usage error" test "$status" -eq 2
run "$px" export voc "$d"
check "export without -o is a usage error" test "$status" -eq 2
run "$px" export labelme --base "$d/sub" "$d/a.png" -o "$tmpdir/x"
check "an image outside --base is refused (its files would leave OUT)" sh -c "[ $status -eq 1 ] && grep -q 'is not inside' '$tmpdir/err'"
run "$px" export tiff "$d" -o "$tmpdir/x"
check "an unknown format is a usage error" test "$status" -eq 2

# What a hurried user does (from a trial): an export inside the data set, two images of one name,
# a --void typo, -o naming an input.
e=$tmpdir/hurry
mkdir -p "$e/a" "$e/b"
printf '[class cat]\nid = 1\n\n[class __ignore__]\nid = 2\n' >"$e/pxlabel.ini"
cp "$data/good/rgb.png" "$e/a/x.png"
cp "$data/good/rgb.png" "$e/b/x.png"
cat >"$e/a/x.json" <<'JSON'
{"imagePath": "x.png", "imageWidth": 64, "imageHeight": 43, "shapes": [
 {"label": "cat", "points": [[2, 3], [12, 13]], "shape_type": "rectangle"},
 {"label": "__ignore__", "points": [[20, 20], [30, 30]], "shape_type": "rectangle"}]}
JSON
run "$px" import labelme "$e/a/x.json"
check "hurry: import exits 0" test "$status" -eq 0
run "$px" export voc "$e" -o "$e/voc"
check "an unlabelled image of the same name (b/x.png) is no collision: exit 0" test "$status" -eq 0
run "$px" export voc "$e" -o "$e/voc2"
check "a second export beside the first one, inside the data set: exit 0" test "$status" -eq 0
check "the first export's folder is not walked for images" grep -q "exported 1 of 2 images" "$tmpdir/err"
check "no image of the first export is exported again" sh -c "test \$(ls '$e/voc2/SegmentationClass' | wc -l) -eq 1"
check "the summary names the images not JPEG-named, for torchvision" grep -q "NAME.jpg only" "$tmpdir/err"
run "$px" export voc --void nosuch "$e" -o "$tmpdir/hv"
check "--void with no such class: exit 1" test "$status" -eq 1
check "and it names the class" grep -q -- "--void nosuch: no class of that name" "$tmpdir/err"
run "$px" export voc --void cat "$e" -o "$tmpdir/hv2"
check "--void cat adds to __ignore__: both are 255" sh -c "'$dump' '$tmpdir/hv2/SegmentationClass/x.png' | grep -q '^255 200\$'"
cp "$e/a/x.pxl.json" "$e/b/x.pxl.json"
run "$px" export voc "$e/a" "$e/b" -o "$tmpdir/hv3"
check "two labelled images of one name: exit 1" test "$status" -eq 1
check "the second is refused, named" grep -q "would both be x in VOC's one folder.*b/x.png skipped" "$tmpdir/err"
cp "$e/a/x.png" "$tmpdir/x-copy.png"
run "$px" export coco "$e/a" -o "$e/a/x.png"
check "export coco -o onto an input image: refused" test "$status" -eq 1
check "the image is untouched" cmp -s "$e/a/x.png" "$tmpdir/x-copy.png"
run "$px" export coco "$e/a" -o "$e/a/x.pxl.json"
check "export coco -o onto outlines: refused" test "$status" -eq 1
run "$px" export coco "$e/a" -o "$tmpdir/new/dir/x.json"
check "export coco -o into a new folder makes it" test -s "$tmpdir/new/dir/x.json"
run "$px" export cityscapes --tree "$e/a" -o "$tmpdir/flat"
check "cityscapes --tree on a flat folder warns about SPLIT/CITY" grep -q "SPLIT/CITY" "$tmpdir/err"
# A file made on a rotated photo's pixels as stored (43x64), by a tool that ignores EXIF.
cp "$data/good/exif-orient6.jpg" "$e/rot.jpg"
printf '{"imagePath": "rot.jpg", "imageWidth": 43, "imageHeight": 64, "shapes": []}\n' >"$e/rot.json"
run "$px" import labelme "$e/rot.json"
check "a file for the stored sides of a rotated photo: refused, pointing at EXIF" sh -c "[ $status -eq 1 ] && grep -q 'swapped.*EXIF' '$tmpdir/err'"
done_testing
