# lemma.sh: ~lemma terms, lemmas.lock and redflag rules lock.
. "$top_srcdir/tests/cli/lib.sh"

L="$DATA/rules/lemma"

# a lock file gives the forms: no dictionary needed (there is none for xx)
run rules test "$L"
expect_status 0 "forms from lemmas.lock"
expect_out "^2 passed, 0 failed$" "lock examples"

# without the lock, the missing dictionary is a clear error
cp "$L/xx.rules" "$T/"
run rules check "$T/xx.rules"
expect_status 3 "no lock, no dictionary"
expect_err "~vize needs the hunspell dictionary for 'xx'" "names the lemma and language"

if [ -r /usr/share/hunspell/ru_RU.dic ]; then
	mkdir "$T/ru"
	cat >"$T/ru/visa.rules" <<'R'
lang ru
rule t.visa {
	meta:
		indicator = J03
	patterns:
		$v = ~виза
	condition:
		$v
	examples:
		match "Визы оформляем"
		match "без визы"
		nomatch "визажист"
}
R
	run rules check "$T/ru"
	expect_status 0 "a lemma from the dictionary"
	expect_err "is not in .*lemmas.lock" "a warning to lock it"
	run rules lock "$T/ru"
	expect_status 0 "rules lock"
	expect_err "1 lemmas.lock file written" "lock written"
	grep -q "^ru	виза	виз виза визам визами визах визе визой визою визу визы$" \
		"$T/ru/lemmas.lock" || fail "the ten forms of виза (as unmunch gives them)"
	run rules check "$T/ru"
	expect_status 0 "check with the lock"
	! grep -q "W209" "$T/err" || fail "no warning once locked"
	run rules test "$T/ru"
	expect_out "^3 passed, 0 failed$" "lemma examples"

	cat >"$T/bad.rules" <<'R'
lang ru
rule t.bad {
	meta:
		indicator = J03
	patterns:
		$v = ~визы
	condition:
		$v
}
R
	run rules check "$T/bad.rules"
	expect_status 3 "a word form is not a lemma"
	expect_err "did you mean ~виза?" "a hint with the lemma"
else
	echo "SKIP: no ru_RU hunspell dictionary"
fi

done_ok
