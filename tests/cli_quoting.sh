#!/bin/sh
# cli_quoting.sh: text from files and file names never reaches the terminal raw. Escape
# sequences (an OSC that sets the title, CSI, BEL, C1 controls raw and encoded, bytes that are not
# UTF-8) in LabelMe labels, keys and shape types, COCO category names and file names, class names
# in pxlabel.ini, sidecar class names and review states, and image file names: every message and
# every line of output shows them as visible \xNN escapes, and still names the thing.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}

# clean FILE: no control character but the newline (C0, DEL, C1 encoded in UTF-8), and valid
# UTF-8 (so no raw C1 byte either).
clean() {
	LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1" && return 1
	LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" && return 1
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
dirty() { ! clean "$1"; }
# both_clean: what the last run printed, on both streams.
both_clean() { clean "$tmpdir/out" && clean "$tmpdir/err"; }
# says TEXT: stderr holds TEXT, as a fixed string.
says() { grep -qF -- "$1" "$tmpdir/err"; }
# fails_saying TEXT: the last run failed (exit 1) with TEXT on stderr, and printed nothing raw.
fails_saying() { [ "$status" -eq 1 ] && says "$1" && both_clean; }

command -v iconv >/dev/null || { echo "1..0 # SKIP iconv is missing"; exit 0; }

# The checker itself must see what it is looking for.
printf 'a\033]0;t\007b\n' >"$tmpdir/raw1"
printf 'a\302\233b\n' >"$tmpdir/raw2"
printf 'a\233b\n' >"$tmpdir/raw3"
printf 'caf\303\251 \346\227\245\n' >"$tmpdir/fine"
checker_works() { dirty "$tmpdir/raw1" && dirty "$tmpdir/raw2" && dirty "$tmpdir/raw3" && clean "$tmpdir/fine"; }
check "the checker sees ESC and BEL, C1 encoded and a raw C1 byte, and passes UTF-8 text" checker_works

# --- LabelMe: keys, labels and shape types -----------------------------------------------------
d=$tmpdir/lm
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"
cat >"$d/a.json" <<'JSON'
{"version": "5.1.1", "flags": {}, "imagePath": "a.png", "imageData": null, "imageWidth": 64, "imageHeight": 43,
 "\u001b]0;owned\u0007": 1,
 "shapes": [
  {"label": "cat\u001b[31m", "points": [[2, 3], [12, 13]], "shape_type": "rectangle", "\u001b]2;key\u0007": 0},
  {"label": "dog\u009b31m", "points": [[50, 5]], "shape_type": "point"},
  {"label": "bird", "points": [[1, 1], [5, 5]], "shape_type": "weird\u001b[2J"}
 ]}
JSON
run "$px" import labelme "$d/a.json"
check "LabelMe with escapes: refused for the missing class (exit 1)" test "$status" -eq 1
check "LabelMe: nothing raw on stdout or stderr" both_clean
check "an unknown top-level key is named, escaped" says 'a.json: top level: unknown field "\x1b]0;owned\x07" ignored'
check "an unknown key in a shape too" says 'a.json: shapes[0]: unknown field "\x1b]2;key\x07" ignored'
check "a label with an encoded C1 control, in a skipped point" says 'point "dog\xc2\x9b31m" skipped'
check "an unknown shape_type" says 'unknown shape_type "weird\x1b[2J" skipped'
check "the missing class, quoted in the list" says '1 class not in pxlabel.ini (none found, so the built-in classes): "cat\x1b[31m" (add them'
run "$px" import labelme --add-classes "$d/a.json"
check "--add-classes refuses a class name with a control character, cleanly" \
	fails_saying 'pxlabel.ini: class name "cat\x1b[31m" has a control character'
check "and writes no pxlabel.ini" test ! -e "$d/pxlabel.ini"

# --- COCO: category names and file names ----------------------------------------------------------
c=$tmpdir/coco
mkdir -p "$c"
cp "$data/good/rgb.png" "$c/a.png"
cat >"$c/in.json" <<'JSON'
{"images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 43}],
 "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "segmentation": [[2, 3, 12, 3, 12, 13]], "iscrowd": 0}],
 "categories": [{"id": 3, "name": "car\u001b]0;t\u0007", "supercategory": "veh\u009bicle"}]}
JSON
run "$px" import coco --images "$c" "$c/in.json"
check "COCO with an escape in a category name: exit 1" test "$status" -eq 1
check "COCO: nothing raw" both_clean
check "the category is named, escaped" says '"car\x1b]0;t\x07" (add them'
run "$px" import coco --add-classes --images "$c" "$c/in.json"
check "COCO --add-classes: the supercategory is refused first, named, cleanly" \
	fails_saying 'class name "veh\xc2\x9bicle" has a control character'
cat >"$c/gone.json" <<'JSON'
{"images": [{"id": 1, "file_name": "gone\u001b[2J.png", "width": 64, "height": 43}],
 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[2, 3, 12, 3, 12, 13]], "iscrowd": 0}],
 "categories": [{"id": 1, "name": "background"}]}
