#!/bin/sh
# warcio.sh: a WARC written by redflag, read by webrecorder's warcio.js: the
# records, offsets and digests it sees must be the ones redflag wrote.
#
# Needs node and the npm package warcio; skipped (exit 77) without them.
# warcio is looked for in $WARCIO_DIR/node_modules/warcio (e.g. after
# `npm install --prefix /tmp/warcio warcio`, WARCIO_DIR=/tmp/warcio), then
# in node_modules/ of the build and source trees, then wherever node's own
# require() finds it (NODE_PATH, global modules). Never downloads anything.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

skip() {
	echo "SKIP: $*"
	exit 77
}

command -v node >/dev/null 2>&1 || skip "warcio not installed (no node)"

mod=""
for d in ${WARCIO_DIR:+"$WARCIO_DIR"} "$top_builddir" "$top_srcdir"; do
	if [ -f "$d/node_modules/warcio/package.json" ]; then
		mod="$d/node_modules/warcio"
		break
	fi
done
if [ -z "$mod" ]; then
	# where node's require() finds it: the package dir above dist/
	mod=$(node -e 'try {
		const p = require.resolve("warcio");
		console.log(p.replace(/[\\/]dist[\\/][^\\/]*$/, ""));
	} catch (e) {}' 2>/dev/null)
fi
[ -n "$mod" ] || skip "warcio not installed (set WARCIO_DIR)"

sample="$top_builddir/tests/unit/warc-sample"
[ -x "$sample" ] || { echo "warcio.sh: $sample is missing" >&2; exit 99; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/warcio.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

if ! "$sample" "$tmp" >"$tmp/manifest"; then
	echo "warcio.sh: warc-sample failed" >&2
	exit 1
fi
file=$(head -n 1 "$tmp/manifest" | cut -f 1)
node "$top_srcdir/tests/cli/warcio-check.cjs" "$mod" "$tmp/$file" \
	"$tmp/manifest"
