#!/bin/sh
# privacy.sh: what redflag keeps to itself. Proxy credentials and cookies
# never reach the logs (even -v -v), the --stats summary, the WARC files
# (warcinfo or request records), the store or the reports; every file it
# makes is created with a restrictive mode whatever the umask; a file
# URL never reads outside its site's folder, however it is encoded; a
# password in a seed URL is sent but never shown; crawl, run and rescore
# warn when run as root and refuse to if the job says so.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
start_server site

# ---- proxy credentials and cookies
SECRET=tiger-secret-51
COOKIE=cookie-secret-73
B64=$(printf 'scott:%s' "$SECRET" | base64)
printf 'board.example\tFALSE\t/\tFALSE\t0\tsession\t%s\n' "$COOKIE" \
	>"$T/cookies.txt"
cat >"$T/proxy.conf" <<EOF2
[job]
name = p
store = state/redflag.db
db = state/crawl.db
warc_dir = state/warc
reports = state/reports
[site board]
seed = http://board.example/listing/3
seed = http://board.example/listing/4
listing = /listing/\\d+\$
depth = 0
delay = 0
proxy = http://scott:$SECRET@127.0.0.1:$PORT
cookie_file = cookies.txt
EOF2
# leaks FILES...: none of the secrets in these files (binary or gzip)
leaks() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		case "$f" in
		*.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac >"$T/plain"
		for s in "$SECRET" "$COOKIE" "$B64"; do
			! grep -aq -- "$s" "$T/plain" ||
				fail "'$s' leaked into $f"
		done
	done
	ntests=$((ntests + 1))
}
run run -v -c "$T/proxy.conf"
expect_status 0 "a run through a proxy with a password"
grep -q "cookie=session=$COOKIE" "$SERVER_LOG" ||
	fail "the cookie was not sent: $(cat "$SERVER_LOG")"
grep -q ' http://board.example/listing/3 ' "$SERVER_LOG" ||
	fail "the page was not fetched through the proxy"
