# run.sh: redflag run, the nightly job, on a copy of the demo site: two
# runs with new, changed and removed listings between them, the lock, the
# report, the notify command, --alert-exit.
. "$top_srcdir/tests/cli/lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
cp -r "$top_srcdir/examples/demo-site" "$T/site"
cat >"$T/job.conf" <<'C'
[job]
name = t
store = state/redflag.db
db = state/crawl.db
warc_dir = state/warc
reports = state/reports
# CI runs the tests as root; a unit that runs as root on purpose says so,
# and its cron stays silent (privacy.sh tests the warning)
as_root = allow

[site demo]
seed = site/index.html
listing = /listings/[0-9]+\.html$
index = /jobs/([a-z-]+/)?page-[0-9]+\.html$
delay = 0
recrawl = 1s
C
# the notify command gets the report's path and the count of new highs
printf '[job]\nnotify = echo "$REDFLAG_NEW_HIGH $1" >> %s/notified.txt\n' "$T" |
	cat - "$T/job.conf" | awk '!/^\[job\]$/ || !seen++' >"$T/job.tmp"
mv "$T/job.tmp" "$T/job.conf"
q() {	# q SQL: one query on the run's store
	sql "$T/state/redflag.db" "$1"
}

run run -c "$T/job.conf"
expect_status 0 "first run"
expect_lines 4 "the four reports' paths on stdout, nothing else"
for ext in html csv jsonl md; do
	f=$(grep "\.$ext$" "$T/out")
	[ -f "$f" ] || fail "the $ext report '$f' exists"
	[ "$(stat -c %a "$f")" = 640 ] || fail "report mode 0640"
done
report=$(grep '\.html$' "$T/out")
! grep -qi '<script' "$report" || fail "no script in the HTML report"
grep -q '"new","high"' "$(grep '\.csv$' "$T/out")" ||
	fail "the CSV lists the new high-level listings"
[ ! -s "$T/err" ] || fail "silent under cron: $(cat "$T/err")"
[ "$(q "select pages_fetched, listings_extracted from site_stats where run_id = 1")" = "84|60" ] ||
	fail "site figures of run 1: $(q 'select * from site_stats')"
[ "$(q 'select listings_new, alerts from runs where id = 1')" = "60|15" ] ||
	fail "run 1: 60 new listings, 15 alerts: $(q 'select * from runs')"
# J18: one phone behind four listings in three languages adds 2 points to
# each of them, on top of what the rules gave
rules_score=$("$REDFLAG" scan -f jsonl "$T/site/listings/40581.html" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["score"])')
stored=$(q "select s.score from scores s join listings l on l.id = s.listing_id where s.run_id = 1 and l.url like '%/40581.html'")
[ "$stored" = $((rules_score + 2)) ] ||
	fail "J18 raises 40581 from $rules_score by 2 points; got $stored"
j18=$(q "select f.rule_id, f.weight from findings f join scores s on s.version_id = f.version_id join listings l on l.id = s.listing_id where s.run_id = 1 and f.indicator = 'J18' and l.url like '%/40581.html'")
[ "$j18" = "structure.shared_phone|2" ] || fail "the J18 finding of 40581: $j18"
grep -q '"rule":"structure.shared_phone"' "$(grep '\.jsonl$' "$T/out")" ||
	fail "the JSONL report shows the J18 finding"
[ "$(q "select count(*) from findings f join scores s on s.version_id = f.version_id where s.run_id = 1 and f.indicator = 'J18' and s.listing_id in (select id from listings where url like '%/40412.html' or url like '%/40416.html')")" = 0 ] ||
	fail "no J18 on ordinary listings"
# J18 against the demo site's labels: every listing labelled J18, and
# nothing else (40559 writes its Telegram name bare: "Telegram: name")
got=$(python3 - "$T/site/labels.csv" "$T/state/redflag.db" <<'PY'
import csv, sqlite3, sys
want = {r["path"].split("/")[-1] for r in csv.DictReader(open(sys.argv[1]))
        if "J18" in r["indicators"].split()}
c = sqlite3.connect(sys.argv[2])
got = {r[0].split("/")[-1] for r in c.execute(
    "select distinct l.url from findings f join scores s"
    " on s.version_id = f.version_id and s.run_id = 1"
    " join listings l on l.id = s.listing_id where f.indicator = 'J18'")}
print(" ".join(sorted(want - got)) + " | " + " ".join(sorted(got - want)))
PY
)
[ "$got" = " | " ] || fail "J18 missed | J18 not labelled: $got"
grep -q "^[1-9][0-9]* $report$" "$T/notified.txt" ||
	fail "notify ran with the report path and the count of new highs"
