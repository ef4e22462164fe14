/* job.c: crawl jobs: defaults, the job file (redflag-job(5)), checks. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/ini.h"
#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/crawl-int.h"
#include "crawler/url.h"
#include "common/banned.h"

const char *
crawl_kind_name(enum crawl_kind k)
{
	switch (k) {
	case CRAWL_LISTING:
		return "listing";
	case CRAWL_INDEX:
		return "index";
	case CRAWL_SITEMAP:
		return "sitemap";
	case CRAWL_PAGE:
		break;
	}
	return "page";
}

static void
site_defaults(struct crawl_site *s)
{
	memset(s, 0, sizeof(*s));
	s->depth = RF_CRAWL_DEPTH_DEFAULT;
	s->max_pages = RF_CRAWL_PAGES_DEFAULT;
	s->delay = RF_CRAWL_DELAY_DEFAULT;
	s->connect_timeout = RF_CRAWL_CONNECT_TIMEOUT;
	s->timeout = RF_CRAWL_TIMEOUT;
	s->low_speed_limit = RF_CRAWL_LOW_SPEED;
	s->low_speed_time = RF_CRAWL_LOW_SPEED_TIME;
	s->max_body = RF_CRAWL_BODY_MAX;
	s->retry_base = RF_CRAWL_BACKOFF_BASE;
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **
strv_dup(char *const *v, size_t n)
{
	char **out;
	size_t i;

	if (!n)
		return NULL;
	out = xreallocarray(NULL, n, sizeof(*out));
	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static char *
str_dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
site_release(struct crawl_site *s)
{
	free(s->name);
	strv_free(s->seeds, s->nseeds);
	strv_free(s->allow, s->nallow);
	strv_free(s->deny, s->ndeny);
	strv_free(s->listing, s->nlisting);
	strv_free(s->index, s->nindex);
	free(s->root);
	free(s->profile);
	free(s->user_agent);
	free(s->proxy);
	free(s->cookie_file);
	free(s->ca_file);
	memset(s, 0, sizeof(*s));
}

/* A deep copy of src into dst (for the [job] defaults). */
static void
site_copy(struct crawl_site *dst, const struct crawl_site *src)
{
	*dst = *src;
	dst->name = str_dup_or_null(src->name);
	dst->seeds = strv_dup(src->seeds, src->nseeds);
	dst->allow = strv_dup(src->allow, src->nallow);
	dst->deny = strv_dup(src->deny, src->ndeny);
	dst->listing = strv_dup(src->listing, src->nlisting);
	dst->index = strv_dup(src->index, src->nindex);
	dst->root = str_dup_or_null(src->root);
	dst->profile = str_dup_or_null(src->profile);
	dst->user_agent = str_dup_or_null(src->user_agent);
	dst->proxy = str_dup_or_null(src->proxy);
	dst->cookie_file = str_dup_or_null(src->cookie_file);
	dst->ca_file = str_dup_or_null(src->ca_file);
}

enum rf_err
crawl_root_parse(const char *s, enum crawl_root *out)
{
	if (!strcmp(s, "warn"))
		*out = CRAWL_ROOT_WARN;
	else if (!strcmp(s, "allow"))
		*out = CRAWL_ROOT_ALLOW;
	else if (!strcmp(s, "refuse"))
		*out = CRAWL_ROOT_REFUSE;
	else
		return RF_EINVAL;
	return RF_OK;
}

struct crawl_job *
crawl_job_new(void)
{
	struct crawl_job *job = xcalloc(1, sizeof(*job));

	job->db_path = xstrdup(CRAWL_DB_DEFAULT);
	job->warc_dir = xstrdup(CRAWL_WARC_DIR_DEFAULT);
	job->warc_prefix = xstrdup(CRAWL_WARC_PREFIX);
	job->warc_max_bytes = CRAWL_WARC_MAX_BYTES;
	job->name = xstrdup("redflag");
	job->store_path = xstrdup(CRAWL_STORE_DEFAULT);
	job->report_dir = xstrdup(CRAWL_REPORT_DIR_DEFAULT);
	return job;
}

