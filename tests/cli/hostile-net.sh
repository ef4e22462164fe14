#!/bin/sh
# hostile-net.sh: hostile servers and pages met by crawl, run and rescore
# under tests/limits-run (120 s, 1 GiB each): a gzip bomb served with
# Content-Encoding: gzip, a slow drip, an endless redirect chain, a 10 MB
# robots.txt, a 50 MB single-line page, deep nesting, entity expansion,
# binary and invalid UTF-8 pages, and WARC files cut or corrupted under a
# rescore. What a first run stored is checked, byte for byte through its
# report and by SQLite's integrity check, after each of them.
# (tests/cli/crawl.sh checks the crawler's conduct with these pages; this
# test checks the bounds and the store.)
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crawl-lib.sh"
. "$top_srcdir/tests/cli/hostile-lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }

# the hostile pages, served as /files/NAME
mkdir "$T/www"
python3 - "$T/www" <<'PY'
import sys
w = sys.argv[1]
with open(w + "/line.html", "wb") as f:
    f.write(b"<html><head><title>One line</title></head><body><p>")
    chunk = b"work abroad, visa paid, no experience needed. " * 1000
    for i in range(1100):
        f.write(chunk)
    f.write(b"</p></body></html>")
n = 100000
open(w + "/deep.html", "w").write("<html><body>" + "<div>" * n +
    "deep text: work in Dubai" + "</div>" * n + "</body></html>")
dtd = '<!ENTITY a "lollollollollollollollollollol">\n'
for i, c in enumerate("bcdefghij"):
    dtd += '<!ENTITY %s "%s">\n' % (c, ("&%s;" % "abcdefghij"[i]) * 10)
dtd += '<!ENTITY x SYSTEM "file:///etc/passwd">\n'
open(w + "/laughs.rss", "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + dtd + ']>\n'
    '<rss version="2.0"><channel><title>&j;</title>'
    '<item><title a="&j;">Waiter &x;&j;</title>'
    '<link>http://a.example/1</link>'
    '<description>work in Dubai &j;</description></item></channel></rss>\n')
open(w + "/badutf8.html", "wb").write(
    b"<html><head><meta charset=\"utf-8\"><title>\xc0\xbcb\xc0\xbe</title>"
    b"</head><body><p>\xed\xa0\x80 \xf8\x88\x80\x80\x80 \xe0\x80\xaf \xff"
    b" \xd0\xa0\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0</p></body></html>")
import os
open(w + "/random.html", "wb").write(os.urandom(65536))
PY
TESTSRV_FILES="$T/www"
export TESTSRV_FILES
start_server site

# report_of RUN FILE: the JSON Lines report of a run, all listings
report_of() {
	"$REDFLAG" report --db "$T/state/redflag.db" --run "$1" --all \
		--min-level none -f jsonl >"$2.tmp" 2>"$T/report.err" ||
		fail "report of run $1: $(cat "$T/report.err")"
	# all but the time the report was made
	sed 's/"generated":"[^"]*",//' "$2.tmp" >"$2"
}
# integrity: SQLite's own check of the store and the crawl state
integrity() {
	python3 - "$T/state/redflag.db" "$T/state/crawl.db" <<'PY' ||
import sqlite3, sys
for db in sys.argv[1:]:
    c = sqlite3.connect(db)
    r = c.execute("pragma integrity_check").fetchall()
    assert r == [("ok",)], (db, r)
PY
		fail "$1: the databases fail their integrity check"
	ntests=$((ntests + 1))
}
# unchanged WHAT: run 1's report is what it was
unchanged() {
	report_of 1 "$T/run1-now.jsonl"
	cmp -s "$T/run1.jsonl" "$T/run1-now.jsonl" ||
		fail "$1: run 1's stored listings changed: $(diff "$T/run1.jsonl" "$T/run1-now.jsonl" | head -c 800)"
	integrity "$1"
	ntests=$((ntests + 1))
}

job() {	# job FILE SEEDS...
	f=$1
	shift
	{
		printf '[job]\nname = t\nstore = state/redflag.db\n'
		printf 'db = state/crawl.db\nwarc_dir = state/warc\n'
		printf 'reports = state/reports\nallow_private = yes\n'
		printf '[site test]\nlisting = /listing/\\d+$\ndepth = 0\n'
		printf 'delay = 0\ntimeout = 1\nlow_speed_limit = 100\n'
		printf 'low_speed_time = 1\nretry_base = 0.05\n'
		for s in "$@"; do
			printf 'seed = %s%s\n' "$BASE" "$s"
		done
	} >"$f"
}

