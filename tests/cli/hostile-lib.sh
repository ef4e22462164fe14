# hostile-lib.sh: helpers for the hostile-input tests. Sourced after
# lib.sh. Every hostile input runs through tests/limits-run, which kills
# the command past the time or memory limit and reports what it used.

LIMITS_RUN="$top_builddir/tests/limits-run"
[ -x "$LIMITS_RUN" ] || { echo "hostile-lib: $LIMITS_RUN is missing" >&2; exit 99; }
# the issue's bounds per input: 120 s, 1 GiB, under the sanitizers too
HOSTILE_SECONDS=${HOSTILE_SECONDS:-120}
HOSTILE_MIB=${HOSTILE_MIB:-1024}

# limited WHAT CMD...: runs redflag CMD under the limits, keeping stdout,
# stderr and status like run(); fails when a limit broke; sets SECONDS_USED
# and PEAK_MIB
limited() {
	what=$1
	shift
	"$LIMITS_RUN" -t "$HOSTILE_SECONDS" -m "$HOSTILE_MIB" -r "$T/limits" \
		"$REDFLAG" "$@" >"$T/out" 2>"$T/err"
	status=$?
	ntests=$((ntests + 1))
	read -r _ SECONDS_USED peak_kib <"$T/limits" ||
		fail "$what: limits-run wrote no report"
	PEAK_MIB=$((peak_kib / 1024))
	echo "$what: exit $status, $SECONDS_USED s, $PEAK_MIB MiB"
	[ "$status" -ne 124 ] || fail "$what: over $HOSTILE_SECONDS s"
	[ "$status" -ne 125 ] || fail "$what: over $HOSTILE_MIB MiB"
	[ "$status" -lt 126 ] ||
		fail "$what: ended by a signal ($status); stderr: $(head -c 600 "$T/err")"
	# a sanitizer report is a failure whatever the exit status
	! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$T/err" ||
		fail "$what: sanitizer report: $(head -c 1200 "$T/err")"
}

# expect_one_of S1 S2... WHAT: the status is one of these
expect_status_in() {
	what=$1
	shift
	for s in "$@"; do
		[ "$status" -eq "$s" ] && return 0
	done
	fail "$what: exit $status, expected one of $*; stderr: $(head -c 600 "$T/err")"
}