void
crawl_job_free(struct crawl_job *job)
{
	size_t i;

	if (!job)
		return;
	for (i = 0; i < job->nsites; i++)
		site_release(&job->sites[i]);
	free(job->sites);
	free(job->path);
	free(job->db_path);
	free(job->warc_dir);
	free(job->warc_prefix);
	free(job->name);
	free(job->store_path);
	free(job->report_dir);
	free(job->notify);
	free(job->rules_path);
	free(job->alert_level);
	free(job);
}

struct crawl_site *
crawl_job_add_site(struct crawl_job *job, const char *name)
{
	struct crawl_site *s;

	job->sites = xreallocarray(job->sites, job->nsites + 1,
				   sizeof(*job->sites));
	s = &job->sites[job->nsites++];
	site_defaults(s);
	s->name = xstrdup(name);
	return s;
}

/* ---- the job file ---- */

struct job_parser {
	const char *path;
	char *dir;		/* the file's folder, with a final '/' */
	int line;
	struct crawl_job *job;
	struct crawl_site defaults;	/* site keys of [job] */
	struct crawl_site *site;	/* the current [site], or NULL */
	struct buf *err;
	bool failed;
};

static void RF_PRINTF(2, 3)
job_error(struct job_parser *p, const char *fmt, ...)
{
	va_list ap;

	buf_addf(p->err, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	buf_vaddf(p->err, fmt, ap);
	va_end(ap);
	buf_addch(p->err, '\n');
	p->failed = true;
}

static bool
parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	    !strcasecmp(v, "on") || !strcmp(v, "1")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
	    !strcasecmp(v, "off") || !strcmp(v, "0")) {
		*out = false;
		return true;
	}
	return false;
}

/* "0.5", "30s", "5m", "2h", "1d" -> seconds, at most max. */
static bool
parse_duration(const char *v, double max, double *out)
{
	char num[64];
	size_t n = strlen(v);
	double mult, d;

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, v, n + 1);
	switch (num[n - 1]) {
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		mult = 0;
		break;
	}
	if (mult > 0)
		num[n - 1] = '\0';
	else
		mult = 1;
	if (parse_double(num, max / mult, &d) != RF_OK)
		return false;
	*out = d * mult;
	return true;
}

/* "512", "64K", "8M", "1G" -> bytes. */
static bool
parse_size(const char *v, uint64_t max, uint64_t *out)
{
	char num[64];
	size_t n = strlen(v);
	uint64_t mult = 1;
	long long x;

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, v, n + 1);
	switch (num[n - 1]) {
	case 'K':
	case 'k':
		mult = 1024;
		break;
	case 'M':
		mult = (uint64_t)1 << 20;
		break;
	case 'G':
		mult = (uint64_t)1 << 30;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	if (parse_int(num, 0, (long long)(max / mult), &x) != RF_OK)
		return false;
	*out = (uint64_t)x * mult;
	return true;
}

/* A path from the job file, relative to the file's folder. */
static char *
job_path(struct job_parser *p, const char *v)
{
	struct buf b;

	if (v[0] == '/' || !p->dir)
		return xstrdup(v);
	buf_init(&b, 0);
	buf_addstr(&b, p->dir);
	buf_addstr(&b, v);
	return buf_detach(&b, NULL);
}

/*
 * A seed or root as written: an http(s) or file URL, or a path (absolute,
 * or relative to the job file) that becomes a file URL.
 */
static char *
job_url(struct job_parser *p, const char *v, bool dir)
{
	struct buf b;
	char *path, *norm = NULL;
	static const struct url_norm_opts opts = { .allow_file = true };

	buf_init(&b, RF_URL_INPUT_MAX_BYTES);
	if (strstr(v, "://")) {
		buf_addstr(&b, v);
	} else {
		path = job_path(p, v);
		buf_addstr(&b, "file://");
		if (path[0] != '/') {
			/* a job file named by a relative path: from here */
			char *cwd = getcwd(NULL, 0);

			if (!cwd) {
				free(path);
				buf_release(&b);
				return NULL;
			}
			if (url_pct_normalize(&b, cwd, strlen(cwd)) != RF_OK)
				b.failed = true;
			buf_addch(&b, '/');
			free(cwd);
		}
		if (url_pct_normalize(&b, path, strlen(path)) != RF_OK)
			b.failed = true;
		if (dir && !str_has_suffix(path, "/"))
			buf_addch(&b, '/');
		free(path);
	}
	if (buf_failed(&b) || url_normalize(b.data, &opts, &norm) != RF_OK)
		norm = NULL;
	buf_release(&b);
	return norm;
}

