/* frontier.c: the crawler's frontier and page table in SQLite (WAL). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "crawler/frontier.h"
#include "common/banned.h"

#define FRONTIER_SCHEMA_VERSION 1

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs ("
	" id INTEGER PRIMARY KEY,"
	" started REAL NOT NULL,"
	" finished REAL,"
	" elapsed REAL NOT NULL DEFAULT 0,"
	" stop_reason TEXT,"
	" summary TEXT);"
	"CREATE TABLE IF NOT EXISTS urls ("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE,"
	" host TEXT NOT NULL,"
	" site TEXT NOT NULL,"
	" kind INTEGER NOT NULL DEFAULT 0,"
	" depth INTEGER NOT NULL DEFAULT 0,"
	" hops INTEGER NOT NULL DEFAULT 0,"
	" parent INTEGER,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" next_fetch REAL NOT NULL DEFAULT 0,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" status INTEGER NOT NULL DEFAULT 0,"
	" etag TEXT,"
	" last_modified TEXT,"
	" payload_sha1 TEXT,"
	" sha256 TEXT,"
	" fetched_at REAL,"
	" last_run INTEGER,"
	" last_error TEXT,"
	" warc_file TEXT,"
	" warc_offset INTEGER,"
	" warc_id TEXT,"
	" redirect TEXT);"
	"CREATE INDEX IF NOT EXISTS urls_queue"
	" ON urls(host, state, depth, id);"
	"CREATE INDEX IF NOT EXISTS urls_run ON urls(last_run, site);"
	"CREATE TABLE IF NOT EXISTS payloads ("
	" sha1 TEXT PRIMARY KEY,"
	" warc_id TEXT NOT NULL,"
	" uri TEXT NOT NULL,"
	" date REAL NOT NULL);";

enum stmt_id {
	ST_ADD,
	ST_NEXT,
	ST_NEXT_DUE,
	ST_DONE,
	ST_RETRY,
	ST_PAYLOAD_FIND,
	ST_PAYLOAD_ADD,
	ST_LOOKUP,
	ST_MAX
};

#define URL_COLUMNS \
	"id, url, host, site, kind, depth, hops, attempts, state, status," \
	" etag, last_modified, payload_sha1, warc_id, fetched_at"

static const char *const stmt_sql[ST_MAX] = {
	[ST_ADD] = "INSERT OR IGNORE INTO urls"
		   " (url, host, site, kind, depth, hops, parent)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_NEXT] = "SELECT " URL_COLUMNS " FROM urls"
		    " WHERE host = ?1 AND state = 0 AND next_fetch <= ?2"
		    " ORDER BY depth, id LIMIT 1",
	[ST_NEXT_DUE] = "SELECT MIN(next_fetch) FROM urls"
			" WHERE host = ?1 AND state = 0",
	[ST_DONE] = "UPDATE urls SET state = ?2, status = ?3,"
		    " next_fetch = ?4, last_error = ?5,"
		    " etag = COALESCE(?6, etag),"
		    " last_modified = COALESCE(?7, last_modified),"
		    " payload_sha1 = COALESCE(?8, payload_sha1),"
		    " sha256 = COALESCE(?9, sha256),"
		    " warc_file = COALESCE(?10, warc_file),"
		    " warc_offset = COALESCE(?11, warc_offset),"
		    " warc_id = COALESCE(?12, warc_id),"
		    " redirect = ?13,"
		    " fetched_at = COALESCE(?14, fetched_at),"
		    " attempts = attempts + 1, last_run = ?15"
		    " WHERE id = ?1",
	[ST_RETRY] = "UPDATE urls SET state = 0, next_fetch = ?2,"
		     " status = ?3, last_error = ?4,"
		     " attempts = attempts + 1 WHERE id = ?1",
	[ST_PAYLOAD_FIND] = "SELECT warc_id, uri, date FROM payloads"
			    " WHERE sha1 = ?1",
	[ST_PAYLOAD_ADD] = "INSERT OR IGNORE INTO payloads"
			   " (sha1, warc_id, uri, date)"
			   " VALUES (?1, ?2, ?3, ?4)",
	[ST_LOOKUP] = "SELECT " URL_COLUMNS " FROM urls WHERE url = ?1",
};

struct frontier {
	sqlite3 *db;
	int lock_fd;
	bool in_tx;
	int64_t run;
	double elapsed_before;
	sqlite3_stmt *st[ST_MAX];
};

const char *
frontier_error(const struct frontier *f)
{
	if (!f || !f->db)
		return "";
	return sqlite3_errmsg(f->db);
}

void
frontier_url_release(struct frontier_url *u)
{
	if (!u)
		return;
	free(u->url);
	free(u->host);
	free(u->site);
	free(u->etag);
	free(u->last_modified);
	free(u->payload_sha1);
	free(u->warc_id);
	memset(u, 0, sizeof(*u));
}

static enum rf_err
exec_sql(struct frontier *f, const char *sql)
{
	return sqlite3_exec(f->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
		       RF_OK :
		       RF_EDB;
}

static sqlite3_stmt *
stmt(struct frontier *f, enum stmt_id id)
{
	sqlite3_stmt *s = f->st[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static char *
column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

enum rf_err
frontier_open(const char *path, struct frontier **out, struct buf *err)
{
	struct frontier *f;
	enum rf_err e = RF_EDB;
	int version = 0;
	sqlite3_stmt *s = NULL;
	size_t i;

	*out = NULL;
	f = xcalloc(1, sizeof(*f));
	f->lock_fd = -1;
	/*
	 * Made here, 0600 whatever the umask, before SQLite makes it 0644:
	 * the state names every page of the sites watched. SQLite gives its
	 * -wal and -shm files the database's mode.
	 */
	f->lock_fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
				       O_NOCTTY, 0600);
	if (f->lock_fd >= 0) {
		if (fchmod(f->lock_fd, 0600) != 0) {
			buf_addf(err, "cannot set the mode of '%s': %s", path,
				 strerror(errno));
			goto out;
		}
		close(f->lock_fd);
		f->lock_fd = -1;
	} else if (errno != EEXIST) {
		buf_addf(err, "cannot open database '%s': %s", path,
			 strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(path, &f->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		buf_addf(err, "cannot open database '%s': %s", path,
			 f->db ? sqlite3_errmsg(f->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(f->db, 5000);
	/*
	 * The lock is a flock() on the database file, held on a descriptor
	 * of our own that stays open until sqlite3_close(): closing it
	 * earlier would drop SQLite's own POSIX locks on the file.
	 */
	f->lock_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->lock_fd < 0) {
		buf_addf(err, "cannot open database '%s': %s", path,
			 strerror(errno));
		goto out;
	}
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		e = errno == EWOULDBLOCK ? RF_ELOCKED : RF_EDB;
		buf_addf(err, "database '%s' is in use by another crawl", path);
		goto out;
	}
	if (exec_sql(f, "PRAGMA journal_mode=WAL;"
			"PRAGMA synchronous=NORMAL;"
			"PRAGMA foreign_keys=OFF;") != RF_OK)
		goto sqlerr;
	if (sqlite3_prepare_v2(f->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		goto sqlerr;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (version > FRONTIER_SCHEMA_VERSION) {
		buf_addf(err, "database '%s' has schema %d, newer than this "
			      "program's %d", path, version,
			 FRONTIER_SCHEMA_VERSION);
		goto out;
	}
	if (exec_sql(f, schema) != RF_OK ||
	    exec_sql(f, "PRAGMA user_version = 1") != RF_OK)
		goto sqlerr;
	for (i = 0; i < ST_MAX; i++) {
		if (sqlite3_prepare_v3(f->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &f->st[i],
				       NULL) != SQLITE_OK)
			goto sqlerr;
	}
	*out = f;
	f = NULL;
	e = RF_OK;
	goto out;
sqlerr:
	buf_addf(err, "database '%s': %s", path, sqlite3_errmsg(f->db));
out:
	frontier_close(f);
	return e;
}

void
frontier_close(struct frontier *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(f->st[i]);
	if (f->db && f->in_tx)
		sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(f->db);
	if (f->lock_fd >= 0)
		close(f->lock_fd);
	free(f);
}

enum rf_err
frontier_begin(struct frontier *f)
{
	if (f->in_tx)
		return RF_OK;
	if (exec_sql(f, "BEGIN IMMEDIATE") != RF_OK)
		return RF_EDB;
	f->in_tx = true;
	return RF_OK;
}

enum rf_err
frontier_commit(struct frontier *f)
{
	if (!f->in_tx)
		return RF_OK;
	if (exec_sql(f, "COMMIT") != RF_OK)
		return RF_EDB;
	f->in_tx = false;
	return RF_OK;
}

bool
frontier_in_transaction(const struct frontier *f)
{
	return f->in_tx;
}

static enum rf_err
step_done(struct frontier *f, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	(void)f;
	return rc == SQLITE_DONE ? RF_OK : RF_EDB;
}

enum rf_err
frontier_run_start(struct frontier *f, double now, int64_t *run,
		   bool *resumed)
{
	sqlite3_stmt *s = NULL;
	enum rf_err e = RF_EDB;
	bool found = false;

	*resumed = false;
	if (frontier_begin(f) != RF_OK)
		return RF_EDB;
	if (sqlite3_prepare_v2(f->db,
			       "SELECT id, elapsed, finished FROM runs"
			       " ORDER BY id DESC LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 2) == SQLITE_NULL) {
		f->run = sqlite3_column_int64(s, 0);
		f->elapsed_before = sqlite3_column_double(s, 1);
		found = true;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!found) {
		if (sqlite3_prepare_v2(f->db,
				       "INSERT INTO runs (started) VALUES (?1)",
				       -1, &s, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_double(s, 1, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
		f->run = sqlite3_last_insert_rowid(f->db);
		f->elapsed_before = 0;
		if (exec_sql(f, "UPDATE urls SET attempts = 0"
				" WHERE attempts != 0") != RF_OK)
			goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	/* pages due again, and those given up in an earlier run */
	if (sqlite3_prepare_v2(f->db,
			       "UPDATE urls SET state = 0 WHERE state != 0 AND"
			       " ((next_fetch > 0 AND next_fetch <= ?1) OR"
			       " (state = 2 AND last_run != ?2))",
			       -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_double(s, 1, now);
	sqlite3_bind_int64(s, 2, f->run);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	if (frontier_commit(f) != RF_OK)
		goto out;
	*run = f->run;
	*resumed = found;
	e = RF_OK;
out:
	sqlite3_finalize(s);
	return e;
}

enum rf_err
frontier_requeue_due(struct frontier *f, const char *site, double recrawl,
		     double now)
{
	sqlite3_stmt *s = NULL;
	enum rf_err e = RF_EDB;

	if (recrawl <= 0)
		return RF_OK;
	if (sqlite3_prepare_v2(f->db,
			       "UPDATE urls SET state = 0, next_fetch = 0"
			       " WHERE site = ?1 AND state IN (1, 3) AND"
			       " last_run != ?4 AND"
			       " COALESCE(fetched_at, 0) + ?2 <= ?3",
			       -1, &s, NULL) != SQLITE_OK)
		return RF_EDB;
	bind_text(s, 1, site);
	sqlite3_bind_double(s, 2, recrawl);
	sqlite3_bind_double(s, 3, now);
	sqlite3_bind_int64(s, 4, f->run);
	if (sqlite3_step(s) == SQLITE_DONE)
		e = RF_OK;
	sqlite3_finalize(s);
	return e;
}

double
frontier_run_elapsed(const struct frontier *f)
{
	return f->elapsed_before;
}

static enum rf_err
run_update(struct frontier *f, const char *sql, double a, const char *b,
	   const char *c)
{
	sqlite3_stmt *s = NULL;
	enum rf_err e = RF_EDB;

	if (sqlite3_prepare_v2(f->db, sql, -1, &s, NULL) != SQLITE_OK)
		return RF_EDB;
	sqlite3_bind_int64(s, 1, f->run);
	sqlite3_bind_double(s, 2, a);
	bind_text(s, 3, b);
	bind_text(s, 4, c);
	if (sqlite3_step(s) == SQLITE_DONE)
		e = RF_OK;
	sqlite3_finalize(s);
	return e;
}

enum rf_err
frontier_run_progress(struct frontier *f, double elapsed)
{
	return run_update(f, "UPDATE runs SET elapsed = ?2 WHERE id = ?1",
			  elapsed, NULL, NULL);
}

enum rf_err
frontier_run_finish(struct frontier *f, double now, const char *stop_reason,
		    const char *summary, bool finished)
{
	if (!finished)
		return run_update(f, "UPDATE runs SET stop_reason = ?3,"
				     " summary = ?4 WHERE id = ?1 AND ?2 >= 0",
				  now, stop_reason, summary);
	return run_update(f, "UPDATE runs SET finished = ?2, stop_reason = ?3,"
			     " summary = ?4 WHERE id = ?1",
			  now, stop_reason, summary);
}

enum rf_err
frontier_add(struct frontier *f, const struct frontier_new *u, bool *added)
{
	sqlite3_stmt *s = stmt(f, ST_ADD);
	enum rf_err e;

	bind_text(s, 1, u->url);
	bind_text(s, 2, u->host);
	bind_text(s, 3, u->site);
	sqlite3_bind_int(s, 4, u->kind);
	sqlite3_bind_int(s, 5, u->depth);
	sqlite3_bind_int(s, 6, u->hops);
	if (u->parent)
		sqlite3_bind_int64(s, 7, u->parent);
	else
		sqlite3_bind_null(s, 7);
	e = step_done(f, s);
	if (e == RF_OK && added)
		*added = sqlite3_changes(f->db) > 0;
	return e;
}

static void
url_from_row(sqlite3_stmt *s, struct frontier_url *u)
{
	u->id = sqlite3_column_int64(s, 0);
	u->url = column_dup(s, 1);
	u->host = column_dup(s, 2);
	u->site = column_dup(s, 3);
	u->kind = sqlite3_column_int(s, 4);
	u->depth = sqlite3_column_int(s, 5);
	u->hops = sqlite3_column_int(s, 6);
	u->attempts = sqlite3_column_int(s, 7);
	u->state = sqlite3_column_int(s, 8);
	u->status = sqlite3_column_int(s, 9);
	u->etag = column_dup(s, 10);
	u->last_modified = column_dup(s, 11);
	u->payload_sha1 = column_dup(s, 12);
	u->warc_id = column_dup(s, 13);
	u->fetched_at = sqlite3_column_double(s, 14);
}

enum rf_err
frontier_next(struct frontier *f, const char *host, double now,
	      struct frontier_url *u, bool *found, double *next_due)
{
	sqlite3_stmt *s = stmt(f, ST_NEXT);
	int rc;

	*found = false;
	*next_due = 0;
	memset(u, 0, sizeof(*u));
	bind_text(s, 1, host);
	sqlite3_bind_double(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		url_from_row(s, u);
		*found = true;
		sqlite3_reset(s);
		return RF_OK;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return RF_EDB;
	s = stmt(f, ST_NEXT_DUE);
	bind_text(s, 1, host);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		*next_due = sqlite3_column_double(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RF_OK : RF_EDB;
}

enum rf_err
frontier_done(struct frontier *f, int64_t id, const struct frontier_result *r)
{
	sqlite3_stmt *s = stmt(f, ST_DONE);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, r->state);
	sqlite3_bind_int64(s, 3, r->status);
	sqlite3_bind_double(s, 4, r->next_fetch);
	bind_text(s, 5, r->error);
	bind_text(s, 6, r->etag);
	bind_text(s, 7, r->last_modified);
	bind_text(s, 8, r->payload_sha1);
	bind_text(s, 9, r->sha256);
	bind_text(s, 10, r->warc_file);
	if (r->warc_file)
		sqlite3_bind_int64(s, 11, (sqlite3_int64)r->warc_offset);
	else
		sqlite3_bind_null(s, 11);
	bind_text(s, 12, r->warc_id);
	bind_text(s, 13, r->redirect);
	if (r->fetched_at > 0)
		sqlite3_bind_double(s, 14, r->fetched_at);
	else
		sqlite3_bind_null(s, 14);
	sqlite3_bind_int64(s, 15, f->run);
	return step_done(f, s);
}

enum rf_err
frontier_retry(struct frontier *f, int64_t id, double next_fetch, long status,
	       const char *error)
{
	sqlite3_stmt *s = stmt(f, ST_RETRY);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_double(s, 2, next_fetch);
	sqlite3_bind_int64(s, 3, status);
	bind_text(s, 4, error);
	return step_done(f, s);
}

enum rf_err
frontier_hosts(struct frontier *f,
	       void (*fn)(const char *host, const char *site, double due,
			  void *arg),
	       void *arg)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(f->db,
			       "SELECT host, MIN(site), MIN(next_fetch)"
			       " FROM urls WHERE state = 0 GROUP BY host",
			       -1, &s, NULL) != SQLITE_OK)
		return RF_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(s, 0),
		   (const char *)sqlite3_column_text(s, 1),
		   sqlite3_column_double(s, 2), arg);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? RF_OK : RF_EDB;
}

static enum rf_err
count_query(struct frontier *f, const char *sql, int64_t run,
	    const char *site, long *n)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(f->db, sql, -1, &s, NULL) != SQLITE_OK)
		return RF_EDB;
	if (sqlite3_bind_parameter_count(s) >= 2) {
		sqlite3_bind_int64(s, 1, run);
		bind_text(s, 2, site);
	} else if (sqlite3_bind_parameter_count(s) == 1) {
		bind_text(s, 1, site);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? RF_OK : RF_EDB;
}

enum rf_err
frontier_run_count(struct frontier *f, int64_t run, const char *site,
		   long *n)
{
	return count_query(f, "SELECT COUNT(*) FROM urls WHERE last_run = ?1"
			      " AND site = ?2 AND status > 0",
			   run, site, n);
}

enum rf_err
frontier_queued(struct frontier *f, long *n)
{
	return count_query(f, "SELECT COUNT(*) FROM urls WHERE state = 0", 0,
			   NULL, n);
}

enum rf_err
frontier_host_queued(struct frontier *f, const char *host, long *n)
{
	return count_query(f, "SELECT COUNT(*) FROM urls WHERE host = ?1"
			      " AND state = 0", 0, host, n);
}

enum rf_err
frontier_payload_find(struct frontier *f, const char *sha1, bool *found,
		      char **warc_id, char **uri, double *date)
{
	sqlite3_stmt *s = stmt(f, ST_PAYLOAD_FIND);
	int rc;

	*found = false;
	*warc_id = NULL;
	*uri = NULL;
	*date = 0;
	bind_text(s, 1, sha1);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = true;
		*warc_id = column_dup(s, 0);
		*uri = column_dup(s, 1);
		*date = sqlite3_column_double(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RF_OK : RF_EDB;
}

enum rf_err
frontier_payload_add(struct frontier *f, const char *sha1, const char *warc_id,
		     const char *uri, double date)
{
	sqlite3_stmt *s = stmt(f, ST_PAYLOAD_ADD);

	bind_text(s, 1, sha1);
	bind_text(s, 2, warc_id);
	bind_text(s, 3, uri);
	sqlite3_bind_double(s, 4, date);
	return step_done(f, s);
}

enum rf_err
frontier_lookup(struct frontier *f, const char *url, struct frontier_url *u,
		bool *found)
{
	sqlite3_stmt *s = stmt(f, ST_LOOKUP);
	int rc;

	*found = false;
	memset(u, 0, sizeof(*u));
	bind_text(s, 1, url);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		url_from_row(s, u);
		*found = true;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RF_OK : RF_EDB;
}
