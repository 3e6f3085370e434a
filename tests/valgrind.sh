#!/bin/sh
# valgrind.sh: the test runner of make check-valgrind (automake's LOG_COMPILER). A unit test
# program runs under valgrind's memcheck itself; a shell test runs as it is, with $PXLABEL,
# $PNGDUMP and $MASKCHECK pointed at shims that run the real programs under memcheck. Every
# valgrind run writes its own log into $VALGRIND_LOGS; a test whose logs show an error or a leak
# fails, whatever the test itself said, so that a memory error in a command whose exit status a
# test does not look at (or expects to be 1) is still caught. More options (--track-origins=yes
# to find where an uninitialised value came from) through valgrind's own $VALGRIND_OPTS.
#   make check-valgrind     (see Makefile.am)
set -u
logs=${VALGRIND_LOGS:?VALGRIND_LOGS is the folder for the logs}
vg=${VALGRIND:-valgrind}
test=$1
name=$(basename "$test")
mkdir -p "$logs/$name"
# Absolute: a test may cd elsewhere before it starts pxlabel (cli_coco_ids.sh does), and
# valgrind would then not find a relative suppressions file, and fail.
supp=$(cd "${top_srcdir:-.}" && pwd)/tests/valgrind.supp
# 99: a status no command of pxlabel uses, so a test looking at the status sees it as wrong.
opts="--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
      --show-leak-kinds=definite,indirect,possible --num-callers=30
      --suppressions=$supp --log-file=$logs/$name/%p.log"

case $test in
*.sh)
	shims=$logs/$name/bin
	mkdir -p "$shims"
	for v in PXLABEL PNGDUMP MASKCHECK; do
		eval "real=\${$v:-}"
		[ -n "$real" ] || continue
		shim=$shims/$(basename "$real")
		printf '#!/bin/sh\nexec %s %s %s "$@"\n' "$vg" "$(echo $opts)" "$real" >"$shim"
		chmod +x "$shim"
		eval "$v=\$shim; export $v"
	done
	"$@"
	status=$?
	;;
*)
	# A test program's fork()ed children (a fake terminal's other end, a process that has to be
	# dead) end in _exit() holding the parent's memory, which memcheck would report as leaks.
	# shellcheck disable=SC2086 # opts is a list of words
	$vg $opts --child-silent-after-fork=yes "$@"
	status=$?
	;;
esac

# One line per valgrind run with errors; the test fails when there is any.
bad=0
for f in "$logs/$name"/*.log; do
	[ -f "$f" ] || continue
	if grep -qE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]|possibly lost: [1-9]' "$f"; then
		echo "# valgrind: errors in $f:"
		grep -E '^==[0-9]+== (Command|ERROR SUMMARY|.*lost:)' "$f" | sed 's/^/# /'
		bad=1
	fi
done
if [ "$bad" -ne 0 ]; then
	# The TAP driver reports a test that exits non-zero as an error.
	echo "# valgrind found memory errors or leaks (logs in $logs/$name)"
	[ "$status" -ne 0 ] || status=1
fi
exit "$status"
