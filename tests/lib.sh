# lib.sh: TAP helpers for the command-line tests. Source it; call ok/fail through check, end with done_testing.
n=0
failed=0
tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/pxl-cli-XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT

# check DESCRIPTION COMMAND...: one TAP line, ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
	fi
}

# run CMD...: runs pxlabel, keeping stdout, stderr and the status in $tmpdir.
run() {
	"$@" >"$tmpdir/out" 2>"$tmpdir/err"
	status=$?
	return 0
}

done_testing() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
