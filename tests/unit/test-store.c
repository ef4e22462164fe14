/* test-store.c: unit tests of store/ (the SQLite backend behind store.h). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "store/store-int.h"
#include "store/store.h"

#define DAY ((int64_t)86400)

/* Each test works in a fresh directory of its own. */
struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/rf-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/state.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[512];
	struct dirent *de;
	DIR *d = opendir(f->dir);

	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *
open_ok(const char *path)
{
	struct store *s = NULL;
	enum rf_err err = store_open(path, STORE_CREATE, &s);

	if (err)
		fail_msg("store_open: %s: %s", rf_strerror(err),
			 store_errmsg(s));
	return s;
}

/* The first column of the first row of sql on the database at path,
 * read with a connection of the test's own. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
					 NULL),
			 SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db,
					 SQLITE_OPEN_READWRITE |
						 SQLITE_OPEN_CREATE,
					 NULL),
			 SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* "ok" from PRAGMA integrity_check, and no foreign key violations. */
static void
assert_consistent(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
					 NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* 64 hex digits made from seed: one payload per seed. */
static void
sha_of(char out[65], unsigned seed)
{
	snprintf(out, 65, "%064x", seed);
}

static int64_t
run_begin(struct store *s, const char *job, int64_t at, const char *hash)
{
	struct store_run_start rs = {
		.job = job, .started_at = at, .rules_version = "test-1",
		.rules_hash = hash,
	};
	int64_t id = 0;

	assert_int_equal(store_run_begin(s, &rs, &id), RF_OK);
	assert_true(id > 0);
	return id;
}

static void
run_finish(struct store *s, int64_t run)
{
	struct store_run_end e = {
		.status = STORE_RUN_FINISHED, .stop_reason = "frontier empty",
		.alert_level = STORE_LEVEL_MEDIUM,
	};

	assert_int_equal(store_run_finish(s, run, &e), RF_OK);
}

/* Stores url seen in run with payload seed and returns the verdict. */
static struct store_upsert
see(struct store *s, int64_t run, const char *url, const char *site,
    unsigned seed, int score, enum store_level level, int64_t at)
{
	char sha[65], title[64];
	struct store_finding fnd = {
		.rule_id = "ru.travel.paid", .rule_version = "r1",
		.indicator = "J03", .weight = 3, .field = "body", .start = 0,
		.end = 5, .text = "визу",
	};
	struct store_sighting in = {
		.url = url, .site = site, .seen_at = at, .payload_sha256 = sha,
		.lang = "ru", .title = title, .salary = "1000 USD",
		.location = "Dubai", .employer = "ACME", .posted = "2024-05-01",
		.text = "body text", .score = score, .level = level,
		.findings = &fnd, .nfindings = 1,
	};
	struct store_upsert res;
	enum rf_err err;

	sha_of(sha, seed);
	snprintf(title, sizeof(title), "title %u", seed);
	err = store_listing_upsert(s, run, &in, &res);
	if (err)
		fail_msg("upsert %s: %s", url, store_errmsg(s));
	return res;
}

/* ---- opening and migrations ---- */

static void
test_open_fresh_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);

	assert_string_equal(store_backend_name(s), "sqlite");
	store_close(s);
	assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "PRAGMA application_id"),
			 0x52464c47);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "sqlite_master WHERE name = 'runs'"),
			 1);
	/* reopening applies nothing again */
	assert_int_equal(store_open(f->path, 0, &s), RF_OK);
	store_close(s);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION);
	{
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    "wal");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
}

static void
test_open_errors(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	char p[256];
	FILE *fp;

	/* no file and no STORE_CREATE */
	assert_int_equal(store_open(f->path, 0, &s), RF_ENOENT);
	assert_non_null(s);
	assert_non_null(strstr(store_errmsg(s), "state.db"));
	/* a failed handle refuses work but answers for its message */
	assert_int_equal(store_begin(s), RF_EINVAL);
	store_close(s);
	assert_int_equal(access(f->path, F_OK), -1);

	if (store_open(f->dir, STORE_CREATE, &s) != RF_EISDIR)
		fail_msg("%s", store_errmsg(s));
	store_close(s);

	assert_int_equal(store_open_backend("postgresql", f->path,
					    STORE_CREATE, &s),
			 RF_EUNSUPPORTED);
	assert_non_null(strstr(store_errmsg(s), "postgresql"));
	store_close(s);
	store_close(NULL);

	assert_int_equal(store_open(f->path, STORE_CREATE | STORE_READONLY,
				    &s),
			 RF_EINVAL);
	store_close(s);

	/* an SQLite database of something else */
	snprintf(p, sizeof(p), "%s/other.db", f->dir);
	raw_exec(p, "CREATE TABLE t (x)");
	assert_int_equal(store_open(p, 0, &s), RF_EDB);
	assert_non_null(strstr(store_errmsg(s), "not a redflag database"));
	store_close(s);

	/* not a database at all */
	snprintf(p, sizeof(p), "%s/text.db", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (int i = 0; i < 100; i++)
		fputs("this is not a database, only text\n", fp);
	fclose(fp);
	assert_int_equal(store_open(p, 0, &s), RF_EDB);
	assert_true(strlen(store_errmsg(s)) > 0);
	store_close(s);
}

static void
test_future_version_refused(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	char sql[128];

	store_close(s);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO schema_version VALUES (%d, 0)",
		 STORE_SCHEMA_VERSION + 1);
	raw_exec(f->path, sql);
	assert_int_equal(store_open(f->path, 0, &s), RF_EDB);
	assert_non_null(strstr(store_errmsg(s), "newer"));
	store_close(s);
	/* refusing changed nothing */
	assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION + 1);
}

/* The built-in steps and one more, as the next release would have. */
static const char **
steps_plus(const char *extra)
{
	const char **steps = xcalloc(STORE_SCHEMA_VERSION + 1,
				     sizeof(*steps));

	for (int i = 0; i < STORE_SCHEMA_VERSION; i++)
		steps[i] = store_sqlite_migrations[i];
	steps[STORE_SCHEMA_VERSION] = extra;
	return steps;
}

static void
test_old_version_migrated(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	const char **steps;
	int64_t run;

	/* a database of today's schema, with data */
	run = run_begin(s, "job", 1000, "h");
	see(s, run, "https://a.example/1", "a.example", 1, 5,
	    STORE_LEVEL_LOW, 1000);
	store_close(s);

	/* a failing step leaves the database as it was */
	steps = steps_plus("CREATE TABLE half (x); CREATE TABLE broken (");
	assert_int_equal(store_sqlite_open_with(f->path, 0, steps,
						STORE_SCHEMA_VERSION + 1, &s),
			 RF_EDB);
	assert_non_null(strstr(store_errmsg(s), "migrate"));
	store_close(s);
	free(steps);
	assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM sqlite_master"
					  " WHERE name = 'half'"),
			 0);

	/* a newer build migrates it, keeping the data */
	steps = steps_plus("ALTER TABLE listings ADD COLUMN note TEXT;"
			   "CREATE TABLE extra (x INTEGER);");
	assert_int_equal(store_sqlite_open_with(f->path, 0, steps,
						STORE_SCHEMA_VERSION + 1, &s),
			 RF_OK);
	store_close(s);
	free(steps);
	assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION + 1);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM sqlite_master"
					  " WHERE name = 'extra'"),
			 1);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings "
					  "WHERE note IS NULL"),
			 1);
	/* and this build refuses the migrated one */
	assert_int_equal(store_open(f->path, 0, &s), RF_EDB);
	store_close(s);
}

