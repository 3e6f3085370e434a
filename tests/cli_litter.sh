#!/bin/sh
# cli_litter.sh: what a killed session leaves is caught by the batch commands: temporaries of
# pxlabel's files older than a minute are removed in the folders walked, masks older than their
# outlines are pointed out (stats per image, export as a count); and a mask write that fails on
# a full disk (a small tmpfs, where a mount namespace can be had) exits 1, names the mask, and
# leaves both old masks.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d/sub"
cp "$data/good/rgb.png" "$d/a.png"
cp "$data/good/rgb.png" "$d/sub/b.png"
sidecar() { # sidecar FILE STEM SIDE
	cat >"$1" <<JSON
{"format": "pxlabel", "version": 1, "image": {"file": "$2.png", "width": 64, "height": 43},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[2,2],[$3,2],[$3,$3],[2,$3]]]}]}]}
JSON
}
sidecar "$d/a.pxl.json" a 20
sidecar "$d/sub/b.pxl.json" b 30
"$px" mask --quiet "$d"

run "$px" stats "$d"
check "masks written after the outlines: stats says nothing" test ! -s "$tmpdir/err"
# A session killed after it saved the outlines, before the masks followed.
sleep 1
sidecar "$d/sub/b.pxl.json" b 35
run "$px" stats "$d"
check "stats warns of masks older than the outlines, naming the mask" \
    grep -qx "pxlabel: warning: $d/sub/b.labels.png: older than b.pxl.json: the masks are out of date (pxlabel mask rebuilds them)" "$tmpdir/err"
check "once, for that image only" test "$(grep -c warning "$tmpdir/err")" -eq 1
check "and still exits 0" test "$status" -eq 0
run "$px" export coco "$d" -o "$tmpdir/out.json"
check "export counts them" grep -q "warning: the masks of 1 image are missing or older than the outlines" "$tmpdir/err"
rm "$d/a.instances.png"
run "$px" stats "$d/a.png"
check "a missing mask too" grep -q "warning: $d/a.instances.png: missing, though a.pxl.json has outlines" "$tmpdir/err"
"$px" mask --quiet "$d"
run "$px" stats "$d"
check "after pxlabel mask, no warning" test ! -s "$tmpdir/err"

# Temporaries a killed process left: old ones of pxlabel's files go, the rest stays.
for f in "$d/.a.pxl.json.Ab12Cd" "$d/sub/.b.labels.png.Zz99Yy" "$d/sub/.b.pxl.lock.Qw12Er" "$d/.notes.txt.Ab12Cd"; do
	echo half >"$f"
	touch -d '5 minutes ago' "$f"
done
echo half >"$d/.a.instances.png.Xy12Z3" # being written right now
run "$px" stats "$d"
check "stats removes the old temporaries of sidecars, masks and locks in the folders it walks" \
    test ! -e "$d/.a.pxl.json.Ab12Cd" -a ! -e "$d/sub/.b.labels.png.Zz99Yy" -a ! -e "$d/sub/.b.pxl.lock.Qw12Er"
check "but not one being written, nor a file pxlabel does not write" test -e "$d/.a.instances.png.Xy12Z3" -a -e "$d/.notes.txt.Ab12Cd"
touch -d '5 minutes ago' "$d/.a.instances.png.Xy12Z3"
run "$px" mask --quiet "$d/a.png"
check "mask too, in the folder of the image named" test ! -e "$d/.a.instances.png.Xy12Z3"
rm -f "$d/.notes.txt.Ab12Cd"

# A full disk while the masks are written: a tmpfs in a mount namespace of our own.
ns=
if command -v unshare >/dev/null 2>&1; then
	for opt in -rm -m; do
		if unshare $opt sh -c "mount -t tmpfs -o size=256k tmpfs '$tmpdir' 2>/dev/null" 2>/dev/null; then
			ns=$opt
			break
		fi
	done
fi
if [ -z "$ns" ]; then
	for i in 1 2 3 4 5; do
		n=$((n + 1))
		echo "ok $n # SKIP no mount namespace for a small tmpfs (unshare -m)"
	done
	done_testing
	exit $?
fi
m=$tmpdir/full
mkdir -p "$m" "$tmpdir/keep"
cat >"$tmpdir/full.sh" <<EOF
set -u
mount -t tmpfs -o size=256k tmpfs '$m' || exit 99
cp '$d/a.png' '$m/a.png'
cp '$d/a.pxl.json' '$m/a.pxl.json'
'$px' mask --quiet '$m/a.png' || exit 98
cp '$m/a.labels.png' '$m/a.instances.png' '$tmpdir/keep/'
sleep 1
sed 's/20/25/g' '$d/a.pxl.json' >'$m/a.pxl.json'
# Fill the disk, then give one page back: the labels mask may fit, both cannot.
dd if=/dev/zero of='$m/fill' bs=4096 2>/dev/null
truncate -s -4096 '$m/fill'
'$px' mask '$m/a.png' >'$tmpdir/full.out' 2>'$tmpdir/full.err'
echo \$? >'$tmpdir/full.status'
ls -a '$m' >'$tmpdir/full.ls'
cmp -s '$m/a.labels.png' '$tmpdir/keep/a.labels.png' && cmp -s '$m/a.instances.png' '$tmpdir/keep/a.instances.png'
echo \$? >'$tmpdir/full.same'
rm '$m/fill'
'$px' stats '$m/a.png' >/dev/null 2>'$tmpdir/full.stats'
'$px' mask --quiet '$m/a.png'
'$px' stats '$m/a.png' >/dev/null 2>'$tmpdir/full.stats2'
EOF
unshare $ns sh "$tmpdir/full.sh"
check "disk full while writing the masks: mask exits 1" test "$(cat "$tmpdir/full.status" 2>/dev/null)" = 1
check "naming a mask and the cause" grep -q "a\.\(labels\|instances\)\.png: write failed: No space left on device" "$tmpdir/full.err"
check "both masks are the old ones: they agree" test "$(cat "$tmpdir/full.same" 2>/dev/null)" = 0
check "no temporary is left" sh -c "! grep -q '^\.a\.' '$tmpdir/full.ls'"
check "stats then says the masks are out of date, and after mask it does not" \
    sh -c "grep -q 'the masks are out of date' '$tmpdir/full.stats' && test ! -s '$tmpdir/full.stats2'"
done_testing
