#!/bin/sh
# retention.sh: retention_days end to end. A run stores the demo site;
# the test ages every listing by 40 days in the store, takes two listings
# off the site, and runs again with retention_days = 30: the two, unseen
# for 40 days, lose their texts, findings and contacts (a phone only they
# had is gone, a phone shared with listings still seen stays), the others
# keep theirs, and the aggregate figures (runs, site statistics, per-run
# scores) are what they were.
. "$top_srcdir/tests/cli/lib.sh"

command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
cp -r "$top_srcdir/examples/demo-site" "$T/site"
cat >"$T/job.conf" <<'C'
[job]
name = t
store = state/redflag.db
db = state/crawl.db
warc_dir = state/warc
reports = state/reports
retention_days = 30
as_root = allow

[site demo]
seed = site/index.html
listing = /listings/[0-9]+\.html$
index = /jobs/([a-z-]+/)?page-[0-9]+\.html$
delay = 0
recrawl = 1s
C
DB="$T/state/redflag.db"
q() {	# q SQL: one query on the run's store
	sql "$DB" "$1"
}
# sql_write SQL: one statement on the store, committed
sql_write() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(sys.argv[2])
c.commit()' "$DB" "$1" || fail "sql_write: $1"
}

run run -c "$T/job.conf"
expect_status 0 "first run"
# A: a listing with a phone no other listing has; B: 40581, whose phone
# three listings share (J18)
A=$(q "select l.url from listings l join listing_contacts lc
	on lc.listing_id = l.id join contacts c on c.id = lc.contact_id
	where c.type = 'phone' and l.url not like '%/40581.html'
	and (select count(*) from listing_contacts x
	     where x.contact_id = c.id) = 1
	order by l.url limit 1")
[ -n "$A" ] || fail "no listing with a phone of its own in the demo site"
# the contacts only A has
A_CONTACTS=$(q "select group_concat(contact_id) from listing_contacts lc
	where listing_id = (select id from listings where url = '$A')
	and (select count(*) from listing_contacts x
	     where x.contact_id = lc.contact_id) = 1")
B=$(q "select url from listings where url like '%/40581.html'")
B_PHONE=$(q "select c.id from contacts c join listing_contacts lc
	on lc.contact_id = c.id join listings l on l.id = lc.listing_id
	where l.url = '$B' and c.type = 'phone'")
[ -n "$B_PHONE" ] || fail "40581 has no phone"
[ "$(q "select count(*) from listing_contacts where contact_id = $B_PHONE")" -gt 1 ] ||
	fail "40581's phone is not shared"
# what must survive the purge
aggregates() {
	q "select id, pages_fetched, listings_new, listings_changed,
		listings_unchanged, listings_removed, alerts from runs
		where id = 1"
	q "select * from site_stats where run_id = 1"
	q "select listing_id, version_id, score, level, change from scores
		where run_id = 1 order by listing_id"
	q "select count(*) from listings"
	q "select count(*) from pages where run_id = 1"
}
aggregates >"$T/agg1"
# a control: before the purge, A has its text, findings and contacts
texts() {	# texts URL: versions with a text, findings, contact links
	q "select (select count(*) from listing_versions v
		   where v.listing_id = l.id and v.text is not null),
		  (select count(*) from findings f join listing_versions v
		   on v.id = f.version_id where v.listing_id = l.id),
		  (select count(*) from listing_contacts lc
		   where lc.listing_id = l.id)
	   from listings l where l.url = '$1'"
}
case "$(texts "$A")" in
1\|*\|[1-9]*) ;;
*) fail "before the purge, $A: $(texts "$A")" ;;
esac
case "$(texts "$B")" in
1\|[1-9]*\|[1-9]*) ;;
*) fail "before the purge, $B: $(texts "$B")" ;;
esac

# 40 days pass; A and B leave the site
sql_write "update listings set first_seen_at = first_seen_at - 40 * 86400,
	last_seen_at = last_seen_at - 40 * 86400"
sql_write "update listing_versions set first_seen_at = first_seen_at - 40 * 86400,
	last_seen_at = last_seen_at - 40 * 86400"
rm "$T/site/listings/${A##*/}" "$T/site/listings/${B##*/}"
sleep 1
run run -v -c "$T/job.conf"
expect_status 0 "second run"
expect_err "purged 2 listings unseen for 30 days" "the purge is logged"

# A and B: purged, their personal data gone
for u in "$A" "$B"; do
	[ "$(texts "$u")" = "0|0|0" ] ||
		fail "after the purge, $u: $(texts "$u") (texts|findings|contacts)"
	[ "$(q "select count(*) from listing_versions v join listings l
		on l.id = v.listing_id where l.url = '$u' and (v.title is not null
		or v.salary is not null or v.location is not null
		or v.employer is not null or v.posted is not null)")" = 0 ] ||
		fail "$u keeps fields of its text"
	[ "$(q "select purged_at is not null from listings where url = '$u'")" = 1 ] ||
		fail "$u is not marked purged"
	ntests=$((ntests + 3))
done
for id in $(echo "$A_CONTACTS" | tr , ' '); do
	[ "$(q "select count(*) from contacts where id = $id")" = 0 ] ||
		fail "A's contact $id survived: $(q "select type, value from contacts where id = $id")"
done
[ "$(q "select count(*) from contacts where id = $B_PHONE")" = 1 ] ||
	fail "the phone 40581 shares with listings still seen was purged"
[ "$(q "select count(*) from listing_contacts where contact_id = $B_PHONE")" -ge 1 ] ||
	fail "the shared phone lost its other listings"
ntests=$((ntests + 2))
# the listings still on the site keep everything
[ "$(q "select count(*) from listings where purged_at is not null")" = 2 ] ||
	fail "purged: $(q "select url from listings where purged_at is not null")"
[ "$(q "select count(*) from listings l join listing_versions v
	on v.id = l.current_version where l.purged_at is null
	and v.text is null")" = 0 ] || fail "a listing still seen lost its text"
ntests=$((ntests + 2))
# the aggregates of run 1 are untouched, and run 2 has its own
aggregates >"$T/agg2"
cmp -s "$T/agg1" "$T/agg2" ||
	fail "the aggregates of run 1 changed: $(diff "$T/agg1" "$T/agg2" | head -20)"
[ "$(q "select listings_removed from runs where id = 2")" = 2 ] ||
	fail "run 2: $(q 'select * from runs where id = 2')"
ntests=$((ntests + 2))
done_ok
