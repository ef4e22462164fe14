# eval.sh: redflag eval on a small labelled file written for the test.
. "$top_srcdir/tests/cli/lib.sh"

E="$DATA/eval/labels.csv"

run eval --labels "$E" --by lang
expect_status 0 "eval runs"
expect_out "6 rows scored, 1 skipped" "unmapped labels are skipped and counted"
expect_out "^all: 3 positive, 3 negative" "labels mapped"
# two of three suspicious rows reach medium, no ordinary row does
expect_out "^  medium  *2  *0  *1  *3  *1.000  *0.667  *0.800  *0.000$" "medium row"
expect_out "^ru: 2 positive, 2 negative" "per-language table"
expect_out "^rules: " "hit frequencies"

run eval --labels "$E" --show fn
expect_out "^MISS a3 " "misses shown"

run eval --labels "$E" -f json
json_ok "eval json"
expect_out '"medium":{"tp":2,"fp":0,"fn":1,"tn":3' "json measures"

run eval --labels "$E" --all-negative
expect_out "^all: 0 positive, 7 negative" "--all-negative ignores labels"

run eval --labels "$E" --text body
expect_status 2 "a missing column"
expect_err "no column 'body'" "names the column"

run eval
expect_status 2 "--labels is required"
run eval --labels "$T/none.csv"
expect_status 4 "an unreadable file"

done_ok
