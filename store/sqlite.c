/* sqlite.c: the store's SQLite backend: schema, migrations and queries. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "store/store-int.h"
#include "store/store.h"
#include "common/banned.h"

/* How long a writer waits for another process's write to end. */
#define SQLITE_BUSY_TIMEOUT_MS 10000
/* PRAGMA application_id of a redflag database: "RFLG". */
#define SQLITE_APPLICATION_ID 0x52464c47
/* Pages read per query while iterating a run's pages. */
#define PAGES_BATCH 256

/*
 * The migration steps, in order: step i brings the schema from version i
 * to i + 1 and runs in one transaction with the row it adds to
 * schema_version. A released step is never edited; a change of schema is
 * a new step at the end (store/README.md).
 */
const char *const store_sqlite_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE schema_version ("
	"  version INTEGER PRIMARY KEY,"
	"  applied_at INTEGER NOT NULL"
	");"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  job TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  finished_at INTEGER,"
	"  rules_version TEXT,"
	"  rules_hash TEXT,"
	"  pages_fetched INTEGER NOT NULL DEFAULT 0,"
	"  listings_new INTEGER NOT NULL DEFAULT 0,"
	"  listings_changed INTEGER NOT NULL DEFAULT 0,"
	"  listings_unchanged INTEGER NOT NULL DEFAULT 0,"
	"  listings_removed INTEGER NOT NULL DEFAULT 0,"
	"  alerts INTEGER NOT NULL DEFAULT 0,"
	"  stop_reason TEXT,"
	"  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN"
	"    ('running', 'finished', 'failed', 'interrupted'))"
	");"
	"CREATE INDEX runs_job ON runs (job, id);"
	"CREATE TABLE pages ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  url TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  fetched_at INTEGER NOT NULL,"
	"  http_status INTEGER NOT NULL,"
	"  payload_sha256 TEXT,"
	"  warc_file TEXT,"
	"  warc_offset INTEGER,"
	"  warc_record_id TEXT,"
	"  content_type TEXT"
	");"
	"CREATE INDEX pages_run ON pages (run_id, id);"
	"CREATE INDEX pages_url ON pages (url);"
	"CREATE TABLE listings ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  site TEXT NOT NULL,"
	"  first_run INTEGER NOT NULL REFERENCES runs (id),"
	"  first_seen_at INTEGER NOT NULL,"
	"  last_run INTEGER NOT NULL REFERENCES runs (id),"
	"  last_seen_at INTEGER NOT NULL,"
	"  removed_run INTEGER REFERENCES runs (id),"
	"  removed_at INTEGER,"
	"  current_version INTEGER REFERENCES listing_versions (id),"
	"  score INTEGER NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),"
	"  purged_at INTEGER"
	");"
	"CREATE INDEX listings_site ON listings (site, last_run);"
	"CREATE INDEX listings_removed ON listings (removed_run);"
	"CREATE INDEX listings_last_seen ON listings (last_seen_at);"
	"CREATE TABLE listing_versions ("
	"  id INTEGER PRIMARY KEY,"
	"  listing_id INTEGER NOT NULL REFERENCES listings (id),"
	"  payload_sha256 TEXT NOT NULL,"
	"  first_run INTEGER NOT NULL REFERENCES runs (id),"
	"  first_seen_at INTEGER NOT NULL,"
	"  last_run INTEGER NOT NULL REFERENCES runs (id),"
	"  last_seen_at INTEGER NOT NULL,"
	"  page_id INTEGER REFERENCES pages (id),"
	"  score INTEGER NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),"
	"  findings_run INTEGER REFERENCES runs (id),"
	"  lang TEXT,"
	"  title TEXT,"
	"  salary TEXT,"
	"  location TEXT,"
	"  employer TEXT,"
	"  posted TEXT,"
	"  text TEXT,"
	"  UNIQUE (listing_id, payload_sha256)"
	");"
	"CREATE TABLE findings ("
	"  id INTEGER PRIMARY KEY,"
	"  version_id INTEGER NOT NULL REFERENCES listing_versions (id),"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  rule_id TEXT NOT NULL,"
	"  rule_version TEXT,"
	"  indicator TEXT,"
	"  weight INTEGER NOT NULL,"
	"  field TEXT,"
	"  start_offset INTEGER NOT NULL,"
	"  end_offset INTEGER NOT NULL,"
	"  text TEXT"
	");"
	"CREATE INDEX findings_version ON findings (version_id, run_id);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN"
	"    ('phone', 'handle', 'email', 'link')),"
	"  value TEXT NOT NULL,"
	"  UNIQUE (type, value)"
	");"
	"CREATE TABLE listing_contacts ("
	"  listing_id INTEGER NOT NULL REFERENCES listings (id),"
	"  contact_id INTEGER NOT NULL REFERENCES contacts (id),"
	"  first_run INTEGER NOT NULL REFERENCES runs (id),"
	"  last_run INTEGER NOT NULL REFERENCES runs (id),"
	"  PRIMARY KEY (listing_id, contact_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX listing_contacts_contact"
	"  ON listing_contacts (contact_id);"
	"CREATE TABLE scores ("
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  listing_id INTEGER NOT NULL REFERENCES listings (id),"
	"  version_id INTEGER NOT NULL REFERENCES listing_versions (id),"
	"  page_id INTEGER REFERENCES pages (id),"
	"  score INTEGER NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),"
	"  change TEXT NOT NULL CHECK (change IN"
	"    ('new', 'changed', 'unchanged')),"
	"  PRIMARY KEY (run_id, listing_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX scores_listing ON scores (listing_id);"
	"CREATE TABLE site_stats ("
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  site TEXT NOT NULL,"
	"  pages_fetched INTEGER NOT NULL DEFAULT 0,"
	"  pages_blocked INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  listings_extracted INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_id, site)"
	") WITHOUT ROWID;"
	"CREATE VIEW listings_current AS"
	"  SELECT l.*, v.payload_sha256, v.lang, v.title, v.salary,"
	"    v.location, v.employer, v.posted"
	"  FROM listings l LEFT JOIN listing_versions v"
	"    ON v.id = l.current_version;"
	"PRAGMA application_id = 1380338759;",
	/*
	 * 2: which runs stored a set of findings for a version, also an
	 * empty one (rules that no longer fire): the set in effect at a run
	 * is the latest such set, not the latest run with finding rows
	 */
	"CREATE TABLE finding_sets ("
	"  version_id INTEGER NOT NULL REFERENCES listing_versions (id),"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  PRIMARY KEY (version_id, run_id)"
	") WITHOUT ROWID;"
	"INSERT OR IGNORE INTO finding_sets (version_id, run_id)"
	"  SELECT DISTINCT version_id, run_id FROM findings;"
	"INSERT OR IGNORE INTO finding_sets (version_id, run_id)"
	"  SELECT id, findings_run FROM listing_versions"
	"  WHERE findings_run IS NOT NULL;",
};

