# crawl-lib.sh: helpers for the crawler's shell tests: the loopback test
# server and checks on its request log. Sourced after lib.sh.

TESTSRV="$top_builddir/tests/server/testsrv"
[ -x "$TESTSRV" ] || { echo "crawl-lib: $TESTSRV is missing" >&2; exit 99; }

# start_server NAME: starts testsrv on 127.0.0.1, logging to $T/NAME.log;
# sets PORT and BASE
start_server() {
	rm -f "$T/$1.port"
	"$TESTSRV" "$T/$1.port" "$T/$1.log" 180 2>"$T/$1.err" &
	SERVER_PID=$!
	n=0
	while [ ! -s "$T/$1.port" ]; do
		n=$((n + 1))
		# it compresses its bombs first: slow on a busy machine
		[ $n -lt 600 ] || fail "test server did not start: $(cat "$T/$1.err")"
		sleep 0.1
	done
	PORT=$(cat "$T/$1.port")
	BASE="http://127.0.0.1:$PORT"
	SERVER_LOG="$T/$1.log"
}

stop_server() {
	if [ -n "${SERVER_PID:-}" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=""
	fi
}
trap 'stop_server; rm -rf "$T"' EXIT

# requests PATH: how many times the server was asked for PATH (exact)
requests() {
	awk -v p="$1" '$3 == p { n++ } END { print n + 0 }' "$SERVER_LOG"
}

# expect_requests PATH N WHAT
expect_requests() {
	got=$(requests "$1")
	ntests=$((ntests + 1))
	[ "$got" -eq "$2" ] || fail "$3: '$1' requested $got times, expected $2"
}

# min_gap: the smallest gap in seconds between two requests in the log
min_gap() {
	awk 'NR > 1 { g = $1 - prev; if (min == "" || g < min) min = g }
	     { prev = $1 } END { printf "%.4f\n", min == "" ? 99 : min }' \
		"$SERVER_LOG"
}

# gap_after PATH: seconds between the first request for PATH and the next
gap_after() {
	awk -v p="$1" 'found { printf "%.4f\n", $1 - t; exit }
		       $3 == p && !found { found = 1; t = $1 }' "$SERVER_LOG"
}

# ge A B: A >= B for decimals
ge() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'
}

# json_get FILE EXPR: a value from a JSON file (python3)
json_get() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"d": d}))
' "$1" "$2"
}

# warcio_dir: where warcio.js is, or "" (see warcio.sh)
warcio_dir() {
	command -v node >/dev/null 2>&1 || return 0
	for d in ${WARCIO_DIR:+"$WARCIO_DIR"} "$top_builddir" "$top_srcdir"; do
		if [ -f "$d/node_modules/warcio/package.json" ]; then
			echo "$d/node_modules/warcio"
			return 0
		fi
	done
	node -e 'try {
		const p = require.resolve("warcio");
		console.log(p.replace(/[\\/]dist[\\/][^\\/]*$/, ""));
	} catch (e) {}' 2>/dev/null
}

# warc_check DIR: validates every WARC file in DIR with warcio.js and
# writes one line per record to $T/records ("type uri truncated
# profile-or-status"); returns 77 when warcio is not there
warc_check() {
	mod=$(warcio_dir)
	if [ -z "$mod" ]; then
		echo "note: warcio not installed (set WARCIO_DIR): WARC not validated"
		return 77
	fi
	node "$top_srcdir/tests/cli/crawl-warc-check.cjs" "$mod" "$1"/*.warc.gz \
		>"$T/records" 2>"$T/warc.err" ||
		fail "warcio: $(head -c 800 "$T/warc.err")"
	ntests=$((ntests + 1))
	return 0
}
