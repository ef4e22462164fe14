# packs.sh: the shipped packs on hand-written texts of the two kinds the
# held-out measures care about (rules/README.md, docs/detection.md):
# lookalikes.csv, legitimate look-alikes (вахта with paid travel, EPS Korea
# through the state agency, licensed seasonal work, hotel and courier
# jobs), news about trafficking and warnings to job-seekers, which must
# stay below medium; recruitment.csv, recruitment ads of the kinds public
# sources quote, which must reach low and mostly medium. The texts were
# written by the redflag team for this test; they quote no real ad.
. "$top_srcdir/tests/cli/lib.sh"

run eval --labels "$DATA/eval/lookalikes.csv" --all-negative \
	--show fp --level medium
expect_status 0 "eval runs on the look-alikes"
expect_out "^all: 0 positive, 36 negative" "every look-alike scored"
expect_out "^  medium  *0  *0  *0  *36 " "no look-alike at medium"
expect_no_out "^FP " "no look-alike listed at medium"

run eval --labels "$DATA/eval/recruitment.csv" --all-positive \
	--show fn --level low
expect_status 0 "eval runs on the recruitment ads"
expect_out "^all: 23 positive, 0 negative" "every ad scored"
expect_out "^  low  *23  *0  *0  *0 " "every ad at low or above"
# at least 20 of 23 at medium or above
expect_out "^  medium  *2[0-3]  *0  *[0-3]  *0 " "most ads at medium"

done_ok
