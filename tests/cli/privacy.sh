#!/bin/sh
# privacy.sh: what redflag keeps to itself. Proxy credentials and cookies
# never reach the logs (even -v -v), the --stats summary, the WARC files
# (warcinfo or request records), the store or the reports; every file it
# makes is created with a restrictive mode whatever the umask; a file
# URL never reads outside its site's folder, however it is encoded; run
# says when it runs as root and refuses to if the job says so.
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

# ---- root: run says so (-v) and refuses when the job sets refuse_root
cp "$T/proxy.conf" "$T/root.conf"
sed -i 's/^\[job\]$/[job]\nrefuse_root = yes/' "$T/root.conf"
if [ "$(id -u)" -eq 0 ]; then
	run run -v -c "$T/proxy.conf"
	expect_status 0 "a run as root"
	expect_err "running as root" "a run as root says so"
	run run -c "$T/root.conf"
	expect_status 4 "refuse_root as root"
	expect_err "sets refuse_root: not running as root" "refuse_root"
else
	run run -v -c "$T/root.conf"
	expect_status 0 "refuse_root when not root"
	! grep -q "as root" "$T/err" || fail "a root warning when not root"
	echo "note: not root: the refusal itself is not tested"
fi

stop_server
done_ok
