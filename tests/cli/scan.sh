# scan.sh: redflag scan over the test pages: hits, levels, formats, exits.
. "$top_srcdir/tests/cli/lib.sh"

P="$DATA/pages"

run scan "$P/dubai-waitress.html"
expect_status 1 "a suspicious page reaches the alert level"
json_ok "scan jsonl"
expect_lines 1 "one document, one line"
expect_out '"schema":1' "schema key"
expect_out '"status":"ok"' "status"
expect_out '"level":"high"' "level"
expect_out '"url":null' "url is null for files"
expect_out '"lang":"ru"' "the language is identified"
expect_out '"rule":"ru.travel.paid_by_employer"' "travel rule fired"
expect_out '"indicator":"J06"' "appearance filter"
expect_out '"field":"title"' "a hit in the title"
expect_out '"type":"phone","value":"+971501234567"' "the phone as E.164"

# offsets are UTF-8 byte offsets into the extracted field
python3 - "$T/out" <<'PY' || fail "hit offsets do not point at the hit text"
import json, subprocess, sys, os
doc = json.loads(open(sys.argv[1], encoding="utf-8").readline())
ext = subprocess.run([os.environ["REDFLAG"], "extract",
                      os.environ["top_srcdir"] + "/tests/data/pages/dubai-waitress.html"],
                     capture_output=True, check=True).stdout
fields = json.loads(ext)
for h in doc["hits"]:
    text = fields["text"] if h["field"] == "body" else fields["title"]
    got = text.encode("utf-8")[h["start"]:h["end"]].decode("utf-8")
    assert got == h["text"], (got, h)
PY

# extract: money and ages under "entities", spans into "text"
run extract "$P/dubai-waitress.html"
expect_status 0 "extract"
python3 - "$T/out" <<'PY' || fail "extract entities"
import json, sys
doc = json.loads(open(sys.argv[1], encoding="utf-8").readline())
ents = doc["entities"]
assert any(e["type"] == "money" and e["currency"] in ("USD", "AED")
           for e in ents), ents
for e in ents:
    got = doc["text"].encode("utf-8")[e["start"]:e["end"]].decode("utf-8")
    assert got == e["text"], (got, e)
PY

run scan "$P/accountant.html"
expect_status 0 "an ordinary vacancy does not alert"
expect_out '"level":"none"' "ordinary vacancy level"
expect_out '"hits":\[\]' "no hits"

run scan --alert-level high "$P/short.txt"
expect_status 0 "medium does not reach --alert-level high"
run scan --alert-level low "$P/short.txt"
expect_status 1 "medium reaches --alert-level low"

# a directory is walked, sorted; stdin is '-'
run scan "$P"
expect_lines 4 "directory walk"
head -1 "$T/out" | grep -q accountant.html || fail "directory order"
"$REDFLAG" scan - <"$P/short.txt" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "stdin scan exit"
grep -q '"source":"-"' "$T/out" || fail "stdin source is -"

run scan -f table "$P/dubai-waitress.html"
expect_out "^high" "table format"
expect_out "ru.job.hostess_abroad" "table lists rules"

run scan -f csv "$P"
expect_out '^source,url,status' "csv header"
expect_lines 5 "csv: header and four rows"

# explicit rules with -r, from a scratch file
cat >"$T/one.rules" <<'R'
rule t.visa {
	meta:
		indicator = J03
		strength = strong
	patterns:
		$v = "визу оформим"
	condition:
		$v
}
R
run scan -r "$T/one.rules" "$P/dubai-waitress.html"
expect_out '"score":4' "only the -r rules are used"
expect_status 0 "a single indicator stays low"

# obfuscated text: Latin look-alikes, @ for а, spaced-out letters; hits
# are reported as written
printf 'Требуютcя oфициaнтки в Дyбaй!\nЗapплaтa oт 3000$, без oпытa.\nП и ш и т е  т о л ь к о  в  WhatsApp\n' >"$T/obf.txt"
run scan "$T/obf.txt"
expect_out '"level":"medium"' "obfuscated ad still scores"
expect_out '"text":"oфициaнтк"' "hit text as written"
expect_out '"text":"П и ш и т е  т о л ь к о  в  WhatsApp"' "spaced-out words found"

# threads: the same output, in the same order, whatever -j (the demo
# site has more files than the window of inputs in flight)
D="$top_srcdir/examples/demo-site"
for j in 1 2 3; do
	"$REDFLAG" scan -j $j "$D" >"$T/j$j.out" 2>"$T/j$j.err"
	echo $? >"$T/j$j.rc"
done
cmp -s "$T/j1.out" "$T/j2.out" || fail "-j2 output differs from -j1"
cmp -s "$T/j1.out" "$T/j3.out" || fail "-j3 output differs from -j1"
cmp -s "$T/j1.err" "$T/j2.err" || fail "-j2 diagnostics differ from -j1"
cmp -s "$T/j1.rc" "$T/j2.rc" || fail "-j2 exit status differs"
[ "$(wc -l <"$T/j1.out")" -gt 64 ] || fail "the demo site should exceed the window"
run scan -j 0 "$P"
expect_status 2 "-j 0 is a usage error"

done_ok
