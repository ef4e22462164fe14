/*
 * ruleload.c: where rules and extraction profiles come from, and their
 * diagnostics on stderr.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "config.h"
#include "scanner/profile.h"
#include "scanner/scanner.h"
#include "common/banned.h"

/* Prints a diagnostic as file:line:col: severity: message [code], then
 * the line and a caret under the column. */
static void
print_diag(const struct rule_diag *d, void *arg)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";

	if (d->line > 0 && d->col > 0)
		fprintf(stderr, "%s:%d:%d: %s: %s [%s]\n", d->file, d->line,
			d->col, sev, d->message, d->code);
	else if (d->line > 0)
		fprintf(stderr, "%s:%d: %s: %s [%s]\n", d->file, d->line, sev,
			d->message, d->code);
	else
		fprintf(stderr, "%s: %s: %s [%s]\n", d->file, sev, d->message,
			d->code);
	if (d->source_line && d->col > 0) {
		const char *p = d->source_line;
		int col = 1;

		fprintf(stderr, "  %s\n  ", d->source_line);
		/* keep tabs so the caret lines up under the text */
		while (*p && col < d->col) {
			if (((unsigned char)*p & 0xC0) != 0x80) {
				fputc(*p == '\t' ? '\t' : ' ', stderr);
				col++;
			}
			p++;
		}
		fputs("^\n", stderr);
	}
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
rules_default_path(void)
{
	static char exe[PATH_MAX];
	const char *env = getenv("REDFLAG_RULES");
	ssize_t n;

	if (env && *env)
		return env;
	/* running from the build tree: use the source tree's packs */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (strcmp(exe, RF_BUILDDIR) == 0 &&
			    is_dir(RF_SRCDIR "/rules/packs"))
				return RF_SRCDIR "/rules/packs";
		}
	}
	return RF_PKGDATADIR "/rules/packs";
}

/* The cache of compiled rulesets: --no-cache, --cache-dir, and what the
 * last rules_load did, for -v, --profile and rules check. */
static struct {
	bool off;
	char *dir;		/* from --cache-dir */
	struct buf summary;
	bool summary_ready;
} cache;

void
rules_cache_set(bool off, const char *dir)
{
	if (off)
		cache.off = true;
	if (dir) {
		free(cache.dir);
		cache.dir = xstrdup(dir);
	}
}

