/* test-structure.c: J18 from clusters: the policy and the verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scanner/structure.h"

/* ---- the policy ---- */

static void
test_points(void **state)
{
	static const char *const lexical[] = { "J03", "J09" };
	static const char *const only18[] = { "J18" };
	static const struct {
		enum report_cluster_kind kind;
		size_t listings, sites, locations, langs;
		bool lexical;
		int points;
	} cases[] = {
		/* a plain employer's one phone behind many vacancies */
		{ REPORT_CLUSTER_PHONE, 9, 3, 5, 2, false, 0 },
		{ REPORT_CLUSTER_PHONE, 2, 1, 1, 1, true, 0 },
		{ REPORT_CLUSTER_PHONE, 2, 2, 1, 1, true, 1 },
		{ REPORT_CLUSTER_PHONE, 2, 1, 2, 1, true, 1 },
		{ REPORT_CLUSTER_HANDLE, 2, 1, 1, 2, true, 1 },
		{ REPORT_CLUSTER_EMAIL, 3, 1, 1, 1, true, 1 },
		{ REPORT_CLUSTER_LINK, 3, 1, 0, 3, true, 2 },
		{ REPORT_CLUSTER_PHONE, 12, 4, 6, 3, true, 2 },
		/* one site's broken template: every page "the same" */
		{ REPORT_CLUSTER_TEXT, 40, 1, 1, 1, true, 0 },
		/* the same text in one language is no spread */
		{ REPORT_CLUSTER_TEXT, 3, 1, 0, 2, true, 0 },
		{ REPORT_CLUSTER_TEXT, 2, 1, 2, 1, true, 1 },
		{ REPORT_CLUSTER_TEXT, 3, 2, 1, 1, true, 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report_cluster c;
		const char *rule = NULL;
		int p;

		memset(&c, 0, sizeof(c));
		c.kind = cases[i].kind;
		c.key = "k";
		c.nlistings = cases[i].listings;
		c.nsites = cases[i].sites;
		c.nlocations = cases[i].locations;
		c.nlangs = cases[i].langs;
		c.indicators = cases[i].lexical ? lexical : only18;
		c.nindicators = cases[i].lexical ? 2 : 1;
		p = structure_j18_points(&c, &rule);
		if (p != cases[i].points)
			fail_msg("case %zu: %d points, expected %d", i, p,
				 cases[i].points);
		if (p)
			assert_true(strncmp(rule, STRUCTURE_RULE_PREFIX,
					    strlen(STRUCTURE_RULE_PREFIX)) ==
				    0);
	}
}

static void
test_chrome(void **state)
{
	struct report_cluster c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.kind = REPORT_CLUSTER_PHONE;
	c.nsites = 1;
	c.nlistings = STRUCTURE_CHROME_MIN_LISTINGS;
	/* on every page of a site, or on half of them: the site's own */
	assert_true(structure_is_chrome(&c, c.nlistings));
	assert_true(structure_is_chrome(&c, 2 * c.nlistings));
	/* a few ads of a big site, or a small cluster: not */
	assert_false(structure_is_chrome(&c, 2 * c.nlistings + 1));
	c.nlistings--;
	assert_false(structure_is_chrome(&c, c.nlistings));
	/* spread over sites, or a text: not */
	c.nlistings++;
	c.nsites = 2;
	assert_false(structure_is_chrome(&c, c.nlistings));
	c.nsites = 1;
	c.kind = REPORT_CLUSTER_TEXT;
	assert_false(structure_is_chrome(&c, c.nlistings));
}

/* ---- verdicts in the store ---- */

struct fixture {
	char dir[64];
	char path[96];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/rf-structure-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/s.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[128];

	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t
begin(struct store *s, const char *hash)
{
	struct store_run_start rs = { .job = "t", .rules_hash = hash };
	int64_t id = 0;

	assert_int_equal(store_run_begin(s, &rs, &id), RF_OK);
	return id;
}

/* Listing n seen in run with phone (or none) in location loc; suspicious
 * ones carry a J03 finding worth 2 points, as the pipeline would store. */
static void
see(struct store *s, int64_t run, int n, const char *phone, const char *loc,
    bool suspicious)
{
	struct store_finding fnd = {
		.rule_id = "ru.travel.paid", .indicator = "J03", .weight = 2,
		.field = "body", .start = 0, .end = 4, .text = "визу",
	};
	struct store_contact c = { STORE_CONTACT_PHONE, phone };
	struct store_sighting in = { 0 };
	struct store_upsert res;
	char url[64], sha[65];

	snprintf(url, sizeof(url), "https://a.example/%d", n);
	snprintf(sha, sizeof(sha), "%064x", n);
	in.url = url;
	in.site = "a.example";
	in.payload_sha256 = sha;
	in.lang = "ru";
	in.location = loc;
	in.score = suspicious ? 2 : 0;
	in.level = suspicious ? STORE_LEVEL_LOW : STORE_LEVEL_NONE;
	in.findings = suspicious ? &fnd : NULL;
	in.nfindings = suspicious ? 1 : 0;
	in.contacts = phone ? &c : NULL;
	in.ncontacts = phone ? 1 : 0;
	if (store_listing_upsert(s, run, &in, &res) != RF_OK)
		fail_msg("upsert: %s", store_errmsg(s));
}

/* The score run gave listing n, and how many J18 findings are in
 * effect for it then. */
static int
score_of(struct store *s, int64_t run, int n, size_t *nj18)
{
	struct store_listing_list ll;
	struct store_finding_list fl;
	char url[64];
	int score = -1;
	size_t i, k;

	snprintf(url, sizeof(url), "https://a.example/%d", n);
	*nj18 = 0;
	store_listing_list_init(&ll);
	assert_int_equal(store_listings(s, run, STORE_SEL_SEEN,
					STORE_LEVEL_NONE, &ll),
			 RF_OK);
	for (i = 0; i < ll.n; i++) {
		if (strcmp(ll.items[i].url, url) != 0)
			continue;
		score = ll.items[i].score;
		store_finding_list_init(&fl);
		assert_int_equal(store_findings(s, ll.items[i].version_id,
						run, &fl),
				 RF_OK);
		for (k = 0; k < fl.n; k++)
			if (fl.items[k].indicator &&
			    !strcmp(fl.items[k].indicator, "J18"))
				(*nj18)++;
		store_finding_list_release(&fl);
	}
	store_listing_list_release(&ll);
	return score;
}

static void
apply(struct store *s, int64_t run, struct structure_counts *sc)
{
	struct buf msg;

	buf_init(&msg, 0);
	if (structure_apply(s, run, sc, &msg) != RF_OK)
		fail_msg("structure_apply: %s", msg.data);
	buf_release(&msg);
}

static void
test_apply(void **state)
{
	struct fixture *f = *state;
	struct structure_counts sc;
	struct store *s = NULL;
	int64_t r1, r2, r3, r4;
	size_t nj;
	int i;

	assert_int_equal(store_open(f->path, STORE_CREATE, &s), RF_OK);
	/* run 1: one phone behind three listings in three cities, one of
	 * them suspicious; another phone behind two plain listings */
	r1 = begin(s, "h");
	see(s, r1, 1, "+971500000001", "Dubai", true);
	see(s, r1, 2, "+971500000001", "Sharjah", false);
	see(s, r1, 3, "+971500000001", "Ajman", false);
	see(s, r1, 4, "+77010000002", "Almaty", false);
	see(s, r1, 5, "+77010000002", "Astana", false);
	see(s, r1, 6, NULL, "Almaty", true);
	apply(s, r1, &sc);
	assert_int_equal(sc.clusters, 1);
	assert_int_equal(sc.listings, 3);
	assert_int_equal(sc.changed, 3);
	/* 3 listings spread over locations: 2 points each */
	assert_int_equal(score_of(s, r1, 1, &nj), 4);
	assert_int_equal(nj, 1);
	assert_int_equal(score_of(s, r1, 2, &nj), 2);
	assert_int_equal(nj, 1);
	assert_int_equal(score_of(s, r1, 4, &nj), 0);
	assert_int_equal(nj, 0);
	assert_int_equal(score_of(s, r1, 6, &nj), 2);
	assert_int_equal(nj, 0);

	/* run 2, same rules, same pages: the verdicts hold, with the
	 * findings of run 1 */
	r2 = begin(s, "h");
	see(s, r2, 1, "+971500000001", "Dubai", true);
	see(s, r2, 2, "+971500000001", "Sharjah", false);
	see(s, r2, 3, "+971500000001", "Ajman", false);
	assert_int_equal(score_of(s, r2, 1, &nj), 2);
	apply(s, r2, &sc);
	assert_int_equal(score_of(s, r2, 1, &nj), 4);
	assert_int_equal(nj, 1);
	assert_int_equal(score_of(s, r2, 3, &nj), 2);
	assert_int_equal(sc.changed, 3);

	/* run 3: listing 1 turns plain; nothing suspicious is left in the
	 * cluster, so its J18 findings go */
	r3 = begin(s, "h2");
	see(s, r3, 1, "+971500000001", "Dubai", false);
	see(s, r3, 2, "+971500000001", "Sharjah", false);
	apply(s, r3, &sc);
	assert_int_equal(sc.listings, 0);
	assert_int_equal(score_of(s, r3, 1, &nj), 0);
	assert_int_equal(nj, 0);
	assert_int_equal(score_of(s, r3, 2, &nj), 0);
	assert_int_equal(nj, 0);
	/* history: run 1's verdicts stay */
	assert_int_equal(score_of(s, r1, 2, &nj), 2);
	assert_int_equal(nj, 1);

	/* run 4: one phone on every listing the run saw of its site, in
	 * many places: the site's own, no J18 */
	r4 = begin(s, "h2");
	for (i = 10; i < 10 + STRUCTURE_CHROME_MIN_LISTINGS; i++)
		see(s, r4, i, "+77270000000", i % 2 ? "Almaty" : "Astana",
		    true);
	apply(s, r4, &sc);
	assert_int_equal(sc.chrome, 1);
	assert_int_equal(sc.listings, 0);
	assert_int_equal(score_of(s, r4, 10, &nj), 2);
	assert_int_equal(nj, 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_chrome),
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
