/*
 * ruleload.c: where rules and extraction profiles come from, and their
 * diagnostics on stderr.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
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

struct ruleset *
rules_load(char **paths, size_t n, bool lint, int *code)
{
	struct rules_options opts = {
		.diag = print_diag, .lint = lint,
	};
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;
	const char *def = NULL;
	enum rf_err err = RF_OK, e;
	size_t i;

	if (n == 0) {
		def = rules_default_path();
		err = rules_compiler_add_path(c, def);
	}
	for (i = 0; i < n; i++) {
		e = rules_compiler_add_path(c, paths[i]);
		if (e != RF_OK && err == RF_OK)
			err = e;
	}
	if (rules_compiler_finish(c, &rs) != RF_OK) {
		*code = err == RF_ERULE || err == RF_OK ? EXIT_RULES
							: EXIT_RUNTIME;
		rs = NULL;
	} else {
		*code = EXIT_CLEAN;
	}
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
