/* cmd-rules.c: redflag rules check|test|list: the analyst's tools. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "scanner/scanner.h"
#include "common/banned.h"

static void
rules_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag rules check [PATH...]\n"
		"       redflag rules test [PATH...]\n"
		"       redflag rules list [PATH...]\n\n"
		"  check   compile and lint rule files; exit 0, or 3 on errors\n"
		"  test    run every inline example; print failures and a "
		"line\n"
		"          'N passed, N failed'; exit 1 if any failed\n"
		"  list    one line per rule: id, language, indicator, weight,"
		"\n          status, title\n\n"
		"PATH is a rule file or a pack directory; without one, the "
		"default\nrules: $REDFLAG_RULES, else %s\n",
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
	fprintf(stderr, "%zu rules compiled\n", ruleset_count(rs));
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
	int code;

	if (argc < 2)
		return usage_error("rules", "which action: check, test or "
				   "list?");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		rules_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "explain") == 0) {
		log_error("'rules explain' is not built yet in this version "
			  "(%s)", redflag_version);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < RF_ARRAY_SIZE(actions); i++) {
		if (strcmp(argv[1], actions[i].name) != 0)
			continue;
		if (argc > 2 && argv[2][0] == '-' && argv[2][1]) {
			if (strcmp(argv[2], "--help") == 0 ||
			    strcmp(argv[2], "-h") == 0) {
				rules_usage(stdout);
				return EXIT_CLEAN;
			}
			return usage_error("rules", "unknown option '%s'",
					   argv[2]);
		}
		rs = rules_load(argv + 2, (size_t)(argc - 2), actions[i].lint,
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
