#!/bin/sh
# crawl-resume.sh: a crawl killed with SIGKILL at an arbitrary moment and
# run again with the same command finishes the job: no page lost, at most
# the request in flight at the kill repeated, the database consistent;
# SIGTERM stops gracefully and the next run resumes.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

start_server site
cat >"$T/job.conf" <<EOF2
[job]
db = state.db
warc_dir = warc
allow_private = yes
# small files: rotation is exercised too
warc_max_size = 8K

[site test]
seed = $BASE/
listing = /listing/\\d+\$
index = /jobs\\?page=\\d+\$
# only the plain pages: every URL is then fetched exactly once
deny = /(slow|broken|busy|huge|bomb|missing|loop-.|old-listing)\$
delay = 0.05
EOF2

# wait_requests N: until the server has seen N requests
wait_requests() {
	n=0
	while [ "$(wc -l <"$SERVER_LOG")" -lt "$1" ]; do
		n=$((n + 1))
		[ $n -lt 300 ] || fail "the crawl made too few requests"
		sleep 0.05
	done
}

# ---- kill -9 in the middle, then the same command again
"$REDFLAG" crawl -c "$T/job.conf" 2>"$T/err1" &
pid=$!
wait_requests 20
kill -9 $pid
wait $pid 2>/dev/null
if command -v sqlite3 >/dev/null 2>&1; then
	[ "$(sqlite3 "$T/state.db" 'PRAGMA integrity_check')" = ok ] ||
		fail "database not consistent after kill -9"
	ntests=$((ntests + 1))
fi
killed_at=$(wc -l <"$SERVER_LOG")
run crawl -c "$T/job.conf" --stats "$T/stats.json"
expect_status 0 "the run after kill -9"
[ "$(json_get "$T/stats.json" 'd["resumed"]')" = True ] ||
	fail "the run was not resumed: $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" 'd["stop"]')" = "frontier exhausted" ] ||
	fail "stop: $(cat "$T/stats.json")"
ntests=$((ntests + 2))

# every listing fetched; nothing but robots.txt and at most the one
# request in flight at the kill fetched twice
i=1
while [ $i -le 30 ]; do
	n=$(requests "/listing/$i")
	[ "$n" -ge 1 ] || fail "listing $i never fetched"
	i=$((i + 1))
done
ntests=$((ntests + 1))
again=$(awk '$3 != "/robots.txt" { n[$3]++ }
	END { for (u in n) if (n[u] > 1) k += n[u] - 1; print k + 0 }' \
	"$SERVER_LOG")
[ "$again" -le 1 ] || fail "$again requests repeated after the kill (at $killed_at)"
ntests=$((ntests + 1))
if command -v sqlite3 >/dev/null 2>&1; then
	n=$(sqlite3 "$T/state.db" "SELECT COUNT(*) FROM urls WHERE kind = 1
		AND state = 1 AND status = 200")
	[ "$n" -eq 30 ] || fail "$n listings done, expected 30"
	n=$(sqlite3 "$T/state.db" "SELECT COUNT(*) FROM runs WHERE
		finished IS NOT NULL")
	[ "$n" -eq 1 ] || fail "$n finished runs, expected 1"
	ntests=$((ntests + 2))
fi
n=$(ls "$T"/warc/*.warc.gz | wc -l)
[ "$n" -ge 3 ] || fail "$n WARC files: no rotation at 8 KiB"
ntests=$((ntests + 1))
if warc_check "$T/warc"; then
	for i in 1 15 30; do
		grep -q "^response $BASE/listing/$i - 200" "$T/records" ||
			fail "listing $i not in the WARC files"
	done
fi

# ---- SIGTERM: a graceful stop, then a resume
rm -rf "$T/state.db"* "$T/warc"
: >"$SERVER_LOG"
"$REDFLAG" crawl -c "$T/job.conf" --stats "$T/stats2.json" 2>"$T/err2" &
pid=$!
wait_requests 10
kill -TERM $pid
wait $pid
status=$?
[ "$status" -eq 0 ] || fail "exit $status after SIGTERM: $(cat "$T/err2")"
[ "$(json_get "$T/stats2.json" 'd["stop"]')" = interrupted ] ||
	fail "stop after SIGTERM: $(cat "$T/stats2.json")"
ntests=$((ntests + 2))
# one crawl per database at a time: a second one is refused. The first
# waits 2 s between requests, so it still holds the database when the
# second starts, however slow the machine
sed 's/^delay = .*/delay = 2/' "$T/job.conf" >"$T/slow.conf"
"$REDFLAG" crawl -c "$T/slow.conf" 2>"$T/err3" &
pid=$!
wait_requests 12
run crawl -c "$T/job.conf"
expect_status 4 "a second crawl of the same database"
expect_err "in use by another crawl" "a second crawl of the same database"
kill -TERM $pid
wait $pid
run crawl -c "$T/job.conf" --stats "$T/stats3.json"
expect_status 0 "the run after SIGTERM"
[ "$(json_get "$T/stats3.json" 'd["resumed"]')" = True ] ||
	fail "not resumed after SIGTERM"
ntests=$((ntests + 1))
i=1
while [ $i -le 30 ]; do
	[ "$(requests "/listing/$i")" -ge 1 ] || fail "listing $i lost after SIGTERM"
	i=$((i + 1))
done

stop_server
done_ok
