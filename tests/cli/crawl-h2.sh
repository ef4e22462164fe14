#!/bin/sh
# crawl-h2.sh: a crawl over HTTP/2 (TLS, verified against a CA the job
# names) of a node server on 127.0.0.1: the exchanges are recorded in
# HTTP/1.1 form with WARC-Protocol: h2, and readable by warcio.js.
# Skipped without node or openssl.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

command -v node >/dev/null 2>&1 || { echo "SKIP: no node"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl"; exit 77; }

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" \
	-out "$T/cert.pem" >/dev/null 2>&1 ||
	{ echo "SKIP: openssl cannot make a certificate"; exit 77; }
node "$top_srcdir/tests/server/h2srv.cjs" "$T/key.pem" "$T/cert.pem" \
	"$T/h2.port" "$T/h2.log" 2>"$T/h2.err" &
SERVER_PID=$!
n=0
while [ ! -s "$T/h2.port" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "h2 server did not start: $(cat "$T/h2.err")"
	sleep 0.1
done
PORT=$(cat "$T/h2.port")
SERVER_LOG="$T/h2.log"

cat >"$T/job.conf" <<EOF2
[job]
db = state.db
warc_dir = warc
allow_private = yes
[site h2]
seed = https://127.0.0.1:$PORT/
delay = 0
ca_file = cert.pem
EOF2
run crawl -c "$T/job.conf" --stats "$T/stats.json"
expect_status 0 "crawl over HTTP/2"
# every request arrived over HTTP/2; robots.txt obeyed
[ "$(grep -vc '^2.0 ' "$SERVER_LOG")" -eq 0 ] ||
	fail "a request not over HTTP/2: $(cat "$SERVER_LOG")"
grep -q '^2.0 GET /a$' "$SERVER_LOG" || fail "/a not fetched"
grep -q ' /no$' "$SERVER_LOG" && fail "/no fetched against robots.txt"
ntests=$((ntests + 3))
# the records: HTTP/1.1 form, marked h2
gzip -dc "$T"/warc/*.warc.gz >"$T/warc.txt"
grep -q '^WARC-Protocol: h2' "$T/warc.txt" || fail "no WARC-Protocol: h2"
grep -q '^HTTP/1.1 200 OK' "$T/warc.txt" || fail "no HTTP/1.1 status line"
grep -q '^GET /a HTTP/1.1' "$T/warc.txt" || fail "no HTTP/1.1 request line"
grep -Eq '^HTTP/2|^[A-Z]+ [^ ]+ HTTP/2' "$T/warc.txt" &&
	fail "an HTTP/2 start line left in the records"
grep -q '^http-version-note: HTTP/2' "$T/warc.txt" ||
	fail "warcinfo does not say how HTTP/2 is recorded"
ntests=$((ntests + 5))
if warc_check "$T/warc"; then
	grep -q "^response https://127.0.0.1:$PORT/a - 200" "$T/records" ||
		fail "warcio does not see the h2 response"
fi

# without the CA the certificate is refused: nothing fetched
sed -i '/^ca_file/d; s/^db = state.db/db = noca.db/' "$T/job.conf"
: >"$SERVER_LOG"
run crawl -c "$T/job.conf" --stats "$T/noca.json"
expect_status 0 "crawl with an untrusted certificate"
[ "$(json_get "$T/noca.json" 'd["pages"]')" -eq 0 ] ||
	fail "a page fetched over an unverified connection"
ntests=$((ntests + 1))

# verification turned off explicitly: fetched, and said on stderr at
# every run, in the warcinfo record and in the summary
printf 'tls_verify = no\n' >>"$T/job.conf"
sed -i 's/^db = noca.db/db = insecure.db/; s/^warc_dir = warc/warc_dir = insecure-warc/' \
	"$T/job.conf"
run crawl -c "$T/job.conf" --stats "$T/insecure.json"
expect_status 0 "crawl with tls_verify = no"
expect_err "site 'h2': TLS certificates are NOT VERIFIED" "tls_verify = no logged"
python3 - "$T/insecure.json" <<'PY' || fail "tls_verify = no: $(cat "$T/insecure.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pages"] >= 1, d
assert d["hosts"][0]["tls_verify"] is False, d
PY
gzip -dc "$T"/insecure-warc/*.warc.gz | grep -q '^tls-not-verified: site h2' ||
	fail "tls_verify = no not in the warcinfo record"
run crawl -c "$T/job.conf"
expect_err "NOT VERIFIED" "tls_verify = no logged on the next run too"
run crawl --check -c "$T/job.conf"
expect_out "TLS NOT VERIFIED" "crawl --check shows tls_verify = no"
# and the flag, for a crawl without a job file
run crawl --allow-private --no-tls-verify --db "$T/flag.db" \
	--warc-dir "$T/flag-warc" --delay 0 --depth 0 --stats "$T/flag.json" \
	"https://127.0.0.1:$PORT/a"
expect_status 0 "crawl --no-tls-verify"
expect_err "TLS certificates are NOT VERIFIED" "--no-tls-verify logged"
[ "$(json_get "$T/flag.json" 'd["hosts"][0]["tls_verify"]')" = False ] ||
	fail "--no-tls-verify: $(cat "$T/flag.json")"
ntests=$((ntests + 3))

stop_server
done_ok
