/* test-pipeline.c: pages through extract, scan and the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "scanner/pipeline.h"

static const char ad[] =
	"<html><body><main><h1>Официантки в Дубай</h1><p>Девушки 18-25 лет, "
	"зарплата от 3000$, билеты за счёт работодателя. Пишите только в "
	"WhatsApp +971 50 000 12 34</p></main></body></html>";
static const char ad2[] =
	"<html><body><main><h1>Официантки в Дубай</h1><p>Девушки 18-25 лет, "
	"зарплата от 4000$! Пишите только в WhatsApp +971 50 000 12 34</p>"
	"</main></body></html>";

static struct ruleset *
load_rules(void)
{
	struct rules_options opts = { 0 };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;

	assert_int_equal(rules_compiler_add_path(c, RF_SRCDIR "/rules/packs"),
			 RF_OK);
	assert_int_equal(rules_compiler_finish(c, &rs), RF_OK);
	rules_compiler_free(c);
	return rs;
}

/* Runs one run over the pages; returns the changes seen, as letters. */
static void
run_once(struct store *st, struct ruleset *rs, const char *const *bodies,
	 size_t n, char *changes)
{
	struct pipeline_opts po = { 0 };
	struct store_run_start start = { .job = "test" };
	struct store_run_end end = { .status = STORE_RUN_FINISHED };
	struct pipeline *p;
	struct page_out out;
	int64_t run;
	size_t i;

	assert_int_equal(store_run_begin(st, &start, &run), RF_OK);
	po.rs = rs;
	po.store = st;
	po.run_id = run;
	p = pipeline_new(&po);
	page_out_init(&out);
	for (i = 0; i < n; i++) {
		struct page_in pg = { 0 };
		char url[64];

		snprintf(url, sizeof(url), "https://jobs.example/%zu", i);
		pg.url = url;
		pg.site = "jobs.example";
		pg.http_status = 200;
		pg.content_type = "text/html; charset=utf-8";
		pg.body = bodies[i];
		pg.len = strlen(bodies[i]);
		pg.is_listing = true;
		assert_int_equal(pipeline_page(p, &pg, &out), RF_OK);
		assert_true(out.listing);
		assert_true(out.page_id > 0);
		changes[i] = "NCU"[out.change];
		if (i == 0) {
			/* the shipped packs find the ad; its result line
			 * (for the WARC metadata record) says so */
			assert_true(out.level >= LEVEL_MEDIUM);
			assert_non_null(strstr(out.result.data,
					       "\"hits\":[{"));
		} else {
			assert_int_equal(out.level, LEVEL_NONE);
		}
	}
	changes[n] = '\0';
	page_out_release(&out);
	pipeline_free(p);
	assert_int_equal(store_run_finish(st, run, &end), RF_OK);
}

static void
test_two_runs(void **state)
{
	char path[] = "/tmp/rf-pipeline-XXXXXX";
	int fd = mkstemp(path);
	struct store *st = NULL;
	struct ruleset *rs = load_rules();
	const char *first[] = { ad, "<html><body><p>Бухгалтер, 300 000 тенге"
				"</p></body></html>" };
	const char *second[] = { ad2, first[1] };
	struct store_cluster_list cl;
	char changes[8];

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(store_open(path, STORE_CREATE, &st), RF_OK);
	run_once(st, rs, first, 2, changes);
	assert_string_equal(changes, "NN");
	run_once(st, rs, first, 2, changes);
	assert_string_equal(changes, "UU");
	run_once(st, rs, second, 2, changes);
	assert_string_equal(changes, "CU");
	/* the phone is stored as a contact of the listing */
	store_cluster_list_init(&cl);
	assert_int_equal(store_clusters(st, 0, 1, &cl), RF_OK);
	assert_true(cl.n >= 1);
	store_cluster_list_release(&cl);
	store_close(st);
	ruleset_free(rs);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_runs),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