# ---- a first, ordinary run: what it stores must survive what follows
job "$T/good.conf" /listing/1 /listing/2 /listing/3 /listing/4
limited "a first run" run -c "$T/good.conf"
expect_status 0 "a first run"
report_of 1 "$T/run1.jsonl"
[ "$(grep -c '"url":"http://127.0.0.1:[0-9]*/listing/' "$T/run1.jsonl")" -eq 4 ] ||
	fail "the first run stored its 4 listings: $(head -c 600 "$T/run1.jsonl")"
ntests=$((ntests + 1))

# ---- a run over hostile pages: each bounded, the run finishes
job "$T/hostile.conf" /bomb /slow /chain/0 /huge /files/line.html \
	/files/deep.html /files/laughs.rss /files/badutf8.html \
	/files/random.html /listing/5
sed -i 's|^listing = .*|listing = /(listing/\\d+\|files/.*\|bomb\|huge\|slow)$|' \
	"$T/hostile.conf"
limited "a run over hostile pages" run -c "$T/hostile.conf"
expect_status 0 "a run over hostile pages"
q() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]): print("|".join(str(x) for x in row))' \
		"$T/state/redflag.db" "$1"
}
[ "$(q "select status from runs where id = 2")" = finished ] ||
	fail "the hostile run did not finish: $(q 'select * from runs')"
# the chain was cut, the drip timed out, the bomb and the big pages cut
expect_requests /chain/6 0 "redirect chain over the cap"
n=$(requests /slow)
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "slow drip requested $n times"
expect_requests /bomb 1 "gzip bomb once"
expect_requests /files/line.html 1 "50 MB page once"
ntests=$((ntests + 2))
report_of 2 "$T/run2.jsonl"
grep -q '/listing/5"' "$T/run2.jsonl" ||
	fail "the listing among the hostile pages was stored"
! grep -q 'lollollollollollollollollollollollollol\|root:' "$T/run2.jsonl" ||
	fail "an entity was expanded into the store"
ntests=$((ntests + 2))
unchanged "after a run over hostile pages"

# ---- the same run, its WARC files cut and scribbled over, rescored:
# the unreadable records are named, nothing stored is lost
for f in "$T"/state/warc/redflag-*.warc.gz; do
	size=$(wc -c <"$f")
	python3 - "$f" "$size" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    # garbage over the middle, then cut the last third off
    f.seek(size // 3)
    f.write(b"\x1f\x8b\x08\x00garbage" * 64)
    f.truncate(size * 2 // 3)
PY
done
limited "rescore over cut WARC files" rescore -c "$T/hostile.conf"
expect_status 4 "rescore over cut WARC files"
expect_err "its WARC record (.*) cannot be read" "the unreadable records named"
unchanged "after a rescore over cut WARC files"
report_of 2 "$T/run2-now.jsonl"
cmp -s "$T/run2.jsonl" "$T/run2-now.jsonl" ||
	fail "run 2's stored listings changed under the rescore"
# the WARC files gone altogether
rm -f "$T"/state/warc/*.warc.gz
limited "rescore without WARC files" rescore -c "$T/hostile.conf"
expect_status 4 "rescore without WARC files"
unchanged "after a rescore without WARC files"

# ---- a 10 MB robots.txt: read to its cap; the rule before it obeyed,
# the one past it not; the crawl bounded
cat >"$T/robots.conf" <<EOF2
[job]
db = robots.db
warc_dir = robots-warc
[site big]
seed = http://bigrobots.example/listing/1
seed = http://bigrobots.example/private/open.html
seed = http://bigrobots.example/late
depth = 0
delay = 0
proxy = http://127.0.0.1:$PORT
EOF2
: >"$SERVER_LOG"
limited "a 10 MB robots.txt" crawl -c "$T/robots.conf" --stats "$T/robots.json"
expect_status 0 "a 10 MB robots.txt"
expect_requests http://bigrobots.example/robots.txt 1 "the big robots.txt once"
expect_requests http://bigrobots.example/listing/1 1 "a page allowed"
expect_requests http://bigrobots.example/private/open.html 0 \
	"the rule at the top of a 10 MB robots.txt"
expect_requests http://bigrobots.example/late 1 \
	"the rule past the cap ignored"
[ "$(json_get "$T/robots.json" 'd["hosts"][0]["robots_blocked"]')" -eq 1 ] ||
	fail "big robots.txt: $(cat "$T/robots.json")"
ntests=$((ntests + 1))

# ---- a crawl of the traps alone, twice (the second resumes nothing and
# is as bounded as the first)
cat >"$T/traps.conf" <<EOF2
[job]
db = traps.db
warc_dir = traps-warc
allow_private = yes
[site traps]
seed = $BASE/bomb
seed = $BASE/slow
seed = $BASE/chain/0
seed = $BASE/loop-a
depth = 3
delay = 0
timeout = 1
low_speed_limit = 100
low_speed_time = 1
retry_base = 0.05
EOF2
limited "a crawl of traps" crawl -c "$T/traps.conf" --stats "$T/traps.json"
expect_status 0 "a crawl of traps"
python3 - "$T/traps.json" <<'PY' || fail "traps: $(cat "$T/traps.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stop"] == "frontier exhausted", d["stop"]
h = d["hosts"][0]
# the bomb cut at the inflate cap; the drip cut or failed on time
assert h["truncated"] >= 1 and h["truncated"] + h["errors"] >= 2, h
assert d["elapsed"] < 30, d["elapsed"]
PY
ntests=$((ntests + 1))
limited "a crawl of traps, again" crawl -c "$T/traps.conf"
expect_status 0 "a crawl of traps, again"

stop_server
done_ok
