#!/bin/sh
# crawl-socks.sh: a crawl through a SOCKS5 proxy (socks5h://, microsocks
# on 127.0.0.1) to the loopback test site. The SSRF guard spares the
# proxy: neither the proxy's loopback address nor the site behind it is
# refused, without allow_private; and the pages do come through the proxy,
# since with it gone nothing reaches the site. Skipped without microsocks
# (scripts/install-deps installs it).
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

command -v microsocks >/dev/null 2>&1 ||
	{ echo "SKIP: no microsocks (scripts/install-deps)"; exit 77; }

start_server site

# microsocks has no "any free port": try a few, keep the one it binds
SOCKS_PID=""
trap 'stop_server; [ -z "$SOCKS_PID" ] || kill "$SOCKS_PID" 2>/dev/null; rm -rf "$T"' EXIT
tries=0
while [ -z "$SOCKS_PID" ]; do
	tries=$((tries + 1))
	[ $tries -le 20 ] || fail "microsocks found no free port"
	SPORT=$(awk -v s="$$" -v t="$tries" 'BEGIN { srand(s + t * 7919);
		print 20000 + int(rand() * 40000) }')
	microsocks -i 127.0.0.1 -p "$SPORT" >"$T/socks.log" 2>&1 &
	pid=$!
	sleep 0.3
	if kill -0 "$pid" 2>/dev/null; then
		SOCKS_PID=$pid
	fi
done

job() {	# job FILE NAME
	cat >"$1" <<EOF2
[job]
db = $2.db
warc_dir = $2-warc
[site socks]
seed = $BASE/listing/3
depth = 0
delay = 0
timeout = 2
retry_base = 0.01
proxy = socks5h://127.0.0.1:$SPORT
EOF2
}

# through the proxy: robots.txt and the page, no --allow-private needed
job "$T/socks.conf" socks
: >"$SERVER_LOG"
run crawl -c "$T/socks.conf" --stats "$T/socks.json"
expect_status 0 "crawl through a SOCKS5 proxy"
expect_requests /robots.txt 1 "robots.txt through the SOCKS proxy"
expect_requests /listing/3 1 "page through the SOCKS proxy"
python3 - "$T/socks.json" <<'PY' || fail "SOCKS crawl: $(cat "$T/socks.json")"
import json, sys
h = json.load(open(sys.argv[1]))["hosts"][0]
assert h["fetched"] == 1 and h["private_refused"] == 0, h
assert h["errors"] == 0 and h["robots"] == "ok (200)", h
PY
ntests=$((ntests + 1))
# the WARC records the exchange with the site (not the proxy's address)
gzip -dc "$T"/socks-warc/*.warc.gz | grep -q "^WARC-Target-URI: $BASE/listing/3" ||
	fail "no record of the page in the WARC"
ntests=$((ntests + 1))

# without the proxy running, nothing reaches the site: the pages above
# did go through it
kill "$SOCKS_PID"
wait "$SOCKS_PID" 2>/dev/null
SOCKS_PID=""
job "$T/gone.conf" gone
: >"$SERVER_LOG"
run crawl -c "$T/gone.conf" --stats "$T/gone.json"
expect_status 0 "crawl through a proxy that is gone"
[ "$(wc -l <"$SERVER_LOG")" -eq 0 ] ||
	fail "requests reached the site without the proxy: $(cat "$SERVER_LOG")"
[ "$(json_get "$T/gone.json" 'd["pages"]')" -eq 0 ] ||
	fail "pages without the proxy: $(cat "$T/gone.json")"
ntests=$((ntests + 2))

stop_server
done_ok