static void
test_empty_file_migrated(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	FILE *fp = fopen(f->path, "w");

	/* an empty file (touch) is a database of version 0 */
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(store_open(f->path, 0, &s), RF_OK);
	store_close(s);
	assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM "
					  "schema_version"),
			 STORE_SCHEMA_VERSION);
}

static void
test_readonly(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct store_run r;
	int64_t run;

	run = run_begin(s, "job", 1000, "h");
	store_close(s);
	assert_int_equal(store_open(f->path, STORE_READONLY, &s), RF_OK);
	store_run_init(&r);
	assert_int_equal(store_run_get(s, run, &r), RF_OK);
	assert_string_equal(r.job, "job");
	store_run_release(&r);
	assert_int_equal(store_run_begin(s,
					 &(struct store_run_start){
						 .job = "x", .started_at = 1 },
					 &run),
			 RF_EDB);
	store_close(s);
}

static void
assert_mode_0600(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void
test_file_mode(void **state)
{
	static const mode_t masks[] = { 0, 022, 0277 };
	struct fixture *f = *state;
	char p[256], wal[300];
	mode_t old = umask(0);

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		struct store *s;

		snprintf(p, sizeof(p), "%s/mode%zu.db", f->dir, i);
		snprintf(wal, sizeof(wal), "%s-wal", p);
		umask(masks[i]);
		s = open_ok(p);
		(void)run_begin(s, "job", 1000, NULL);
		umask(old);
		assert_mode_0600(p);
		/* SQLite gives the log the database's mode */
		assert_mode_0600(wal);
		store_close(s);
		assert_mode_0600(p);
	}
	umask(old);
}

/* ---- runs and listings ---- */

static size_t
count_sel(struct store *s, int64_t run, unsigned which,
	  enum store_level min, const char *expect_url)
{
	struct store_listing_list l;
	size_t n;

	store_listing_list_init(&l);
	assert_int_equal(store_listings(s, run, which, min, &l), RF_OK);
	n = l.n;
	if (expect_url) {
		assert_int_equal(l.n, 1);
		assert_string_equal(l.items[0].url, expect_url);
	}
	store_listing_list_release(&l);
	return n;
}

static void
test_two_runs(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	const char *sites[] = { "a.example" };
	struct store_listing_list l;
	struct store_run r;
	struct store_upsert u;
	int64_t r1, r2, r3, page;
	size_t n;

	/* run 1: A, B, C on a.example, D on b.example */
	r1 = run_begin(s, "nightly", 1000, "h1");
	assert_int_equal(store_page_add(s, r1,
					&(struct store_page){
						.url = "https://a.example/A",
						.site = "a.example",
						.fetched_at = 1000,
						.http_status = 200 },
					&page),
			 RF_OK);
	assert_true(page > 0);
	u = see(s, r1, "https://a.example/A", "a.example", 1, 2,
		STORE_LEVEL_LOW, 1000);
	assert_int_equal(u.change, STORE_NEW);
	assert_int_equal(see(s, r1, "https://a.example/B", "a.example", 2, 9,
			     STORE_LEVEL_HIGH, 1000)
				 .change,
			 STORE_NEW);
	assert_int_equal(see(s, r1, "https://a.example/C", "a.example", 3, 5,
			     STORE_LEVEL_MEDIUM, 1000)
				 .change,
			 STORE_NEW);
	assert_int_equal(see(s, r1, "https://b.example/D", "b.example", 4, 0,
			     STORE_LEVEL_NONE, 1000)
				 .change,
			 STORE_NEW);
	assert_int_equal(store_mark_removed(s, r1, sites, 1, &n), RF_OK);
	assert_int_equal(n, 0);
	run_finish(s, r1);

	/* run 2: A unchanged, B changed, C gone, D not crawled, E new */
	r2 = run_begin(s, "nightly", 2000, "h1");
	assert_int_equal(see(s, r2, "https://a.example/A", "a.example", 1, 2,
			     STORE_LEVEL_LOW, 2000)
				 .change,
			 STORE_UNCHANGED);
	assert_int_equal(see(s, r2, "https://a.example/B", "a.example", 20,
			     12, STORE_LEVEL_HIGH, 2000)
				 .change,
			 STORE_CHANGED);
	assert_int_equal(see(s, r2, "https://a.example/E", "a.example", 5, 6,
			     STORE_LEVEL_MEDIUM, 2000)
				 .change,
			 STORE_NEW);
	/* a second sighting in the same run keeps the first verdict */
	assert_int_equal(see(s, r2, "https://a.example/E", "a.example", 5, 6,
			     STORE_LEVEL_MEDIUM, 2000)
				 .change,
			 STORE_NEW);
	assert_int_equal(store_mark_removed(s, r2, sites, 1, &n), RF_OK);
	assert_int_equal(n, 1);
	run_finish(s, r2);

	store_run_init(&r);
	assert_int_equal(store_run_get(s, r2, &r), RF_OK);
	assert_int_equal(r.status, STORE_RUN_FINISHED);
	assert_string_equal(r.job, "nightly");
	assert_string_equal(r.stop_reason, "frontier empty");
	assert_string_equal(r.rules_hash, "h1");
	assert_int_equal(r.counts.listings_new, 1);
	assert_int_equal(r.counts.listings_changed, 1);
	assert_int_equal(r.counts.listings_unchanged, 1);
	assert_int_equal(r.counts.listings_removed, 1);
	/* E (medium, new) and B (high, changed) */
	assert_int_equal(r.counts.alerts, 2);
	assert_int_equal(r.counts.pages_fetched, 0);
	assert_int_equal(store_run_get(s, r1, &r), RF_OK);
	assert_int_equal(r.counts.listings_new, 4);
	assert_int_equal(r.counts.pages_fetched, 1);
	assert_int_equal(r.counts.alerts, 2);	/* B high, C medium */

	/* exactly those flags */
	count_sel(s, r2, STORE_SEL_NEW, STORE_LEVEL_NONE,
		  "https://a.example/E");
	count_sel(s, r2, STORE_SEL_CHANGED, STORE_LEVEL_NONE,
		  "https://a.example/B");
	count_sel(s, r2, STORE_SEL_UNCHANGED, STORE_LEVEL_NONE,
		  "https://a.example/A");
	count_sel(s, r2, STORE_SEL_REMOVED, STORE_LEVEL_NONE,
		  "https://a.example/C");
	assert_int_equal(count_sel(s, r2, STORE_SEL_ALL, STORE_LEVEL_NONE,
				   NULL),
			 4);
	count_sel(s, r2, STORE_SEL_ALL, STORE_LEVEL_HIGH,
		  "https://a.example/B");
	assert_int_equal(count_sel(s, r2, STORE_SEL_SEEN, STORE_LEVEL_MEDIUM,
				   NULL),
			 2);
	assert_int_equal(count_sel(s, r2, 0, STORE_LEVEL_NONE, NULL), 0);

	/* the result is about the version the run saw, highest score first */
	store_listing_list_init(&l);
	assert_int_equal(store_listings(s, r1, STORE_SEL_ALL,
					STORE_LEVEL_NONE, &l),
			 RF_OK);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0].url, "https://a.example/B");
	assert_int_equal(l.items[0].score, 9);
	assert_string_equal(l.items[0].title, "title 2");
	assert_int_equal(l.items[0].change, STORE_NEW);
	assert_int_equal(l.items[0].first_run, r1);
	assert_int_equal(l.items[0].last_run, r2);
	store_listing_list_release(&l);

	/* previous finished runs */
	assert_int_equal(store_run_previous(s, "nightly", r2, &r), RF_OK);
	assert_int_equal(r.id, r1);
	assert_int_equal(store_run_previous(s, "nightly", 0, &r), RF_OK);
	assert_int_equal(r.id, r2);
	assert_int_equal(store_run_previous(s, "nightly", r1, &r), RF_ENOENT);
	assert_int_equal(store_run_previous(s, "other", 0, &r), RF_ENOENT);
	r3 = run_begin(s, "nightly", 3000, "h1");
	/* a running run is not a finished one */
	assert_int_equal(store_run_previous(s, "nightly", 0, &r), RF_OK);
	assert_int_equal(r.id, r2);
	store_run_release(&r);

	/* run 3: C is back with its old payload; D was never removed */
	assert_int_equal(see(s, r3, "https://a.example/C", "a.example", 3, 5,
			     STORE_LEVEL_MEDIUM, 3000)
				 .change,
			 STORE_UNCHANGED);
	assert_int_equal(count_sel(s, r3, STORE_SEL_REMOVED, STORE_LEVEL_NONE,
				   NULL),
			 0);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings "
					  "WHERE removed_run IS NOT NULL"),
			 0);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 5);
	/* the view for analysts with the sqlite3 shell */
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "listings_current WHERE title LIKE "
					  "'title %'"),
			 5);
	store_close(s);
}

