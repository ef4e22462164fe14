# profiles.sh: extraction profiles (redflag-profile(5)) in extract, scan
# and run: a golden extract of a site page, the choice between two
# profiles, a profile that selects nothing, a broken XPath, a job's
# profile key.
. "$top_srcdir/tests/cli/lib.sh"

P="$DATA/pages"
R="$DATA/profiles"

# golden: the page read through its site's profile (the source path is
# the only thing that depends on the checkout)
run extract --profiles "$R/board.profile" "$P/board-ad.html"
expect_status 0 "extract with a profile"
json_ok "extract with a profile"
sed 's|"source":"[^"]*"|"source":"board-ad.html"|' "$T/out" >"$T/got"
cmp -s "$T/got" "$R/board-ad.expect.jsonl" ||
	fail "golden extract differs: $(diff "$R/board-ad.expect.jsonl" "$T/got" | head -c 1500)"
expect_out '"profile":{"name":"board-ad","fields":\["title","body","salary","location","employer","contacts","posted"\],"fallback":\[\]}' "every field from the profile"
expect_out '"langs":{"title":"ru","body":"ru"' "a language per field"
expect_no_out "Работа за границей" "the site's SEO block is not the ad"
expect_no_out "Реклама" "the dropped block is gone"

# the heuristic alone reads the SEO block as the ad's and alerts; the
# profile reads only the ad
run scan "$P/board-ad.html"
expect_status 1 "without the profile the SEO text alerts"
run scan --profiles "$R/board.profile" "$P/board-ad.html"
expect_status 0 "with the profile the ad does not alert"
expect_out '"level":"none"' "the ad's own level"
expect_out '"title":"Помощник повара в кафе"' "scan uses the profile's title"

# the choice: the first profile whose url pattern matches the URL the
# page gives itself; another page of the site gets the other profile
sed 's|/ad/4512|/jobs?page=2|' "$P/board-ad.html" >"$T/list.html"
run extract --profiles "$R/board.profile" "$T/list.html"
expect_out '"profile":{"name":"board-any","fields":\["title"\]' "the site's other profile"
expect_out '"title":"Помощник повара в кафе"' "its title XPath"
# order decides: with board-any first it wins for the ad too
awk '/^\[profile board-any\]/{p=1} p' "$R/board.profile" >"$T/swapped.profile"
awk '/^\[profile board-any\]/{exit} 1' "$R/board.profile" >>"$T/swapped.profile"
run extract --profiles "$T/swapped.profile" "$P/board-ad.html"
expect_out '"name":"board-any"' "the first matching profile wins"
# a page of another site: no profile
sed 's|board\.example|other.example|' "$P/board-ad.html" >"$T/other.html"
run extract --profiles "$R/board.profile" "$T/other.html"
expect_no_out '"profile"' "no profile for another site"
# a folder: its *.profile files in name order (bad/ is not read)
run extract --profiles "$R" "$P/board-ad.html"
expect_status 0 "a folder of profiles"
expect_out '"name":"board-ad"' "board.profile comes before nothing.profile"

# a profile whose XPaths select nothing: the heuristic's fields, and the
# output says which fields fell back
"$REDFLAG" extract "$P/board-ad.html" >"$T/plain" ||
	fail "extract without a profile"
run extract --profiles "$R/nothing.profile" "$P/board-ad.html"
expect_status 0 "a profile that selects nothing"
expect_out '"profile":{"name":"board-old-layout","fields":\[\],"fallback":\["title","body","salary"\]}' "fallback fields named"
python3 - "$T/plain" "$T/out" <<'PY' || fail "the fallback is the heuristic's text"
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
assert a["title"] == b["title"] and a["text"] == b["text"], (a, b)
assert a["fields"] == b["fields"], (a["fields"], b["fields"])
PY

