# explain.sh: rules explain, scan --explain and scan --profile.
. "$top_srcdir/tests/cli/lib.sh"

P="$DATA/pages"

run rules explain --text "Требуются официантки в Дубай, девушки 18-25 лет. Зарплата от 3000\$. Билеты за счёт работодателя. Пишите только в WhatsApp."
expect_status 1 "explain of a high-level text"
expect_out "ru.travel.paid_by_employer  J03 medium, 2 points" "fired rule with points"
expect_out "\[Билеты за счёт\] работодателя" "match shown in context"
expect_out "J09 anonymous or messenger-only contact      A  1" "indicator line"
expect_out "ILO dimensions present: 2; bonus +1" "bonus"
expect_out "^Score 11: high" "score and level"

run rules explain --text "Требуется официантка в кафе"
expect_status 0 "explain below the alert level"
expect_out "^Score 0: none" "no score"
expect_out "ru.job.hostess_abroad  J07  missing: \$abroad" "a close call names what is missing"

run rules explain "$P/short.txt"
expect_status 1 "explain of a file"
expect_out "short.txt" "the file is named"

run rules explain
expect_status 2 "explain without input"
run rules explain --text x "$P/short.txt"
expect_status 2 "explain with both text and files"

run scan --explain "$P/short.txt"
json_ok "scan --explain"
python3 - "$T/out" <<'PY' || fail "scan --explain trace"
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").readline())
e = d["explain"]
pts = sum(i["points"] for i in e["indicators"]) + e["bonus"]
assert pts == d["score"], (pts, d["score"])
assert e["thresholds"] == {"low": 2, "medium": 5, "high": 9}
assert [i["indicator"] for i in e["indicators"]] == d["indicators"]
PY

run scan --profile "$P"
expect_err "^rule  *skipped  *verified  *fired" "profile header"
expect_err "^ru.job.hostess_abroad  *2  *2  *2 " "profile row: skipped, verified, fired"
expect_err "share calls/doc$" "profile header: PCRE2 calls"
expect_err "^ru.job.hostess_abroad  *2  *2  *2 .*%  *[1-9][0-9]*\.[0-9]$" \
	"profile row: PCRE2 calls per verified document"

done_ok