static void
test_history(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct store_version_list v;
	struct store_finding_list fl;
	struct store_upsert u1, u2, u3;
	int64_t r1, r2, r3;

	r1 = run_begin(s, "job", 1000, "h1");
	u1 = see(s, r1, "https://a.example/B", "a.example", 2, 4,
		 STORE_LEVEL_LOW, 1000);
	run_finish(s, r1);
	r2 = run_begin(s, "job", 2000, "h1");
	u2 = see(s, r2, "https://a.example/B", "a.example", 20, 12,
		 STORE_LEVEL_HIGH, 2000);
	run_finish(s, r2);
	r3 = run_begin(s, "job", 3000, "h1");
	/* back to the first payload: changed, and the old version again */
	u3 = see(s, r3, "https://a.example/B", "a.example", 2, 4,
		 STORE_LEVEL_LOW, 3000);
	run_finish(s, r3);
	assert_int_equal(u1.listing_id, u2.listing_id);
	assert_int_equal(u2.change, STORE_CHANGED);
	assert_int_equal(u3.change, STORE_CHANGED);
	assert_int_not_equal(u1.version_id, u2.version_id);
	assert_int_equal(u1.version_id, u3.version_id);

	store_version_list_init(&v);
	assert_int_equal(store_history(s, u1.listing_id, &v), RF_OK);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.items[0].id, u1.version_id);
	assert_int_equal(v.items[0].first_run, r1);
	assert_int_equal(v.items[0].last_run, r3);
	assert_int_equal(v.items[0].score, 4);
	assert_int_equal(v.items[0].level, STORE_LEVEL_LOW);
	assert_string_equal(v.items[0].title, "title 2");
	assert_string_equal(v.items[0].text, "body text");
	assert_int_equal(v.items[1].first_run, r2);
	assert_int_equal(v.items[1].score, 12);
	assert_int_equal(v.items[1].level, STORE_LEVEL_HIGH);
	assert_string_equal(v.items[1].title, "title 20");
	store_version_list_release(&v);

	/* per-run scores are kept too */
	assert_int_equal(raw_int(f->path, "SELECT group_concat(score, ',') = "
					  "'4,12,4' FROM (SELECT score FROM "
					  "scores ORDER BY run_id)"),
			 1);

	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u2.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	assert_int_equal(fl.items[0].run_id, r2);
	assert_string_equal(fl.items[0].rule_id, "ru.travel.paid");
	assert_string_equal(fl.items[0].rule_version, "r1");
	assert_string_equal(fl.items[0].indicator, "J03");
	assert_string_equal(fl.items[0].field, "body");
	assert_string_equal(fl.items[0].text, "визу");
	assert_int_equal(fl.items[0].weight, 3);
	assert_int_equal(fl.items[0].start, 0);
	assert_int_equal(fl.items[0].end, 5);
	store_finding_list_release(&fl);
	store_close(s);
}

/* Findings are stored again only when the rules changed. */
static void
test_findings_rescore(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	char sha[65];
	struct store_finding f1[] = {
		{ .rule_id = "r.old", .weight = 1, .start = 0, .end = 1 },
	};
	struct store_finding f2[] = {
		{ .rule_id = "r.new", .weight = 2, .start = 1, .end = 2 },
		{ .rule_id = "r.new2", .weight = 3, .start = 2, .end = 4 },
	};
	struct store_sighting in = {
		.url = "https://a.example/x", .site = "a.example",
		.payload_sha256 = sha, .score = 1, .level = STORE_LEVEL_LOW,
		.findings = f1, .nfindings = 1,
	};
	struct store_finding_list fl;
	struct store_upsert u;
	int64_t r1, r2, r3, r4;

	sha_of(sha, 7);
	r1 = run_begin(s, "job", 1000, "h1");
	assert_int_equal(store_listing_upsert(s, r1, &in, &u), RF_OK);
	/* seen twice in one run: the later findings replace */
	in.findings = f2;
	in.nfindings = 2;
	assert_int_equal(store_listing_upsert(s, r1, &in, &u), RF_OK);
	in.findings = f1;
	in.nfindings = 1;
	assert_int_equal(store_listing_upsert(s, r1, &in, &u), RF_OK);
	r2 = run_begin(s, "job", 2000, "h1");
	in.findings = f2;
	in.nfindings = 2;
	/* same payload, same rules: the findings of run 1 stay */
	assert_int_equal(store_listing_upsert(s, r2, &in, &u), RF_OK);
	assert_int_equal(u.change, STORE_UNCHANGED);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.items[0].rule_id, "r.old");
	assert_int_equal(fl.items[0].run_id, r1);
	assert_null(fl.items[0].text);
	store_finding_list_release(&fl);

	/* a rescore with other rules stores its findings */
	r3 = run_begin(s, "rescore", 3000, "h2");
	in.score = 5;
	in.level = STORE_LEVEL_MEDIUM;
	assert_int_equal(store_listing_upsert(s, r3, &in, &u), RF_OK);
	assert_int_equal(u.change, STORE_UNCHANGED);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 2);
	assert_string_equal(fl.items[0].rule_id, "r.new");
	assert_string_equal(fl.items[1].rule_id, "r.new2");
	assert_int_equal(fl.items[1].run_id, r3);
	store_finding_list_release(&fl);
	/* those in effect at run 2 are run 1's */
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, r2, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.items[0].rule_id, "r.old");
	store_finding_list_release(&fl);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM findings"), 3);

	/* rules that no longer fire: an empty set is in effect, not the
	 * last set that had findings */
	r4 = run_begin(s, "rescore", 4000, "h3");
	in.findings = NULL;
	in.nfindings = 0;
	in.score = 0;
	in.level = STORE_LEVEL_NONE;
	assert_int_equal(store_listing_upsert(s, r4, &in, &u), RF_OK);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 0);
	assert_int_equal(store_findings(s, u.version_id, r3, &fl), RF_OK);
	assert_int_equal(fl.n, 2);
	store_finding_list_release(&fl);
	store_close(s);
}

