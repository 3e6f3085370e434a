#!/bin/sh
# cli_render.sh: `pxlabel render`, --help and --version on good and bad files.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
data=${TESTS_DATA:-tests/data}
sample="$data/../../data/chelsea.png"

run "$px" --version
check "--version prints the version" grep -q '^pxlabel [0-9]' "$tmpdir/out"
run "$px" --help
check "--help exits 0 and names render" sh -c "[ $status -eq 0 ] && grep -q 'render IMAGE' '$tmpdir/out'"
run "$px"
check "no command is a usage error (2)" test "$status" -eq 2
run "$px" frobnicate
check "an unknown command is a usage error (2)" test "$status" -eq 2
run "$px" render --size 0x5 "$sample"
check "a bad --size is a usage error" test "$status" -eq 2
run "$px" render --colors 7 "$sample"
check "a bad --colors is a usage error" test "$status" -eq 2
run "$px" render
check "render without IMAGE is a usage error" test "$status" -eq 2

# The preview has the asked shape: 451x300 into 60x20 cells -> 30 rows of 2 px is too many,
# so 20 rows (40 px tall) and 60 columns.
run "$px" render --size 60x20 --colors truecolor "$sample"
check "render exits 0" test "$status" -eq 0
check "render prints 20 rows" test "$(wc -l <"$tmpdir/out")" -eq 20
# Cells per row: escapes dropped, each glyph (1 to 3 bytes) counted once.
row_widths() { LC_ALL=C sed 's/\x1b\[[0-9;]*m//g; s/\xe2\x96[\x80\x84\x88]/X/g' "$1" | LC_ALL=C awk '{ print length($0) }' | sort -u; }
check "each row holds 60 cells" test "$(row_widths "$tmpdir/out")" = 60
check "truecolor escapes are used" grep -q '38;2;' "$tmpdir/out"
check "every row ends with a reset" sh -c "[ \$(grep -c \"\$(printf '\033')\[0m\$\" '$tmpdir/out') -eq 20 ]"
run "$px" render --size 60x20 --colors 256 "$sample"
check "256 colours use 38;5" sh -c "grep -q '38;5;' '$tmpdir/out' && ! grep -q '38;2;' '$tmpdir/out'"
run "$px" render --size 60x20 --colors 16 "$sample"
check "16 colours use no 256 or RGB escapes" sh -c "! grep -qE '[34]8;[25];' '$tmpdir/out'"
run env COLORTERM=truecolor "$px" render --size 10x4 "$sample"
check "COLORTERM=truecolor picks truecolor" grep -q '38;2;' "$tmpdir/out"
run env COLORTERM= TERM=xterm-256color "$px" render --size 10x4 "$sample"
check "TERM=xterm-256color picks 256 colours" sh -c "grep -q '38;5;' '$tmpdir/out' && ! grep -q '38;2;' '$tmpdir/out'"
run env COLORTERM= TERM=dumb-unknown-terminal "$px" render --size 10x4 "$sample"
check "an unknown TERM falls back to 16 colours" sh -c "[ $status -eq 0 ] && ! grep -qE '[34]8;[25];' '$tmpdir/out'"
run env COLUMNS=40 LINES=11 "$px" render --colors 256 "$sample"
check "without --size and a terminal, COLUMNS x LINES-1 is the box" test "$(wc -l <"$tmpdir/out")" -eq 10

for f in "$data"/good/*; do
	run "$px" render --size 40x12 "$f"
	check "good file $(basename "$f") renders" sh -c "[ $status -eq 0 ] && [ -s '$tmpdir/out' ] && [ ! -s '$tmpdir/err' ]"
done
run "$px" render --size 40x40 --colors 256 "$data/good/exif-orient6.jpg"
check "an EXIF-rotated JPEG previews upright (wider than tall)" test "$(wc -l <"$tmpdir/out")" -lt 20

for f in "$data"/bad/*; do
	name=$(basename "$f")
	run "$px" render --size 40x12 "$f"
	check "bad file $name: exit 1, one line naming it, nothing on stdout" sh -c \
	    "[ $status -eq 1 ] && [ \$(wc -l <'$tmpdir/err') -eq 1 ] && grep -q '$name' '$tmpdir/err' && [ ! -s '$tmpdir/out' ]"
done
run "$px" render --max-pixels 1000 "$sample"
check "--max-pixels refuses a larger image, in pixels" sh -c "[ $status -eq 1 ] && grep -q 'over the limit of 1000 pixels' '$tmpdir/err'"
run "$px" render "$data/bad/huge-side.png"
check "a 100000-pixel side is refused by the limit, before libpng" grep -q 'larger than the limit of 65535 pixels a side' "$tmpdir/err"
run "$px" render --max-file-size 100 "$sample"
check "--max-file-size refuses a larger file" sh -c "[ $status -eq 1 ] && grep -q 'bytes' '$tmpdir/err'"
run "$px" render "$data/no-such.png"
check "a missing file is exit 1 naming it" sh -c "[ $status -eq 1 ] && grep -q 'no-such.png' '$tmpdir/err'"

done_testing
