# help.sh: help, version, usage errors and the exit codes of redflag(1).
. "$top_srcdir/tests/cli/lib.sh"

run --help
expect_status 0 "--help"
expect_out "usage: redflag" "--help"
expect_out "scan" "--help lists scan"

run -h
expect_status 0 "-h"

run --version
expect_status 0 "--version"
expect_out "^redflag [0-9]" "--version"

run
expect_status 2 "no command"

run --bogus
expect_status 2 "unknown global option"
expect_err "unknown option '--bogus'" "unknown global option"

run frobnicate
expect_status 2 "unknown command"
expect_err "'frobnicate' is not a command" "unknown command"

for cmd in scan extract rules eval; do
	run "$cmd" --help
	expect_status 0 "$cmd --help"
	expect_out "usage: redflag $cmd" "$cmd --help"
done

run scan --no-such-option x
expect_status 2 "scan with an unknown option"

run scan
expect_status 2 "scan without inputs"
expect_err "nothing to scan" "scan without inputs"

run scan -f xml "$DATA/pages/short.txt"
expect_status 2 "scan with an unknown format"
expect_err "unknown format 'xml'" "scan with an unknown format"

run scan --alert-level extreme "$DATA/pages/short.txt"
expect_status 2 "scan with a bad alert level"

# crawl: --help to stdout, exit 0; nothing to crawl is a usage error
run crawl --help
expect_status 0 "crawl --help"
expect_out "usage: redflag crawl" "crawl --help"
run crawl
expect_status 2 "crawl without URLs"


done_ok