/* Migration 2 records the finding sets of a version-1 database. */
static void
test_migration_finding_sets(void **state)
{
	struct fixture *f = *state;
	struct store_finding_list fl;
	struct store *s = NULL;

	assert_int_equal(store_sqlite_open_with(f->path, STORE_CREATE,
						store_sqlite_migrations, 1,
						&s),
			 RF_OK);
	store_close(s);
	raw_exec(f->path,
		 "INSERT INTO runs (id, job, started_at) VALUES (1, 'j', 1),"
		 " (2, 'j', 2);"
		 "INSERT INTO listings (id, url, site, first_run,"
		 " first_seen_at, last_run, last_seen_at, score, level)"
		 " VALUES (1, 'https://a.example/1', 'a.example', 1, 1, 2, 2,"
		 " 0, 0);"
		 "INSERT INTO listing_versions (id, listing_id, payload_sha256,"
		 " first_run, first_seen_at, last_run, last_seen_at, score,"
		 " level, findings_run) VALUES (1, 1, 'x', 1, 1, 2, 2, 0, 0,"
		 " 2);"
		 "INSERT INTO findings (version_id, run_id, rule_id, weight,"
		 " start_offset, end_offset) VALUES (1, 1, 'r.a', 2, 0, 1);");
	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM finding_sets"),
			 2);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, 1, 1, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	/* run 2 stored an empty set */
	assert_int_equal(store_findings(s, 1, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	store_finding_list_release(&fl);
	store_close(s);
	assert_consistent(f->path);
}

/* A verdict decided after the listings were stored (J18). */
static void
test_verdict_set(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct store_finding j18[] = {
		{ .rule_id = "r.old", .weight = 1, .start = 0, .end = 1 },
		{ .rule_id = "structure.shared_contact", .indicator = "J18",
		  .weight = 2, .field = "contacts", .text = "+77010000001" },
	};
	struct store_finding_list fl;
	struct store_listing_list ll;
	struct store_version_list vl;
	struct store_upsert u1, u2;
	int64_t r1, r2;

	r1 = run_begin(s, "job", 1000, "h1");
	u1 = see(s, r1, "https://a.example/1", "a.example", 1, 3,
		 STORE_LEVEL_LOW, 1000);
	run_finish(s, r1);
	r2 = run_begin(s, "job", 2000, "h1");
	u2 = see(s, r2, "https://a.example/1", "a.example", 1, 3,
		 STORE_LEVEL_LOW, 2000);
	assert_int_equal(u2.change, STORE_UNCHANGED);
	assert_int_equal(u2.version_id, u1.version_id);

	/* a version the run did not see */
	assert_int_equal(store_verdict_set(s, r2, u2.version_id + 100, j18, 2,
					   5, STORE_LEVEL_MEDIUM),
			 RF_ENOENT);
	assert_int_equal(store_verdict_set(s, r2, u2.version_id, j18, 2, 5,
					   STORE_LEVEL_MEDIUM),
			 RF_OK);
	/* again: the run's findings are replaced, not added to */
	assert_int_equal(store_verdict_set(s, r2, u2.version_id, j18, 2, 5,
					   STORE_LEVEL_MEDIUM),
			 RF_OK);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u2.version_id, r2, &fl), RF_OK);
	assert_int_equal(fl.n, 2);
	assert_string_equal(fl.items[1].indicator, "J18");
	assert_int_equal(fl.items[1].run_id, r2);
	store_finding_list_release(&fl);
	/* run 1's findings and verdict are history and stay */
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u1.version_id, r1, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.items[0].rule_id, "ru.travel.paid");
	store_finding_list_release(&fl);
	store_listing_list_init(&ll);
	assert_int_equal(store_listings(s, r1, STORE_SEL_ALL, STORE_LEVEL_NONE,
					&ll),
			 RF_OK);
	assert_int_equal(ll.n, 1);
	assert_int_equal(ll.items[0].score, 3);
	store_listing_list_release(&ll);
	/* run 2's verdict and the listing's current one changed */
	store_listing_list_init(&ll);
	assert_int_equal(store_listings(s, r2, STORE_SEL_ALL,
					STORE_LEVEL_MEDIUM, &ll),
			 RF_OK);
	assert_int_equal(ll.n, 1);
	assert_int_equal(ll.items[0].score, 5);
	assert_int_equal(ll.items[0].level, STORE_LEVEL_MEDIUM);
	store_listing_list_release(&ll);
	assert_int_equal(raw_int(f->path, "SELECT score FROM listings"), 5);
	/* the version keeps the verdict of the run that first saw it */
	store_version_list_init(&vl);
	assert_int_equal(store_history(s, u2.listing_id, &vl), RF_OK);
	assert_int_equal(vl.n, 1);
	assert_int_equal(vl.items[0].score, 3);
	assert_int_equal(vl.items[0].findings_run, r2);
	store_version_list_release(&vl);
	/* the verdict alone: the findings stay */
	assert_int_equal(store_verdict_set(s, r2, u2.version_id, NULL, 0, 4,
					   STORE_LEVEL_LOW),
			 RF_OK);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u2.version_id, r2, &fl), RF_OK);
	assert_int_equal(fl.n, 2);
	store_finding_list_release(&fl);
	assert_int_equal(raw_int(f->path, "SELECT score FROM listings"), 4);
	/* bad arguments */
	assert_int_equal(store_verdict_set(s, r2, u2.version_id, j18, 2, -1,
					   STORE_LEVEL_MEDIUM),
			 RF_EINVAL);
	assert_int_equal(store_verdict_set(s, r2, u2.version_id, NULL, 2, 1,
					   STORE_LEVEL_LOW),
			 RF_EINVAL);
	store_close(s);
	assert_consistent(f->path);
}

/* ---- contacts ---- */

static void
see_with_contacts(struct store *s, int64_t run, const char *url,
		  unsigned seed, const struct store_contact *c, size_t n)
{
	char sha[65];
	struct store_sighting in = {
		.url = url, .site = "a.example", .payload_sha256 = sha,
		.score = 3, .level = STORE_LEVEL_LOW, .contacts = c,
		.ncontacts = n,
	};
	struct store_upsert u;

	sha_of(sha, seed);
	assert_int_equal(store_listing_upsert(s, run, &in, &u), RF_OK);
}

