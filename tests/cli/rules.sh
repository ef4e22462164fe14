# rules.sh: redflag rules check, test and list, and rule errors in scan.
. "$top_srcdir/tests/cli/lib.sh"

run rules check
expect_status 0 "shipped packs compile"
# every ~lemma of the shipped packs is in its pack's lemmas.lock, so a
# scan needs no dictionary ('redflag rules lock' after changing one)
! grep -q W209 "$T/err" || fail "a ~lemma is missing from a lemmas.lock: $(grep W209 "$T/err")"
run rules test
expect_status 0 "shipped examples pass"
expect_out "^[0-9]* passed, 0 failed$" "test summary line"
run rules list
expect_status 0 "list"
expect_out "^ru.travel.paid_by_employer	ru	J03	2	experimental	" "list line"

cat >"$T/bad.rules" <<'R'
rule broken {
	meta:
		indicator = J03
	patterns:
		$a = /виз(а|у/
	condition:
		$a
}
R
run rules check "$T/bad.rules"
expect_status 3 "a broken regex"
expect_err "bad.rules:5:16: error: in pattern '\$a': missing closing parenthesis \[E132\]" "message with place"
expect_err "^  		             ^\$" "caret under the column"

run scan -r "$T/bad.rules" "$DATA/pages/short.txt"
expect_status 3 "scan with broken rules"

cat >"$T/fails.rules" <<'R'
rule ex {
	meta:
		indicator = J03
	patterns:
		$a = "виза"
	condition:
		$a
	examples:
		match "виза"
		match "билет"
		nomatch "паспорт"
}
R
run rules test "$T/fails.rules"
expect_status 1 "a failing example"
expect_out "fails.rules:10: ex: expected a match, got none: \"билет\"" "failure named"
expect_out "^2 passed, 1 failed$" "counts"

run rules check "$T/nonexistent.rules"
expect_status 4 "an unreadable rule file"
expect_err "cannot read rule file" "unreadable rule file named"


done_ok