_Static_assert(RF_ARRAY_SIZE(store_sqlite_migrations) == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION must count the migration steps");
_Static_assert(SQLITE_APPLICATION_ID == 1380338759,
	       "the application id in migration 1 must match");

/* The columns read_listing() reads, from listings l and versions v. */
#define LISTING_COLUMNS                                                  \
	"l.id, l.url, l.site, l.first_run, l.first_seen_at, l.last_run, " \
	"l.last_seen_at, l.removed_run, l.removed_at, l.purged_at, v.id, " \
	"v.payload_sha256, v.lang, v.title, v.salary, v.location, "      \
	"v.employer, v.posted"
#define LISTING_NCOLUMNS 18

/* The columns read_run() reads. */
#define RUN_COLUMNS                                                       \
	"id, job, started_at, finished_at, rules_version, rules_hash, "   \
	"pages_fetched, listings_new, listings_changed, "                 \
	"listings_unchanged, listings_removed, alerts, stop_reason, status"

/* A run's counts from what is stored; ?5 is the alert level. */
#define RUN_COUNTS_SET                                                    \
	"pages_fetched = (SELECT COUNT(*) FROM pages"                     \
	"  WHERE run_id = runs.id),"                                      \
	"listings_new = (SELECT COUNT(*) FROM scores"                     \
	"  WHERE run_id = runs.id AND change = 'new'),"                   \
	"listings_changed = (SELECT COUNT(*) FROM scores"                 \
	"  WHERE run_id = runs.id AND change = 'changed'),"               \
	"listings_unchanged = (SELECT COUNT(*) FROM scores"               \
	"  WHERE run_id = runs.id AND change = 'unchanged'),"             \
	"listings_removed = (SELECT COUNT(*) FROM listings"               \
	"  WHERE removed_run = runs.id),"                                 \
	"alerts = (SELECT COUNT(*) FROM scores WHERE run_id = runs.id"    \
	"  AND change IN ('new', 'changed') AND level >= ?5)"

/* The only SQL the backend runs with data: each bound, never built. */
enum stmt_id {
	ST_RUN_INSERT,
	ST_RUN_FINISH,
	ST_RUN_INTERRUPT,
	ST_RUN_GET,
	ST_RUN_PREVIOUS,
	ST_RUN_HASH,
	ST_PAGE_INSERT,
	ST_PAGES_BATCH,
	ST_PAGE_LAST,
	ST_LISTING_FIND,
	ST_LISTING_INSERT,
	ST_LISTING_UPDATE,
	ST_VERSION_FIND,
	ST_VERSION_INSERT,
	ST_VERSION_UPDATE,
	ST_VERSION_FINDINGS_RUN,
	ST_FINDING_SET_PUT,
	ST_FINDINGS_DELETE,
	ST_FINDING_INSERT,
	ST_SCORE_GET,
	ST_SCORE_PUT,
	ST_SCORE_OF_VERSION,
	ST_SCORE_SET,
	ST_LISTING_SCORE_SET,
	ST_VERSION_SCORE_SET,
	ST_CONTACT_INSERT,
	ST_CONTACT_FIND,
	ST_LINK_PUT,
	ST_MARK_REMOVED,
	ST_SITE_STATS_ADD,
	ST_LISTINGS,
	ST_HISTORY,
	ST_FINDINGS,
	ST_CLUSTERS,
	ST_SITE_STATS,
	ST_PURGE_FINDINGS,
	ST_PURGE_FINDING_SETS,
	ST_PURGE_LINKS,
	ST_PURGE_CONTACTS,
	ST_PURGE_VERSIONS,
	ST_PURGE_LISTINGS,
	ST_MAX
};

static const char *const stmt_sql[ST_MAX] = {
	[ST_RUN_INSERT] =
		"INSERT INTO runs (job, started_at, rules_version, rules_hash)"
		" VALUES (?1, ?2, ?3, ?4)",
	[ST_RUN_FINISH] =
		"UPDATE runs SET finished_at = ?2, status = ?3,"
		" stop_reason = ?4, " RUN_COUNTS_SET " WHERE id = ?1",
	[ST_RUN_INTERRUPT] =
		"UPDATE runs SET status = 'interrupted',"
		" stop_reason = COALESCE(stop_reason, ?4), " RUN_COUNTS_SET
		" WHERE job = ?1 AND status = 'running'",
	[ST_RUN_GET] = "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?1",
	[ST_RUN_PREVIOUS] =
		"SELECT " RUN_COLUMNS " FROM runs WHERE job = ?1"
		" AND status = 'finished' AND (?2 IS NULL OR id < ?2)"
		" ORDER BY id DESC LIMIT 1",
	[ST_RUN_HASH] = "SELECT rules_hash FROM runs WHERE id = ?1",
	[ST_PAGE_INSERT] =
		"INSERT INTO pages (run_id, url, site, fetched_at,"
		" http_status, payload_sha256, warc_file, warc_offset,"
		" warc_record_id, content_type)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_PAGES_BATCH] =
		"SELECT id, run_id, url, site, fetched_at, http_status,"
		" payload_sha256, warc_file, warc_offset, warc_record_id,"
		" content_type FROM pages WHERE run_id = ?1 AND id > ?2"
		" ORDER BY id LIMIT ?3",
	[ST_PAGE_LAST] =
		"SELECT id, run_id, url, site, fetched_at, http_status,"
		" payload_sha256, warc_file, warc_offset, warc_record_id,"
		" content_type FROM pages WHERE url = ?1"
		" AND http_status BETWEEN 200 AND 299"
		" AND payload_sha256 IS NOT NULL AND warc_file IS NOT NULL"
		" ORDER BY id DESC LIMIT 1",
	[ST_LISTING_FIND] =
		"SELECT l.id, v.payload_sha256 FROM listings l"
		" LEFT JOIN listing_versions v ON v.id = l.current_version"
		" WHERE l.url = ?1",
	[ST_LISTING_INSERT] =
		"INSERT INTO listings (url, site, first_run, first_seen_at,"
		" last_run, last_seen_at, score, level)"
		" VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6)",
	[ST_LISTING_UPDATE] =
		"UPDATE listings SET site = ?2, last_run = ?3,"
		" last_seen_at = ?4, removed_run = NULL, removed_at = NULL,"
		" purged_at = NULL, current_version = ?5, score = ?6,"
		" level = ?7 WHERE id = ?1",
	[ST_VERSION_FIND] =
		"SELECT v.id, v.findings_run, r.rules_hash"
		" FROM listing_versions v"
		" LEFT JOIN runs r ON r.id = v.findings_run"
		" WHERE v.listing_id = ?1 AND v.payload_sha256 = ?2",
	[ST_VERSION_INSERT] =
		"INSERT INTO listing_versions (listing_id, payload_sha256,"
		" first_run, first_seen_at, last_run, last_seen_at, page_id,"
		" score, level, lang, title, salary, location, employer,"
		" posted, text) VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_VERSION_UPDATE] =
		"UPDATE listing_versions SET last_run = ?2, last_seen_at = ?3,"
		" page_id = COALESCE(page_id, ?4), lang = COALESCE(?5, lang),"
		" title = COALESCE(?6, title), salary = COALESCE(?7, salary),"
		" location = COALESCE(?8, location),"
		" employer = COALESCE(?9, employer),"
		" posted = COALESCE(?10, posted), text = COALESCE(?11, text)"
		" WHERE id = ?1",
	[ST_VERSION_FINDINGS_RUN] =
		"UPDATE listing_versions SET findings_run = ?2 WHERE id = ?1",
	[ST_FINDING_SET_PUT] =
		"INSERT OR IGNORE INTO finding_sets (version_id, run_id)"
		" VALUES (?1, ?2)",
	[ST_FINDINGS_DELETE] =
		"DELETE FROM findings WHERE version_id = ?1 AND run_id = ?2",
	[ST_FINDING_INSERT] =
		"INSERT INTO findings (version_id, run_id, rule_id,"
		" rule_version, indicator, weight, field, start_offset,"
		" end_offset, text)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_SCORE_GET] =
		"SELECT change FROM scores WHERE run_id = ?1"
		" AND listing_id = ?2",
	[ST_SCORE_PUT] =
		"INSERT INTO scores (run_id, listing_id, version_id, page_id,"
		" score, level, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (run_id, listing_id) DO UPDATE SET"
		" version_id = excluded.version_id,"
		" page_id = excluded.page_id, score = excluded.score,"
		" level = excluded.level, change = excluded.change",
	[ST_SCORE_OF_VERSION] =
		"SELECT listing_id FROM scores WHERE run_id = ?1"
		" AND version_id = ?2",
	[ST_SCORE_SET] =
		"UPDATE scores SET score = ?3, level = ?4"
		" WHERE run_id = ?1 AND listing_id = ?2",
	[ST_LISTING_SCORE_SET] =
		"UPDATE listings SET score = ?3, level = ?4"
		" WHERE id = ?1 AND current_version = ?2",
	[ST_VERSION_SCORE_SET] =
		"UPDATE listing_versions SET score = ?3, level = ?4"
		" WHERE id = ?1 AND first_run = ?2",
	[ST_CONTACT_INSERT] =
		"INSERT INTO contacts (type, value) VALUES (?1, ?2)"
		" ON CONFLICT (type, value) DO NOTHING",
	[ST_CONTACT_FIND] =
		"SELECT id FROM contacts WHERE type = ?1 AND value = ?2",
	[ST_LINK_PUT] =
		"INSERT INTO listing_contacts (listing_id, contact_id,"
		" first_run, last_run) VALUES (?1, ?2, ?3, ?3)"
		" ON CONFLICT (listing_id, contact_id) DO UPDATE SET"
		" last_run = excluded.last_run",
	[ST_MARK_REMOVED] =
		"UPDATE listings SET removed_run = ?1, removed_at = ?2"
		" WHERE site = ?3 AND removed_run IS NULL AND last_run <> ?1",
	[ST_SITE_STATS_ADD] =
		"INSERT INTO site_stats (run_id, site, pages_fetched,"
		" pages_blocked, errors, listings_extracted)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		" ON CONFLICT (run_id, site) DO UPDATE SET"
		" pages_fetched = pages_fetched + excluded.pages_fetched,"
		" pages_blocked = pages_blocked + excluded.pages_blocked,"
		" errors = errors + excluded.errors,"
		" listings_extracted = listings_extracted"
		" + excluded.listings_extracted",
	[ST_LISTINGS] =
		"SELECT " LISTING_COLUMNS ", s.score AS score,"
		" s.level AS level, s.change AS change"
		" FROM scores s JOIN listings l ON l.id = s.listing_id"
		" JOIN listing_versions v ON v.id = s.version_id"
		" WHERE s.run_id = ?1 AND s.level >= ?2"
		" AND ((s.change = 'new' AND ?3)"
		"  OR (s.change = 'changed' AND ?4)"
		"  OR (s.change = 'unchanged' AND ?5))"
		" UNION ALL"
		" SELECT " LISTING_COLUMNS ", l.score, l.level, 'removed'"
		" FROM listings l"
		" LEFT JOIN listing_versions v ON v.id = l.current_version"
		" WHERE ?6 AND l.removed_run = ?1 AND l.level >= ?2"
		" ORDER BY score DESC, 1",
	[ST_HISTORY] =
		"SELECT id, payload_sha256, first_run, first_seen_at, last_run,"
		" last_seen_at, page_id, score, level, findings_run, lang,"
		" title, salary, location, employer, posted, text"
		" FROM listing_versions WHERE listing_id = ?1"
		" ORDER BY first_run, id",
	[ST_FINDINGS] =
		"SELECT run_id, rule_id, rule_version, indicator, weight,"
		" field, start_offset, end_offset, text FROM findings"
		" WHERE version_id = ?1 AND run_id = (SELECT MAX(run_id)"
		"  FROM finding_sets WHERE version_id = ?1"
		"  AND (?2 IS NULL OR run_id <= ?2))"
		" ORDER BY id",
	[ST_CLUSTERS] =
		"SELECT c.id, c.type, c.value, " LISTING_COLUMNS ","
		" l.score, l.level"
		" FROM (SELECT contact_id, COUNT(*) AS n"
		"  FROM listing_contacts GROUP BY contact_id"
		"  HAVING COUNT(*) >= ?1) k"
		" JOIN contacts c ON c.id = k.contact_id"
		" JOIN listing_contacts lc ON lc.contact_id = c.id"
		" JOIN listings l ON l.id = lc.listing_id"
		" LEFT JOIN listing_versions v ON v.id = l.current_version"
		" WHERE ?2 IS NULL OR c.id IN (SELECT lc2.contact_id"
		"  FROM listing_contacts lc2 JOIN scores s"
		"  ON s.listing_id = lc2.listing_id WHERE s.run_id = ?2)"
		" ORDER BY k.n DESC, c.type, c.value, c.id, l.id",
	[ST_SITE_STATS] =
		"SELECT r.id, r.started_at, st.site, st.pages_fetched,"
		" st.pages_blocked, st.errors, st.listings_extracted"
		" FROM (SELECT id, started_at FROM runs WHERE job = ?1"
		"  ORDER BY id DESC LIMIT ?2) r"
		" JOIN site_stats st ON st.run_id = r.id"
		" ORDER BY st.site, r.id",
	[ST_PURGE_FINDINGS] =
		"DELETE FROM findings WHERE version_id IN (SELECT v.id"
		" FROM listing_versions v JOIN listings l"
		" ON l.id = v.listing_id WHERE l.last_seen_at < ?1"
		" AND l.purged_at IS NULL)",
	[ST_PURGE_FINDING_SETS] =
		"DELETE FROM finding_sets WHERE version_id IN (SELECT v.id"
		" FROM listing_versions v JOIN listings l"
		" ON l.id = v.listing_id WHERE l.last_seen_at < ?1"
		" AND l.purged_at IS NULL)",
	[ST_PURGE_LINKS] =
		"DELETE FROM listing_contacts WHERE listing_id IN (SELECT id"
		" FROM listings WHERE last_seen_at < ?1 AND purged_at IS NULL)",
	[ST_PURGE_CONTACTS] =
		"DELETE FROM contacts WHERE NOT EXISTS (SELECT 1"
		" FROM listing_contacts lc WHERE lc.contact_id = contacts.id)",
	[ST_PURGE_VERSIONS] =
		"UPDATE listing_versions SET title = NULL, salary = NULL,"
		" location = NULL, employer = NULL, posted = NULL,"
		" text = NULL, findings_run = NULL"
		" WHERE listing_id IN (SELECT id FROM listings"
		" WHERE last_seen_at < ?1 AND purged_at IS NULL)",
	[ST_PURGE_LISTINGS] =
		"UPDATE listings SET purged_at = ?2"
		" WHERE last_seen_at < ?1 AND purged_at IS NULL",
};

struct sqlite_store {
	struct store base;	/* first: a struct store * points here */
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_MAX];
	int bind_rc;		/* the first failed bind since prepare() */
	bool batch;		/* between store_begin and store_commit */
};