static void
test_clusters(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	const struct store_contact phone = { STORE_CONTACT_PHONE,
					     "+77011234567" };
	const struct store_contact handle = { STORE_CONTACT_HANDLE,
					      "@recruiter" };
	const struct store_contact lone = { STORE_CONTACT_PHONE,
					    "+996555000111" };
	const struct store_contact both[] = { phone, handle, phone };
	struct store_cluster_list cl;
	int64_t r1, r2;

	r1 = run_begin(s, "job", 1000, NULL);
	see_with_contacts(s, r1, "https://a.example/1", 1, &phone, 1);
	see_with_contacts(s, r1, "https://a.example/2", 2, both, 3);
	see_with_contacts(s, r1, "https://a.example/3", 3, &phone, 1);
	see_with_contacts(s, r1, "https://a.example/5", 5, &lone, 1);
	r2 = run_begin(s, "job", 2000, NULL);
	see_with_contacts(s, r2, "https://a.example/4", 4, &handle, 1);

	store_cluster_list_init(&cl);
	assert_int_equal(store_clusters(s, 0, 2, &cl), RF_OK);
	assert_int_equal(cl.n, 2);
	assert_int_equal(cl.items[0].type, STORE_CONTACT_PHONE);
	assert_string_equal(cl.items[0].value, "+77011234567");
	assert_int_equal(cl.items[0].nlistings, 3);
	assert_string_equal(cl.items[0].listings[0].url,
			    "https://a.example/1");
	assert_string_equal(cl.items[0].listings[1].url,
			    "https://a.example/2");
	assert_string_equal(cl.items[0].listings[2].url,
			    "https://a.example/3");
	assert_int_equal(cl.items[1].type, STORE_CONTACT_HANDLE);
	assert_string_equal(cl.items[1].value, "@recruiter");
	assert_int_equal(cl.items[1].nlistings, 2);
	assert_string_equal(cl.items[1].listings[1].url,
			    "https://a.example/4");
	store_cluster_list_release(&cl);

	/* clusters touching run 2 only */
	store_cluster_list_init(&cl);
	assert_int_equal(store_clusters(s, r2, 2, &cl), RF_OK);
	assert_int_equal(cl.n, 1);
	assert_string_equal(cl.items[0].value, "@recruiter");
	store_cluster_list_release(&cl);

	/* with 1, every contact is its own cluster */
	store_cluster_list_init(&cl);
	assert_int_equal(store_clusters(s, 0, 1, &cl), RF_OK);
	assert_int_equal(cl.n, 3);
	assert_int_equal(cl.items[2].nlistings, 1);
	assert_string_equal(cl.items[2].value, "+996555000111");
	store_cluster_list_release(&cl);
	store_close(s);
}

/* ---- site statistics ---- */

static void
test_site_stats(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct store_site_stats_list l;
	int64_t runs[3];

	for (int i = 0; i < 3; i++) {
		struct store_site_counts a = { 10 + i, 1, 2, 5 + i };
		struct store_site_counts b = { 100, 0, i, 50 };

		runs[i] = run_begin(s, "job", 1000 * (i + 1), NULL);
		assert_int_equal(store_site_stats_add(s, runs[i], "b.example",
						      &b),
				 RF_OK);
		assert_int_equal(store_site_stats_add(s, runs[i], "a.example",
						      &a),
				 RF_OK);
		/* counts add up */
		assert_int_equal(store_site_stats_add(s, runs[i], "a.example",
						      &a),
				 RF_OK);
	}
	(void)run_begin(s, "other-job", 5000, NULL);

	store_site_stats_list_init(&l);
	assert_int_equal(store_site_stats(s, "job", 2, &l), RF_OK);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0].site, "a.example");
	assert_int_equal(l.items[0].run_id, runs[1]);
	assert_int_equal(l.items[0].run_started_at, 2000);
	assert_int_equal(l.items[0].counts.pages_fetched, 22);
	assert_int_equal(l.items[0].counts.pages_blocked, 2);
	assert_int_equal(l.items[0].counts.errors, 4);
	assert_int_equal(l.items[0].counts.listings_extracted, 12);
	assert_string_equal(l.items[1].site, "a.example");
	assert_int_equal(l.items[1].run_id, runs[2]);
	assert_int_equal(l.items[1].counts.pages_fetched, 24);
	assert_string_equal(l.items[3].site, "b.example");
	assert_int_equal(l.items[3].counts.errors, 2);
	store_site_stats_list_release(&l);

	store_site_stats_list_init(&l);
	assert_int_equal(store_site_stats(s, "job", 100, &l), RF_OK);
	assert_int_equal(l.n, 6);
	store_site_stats_list_release(&l);
	store_site_stats_list_init(&l);
	assert_int_equal(store_site_stats(s, "other-job", 100, &l), RF_OK);
	assert_int_equal(l.n, 0);
	store_site_stats_list_release(&l);
	store_close(s);
}

/* ---- retention ---- */

static void
test_purge(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	int64_t now = (int64_t)time(NULL), old_at = now - 100 * DAY;
	const struct store_contact shared = { STORE_CONTACT_PHONE,
					      "+77010000000" };
	const struct store_contact own = { STORE_CONTACT_EMAIL,
					   "victim@example.org" };
	const struct store_contact old_contacts[] = { shared, own };
	struct store_site_counts c = { 7, 1, 1, 2 };
	struct store_run before, after;
	struct store_version_list v;
	struct store_finding_list fl;
	struct store_site_stats_list sl;
	struct store_cluster_list cl;
	struct store_upsert u_old, u;
	char sha[65];
	struct store_sighting in = {
		.url = "https://a.example/old", .site = "a.example",
		.seen_at = old_at, .payload_sha256 = sha,
		.title = "Nanny wanted", .text = "call +77010000000",
		.score = 8, .level = STORE_LEVEL_HIGH,
		.findings = &(struct store_finding){ .rule_id = "r",
						    .text = "call" },
		.nfindings = 1, .contacts = old_contacts, .ncontacts = 2,
	};
	int64_t r1, r2;
	size_t n;

	sha_of(sha, 1);
	r1 = run_begin(s, "job", old_at, "h");
	assert_int_equal(store_listing_upsert(s, r1, &in, &u_old), RF_OK);
	assert_int_equal(store_site_stats_add(s, r1, "a.example", &c), RF_OK);
	run_finish(s, r1);
	r2 = run_begin(s, "job", now, "h");
	see_with_contacts(s, r2, "https://a.example/fresh", 2, &shared, 1);
	run_finish(s, r2);

	store_run_init(&before);
	assert_int_equal(store_run_get(s, r1, &before), RF_OK);
	if (store_purge(s, 30, &n) != RF_OK)
		fail_msg("%s", store_errmsg(s));
	assert_int_equal(n, 1);
	/* once is enough */
	assert_int_equal(store_purge(s, 30, &n), RF_OK);
	assert_int_equal(n, 0);

	/* aggregates stay */
	store_run_init(&after);
	assert_int_equal(store_run_get(s, r1, &after), RF_OK);
	assert_memory_equal(&before.counts, &after.counts,
			    sizeof(before.counts));
	assert_int_equal(after.counts.listings_new, 1);
	assert_int_equal(after.counts.alerts, 1);
	store_run_release(&before);
	store_run_release(&after);
	store_site_stats_list_init(&sl);
	assert_int_equal(store_site_stats(s, "job", 10, &sl), RF_OK);
	assert_int_equal(sl.n, 1);
	assert_int_equal(sl.items[0].counts.pages_fetched, 7);
	store_site_stats_list_release(&sl);
	assert_int_equal(count_sel(s, r1, STORE_SEL_NEW, STORE_LEVEL_HIGH,
				   "https://a.example/old"),
			 1);

	/* text, findings and contacts go */
	store_version_list_init(&v);
	assert_int_equal(store_history(s, u_old.listing_id, &v), RF_OK);
	assert_int_equal(v.n, 1);
	assert_null(v.items[0].title);
	assert_null(v.items[0].text);
	assert_int_equal(v.items[0].score, 8);
	assert_string_equal(v.items[0].payload_sha256, sha);
	store_version_list_release(&v);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u_old.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 0);
	store_finding_list_release(&fl);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM contacts "
					  "WHERE value = 'victim@example.org'"),
			 0);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM contacts "
					  "WHERE value = '+77010000000'"),
			 1);
	assert_int_equal(raw_int(f->path, "SELECT purged_at > 0 FROM listings"
					  " WHERE url = "
					  "'https://a.example/old'"),
			 1);
	store_cluster_list_init(&cl);
	assert_int_equal(store_clusters(s, 0, 2, &cl), RF_OK);
	assert_int_equal(cl.n, 0);
	store_cluster_list_release(&cl);
	assert_consistent(f->path);

	/* seen again, it is whole again, and not new */
	in.seen_at = now;
	assert_int_equal(store_listing_upsert(s, r2, &in, &u), RF_OK);
	assert_int_equal(u.change, STORE_UNCHANGED);
	store_version_list_init(&v);
	assert_int_equal(store_history(s, u.listing_id, &v), RF_OK);
	assert_string_equal(v.items[0].title, "Nanny wanted");
	store_version_list_release(&v);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, 1);
	store_finding_list_release(&fl);
	assert_int_equal(raw_int(f->path, "SELECT purged_at IS NULL FROM "
					  "listings WHERE url = "
					  "'https://a.example/old'"),
			 1);
	assert_int_equal(store_purge(s, -1, &n), RF_EINVAL);
	store_close(s);
}

