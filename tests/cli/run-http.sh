# run-http.sh: redflag run against the loopback test server twice: the
# second run's listings answer 304 Not Modified to conditional requests,
# and are read back from their earlier captures, so that they count as
# seen (unchanged), keep their verdict, and are neither marked removed
# nor left to age out of the store; a rescore reads them back likewise.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
start_server srv
cat >"$T/job.conf" <<EOF2
[job]
name = http
db = state/crawl.db
warc_dir = state/warc
store = state/redflag.db
reports = state/reports
allow_private = yes

[site test]
seed = $BASE/jobs?page=1
listing = /listing/\\d+\$
index = /jobs\\?page=\\d+\$
deny = /(slow|broken|busy|huge|bomb|missing|loop-.|old-listing)\$
delay = 0
recrawl = 1s
EOF2
q() {	# q SQL: one query on the run's store
	sql "$T/state/redflag.db" "$1"
}

run run -c "$T/job.conf"
expect_status 0 "first run: $(cat "$T/err")"
[ "$(q 'select listings_new from runs where id = 1')" = 30 ] ||
	fail "run 1: 30 new listings: $(q 'select * from runs')"

sleep 1.2
run run -c "$T/job.conf"
expect_status 0 "second run: $(cat "$T/err")"
n304=$(q "select count(*) from pages where run_id = 2 and http_status = 304")
[ "$n304" -ge 30 ] || fail "run 2: the listings answered 304 ($n304)"
got=$(q 'select listings_new, listings_changed, listings_unchanged, listings_removed from runs where id = 2')
[ "$got" = "0|0|30|0" ] ||
	fail "run 2: 30 listings seen unchanged, none removed; got $got"
[ "$(q 'select count(*) from listings where last_run = 2 and removed_run is null')" = 30 ] ||
	fail "run 2 saw every listing"
[ "$(q "select count(*) from pages where run_id = 2 and http_status = 304 and payload_sha256 in (select payload_sha256 from pages where run_id = 1)")" = "$n304" ] ||
	fail "a 304 page is recorded with its earlier payload"
[ "$(q 'select count(*) from listing_versions')" = 30 ] ||
	fail "no new versions from 304s"

# rescore the run of 304s: each payload comes from the earlier capture
run rescore -c "$T/job.conf"
expect_status 0 "rescore of a run of 304s: $(cat "$T/err")"
[ "$(q 'select listings_unchanged from runs where id = 3')" = 30 ] ||
	fail "the rescore read every listing back: $(q 'select * from runs where id = 3')"
done_ok