ntests=$((ntests + 1))
leaks "$T/err" "$T/out" "$T"/state/warc/* "$T"/state/reports/* \
	"$T"/state/*.db*
gzip -dc "$T"/state/warc/redflag-*.warc.gz >"$T/warc.txt"
grep -q '^Cookie: redacted' "$T/warc.txt" ||
	fail "no redacted Cookie in the request records"
grep -q '^Proxy-Authorization: redacted' "$T/warc.txt" ||
	fail "no redacted Proxy-Authorization in the request records"
grep -q '^request-redaction: ' "$T/warc.txt" ||
	fail "the warcinfo record does not say what is redacted"
ntests=$((ntests + 1))
# crawl: every page and message at -v -v, and the summary
run crawl -v -v -c "$T/proxy.conf" --db "$T/c.db" --warc-dir "$T/cw" \
	--stats "$T/stats.json"
expect_status 0 "a crawl through a proxy with a password"
leaks "$T/err" "$T/out" "$T/stats.json" "$T"/cw/* "$T"/c.db*
# logs carry URLs, never page text (the listings say "Restaurant in
# Almaty"), even at -v -v
grep -q "listing/3" "$T/err" || fail "no URL in the -v -v log"
! grep -q "Restaurant in Almaty" "$T/err" || fail "page text in the log"
ntests=$((ntests + 1))
# a proxy that does not answer: the failure is logged without the password
sed "s|^proxy = .*|proxy = http://scott:$SECRET@127.0.0.1:9|" \
	"$T/proxy.conf" >"$T/dead.conf"
run crawl -v -v -c "$T/dead.conf" --db "$T/d.db" --warc-dir "$T/dw" \
	--stats "$T/dead.json"
expect_status 0 "a crawl through a dead proxy"
leaks "$T/err" "$T/dead.json"
# a proxy the job file gets wrong: the error does not echo it
sed "s|^proxy = .*|proxy = ftp://scott:$SECRET@127.0.0.1:$PORT|" \
	"$T/proxy.conf" >"$T/bad.conf"
run crawl --check -c "$T/bad.conf"
expect_status 2 "a bad proxy URL"
expect_err "bad.conf:13: bad proxy" "a bad proxy URL named by line"
leaks "$T/err"
# the report command, every format
for f in html csv jsonl md; do
	run report --db "$T/state/redflag.db" --all --min-level none -f $f
	expect_status 0 "report -f $f"
	leaks "$T/out" "$T/err"
done

# ---- SQL only through prepared statements: no SQL text is ever
# formatted from data, in any module (a check of the sources)
src="$top_srcdir"
! grep -rnE 'sqlite3_(v?mprintf|snprintf|str_appendf)' --include='*.c' \
	"$src/common" "$src/crawler" "$src/store" "$src/reports" \
	"$src/scanner" "$src/text" "$src/rules" ||
	fail "SQL formatted with sqlite3_mprintf and friends"
! grep -rnE '(printf|addf|addstr)\([^"]*"[^"]*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|PRAGMA|DROP|ALTER) ' \
	--include='*.c' "$src/common" "$src/crawler" "$src/store" \
	"$src/reports" "$src/scanner" "$src/text" "$src/rules" ||
	fail "SQL text built with printf or a buf"
ntests=$((ntests + 2))

# ---- modes: whatever the umask, nothing is group-writable or readable
# by others; the store and the crawl state are the owner's alone
mode_is() {	# mode_is FILE MODE...
	f=$1
	shift
	m=$(stat -c %a "$f")
	for want in "$@"; do
		[ "$m" = "$want" ] && { ntests=$((ntests + 1)); return 0; }
	done
	fail "$f has mode $m, expected $*"
}
sleep 1
(umask 000 && "$REDFLAG" run -c "$T/proxy.conf" >"$T/out" 2>"$T/err") ||
	fail "a run under umask 000: $(cat "$T/err")"
(umask 000 && "$REDFLAG" crawl -c "$T/proxy.conf" --db "$T/m.db" \
	--warc-dir "$T/mw" --stats "$T/m.json" >/dev/null 2>&1) ||
	fail "a crawl under umask 000"
(umask 000 && "$REDFLAG" report --db "$T/state/redflag.db" \
	-o "$T/r.html" >/dev/null 2>&1) || fail "a report under umask 000"
for f in "$T/state/redflag.db" "$T/state/crawl.db" "$T/m.db"; do
	mode_is "$f" 600
	for x in -wal -shm; do
		[ ! -f "$f$x" ] || mode_is "$f$x" 600
	done
done
[ ! -f "$T/state/redflag.db.lock" ] || mode_is "$T/state/redflag.db.lock" 600
for f in "$T"/state/warc/*.warc.gz "$T"/mw/*.warc.gz \
	"$T"/state/reports/* "$T/m.json" "$T/r.html"; do
	mode_is "$f" 640
done
for d in "$T/state" "$T/state/warc" "$T/state/reports" "$T/mw"; do
	mode_is "$d" 750
done

# ---- file names from URLs: a site of files never reads outside its
# folder, whatever the encoding of the dot segments (crawl-demo.sh has
# symbolic links and encoded slashes)
mkdir -p "$T/files/site/sub"
echo '<p>canary-outside</p>' >"$T/files/out.html"
cat >"$T/files/site/index.html" <<'EOF2'
<html><body>
<a href="%2e%2e/out.html">1</a>
<a href="sub/%2e%2e/%2e%2e/out.html">2</a>
<a href="sub/%2E%2E%2F%2E%2E%2Fout.html">3</a>
<a href="..%2fout.html">4</a>
<a href="sub/..%2f..%2fout.html">5</a>
<a href="%252e%252e/out.html">6</a>
<a href="sub/.%2e/.%2e/out.html">7</a>
<a href="file:///etc/passwd">8</a>
<a href="/etc/passwd">9</a>
<a href="sub/%00/../../out.html">10</a>
<a href="sub/page.html">in</a>
</body></html>
EOF2
echo '<p>inside</p>' >"$T/files/site/sub/page.html"
printf '[job]\ndb = f.db\nwarc_dir = w\n[site files]\nseed = site/index.html\n' \
	>"$T/files/job.conf"
run crawl -c "$T/files/job.conf" --stats "$T/files/stats.json"
expect_status 0 "a crawl of a site of files"
[ "$(json_get "$T/files/stats.json" 'd["pages"]')" -eq 2 ] ||
	fail "site of files: $(cat "$T/files/stats.json")"
for f in "$T"/files/w/*.warc.gz; do
	gzip -dc "$f" | grep -aq 'canary-outside\|root:x:0' &&
		fail "a file outside the site's folder was read"
done
ntests=$((ntests + 2))

# ---- a password in a seed URL: sent to the seed's origin (as an
# Authorization header), but never in a URL, a message, the summary, the
# store, the crawl state or the reports; the WARC request records show the
# header redacted, and their target URIs carry no credentials
PW=seed-pw-4711
PWB64=$(printf 'scott:%s' "$PW" | base64)
cat >"$T/seed.conf" <<EOF2
[job]
name = sc
store = sc/redflag.db
db = sc/crawl.db
warc_dir = sc/warc
reports = sc/reports
allow_private = yes
as_root = allow
[site board]
seed = http://scott:$PW@127.0.0.1:$PORT/listing/3
listing = /listing/\\d+\$
depth = 1
max_pages = 4
delay = 0
EOF2
: >"$SERVER_LOG"
# pwleaks FILES...: neither the password nor its Basic encoding in FILES
pwleaks() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		case "$f" in
		*.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac >"$T/plain"
		for s in "$PW" "$PWB64"; do
			! grep -aq -- "$s" "$T/plain" ||
				fail "the seed's password leaked into $f"
		done
	done
	ntests=$((ntests + 1))
}
run run -v -c "$T/seed.conf"
expect_status 0 "a run with a password in a seed"
grep -q " /listing/3 .* auth=Basic $PWB64\$" "$SERVER_LOG" ||
	fail "the seed's credentials were not sent: $(cat "$SERVER_LOG")"
grep -q " /robots.txt .* auth=Basic $PWB64\$" "$SERVER_LOG" ||
	fail "no credentials for the seed's robots.txt"
[ "$(grep -c ' auth=' "$SERVER_LOG")" -ge 3 ] ||
	fail "links of the seed's origin went without credentials"
ntests=$((ntests + 3))
pwleaks "$T/err" "$T/out" "$T"/sc/warc/* "$T"/sc/reports/* "$T"/sc/*.db*
gzip -dc "$T"/sc/warc/redflag-*.warc.gz >"$T/scwarc.txt"
grep -q "^WARC-Target-URI: http://127.0.0.1:$PORT/listing/3" "$T/scwarc.txt" ||
	fail "the target URI of the seed is not the URL without credentials"
grep -q '^Authorization: redacted' "$T/scwarc.txt" ||
	fail "no redacted Authorization in the request records"
[ "$(sql "$T/sc/redflag.db" "select count(*) from listings where url = 'http://127.0.0.1:$PORT/listing/3'")" = 1 ] ||
	fail "the listing is not stored under its URL without credentials"
ntests=$((ntests + 3))
# rescore reads the WARC files back and finds the listing
run rescore -c "$T/seed.conf"
expect_status 0 "rescore of a run with a password in a seed"
pwleaks "$T/err" "$T/out" "$T"/sc/*.db* "$T"/sc/reports/*
# crawl at -v -v with --stats; --check prints the seed redacted
run crawl -v -v -c "$T/seed.conf" --db "$T/sc2.db" --warc-dir "$T/sc2w" \
	--stats "$T/sc2.json"
expect_status 0 "a crawl with a password in a seed"
pwleaks "$T/err" "$T/out" "$T/sc2.json" "$T"/sc2w/* "$T"/sc2.db*
run crawl --check -c "$T/seed.conf"
expect_status 0 "crawl --check of a seed with a password"
expect_out "seed http://scott:\*\*\*@127.0.0.1:$PORT/listing/3" \
	"--check shows the seed with its password redacted"
pwleaks "$T/out" "$T/err"
# a seed on the command line
run crawl -v -v --allow-private --as-root allow --db "$T/sc3.db" \
	--warc-dir "$T/sc3w" --max-pages 2 --delay 0 --stats "$T/sc3.json" \
	"http://scott:$PW@127.0.0.1:$PORT/listing/4"
expect_status 0 "a crawl of a command-line seed with a password"
grep -q " /listing/4 .* auth=Basic $PWB64\$" "$SERVER_LOG" ||
	fail "a command-line seed's credentials were not sent"
pwleaks "$T/err" "$T/out" "$T/sc3.json" "$T"/sc3w/* "$T"/sc3.db*
# a seed too broken to use is named without its password
sed "s|^seed = .*|seed = http://scott:$PW@127.0.0.1:$PORT:99/x|" \
	"$T/seed.conf" >"$T/badseed.conf"
run crawl --check -c "$T/badseed.conf"
[ "$status" -ne 0 ] || fail "a seed with two ports was accepted"
pwleaks "$T/out" "$T/err"

# ---- root: crawl, run and rescore warn on stderr when run as root,
# unless the job says as_root = allow or --as-root allow is given;
# as_root = refuse (or the older refuse_root = yes) makes them refuse
sed '/^as_root = allow$/d' "$T/seed.conf" >"$T/root-warn.conf"
sed 's/^as_root = allow$/as_root = refuse/' "$T/seed.conf" >"$T/root-refuse.conf"
sed 's/^as_root = allow$/refuse_root = yes/' "$T/seed.conf" >"$T/root-old.conf"
grep -q '^as_root = refuse$' "$T/root-refuse.conf" || fail "root-refuse.conf"
ROOTWARN="warning: running as root"
if [ "$(id -u)" -eq 0 ]; then
	run run -c "$T/root-warn.conf"
	expect_status 0 "a run as root"
	expect_err "$ROOTWARN" "a run as root warns without -v"
	run rescore -c "$T/root-warn.conf"
	expect_status 0 "a rescore as root"
	expect_err "$ROOTWARN" "a rescore as root warns"
	run crawl -c "$T/root-warn.conf" --db "$T/r1.db" --warc-dir "$T/r1w"
	expect_status 0 "a crawl as root"
	expect_err "$ROOTWARN" "a crawl as root warns"
	run crawl --allow-private --db "$T/r2.db" --warc-dir "$T/r2w" \
		--max-pages 1 "$BASE/listing/3"
	expect_status 0 "a crawl without a job as root"
	expect_err "$ROOTWARN" "a crawl without a job as root warns"
	# as_root = allow (seed.conf) and --as-root allow: silent
	run run -c "$T/seed.conf"
	expect_status 0 "a run as root with as_root = allow"
	! grep -q "as root" "$T/err" || fail "as_root = allow still warns"
	run crawl --as-root allow --allow-private --db "$T/r2.db" \
		--warc-dir "$T/r2w" --max-pages 1 "$BASE/listing/3"
	expect_status 0 "crawl --as-root allow"
	[ ! -s "$T/err" ] || fail "--as-root allow is not silent: $(cat "$T/err")"
	run rescore --as-root allow -c "$T/root-warn.conf"
	expect_status 0 "rescore --as-root allow"
	! grep -q "as root" "$T/err" || fail "rescore --as-root allow warns"
	# other warnings stay: a site with TLS verification off
	printf 'tls_verify = no\n' >>"$T/seed.conf"
	run crawl -c "$T/seed.conf" --db "$T/r3.db" --warc-dir "$T/r3w"
	expect_err "NOT VERIFIED" "as_root = allow hides other warnings"
	! grep -q "as root" "$T/err" || fail "as_root = allow warns in crawl"
	# refusals
	for conf in root-refuse root-old; do
		for cmd in run rescore crawl; do
			run $cmd -c "$T/$conf.conf"
			expect_status 4 "$cmd with $conf as root"
			expect_err "not running as root: .*$conf.conf says as_root = refuse" \
				"$cmd with $conf says why"
		done
	done
	run crawl --as-root refuse --allow-private --db "$T/r4.db" \
		"$BASE/listing/3"
	expect_status 4 "crawl --as-root refuse as root"
	expect_err "not running as root: --as-root says" "--as-root refuse"
	[ ! -e "$T/r4.db" ] || fail "a refused crawl made its database"
	# the command line wins over the job
	run run --as-root allow -c "$T/root-refuse.conf"
	expect_status 0 "--as-root allow over as_root = refuse"
	! grep -q "as root" "$T/err" || fail "--as-root allow over the job"
else
	run run -c "$T/root-refuse.conf"
	expect_status 0 "as_root = refuse when not root"
	run crawl -c "$T/root-warn.conf" --db "$T/r1.db" --warc-dir "$T/r1w"
	! grep -q "as root" "$T/err" || fail "a root warning when not root"
	echo "note: not root: the warning and the refusal are not tested"
fi
run run --as-root sometimes -c "$T/seed.conf"
expect_status 2 "a bad --as-root"
sed 's/^as_root = allow$/as_root = maybe/' "$T/seed.conf" >"$T/root-bad.conf"
run crawl --check -c "$T/root-bad.conf"
expect_status 2 "a bad as_root"
expect_err "root-bad.conf:8: bad as_root 'maybe'" "a bad as_root named by line"

stop_server
done_ok