/* ---- batches and crashes ---- */

static void
test_batches(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	char sha[65];
	struct store_sighting in = {
		.url = "https://a.example/x", .site = "a.example",
		.payload_sha256 = sha,
	};
	int64_t run = run_begin(s, "job", 1000, NULL);

	sha_of(sha, 1);
	assert_int_equal(store_commit(s), RF_EINVAL);
	assert_int_equal(store_rollback(s), RF_EINVAL);
	assert_int_equal(store_begin(s), RF_OK);
	assert_int_equal(store_begin(s), RF_EINVAL);
	(void)see(s, run, "https://a.example/1", "a.example", 1, 0,
		  STORE_LEVEL_NONE, 0);
	assert_int_equal(store_rollback(s), RF_OK);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 0);

	assert_int_equal(store_begin(s), RF_OK);
	(void)see(s, run, "https://a.example/1", "a.example", 1, 0,
		  STORE_LEVEL_NONE, 0);
	/* a failed write in a batch undoes itself, not the batch */
	assert_int_equal(store_listing_upsert(s, run + 100, &in, NULL),
			 RF_ENOENT);
	assert_non_null(strstr(store_errmsg(s), "no run"));
	in.page_id = 999;	/* no such page: a foreign key fails */
	assert_int_equal(store_listing_upsert(s, run, &in, NULL), RF_EDB);
	assert_non_null(strstr(store_errmsg(s), "FOREIGN KEY"));
	(void)see(s, run, "https://a.example/2", "a.example", 2, 0,
		  STORE_LEVEL_NONE, 0);
	/* uncommitted work is invisible to others */
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 0);
	assert_int_equal(store_commit(s), RF_OK);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 2);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "listing_versions"),
			 2);
	/* closing with a batch open drops it */
	assert_int_equal(store_begin(s), RF_OK);
	(void)see(s, run, "https://a.example/3", "a.example", 3, 0,
		  STORE_LEVEL_NONE, 0);
	store_close(s);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 2);
	assert_consistent(f->path);
}

/*
 * The child: one committed batch of 10 listings, then a batch it never
 * commits; it says when that batch is well under way and writes on until
 * it is killed. It never returns into cmocka.
 */
static void
crash_child(const char *path, int ready_fd)
{
	struct store *s = NULL;
	struct store_run_start rs = { .job = "job" };
	char url[64], sha[65];
	struct store_finding fnd = { .rule_id = "r", .text = "t" };
	struct store_contact ct = { STORE_CONTACT_PHONE, "+77010000001" };
	struct store_sighting in = {
		.url = url, .site = "a.example", .payload_sha256 = sha,
		.title = "t", .findings = &fnd, .nfindings = 1,
		.contacts = &ct, .ncontacts = 1,
	};
	int64_t run;
	unsigned i;

	if (store_open(path, STORE_CREATE, &s) != RF_OK ||
	    store_run_begin(s, &rs, &run) != RF_OK || store_begin(s) != RF_OK)
		_exit(2);
	for (i = 0;; i++) {
		snprintf(url, sizeof(url), "https://a.example/%u", i);
		sha_of(sha, i);
		if (store_listing_upsert(s, run, &in, NULL) != RF_OK)
			_exit(3);
		if (i == 9 && (store_commit(s) != RF_OK ||
			       store_begin(s) != RF_OK))
			_exit(4);
		if (i == 500 && write(ready_fd, "x", 1) != 1)
			_exit(5);
	}
}

static void
test_kill_mid_transaction(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	struct store_run r;
	int fds[2], status;
	size_t n;
	char c;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		crash_child(f->path, fds[1]);
		_exit(5);
	}
	close(fds[1]);
	/* killed in the middle of its second batch */
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	/* the log holds the first batch; reopening recovers it whole */
	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"),
			 10);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM scores"), 10);
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM findings"),
			 10);
	assert_consistent(f->path);
	/* the dead process's run is marked, and work goes on; its alerts
	 * are counted at the level given (the listings are at none) */
	assert_int_equal(store_runs_interrupt(s, "job", STORE_LEVEL_NONE, &n),
			 RF_OK);
	assert_int_equal(n, 1);
	store_run_init(&r);
	assert_int_equal(store_run_get(s, 1, &r), RF_OK);
	assert_int_equal(r.status, STORE_RUN_INTERRUPTED);
	assert_int_equal(r.counts.listings_new, 10);
	assert_int_equal(r.counts.alerts, 10);
	assert_non_null(r.stop_reason);
	store_run_release(&r);
	assert_int_equal(store_runs_interrupt(s, "job", STORE_LEVEL_MEDIUM,
					      &n),
			 RF_OK);
	assert_int_equal(n, 0);
	(void)see(s, 1, "https://a.example/after", "a.example", 999, 0,
		  STORE_LEVEL_NONE, 0);
	store_close(s);
	assert_consistent(f->path);
}

/* ---- pages ---- */

struct page_walk {
	struct store *s;
	size_t n;
	int64_t last_id;
	size_t stop_at;
	bool ordered;
};

