# smoke.sh: bench-scan --quick runs every in-process path of the benchmark
# on its built-in listings, checks that the prefilter and the naive loop
# agree, and writes valid JSON. Numbers are not checked: a smoke test.
set -u
: "${top_builddir:?top_builddir must be set}"
B="$top_builddir/bench/bench-scan"
T=$(mktemp -d "${TMPDIR:-/tmp}/redflag-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

"$B" --quick --rg '' --json "$T/out.json" >"$T/out" 2>"$T/err" ||
	fail "bench-scan --quick: exit $?: $(head -c 800 "$T/err")"
grep -q 'prefilter and naive loop agree' "$T/out" ||
	fail "no agreement line: $(cat "$T/out")"
for id in rf-gen naive-gen rf-packs memchr libxml2 e2e-packs cc-packs; do
	grep -Eq "^[a-z]+ +$id +(-|[0-9.]+) +[0-9.]+ " "$T/out" ||
		fail "no figure for $id: $(cat "$T/out")"
done
grep -q '"ratios"' "$T/out.json" || fail "no ratios in the JSON"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$T/out.json" || fail "invalid JSON"
fi
"$B" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad option must exit 2"
echo "bench-scan --quick: ok"
