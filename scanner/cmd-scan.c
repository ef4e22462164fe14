/* cmd-scan.c: redflag scan: score inputs and print one result each. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/output.h"
#include "scanner/scanner.h"
#include "common/banned.h"

struct scan_state {
	const struct output_format *fmt;
	struct matcher *m;
	struct scan_result res;
	enum risk_level alert;
	bool alerted;
	unsigned flags;
	size_t rule_errors;
	struct buf out;
};

static void
scan_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag scan [-r RULES]... [-f jsonl|csv|table] "
		"[--alert-level LEVEL]\n"
		"                   [--explain] [--profile] [-q] PATH...|-\n\n"
		"Scores each input for trafficking-recruitment indicators.\n"
		"Inputs are files (HTML or text, recognised by content), "
		"directories\n(walked recursively) or - for standard input.\n\n"
		"  -r, --rules PATH        rule file or pack directory "
		"(repeatable);\n"
		"                          default: $REDFLAG_RULES, else %s\n"
		"  -f, --format FORMAT     jsonl (default), csv or table\n"
		"      --alert-level LEVEL exit 1 when a document reaches "
		"LEVEL:\n"
		"                          low, medium (default) or high\n"
		"      --explain           add the trace behind each score\n"
		"      --profile           time per rule on stderr at the end\n"
		"  -q, --quiet             no warnings on stderr\n"
		"  -h, --help              this help\n\n"
		"Exit: 0 nothing reached the alert level, 1 something did, "
		"2 usage,\n3 rule errors, 4 an input could not be read.\n",
		rules_default_path());
}

struct prof_row {
	const struct rule *rule;
	size_t index;
	struct rule_profile p;
};

static int
cmp_prof(const void *a, const void *b)
{
	const struct prof_row *x = a, *y = b;

	return x->p.ns < y->p.ns ? 1 : x->p.ns > y->p.ns ? -1 : 0;
}

/* Time per rule on stderr, slowest first, with the prefilter's work. */
static void
print_profile(const struct matcher *m, const struct ruleset *rs)
{
	size_t i, n = ruleset_count(rs), unfiltered = 0;
	struct prof_row *rows = xcalloc(n + 1, sizeof(*rows));
	uint64_t total = 0;

	for (i = 0; i < n; i++) {
		rows[i].rule = ruleset_rule(rs, i);
		rows[i].index = i;
		matcher_profile(m, i, &rows[i].p);
		total += rows[i].p.ns;
	}
	qsort(rows, n, sizeof(*rows), cmp_prof);
	fprintf(stderr, "%-40s %8s %8s %8s %10s %8s %6s\n", "rule", "skipped",
		"verified", "fired", "total ms", "us/doc", "share");
	for (i = 0; i < n; i++) {
		const struct rule_profile *p = &rows[i].p;
		bool unf = ruleset_rule_unfiltered(rs, rows[i].index);

		unfiltered += unf;
		fprintf(stderr, "%-40s %8llu %8llu %8llu %10.3f %8.1f %5.1f%%%s\n",
			rule_id(rows[i].rule), (unsigned long long)p->skipped,
			(unsigned long long)p->candidates,
			(unsigned long long)p->fired, p->ns / 1e6,
			p->candidates ? p->ns / 1e3 / p->candidates : 0.0,
			total ? 100.0 * p->ns / total : 0.0,
			unf ? "  (runs on every document)" : "");
	}
	fprintf(stderr, "%zu of %zu rules have a pattern without literal "
		"atoms and run on every document\n", unfiltered, n);
	free(rows);
}

static void
scan_one(struct document *d, void *arg)
{
	struct scan_state *st = arg;
	struct scan_input in;
	bool scored = d->status == DOC_OK || d->status == DOC_TRUNCATED;

	if (d->status == DOC_ERROR)
		log_error("'%s': %s", d->source, d->error);
	else if (d->status == DOC_EMPTY)
		log_warn("'%s': no text to scan", d->source);
	else if (d->status == DOC_TRUNCATED)
		log_warn("'%s': truncated: %s", d->source, d->note);
	document_scan_input(d, &in);
	if (scored) {
		matcher_scan(st->m, &in, &st->res);
		if (st->res.rule_errors) {
			st->rule_errors++;
			log_warn("'%s': rule '%s' hit its match limit (%zu "
				 "pattern runs stopped)", d->source,
				 rule_id(st->res.error_rule),
				 st->res.rule_errors);
		}
		if (st->res.level >= st->alert && st->res.level > LEVEL_NONE)
			st->alerted = true;
	} else {
		scan_result_release(&st->res);
		scan_result_init(&st->res);
	}
	buf_reset(&st->out);
	st->fmt->document(&st->out, d, scored ? &st->res : NULL, &in,
			  st->flags);
	fwrite(st->out.data, 1, st->out.len, stdout);
}

int
cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "alert-level", required_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "explain", no_argument, NULL, 'E' },
		{ "profile", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_state st;
	char **rules = NULL;
	size_t nrules = 0, failed;
	struct ruleset *rs = NULL;
	int c, code = EXIT_CLEAN;
	bool profile = false;

	memset(&st, 0, sizeof(st));
	st.fmt = output_format_find("jsonl");
	st.alert = LEVEL_MEDIUM;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rules = xreallocarray(rules, nrules + 1,
					      sizeof(*rules));
			rules[nrules++] = optarg;
			break;
		case 'f':
			if (!(st.fmt = output_format_find(optarg))) {
				free(rules);
				return usage_error("scan", "unknown format "
						   "'%s' (jsonl, csv, table)",
						   optarg);
			}
			break;
		case 'A':
			if (risk_level_parse(optarg, &st.alert) != RF_OK ||
			    st.alert == LEVEL_NONE) {
				free(rules);
				return usage_error("scan", "alert level must be "
						   "low, medium or high, not "
						   "'%s'", optarg);
			}
			break;
		case 'q':
			log_set_level(LOG_ERROR);
			break;
		case 'E':
			st.flags |= OUT_EXPLAIN;
			break;
		case 'P':
			profile = true;
			break;
		case 'h':
			scan_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		default:
			free(rules);
			return usage_error("scan", "bad option");
		}
	}
	if (optind >= argc) {
		free(rules);
		return usage_error("scan", "nothing to scan: give files, "
				   "directories or - for standard input");
	}
	rs = rules_load(rules, nrules, false, &code);
	free(rules);
	if (!rs)
		return code;
	st.m = matcher_new(rs);
	matcher_set_explain(st.m, st.flags & OUT_EXPLAIN);
	matcher_set_profile(st.m, profile);
	scan_result_init(&st.res);
	buf_init(&st.out, 0);
	if (st.fmt->begin) {
		st.fmt->begin(&st.out);
		fwrite(st.out.data, 1, st.out.len, stdout);
	}
	failed = inputs_walk(argv + optind, (size_t)(argc - optind), scan_one,
			     &st);
	buf_release(&st.out);
	scan_result_release(&st.res);
	if (profile)
		print_profile(st.m, rs);
	matcher_free(st.m);
	ruleset_free(rs);
	if (failed)
		return EXIT_RUNTIME;
	return st.alerted ? EXIT_ALERT : EXIT_CLEAN;
}