static enum rf_err
walk_page(void *arg, const struct store_page *p)
{
	struct page_walk *w = arg;
	char url[64];

	if (p->id <= w->last_id)
		w->ordered = false;
	w->last_id = p->id;
	snprintf(url, sizeof(url), "https://a.example/%zu", w->n);
	if (strcmp(p->url, url) != 0 || !p->warc_file ||
	    strcmp(p->warc_file, "crawl-00001.warc.gz") != 0 ||
	    p->warc_offset != (int64_t)w->n * 1000 || p->http_status != 200)
		w->ordered = false;
	/* a rescore writes while it walks */
	if (w->n % 100 == 0)
		(void)see(w->s, p->run_id, p->url, "a.example", 1, 0,
			  STORE_LEVEL_NONE, 0);
	w->n++;
	return w->n == w->stop_at ? RF_ETIMEOUT : RF_OK;
}

static void
test_pages(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct page_walk w = { 0 };
	char url[64], sha[65], rid[64];
	int64_t run = run_begin(s, "job", 1000, NULL), other, id;

	other = run_begin(s, "job", 1000, NULL);
	assert_int_equal(store_begin(s), RF_OK);
	for (size_t i = 0; i < 600; i++) {
		struct store_page p = {
			.url = url, .site = "a.example", .http_status = 200,
			.payload_sha256 = sha,
			.warc_file = "crawl-00001.warc.gz",
			.warc_offset = (int64_t)i * 1000, .warc_record_id = rid,
			.content_type = "text/html; charset=utf-8",
		};

		snprintf(url, sizeof(url), "https://a.example/%zu", i);
		snprintf(rid, sizeof(rid), "<urn:uuid:%zu>", i);
		sha_of(sha, (unsigned)i);
		assert_int_equal(store_page_add(s, run, &p, &id), RF_OK);
		if (i % 50 == 0)
			assert_int_equal(store_page_add(s, other, &p, NULL),
					 RF_OK);
	}
	assert_int_equal(store_commit(s), RF_OK);

	w.s = s;
	w.ordered = true;
	assert_int_equal(store_pages_foreach(s, run, walk_page, &w), RF_OK);
	assert_int_equal(w.n, 600);
	assert_true(w.ordered);
	assert_int_equal(count_sel(s, run, STORE_SEL_ALL, STORE_LEVEL_NONE,
				   NULL),
			 6);

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.ordered = true;
	w.stop_at = 300;
	assert_int_equal(store_pages_foreach(s, run, walk_page, &w),
			 RF_ETIMEOUT);
	assert_int_equal(w.n, 300);
	assert_int_equal(store_pages_foreach(s, run + 10, walk_page, &w),
			 RF_ENOENT);
	assert_int_equal(store_page_add(s, run + 10,
					&(struct store_page){
						.url = "u", .site = "s" },
					NULL),
			 RF_ENOENT);

	/* the latest page of a URL with a kept payload, for a 304: not a
	 * later 304 (no payload) nor a 500 */
	{
		struct store_page p304 = {
			.url = "https://a.example/7", .site = "a.example",
			.http_status = 304,
			.warc_file = "crawl-00002.warc.gz",
		};
		struct store_page p500 = {
			.url = "https://a.example/7", .site = "a.example",
			.http_status = 500, .payload_sha256 = sha,
			.warc_file = "crawl-00002.warc.gz",
		};

		assert_int_equal(store_page_add(s, other, &p304, NULL), RF_OK);
		assert_int_equal(store_page_add(s, other, &p500, NULL), RF_OK);
		memset(&w, 0, sizeof(w));
		w.s = s;
		w.n = 7;
		w.ordered = true;
		assert_int_equal(store_page_last(s, "https://a.example/7",
						 walk_page, &w),
				 RF_OK);
		assert_int_equal(w.n, 8);
		assert_true(w.ordered);
		assert_int_equal(store_page_last(s, "https://a.example/none",
						 walk_page, &w),
				 RF_ENOENT);
		assert_int_equal(store_page_last(s, NULL, walk_page, &w),
				 RF_EINVAL);
	}
	store_close(s);
}

/* ---- hostile input ---- */

static const char *const hostile[] = {
	"'; DROP TABLE listings; --",
	"Robert'); DROP TABLE runs;--",
	"\" OR \"1\"=\"1",
	"' OR 1=1 --",
	"?1 ?2 :name @name $name ? %s %n %%",
	"100% _ LIKE '%' ESCAPE '\\'",
	"a\\b\\\\c",
	"line1\nline2\r\n\ttab",
	"Работа в Дубае 💃 визу оформим; --",
	"Жұмыс ‮evil‬ ‎rtl‏",
	"ｆｕｌｌｗｉｄｔｈ ＇＂",
	"/* comment */ SELECT * FROM pages",
	"\x01\x02\x1f control",
	"end with backslash \\",
};

static void
test_hostile_strings(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *h = hostile[i];
		char sha[65];
		struct store_finding fnd = {
			.rule_id = h, .rule_version = h, .indicator = h,
			.weight = -3, .field = h, .start = 1, .end = 2,
			.text = h,
		};
		struct store_contact ct = { STORE_CONTACT_HANDLE, h };
		struct store_sighting in = {
			.url = h, .site = h, .payload_sha256 = sha, .lang = h,
			.title = h, .salary = h, .location = h, .employer = h,
			.posted = h, .text = h, .score = -1,
			.level = STORE_LEVEL_HIGH, .findings = &fnd,
			.nfindings = 1, .contacts = &ct, .ncontacts = 1,
		};
		struct store_run_start rs = { .job = h, .rules_version = h,
					      .rules_hash = h };
		struct store_run_end re = { .status = STORE_RUN_FAILED,
					    .stop_reason = h };
		struct store_listing_list l;
		struct store_version_list v;
		struct store_finding_list fl;
		struct store_cluster_list cl;
		struct store_run r;
		struct store_upsert u;
		int64_t run;

		sha_of(sha, (unsigned)i);
		assert_int_equal(store_run_begin(s, &rs, &run), RF_OK);
		assert_int_equal(store_listing_upsert(s, run, &in, &u),
				 RF_OK);
		assert_int_equal(store_listing_upsert(s, run, &in, &u),
				 RF_OK);
		assert_int_equal(store_run_finish(s, run, &re), RF_OK);

		store_run_init(&r);
		assert_int_equal(store_run_get(s, run, &r), RF_OK);
		assert_string_equal(r.job, h);
		assert_string_equal(r.rules_version, h);
		assert_string_equal(r.rules_hash, h);
		assert_string_equal(r.stop_reason, h);
		assert_int_equal(r.status, STORE_RUN_FAILED);
		assert_int_equal(store_run_previous(s, h, 0, &r), RF_ENOENT);
		store_run_release(&r);

		store_listing_list_init(&l);
		assert_int_equal(store_listings(s, run, STORE_SEL_ALL,
						STORE_LEVEL_NONE, &l),
				 RF_OK);
		assert_int_equal(l.n, 1);
		assert_string_equal(l.items[0].url, h);
		assert_string_equal(l.items[0].site, h);
		assert_string_equal(l.items[0].lang, h);
		assert_string_equal(l.items[0].title, h);
		assert_string_equal(l.items[0].salary, h);
		assert_string_equal(l.items[0].location, h);
		assert_string_equal(l.items[0].employer, h);
		assert_string_equal(l.items[0].posted, h);
		assert_int_equal(l.items[0].score, -1);
		store_listing_list_release(&l);

		store_version_list_init(&v);
		assert_int_equal(store_history(s, u.listing_id, &v), RF_OK);
		assert_string_equal(v.items[0].text, h);
		store_version_list_release(&v);

		store_finding_list_init(&fl);
		assert_int_equal(store_findings(s, u.version_id, 0, &fl),
				 RF_OK);
		assert_int_equal(fl.n, 1);
		assert_string_equal(fl.items[0].rule_id, h);
		assert_string_equal(fl.items[0].rule_version, h);
		assert_string_equal(fl.items[0].indicator, h);
		assert_string_equal(fl.items[0].field, h);
		assert_string_equal(fl.items[0].text, h);
		assert_int_equal(fl.items[0].weight, -3);
		store_finding_list_release(&fl);

		store_cluster_list_init(&cl);
		assert_int_equal(store_clusters(s, run, 1, &cl), RF_OK);
		assert_int_equal(cl.n, 1);
		assert_string_equal(cl.items[0].value, h);
		assert_string_equal(cl.items[0].listings[0].url, h);
		store_cluster_list_release(&cl);
	}
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"),
			 (int64_t)(sizeof(hostile) / sizeof(hostile[0])));
	store_close(s);
	assert_consistent(f->path);
}