static void
strv_push(struct job_parser *p, char ***v, size_t *n, char *s)
{
	if (*n >= RF_JOB_MAX_LIST) {
		job_error(p, "more than %d values", RF_JOB_MAX_LIST);
		free(s);
		return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static void
add_pattern(struct job_parser *p, char ***v, size_t *n, const char *pat)
{
	pcre2_code *re;
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			   &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		job_error(p, "bad pattern '%s' at offset %zu: %s", pat,
			  (size_t)off, (const char *)msg);
		return;
	}
	pcre2_code_free(re);
	strv_push(p, v, n, xstrdup(pat));
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* A site key; false when key is not one. */
static bool
site_key(struct job_parser *p, struct crawl_site *s, const char *key,
	 const char *v)
{
	long long n;
	uint64_t size;
	char *u;

	if (!strcmp(key, "seed")) {
		u = job_url(p, v, false);
		if (!u) {
			char *shown = url_redact(v);

			job_error(p, "bad seed '%s': give an http, https or "
				     "file URL or a path", shown);
			free(shown);
		} else
			strv_push(p, &s->seeds, &s->nseeds, u);
	} else if (!strcmp(key, "root")) {
		u = job_url(p, v, true);
		if (!u || !str_has_prefix(u, "file://"))
			job_error(p, "bad root '%s': give a folder", v);
		else
			set_str(&s->root, u);
		free(u);
	} else if (!strcmp(key, "allow")) {
		add_pattern(p, &s->allow, &s->nallow, v);
	} else if (!strcmp(key, "deny")) {
		add_pattern(p, &s->deny, &s->ndeny, v);
	} else if (!strcmp(key, "listing")) {
		add_pattern(p, &s->listing, &s->nlisting, v);
	} else if (!strcmp(key, "index")) {
		add_pattern(p, &s->index, &s->nindex, v);
	} else if (!strcmp(key, "depth")) {
		if (parse_int(v, 0, 1000, &n) != RF_OK)
			job_error(p, "bad depth '%s': give 0 to 1000", v);
		else
			s->depth = (int)n;
	} else if (!strcmp(key, "max_pages")) {
		if (parse_int(v, 0, LONG_MAX, &n) != RF_OK)
			job_error(p, "bad max_pages '%s'", v);
		else
			s->max_pages = (long)n;
	} else if (!strcmp(key, "max_time")) {
		if (!parse_duration(v, 1e9, &s->max_time))
			job_error(p, "bad max_time '%s': give seconds or "
				     "30s, 5m, 2h, 1d", v);
	} else if (!strcmp(key, "delay")) {
		if (!parse_duration(v, RF_CRAWL_DELAY_MAX, &s->delay))
			job_error(p, "bad delay '%s': give 0 to %g seconds",
				  v, RF_CRAWL_DELAY_MAX);
	} else if (!strcmp(key, "recrawl")) {
		if (!parse_duration(v, 1e9, &s->recrawl))
			job_error(p, "bad recrawl '%s'", v);
	} else if (!strcmp(key, "profile")) {
		free(s->profile);
		s->profile = job_path(p, v);
	} else if (!strcmp(key, "user_agent")) {
		set_str(&s->user_agent, v);
	} else if (!strcmp(key, "proxy")) {
		if (!str_has_prefix(v, "http://") &&
		    !str_has_prefix(v, "https://") &&
		    !str_has_prefix(v, "socks4://") &&
		    !str_has_prefix(v, "socks4a://") &&
		    !str_has_prefix(v, "socks5://") &&
		    !str_has_prefix(v, "socks5h://"))
			/* not the value: it may carry a password */
			job_error(p, "bad proxy: give an http://, https://, "
				     "socks4(a):// or socks5(h):// URL");
		else
			set_str(&s->proxy, v);
	} else if (!strcmp(key, "cookie_file")) {
		free(s->cookie_file);
		s->cookie_file = job_path(p, v);
	} else if (!strcmp(key, "ca_file")) {
		free(s->ca_file);
		s->ca_file = job_path(p, v);
	} else if (!strcmp(key, "ignore_robots")) {
		if (!parse_bool(v, &s->ignore_robots))
			job_error(p, "bad ignore_robots '%s': yes or no", v);
	} else if (!strcmp(key, "tls_verify")) {
		bool verify;

		if (!parse_bool(v, &verify))
			job_error(p, "bad tls_verify '%s': yes or no", v);
		else
			s->tls_noverify = !verify;
	} else if (!strcmp(key, "sitemaps")) {
		if (!parse_bool(v, &s->sitemaps))
			job_error(p, "bad sitemaps '%s': yes or no", v);
	} else if (!strcmp(key, "connect_timeout")) {
		if (!parse_duration(v, RF_CRAWL_TIMEOUT_MAX,
				    &s->connect_timeout) ||
		    s->connect_timeout < 0.001)
			job_error(p, "bad connect_timeout '%s'", v);
	} else if (!strcmp(key, "timeout")) {
		if (!parse_duration(v, RF_CRAWL_TIMEOUT_MAX, &s->timeout) ||
		    s->timeout < 0.001)
			job_error(p, "bad timeout '%s'", v);
	} else if (!strcmp(key, "low_speed_limit")) {
		if (parse_int(v, 0, LONG_MAX, &n) != RF_OK)
			job_error(p, "bad low_speed_limit '%s'", v);
		else
			s->low_speed_limit = (long)n;
	} else if (!strcmp(key, "low_speed_time")) {
		if (parse_int(v, 1, (long long)RF_CRAWL_TIMEOUT_MAX, &n) !=
		    RF_OK)
			job_error(p, "bad low_speed_time '%s'", v);
		else
			s->low_speed_time = (long)n;
	} else if (!strcmp(key, "retry_base")) {
		if (!parse_duration(v, RF_CRAWL_BACKOFF_MAX, &s->retry_base))
			job_error(p, "bad retry_base '%s'", v);
	} else if (!strcmp(key, "max_body")) {
		if (!parse_size(v, RF_CRAWL_BODY_MAX, &size) || size == 0)
			job_error(p, "bad max_body '%s': at most %zu bytes", v,
				  RF_CRAWL_BODY_MAX);
		else
			s->max_body = (size_t)size;
	} else {
		return false;
	}
	return true;
}

static bool
job_key(struct job_parser *p, const char *key, const char *v)
{
	struct crawl_job *job = p->job;
	uint64_t size;

	if (!strcmp(key, "db")) {
		free(job->db_path);
		job->db_path = job_path(p, v);
	} else if (!strcmp(key, "warc_dir")) {
		free(job->warc_dir);
		job->warc_dir = job_path(p, v);
	} else if (!strcmp(key, "warc_prefix")) {
		set_str(&job->warc_prefix, v);
	} else if (!strcmp(key, "warc_max_size")) {
		if (!parse_size(v, UINT64_MAX / 2, &size))
			job_error(p, "bad warc_max_size '%s'", v);
		else
			job->warc_max_bytes = size;
	} else if (!strcmp(key, "allow_private")) {
		if (!parse_bool(v, &job->allow_private))
			job_error(p, "bad allow_private '%s': yes or no", v);
	} else if (!strcmp(key, "name")) {
		if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789._-") != strlen(v))
			job_error(p, "bad name '%s': letters, digits, '.', '_' "
				  "and '-'", v);
		else
			set_str(&job->name, v);
	} else if (!strcmp(key, "store")) {
		free(job->store_path);
		job->store_path = job_path(p, v);
	} else if (!strcmp(key, "reports")) {
		free(job->report_dir);
		job->report_dir = job_path(p, v);
	} else if (!strcmp(key, "rules")) {
		free(job->rules_path);
		job->rules_path = job_path(p, v);
	} else if (!strcmp(key, "notify")) {
		set_str(&job->notify, v);
	} else if (!strcmp(key, "alert_level")) {
		if (strcmp(v, "low") && strcmp(v, "medium") && strcmp(v, "high"))
			job_error(p, "bad alert_level '%s': low, medium or "
				  "high", v);
		else
			set_str(&job->alert_level, v);
	} else if (!strcmp(key, "retention_days")) {
		long long d;

		if (parse_int(v, 0, 36500, &d) != RF_OK)
			job_error(p, "bad retention_days '%s': 0 to 36500", v);
		else
			job->retention_days = (long)d;
	} else if (!strcmp(key, "as_root")) {
		if (crawl_root_parse(v, &job->root) != RF_OK)
			job_error(p, "bad as_root '%s': warn, allow or refuse",
				  v);
	} else if (!strcmp(key, "refuse_root")) {
		bool refuse;

		/* the older key: yes is as_root = refuse, no is warn */
		if (!parse_bool(v, &refuse))
			job_error(p, "bad refuse_root '%s': yes or no", v);
		else
			job->root = refuse ? CRAWL_ROOT_REFUSE :
					     CRAWL_ROOT_WARN;
	} else {
		return false;
	}
	return true;
}

/* A section line: [job], or [site NAME]. */
static void
parse_section(struct job_parser *p, const struct ini_line *l)
{
	size_t i;

	if (ini_section_is(l, "job") && !*l->name) {
		if (p->site)
			job_error(p, "[job] must come before the sites");
		return;
	}
	if (!ini_section_is(l, "site") || !*l->name) {
		job_error(p, "unknown section [%s]: expected [job] or "
			     "[site NAME]", l->section);
		return;
	}
	if (!ini_name_ok(l->name)) {
		job_error(p, "bad site name '%s': letters, digits, '.', "
			     "'_' and '-'", l->name);
		return;
	}
	for (i = 0; i < p->job->nsites; i++) {
		if (!strcmp(p->job->sites[i].name, l->name)) {
			job_error(p, "site '%s' declared twice", l->name);
			return;
		}
	}
	if (p->job->nsites >= RF_JOB_MAX_SITES) {
		job_error(p, "more than %d sites", RF_JOB_MAX_SITES);
		return;
	}
	p->site = crawl_job_add_site(p->job, l->name);
	free(p->site->name);
	site_copy(p->site, &p->defaults);
	free(p->site->name);
	p->site->name = xstrdup(l->name);
	p->site->line = p->line;
}

static void
parse_line(struct job_parser *p, char *line)
{
	struct ini_line l;

	ini_parse_line(line, &l);
	switch (l.kind) {
	case INI_NONE:
		return;
	case INI_SECTION:
		parse_section(p, &l);
		return;
	case INI_BAD_SECTION:
		job_error(p, "bad section line: expected [job] or "
			     "[site NAME]");
		return;
	case INI_NO_EQUALS:
		job_error(p, "expected 'key = value'");
		return;
	case INI_NO_VALUE:
		job_error(p, "'%s' has no value", l.key);
		return;
	case INI_PAIR:
		break;
	}
	if (p->site) {
		if (!site_key(p, p->site, l.key, l.value))
			job_error(p, "unknown site key '%s'", l.key);
		return;
	}
	if (job_key(p, l.key, l.value))
		return;
	if (!strcmp(l.key, "seed")) {
		job_error(p, "seeds belong in a [site NAME] section");
		return;
	}
	if (!site_key(p, &p->defaults, l.key, l.value))
		job_error(p, "unknown key '%s'", l.key);
}

enum rf_err
crawl_job_load(const char *path, struct crawl_job **out, struct buf *err)
{
	struct buf data;
	enum rf_err e;

	*out = NULL;
	buf_init(&data, RF_JOB_MAX_BYTES);
	e = file_read(path, RF_JOB_MAX_BYTES, &data);
	if (e != RF_OK) {
		buf_addf(err, "cannot read job file '%s': %s\n", path,
			 rf_strerror(e));
		buf_release(&data);
		return e;
	}
	e = crawl_job_parse(path, data.data, data.len, out, err);
	buf_release(&data);
	return e;
}

enum rf_err
crawl_job_parse(const char *path, char *data, size_t len,
		struct crawl_job **out, struct buf *err)
{
	struct job_parser p;
	enum rf_err e;
	char *line, *nl, *slash;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if (memchr(data, '\0', len)) {
		buf_addf(err, "%s: not a text file\n", path);
		return RF_EPARSE;
	}
	p.path = path;
	p.err = err;
	p.job = crawl_job_new();
	p.job->path = xstrdup(path);
	/* relative paths in the file are the file's folder's, made absolute
	 * (a file:// seed must be absolute, whatever the working folder) */
	{
		char *abs = realpath(path, NULL);
		const char *base = abs ? abs : path;
		const char *sl = strrchr(base, '/');

		p.dir = sl ? xstrndup(base, (size_t)(sl - base + 1)) : NULL;
		free(abs);
	}
	slash = strrchr(path, '/');
	site_defaults(&p.defaults);
	/* the state and the WARC files sit next to the job by default */
	free(p.job->db_path);
	p.job->db_path = job_path(&p, CRAWL_DB_DEFAULT);
	free(p.job->warc_dir);
	p.job->warc_dir = job_path(&p, CRAWL_WARC_DIR_DEFAULT);
	free(p.job->store_path);
	p.job->store_path = job_path(&p, CRAWL_STORE_DEFAULT);
	free(p.job->report_dir);
	p.job->report_dir = job_path(&p, CRAWL_REPORT_DIR_DEFAULT);
	/* the job's name: its file's, without the folder and .conf */
	{
		const char *base = slash ? slash + 1 : path;
		size_t n = strlen(base);

		if (n > 5 && !strcmp(base + n - 5, ".conf"))
			n -= 5;
		free(p.job->name);
		p.job->name = xstrndup(base, n);
	}
	line = data;
	while (line && *line) {
		p.line++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		parse_line(&p, line);
		line = nl ? nl + 1 : NULL;
	}
	if (!p.failed && p.job->nsites == 0) {
		p.line = 0;
		buf_addf(err, "%s: no [site NAME] section\n", path);
		p.failed = true;
	}
	if (p.failed) {
		crawl_job_free(p.job);
		e = RF_EPARSE;
	} else {
		*out = p.job;
		e = RF_OK;
	}
	site_release(&p.defaults);
	free(p.dir);
	return e;
}

enum rf_err
crawl_job_check(const struct crawl_job *job, struct buf *err)
{
	size_t i, j;
	const struct crawl_site *s;

	if (job->nsites == 0) {
		buf_addstr(err, "nothing to crawl: give URLs or a job file");
		return RF_EINVAL;
	}
	for (i = 0; i < job->nsites; i++) {
		s = &job->sites[i];
		if (s->nseeds == 0) {
			buf_addf(err, "site '%s' has no seed", s->name);
			return RF_EINVAL;
		}
		for (j = 0; j < s->nseeds; j++) {
			if (str_has_prefix(s->seeds[j], "file://") &&
			    !job->path) {
				buf_addf(err, "file seed '%s': file URLs are "
					      "only accepted from a job file",
					 s->seeds[j]);
				return RF_EINVAL;
			}
		}
		if (!(s->delay >= 0) || s->depth < 0 || s->max_body == 0) {
			buf_addf(err, "site '%s': bad delay, depth or "
				      "max_body", s->name);
			return RF_EINVAL;
		}
	}
	if (!job->db_path || !job->warc_dir || !job->warc_prefix) {
		buf_addstr(err, "no database or WARC folder");
		return RF_EINVAL;
	}
	return RF_OK;
}