/* Where the cache lives (a new string), or NULL when it is off. */
static char *
cache_dir(void)
{
	const char *env;
	struct buf b;

	env = getenv("REDFLAG_NO_CACHE");
	if (cache.off || (env && *env))
		return NULL;
	if (cache.dir)
		return xstrdup(cache.dir);
	env = getenv("REDFLAG_CACHE_DIR");
	if (env && *env)
		return xstrdup(env);
	buf_init(&b, PATH_MAX);
	/* XDG: a relative XDG_CACHE_HOME is invalid and is ignored */
	env = getenv("XDG_CACHE_HOME");
	if (env && env[0] == '/') {
		buf_addf(&b, "%s/redflag", env);
	} else {
		env = getenv("HOME");
		if (!env || env[0] != '/') {
			buf_release(&b);
			return NULL;
		}
		buf_addf(&b, "%s/.cache/redflag", env);
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* What identifies this program's build: its version and its file, so a
 * rebuilt redflag (other folding tables, another compiler) does not use
 * the entries of the last one. */
static void
build_id(struct buf *out)
{
	struct stat st;

	buf_addf(out, "redflag %s", redflag_version);
	if (stat("/proc/self/exe", &st) == 0)
		buf_addf(out, " exe %llu:%llu:%lld:%lld.%09ld",
			 (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino, (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec,
			 (long)st.st_mtim.tv_nsec);
}

static double
cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

const char *
rules_load_summary(void)
{
	return cache.summary_ready ? cache.summary.data : NULL;
}

struct ruleset *
rules_load(char **paths, size_t n, bool lint, int *code)
{
	struct rules_options opts = {
		.diag = print_diag, .lint = lint,
	};
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct rules_cache_options copts = { 0 };
	struct rules_cache_info info;
	struct ruleset *rs = NULL;
	const char *def;
	char *dir = cache_dir();
	struct buf id;
	enum rf_err err;
	double t0 = cpu_ms(), ms;

	buf_init(&id, 0);
	build_id(&id);
	copts.dir = dir;
	copts.build_id = id.data;
	if (n == 0) {
		def = rules_default_path();
		err = rules_compile_paths(c, &def, 1, &copts, &info, &rs);
	} else {
		err = rules_compile_paths(c, (const char *const *)paths, n,
					  &copts, &info, &rs);
	}
	ms = cpu_ms() - t0;
	if (err != RF_OK) {
		*code = err == RF_ERULE ? EXIT_RULES : EXIT_RUNTIME;
		ruleset_free(rs);
		rs = NULL;
	} else {
		*code = EXIT_CLEAN;
	}
	if (!cache.summary_ready)
		buf_init(&cache.summary, 0);
	buf_reset(&cache.summary);
	switch (info.state) {
	case RULES_CACHE_OFF:
		buf_addf(&cache.summary, "rules compiled in %.1f ms of CPU; "
			 "cache off%s%s", ms, info.note ? ": " : "",
			 info.note ? info.note : "");
		break;
	case RULES_CACHE_HIT:
		buf_addf(&cache.summary, "rules loaded from the cache in "
			 "%.1f ms of CPU ('%s')", ms, info.path);
		break;
	case RULES_CACHE_STORED:
		buf_addf(&cache.summary, "rules compiled in %.1f ms of CPU "
			 "(%s), stored in the cache ('%s')", ms,
			 info.note ? info.note : "no entry", info.path);
		break;
	case RULES_CACHE_MISSED:
		buf_addf(&cache.summary, "rules compiled in %.1f ms of CPU; "
			 "cache not written (%s)", ms,
			 info.note ? info.note : "no reason");
		break;
	}
	cache.summary_ready = true;
	if (rs)
		log_info("%s", cache.summary.data);
	rules_cache_info_release(&info);
	buf_release(&id);
	free(dir);
	rules_compiler_free(c);
	return rs;
}

int
rules_lock(char **paths, size_t n)
{
	struct rules_options opts = {
		.diag = print_diag, .lock_lemmas = true,
	};
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;
	enum rf_err err = RF_OK, e;
	size_t i, written = 0;
	int code = EXIT_CLEAN;

	if (n == 0)
		err = rules_compiler_add_path(c, rules_default_path());
	for (i = 0; i < n; i++) {
		e = rules_compiler_add_path(c, paths[i]);
		if (e != RF_OK && err == RF_OK)
			err = e;
	}
	if (rules_compiler_finish(c, &rs) != RF_OK) {
		code = err == RF_ERULE || err == RF_OK ? EXIT_RULES
						       : EXIT_RUNTIME;
	} else if (rules_compiler_write_locks(c, &written) != RF_OK) {
		code = EXIT_RUNTIME;
	} else {
		fprintf(stderr, "%zu lemmas.lock file%s written\n", written,
			written == 1 ? "" : "s");
	}
	ruleset_free(rs);
	rules_compiler_free(c);
	return code;
}

struct profile_set *
profiles_load(char **paths, size_t n, bool *failed)
{
	struct profile_set *ps;
	struct buf err;
	size_t i;

	*failed = false;
	if (!n)
		return NULL;
	ps = profile_set_new();
	buf_init(&err, 0);
	for (i = 0; i < n; i++)
		if (profile_set_load(ps, paths[i], &err) != RF_OK)
			*failed = true;
	if (*failed) {
		fputs(err.data, stderr);
		profile_set_free(ps);
		ps = NULL;
	}
	buf_release(&err);
	return ps;
}
