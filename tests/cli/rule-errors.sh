# rule-errors.sh: one broken rule file per class of compile error, each
# with the exact first error it must give (tests/data/rules/errors/).
. "$top_srcdir/tests/cli/lib.sh"

n=0
for f in "$DATA"/rules/errors/*.rules; do
	want="$f:$(sed "s|FILE|$f|" "${f%.rules}.expect")"
	run rules check "$f"
	expect_status 3 "$(basename "$f")"
	got=$(grep -m 1 ': error: ' "$T/err")
	[ "$got" = "$want" ] || fail "$(basename "$f"):
 got: $got
want: $want"
	n=$((n + 1))
done
[ "$n" -ge 15 ] || fail "only $n error classes"
done_ok