JSON
run "$px" import coco --images "$c" "$c/gone.json"
check "a file_name with an escape that names no file: exit 1" test "$status" -eq 1
check "the file is named, escaped" says 'gone\x1b[2J.png'
check "COCO file_name: nothing raw" both_clean

# --- pxlabel.ini: class names and sections ----------------------------------------------------
p=$tmpdir/ini
mkdir -p "$p"
cp "$data/good/rgb.png" "$p/a.png"
printf '[class a]\nid = 1\n[class b\033]0;t\007x]\nid = 2\n' >"$p/pxlabel.ini"
run "$px" stats "$p"
check "a class name with an OSC in pxlabel.ini: exit 1" test "$status" -eq 1
check "pxlabel.ini: the file, the line and the name, escaped" says 'pxlabel.ini:3: class name "b\x1b" has a control character'
check "pxlabel.ini: nothing raw" both_clean
printf '[class a\302\233b]\nid = 1\n' >"$p/pxlabel.ini"
run "$px" mask "$p"
check "a class name with a C1 control: named, escaped" says 'pxlabel.ini:1: class name "a\xc2\x9bb" has a control character'
check "mask: nothing raw" both_clean

# --- image file names ---------------------------------------------------------------------------
f=$tmpdir/names
mkdir -p "$f"
evil=$(printf 'evil\033]0;t\007\302\233.png')
latin=$(printf 'caf\351.png')
good=$(printf 'caf\303\251.png')
cp "$data/good/rgb.png" "$f/$evil"
cp "$data/good/rgb.png" "$f/$latin"
cp "$data/good/rgb.png" "$f/$good"
printf 'not an image' >"$f/$(printf 'bad\033[2J.png')"
run "$px" stats "$f"
check "stats over images named with escapes: exit 1 (one is broken)" test "$status" -eq 1
check "stats: nothing raw on stdout or stderr" both_clean
check "an image name with OSC and C1 is listed, escaped" grep -qF 'evil\x1b]0;t\x07\xc2\x9b.png  64x43' "$tmpdir/out"
check "a Latin-1 name shows its byte" grep -qF 'caf\xe9.png  64x43' "$tmpdir/out"
check "a UTF-8 name is kept as it is" grep -qF "$good  64x43" "$tmpdir/out"
check "the broken image is named, escaped" says 'bad\x1b[2J.png: unsupported image format'
run "$px" stats --json "$f"
check "stats --json: nothing raw (C1 in names as \\u escapes)" both_clean
check "stats --json: the names are there, as JSON escapes" grep -qiF '/evil\u001b]0;t\u0007\u009b.png"' "$tmpdir/out"
check "stats --json: a name that is not UTF-8 is there, in its visible form" grep -qF '/caf\\xe9.png"' "$tmpdir/out"
run "$px" mask "$f"
check "mask: the broken image is named, escaped, nothing raw" fails_saying 'bad\x1b[2J.png: unsupported image format'
run "$px" render --size 8x4 "$f/$(printf 'bad\033[2J.png')"
check "render: the image is named, escaped, nothing raw" fails_saying 'bad\x1b[2J.png: unsupported image format'

# --- sidecars: class names and review states --------------------------------------------------------
s=$tmpdir/side
mkdir -p "$s"
cp "$data/good/rgb.png" "$s/a.png"
cat >"$s/a.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "a\u001b[5m.png", "width": 64, "height": 43},
 "review": "ok\u001b]0;t\u0007", "classes": [{"id": 7, "name": "c\u001b[1mat", "color": "#e6194b"}],
 "instances": [{"id": 1, "class": 7, "parent": 0,
  "shapes": [{"op": "add", "type": "polygon", "rings": [[[2, 3], [12, 3], [12, 13], [2, 13]]]}]}]}
JSON
run "$px" stats "$s"
check "stats of a sidecar with escapes: exit 0" test "$status" -eq 0
check "sidecar: nothing raw" both_clean
check "the review state is shown, escaped" grep -qF 'review ok\x1b]0;t\x07' "$tmpdir/out"
check "the class name from the sidecar, escaped" grep -qF 'c\x1b[1mat' "$tmpdir/out"
rm "$s/a.png"
run "$px" mask "$s"
check "a sidecar without its image: the recorded name is escaped" says 'its image a\x1b[5m.png is missing'
check "and nothing is raw" both_clean

done_testing
