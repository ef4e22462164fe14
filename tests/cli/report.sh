# report.sh: redflag report over a store written through the store API
# (tests/unit/mkreportdb): formats, files, options, exits.
. "$top_srcdir/tests/cli/lib.sh"

MKDB="$top_builddir/tests/unit/mkreportdb"
[ -x "$MKDB" ] || fail "no $MKDB: build the check programs first"
"$MKDB" "$T/state.db" || fail "mkreportdb"

run report --help
expect_status 0 "--help"
expect_out "usage: redflag report" "help text"

run report
expect_status 2 "no store is a usage error"
expect_err "give --db FILE" "says what is missing"
run report --db "$T/state.db" -f pdf
expect_status 2 "unknown format"
run report --db "$T/state.db" --since 2026-02-30
expect_status 2 "an impossible date"
run report --db "$T/state.db" --run 3 --since last-run
expect_status 2 "--run and --since together"
run report --db "$T/state.db" --lang de
expect_status 2 "unknown language"

# -c reads the job's store from its job file
run report -c "$T/nojob.conf"
expect_status 2 "-c with a missing job file"
expect_err "nojob.conf" "the job file is named"

run report --db "$T/missing.db"
expect_status 4 "a missing database"
expect_err "no database" "names the problem"
run report --db "$T/state.db" --run 99
expect_status 4 "no such run"
expect_err "no run 99" "names the run"

# HTML to a file: atomic, 0640, no script at all
run report --db "$T/state.db" -o "$T/r.html"
expect_status 0 "html report"
[ -s "$T/r.html" ] || fail "no html written"
[ "$(stat -c %a "$T/r.html")" = 640 ] || fail "mode $(stat -c %a "$T/r.html"), not 640"
! grep -qi '<script' "$T/r.html" || fail "the html has a <script"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/r.html" || fail "page markup not shown as text"
grep -q 'Sites whose yield collapsed (4)' "$T/r.html" || fail "silent sites not flagged"
[ "$(ls -A "$T" | grep -c '^\.r\.html')" -eq 0 ] || fail "a temporary file was left"

# the format follows -o's extension; stdout without -o
run report --db "$T/state.db" -o "$T/r.csv"
expect_status 0 "csv by extension"
head -1 "$T/r.csv" | grep -q '^run,change,level,score' || fail "csv header"
grep -q "\"'=cmd|" "$T/r.csv" || fail "formula not neutralized"
run report --db "$T/state.db" -f jsonl
expect_status 0 "jsonl on stdout"
json_ok "report jsonl"
head -1 "$T/out" | grep -q '"type":"report"' || fail "first line is the summary"
expect_out '"type":"cluster","kind":"text"' "a text cluster"
run report --db "$T/state.db" -f md --lang ru
expect_status 0 "markdown in Russian"
expect_out "## Сводка" "Russian labels"

# which runs
run report --db "$T/state.db" -f jsonl --since last-run
expect_out '"run":9,"runs":\[9\]' "last-run is the latest finished run"
run report --db "$T/state.db" -f jsonl --since 2026-11-09
expect_out '"runs":\[8,9\]' "runs finished since a date"
run report --db "$T/state.db" -f jsonl --run 8 --min-level high
expect_out '"run":8' "--run"
[ "$(grep -c '"type":"listing"' "$T/out")" -eq 1 ] || fail "--min-level high keeps one listing"
run report --db "$T/state.db" -f jsonl --all
[ "$(grep -c '"type":"listing"' "$T/out")" -eq 7 ] || fail "--all adds the unchanged one"

# pseudonyms: the key is made once next to the database, mode 0600
run report --db "$T/state.db" -f csv --pseudonymize
expect_status 0 "pseudonymized"
[ "$(stat -c %a "$T/state.db.pseudonym-key")" = 600 ] || fail "key mode"
expect_no_out "77011234567" "a phone left"
expect_no_out "recruiter_kg" "a handle left"
expect_out '\[phone:' "pseudonyms"
cp "$T/out" "$T/first.csv"
run report --db "$T/state.db" -f csv --pseudonymize
cmp -s "$T/out" "$T/first.csv" || fail "the same key gives the same pseudonyms"
run report --db "$T/state.db" -f csv --pseudonymize --key-file "$T/nokey"
expect_status 4 "a named key file must exist"
run report --db "$T/state.db" --key-file "$T/nokey"
expect_status 2 "--key-file without --pseudonymize"

done_ok
