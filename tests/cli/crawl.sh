#!/bin/sh
# crawl.sh: redflag crawl against a classifieds site on 127.0.0.1
# (tests/server/testsrv.c), checked from the server's own request log:
# robots.txt obeyed, the delay kept, every listing fetched once, redirects
# queued (a loop ends), 404/500/429, slow drip, oversized body, gzip bomb,
# duplicates as revisits, conditional GET on recrawl, the SSRF guard.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

start_server site

job() {	# job FILE RECRAWL SITEMAPS
	cat >"$1" <<EOF2
# the test site, crawled fast: the server's Crawl-delay (0.1 s) must
# still win over our delay
[job]
db = state.db
warc_dir = warc
allow_private = yes

[site test]
seed = $BASE/
listing = /listing/\\d+\$
index = /jobs\\?page=\\d+\$
delay = 0.05
timeout = 1
low_speed_limit = 100
low_speed_time = 1
max_body = 1M
retry_base = 0.1
recrawl = $2
sitemaps = $3
EOF2
}
job "$T/job.conf" 0 no

# ---- the first crawl
run crawl -c "$T/job.conf" --stats "$T/stats.json"
expect_status 0 "first crawl"
cp "$SERVER_LOG" "$T/run1.log"

# robots.txt first, once
first=$(head -n 1 "$SERVER_LOG" | awk '{ print $3 }')
[ "$first" = /robots.txt ] || fail "first request was '$first', not /robots.txt"
expect_requests /robots.txt 1 "robots.txt once"
# disallowed URLs never requested; the Allow exception is
expect_requests /private/secret.html 0 "robots Disallow"
expect_requests "/search?q=waiter" 0 "robots Disallow /search"
expect_requests /private/open.html 1 "robots Allow"
# out of scope, file:, mailto: and traps never requested (and the
# out-of-scope host is never even resolved: nothing but 127.0.0.1 is
# contacted, which the test server's log cannot show but the summary does)
expect_requests /a/b/a/b/a/b/ 0 "trap filter"
# sitemaps only when asked for
expect_requests /sitemap.xml 0 "sitemaps off"
expect_requests /listing/31 0 "sitemaps off"
# every listing exactly once, every pagination page once
i=1
while [ $i -le 30 ]; do
	expect_requests "/listing/$i" 1 "listing $i"
	i=$((i + 1))
done
for p in 1 2 3 4 5; do
	expect_requests "/jobs?page=$p" 1 "pagination page $p"
done
# redirects recorded and their targets queued (dedup: /listing/5 once);
# the loop ends
expect_requests /old-listing 1 "redirect into a listing"
expect_requests /loop-a 1 "redirect loop a"
expect_requests /loop-b 1 "redirect loop b"
# 404 once; 500 retried up to the attempt cap; 429 honoured, then fetched
expect_requests /missing 1 "404"
expect_requests /broken 3 "500 retried"
expect_requests /busy 2 "429 then 200"
# slow drip: cut by the timeout and retried, never more than the cap
n=$(requests /slow)
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "slow drip requested $n times"
expect_requests /huge 1 "oversized page once"
expect_requests /bomb 1 "gzip bomb once"
expect_requests /cp1251 1 "windows-1251 page"
expect_requests /cp1251-target 1 "link in a windows-1251 page"
expect_requests /gz 1 "gzip page"
expect_requests /gz-target 1 "link in a gzip page"
# brotli and zstd, asked for and decoded; their bombs stop at the cap
expect_requests /br 1 "brotli page"
expect_requests /br-target 1 "link in a brotli page"
expect_requests /zstd 1 "zstd page"
expect_requests /zstd-target 1 "link in a zstd page"
expect_requests /br-bomb 1 "brotli bomb once"
expect_requests /zstd-bomb 1 "zstd bomb once"
# a redirect chain is followed (queued) five hops, no more
for i in 0 1 2 3 4 5; do
	expect_requests "/chain/$i" 1 "redirect chain hop $i"
