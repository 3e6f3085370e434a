# jobs_set.sh: a small data set for the tests of -j and --shard (sourced; needs $data): make_set
# DIR N writes N photos in folders (train/aachen, train/bonn, val/koeln, and DIR itself), most
# with outlines of varied classes, cuts, review states and sizes, a few without.
make_set() {
	mkdir -p "$1/train/aachen" "$1/train/bonn" "$1/val/koeln"
	printf '[class cat]\nid = 1\n\n[class dog]\nid = 2\n\n[class animal]\nid = 3\n\n[class ear]\nid = 7\nparent = cat\n' >"$1/pxlabel.ini"
	i=0
	while [ "$i" -lt "$2" ]; do
		case $((i % 4)) in
		0) sub=train/aachen ;;
		1) sub=train/bonn ;;
		2) sub=val/koeln ;;
		*) sub=. ;;
		esac
		f=$1/$sub/img$i
		cp "$data/../../data/chelsea.png" "$f.png"
		a=$((10 + (i * 37) % 200)) b=$((5 + (i * 53) % 120))
		case $((i % 3)) in
		0) review='"todo"' ;;
		1) review='"done"' ;;
		*) review='"approved"' ;;
		esac
		if [ $((i % 7)) -ne 5 ]; then
			cat >"$f.pxl.json" <<JSON
{"format": "pxlabel", "version": 1, "image": {"file": "img$i.png", "width": 451, "height": 300},
 "review": $review,
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[$a,$b],[$((a + 120)).5,$b],[$((a + 100)),$((b + 130)).25],[$a,$((b + 90))]]]},
                                                {"op": "cut", "type": "polygon", "rings": [[[$((a + 20)),$((b + 20))],[$((a + 40)),$((b + 20))],[$((a + 30)),$((b + 45))]]]}]},
               {"id": 2, "class": $((2 + i % 2)), "shapes": [{"op": "add", "type": "polygon", "rings": [[[300,20],[440,$((90 + i))],[260,280]]]}]},
               {"id": 3, "class": 7, "shapes": [{"op": "add", "type": "stroke", "width": 3, "path": [[$((a + 5)),$((b + 5))],[$((a + 60)),$((b + 8))]]}]}]}
JSON
		fi
		i=$((i + 1))
	done
}
