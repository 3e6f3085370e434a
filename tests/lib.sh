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

# How long a test waits for something to happen, in seconds: generous, because a loaded
# machine (a parallel make check) is slow, and only a check about to fail waits that long.
wait_limit=${PXL_TEST_WAIT:-60}

# wait_until COMMAND...: runs COMMAND until it succeeds or wait_limit seconds have passed;
# succeeds when COMMAND did. For what a test checks, instead of a fixed sleep.
wait_until() {
	wait_end=$(($(date +%s) + wait_limit))
	while ! "$@"; do
		[ "$(date +%s)" -lt "$wait_end" ] || return 1
		sleep 0.1
	done
}

done_testing() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
