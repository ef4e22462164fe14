# lib.sh: helpers for the shell tests of the redflag binary. Sourced.
# Each test runs in its own scratch directory and fails on the first
# broken expectation, naming it.

set -u
: "${REDFLAG:?REDFLAG must name the binary under test}"
: "${top_srcdir:?top_srcdir must be set}"
DATA="$top_srcdir/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/redflag-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# rules come from the source tree, whatever the environment says
REDFLAG_RULES="$top_srcdir/rules/packs"
export REDFLAG_RULES
# the cache of compiled rules goes to the scratch directory, never HOME
XDG_CACHE_HOME="$T/cache"
export XDG_CACHE_HOME
unset REDFLAG_CACHE_DIR REDFLAG_NO_CACHE
ntests=0

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# sql DB QUERY: the rows of one query on an SQLite database, one per
# line, columns joined by '|' (python3's sqlite3: the sqlite3 program may
# be absent)
sql() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]): print("|".join(str(x) for x in row))' \
		"$1" "$2"
}

# run CMD...: runs redflag with CMD, keeping stdout, stderr and status
run() {
	"$REDFLAG" "$@" >"$T/out" 2>"$T/err"
	status=$?
	ntests=$((ntests + 1))
}

expect_status() {
	[ "$status" -eq "$1" ] ||
		fail "$2: exit $status, expected $1; stderr: $(head -c 600 "$T/err")"
}

expect_out() {
	grep -q -- "$1" "$T/out" || fail "$2: stdout lacks '$1': $(head -c 600 "$T/out")"
}

expect_err() {
	grep -q -- "$1" "$T/err" || fail "$2: stderr lacks '$1': $(head -c 600 "$T/err")"
}

expect_no_out() {
	! grep -q -- "$1" "$T/out" || fail "$2: stdout has '$1'"
}

expect_lines() {
	n=$(wc -l <"$T/out")
	[ "$n" -eq "$1" ] || fail "$2: $n lines on stdout, expected $1"
}

# json_ok: every stdout line is a JSON object (python3, else node)
json_ok() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    obj = json.loads(line)
    assert isinstance(obj, dict), "line %d is not an object" % n
' "$T/out" || fail "$1: invalid JSON Lines"
	fi
}

done_ok() {
	echo "$(basename "$0"): $ntests checks passed"
	exit 0
}