static struct sqlite_store *
sq(struct store *s)
{
	return (struct sqlite_store *)s;
}

/* ---- errors and statements ---- */

/* Sets the message "what: sqlite's reason" and returns the error. */
static enum rf_err
db_fail(struct sqlite_store *q, int rc, const char *what)
{
	enum rf_err err = RF_EDB;
	const char *why = q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		err = RF_ELOCKED;
	return store_fail(&q->base, err, "%s: %s", what, why);
}

/* Runs constant SQL without parameters (transaction control, DDL). */
static enum rf_err
exec_sql(struct sqlite_store *q, const char *sql, const char *what)
{
	int rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? RF_OK : db_fail(q, rc, what);
}

/* Rolls back quietly, keeping the message of the failure that led here. */
static void
exec_quiet(struct sqlite_store *q, const char *sql)
{
	(void)sqlite3_exec(q->db, sql, NULL, NULL, NULL);
}

/* Sets *out to statement id, prepared once and reset for new bindings. */
static enum rf_err
prepare(struct sqlite_store *q, enum stmt_id id, sqlite3_stmt **out)
{
	int rc;

	*out = NULL;
	if (!q->stmt[id]) {
		rc = sqlite3_prepare_v3(q->db, stmt_sql[id], -1,
					SQLITE_PREPARE_PERSISTENT,
					&q->stmt[id], NULL);
		if (rc != SQLITE_OK)
			return db_fail(q, rc, "cannot prepare a query");
	} else {
		sqlite3_reset(q->stmt[id]);
		sqlite3_clear_bindings(q->stmt[id]);
	}
	q->bind_rc = SQLITE_OK;
	*out = q->stmt[id];
	return RF_OK;
}

/* Ends every statement, so that no read stays open between calls. */
static void
reset_all(struct sqlite_store *q)
{
	size_t i;

	for (i = 0; i < ST_MAX; i++) {
		if (!q->stmt[i])
			continue;
		sqlite3_reset(q->stmt[i]);
		sqlite3_clear_bindings(q->stmt[i]);
	}
}

static void
bind_rc(struct sqlite_store *q, int rc)
{
	if (rc != SQLITE_OK && q->bind_rc == SQLITE_OK)
		q->bind_rc = rc;
}

/* Binds text v (NULL is SQL NULL), borrowed until the statement ends. */
static void
bind_text(struct sqlite_store *q, sqlite3_stmt *st, int i, const char *v)
{
	bind_rc(q, v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) :
		       sqlite3_bind_null(st, i));
}

static void
bind_int(struct sqlite_store *q, sqlite3_stmt *st, int i, int64_t v)
{
	bind_rc(q, sqlite3_bind_int64(st, i, v));
}

/* Binds an id or a time where 0 means none: 0 is SQL NULL. */
static void
bind_opt(struct sqlite_store *q, sqlite3_stmt *st, int i, int64_t v)
{
	bind_rc(q, v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i));
}

/* Steps st once; *row says whether it gave a row (row may be NULL for a
 * statement that gives none). */
static enum rf_err
step(struct sqlite_store *q, sqlite3_stmt *st, const char *what, bool *row)
{
	int rc;

	if (q->bind_rc != SQLITE_OK)
		return store_fail(&q->base, RF_EDB, "%s: %s", what,
				  sqlite3_errstr(q->bind_rc));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && row) {
		*row = true;
		return RF_OK;
	}
	if (rc == SQLITE_DONE) {
		if (row)
			*row = false;
		return RF_OK;
	}
	if (rc == SQLITE_ROW)
		return store_fail(&q->base, RF_EDB, "%s: unexpected row", what);
	return db_fail(q, rc, what);
}

/* Column i as int64; NULL is 0. */
static int64_t
col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* Column i as a string kept in strs; NULL stays NULL. */
static const char *
col_text(sqlite3_stmt *st, int i, struct store_strings *strs)
{
	const unsigned char *p = sqlite3_column_text(st, i);

	if (!p)
		return NULL;
	return store_strings_add(strs, (const char *)p,
				 (size_t)sqlite3_column_bytes(st, i));
}

/* Column i of a level; values out of range read as none. */
static enum store_level
col_level(sqlite3_stmt *st, int i)
{
	int64_t v = col_int(st, i);

	return v >= STORE_LEVEL_NONE && v <= STORE_LEVEL_HIGH ?
		       (enum store_level)v :
		       STORE_LEVEL_NONE;
}

/* Reads a change or status name back into its enum. */
static int
name_index(const unsigned char *name, const char *(*namef)(int), int max,
	   int fallback)
{
	int i;

	for (i = 0; name && i < max; i++)
		if (strcmp((const char *)name, namef(i)) == 0)
			return i;
	return fallback;
}

