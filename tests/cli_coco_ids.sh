#!/bin/sh
# cli_coco_ids.sh: what importing real COCO files found (issue 14). A COCO file with aeroplane (1),
# bicycle (2) and cat (3), imported with --add-classes into a folder without pxlabel.ini and
# exported again, keeps every category's id and name (the built-in classes used to take ids 1
# and 2 and push the imported ones up); the summaries name pxlabel.ini in one form; stats says
# "1 instance".
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d"
cp "$data/good/rgb.png" "$d/a.png"
cp "$data/good/rgb.png" "$d/b.png"
# The first image has a cat only, so the cat's class is added first; bicycle is used nowhere.
cat >"$tmpdir/in.json" <<'JSON'
{"images": [{"id": 7, "file_name": "a.png", "width": 64, "height": 43},
            {"id": 8, "file_name": "b.png", "width": 64, "height": 43}],
 "annotations": [
  {"id": 1, "image_id": 7, "category_id": 3, "segmentation": [[2, 2, 20, 2, 20, 20, 2, 20]], "area": 324, "bbox": [2, 2, 18, 18], "iscrowd": 0},
  {"id": 2, "image_id": 8, "category_id": 1, "segmentation": [[30, 5, 60, 5, 45, 40]], "area": 525, "bbox": [30, 5, 30, 35], "iscrowd": 0}],
 "categories": [{"id": 1, "name": "aeroplane", "supercategory": "vehicle"},
                {"id": 2, "name": "bicycle", "supercategory": "vehicle"},
                {"id": 3, "name": "cat", "supercategory": "animal"}]}
JSON
(cd "$tmpdir" && "$px" import coco --add-classes --images set in.json) >"$tmpdir/out" 2>"$tmpdir/err"
status=$?
check "import coco --add-classes exits 0" test "$status" -eq 0
check "no built-in class in the new pxlabel.ini" sh -c "! grep -q 'background\|object' '$d/pxlabel.ini'"
check "each category at its id" sh -c "grep -A1 '^\[class aeroplane\]' '$d/pxlabel.ini' | grep -q 'id = 1' &&
    grep -A1 '^\[class bicycle\]' '$d/pxlabel.ini' | grep -q 'id = 2' &&
    grep -A1 '^\[class cat\]' '$d/pxlabel.ini' | grep -q 'id = 3'"
check "the summaries name pxlabel.ini in one form, absolute" sh -c "
    test \$(grep -c 'pxlabel.ini: [0-9]* class' '$tmpdir/err') -ge 1 &&
    ! grep 'pxlabel.ini: [0-9]* class' '$tmpdir/err' | grep -v \"^pxlabel: /\""
run "$px" export coco "$d" -o "$tmpdir/out.json"
check "export coco exits 0" test "$status" -eq 0
check "the round trip keeps every category's id and name" sh -c "
    tr -d ' \n' <'$tmpdir/out.json' | grep -o '\"categories\":\[.*\]' >'$tmpdir/cats' &&
    grep -q '\"id\":1,\"name\":\"aeroplane\"' '$tmpdir/cats' && grep -q '\"id\":2,\"name\":\"bicycle\"' '$tmpdir/cats' &&
    grep -q '\"id\":3,\"name\":\"cat\"' '$tmpdir/cats' && ! grep -q 'background\|\"object\"' '$tmpdir/cats'"
check "and the annotations keep their category" sh -c "tr -d ' \n' <'$tmpdir/out.json' | grep -q '\"category_id\":3' &&
    tr -d ' \n' <'$tmpdir/out.json' | grep -q '\"category_id\":1'"
run "$px" stats "$d/a.png"
check "stats: \"1 instance\", not \"1 instances\"" sh -c "grep -q 'labeled  1 instance  review' '$tmpdir/out'"
done_testing
