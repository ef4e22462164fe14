# report-chromium.sh: the HTML report rendered by headless Chromium to a
# PNG, as a smoke test that it is a page a browser draws. Skips (77)
# without chromium, which is not in scripts/install-deps (about 400 MB).
. "$top_srcdir/tests/cli/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "report-chromium.sh: SKIP: no chromium (apt-get install chromium)"
	exit 77
fi
MKDB="$top_builddir/tests/unit/mkreportdb"
"$MKDB" "$T/state.db" || fail "mkreportdb"
run report --db "$T/state.db" -o "$T/report.html"
expect_status 0 "html report"
! grep -qi '<script' "$T/report.html" || fail "the html has a <script"

mkdir "$T/profile"
HOME="$T" timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	--disable-background-networking --disable-component-update \
	--disable-sync --no-first-run --user-data-dir="$T/profile" \
	--window-size=1280,1600 --screenshot="$T/report.png" \
	"file://$T/report.html" >"$T/chromium.log" 2>&1 ||
	fail "chromium failed: $(tail -5 "$T/chromium.log")"
[ -s "$T/report.png" ] || fail "no screenshot"
head -c 8 "$T/report.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' ||
	fail "the screenshot is not a PNG"
# a blank page compresses to a few KB; the report's text and charts do not
[ "$(stat -c %s "$T/report.png")" -gt 40000 ] || fail "the screenshot looks blank"
ntests=$((ntests + 1))
done_ok
