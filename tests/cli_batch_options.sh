#!/bin/sh
# cli_batch_options.sh: the options every batch command takes beside its own (batch_option):
# --help, --max-pixels, --max-file-size, -j and --shard, their errors and exit statuses, and
# that the limits reach the images of every command.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d" "$tmpdir/other"
cp "$data/../../data/chelsea.png" "$d/chelsea.png"
cat >"$d/pxlabel.ini" <<'INI'
[class cat]
id = 1
color = #e6194b
key = c
INI
cat >"$d/chelsea.pxl.json" <<'JSON'
{"format": "pxlabel", "version": 1, "image": {"file": "chelsea.png", "width": 451, "height": 300},
 "instances": [{"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[100,50],[200,50],[200,150],[100,150]]]}]}]}
JSON
cp "$d/pxlabel.ini" "$d/chelsea.png" "$d/chelsea.pxl.json" "$tmpdir/other/"
run "$px" mask "$d"
check "mask makes the masks import mask reads" test "$status" -eq 0
run "$px" export coco "$d" -o "$tmpdir/all.json"
check "export coco makes the file import coco reads" test "$status" -eq 0

# The commands as a user types them, each with what it needs after its options; $1 is a
# command, the rest of the line is its arguments (the shared options go before them).
cmds="mask|$d
stats|$d
agree|$d $tmpdir/other
export coco|$d -o $tmpdir/out.json
import coco|--replace --images $d $tmpdir/all.json
import mask|--replace $d/chelsea.labels.png"

# cmd_run "CMD" "OPTIONS" "ARGS": pxlabel CMD OPTIONS ARGS, split at blanks (no blanks in paths).
cmd_run() {
	# shellcheck disable=SC2086
	run "$px" $1 $2 $3
}

limits="  --max-pixels N, --max-file-size BYTES   image limits"
echo "$cmds" | {
	while IFS='|' read -r cmd args; do
		for h in --help -h; do
			cmd_run "$cmd" "$h" "$args"
			check "$cmd $h: exit 0, the limits' line on stdout, nothing on stderr" \
			    sh -c "[ $status -eq 0 ] && grep -qxF -- '$limits' '$tmpdir/out' && [ ! -s '$tmpdir/err' ]"
		done
		cmd_run "$cmd" "--help" "$args"
		case $cmd in
		import*) check "$cmd --help: its own -j line, no batch --shard line (coco's is its own)" \
		    sh -c "grep -q -- '--append, whose results depend on the order' '$tmpdir/out' && ! grep -q -- '--shard K/N          only the images of share K of N (0' '$tmpdir/out'" ;;
		*) check "$cmd --help: the -j and --shard lines" \
		    sh -c "grep -q -- '-j, --jobs N         N threads (default: one a core); the output is the same' '$tmpdir/out' && grep -q -- '--shard K/N          only the images of share K of N' '$tmpdir/out'" ;;
		esac
		cmd_run "$cmd" "--max-pixels 0" "$args"
		check "$cmd --max-pixels 0: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: --max-pixels needs a positive number, not '0'\" '$tmpdir/err'"
		cmd_run "$cmd" "--max-file-size=12k" "$args"
		check "$cmd --max-file-size=12k: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: --max-file-size needs a positive number, not '12k'\" '$tmpdir/err'"
		cmd_run "$cmd" "--max-f -1" "$args"
		check "$cmd --max-f (abbreviated) -1: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: --max-file-size needs a positive number, not '-1'\" '$tmpdir/err'"
		cmd_run "$cmd" "--max" "$args"
		check "$cmd --max: ambiguous, a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -q \"option '--max' is ambiguous\" '$tmpdir/err'"
		cmd_run "$cmd" "-j 0" "$args"
		check "$cmd -j 0: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: -j needs a number of threads, 1 to 64, not '0'\" '$tmpdir/err'"
		cmd_run "$cmd" "--jobs 65" "$args"
		check "$cmd --jobs 65: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: -j needs a number of threads, 1 to 64, not '65'\" '$tmpdir/err'"
		cmd_run "$cmd" "--shard 2/2" "$args"
		check "$cmd --shard 2/2: a usage error" \
		    sh -c "[ $status -eq 2 ] && grep -qxF \"pxlabel: --shard needs K/N with 0 <= K < N (N up to 1000000), not '2/2'\" '$tmpdir/err'"
		cmd_run "$cmd" "--max-pixels 0 --help" "$args"
		check "$cmd --max-pixels 0 --help: the error comes first" test "$status" -eq 2
		cmd_run "$cmd" "--help --max-pixels 0" "$args"
		check "$cmd --help --max-pixels 0: the help comes first" test "$status" -eq 0
		cmd_run "$cmd" "--bogus" "$args"
		check "$cmd --bogus: a usage error" sh -c "[ $status -eq 2 ] && grep -q \"Try 'pxlabel\" '$tmpdir/err'"
		# The limits reach the image loader of every command.
		cmd_run "$cmd" "--max-pixels 1000" "$args"
		check "$cmd --max-pixels 1000 refuses chelsea (451x300)" \
		    sh -c "[ $status -eq 1 ] && grep -q 'over the limit of 1000 pixels' '$tmpdir/err'"
		cmd_run "$cmd" "--max-file-size 100" "$args"
		check "$cmd --max-file-size 100 refuses chelsea" \
		    sh -c "[ $status -eq 1 ] && grep -q 'over the limit of 100\$' '$tmpdir/err'"
		cmd_run "$cmd" "--max-pixels 135300 --max-file-size 1000000 -j 2" "$args"
		check "$cmd within the limits (135300 pixels, 1000000 bytes), -j 2: exit 0" test "$status" -eq 0
	done
	done_testing
}
