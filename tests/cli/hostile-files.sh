#!/bin/sh
# hostile-files.sh: hostile files given to scan, extract and rules, each
# made at test time and run under tests/limits-run (120 s, 1 GiB): binary
# files, invalid and overlong UTF-8, a 50 MB single-line page, 100,000
# nested elements, entity expansion, WARC files with truncated and lying
# Content-Length and a gzip bomb inside, a catastrophic regex, a job file
# of nonsense. Each ends with a clear error naming the input or a bounded
# result.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/hostile-lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }

# ---- binary files: refused by name; the other inputs still scanned
head -c 65536 /dev/urandom >"$T/random.bin"
printf '\177ELF\002\001\001\000\000\000\000\000' >"$T/elf.html"
head -c 4096 /dev/zero >>"$T/elf.html"
limited "binary files" scan "$T/random.bin" "$T/elf.html" \
	"$DATA/pages/accountant.html"
expect_status 4 "binary files"
expect_err "'$T/random.bin': binary file" "random bytes named"
expect_err "'$T/elf.html': binary file" "an ELF file named .html"
expect_out '"source":"'"$DATA"'/pages/accountant.html"' "the good input scanned"
json_ok "binary files"

# ---- invalid and overlong UTF-8: output stays valid UTF-8 and JSON; an
# overlong '<' or '/' is never read as markup
python3 - "$T/badutf8.html" <<'PY'
import sys
bad = [b"\xc0\xbc", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf",
       b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
       b"\xf8\x88\x80\x80\x80", b"\xfc\x84\x80\x80\x80\x80", b"\x80",
       b"\xbf", b"\xfe", b"\xff", b"\xc2", b"\xe2\x82", b"\xf0\x9f\x98"]
body = b"".join(b"word" + b + b" " for b in bad * 50)
page = (b"<html><head><meta charset=\"utf-8\"><title>Bad \xc0\xbcscript"
        b"\xc0\xbe</title></head><body><p>\xd0\xa0\xd0\xb0\xd0\xb1"
        b"\xd0\xbe\xd1\x82\xd0\xb0 " + body + b"</p>\xc0\xbcscript\xc0\xbe"
        b"alert(1)\xc0\xbc/script\xc0\xbe</body></html>")
open(sys.argv[1], "wb").write(page)
open(sys.argv[1][:-5] + ".txt", "wb").write(body)
PY
limited "invalid UTF-8" scan "$T/badutf8.html" "$T/badutf8.txt"
expect_status_in "invalid UTF-8" 0 1
expect_lines 2 "invalid UTF-8: one record per input"
json_ok "invalid UTF-8"
limited "invalid UTF-8, extract" extract "$T/badutf8.html"
expect_status 0 "invalid UTF-8, extract"
json_ok "invalid UTF-8, extract"
python3 - "$T/out" <<'PY' || fail "invalid UTF-8: $(head -c 600 "$T/out")"
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert d["status"] == "ok", d["status"]
# the text is what a browser shows: invalid bytes replaced, no markup
assert "<script" not in d["text"] and "</p>" not in d["text"], d["text"][:200]
assert "Работа" in d["text"] or d["charset"]["name"] != "UTF-8", d["charset"]
PY

# ---- a 50 MB page on one line: read to the field cap, marked truncated
python3 - "$T/line.html" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"<html><head><title>One line</title></head><body><p>")
    chunk = b"work abroad, visa paid, no experience needed. " * 1000
    n = 0
    while n < 50 * 1000 * 1000:
        f.write(chunk)
        n += len(chunk)
    f.write(b"</p></body></html>")
PY
limited "50 MB single line, extract" extract "$T/line.html"
expect_status 0 "50 MB single line, extract"
python3 - "$T/out" <<'PY' || fail "50 MB single line: text not capped"
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert d["status"] == "truncated", d["status"]
assert 0 < len(d["text"].encode()) <= 8 << 20, len(d["text"])
PY
# the same line as plain text
python3 -c 'import sys; sys.stdout.write("visa paid " * 5000000)' >"$T/line.txt"
limited "50 MB of plain text on one line" scan "$T/line.txt"
expect_status_in "50 MB of plain text on one line" 0 1
expect_out '"status":"truncated"' "50 MB of plain text marked truncated"
rm -f "$T/line.html" "$T/line.txt"

