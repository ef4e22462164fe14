/* cmd-rules.c: redflag rules check|test|list: the analyst's tools. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "scanner/explain.h"
#include "scanner/scanner.h"
#include "common/banned.h"

static void
rules_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag rules check [PATH...]\n"
		"       redflag rules test [PATH...]\n"
		"       redflag rules list [PATH...]\n"
		"       redflag rules lock [PATH...]\n"
		"       redflag rules explain [-r RULES]... (--text TEXT | "
		"PATH...)\n\n"
		"  check   compile and lint rule files; exit 0, or 3 on errors\n"
		"  test    run every inline example; print failures and a "
		"line\n"
		"          'N passed, N failed'; exit 1 if any failed\n"
		"  list    one line per rule: id, language, indicator, weight,"
		"\n          status, title\n\n"
		"PATH is a rule file or a pack directory; without one, the "
		"default\nrules: $REDFLAG_RULES, else %s\n\n"
		"check, test and list take -v (say where the compiled rules "
		"came from),\n--no-cache and --cache-dir DIR before the "
		"paths: see redflag(1), FILES.\n",
		rules_default_path());
}

static void
print_failure(const struct example_failure *f, void *arg)
{
	printf("%s:%d: %s: expected %s: \"%s\"\n", rule_file(f->rule), f->line,
	       rule_id(f->rule), f->expected_match ? "a match, got none"
						   : "no match, got one",
	       f->text);
}

static int
rules_check(struct ruleset *rs)
{
	fprintf(stderr, "%zu rules compiled (rules hash %.16s)\n",
		ruleset_count(rs), ruleset_hash(rs));
	if (rules_load_summary())
		fprintf(stderr, "%s\n", rules_load_summary());
	return EXIT_CLEAN;
}

static int
rules_test(struct ruleset *rs)
{
	size_t passed, failed;

	ruleset_test(rs, print_failure, NULL, &passed, &failed);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? EXIT_ALERT : EXIT_CLEAN;
}

static int
rules_list(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);

		printf("%s\t%s\t%s\t%d\t%s\t%s\n", rule_id(r), rule_lang(r),
		       rule_indicator(r), rule_weight(r),
		       rule_status_name(rule_status(r)), rule_title(r));
	}
	return EXIT_CLEAN;
}

struct explain_state {
	struct matcher *m;
	struct scan_result res;
	struct buf out;
	bool alerted;
};

static void
explain_one(struct document *d, void *arg)
{
	struct explain_state *st = arg;
	struct scan_input in;

	buf_reset(&st->out);
	buf_addf(&st->out, "%s", d->source);
	if (d->has_title)
		buf_addf(&st->out, "  \"%s\"", d->title.data);
	buf_addf(&st->out, "  [%s]\n\n", doc_status_name(d->status));
	if (d->status == DOC_ERROR) {
		log_error("'%s': %s", d->source, d->error);
	} else if (d->status == DOC_OK || d->status == DOC_TRUNCATED) {
		document_scan_input(d, &in);
		matcher_scan(st->m, &in, &st->res);
		explain_text(&st->out, &st->res, &in);
		if (st->res.level >= LEVEL_MEDIUM)
			st->alerted = true;
	}
	buf_addch(&st->out, '\n');
	fwrite(st->out.data, 1, st->out.len, stdout);
}

/* rules explain [-r RULES]... (--text TEXT | PATH...) */
static int
rules_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "text", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct explain_state st;
	char **rules = NULL;
	size_t nrules = 0, failed = 0;
	const char *text = NULL;
	struct ruleset *rs;
	int c, code;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rules = xreallocarray(rules, nrules + 1,
					      sizeof(*rules));
			rules[nrules++] = optarg;
			break;
		case 't':
			text = optarg;
			break;
		case 'h':
			free(rules);
			rules_usage(stdout);
			return EXIT_CLEAN;
		default:
			free(rules);
			return usage_error("rules", "bad option");
		}
	}
	if (!text == (optind >= argc)) {
		free(rules);
		return usage_error("rules", "explain takes --text TEXT or "
				   "files, not both");
	}
	rs = rules_load(rules, nrules, false, &code);
	free(rules);
	if (!rs)
		return code;
	memset(&st, 0, sizeof(st));
	st.m = matcher_new(rs);
	matcher_set_explain(st.m, true);
	scan_result_init(&st.res);
	buf_init(&st.out, 0);
	if (text) {
		struct document d;

		document_init(&d, "--text");
		extract_document(&d, text, strlen(text));
		explain_one(&d, &st);
		failed = d.status == DOC_ERROR;
		document_release(&d);
	} else {
		failed = inputs_walk(argv + optind, (size_t)(argc - optind),
				     NULL, explain_one, &st);
	}
	buf_release(&st.out);
	scan_result_release(&st.res);
	matcher_free(st.m);
	ruleset_free(rs);
	if (failed)
		return EXIT_RUNTIME;
	return st.alerted ? EXIT_ALERT : EXIT_CLEAN;
}

static const struct {
	const char *name;
	int (*fn)(struct ruleset *rs);
	bool lint;
} actions[] = {
	{ "check", rules_check, true },
	{ "test", rules_test, false },
	{ "list", rules_list, false },
};

int
cmd_rules(int argc, char **argv)
{
	struct ruleset *rs;
	size_t i;
	int code, k;

	if (argc < 2)
		return usage_error("rules", "which action: check, test, list, "
				   "lock or explain?");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		rules_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "explain") == 0)
		return rules_explain(argc - 1, argv + 1);
	if (strcmp(argv[1], "lock") == 0) {
		if (argc > 2 && argv[2][0] == '-' && argv[2][1])
			return usage_error("rules", "unknown option '%s'",
					   argv[2]);
		return rules_lock(argv + 2, (size_t)(argc - 2));
	}
	for (i = 0; i < RF_ARRAY_SIZE(actions); i++) {
		if (strcmp(argv[1], actions[i].name) != 0)
			continue;
		for (k = 2; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
			if (strcmp(argv[k], "--help") == 0 ||
			    strcmp(argv[k], "-h") == 0) {
				rules_usage(stdout);
				return EXIT_CLEAN;
			} else if (strcmp(argv[k], "--no-cache") == 0) {
				rules_cache_set(true, NULL);
			} else if (strcmp(argv[k], "-v") == 0 ||
				   strcmp(argv[k], "--verbose") == 0) {
				log_set_level(LOG_INFO);
			} else if (strcmp(argv[k], "--cache-dir") == 0 &&
				   k + 1 < argc) {
				rules_cache_set(false, argv[++k]);
			} else {
				return usage_error("rules", "unknown option "
						   "'%s'", argv[k]);
			}
		}
		rs = rules_load(argv + k, (size_t)(argc - k), actions[i].lint,
				&code);
		if (!rs)
			return code;
		code = actions[i].fn(rs);
		ruleset_free(rs);
		return code;
	}
	return usage_error("rules", "unknown action '%s' (check, test, list)",
			   argv[1]);
}
