#!/bin/sh
# crawl-demo.sh: the demo site crawled from the file system with a job file
# (file:// seeds), its robots.txt applied as if the site folder were the
# root: the 84 pages its README promises, the 3 disallowed ones never read.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"

cp "$top_srcdir/examples/demo-crawl.conf" "$T/demo.conf"
cp "$top_srcdir/examples/demo.profile" "$T/"
sed -i "s|^seed = .*|seed = $top_srcdir/examples/demo-site/index.html|" \
	"$T/demo.conf"
run crawl -v -c "$T/demo.conf" --stats "$T/stats.json"
expect_status 0 "demo crawl"
expect_err "frontier exhausted" "summary with -v"

python3 - "$T/stats.json" <<'PY' || fail "demo crawl stats: $(cat "$T/stats.json")"
import json, sys
d = json.load(open(sys.argv[1]))
h = d["hosts"][0]
assert d["pages"] == 84, d["pages"]
assert h["robots_blocked"] >= 2, h
assert d["errors"] == 0, d
PY
ntests=$((ntests + 1))
if command -v sqlite3 >/dev/null 2>&1; then
	n=$(sqlite3 "$T/demo-crawl.db" "SELECT COUNT(*) FROM urls WHERE kind = 1
		AND status = 200")
	[ "$n" -eq 60 ] || fail "$n listings fetched, expected 60"
	n=$(sqlite3 "$T/demo-crawl.db" "SELECT COUNT(*) FROM urls WHERE
		(url LIKE '%/admin/%' OR url LIKE '%/search.html')
		AND status != 0")
	[ "$n" -eq 0 ] || fail "a page robots.txt disallows was read"
	ntests=$((ntests + 2))
fi
# the canaries of the disallowed pages are nowhere in the evidence
for f in "$T"/warc/*.warc.gz; do
	if gzip -dc "$f" | grep -q 'redflag-demo-canary'; then
		fail "a disallowed page is in $f"
	fi
done
ntests=$((ntests + 1))
# the disk or the database failing is exit 4, with a message
run crawl -c "$T/demo.conf" --db "$T/d2.db" --warc-dir /proc/redflag-no-such-dir
expect_status 4 "WARC folder that cannot be made"
expect_err "cannot create WARC folder" "WARC folder that cannot be made"
run crawl -c "$T/demo.conf" --db /proc/redflag-no.db
expect_status 4 "database that cannot be made"
expect_err "cannot open database" "database that cannot be made"

# the examples of redflag-job(5) are valid job files
awk -v dir="$T" '
	/^\.Bd -literal/ { n++; f = dir "/example-" n ".conf"; inblock = 1; next }
	/^\.Ed/ { inblock = 0; next }
	inblock { gsub(/\\e/, "\\"); print > f }
' "$top_srcdir/doc/redflag-job.5"
[ -f "$T/example-2.conf" ] || fail "no examples found in redflag-job(5)"
for f in "$T"/example-*.conf; do
	run crawl --check -c "$f"
	expect_status 0 "redflag-job(5) example $(basename "$f")"
	expect_out "^site " "redflag-job(5) example $(basename "$f")"
done
run crawl --check -c "$T/demo.conf"
expect_status 0 "crawl --check of the demo job"
expect_out "site demo: 1 seeds, depth 5" "crawl --check of the demo job"
# a job file named by a relative path: its relative seeds still resolve
(cd "$top_srcdir" && "$REDFLAG" crawl --check -c examples/demo-crawl.conf) \
	>"$T/out" 2>"$T/err" || fail "crawl --check with a relative job path"
expect_out "seed file://$(cd "$top_srcdir" && pwd -P)/examples/demo-site/index.html" \
	"relative job path"

# a site of files never reads outside its root: not through a symbolic
# link, an encoded slash or a dot segment
mkdir -p "$T/files/site/sub" "$T/files/w"
echo '<p>canary-outside</p>' >"$T/files/out.html"
ln -s ../out.html "$T/files/site/secret.html"
cat >"$T/files/site/index.html" <<'EOF2'
<html><body>
<a href="secret.html">a link out</a>
<a href="sub/a%2F..%2F..%2F..%2Fout.html">an encoded slash</a>
<a href="../out.html">a dot segment</a>
<a href="sub/page.html">a page</a>
</body></html>
EOF2
echo '<p>inside</p>' >"$T/files/site/sub/page.html"
printf '[job]\ndb = f.db\nwarc_dir = w\n[site files]\nseed = site/index.html\n' \
	>"$T/files/job.conf"
run crawl -c "$T/files/job.conf" --stats "$T/files/stats.json"
expect_status 0 "crawl of a site of files"
[ "$(json_get "$T/files/stats.json" 'd["pages"]')" -eq 2 ] ||
	fail "site of files: $(cat "$T/files/stats.json")"
for f in "$T"/files/w/*.warc.gz; do
	gzip -dc "$f" | grep -q canary-outside && fail "a file outside the root was read"
done
ntests=$((ntests + 2))

# on a terminal: the progress line and the summary, without -v
if command -v script >/dev/null 2>&1; then
	rm -rf "$T/demo-crawl.db"* "$T/warc"
	script -qec "'$REDFLAG' crawl -c '$T/demo.conf'" /dev/null \
		>"$T/tty.out" 2>&1 </dev/null || fail "crawl on a terminal failed"
	grep -q 'pages/s, [0-9]* queued, [0-9]* active hosts' "$T/tty.out" ||
		fail "no progress line on a terminal: $(head -c 400 "$T/tty.out")"
	grep -q 'frontier exhausted' "$T/tty.out" ||
		fail "no summary on a terminal"
	ntests=$((ntests + 1))
fi
# under cron (no terminal, no -v): silent (--as-root allow: CI runs the
# tests as root, and privacy.sh tests the warning)
rm -rf "$T/demo-crawl.db"* "$T/warc"
run crawl --as-root allow -c "$T/demo.conf"
expect_status 0 "demo crawl without a terminal"
[ ! -s "$T/err" ] || fail "crawl not silent without a terminal: $(head -c 300 "$T/err")"
done_ok