static const char *
change_name_i(int i)
{
	return store_change_name((enum store_change)i);
}

static const char *
status_name_i(int i)
{
	return store_run_status_name((enum store_run_status)i);
}

static const char *
contact_name_i(int i)
{
	return store_contact_type_name((enum store_contact_type)i);
}

static enum store_change
col_change(sqlite3_stmt *st, int i)
{
	return (enum store_change)name_index(sqlite3_column_text(st, i),
					     change_name_i, STORE_REMOVED + 1,
					     STORE_UNCHANGED);
}

/* ---- writes ---- */

/*
 * Every write call runs in one transaction of its own, or in a savepoint
 * of the caller's batch, so that it lands whole or not at all.
 */
static enum rf_err
op_begin(struct sqlite_store *q)
{
	if (q->batch)
		return exec_sql(q, "SAVEPOINT op", "cannot start a write");
	return exec_sql(q, "BEGIN IMMEDIATE", "cannot start a write");
}

static enum rf_err
op_end(struct sqlite_store *q, enum rf_err err)
{
	enum rf_err e;

	reset_all(q);
	if (q->batch && sqlite3_get_autocommit(q->db)) {
		/* some errors (disk full, I/O) end the whole transaction */
		q->batch = false;
		if (!err)
			err = store_fail(&q->base, RF_EDB,
					 "the batch was rolled back");
		return err;
	}
	if (q->batch) {
		if (err) {
			exec_quiet(q, "ROLLBACK TO op");
			exec_quiet(q, "RELEASE op");
			return err;
		}
		return exec_sql(q, "RELEASE op", "cannot end a write");
	}
	if (err) {
		if (!sqlite3_get_autocommit(q->db))
			exec_quiet(q, "ROLLBACK");
		return err;
	}
	e = exec_sql(q, "COMMIT", "cannot commit");
	if (e && !sqlite3_get_autocommit(q->db))
		exec_quiet(q, "ROLLBACK");
	return e;
}

/* Ends a read-only call. */
static enum rf_err
read_end(struct sqlite_store *q, enum rf_err err)
{
	reset_all(q);
	return err;
}

static enum rf_err
sq_begin(struct store *s)
{
	struct sqlite_store *q = sq(s);
	enum rf_err err;

	if (q->batch)
		return store_fail(s, RF_EINVAL, "a batch is already open");
	err = exec_sql(q, "BEGIN IMMEDIATE", "cannot start a batch");
	if (!err)
		q->batch = true;
	return err;
}

static enum rf_err
sq_commit(struct store *s)
{
	struct sqlite_store *q = sq(s);
	enum rf_err err;

	if (!q->batch)
		return store_fail(s, RF_EINVAL, "no batch is open");
	reset_all(q);
	err = exec_sql(q, "COMMIT", "cannot commit the batch");
	if (sqlite3_get_autocommit(q->db))
		q->batch = false;
	return err;
}

static enum rf_err
sq_rollback(struct store *s)
{
	struct sqlite_store *q = sq(s);

	if (!q->batch)
		return store_fail(s, RF_EINVAL, "no batch is open");
	reset_all(q);
	q->batch = false;
	if (sqlite3_get_autocommit(q->db))
		return RF_OK;
	return exec_sql(q, "ROLLBACK", "cannot roll the batch back");
}

/*
 * Checks that run_id exists (RF_ENOENT otherwise) and copies its rules
 * hash (or NULL) into strs when hash is not NULL.
 */
static enum rf_err
run_check(struct sqlite_store *q, int64_t run_id, struct store_strings *strs,
	  const char **hash)
{
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	if ((err = prepare(q, ST_RUN_HASH, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, run_id);
	if ((err = step(q, st, "cannot read a run", &row)) != RF_OK)
		return err;
	if (!row)
		return store_fail(&q->base, RF_ENOENT, "no run %lld",
				  (long long)run_id);
	if (hash)
		*hash = col_text(st, 0, strs);
	sqlite3_reset(st);
	return RF_OK;
}

/* ---- runs ---- */

static enum rf_err
sq_run_begin(struct store *s, const struct store_run_start *start,
	     int64_t *run_id)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = prepare(q, ST_RUN_INSERT, &st);
	if (!err) {
		bind_text(q, st, 1, start->job);
		bind_int(q, st, 2, start->started_at);
		bind_text(q, st, 3, start->rules_version);
		bind_text(q, st, 4, start->rules_hash);
		err = step(q, st, "cannot record the run", NULL);
	}
	if (!err)
		*run_id = sqlite3_last_insert_rowid(q->db);
	return op_end(q, err);
}

static enum rf_err
sq_run_finish(struct store *s, int64_t run_id, const struct store_run_end *e)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = prepare(q, ST_RUN_FINISH, &st);
	if (!err) {
		bind_int(q, st, 1, run_id);
		bind_int(q, st, 2, e->finished_at);
		bind_text(q, st, 3, store_run_status_name(e->status));
		bind_text(q, st, 4, e->stop_reason);
		bind_int(q, st, 5, e->alert_level);
		err = step(q, st, "cannot record the end of the run", NULL);
	}
	if (!err && sqlite3_changes(q->db) == 0)
		err = store_fail(s, RF_ENOENT, "no run %lld",
				 (long long)run_id);
	return op_end(q, err);
}

static enum rf_err
sq_runs_interrupt(struct store *s, const char *job,
		  enum store_level alert_level, size_t *n)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	*n = 0;
	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = prepare(q, ST_RUN_INTERRUPT, &st);
	if (!err) {
		bind_text(q, st, 1, job);
		bind_text(q, st, 4, "the process ended without finishing");
		bind_int(q, st, 5, alert_level);
		err = step(q, st, "cannot mark runs interrupted", NULL);
	}
	if (!err)
		*n = (size_t)sqlite3_changes(q->db);
	return op_end(q, err);
}

static void
read_run(sqlite3_stmt *st, struct store_run *r)
{
	r->id = col_int(st, 0);
	r->job = col_text(st, 1, &r->strings_);
	r->started_at = col_int(st, 2);
	r->finished_at = col_int(st, 3);
	r->rules_version = col_text(st, 4, &r->strings_);
	r->rules_hash = col_text(st, 5, &r->strings_);
	r->counts.pages_fetched = col_int(st, 6);
	r->counts.listings_new = col_int(st, 7);
	r->counts.listings_changed = col_int(st, 8);
	r->counts.listings_unchanged = col_int(st, 9);
	r->counts.listings_removed = col_int(st, 10);
	r->counts.alerts = col_int(st, 11);
	r->stop_reason = col_text(st, 12, &r->strings_);
	r->status = (enum store_run_status)name_index(
		sqlite3_column_text(st, 13), status_name_i,
		STORE_RUN_INTERRUPTED + 1, STORE_RUN_FAILED);
}

/* Reads the one run st selects into out, or RF_ENOENT with message. */
static enum rf_err
get_run(struct sqlite_store *q, sqlite3_stmt *st, struct store_run *out,
	const char *job, int64_t run_id)
{
	enum rf_err err;
	bool row;

	if ((err = step(q, st, "cannot read a run", &row)) != RF_OK)
		return err;
	if (row) {
		store_run_release(out);
		read_run(st, out);
		return RF_OK;
	}
	if (job)
		return store_fail(&q->base, RF_ENOENT,
				  "no finished run of job '%s'", job);
	return store_fail(&q->base, RF_ENOENT, "no run %lld",
			  (long long)run_id);
}

static enum rf_err
sq_run_get(struct store *s, int64_t run_id, struct store_run *out)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	err = prepare(q, ST_RUN_GET, &st);
	if (!err) {
		bind_int(q, st, 1, run_id);
		err = get_run(q, st, out, NULL, run_id);
	}
	return read_end(q, err);
}

static enum rf_err
sq_run_previous(struct store *s, const char *job, int64_t before_run,
		struct store_run *out)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	err = prepare(q, ST_RUN_PREVIOUS, &st);
	if (!err) {
		bind_text(q, st, 1, job);
		bind_opt(q, st, 2, before_run);
		err = get_run(q, st, out, job, 0);
	}
	return read_end(q, err);
}

/* ---- pages ---- */

static enum rf_err
sq_page_add(struct store *s, int64_t run_id, const struct store_page *p,
	    int64_t *page_id)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = run_check(q, run_id, NULL, NULL);
	if (!err)
		err = prepare(q, ST_PAGE_INSERT, &st);
	if (!err) {
		bind_int(q, st, 1, run_id);
		bind_text(q, st, 2, p->url);
		bind_text(q, st, 3, p->site);
		bind_int(q, st, 4, p->fetched_at);
		bind_int(q, st, 5, p->http_status);
		bind_text(q, st, 6, p->payload_sha256);
		bind_text(q, st, 7, p->warc_file);
		if (p->warc_file)
			bind_int(q, st, 8, p->warc_offset);
		bind_text(q, st, 9, p->warc_record_id);
		bind_text(q, st, 10, p->content_type);
		err = step(q, st, "cannot record a page", NULL);
	}
	if (!err)
		*page_id = sqlite3_last_insert_rowid(q->db);
	return op_end(q, err);
}

