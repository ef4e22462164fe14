# badinput.sh: bad inputs get a one-line diagnostic naming the input; the
# other inputs are still scanned; exit 4 if any input failed.
. "$top_srcdir/tests/cli/lib.sh"

P="$DATA/pages"
: >"$T/empty.txt"
printf 'MZ\000\000\220binary' >"$T/binary.exe"
printf 'caf\351 latin-1\n' >"$T/latin1.txt"
mkdir "$T/dir"

run scan "$T/missing.html" "$P/accountant.html"
expect_status 4 "missing file"
expect_err "'$T/missing.html': no such file or directory" "missing file named"
expect_out '"source":"'"$P"'/accountant.html"' "the other input is scanned"
expect_out '"status":"error"' "missing file as an error record"

run scan "$T/binary.exe"
expect_status 4 "binary file"
expect_err "binary file" "binary file"

# bytes that are not UTF-8 are a legacy charset: detected, converted
run extract "$T/latin1.txt"
expect_status 0 "a Latin-1 text is read, not refused"
expect_out '"text":"café latin-1"' "Latin-1 converted"
expect_out '"source":"detected"' "the charset was detected"

run scan "$T/empty.txt"
expect_status 0 "an empty file is not a failure"
expect_out '"status":"empty"' "empty status"
expect_err "no text to scan" "empty file warned"

run scan "$P/short.txt/"
expect_status 4 "a file used as a directory"

run scan "$T/dir"
expect_status 0 "an empty directory"
expect_lines 0 "an empty directory gives nothing"

# 4 wins over 1
run scan "$P/dubai-waitress.html" "$T/missing.html"
expect_status 4 "failure wins over alert"

# an oversized input is refused by name, not read whole
dd if=/dev/zero of="$T/huge.txt" bs=1M count=0 seek=65 2>/dev/null
run scan "$T/huge.txt"
expect_status 4 "oversized input"
expect_err "larger than" "oversized input named"

run extract "$T/missing.html"
expect_status 4 "extract of a missing file"

done_ok
