#!/bin/sh
# check_boundaries.sh: the folders of src/ include only what their room may see (HACKING.md).
# src/core has no terminal: no curses, terminfo or libsixel, no header of src/ui or src/cli;
# src/ui sees the core, not src/cli; only src/ui includes curses or libsixel. The build's
# include flags already refuse most of this; this catches what flags cannot: a relative path
# ("../ui/app.h") and curses.h found in /usr/include. Each offence is named by file and line.
. "${top_srcdir:-.}/tests/lib.sh"
src=${top_srcdir:-.}/src

# The headers a folder holds, one basename a line; a name src/core has too is the core's.
headers_of() {
	for h in "$1"/*.h; do
		[ -e "$h" ] && [ ! -e "$src/core/${h##*/}" ] && basename "$h"
	done
}

# offences FOLDER PATTERN: every #include in the folder's .c and .h files (the guard headers in
# src/core/no-terminal aside) whose name matches the extended regex PATTERN, as FILE:LINE: text.
offences() {
	find "$1" -path "$src/core/no-terminal" -prune -o \( -name '*.c' -o -name '*.h' \) -type f -print |
	    sort | xargs awk -v pat="$2" -v root="${top_srcdir:-.}/" '
		/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
			name = $0
			sub(/^[ \t]*#[ \t]*include[ \t]*[<"]/, "", name)
			sub(/[>"].*/, "", name)
			if (name ~ pat) {
				f = FILENAME
				if (index(f, root) == 1)
					f = substr(f, length(root) + 1)
				print f ":" FNR ": " $0
			}
		}'
}

# An extended regex matching the names of the given headers, with or without a folder
# before them ("app.h", "../ui/app.h", "src/ui/app.h").
names_regex() {
	r=
	for h in "$@"; do
		r="$r${r:+|}$(printf '%s' "$h" | sed 's/[.]/[.]/g')"
	done
	[ -n "$r" ] && printf '(^|/)(%s)$' "$r"
}

# expect_none DESCRIPTION FOLDER PATTERN
expect_none() {
	found=$(offences "$2" "$3")
	n=$((n + 1))
	if [ -z "$found" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$found" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

terminal='(^|/)(n?curses|term|panel|menu|form|sixel)[.]h$|^ncursesw?/'
ui_headers=$(names_regex $(headers_of "$src/ui"))
cli_headers=$(names_regex $(headers_of "$src/cli"))
# A folder named in the path is as bad as a header of it named alone.
ui_path='(^|/)ui/'
cli_path='(^|/)cli/'

[ -n "$ui_headers" ] && [ -n "$cli_headers" ] || {
	echo "Bail out! no headers found under $src/ui or $src/cli"
	exit 1
}
expect_none "src/core includes no curses, terminfo or libsixel" "$src/core" "$terminal"
expect_none "src/core includes no header of src/ui" "$src/core" "$ui_headers|$ui_path"
expect_none "src/core includes no header of src/cli" "$src/core" "$cli_headers|$cli_path"
expect_none "src/ui includes no header of src/cli" "$src/ui" "$cli_headers|$cli_path"
expect_none "src/cli includes no curses, terminfo or libsixel (src/ui does that)" "$src/cli" "$terminal"

# The guard itself: with the core's include flags, each header the core must not reach is
# found in src/core/no-terminal and stops the preprocessor with its #error.
guarded() {
	printf '#include <%s>\n' "$1" | ${CC:-cc} -E -I"$src/core" -I"$src/core/no-terminal" -x c - \
	    >/dev/null 2>"$tmpdir/cpp.err" && return 1
	grep -q 'is for src/ui only' "$tmpdir/cpp.err"
}
for g in curses.h ncurses.h term.h sixel.h ncursesw/curses.h ncursesw/ncurses.h; do
	check "<$g> in a core compile stops the build" guarded "$g"
done
done_testing