/* Reads up to PAGES_BATCH pages of run_id after page after into pages. */
/* Reads the columns of ST_PAGES_BATCH and ST_PAGE_LAST into p. */
static void
read_page(sqlite3_stmt *st, struct store_strings *strs, struct store_page *p)
{
	memset(p, 0, sizeof(*p));
	p->id = col_int(st, 0);
	p->run_id = col_int(st, 1);
	p->url = col_text(st, 2, strs);
	p->site = col_text(st, 3, strs);
	p->fetched_at = col_int(st, 4);
	p->http_status = (int)col_int(st, 5);
	p->payload_sha256 = col_text(st, 6, strs);
	p->warc_file = col_text(st, 7, strs);
	p->warc_offset = col_int(st, 8);
	p->warc_record_id = col_text(st, 9, strs);
	p->content_type = col_text(st, 10, strs);
}

static enum rf_err
read_pages(struct sqlite_store *q, int64_t run_id, int64_t after,
	   struct store_page *pages, size_t *n, struct store_strings *strs)
{
	sqlite3_stmt *st;
	enum rf_err err;
	bool row = true;

	*n = 0;
	if ((err = prepare(q, ST_PAGES_BATCH, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, run_id);
	bind_int(q, st, 2, after);
	bind_int(q, st, 3, PAGES_BATCH);
	while (*n < PAGES_BATCH) {
		struct store_page *p = &pages[*n];

		if ((err = step(q, st, "cannot read pages", &row)) != RF_OK ||
		    !row)
			break;
		read_page(st, strs, p);
		(*n)++;
	}
	sqlite3_reset(st);
	return err;
}

static enum rf_err
sq_page_last(struct store *s, const char *url, store_page_fn fn, void *arg)
{
	struct sqlite_store *q = sq(s);
	struct store_strings strs = { 0 };
	struct store_page page;
	sqlite3_stmt *st;
	enum rf_err err;
	bool row = false;

	if ((err = prepare(q, ST_PAGE_LAST, &st)) != RF_OK)
		return read_end(q, err);
	bind_text(q, st, 1, url);
	err = step(q, st, "cannot read a page", &row);
	if (!err && row)
		read_page(st, &strs, &page);
	err = read_end(q, err);
	/* fn runs with no statement open: it may write */
	if (!err)
		err = row ? fn(arg, &page) :
			    store_fail(s, RF_ENOENT, "no stored payload of %s",
				       url);
	store_strings_release(&strs);
	return err;
}

/*
 * Reads the pages in batches and calls fn with no statement open, so
 * that fn may write through the store (a rescore does).
 */
static enum rf_err
sq_pages_foreach(struct store *s, int64_t run_id, store_page_fn fn, void *arg)
{
	struct sqlite_store *q = sq(s);
	struct store_strings strs = { 0 };
	struct store_page *pages = xreallocarray(NULL, PAGES_BATCH,
						 sizeof(*pages));
	int64_t after = 0;
	enum rf_err err;
	size_t n, i;

	err = run_check(q, run_id, NULL, NULL);
	while (!err) {
		err = read_pages(q, run_id, after, pages, &n, &strs);
		reset_all(q);
		if (err || n == 0)
			break;
		for (i = 0; i < n && !err; i++)
			err = fn(arg, &pages[i]);
		after = pages[n - 1].id;
		store_strings_release(&strs);
		if (n < PAGES_BATCH)
			break;
	}
	store_strings_release(&strs);
	free(pages);
	return read_end(q, err);
}

/* ---- listings ---- */

/* The verdict of a second sighting in one run keeps the first one's. */
static enum store_change
combine_change(enum store_change first, enum store_change now)
{
	if (first == STORE_NEW)
		return STORE_NEW;
	if (first == STORE_CHANGED || now == STORE_CHANGED)
		return STORE_CHANGED;
	return STORE_UNCHANGED;
}

/* Finds the listing of in->url: *id (0 if none) and its payload hash. */
static enum rf_err
listing_find(struct sqlite_store *q, const char *url, int64_t *id,
	     struct store_strings *strs, const char **sha)
{
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	*id = 0;
	*sha = NULL;
	if ((err = prepare(q, ST_LISTING_FIND, &st)) != RF_OK)
		return err;
	bind_text(q, st, 1, url);
	if ((err = step(q, st, "cannot look up a listing", &row)) != RF_OK)
		return err;
	if (row) {
		*id = col_int(st, 0);
		*sha = col_text(st, 1, strs);
	}
	sqlite3_reset(st);
	return RF_OK;
}

static enum rf_err
listing_insert(struct sqlite_store *q, int64_t run_id,
	       const struct store_sighting *in, int64_t *id)
{
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = prepare(q, ST_LISTING_INSERT, &st)) != RF_OK)
		return err;
	bind_text(q, st, 1, in->url);
	bind_text(q, st, 2, in->site);
	bind_int(q, st, 3, run_id);
	bind_int(q, st, 4, in->seen_at);
	bind_int(q, st, 5, in->score);
	bind_int(q, st, 6, in->level);
	if ((err = step(q, st, "cannot record a listing", NULL)) != RF_OK)
		return err;
	*id = sqlite3_last_insert_rowid(q->db);
	return RF_OK;
}

/*
 * Finds or adds the version of listing_id with in's payload and sets
 * *store_findings to whether this run's findings must be stored with it:
 * when the version is new, has none (purged), was scored by another
 * rule pack, or was scored earlier in this same run (then they replace).
 */