ls "$T"/state/warc/results-*.warc.gz >/dev/null ||
	fail "a WARC file of metadata records"

# between the runs: one listing changes, one disappears, one is new
sleep 1
sed -i 's/<\/h1>/ (обновлено)<\/h1>/' "$T/site/listings/40412.html"
rm "$T/site/listings/40416.html"
sed -i 's/40416\.html/40999.html/' "$T"/site/jobs/*.html "$T"/site/jobs/*/*.html
cp "$T/site/listings/40418.html" "$T/site/listings/40999.html"
run run --alert-exit -c "$T/job.conf"
expect_status 0 "second run: nothing new at medium"
got=$(q 'select listings_new, listings_changed, listings_unchanged, listings_removed from runs where id = 2')
[ "$got" = "1|1|58|1" ] || fail "run 2: 1 new, 1 changed, 58 unchanged, 1 removed; got $got"
[ "$(q "select removed_run from listings where url like '%40416.html'")" = 2 ] ||
	fail "the vanished listing is marked removed, not deleted"
[ "$(q "select count(*) from listing_versions v join listings l on l.id = v.listing_id where l.url like '%40412.html'")" = 2 ] ||
	fail "the changed listing keeps its history"

# a third run with no change finds nothing new
sleep 1
run run -c "$T/job.conf"
[ "$(q 'select listings_new + listings_changed from runs where id = 3')" = 0 ] ||
	fail "run 3: nothing new"
[ "$(q "select s.score from scores s join listings l on l.id = s.listing_id where s.run_id = 3 and l.url like '%/40581.html'")" = "$stored" ] ||
	fail "J18 holds in an unchanged run"

# an overlapping run refuses at once, naming the lock
python3 - "$T/state/redflag.db.lock" "$REDFLAG" "$T/job.conf" <<'PY' >"$T/lockout" 2>&1 || fail "the lock: $(cat "$T/lockout")"
import fcntl, subprocess, sys
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
p = subprocess.run([sys.argv[2], "run", "-c", sys.argv[3]], capture_output=True, text=True, timeout=30)
assert p.returncode == 4, p.returncode
assert "another run holds the lock" in p.stderr and sys.argv[1] in p.stderr, p.stderr
PY

# --alert-exit: a new suspicious listing makes the run exit 1
sleep 1
cp "$T/site/listings/40581.html" "$T/site/listings/41000.html"
sed -i 's/40581\.html/41000.html/' "$T/site/jobs/page-1.html"
run run --alert-exit -c "$T/job.conf"
expect_status 1 "--alert-exit with a new alert"

# killed mid-run (SIGKILL), then run again: the store stays consistent,
# the killed run is recorded as interrupted, the new one finishes
sleep 1
"$REDFLAG" run -c "$T/job.conf" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
run run -c "$T/job.conf"
expect_status 0 "the run after a kill"
[ "$(q 'pragma integrity_check')" = ok ] || fail "integrity after a kill"
[ "$(q "select status from runs order by id desc limit 1")" = finished ] ||
	fail "the run after the kill finished"
n=$(q "select count(*) from runs where status = 'running'")
[ "$n" = 0 ] || fail "no run is left 'running' ($n)"

# rescore after a rule change changes exactly the affected scores
cp -r "$top_srcdir/rules/packs" "$T/rules"
sed "s|^\[job\]$|[job]\nrules = $T/rules|" "$T/job.conf" >"$T/job2.conf"
sleep 1
run run -c "$T/job2.conf"
expect_status 0 "a run with the copied packs"
cat >"$T/rules/ru/zz-test.rules" <<'R'
rule test.apples {
	meta:
		indicator = J12
		strength = strong
	patterns:
		$a = "сбор яблок"
	condition:
		$a
}
R
run rescore -c "$T/job2.conf"
expect_status 0 "rescore"
expect_lines 4 "rescore prints its reports"
last=$(q "select max(id) from runs")
n=$(q "select count(*) from scores a join scores b on a.listing_id = b.listing_id
	where a.run_id = $last - 1 and b.run_id = $last and a.score <> b.score")
[ "$n" = 1 ] || fail "rescore changed $n scores, expected exactly 1"
[ "$(q "select stop_reason from runs where id = $last")" = rescored ] ||
	fail "the rescore is a run of its own"

run run
expect_status 2 "run without a job file"
printf '[job]\nbogus = 1\n' >"$T/bad.conf"
run run -c "$T/bad.conf"
expect_status 2 "a bad job file"
expect_err "bad.conf:2" "the bad line is named"

done_ok