# a broken XPath is found at load time, named by file and line
run extract --profiles "$R/bad/broken.profile" "$P/board-ad.html"
expect_status 2 "a broken profile is a usage error"
expect_err "broken.profile:5: body: bad XPath '//div\[@class='ad-body'' at offset" "file:line of the bad XPath"
expect_lines 0 "nothing extracted with a broken profile"
run scan --profiles "$R/bad/broken.profile" "$P/board-ad.html"
expect_status 2 "scan refuses a broken profile too"
run extract --profiles "$R"/missing.profile "$P/board-ad.html"
expect_status 2 "a missing profile file"
expect_err "cannot read profile file" "the missing file named"

# the example of redflag-profile(5) is a valid profile file
awk '
	/^\.Sh EXAMPLES/ { ex = 1 }
	ex && /^\.Bd -literal/ { inblock = 1; next }
	inblock && /^\.Ed/ { exit }
	inblock { gsub(/\\e/, "\\"); print }
' "$top_srcdir/doc/redflag-profile.5" >"$T/man.profile"
grep -q '^\[profile board-ad\]' "$T/man.profile" ||
	fail "no example found in redflag-profile(5)"
sed 's|https://board.example/ad/4512|https://www.board.example/ad/4512|' \
	"$P/board-ad.html" >"$T/www.html"
run extract --profiles "$T/man.profile" "$T/www.html"
expect_status 0 "redflag-profile(5) example"
expect_out '"name":"board-ad"' "the man page's example chooses its ad profile"

# run: the job's profile key, relative to the job file, per site
command -v python3 >/dev/null || { echo "SKIP: run needs python3"; done_ok; }
mkdir -p "$T/job/site/ad"
cp "$P/board-ad.html" "$T/job/site/ad/4512.html"
cat >"$T/job/site/index.html" <<'H'
<html><body><a href="ad/4512.html">ad</a></body></html>
H
cat >"$T/job/site.profile" <<'C'
[profile local-ad]
url = /ad/[0-9]+\.html$
title = //h2[@class='ad-title']
body = //div[@class='ad-body']
salary = //span[@class='ad-price']
drop = //div[@class='ad-banner']
C
cat >"$T/job/job.conf" <<'C'
[job]
store = state/redflag.db
db = state/crawl.db
warc_dir = state/warc
reports = state/reports

[site board]
seed = site/index.html
listing = /ad/[0-9]+\.html$
delay = 0
profile = site.profile
C
run run -c "$T/job/job.conf"
expect_status 0 "run with a job profile"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = list(c.execute("select title, salary from listing_versions"))
assert rows == [("Помощник повара в кафе", "от 250 000 тг")], rows' \
	"$T/job/state/redflag.db" || fail "the stored listing was read with the site's profile"
run crawl --check -c "$T/job/job.conf"
expect_status 0 "crawl --check loads the site's profiles"
expect_out "^  profiles .*site.profile: 1$" "crawl --check counts them"
echo 'employer = //div[' >>"$T/job/site.profile"
run crawl --check -c "$T/job/job.conf"
expect_status 2 "crawl --check finds a broken profile"
run run -c "$T/job/job.conf"
expect_status 2 "run refuses a broken profile"
expect_err "site.profile:7: employer: bad XPath" "the job's profile error names its line"

# the demo job ships a profile: every listing gets its fields from it
mkdir "$T/demo"
cp -r "$top_srcdir/examples/demo-site" "$top_srcdir/examples/demo.profile" "$T/demo/"
sed 's|\.\./demo-out|demo-out|' "$top_srcdir/examples/demo.conf" >"$T/demo/demo.conf"
run run -c "$T/demo/demo.conf"
expect_status 0 "the demo job with its profile"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = list(c.execute("select count(*), count(salary), count(location), "
                   "count(employer), count(posted) from listing_versions"))
assert n == [(60, 60, 60, 60, 60)], n' "$T/demo/demo-out/redflag.db" ||
	fail "the demo profile reads every listing's fields"

done_ok