/* ---- caps and checks ---- */

static void
test_caps(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_ok(f->path);
	struct store_finding *many = xcalloc(RF_STORE_FINDINGS_MAX + 10,
					     sizeof(*many));
	struct store_contact *cts = xcalloc(RF_STORE_CONTACTS_MAX + 10,
					    sizeof(*cts));
	char *title = xmalloc(3 * RF_STORE_TITLE_MAX + 1);
	char *longurl = xmalloc(RF_URL_INPUT_MAX_BYTES + 2);
	char *longcontact = xmalloc(RF_STORE_CONTACT_MAX + 2);
	char sha[65], upper[65], vals[RF_STORE_CONTACTS_MAX + 10][16];
	struct store_sighting in = {
		.url = "https://a.example/caps", .site = "a.example",
		.payload_sha256 = sha, .title = title,
	};
	struct store_version_list v;
	struct store_finding_list fl;
	struct store_upsert u;
	struct store_sighting bad;
	struct store_run_end bad_end = { 0 };
	size_t i, len;
	int64_t run = run_begin(s, "job", 1000, NULL);

	/* a title of two-byte letters and one odd byte in front */
	title[0] = 'x';
	for (i = 1; i + 2 <= 3 * RF_STORE_TITLE_MAX; i += 2)
		memcpy(title + i, "ж", 2);
	title[i] = '\0';
	for (i = 0; i < RF_STORE_FINDINGS_MAX + 10; i++) {
		many[i].rule_id = "r";
		many[i].text = title;
	}
	memset(longcontact, 'a', RF_STORE_CONTACT_MAX + 1);
	longcontact[RF_STORE_CONTACT_MAX + 1] = '\0';
	for (i = 0; i < RF_STORE_CONTACTS_MAX + 10; i++) {
		snprintf(vals[i], sizeof(vals[i]), "+7701%06zu", i);
		cts[i].type = STORE_CONTACT_PHONE;
		cts[i].value = vals[i];
	}
	cts[0].value = longcontact;
	in.findings = many;
	in.nfindings = RF_STORE_FINDINGS_MAX + 10;
	in.contacts = cts;
	in.ncontacts = RF_STORE_CONTACTS_MAX + 10;
	sha_of(sha, 0xabcdef);
	assert_int_equal(store_listing_upsert(s, run, &in, &u), RF_OK);

	store_version_list_init(&v);
	assert_int_equal(store_history(s, u.listing_id, &v), RF_OK);
	len = strlen(v.items[0].title);
	assert_true(len <= RF_STORE_TITLE_MAX);
	assert_true(len >= RF_STORE_TITLE_MAX - 3);
	assert_true(utf8_valid(v.items[0].title, len, NULL));
	assert_memory_equal(v.items[0].title, title, len);
	store_version_list_release(&v);
	store_finding_list_init(&fl);
	assert_int_equal(store_findings(s, u.version_id, 0, &fl), RF_OK);
	assert_int_equal(fl.n, RF_STORE_FINDINGS_MAX);
	assert_true(strlen(fl.items[0].text) <= RF_HIT_TEXT_MAX);
	store_finding_list_release(&fl);
	/* the over-long contact is dropped, the others kept to the cap */
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "listing_contacts"),
			 RF_STORE_CONTACTS_MAX);
	assert_int_equal(raw_int(f->path, "SELECT MAX(length(value)) FROM "
					  "contacts"),
			 11);

	/* an upper-case hash is the same payload */
	for (i = 0; i < 64; i++)
		upper[i] = (char)(sha[i] >= 'a' ? sha[i] - 'a' + 'A' : sha[i]);
	upper[64] = '\0';
	in.payload_sha256 = upper;
	in.nfindings = 0;
	in.ncontacts = 0;
	assert_int_equal(store_listing_upsert(s, run, &in, &u), RF_OK);
	assert_int_equal(u.change, STORE_NEW);	/* first verdict of the run */
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM "
					  "listing_versions"),
			 1);

	/* identifiers are refused, not cut */
	memset(longurl, 'u', RF_URL_INPUT_MAX_BYTES + 1);
	longurl[RF_URL_INPUT_MAX_BYTES + 1] = '\0';
	bad = in;
	bad.payload_sha256 = sha;
	bad.url = longurl;
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_ETOOBIG);
	assert_non_null(strstr(store_errmsg(s), "URL"));
	bad = in;
	bad.url = NULL;
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	bad = in;
	bad.payload_sha256 = "abc";
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	bad.payload_sha256 = NULL;
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	bad = in;
	bad.title = "bad \xff byte";
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EUTF8);
	assert_non_null(strstr(store_errmsg(s), "title"));
	bad = in;
	bad.level = (enum store_level)7;
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	bad = in;
	bad.nfindings = 1;
	bad.findings = &(struct store_finding){ .rule_id = "r", .start = 5,
						.end = 4 };
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	bad.findings = NULL;
	assert_int_equal(store_listing_upsert(s, run, &bad, &u), RF_EINVAL);
	assert_int_equal(store_listing_upsert(s, 0, &in, &u), RF_EINVAL);
	assert_int_equal(store_listing_upsert(s, run, NULL, &u), RF_EINVAL);
	bad_end.status = STORE_RUN_RUNNING;
	assert_int_equal(store_run_finish(s, run, &bad_end), RF_EINVAL);
	bad_end.status = STORE_RUN_FAILED;
	assert_int_equal(store_run_finish(s, run + 5, &bad_end), RF_ENOENT);
	/* nothing of the refused calls landed */
	assert_int_equal(raw_int(f->path, "SELECT COUNT(*) FROM listings"), 1);

	free(many);
	free(cts);
	free(title);
	free(longurl);
	free(longcontact);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_fresh_and_reopen,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_future_version_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_version_migrated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_migrated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_file_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_runs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_rescore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migration_finding_sets,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verdict_set, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clusters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_site_stats, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kill_mid_transaction,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_strings, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
