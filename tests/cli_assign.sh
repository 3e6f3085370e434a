#!/bin/sh
# cli_assign.sh: `pxlabel assign`: one queue a person, every image in exactly one person's
# queue besides the overlap, overlap images in two queues and in overlap.txt, the same queues
# from a second run (and whatever the folder is called); refused names; then `pxlabel DIR
# --queue NAME` walking a queue in tmux, a shared image labelled into NAME's own sidecar.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
d=$tmpdir/set
mkdir -p "$d"
i=0
while [ $i -lt 60 ]; do
	cp "$data/good/rgb.png" "$d/img$i.png"
	i=$((i + 1))
done
q=$d/queues

run "$px" assign "$d" --to ana,bo,cy --overlap 20%
check "assign succeeds" test "$status" -eq 0
check "one queue a person, and the overlap list" test -f "$q/ana.txt" -a -f "$q/bo.txt" -a -f "$q/cy.txt" -a -f "$q/overlap.txt"
check "queues hold paths relative to the folder" sh -c "! grep -q / '$q/ana.txt' && grep -qx 'img[0-9]*.png' '$q/ana.txt'"
total=$(cat "$q/ana.txt" "$q/bo.txt" "$q/cy.txt" | wc -l)
over=$(wc -l <"$q/overlap.txt")
check "every image once, the overlap twice ($total = 60 + $over)" test "$total" -eq $((60 + over))
check "the overlap is near its share (20% of 60: $over)" test "$over" -ge 4 -a "$over" -le 24
check "every image in some queue" sh -c "cat '$q/ana.txt' '$q/bo.txt' '$q/cy.txt' | sort -u | wc -l | grep -qx 60"
dup=$(cat "$q/ana.txt" "$q/bo.txt" "$q/cy.txt" | sort | uniq -d | wc -l)
check "the images in two queues are the overlap list" test "$dup" -eq "$over"
cp -r "$q" "$tmpdir/first"
mv "$d" "$tmpdir/moved"
d=$tmpdir/moved
q=$d/queues
run "$px" assign "$d/" --overlap 20% --to ana,bo,cy
check "a second run, the folder renamed: the same queues" diff -r "$tmpdir/first" "$q"
run "$px" assign "$d" --to ana,bo
check "a queue left from an earlier assign (cy) is pointed out, not removed" sh -c "[ $status -eq 0 ] && [ -f '$q/cy.txt' ] && grep -q 'queues/cy.txt is from an earlier assign' '$tmpdir/err' && ! grep -q 'bo.txt is from' '$tmpdir/err'"
run "$px" assign "$d/" --overlap 20% --to ana,bo,cy
run "$px" assign "$d" --to ana,overlap
check "'overlap' is not a person" test "$status" -eq 2
run "$px" assign "$d" --to 'a/b'
check "a name with a slash is refused" sh -c "test $status -eq 2 && grep -q 'cannot name a queue file' '$tmpdir/err'"
run "$px" assign "$d" --to ana --overlap 10%
check "overlap with one person is refused" test "$status" -eq 2
run "$px" assign "$d" --to ana,bo --overlap 120%
check "an overlap over 100% is refused" test "$status" -eq 2
run "$px" "$d" --queue nobody
check "a missing queue names its file" sh -c "test $status -eq 1 && grep -q 'queues/nobody.txt' '$tmpdir/err'"

# The walk, in tmux: ana's queue, her first shared image labelled into img*.ana.pxl.json.
if command -v tmux >/dev/null 2>&1; then
	T="tmux -L pxlq$$"
	trap '$T kill-server 2>/dev/null; rm -rf "$tmpdir"' EXIT
	export XDG_STATE_HOME="$tmpdir/state" XDG_CONFIG_HOME="$tmpdir/config"
	first=$(grep -xFf "$q/overlap.txt" "$q/ana.txt" | head -1)
	pos=$(grep -nxF "$first" "$q/ana.txt" | cut -d: -f1)
	nq=$(wc -l <"$q/ana.txt")
	stem=${first%.png}
	$T new-session -d -s s -x 100 -y 24 "TERM=xterm-256color $px $d --queue ana; echo EXITED \$?; sleep 60"
	shows() { $T capture-pane -t s -p | grep -qF -- "$1"; }
	check "the queue is walked: $(head -1 "$q/ana.txt") 1/$nq" wait_until shows "$(head -1 "$q/ana.txt") 1/$nq"
	k=1
	while [ $k -lt "$pos" ]; do
		$T send-keys -t s N
		k=$((k + 1))
	done
	check "to the first shared image, $first $pos/$nq" wait_until shows "$first $pos/$nq"
	$T send-keys -t s D
	check "D on it writes ana's own sidecar" wait_until test -f "$d/$stem.ana.pxl.json"
	check "and not the shared one" test ! -f "$d/$stem.pxl.json"
	$T send-keys -t s q
	check "quit" wait_until shows "EXITED 0"
	$T kill-server 2>/dev/null
else
	echo "# tmux is not installed: the walk is not tried"
fi

done_testing