done
expect_requests /chain/6 0 "redirect chain over the cap"
expect_requests /dup-a 1 "duplicate a"
expect_requests /dup-b 1 "duplicate b"
# connections reused: far fewer than the requests (a 429, a timeout or
# a cut body may close one)
conns=$(awk '{ print $4 }' "$SERVER_LOG" | sort -u | wc -l)
reqs=$(wc -l <"$SERVER_LOG")
[ $((conns * 4)) -lt "$reqs" ] || fail "$conns connections for $reqs requests"
ntests=$((ntests + 1))
# politeness: robots.txt obeys our delay (0.05 s); after it, never two
# requests closer than its Crawl-delay (0.1 s); Retry-After: 1 kept
gap=$(gap_after /robots.txt)
ge "$gap" 0.049 || fail "request $gap s after robots.txt, delay is 0.05 s"
tail -n +2 "$SERVER_LOG" >"$T/after-robots.log"
gap=$(SERVER_LOG="$T/after-robots.log" min_gap)
ge "$gap" 0.099 || fail "requests $gap s apart, below the 0.1 s Crawl-delay"
ntests=$((ntests + 2))
gap=$(gap_after /busy)
ge "$gap" 0.99 || fail "next request $gap s after the 429, Retry-After is 1 s"
ntests=$((ntests + 1))

# the summary
[ "$(json_get "$T/stats.json" 'd["stop"]')" = "frontier exhausted" ] ||
	fail "stop reason: $(cat "$T/stats.json")"
h='d["hosts"][0]'
[ "$(json_get "$T/stats.json" "$h[\"robots_blocked\"]")" -eq 2 ] ||
	fail "robots_blocked: $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" "$h[\"status_429\"]")" -eq 1 ] ||
	fail "status_429: $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" "$h[\"delay\"]")" = 0.1 ] ||
	fail "delay used: $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" "$h[\"parked\"]")" = False ] ||
	fail "host parked: $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" "$h[\"truncated\"]")" -ge 4 ] ||
	fail "truncated (huge, three bombs): $(cat "$T/stats.json")"
[ "$(json_get "$T/stats.json" 'd["revisits"]')" -ge 1 ] ||
	fail "no revisit for the duplicate: $(cat "$T/stats.json")"
ntests=$((ntests + 6))