# ---- 100,000 nested elements: no stack overflow; the text below the
# depth cap marks the page truncated, never silently dropped
python3 - "$T/deep.html" "$T/deep-mixed.html" <<'PY'
import sys
n = 100000
open(sys.argv[1], "w").write("<html><body>" + "<div>" * n +
    "deep text: work in Dubai" + "</div>" * n + "</body></html>")
open(sys.argv[2], "w").write("<html><body>" +
    "".join("<%s>" % t for t in ["div", "span", "b", "i", "table", "ul",
                                  "li", "p", "em", "a"] * (n // 10)) +
    "deep text" + "</body></html>")
PY
limited "100,000 nested elements" scan "$T/deep.html" "$T/deep-mixed.html"
expect_status_in "100,000 nested elements" 0 1
expect_lines 2 "100,000 nested elements: both scanned"
expect_no_out '"status":"error"' "100,000 nested elements"
expect_out '"status":"truncated"' "100,000 nested elements marked truncated"
json_ok "100,000 nested elements"

# ---- entity expansion ("billion laughs") and external entities, in a
# feed (XML), an XHTML page and a sitemap-like XML file
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
dtd = '<!ENTITY a "lollollollollollollollollollol">\n'
for i, c in enumerate("bcdefghij"):
    prev = "abcdefghij"[i]
    dtd += '<!ENTITY %s "%s">\n' % (c, ("&%s;" % prev) * 10)
dtd += '<!ENTITY x SYSTEM "file:///etc/passwd">\n'
dtd += '<!ENTITY y SYSTEM "http://127.0.0.1:9/evil">\n'
open(t + "/laughs.rss", "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + dtd + ']>\n'
    '<rss version="2.0"><channel><title>&j;</title>'
    '<item><title>Waiter &x;&j;</title><link>http://a.example/1&j;</link>'
    '<description>work in Dubai &j;&y;</description></item>'
    '<item><title>&j;</title><description>&j;&j;&j;&j;</description></item>'
    '</channel></rss>\n')
open(t + "/laughs.atom", "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n' + dtd + ']>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
    '<entry><title a="&j;">Cook &j;</title><link href="http://a.example/&j;"/>'
    '<content>&j;&x;</content></entry></feed>\n')
open(t + "/laughs.xhtml", "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE html [\n' + dtd + ']>\n'
    '<html><head><title>&j;</title></head><body><p>&j;&x;</p></body></html>\n')
PY
limited "entity expansion" scan "$T/laughs.rss" "$T/laughs.atom" \
	"$T/laughs.xhtml"
expect_status_in "entity expansion" 0 1
json_ok "entity expansion"
! grep -q 'lollollollollollollollollollollollollol' "$T/out" ||
	fail "entity expansion: an entity was expanded"
! grep -q 'root:' "$T/out" || fail "entity expansion: /etc/passwd was read"
ntests=$((ntests + 2))
limited "entity expansion, extract" extract "$T/laughs.rss" "$T/laughs.atom"
expect_status_in "entity expansion, extract" 0 4
expect_out '"text":"work in Dubai"' "entity expansion: the item's own text kept"
! grep -q 'lollollollollollollollollollollollollol' "$T/out" ||
	fail "entity expansion: an entity was expanded by extract"

# ---- WARC files: truncated, lying Content-Length, absurd values, a gzip
# bomb inside: each bad record reported by file and offset, the good ones
# before it scanned
python3 - "$T" <<'PY'
import gzip, sys, zlib
t = sys.argv[1]
page = (b"<html><head><title>Waitress wanted</title></head><body><p>Work "
        b"in Dubai, visa paid.</p></body></html>")
def http(body, extra=b""):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + extra + b"Content-Length: " + str(len(body)).encode() +
            b"\r\n\r\n" + body)
def record(n, block, length=None):
    if length is None:
        length = str(len(block)).encode()
    return (b"WARC/1.1\r\nWARC-Type: response\r\n"
            b"WARC-Target-URI: http://a.example/%d\r\n"
            b"WARC-Date: 2024-09-02T10:00:00Z\r\n"
            b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"
            b"Content-Type: application/http;msgtype=response\r\n"
            b"Content-Length: " % (n, n) + length + b"\r\n\r\n" + block +
            b"\r\n\r\n")
good = http(page)
# the good record first, then one whose Content-Length runs past the end
open(t + "/truncated.warc", "wb").write(
    record(1, good) + record(2, good, b"1000000")[:-200])
# Content-Length shorter than the block: the rest is read as a record
open(t + "/short.warc", "wb").write(
    record(1, good) + record(2, good, str(len(good) - 40).encode()) +
    record(3, good))
# Content-Length longer than the block, with a record after it
open(t + "/long.warc", "wb").write(
    record(1, good) + record(2, good, str(len(good) + 300).encode()) +
    record(3, good) + record(4, good))
# absurd values
with open(t + "/absurd.warc", "wb") as f:
    f.write(record(1, good))
    for v in [b"-5", b"abc", b"99999999999999999999999999", b"0x10",
              b"18446744073709551615", b" 12", b""]:
        f.write(record(2, good, v))
    f.write(record(3, good))
# the same records gzipped, one member each, the last member cut
with open(t + "/truncated.warc.gz", "wb") as f:
    f.write(gzip.compress(record(1, good)))
    f.write(gzip.compress(record(2, good))[:-30])
# gzip bombs: a record of 80 MiB of zeros, and a page compressed with
# Content-Encoding: gzip that inflates to 128 MiB (the cap is 64 MiB)
z = zlib.compressobj(1, zlib.DEFLATED, 31)
with open(t + "/bomb.warc.gz", "wb") as f:
    f.write(gzip.compress(record(1, good)))
    head = (b"WARC/1.1\r\nWARC-Type: resource\r\n"
            b"WARC-Target-URI: http://a.example/zeros\r\n"
            b"WARC-Date: 2024-09-02T10:00:00Z\r\n"
            b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000009>\r\n"
            b"Content-Type: text/html\r\n"
            b"Content-Length: %d\r\n\r\n" % (80 << 20))
    f.write(z.compress(head))
    zero = bytes(1 << 20)
    for i in range(80):
        f.write(z.compress(zero))
    f.write(z.compress(b"\r\n\r\n"))
    f.write(z.flush())
    zb = zlib.compressobj(9, zlib.DEFLATED, 31)
    inner = b"".join(zb.compress(zero) for i in range(128)) + zb.flush()
    f.write(gzip.compress(record(5, http(inner, b"Content-Encoding: gzip\r\n"))))
    # a payload said to be gzip that is neither gzip nor deflate
    f.write(gzip.compress(record(7, http(b"<html>" + inner[:4096],
                                         b"Content-Encoding: gzip\r\n"))))
    f.write(gzip.compress(record(6, good)))
PY
for w in truncated short long absurd; do
	limited "WARC: $w" scan "$T/$w.warc"
	expect_status 4 "WARC: $w"
	expect_out '"source":"'"$T/$w"'.warc#0"' "WARC $w: the good first record scanned"
	expect_err "'$T/$w.warc#[0-9]*'" "WARC $w: the bad record named by offset"
	json_ok "WARC: $w"
done
limited "WARC: gzip, truncated" scan "$T/truncated.warc.gz"
expect_status 4 "WARC: gzip, truncated"
expect_out '"source":"'"$T"'/truncated.warc.gz#0"' "WARC gz: the good record scanned"
limited "WARC: gzip bombs" scan "$T/bomb.warc.gz"
expect_status 4 "WARC: gzip bombs"
expect_err "larger than the input cap" "WARC: the bombs named"
expect_err "compressed payload is corrupt" "WARC: the corrupt payload named"
expect_out '"url":"http://a.example/6"' "WARC: the record after the bombs scanned"
json_ok "WARC: gzip bombs"
limited "WARC: extract, gzip bombs" extract "$T/bomb.warc.gz"
expect_status 4 "WARC: extract, gzip bombs"

# ---- a catastrophic regex: bounded by the match limit and reported as
# a rule error naming the rule, never as "no match"
cat >"$T/slow.rules" <<'R'
rule test.catastrophic {
	meta:
		indicator = J12
		strength = strong
	patterns:
		$a = /(a+)+$/
		$b = /(x|x|xx)*y/
	condition:
		$a or $b
}
R
python3 -c 'import sys; sys.stdout.write("<p>" + "a" * 5000 + "b " + "x" * 5000 + "</p>\n")' \
	>"$T/aaa.html"
limited "catastrophic regex, rules check" rules check "$T/slow.rules"
expect_status_in "catastrophic regex, rules check" 0 3
limited "catastrophic regex" scan -r "$T/slow.rules" "$T/aaa.html"
expect_status_in "catastrophic regex" 0 1
expect_err "rule 'test.catastrophic' hit its match limit" \
	"catastrophic regex: the rule named"
json_ok "catastrophic regex"
# a rule file that is not text at all, and one 17 MiB long
head -c 4096 /dev/urandom >"$T/random.rules"
limited "binary rule file" rules check "$T/random.rules"
expect_status 3 "binary rule file"
expect_err "random.rules" "binary rule file named"
dd if=/dev/zero of="$T/huge.rules" bs=1M count=0 seek=17 2>/dev/null
limited "oversized rule file" rules check "$T/huge.rules"
expect_status_in "oversized rule file" 3 4
expect_err "huge.rules" "oversized rule file named"

# ---- job files of nonsense: usage errors naming the file and line
nonsense() {	# nonsense NAME 'key = value' EXPECTED
	printf '[job]\ndb = x.db\n[site s]\nseed = http://a.example/\n%s\n' \
		"$2" >"$T/$1.conf"
	limited "job file: $2" crawl --check -c "$T/$1.conf"
	expect_status 2 "job file: $2"
	expect_err "$1.conf:5: $3" "job file: $2"
}
nonsense delay 'delay = -1' "bad delay"
nonsense delay2 'delay = 1e400' "bad delay"
nonsense delay3 'delay = nan' "bad delay"
nonsense depth 'depth = 99999999999999999999' "bad depth"
nonsense pages 'max_pages = -3' "bad max_pages"
nonsense body 'max_body = 1T' "bad max_body"
nonsense body2 'max_body = 9G' "bad max_body"
nonsense body3 'max_body = 0' "bad max_body"
nonsense timeout 'timeout = 0' "bad timeout"
nonsense timeout2 'timeout = 99999d' "bad timeout"
nonsense speed 'low_speed_time = 0' "bad low_speed_time"
nonsense recrawl 'recrawl = soon' "bad recrawl"
nonsense robots 'ignore_robots = maybe' "bad ignore_robots"
nonsense proxy 'proxy = ftp://proxy.example/' "bad proxy"
nonsense pattern 'listing = (unclosed' "bad pattern"
nonsense seed 'seed = http://' "bad seed"
nonsense seed2 'seed = http://[::1/' "bad seed"
nonsense key 'bogus = 1' "unknown site key"
nonsense novalue 'delay =' "'delay' has no value"
nonsense section '[site ../../etc]' "bad site name"
# not text, too long, too many sites
printf '[job]\n\000\001\002\n' >"$T/nul.conf"
limited "job file with NUL bytes" crawl --check -c "$T/nul.conf"
expect_status 2 "job file with NUL bytes"
expect_err "nul.conf: not a text file" "job file with NUL bytes"
python3 -c 'import sys; sys.stdout.write("[job]\n# " + "x" * (2 << 20) + "\n")' \
	>"$T/long.conf"
limited "2 MiB job file" crawl --check -c "$T/long.conf"
expect_status 4 "2 MiB job file"
expect_err "long.conf" "2 MiB job file named"
python3 -c '
for i in range(300):
    print("[site s%d]\nseed = http://a%d.example/" % (i, i))' >"$T/many.conf"
limited "300 sites" crawl --check -c "$T/many.conf"
expect_status 2 "300 sites"
expect_err "more than 256 sites" "300 sites"

done_ok
