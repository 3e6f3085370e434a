#!/bin/sh
# cli_sixel.sh: `pxlabel render --format sixel`: the pixel size chosen from cells, cell size and
# --pixels, checked by decoding the output with libsixel's sixel2png; the options' errors.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
sample="$data/../../data/chelsea.png" # 451x300
command -v sixel2png >/dev/null || { echo "1..0 # SKIP sixel2png missing (Debian: libsixel-bin)"; exit 77; }

# png_size FILE: "WxH" from the PNG header (bytes 16..23, big-endian).
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
# decoded_size: the size of the sixel in $tmpdir/out, or "undecodable".
decoded_size() { sixel2png -i "$tmpdir/out" -o "$tmpdir/out.png" 2>/dev/null && png_size "$tmpdir/out.png" || echo undecodable; }

run "$px" render --format sixel --size 40x12 "$sample"
check "sixel render exits 0, silent on stderr" sh -c "[ $status -eq 0 ] && [ ! -s '$tmpdir/err' ]"
check "the output is a DCS sixel image" sh -c "head -c 3 '$tmpdir/out' | grep -q \"\$(printf '\033')Pq\""
check "it ends with ST and a newline" test "$(tail -c 3 "$tmpdir/out" | od -An -tx1 | tr -d ' ')" = 1b5c0a
check "40x12 cells of 10x20 (no terminal): 451x300 fits as 361x240" test "$(decoded_size)" = 361x240
run "$px" render --format sixel --size 80x24 --cell 6x13 "$sample"
check "--cell 6x13 with 80x24 cells: a 480x312 box, 469x312" test "$(decoded_size)" = 469x312
run "$px" render --format sixel --pixels 200x100 "$sample"
check "--pixels 200x100: 150x100" test "$(decoded_size)" = 150x100
run "$px" render --format sixel --pixels 1x1 "$sample"
check "--pixels 1x1: one pixel, decodable" test "$(decoded_size)" = 1x1
run "$px" render --format sixel --pixels 451x5 "$sample"
check "a picture under 6 pixels tall keeps its height (8x5)" test "$(decoded_size)" = 8x5
run env COLUMNS=40 LINES=13 "$px" render --format sixel "$sample"
check "without --size: COLUMNS x LINES-1 cells" test "$(decoded_size)" = 361x240

run "$px" render --size 30x10 --colors 256 "$sample"
cp "$tmpdir/out" "$tmpdir/default"
run "$px" render --format blocks --size 30x10 --colors 256 "$sample"
check "--format blocks is the block preview" cmp -s "$tmpdir/out" "$tmpdir/default"
run "$px" render --format auto --size 30x10 --colors 256 "$sample"
check "auto with standard output not a terminal: blocks, no sixel" sh -c "cmp -s '$tmpdir/out' '$tmpdir/default' && ! grep -q \"\$(printf '\033')P\" '$tmpdir/out'"
run "$px" render --format blocks --pixels 30x20 --colors 256 "$sample"
check "--pixels for blocks: a cell is 1x2 pixels (30x20 -> 10 rows)" test "$(wc -l <"$tmpdir/out")" -eq 10

for arg in "--format kity" "--pixels 0x5" "--pixels 20000x10" "--cell 1000x5" "--cell 6" "--query-timeout -1" "--query-timeout soon"; do
	# shellcheck disable=SC2086 # the option and its value are two words on purpose
	run "$px" render $arg "$sample"
	check "render $arg is a usage error (2)" sh -c "[ $status -eq 2 ] && [ ! -s '$tmpdir/out' ]"
done

# The annotator's display options: bad values are usage errors, before any terminal is needed.
for arg in "--display kity" "--cell 1x20" "--cell 10" "--query-timeout 60001"; do
	# shellcheck disable=SC2086
	run "$px" $arg "$sample"
	check "pxlabel $arg is a usage error (2) naming the option" sh -c "[ $status -eq 2 ] && grep -q -- '${arg%% *}' '$tmpdir/err'"
done
run "$px" --display sixel --cell 10x20 --query-timeout 0 "$sample" </dev/null
check "good display options without a terminal: the annotator says it needs one (1)" sh -c "[ $status -eq 1 ] && grep -q 'needs a terminal' '$tmpdir/err'"

# --palette: at most that many colour registers are defined.
run "$px" render --format sixel --pixels 160x120 --palette 16 "$sample"
check "--palette 16 defines at most 16 colours" sh -c "[ $status -eq 0 ] && [ \$(grep -o '#[0-9]*;2;' '$tmpdir/out' | sort -u | wc -l) -le 16 ]"
run "$px" render --format sixel --pixels 160x120 "$sample"
check "the default palette is 64 colours at most" sh -c "[ $status -eq 0 ] && [ \$(grep -o '#[0-9]*;2;' '$tmpdir/out' | sort -u | wc -l) -le 64 ]"
for arg in 1 257 many; do
	run "$px" render --format sixel --palette "$arg" "$sample"
	check "--palette $arg is a usage error" test "$status" -eq 2
done

for f in "$data"/good/*; do
	run "$px" render --format sixel --pixels 160x120 "$f"
	check "good file $(basename "$f") renders as a decodable sixel" sh -c "[ $status -eq 0 ] && [ \"\$(sixel2png -i '$tmpdir/out' -o '$tmpdir/g.png' && echo ok)\" = ok ]"
done
for f in "$data"/bad/*; do
	name=$(basename "$f")
	run "$px" render --format sixel --pixels 160x120 "$f"
	check "bad file $name: exit 1, one line naming it, nothing on stdout" sh -c \
	    "[ $status -eq 1 ] && [ \$(wc -l <'$tmpdir/err') -eq 1 ] && grep -q '$name' '$tmpdir/err' && [ ! -s '$tmpdir/out' ]"
done

# --format kitty: the kitty graphics protocol's a=T, zlib in base64 chunks; decoded here by
# Python's zlib (the decoder is in tests/screen_kitty.c too).
kitty_size() {
	/usr/bin/python3 - "$tmpdir/out" <<'PY' 2>/dev/null || echo undecodable
import base64, re, sys, zlib
d = open(sys.argv[1], 'rb').read()
cmds = re.findall(rb'\x1b_G([^;]*);([^\x1b]*)\x1b\\', d)
keys = dict(kv.split(b'=') for kv in cmds[0][0].split(b','))
assert keys[b'a'] == b'T' and keys[b'o'] == b'z' and keys[b'f'] == b'24'
assert all(len(c[1]) <= 4096 for c in cmds)
w, h = int(keys[b's']), int(keys[b'v'])
raw = zlib.decompress(base64.b64decode(b''.join(c[1] for c in cmds)))
assert len(raw) == w * h * 3 and d.endswith(b'\x1b\\\n')
print('%dx%d' % (w, h))
PY
}
run "$px" render --format kitty --size 40x12 "$sample"
check "kitty render exits 0, silent on stderr" sh -c "[ $status -eq 0 ] && [ ! -s '$tmpdir/err' ]"
check "40x12 cells of 10x20: one a=T image of 361x240 in chunks of at most 4096, then a newline" test "$(kitty_size)" = 361x240
run "$px" render --format kitty --pixels 200x100 "$sample"
check "--format kitty --pixels 200x100: 150x100" test "$(kitty_size)" = 150x100
run "$px" render --format kity "$sample"
check "--format kity is a usage error naming kitty" sh -c "[ $status -eq 2 ] && grep -q 'kitty' '$tmpdir/err'"

done_testing