static enum rf_err
version_put(struct sqlite_store *q, int64_t run_id, const char *run_hash,
	    int64_t listing_id, const struct store_sighting *in,
	    int64_t *vid, bool *store_findings)
{
	struct store_strings strs = { 0 };
	const char *findings_hash = NULL;
	int64_t findings_run = 0;
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	*vid = 0;
	*store_findings = true;
	if ((err = prepare(q, ST_VERSION_FIND, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, listing_id);
	bind_text(q, st, 2, in->payload_sha256);
	if ((err = step(q, st, "cannot look up a version", &row)) != RF_OK)
		return err;
	if (row) {
		*vid = col_int(st, 0);
		findings_run = col_int(st, 1);
		findings_hash = col_text(st, 2, &strs);
	}
	sqlite3_reset(st);

	if (*vid == 0) {
		err = prepare(q, ST_VERSION_INSERT, &st);
		if (err)
			goto out;
		bind_int(q, st, 1, listing_id);
		bind_text(q, st, 2, in->payload_sha256);
		bind_int(q, st, 3, run_id);
		bind_int(q, st, 4, in->seen_at);
		bind_opt(q, st, 5, in->page_id);
		bind_int(q, st, 6, in->score);
		bind_int(q, st, 7, in->level);
		bind_text(q, st, 8, in->lang);
		bind_text(q, st, 9, in->title);
		bind_text(q, st, 10, in->salary);
		bind_text(q, st, 11, in->location);
		bind_text(q, st, 12, in->employer);
		bind_text(q, st, 13, in->posted);
		bind_text(q, st, 14, in->text);
		err = step(q, st, "cannot record a version", NULL);
		if (!err)
			*vid = sqlite3_last_insert_rowid(q->db);
		goto out;
	}

	/* a version seen again: its text is refreshed where given (it may
	 * have been purged) */
	err = prepare(q, ST_VERSION_UPDATE, &st);
	if (err)
		goto out;
	bind_int(q, st, 1, *vid);
	bind_int(q, st, 2, run_id);
	bind_int(q, st, 3, in->seen_at);
	bind_opt(q, st, 4, in->page_id);
	bind_text(q, st, 5, in->lang);
	bind_text(q, st, 6, in->title);
	bind_text(q, st, 7, in->salary);
	bind_text(q, st, 8, in->location);
	bind_text(q, st, 9, in->employer);
	bind_text(q, st, 10, in->posted);
	bind_text(q, st, 11, in->text);
	err = step(q, st, "cannot update a version", NULL);
	if (err)
		goto out;
	*store_findings = findings_run == 0 || findings_run == run_id ||
			  !run_hash || !findings_hash ||
			  strcmp(run_hash, findings_hash) != 0;
	if (findings_run == run_id) {
		err = prepare(q, ST_FINDINGS_DELETE, &st);
		if (err)
			goto out;
		bind_int(q, st, 1, *vid);
		bind_int(q, st, 2, run_id);
		err = step(q, st, "cannot replace findings", NULL);
	}
out:
	store_strings_release(&strs);
	return err;
}

static enum rf_err
findings_put(struct sqlite_store *q, int64_t run_id, int64_t vid,
	     const struct store_finding *findings, size_t n)
{
	sqlite3_stmt *st;
	enum rf_err err = RF_OK;
	size_t i;

	for (i = 0; i < n && !err; i++) {
		const struct store_finding *f = &findings[i];

		if ((err = prepare(q, ST_FINDING_INSERT, &st)) != RF_OK)
			break;
		bind_int(q, st, 1, vid);
		bind_int(q, st, 2, run_id);
		bind_text(q, st, 3, f->rule_id);
		bind_text(q, st, 4, f->rule_version);
		bind_text(q, st, 5, f->indicator);
		bind_int(q, st, 6, f->weight);
		bind_text(q, st, 7, f->field);
		bind_int(q, st, 8, (int64_t)f->start);
		bind_int(q, st, 9, (int64_t)f->end);
		bind_text(q, st, 10, f->text);
		err = step(q, st, "cannot record a finding", NULL);
	}
	if (err)
		return err;
	if ((err = prepare(q, ST_FINDING_SET_PUT, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, vid);
	bind_int(q, st, 2, run_id);
	if ((err = step(q, st, "cannot record findings", NULL)) != RF_OK)
		return err;
	if ((err = prepare(q, ST_VERSION_FINDINGS_RUN, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, vid);
	bind_int(q, st, 2, run_id);
	return step(q, st, "cannot record findings", NULL);
}

/* Records the run's verdict on the listing and sets *change to it. */
static enum rf_err
score_put(struct sqlite_store *q, int64_t run_id, int64_t listing_id,
	  int64_t vid, const struct store_sighting *in,
	  enum store_change *change)
{
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	if ((err = prepare(q, ST_SCORE_GET, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, run_id);
	bind_int(q, st, 2, listing_id);
	if ((err = step(q, st, "cannot read a score", &row)) != RF_OK)
		return err;
	if (row)
		*change = combine_change(col_change(st, 0), *change);
	sqlite3_reset(st);

	if ((err = prepare(q, ST_SCORE_PUT, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, run_id);
	bind_int(q, st, 2, listing_id);
	bind_int(q, st, 3, vid);
	bind_opt(q, st, 4, in->page_id);
	bind_int(q, st, 5, in->score);
	bind_int(q, st, 6, in->level);
	bind_text(q, st, 7, store_change_name(*change));
	return step(q, st, "cannot record a score", NULL);
}

static enum rf_err
contacts_put(struct sqlite_store *q, int64_t run_id, int64_t listing_id,
	     const struct store_sighting *in)
{
	sqlite3_stmt *st;
	enum rf_err err = RF_OK;
	int64_t cid;
	size_t i;
	bool row;

	for (i = 0; i < in->ncontacts && !err; i++) {
		const struct store_contact *c = &in->contacts[i];
		const char *type = store_contact_type_name(c->type);
		const char *value = c->value;

		if ((err = prepare(q, ST_CONTACT_INSERT, &st)) != RF_OK)
			break;
		bind_text(q, st, 1, type);
		bind_text(q, st, 2, value);
		if ((err = step(q, st, "cannot record a contact", NULL)))
			break;
		if ((err = prepare(q, ST_CONTACT_FIND, &st)) != RF_OK)
			break;
		bind_text(q, st, 1, type);
		bind_text(q, st, 2, value);
		if ((err = step(q, st, "cannot read a contact", &row)))
			break;
		if (!row) {
			err = store_fail(&q->base, RF_EDB,
					 "a contact vanished");
			break;
		}
		cid = col_int(st, 0);
		sqlite3_reset(st);
		if ((err = prepare(q, ST_LINK_PUT, &st)) != RF_OK)
			break;
		bind_int(q, st, 1, listing_id);
		bind_int(q, st, 2, cid);
		bind_int(q, st, 3, run_id);
		err = step(q, st, "cannot link a contact", NULL);
	}
	return err;
}

static enum rf_err
upsert(struct sqlite_store *q, int64_t run_id, const struct store_sighting *in,
       struct store_upsert *res, struct store_strings *strs)
{
	const char *run_hash = NULL, *cur_sha = NULL;
	int64_t listing_id = 0, vid = 0;
	bool store_findings;
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = run_check(q, run_id, strs, &run_hash)) != RF_OK)
		return err;
	err = listing_find(q, in->url, &listing_id, strs, &cur_sha);
	if (err)
		return err;
	if (listing_id == 0) {
		res->change = STORE_NEW;
		err = listing_insert(q, run_id, in, &listing_id);
		if (err)
			return err;
	} else if (cur_sha && strcmp(cur_sha, in->payload_sha256) == 0) {
		res->change = STORE_UNCHANGED;
	} else {
		res->change = STORE_CHANGED;
	}
	err = version_put(q, run_id, run_hash, listing_id, in, &vid,
			  &store_findings);
	if (!err && store_findings)
		err = findings_put(q, run_id, vid, in->findings,
				   in->nfindings);
	if (err)
		return err;

	if ((err = prepare(q, ST_LISTING_UPDATE, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, listing_id);
	bind_text(q, st, 2, in->site);
	bind_int(q, st, 3, run_id);
	bind_int(q, st, 4, in->seen_at);
	bind_int(q, st, 5, vid);
	bind_int(q, st, 6, in->score);
	bind_int(q, st, 7, in->level);
	if ((err = step(q, st, "cannot update a listing", NULL)) != RF_OK)
		return err;

	err = score_put(q, run_id, listing_id, vid, in, &res->change);
	if (!err)
		err = contacts_put(q, run_id, listing_id, in);
	if (!err) {
		res->listing_id = listing_id;
		res->version_id = vid;
	}
	return err;
}

static enum rf_err
sq_listing_upsert(struct store *s, int64_t run_id,
		  const struct store_sighting *in, struct store_upsert *res)
{
	struct sqlite_store *q = sq(s);
	struct store_strings strs = { 0 };
	struct store_upsert r = { 0 };
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = op_end(q, upsert(q, run_id, in, &r, &strs));
	store_strings_release(&strs);
	if (!err)
		*res = r;
	return err;
}

static enum rf_err
verdict_set(struct sqlite_store *q, int64_t run_id, int64_t vid,
	    bool replace, const struct store_finding *f, size_t n, int score,
	    enum store_level level)
{
	static const enum stmt_id updates[] = {
		ST_SCORE_SET, ST_LISTING_SCORE_SET, ST_VERSION_SCORE_SET,
	};
	int64_t listing_id;
	sqlite3_stmt *st;
	enum rf_err err;
	size_t i;
	bool row;

	if ((err = prepare(q, ST_SCORE_OF_VERSION, &st)) != RF_OK)
		return err;
	bind_int(q, st, 1, run_id);
	bind_int(q, st, 2, vid);
	if ((err = step(q, st, "cannot read a score", &row)) != RF_OK)
		return err;
	if (!row)
		return store_fail(&q->base, RF_ENOENT,
				  "run %lld did not see version %lld",
				  (long long)run_id, (long long)vid);
	listing_id = col_int(st, 0);
	sqlite3_reset(st);

	if (replace) {
		if ((err = prepare(q, ST_FINDINGS_DELETE, &st)) != RF_OK)
			return err;
		bind_int(q, st, 1, vid);
		bind_int(q, st, 2, run_id);
		err = step(q, st, "cannot replace findings", NULL);
		if (!err)
			err = findings_put(q, run_id, vid, f, n);
		if (err)
			return err;
	}
	/* the run's verdict, the listing's if this version is current, the
	 * version's own if the run first saw it */
	for (i = 0; i < RF_ARRAY_SIZE(updates) && !err; i++) {
		if ((err = prepare(q, updates[i], &st)) != RF_OK)
			break;
		bind_int(q, st, 1, i == 0 ? run_id : i == 1 ? listing_id : vid);
		bind_int(q, st, 2, i == 0 ? listing_id : i == 1 ? vid : run_id);
		bind_int(q, st, 3, score);
		bind_int(q, st, 4, level);
		err = step(q, st, "cannot record a verdict", NULL);
	}
	return err;
}

static enum rf_err
sq_verdict_set(struct store *s, int64_t run_id, int64_t version_id,
	       bool replace, const struct store_finding *f, size_t n,
	       int score, enum store_level level)
{
	struct sqlite_store *q = sq(s);
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	return op_end(q, verdict_set(q, run_id, version_id, replace, f, n,
				     score, level));
}

static enum rf_err
sq_mark_removed(struct store *s, int64_t run_id, const char *const *sites,
		size_t nsites, size_t *n)
{
	struct sqlite_store *q = sq(s);
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *st;
	enum rf_err err;
	size_t i, count = 0;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = run_check(q, run_id, NULL, NULL);
	for (i = 0; i < nsites && !err; i++) {
		if ((err = prepare(q, ST_MARK_REMOVED, &st)) != RF_OK)
			break;
		bind_int(q, st, 1, run_id);
		bind_int(q, st, 2, now);
		bind_text(q, st, 3, sites[i]);
		err = step(q, st, "cannot mark listings removed", NULL);
		if (!err)
			count += (size_t)sqlite3_changes(q->db);
	}
	err = op_end(q, err);
	if (!err)
		*n = count;
	return err;
}

static enum rf_err
sq_site_stats_add(struct store *s, int64_t run_id, const char *site,
		  const struct store_site_counts *c)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	err = run_check(q, run_id, NULL, NULL);
	if (!err)
		err = prepare(q, ST_SITE_STATS_ADD, &st);
	if (!err) {
		bind_int(q, st, 1, run_id);
		bind_text(q, st, 2, site);
		bind_int(q, st, 3, c->pages_fetched);
		bind_int(q, st, 4, c->pages_blocked);
		bind_int(q, st, 5, c->errors);
		bind_int(q, st, 6, c->listings_extracted);
		err = step(q, st, "cannot record site statistics", NULL);
	}
	return op_end(q, err);
}

/* ---- queries ---- */

/* Reads LISTING_COLUMNS from column 'first' on, then score and level. */
static void
read_listing(sqlite3_stmt *st, int first, struct store_strings *strs,
	     struct store_listing *l)
{
	int i = first;

	l->id = col_int(st, i++);
	l->url = col_text(st, i++, strs);
	l->site = col_text(st, i++, strs);
	l->first_run = col_int(st, i++);
	l->first_seen_at = col_int(st, i++);
	l->last_run = col_int(st, i++);
	l->last_seen_at = col_int(st, i++);
	l->removed_run = col_int(st, i++);
	l->removed_at = col_int(st, i++);
	l->purged_at = col_int(st, i++);
	l->version_id = col_int(st, i++);
	l->payload_sha256 = col_text(st, i++, strs);
	l->lang = col_text(st, i++, strs);
	l->title = col_text(st, i++, strs);
	l->salary = col_text(st, i++, strs);
	l->location = col_text(st, i++, strs);
	l->employer = col_text(st, i++, strs);
	l->posted = col_text(st, i++, strs);
	l->score = (int)col_int(st, i++);
	l->level = col_level(st, i++);
	l->change = STORE_UNCHANGED;
}

static enum rf_err
sq_listings(struct store *s, int64_t run_id, unsigned which,
	    enum store_level min_level, struct store_listing_list *out)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	err = prepare(q, ST_LISTINGS, &st);
	if (err)
		return read_end(q, err);
	bind_int(q, st, 1, run_id);
	bind_int(q, st, 2, min_level);
	bind_int(q, st, 3, (which & STORE_SEL_NEW) != 0);
	bind_int(q, st, 4, (which & STORE_SEL_CHANGED) != 0);
	bind_int(q, st, 5, (which & STORE_SEL_UNCHANGED) != 0);
	bind_int(q, st, 6, (which & STORE_SEL_REMOVED) != 0);
	while (!(err = step(q, st, "cannot read listings", &row)) && row) {
		struct store_listing *l = store_listing_list_push(out);

		read_listing(st, 0, &out->strings_, l);
		l->change = col_change(st, LISTING_NCOLUMNS + 2);
	}
	return read_end(q, err);
}

static enum rf_err
sq_history(struct store *s, int64_t listing_id,
	   struct store_version_list *out)
{
	struct sqlite_store *q = sq(s);
	struct store_strings *strs = &out->strings_;
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	err = prepare(q, ST_HISTORY, &st);
	if (err)
		return read_end(q, err);
	bind_int(q, st, 1, listing_id);
	while (!(err = step(q, st, "cannot read versions", &row)) && row) {
		struct store_version *v = store_version_list_push(out);

		v->id = col_int(st, 0);
		v->payload_sha256 = col_text(st, 1, strs);
		v->first_run = col_int(st, 2);
		v->first_seen_at = col_int(st, 3);
		v->last_run = col_int(st, 4);
		v->last_seen_at = col_int(st, 5);
		v->page_id = col_int(st, 6);
		v->score = (int)col_int(st, 7);
		v->level = col_level(st, 8);
		v->findings_run = col_int(st, 9);
		v->lang = col_text(st, 10, strs);
		v->title = col_text(st, 11, strs);
		v->salary = col_text(st, 12, strs);
		v->location = col_text(st, 13, strs);
		v->employer = col_text(st, 14, strs);
		v->posted = col_text(st, 15, strs);
		v->text = col_text(st, 16, strs);
	}
	return read_end(q, err);
}

static enum rf_err
sq_findings(struct store *s, int64_t version_id, int64_t run_id,
	    struct store_finding_list *out)
{
	struct sqlite_store *q = sq(s);
	struct store_strings *strs = &out->strings_;
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	err = prepare(q, ST_FINDINGS, &st);
	if (err)
		return read_end(q, err);
	bind_int(q, st, 1, version_id);
	bind_opt(q, st, 2, run_id);
	while (!(err = step(q, st, "cannot read findings", &row)) && row) {
		struct store_finding *f = store_finding_list_push(out);

		f->run_id = col_int(st, 0);
		f->rule_id = col_text(st, 1, strs);
		f->rule_version = col_text(st, 2, strs);
		f->indicator = col_text(st, 3, strs);
		f->weight = (int)col_int(st, 4);
		f->field = col_text(st, 5, strs);
		f->start = (size_t)col_int(st, 6);
		f->end = (size_t)col_int(st, 7);
		f->text = col_text(st, 8, strs);
	}
	return read_end(q, err);
}

static enum rf_err
sq_clusters(struct store *s, int64_t run_id, size_t min_listings,
	    struct store_cluster_list *out)
{
	struct sqlite_store *q = sq(s);
	struct store_listing_list *ls = &out->listings_;
	struct store_cluster *c = NULL;
	int64_t contact = 0, id;
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	err = prepare(q, ST_CLUSTERS, &st);
	if (err)
		return read_end(q, err);
	bind_int(q, st, 1, min_listings > INT64_MAX ? INT64_MAX :
						      (int64_t)min_listings);
	bind_opt(q, st, 2, run_id);
	while (!(err = step(q, st, "cannot read clusters", &row)) && row) {
		id = col_int(st, 0);
		if (!c || id != contact) {
			ALLOC_GROW(out->items, out->n + 1, out->alloc);
			c = &out->items[out->n++];
			memset(c, 0, sizeof(*c));
			c->type = (enum store_contact_type)name_index(
				sqlite3_column_text(st, 1), contact_name_i,
				STORE_CONTACT_MAX, STORE_CONTACT_LINK);
			c->value = col_text(st, 2, &ls->strings_);
			c->first_ = ls->n;
			contact = id;
		}
		read_listing(st, 3, &ls->strings_,
			     store_listing_list_push(ls));
		c->nlistings++;
	}
	return read_end(q, err);
}

static enum rf_err
sq_site_stats(struct store *s, const char *job, size_t last_runs,
	      struct store_site_stats_list *out)
{
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;
	bool row;

	err = prepare(q, ST_SITE_STATS, &st);
	if (err)
		return read_end(q, err);
	bind_text(q, st, 1, job);
	bind_int(q, st, 2, last_runs > INT64_MAX ? INT64_MAX :
						   (int64_t)last_runs);
	while (!(err = step(q, st, "cannot read site statistics", &row)) &&
	       row) {
		struct store_site_stats *x = store_site_stats_list_push(out);

		x->run_id = col_int(st, 0);
		x->run_started_at = col_int(st, 1);
		x->site = col_text(st, 2, &out->strings_);
		x->counts.pages_fetched = col_int(st, 3);
		x->counts.pages_blocked = col_int(st, 4);
		x->counts.errors = col_int(st, 5);
		x->counts.listings_extracted = col_int(st, 6);
	}
	return read_end(q, err);
}

/* ---- retention ---- */

static enum rf_err
sq_purge(struct store *s, int64_t cutoff, int64_t now, size_t *n)
{
	static const enum stmt_id steps[] = {
		ST_PURGE_FINDINGS, ST_PURGE_FINDING_SETS, ST_PURGE_LINKS,
		ST_PURGE_CONTACTS,
		ST_PURGE_VERSIONS, ST_PURGE_LISTINGS,
	};
	struct sqlite_store *q = sq(s);
	sqlite3_stmt *st;
	enum rf_err err;
	size_t i, count = 0;

	if ((err = op_begin(q)) != RF_OK)
		return err;
	for (i = 0; i < RF_ARRAY_SIZE(steps) && !err; i++) {
		if ((err = prepare(q, steps[i], &st)) != RF_OK)
			break;
		if (sqlite3_bind_parameter_count(st) >= 1)
			bind_int(q, st, 1, cutoff);
		if (sqlite3_bind_parameter_count(st) >= 2)
			bind_int(q, st, 2, now);
		err = step(q, st, "cannot purge", NULL);
		if (!err && steps[i] == ST_PURGE_LISTINGS)
			count = (size_t)sqlite3_changes(q->db);
	}
	err = op_end(q, err);
	if (err)
		return err;
	*n = count;
	/*
	 * The old pages stay in the write-ahead log until a checkpoint; move
	 * them out now when no batch is open (best effort: a reader may
	 * hold the log, and then the next checkpoint does it).
	 */
	if (!q->batch)
		(void)sqlite3_wal_checkpoint_v2(q->db, NULL,
						SQLITE_CHECKPOINT_TRUNCATE,
						NULL, NULL);
	return RF_OK;
}

/* ---- opening ---- */

/* Runs constant sql with integer parameters a and b (when nparams says)
 * and sets *out (may be NULL) to the first column of the first row. */
static enum rf_err
query_int(struct sqlite_store *q, const char *sql, int nparams, int64_t a,
	  int64_t b, int64_t *out, const char *what)
{
	sqlite3_stmt *st = NULL;
	enum rf_err err = RF_OK;
	bool row = false;
	int rc;

	if (out)
		*out = 0;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(q, rc, what);
	q->bind_rc = SQLITE_OK;
	if (nparams >= 1)
		bind_int(q, st, 1, a);
	if (nparams >= 2)
		bind_int(q, st, 2, b);
	err = step(q, st, what, &row);
	if (!err && row && out)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return err;
}

/* Sets *version to the schema's version, refusing foreign databases. */
static enum rf_err
schema_version(struct sqlite_store *q, const char *path, int64_t *version)
{
	int64_t app_id, objects, has_table;
	enum rf_err err;

	*version = 0;
	err = query_int(q, "PRAGMA application_id", 0, 0, 0, &app_id,
			"cannot read the database");
	if (!err)
		err = query_int(q, "SELECT COUNT(*) FROM sqlite_master", 0, 0,
				0, &objects, "cannot read the database");
	if (err)
		return err;
	if (app_id != SQLITE_APPLICATION_ID && (app_id != 0 || objects != 0))
		return store_fail(&q->base, RF_EDB,
				  "'%s' is not a redflag database", path);
	if (objects == 0)
		return RF_OK;
	err = query_int(q,
			"SELECT COUNT(*) FROM sqlite_master WHERE type = "
			"'table' AND name = 'schema_version'",
			0, 0, 0, &has_table, "cannot read the schema version");
	if (!err && has_table)
		err = query_int(q, "SELECT MAX(version) FROM schema_version",
				0, 0, 0, version,
				"cannot read the schema version");
	return err;
}

/*
 * Brings the schema to version nsteps, one step per transaction. The
 * version is read inside the step's write transaction, so two processes
 * opening a fresh database at once do not both apply a step.
 */
static enum rf_err
migrate(struct sqlite_store *q, const char *path, const char *const *steps,
	size_t nsteps, bool readonly)
{
	int64_t version;
	enum rf_err err;

	for (;;) {
		if (!readonly) {
			err = exec_sql(q, "BEGIN IMMEDIATE",
				       "cannot start a migration");
			if (err)
				return err;
		}
		err = schema_version(q, path, &version);
		if (!err && version > (int64_t)nsteps)
			err = store_fail(
				&q->base, RF_EDB,
				"'%s' has schema version %lld, newer than "
				"this redflag knows (%zu): upgrade redflag",
				path, (long long)version, nsteps);
		if (!err && version < (int64_t)nsteps && readonly)
			err = store_fail(
				&q->base, RF_EDB,
				"'%s' has schema version %lld and needs "
				"migrating to %zu: open it for writing",
				path, (long long)version, nsteps);
		if (err || version == (int64_t)nsteps)
			break;
		err = exec_sql(q, steps[version], "cannot migrate the schema");
		if (!err)
			err = query_int(q,
					"INSERT INTO schema_version (version, "
					"applied_at) VALUES (?1, ?2)",
					2, version + 1, (int64_t)time(NULL),
					NULL, "cannot record the migration");
		if (err)
			break;
		err = exec_sql(q, "COMMIT", "cannot commit a migration");
		if (err)
			break;
	}
	if (readonly)
		return err;
	if (err) {
		if (!sqlite3_get_autocommit(q->db))
			exec_quiet(q, "ROLLBACK");
		return err;
	}
	return exec_sql(q, "COMMIT", "cannot commit a migration");
}

/*
 * Creates path with mode 0600 if it does not exist. open()'s mode is cut
 * by the umask, so the mode is set again with fchmod() on the new file:
 * the database holds personal data and is never group or world readable.
 * SQLite gives its -wal and -shm files the database's mode.
 */
static enum rf_err
create_file(struct sqlite_store *q, const char *path)
{
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
		  0600);
	if (fd < 0 && errno == EEXIST)
		return RF_OK;
	if (fd < 0) {
		e = errno;
		return store_fail(&q->base, e == ENOENT ? RF_ENOENT : RF_EIO,
				  "cannot create '%s': %s", path, strerror(e));
	}
	if (fchmod(fd, 0600) != 0) {
		e = errno;
		close(fd);
		unlink(path);
		return store_fail(&q->base, RF_EIO,
				  "cannot set the mode of '%s': %s", path,
				  strerror(e));
	}
	if (close(fd) != 0)
		return store_fail(&q->base, RF_EIO, "cannot create '%s': %s",
				  path, strerror(errno));
	return RF_OK;
}

/* Applies the connection's settings: see store/README.md. */
static enum rf_err
configure(struct sqlite_store *q, bool readonly)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *mode;
	enum rf_err err;
	int rc;

	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, SQLITE_BUSY_TIMEOUT_MS);
	/* the file is data, not code: no writable schema tricks, no
	 * functions with side effects from the schema */
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
			  (int *)NULL);
	err = exec_sql(q,
		       "PRAGMA foreign_keys = ON;"
		       "PRAGMA synchronous = FULL;"
		       "PRAGMA secure_delete = ON;",
		       "cannot configure the database");
	if (err || readonly)
		return err;
	rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st,
				NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		err = db_fail(q, rc, "cannot switch to WAL mode");
		goto out;
	}
	mode = sqlite3_column_text(st, 0);
	if (!mode || strcmp((const char *)mode, "wal") != 0)
		err = store_fail(&q->base, RF_EDB,
				 "cannot switch to WAL mode: the journal "
				 "stays '%s'",
				 mode ? (const char *)mode : "?");
out:
	sqlite3_finalize(st);
	return err;
}

static void
sq_close(struct store *s)
{
	struct sqlite_store *q = sq(s);
	size_t i;

	if (!q)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(q->stmt[i]);
	if (q->db) {
		if (!sqlite3_get_autocommit(q->db))
			exec_quiet(q, "ROLLBACK");
		sqlite3_close(q->db);
	}
	store_base_release(&q->base);
	free(q);
}

enum rf_err
store_sqlite_open_with(const char *path, unsigned flags,
		       const char *const *steps, size_t nsteps,
		       struct store **out)
{
	struct sqlite_store *q = xcalloc(1, sizeof(*q));
	bool readonly = (flags & STORE_READONLY) != 0;
	struct stat sb;
	enum rf_err err = RF_OK;
	int rc;

	store_base_init(&q->base, &store_sqlite_ops);
	*out = &q->base;
	if (flags & STORE_CREATE)
		err = create_file(q, path);
	else if (stat(path, &sb) != 0)
		err = store_fail(&q->base, errno == ENOENT ? RF_ENOENT : RF_EIO,
				 "cannot open '%s': %s", path, strerror(errno));
	if (!err && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		err = store_fail(&q->base, RF_EISDIR, "'%s' is a directory",
				 path);
	if (err)
		return err;
	rc = sqlite3_open_v2(path, &q->db,
			     readonly ? SQLITE_OPEN_READONLY :
					SQLITE_OPEN_READWRITE,
			     NULL);
	if (rc != SQLITE_OK)
		return db_fail(q, rc, "cannot open the database");
	err = configure(q, readonly);
	if (!err)
		err = migrate(q, path, steps, nsteps, readonly);
	return err;
}

static enum rf_err
sq_open(const char *path, unsigned flags, struct store **out)
{
	return store_sqlite_open_with(path, flags, store_sqlite_migrations,
				      STORE_SCHEMA_VERSION, out);
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.run_begin = sq_run_begin,
	.run_finish = sq_run_finish,
	.runs_interrupt = sq_runs_interrupt,
	.run_get = sq_run_get,
	.run_previous = sq_run_previous,
	.page_add = sq_page_add,
	.pages_foreach = sq_pages_foreach,
	.page_last = sq_page_last,
	.listing_upsert = sq_listing_upsert,
	.verdict_set = sq_verdict_set,
	.mark_removed = sq_mark_removed,
	.site_stats_add = sq_site_stats_add,
	.listings = sq_listings,
	.history = sq_history,
	.findings = sq_findings,
	.clusters = sq_clusters,
	.site_stats = sq_site_stats,
	.purge = sq_purge,
};