# the state: listings done with their kind, links of the gzip and the
# windows-1251 pages followed (/listing/30 and /listing/29 came from there
# too, and the pages of the listing links)
if command -v sqlite3 >/dev/null 2>&1; then
	n=$(sqlite3 "$T/state.db" "SELECT COUNT(*) FROM urls WHERE kind = 1
		AND state = 1 AND status = 200")
	[ "$n" -eq 30 ] || fail "$n listings done in the state, expected 30"
	n=$(sqlite3 "$T/state.db" "SELECT COUNT(*) FROM urls WHERE kind = 2
		AND depth = 0")
	[ "$n" -eq 5 ] || fail "$n pagination pages at depth 0, expected 5"
	n=$(sqlite3 "$T/state.db" "SELECT COUNT(*) FROM urls WHERE
		url LIKE 'file:%' OR url LIKE '%out-of-scope%'")
	[ "$n" -eq 0 ] || fail "file: or out-of-scope URLs in the frontier"
	[ "$(sqlite3 "$T/state.db" 'PRAGMA integrity_check')" = ok ] ||
		fail "database integrity"
	ntests=$((ntests + 4))
fi

# the WARC: valid for warcio, a response per fetch, the caps marked
if warc_check "$T/warc"; then
	grep -q "^response $BASE/listing/7 - 200" "$T/records" ||
		fail "no response record for /listing/7"
	grep -q "^response $BASE/huge length 200" "$T/records" ||
		fail "/huge not marked WARC-Truncated: length"
	grep -q "^response $BASE/slow time 200" "$T/records" ||
		fail "/slow not marked WARC-Truncated: time"
	grep -q "^revisit $BASE/dup-b [a-z-]* identical-payload-digest" \
		"$T/records" || fail "no identical-payload revisit for /dup-b"
	grep -q "^response $BASE/busy - 429" "$T/records" ||
		fail "the 429 not recorded"
	grep -q "^response $BASE/old-listing - 301" "$T/records" ||
		fail "redirect not recorded"
	n=$(grep -c '^request ' "$T/records")
	m=$(grep -c '^\(response\|revisit\) ' "$T/records")
	[ "$n" -eq "$m" ] || fail "$n request records for $m responses"
	ntests=$((ntests + 7))
fi

# scan reads the brotli and zstd bodies back from the WARC
run scan -f jsonl "$T/warc"
expect_out '"url":"'"$BASE"'/br","status":"ok"' "scan of a brotli record"
expect_out '"title":"Brotli"' "brotli record decoded by scan"
expect_out '"title":"Zstandard"' "zstd record decoded by scan"

# ---- the same command again: nothing done is fetched again
run crawl -c "$T/job.conf"
expect_status 0 "second crawl"
tail -n +$(($(wc -l <"$T/run1.log") + 1)) "$SERVER_LOG" >"$T/run2.log"
grep -q ' /listing/' "$T/run2.log" && fail "a listing fetched again without recrawl"
ntests=$((ntests + 1))

# ---- recrawl: conditional GET, 304 recorded as revisits
job "$T/job2.conf" 1s yes
sleep 1
run crawl -c "$T/job2.conf" --stats "$T/stats3.json"
expect_status 0 "recrawl"
n=$(json_get "$T/stats3.json" 'd["hosts"][0]["not_modified"]')
[ "$n" -eq 30 ] || fail "$n listings 304 on recrawl, expected 30"
ntests=$((ntests + 1))
# sitemaps on: the index, the gzip sitemap, and the listing only it names
expect_requests /sitemap.xml 1 "sitemap index"
expect_requests /sitemap-ads.xml.gz 1 "gzip sitemap"
expect_requests /listing/31 1 "listing from the sitemap"
expect_requests /listing/1 2 "listing 1: fetched, then 304"
if warc_check "$T/warc"; then
	n=$(grep -c "^revisit $BASE/listing/[0-9]* - server-not-modified" \
		"$T/records")
	[ "$n" -eq 30 ] || fail "$n not-modified revisit records, expected 30"
fi

# ---- the SSRF guard: without --allow-private nothing is requested
: >"$SERVER_LOG"
run crawl --db "$T/ssrf.db" --warc-dir "$T/ssrf-warc" --delay 0 \
	--stats "$T/ssrf.json" "$BASE/"
expect_status 0 "crawl of a private address"
[ "$(wc -l <"$SERVER_LOG")" -eq 0 ] || fail "the SSRF guard let a request through"
[ "$(json_get "$T/ssrf.json" 'd["hosts"][0]["private_refused"]')" -ge 1 ] ||
	fail "refusal not counted: $(cat "$T/ssrf.json")"
ntests=$((ntests + 2))

# ---- the page budget and the depth
: >"$SERVER_LOG"
run crawl --allow-private --db "$T/budget.db" --warc-dir "$T/budget-warc" \
	--delay 0 --max-pages 5 --stats "$T/budget.json" "$BASE/"
expect_status 0 "crawl with a page budget"
[ "$(json_get "$T/budget.json" 'd["stop"]')" = "budget reached" ] ||
	fail "stop with --max-pages: $(cat "$T/budget.json")"
n=$(grep -vc ' /robots.txt ' "$SERVER_LOG")
[ "$n" -eq 5 ] || fail "$n pages fetched with --max-pages 5"
ntests=$((ntests + 2))
: >"$SERVER_LOG"
run crawl --allow-private --db "$T/depth.db" --warc-dir "$T/depth-warc" \
	--delay 0 --depth 0 "$BASE/"
expect_status 0 "crawl with depth 0"
n=$(grep -vc ' /robots.txt ' "$SERVER_LOG")
[ "$n" -eq 1 ] || fail "$n pages fetched with --depth 0"
ntests=$((ntests + 1))

# ---- the time budget
printf '[job]\ndb = time.db\nwarc_dir = time-warc\nallow_private = yes\n[site t]\nseed = %s/\ndelay = 0.3\nmax_time = 1\n' \
	"$BASE" >"$T/time.conf"
run crawl -c "$T/time.conf" --stats "$T/time.json"
expect_status 0 "crawl with a time budget"
python3 - "$T/time.json" <<'PY' || fail "time budget: $(cat "$T/time.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stop"] == "budget reached", d["stop"]
assert 1 <= d["elapsed"] < 3, d["elapsed"]
assert 1 <= d["pages"] <= 5, d["pages"]
PY
ntests=$((ntests + 1))

# ---- a cookie file is sent; the User-Agent names redflag
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n' >"$T/cookies.txt"
cat >"$T/cookie.conf" <<EOF2
[job]
db = cookie.db
warc_dir = cookie-warc
allow_private = yes
[site c]
seed = $BASE/listing/3
depth = 0
delay = 0
cookie_file = cookies.txt
ignore_robots = yes
EOF2
: >"$SERVER_LOG"
run crawl -c "$T/cookie.conf"
expect_status 0 "crawl with a cookie file"
# ignore_robots: logged, robots.txt not asked for, said in the evidence
expect_err "site 'c': robots.txt is IGNORED" "ignore_robots logged"
expect_requests /robots.txt 0 "ignore_robots"
gzip -dc "$T"/cookie-warc/*.warc.gz | grep -q '^robots-ignored: site c' ||
	fail "ignore_robots not in the warcinfo record"
grep -q ' /listing/3 port=[0-9]* ua=redflag/[0-9.]* cookie=session=abc123$' "$SERVER_LOG" ||
	fail "cookie or User-Agent not sent: $(cat "$SERVER_LOG")"
ntests=$((ntests + 1))

# ---- through a proxy: the SSRF guard does not apply to the proxy's
# address (no --allow-private), and the site's name is resolved by the
# proxy, never by us (board.example does not exist)
cat >"$T/proxy.conf" <<EOF2
[job]
db = proxy.db
warc_dir = proxy-warc
[site board]
seed = http://board.example/listing/3
depth = 0
delay = 0
proxy = http://127.0.0.1:$PORT
EOF2
: >"$SERVER_LOG"
run crawl -c "$T/proxy.conf" --stats "$T/proxy.json"
expect_status 0 "crawl through a proxy"
expect_requests http://board.example/robots.txt 1 "robots.txt through the proxy"
expect_requests http://board.example/listing/3 1 "page through the proxy"
[ "$(json_get "$T/proxy.json" 'd["hosts"][0]["fetched"]')" -eq 1 ] ||
	fail "proxy crawl: $(cat "$T/proxy.json")"
ntests=$((ntests + 1))

# ---- four hosts at once, each at its own pace: requests to different
# hosts overlap, requests to one host keep the delay (0.3 s)
{
	printf '[job]\ndb = multi.db\nwarc_dir = multi-warc\n'
	printf '[site multi]\ndepth = 0\ndelay = 0.3\n'
	printf 'proxy = http://127.0.0.1:%s\n' "$PORT"
	for h in 1 2 3 4; do
		for l in 1 2 3 4 5; do
			printf 'seed = http://host%s.example/listing/%s\n' $h $l
		done
	done
} >"$T/multi.conf"
: >"$SERVER_LOG"
start=$(date +%s.%N)
run crawl -c "$T/multi.conf" --stats "$T/multi.json"
expect_status 0 "crawl of four hosts"
end=$(date +%s.%N)
[ "$(json_get "$T/multi.json" 'd["pages"]')" -eq 20 ] ||
	fail "four hosts: $(cat "$T/multi.json")"
# per host: never closer than 0.3 s
gap=$(awk '{ split($3, p, "/"); h = p[3]
	if (h in last) { g = $1 - last[h]; if (min == "" || g < min) min = g }
	last[h] = $1 } END { printf "%.4f\n", min }' "$SERVER_LOG")
ge "$gap" 0.299 || fail "one host asked twice within $gap s (delay 0.3 s)"
# all hosts: in parallel, so 24 requests in far less than 24 * 0.3 s
ge 4.5 "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" ||
	fail "four hosts crawled one after the other"
ntests=$((ntests + 3))

# ---- a Crawl-delay of a day is capped and reported
cat >"$T/greedy.conf" <<EOF2
[job]
db = greedy.db
warc_dir = greedy-warc
[site greedy]
seed = http://greedy.example/jobs
proxy = http://127.0.0.1:$PORT
delay = 0
EOF2
run crawl -c "$T/greedy.conf" --stats "$T/greedy.json"
expect_status 0 "crawl of a greedy host"
expect_err "Crawl-delay of 86400 s; using the cap of 60 s" "Crawl-delay cap reported"
python3 - "$T/greedy.json" <<'PY' || fail "greedy host: $(cat "$T/greedy.json")"
import json, sys
h = json.load(open(sys.argv[1]))["hosts"][0]
assert h["crawl_delay"] == 86400 and h["crawl_delay_capped"], h
assert h["delay"] == 60 and h["robots_blocked"] == 1, h
PY
ntests=$((ntests + 1))

# ---- robots.txt 503 with Retry-After: 2: everything disallowed until
# then (RFC 9309), and robots.txt asked again after 2 s, not after the
# back-off (retry_base 0.01 s)
cat >"$T/unavail.conf" <<EOF2
[job]
db = unavail.db
warc_dir = unavail-warc
[site unavail]
seed = http://unavailable.example/listing/3
depth = 0
delay = 0
retry_base = 0.01
proxy = http://127.0.0.1:$PORT
EOF2
: >"$SERVER_LOG"
run crawl -c "$T/unavail.conf" --stats "$T/unavail.json"
expect_status 0 "crawl of a host whose robots.txt is 503"
expect_requests http://unavailable.example/robots.txt 2 "robots.txt 503, then 200"
expect_requests http://unavailable.example/listing/3 1 "page after robots.txt came"
first=$(awk '$3 == "http://unavailable.example/robots.txt" { print $1; exit }' "$SERVER_LOG")
second=$(awk '$3 == "http://unavailable.example/robots.txt" { t = $1 } END { print t }' "$SERVER_LOG")
page=$(awk '$3 == "http://unavailable.example/listing/3" { print $1 }' "$SERVER_LOG")
ge "$(awk -v a="$first" -v b="$second" 'BEGIN { print b - a }')" 1.99 ||
	fail "robots.txt asked again $first -> $second, Retry-After is 2 s"
ge "$page" "$second" || fail "page fetched before robots.txt came"
ntests=$((ntests + 2))

# ---- a host that keeps timing out is parked, and the summary says so
cat >"$T/park.conf" <<EOF2
[job]
db = park.db
warc_dir = park-warc
allow_private = yes
[site park]
seed = $BASE/slow?n=1
seed = $BASE/slow?n=2
seed = $BASE/slow?n=3
seed = $BASE/slow?n=4
seed = $BASE/slow?n=5
seed = $BASE/slow?n=6
seed = $BASE/slow?n=7
depth = 0
delay = 0
# /slow drips a byte every 200 ms: every request times out; robots.txt
# must not, even on a loaded machine (a timed-out robots.txt counts as a
# failure too, and the host would park before its fifth /slow)
timeout = 1
retry_base = 0.01
EOF2
: >"$SERVER_LOG"
run crawl -v -c "$T/park.conf" --stats "$T/park.json"
expect_status 0 "crawl of a host that times out"
expect_err "parked after 5 failures in a row" "parking logged"
[ "$(json_get "$T/park.json" 'd["hosts"][0]["parked"]')" = True ] ||
	fail "host not parked: $(cat "$T/park.json")"
# the crawler's count is exact; the server's log may miss a request that
# timed out before the server read its head (a loaded machine), never
# see one more
[ "$(json_get "$T/park.json" 'd["hosts"][0]["errors"]')" -eq 5 ] ||
	fail "not 5 failed requests before parking: $(cat "$T/park.json")"
n=$(grep -c ' /slow' "$SERVER_LOG")
[ "$n" -ge 1 ] && [ "$n" -le 5 ] ||
	fail "$n requests to a host that should be parked after 5"
# not "frontier exhausted": the stop reason says what was left behind,
# in the summary, the --stats file and the state
python3 - "$T/park.json" <<'PY' || fail "parked stop: $(cat "$T/park.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stop"] == "hosts parked", d["stop"]
assert d["parked_hosts"] == 1, d
n = d["parked_urls"]
assert 1 <= n <= 7 and n == d["queued"] == d["hosts"][0]["left"], d
PY
left=$(json_get "$T/park.json" 'd["parked_urls"]')
expect_err "crawl: hosts parked: frontier exhausted but for 1 host with $left URLs* after" \
	"parked stop in the summary"
if command -v sqlite3 >/dev/null 2>&1; then
	r=$(sqlite3 "$T/park.db" 'SELECT stop_reason FROM runs')
	case $r in
	"hosts parked: frontier exhausted but for 1 host with $left URL"*) ;;
	*) fail "stop reason in the state: '$r'" ;;
	esac
fi
ntests=$((ntests + 4))

# ---- usage
run crawl
expect_status 2 "no URL"
run crawl "file:///etc/passwd"
expect_status 2 "file URL on the command line"
run crawl --delay fast "$BASE/"
expect_status 2 "bad delay"
run crawl -c "$T/nonexistent.conf"
expect_status 4 "missing job file"
printf '[site x]\nseed = %s/\nbogus = 1\n' "$BASE" >"$T/bad.conf"
run crawl -c "$T/bad.conf"
expect_status 2 "bad job file"
expect_err "bad.conf:3: unknown site key 'bogus'" "job file error names the line"

stop_server
done_ok
