/*
 * fuzz-job.c: the job file parser (crawler/job.c, redflag-job(5)) through
 * crawl_job_parse(), what crawl_job_load() runs on a file's bytes, then
 * crawl_job_check(). A file either parses into a job that keeps the
 * limits redflag-job(5) documents (1 to RF_JOB_MAX_SITES sites with
 * unique names of letters, digits and . _ -; seeds that are normalised
 * http, https or file URLs; lists capped at RF_JOB_MAX_LIST; patterns that
 * compile; delays, timeouts and sizes in their ranges) with no message, or
 * fails with RF_EPARSE, no job and "FILE:LINE: message" lines.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl-int.h"
#include "crawler/crawl.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

/* A job file in a folder that does not exist: its name anchors paths. */
#define PATH "/nonexistent/fuzz.conf"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
		   "0123456789._-"

static bool
compiles(const char *pat)
{
	pcre2_code *re;
	int code;
	PCRE2_SIZE off;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			   &code, &off, NULL);
	pcre2_code_free(re);
	return re != NULL;
}

static void
check_patterns(char **v, size_t n)
{
	size_t i;

	FUZZ_ASSERT(n <= RF_JOB_MAX_LIST);
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(v[i] && compiles(v[i]));
}

static void
check_site(const struct crawl_job *job, size_t k)
{
	const struct crawl_site *s = &job->sites[k];
	size_t i;

	FUZZ_ASSERT(s->name && *s->name &&
		    strspn(s->name, NAME_CHARS) == strlen(s->name));
	for (i = 0; i < k; i++)
		FUZZ_ASSERT(strcmp(job->sites[i].name, s->name) != 0);
	FUZZ_ASSERT(s->line > 0);
	FUZZ_ASSERT(s->nseeds <= RF_JOB_MAX_LIST);
	for (i = 0; i < s->nseeds; i++)
		FUZZ_ASSERT(str_has_prefix(s->seeds[i], "http://") ||
			    str_has_prefix(s->seeds[i], "https://") ||
			    str_has_prefix(s->seeds[i], "file://"));
	FUZZ_ASSERT(!s->root || str_has_prefix(s->root, "file://"));
	check_patterns(s->allow, s->nallow);
	check_patterns(s->deny, s->ndeny);
	check_patterns(s->listing, s->nlisting);
	check_patterns(s->index, s->nindex);
	FUZZ_ASSERT(s->depth >= 0 && s->depth <= 1000);
	FUZZ_ASSERT(s->max_pages >= 0);
	FUZZ_ASSERT(s->max_time >= 0 && s->max_time <= 1e9);
	FUZZ_ASSERT(s->delay >= 0 && s->delay <= RF_CRAWL_DELAY_MAX);
	FUZZ_ASSERT(s->recrawl >= 0 && s->recrawl <= 1e9);
	FUZZ_ASSERT(s->connect_timeout >= 0.001 &&
		    s->connect_timeout <= RF_CRAWL_TIMEOUT_MAX);
	FUZZ_ASSERT(s->timeout >= 0.001 && s->timeout <= RF_CRAWL_TIMEOUT_MAX);
	FUZZ_ASSERT(s->low_speed_limit >= 0);
	FUZZ_ASSERT(s->low_speed_time >= 1 &&
		    s->low_speed_time <= RF_CRAWL_TIMEOUT_MAX);
	FUZZ_ASSERT(s->max_body > 0 && s->max_body <= RF_CRAWL_BODY_MAX);
	FUZZ_ASSERT(s->retry_base >= 0 &&
		    s->retry_base <= RF_CRAWL_BACKOFF_MAX);
}

/* Every line of err names the file. */
static void
check_messages(const struct buf *err)
{
	const char *line = err->data, *nl;

	FUZZ_ASSERT(err->len > 0 && err->data[err->len - 1] == '\n');
	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		FUZZ_ASSERT(nl != NULL);
		FUZZ_ASSERT(str_has_prefix(line, PATH ":"));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crawl_job *job = NULL;
	struct buf err, check;
	char *text;
	enum rf_err e;
	size_t i;

	if (size > RF_JOB_MAX_BYTES)
		return 0;
	text = xmemdupz(data, size);
	buf_init(&err, 0);
	buf_init(&check, 0);
	e = crawl_job_parse(PATH, text, size, &job, &err);
	if (e != RF_OK) {
		FUZZ_ASSERT(e == RF_EPARSE);
		FUZZ_ASSERT(job == NULL);
		check_messages(&err);
		goto out;
	}
	FUZZ_ASSERT(job && err.len == 0);
	FUZZ_ASSERT(job->nsites >= 1 && job->nsites <= RF_JOB_MAX_SITES);
	FUZZ_ASSERT(job->path && strcmp(job->path, PATH) == 0);
	FUZZ_ASSERT(job->name && *job->name &&
		    strspn(job->name, NAME_CHARS) == strlen(job->name));
	FUZZ_ASSERT(job->db_path && job->warc_dir && job->warc_prefix &&
		    job->store_path && job->report_dir);
	FUZZ_ASSERT(!job->alert_level || !strcmp(job->alert_level, "low") ||
		    !strcmp(job->alert_level, "medium") ||
		    !strcmp(job->alert_level, "high"));
	FUZZ_ASSERT(job->retention_days >= 0 && job->retention_days <= 36500);
	for (i = 0; i < job->nsites; i++)
		check_site(job, i);
	e = crawl_job_check(job, &check);
	FUZZ_ASSERT(e == RF_OK || (e == RF_EINVAL && check.len > 0));
out:
	crawl_job_free(job);
	buf_release(&err);
	buf_release(&check);
	free(text);
	return 0;
}
