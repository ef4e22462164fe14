# rulecache.sh: the cache of compiled rules: the same results with and
# without it, where it lives, what -v says, and damaged or stale entries.
. "$top_srcdir/tests/cli/lib.sh"

C="$T/cache/redflag"
DEMO="$top_srcdir/examples/demo-site"

# the same findings: no cache, then the run that stores, then the hit
run scan --no-cache "$DEMO" "$DATA/pages"
cold=$status
cp "$T/out" "$T/cold.out"
cp "$T/err" "$T/cold.err"
[ ! -e "$C" ] || fail "--no-cache wrote a cache"
run scan -v "$DEMO" "$DATA/pages"
[ "$status" -eq "$cold" ] || fail "exit $status when storing, $cold cold"
expect_err "stored in the cache ('$C/[0-9a-f]*\.rfc')" "-v says it stored"
cmp -s "$T/cold.out" "$T/out" || fail "findings differ when storing"
run scan -v "$DEMO" "$DATA/pages"
[ "$status" -eq "$cold" ] || fail "exit $status from the cache, $cold cold"
expect_err "rules loaded from the cache" "-v says it loaded"
cmp -s "$T/cold.out" "$T/out" || fail "findings differ from the cache"
run scan "$DEMO" "$DATA/pages"
cmp -s "$T/cold.err" "$T/err" || fail "the cache is silent without -v: $(cat "$T/err")"

# modes: the folder 0700, the entries 0600
[ "$(stat -c %a "$C")" = 700 ] || fail "cache folder mode $(stat -c %a "$C")"
for f in "$C"/*.rfc; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "entry mode $(stat -c %a "$f")"
done

# rules test: the same verdicts on every inline example
run rules test --no-cache
cp "$T/out" "$T/test-cold.out"
run rules test
run rules test -v
expect_err "rules loaded from the cache" "rules test from the cache"
cmp -s "$T/test-cold.out" "$T/out" || fail "rules test differs from the cache"
expect_out "^[0-9]* passed, 0 failed$" "examples pass from the cache"

# rules check says what the cache did
run rules check
expect_status 0 "rules check"
run rules check
expect_err "rules loaded from the cache in [0-9.]* ms" "rules check names the cache"

# a damaged entry: ignored, said with -v only, rebuilt, same findings
for f in "$C"/*.rfc; do
	head -c 100 "$f" >"$f.cut" && mv "$f.cut" "$f"
done
run scan "$DEMO" "$DATA/pages"
[ "$status" -eq "$cold" ] || fail "exit $status with a damaged entry"
cmp -s "$T/cold.err" "$T/err" || fail "a damaged entry is silent without -v"
cmp -s "$T/cold.out" "$T/out" || fail "findings differ after a damaged entry"
for f in "$C"/*.rfc; do
	{ printf 'RFRULES\0'; head -c 300 /dev/zero; } >"$f"
done
run scan -v "$DEMO" "$DATA/pages"
expect_err "damaged or of another format" "-v names a damaged entry"
cmp -s "$T/cold.out" "$T/out" || fail "findings differ after garbage"
run scan -v "$DEMO" "$DATA/pages"
expect_err "rules loaded from the cache" "rebuilt entry used"

# a changed rule file: the entry is stale, the new rule is used
mkdir "$T/pack"
cat >"$T/pack/a.rules" <<'R'
rule t.a {
	meta:
		indicator = J03
	patterns:
		$a = "альфа"
	condition:
		$a
}
R
echo "альфа бета" >"$T/doc.txt"
run scan -v -r "$T/pack" "$T/doc.txt"
expect_out '"rule":"t.a"' "first version fires"
sed -i 's/альфа/гамма/' "$T/pack/a.rules"
run scan -v -r "$T/pack" "$T/doc.txt"
expect_err "a.rules' changed since the entry was written" "-v names the changed file"
expect_no_out '"rule":"t.a"' "the changed rule is used"

# where it lives: --cache-dir, \$REDFLAG_CACHE_DIR, \$REDFLAG_NO_CACHE
run scan --cache-dir "$T/elsewhere" "$T/doc.txt"
ls "$T/elsewhere"/*.rfc >/dev/null 2>&1 || fail "--cache-dir not used"
env REDFLAG_CACHE_DIR="$T/env" "$REDFLAG" scan "$T/doc.txt" >/dev/null
ls "$T/env"/*.rfc >/dev/null 2>&1 || fail "REDFLAG_CACHE_DIR not used"
env REDFLAG_NO_CACHE=1 REDFLAG_CACHE_DIR="$T/none" \
	"$REDFLAG" scan "$T/doc.txt" >/dev/null
[ ! -e "$T/none" ] || fail "REDFLAG_NO_CACHE wrote a cache"
# a folder others may write to is not used
mkdir -m 777 "$T/open"
run scan -v --cache-dir "$T/open" "$T/doc.txt"
expect_err "not a folder of this user that only the user can write to" "open folder refused"
! ls "$T/open"/*.rfc >/dev/null 2>&1 || fail "wrote into an open folder"

done_ok
