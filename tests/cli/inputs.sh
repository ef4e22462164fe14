# inputs.sh: feeds and WARC files as inputs of scan and extract.
. "$top_srcdir/tests/cli/lib.sh"

F="$DATA/feeds"

# RSS: one document per item, the item's link as url, CDATA and escaped
# HTML both read as HTML
run scan "$F/jobs-utf8.rss"
expect_status 1 "a feed with a suspicious item"
expect_lines 2 "one line per item"
json_ok "feed results"
expect_out '"url":"https://jobs.example/vacancy/101"' "item link as url"
expect_out '"title":"Официантки в Дубай","score":10,"level":"high"' "first item scored"
expect_out '"title":"Бухгалтер","score":0,"level":"none"' "second item scored"

# the same feed in windows-1251, declared in the XML declaration
"$REDFLAG" scan "$F/jobs-utf8.rss" | sed 's/"source":"[^"]*"//; s/"sha256":"[^"]*"//' >"$T/a"
"$REDFLAG" scan "$F/jobs-cp1251.rss" | sed 's/"source":"[^"]*"//; s/"sha256":"[^"]*"//' >"$T/b"
cmp -s "$T/a" "$T/b" || fail "a windows-1251 feed reads like its UTF-8 twin"

run scan "$F/jobs.atom"
expect_out '"url":"https://jobs.example/en/201"' "Atom link href"
expect_out '"level":"medium"' "Atom entry scored"

# WARC: a sample written by our writer (tests/unit/warc-sample)
"$top_builddir/tests/unit/warc-sample" "$T" >/dev/null ||
	fail "warc-sample could not write its file"
W=$(ls "$T"/*.warc.gz)
run scan "$W"
expect_status 0 "a WARC file"
json_ok "WARC results"
expect_out '"url":"https://jobs.example/vacancy/1"' "target URI as url"
expect_out "\"source\":\"$W#[0-9]*\"" "source names file and offset"
expect_out '"url":"https://jobs.example/gz?q=%D1%80%D0%B0%D0%B1","status":"ok"' "gzip payload inflated"
n=$(grep -c '"title":"Официант в Дубай"' "$T/out")
[ "$n" -ge 2 ] || fail "the gzip and the plain captures give the same title"

# the same WARC uncompressed
gzip -dc "$W" >"$T/plain.warc"
run scan "$T/plain.warc"
expect_status 0 "an uncompressed WARC"
expect_out '"url":"https://jobs.example/vacancy/1"' "uncompressed WARC read"

# a truncated WARC: the records before the cut are scanned, the cut one
# is an error naming the file and offset, exit 4
size=$(wc -c <"$T/plain.warc")
head -c $((size - 200)) "$T/plain.warc" >"$T/cut.warc"
run scan "$T/cut.warc"
expect_status 4 "a truncated WARC"
expect_out '"url":"https://jobs.example/vacancy/1","status":"ok"' "records before the cut"
expect_err "cut.warc#[0-9]*'" "the bad record is named by offset"

# a gzip Content-Encoding whose payload is neither gzip, zlib nor raw
# deflate: that record is an error, the scan goes on and ends (it used to
# retry raw deflate forever)
body='HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n\377\377\377'
{
	printf 'WARC/1.1\r\nWARC-Type: response\r\n'
	printf 'WARC-Target-URI: https://jobs.example/bad-gzip\r\n'
	printf 'Content-Type: application/http\r\nContent-Length: %d\r\n\r\n' \
		"$(printf "$body" | wc -c)"
	printf "$body"
	printf '\r\n\r\n'
} >"$T/bad-gzip.warc"
cat "$T/plain.warc" >>"$T/bad-gzip.warc"
if command -v timeout >/dev/null; then
	timeout 60 "$REDFLAG" scan "$T/bad-gzip.warc" >"$T/out" 2>"$T/err"
	status=$?
	ntests=$((ntests + 1))
else
	run scan "$T/bad-gzip.warc"
fi
expect_status 4 "a corrupt gzip payload"
expect_err "compressed payload is corrupt" "the corrupt payload is named"
expect_out '"url":"https://jobs.example/vacancy/1","status":"ok"' "records after it"

done_ok
