/*
 * cmd-eval.c: redflag eval: how well the rules separate labelled texts:
 * precision, recall, F1 and false-positive rate per level, a confusion
 * table, and per rule how often it fires on positives and negatives.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "scanner/csv.h"
#include "scanner/scanner.h"
#include "common/banned.h"

enum { NEG = 0, POS = 1 };

struct tally {
	long n[2][4];		/* label x level */
};

struct group {
	char *name;
	struct tally t;
};

struct eval {
	const char *text_col, *html_col, *title_col, *label_col, *id_col;
	const char *group_col;
	char *pos_list, *neg_list;	/* comma-separated label values */
	int label_all;			/* -1: use the column, else NEG/POS */
	enum risk_level show_level;
	bool show_fp, show_fn, json;
	struct matcher *m;
	const struct ruleset *rs;
	struct scan_result res;
	struct tally all;
	struct group *groups;
	size_t ngroups, agroups;
	long (*rule_hits)[2];		/* per rule: fired on neg, pos */
	long rows, skipped;
	struct buf shown;		/* the misclassified rows, for --show */
};

static const char default_pos[] =
	"1,true,yes,positive,suspicious,fraud,fraudulent,spam,scam,high";
static const char default_neg[] =
	"0,false,no,negative,ordinary,legit,legitimate,ham,low,none";

/* Whether v is one of the comma-separated values of list. */
static bool
in_list(const char *list, const char *v)
{
	size_t n = strlen(v);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t m = e ? (size_t)(e - p) : strlen(p);

		if (m == n && strncasecmp(p, v, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static struct group *
group_of(struct eval *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->ngroups; i++)
		if (strcmp(ev->groups[i].name, name) == 0)
			return &ev->groups[i];
	ALLOC_GROW(ev->groups, ev->ngroups + 1, ev->agroups);
	memset(&ev->groups[ev->ngroups], 0, sizeof(ev->groups[0]));
	ev->groups[ev->ngroups].name = xstrdup(name);
	return &ev->groups[ev->ngroups++];
}

/* One labelled row: its fields by name through get(). */
typedef const char *(*field_fn)(void *row, const char *name);

static void
eval_row(struct eval *ev, void *row, field_fn get)
{
	const char *label = get(row, ev->label_col);
	const char *html = ev->html_col ? get(row, ev->html_col) : NULL;
	const char *text = html && *html ? html : get(row, ev->text_col);
	const char *title = ev->title_col ? get(row, ev->title_col) : NULL;
	const char *id = get(row, ev->id_col);
	struct document d;
	struct scan_input in;
	int y;
	enum risk_level level = LEVEL_NONE;
	size_t i;

	if (ev->label_all >= 0)
		y = ev->label_all;
	else if (label && in_list(ev->pos_list, label))
		y = POS;
	else if (label && in_list(ev->neg_list, label))
		y = NEG;
	else {
		ev->skipped++;
		return;
	}
	if (!text) {
		ev->skipped++;
		return;
	}
	ev->rows++;
	document_init(&d, id ? id : "row");
	if (html && *html)
		extract_document(&d, text, strlen(text));
	else
		extract_plain(&d, text, strlen(text));
	if (title && *title) {
		buf_reset(&d.title);
		buf_addstr(&d.title, title);
		d.has_title = true;
	}
	if (d.status == DOC_OK || d.status == DOC_TRUNCATED) {
		document_scan_input(&d, &in);
		matcher_scan(ev->m, &in, &ev->res);
		level = ev->res.level;
		for (i = 0; i < ev->res.nfired; i++) {
			const struct rule *r = ev->res.fired[i];
			size_t k;

			for (k = 0; k < ruleset_count(ev->rs); k++)
				if (ruleset_rule(ev->rs, k) == r)
					ev->rule_hits[k][y]++;
		}
	}
	ev->all.n[y][level]++;
	if (ev->group_col) {
		const char *g = get(row, ev->group_col);

		group_of(ev, g && *g ? g : "-")->t.n[y][level]++;
	}
	if ((y == NEG && ev->show_fp && level >= ev->show_level) ||
	    (y == POS && ev->show_fn && level < ev->show_level)) {
		buf_addf(&ev->shown, "%s %s %s", y == POS ? "MISS" : "FP",
			 id ? id : "-", risk_level_name(level));
		for (i = 0; d.status != DOC_ERROR && i < ev->res.nfired &&
			    level > LEVEL_NONE; i++)
			buf_addf(&ev->shown, "%s%s", i ? "," : " [",
				 rule_id(ev->res.fired[i]));
		if (level > LEVEL_NONE && ev->res.nfired)
			buf_addch(&ev->shown, ']');
		buf_addstr(&ev->shown, ": ");
		for (i = 0; i < d.body.len && i < 160; i++)
			buf_addch(&ev->shown, (unsigned char)d.body.data[i] <
				  0x20 ? ' ' : d.body.data[i]);
		while (i < d.body.len && ((unsigned char)d.body.data[i] &
					  0xC0) == 0x80)
			buf_addch(&ev->shown, d.body.data[i++]);
		buf_addch(&ev->shown, '\n');
	}
	document_release(&d);
}

/* ---- CSV rows ---- */

struct csv_ctx {
	struct csv_row *head, *row;
};

static const char *
csv_get(void *arg, const char *name)
{
	struct csv_ctx *c = arg;
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < c->head->n && i < c->row->n; i++)
		if (strcmp(c->head->fields[i].data, name) == 0)
			return c->row->fields[i].data;
	return NULL;
}

static bool
csv_has(const struct csv_row *head, const char *name)
{
	size_t i;

	for (i = 0; name && i < head->n; i++)
		if (strcmp(head->fields[i].data, name) == 0)
			return true;
	return false;
}

static int
eval_csv(struct eval *ev, const char *path, const char *text, size_t len)
{
	struct csv_row head, row;
	struct csv_ctx ctx = { &head, &row };
	size_t pos = 0;
	const char *need[] = {
		ev->html_col ? ev->html_col : ev->text_col,
		ev->html_col ? ev->text_col : NULL,
		ev->label_all < 0 ? ev->label_col : NULL, ev->title_col,
		ev->group_col,
	};
	size_t i;
	int code = EXIT_CLEAN;

	csv_row_init(&head);
	csv_row_init(&row);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (!csv_next(text, len, &pos, &head, NULL)) {
		log_error("'%s': empty file", path);
		code = EXIT_RUNTIME;
		goto out;
	}
	for (i = 0; i < RF_ARRAY_SIZE(need); i++) {
		if (need[i] && !csv_has(&head, need[i])) {
			log_error("'%s': no column '%s'", path, need[i]);
			code = EXIT_USAGE;
			goto out;
		}
	}
	while (csv_next(text, len, &pos, &row, NULL))
		if (row.n > 1 || (row.n == 1 && row.fields[0].len))
			eval_row(ev, &ctx, csv_get);
out:
	csv_row_release(&head);
	csv_row_release(&row);
	return code;
}

/* ---- JSON Lines rows ---- */

static const char *
jsonl_get(void *arg, const char *name)
{
	struct json_object *o = arg, *v;

	if (!name || !json_object_object_get_ex(o, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static int
eval_jsonl(struct eval *ev, const char *path, char *text, size_t len)
{
	char *line = text, *next;
	long lineno = 0;

	while (line < text + len) {
		struct json_object *o;

		lineno++;
		next = memchr(line, '\n', (size_t)(text + len - line));
		if (next)
			*next++ = '\0';
		else
			next = text + len;
		if (*line) {
			o = json_tokener_parse(line);
			if (!o || !json_object_is_type(o, json_type_object)) {
				log_error("'%s':%ld: not a JSON object", path,
					  lineno);
				json_object_put(o);
				return EXIT_RUNTIME;
			}
			eval_row(ev, o, jsonl_get);
			json_object_put(o);
		}
		line = next;
	}
	return EXIT_CLEAN;
}

/* ---- results ---- */

struct measures {
	long tp, fp, fn, tn;
	double precision, recall, f1, fpr;
};

static void
measure(const struct tally *t, enum risk_level at, struct measures *m)
{
	int l;

	memset(m, 0, sizeof(*m));
	for (l = LEVEL_NONE; l <= LEVEL_HIGH; l++) {
		if (l >= (int)at) {
			m->tp += t->n[POS][l];
			m->fp += t->n[NEG][l];
		} else {
			m->fn += t->n[POS][l];
			m->tn += t->n[NEG][l];
		}
	}
	m->precision = m->tp + m->fp ? (double)m->tp / (m->tp + m->fp) : 0;
	m->recall = m->tp + m->fn ? (double)m->tp / (m->tp + m->fn) : 0;
	m->f1 = m->precision + m->recall
		? 2 * m->precision * m->recall / (m->precision + m->recall) : 0;
	m->fpr = m->fp + m->tn ? (double)m->fp / (m->fp + m->tn) : 0;
}

static void
print_tally(const char *name, const struct tally *t)
{
	struct measures m;
	int l;
	long pos = 0, neg = 0;

	for (l = 0; l < 4; l++) {
		pos += t->n[POS][l];
		neg += t->n[NEG][l];
	}
	printf("%s: %ld positive, %ld negative\n", name, pos, neg);
	printf("  at or above  %6s %6s %6s %6s %9s %6s %6s %6s\n", "TP", "FP",
	       "FN", "TN", "precision", "recall", "F1", "FPR");
	for (l = LEVEL_LOW; l <= LEVEL_HIGH; l++) {
		measure(t, (enum risk_level)l, &m);
		printf("  %-12s %6ld %6ld %6ld %6ld %9.3f %6.3f %6.3f %6.3f\n",
		       risk_level_name((enum risk_level)l), m.tp, m.fp, m.fn,
		       m.tn, m.precision, m.recall, m.f1, m.fpr);
	}
	printf("  levels:      %8s %8s %8s %8s\n", "none", "low", "medium",
	       "high");
	printf("  positive     %8ld %8ld %8ld %8ld\n", t->n[POS][0],
	       t->n[POS][1], t->n[POS][2], t->n[POS][3]);
	printf("  negative     %8ld %8ld %8ld %8ld\n", t->n[NEG][0],
	       t->n[NEG][1], t->n[NEG][2], t->n[NEG][3]);
}

static void
json_tally(struct buf *b, const struct tally *t)
{
	struct measures m;
	int l;

	buf_addstr(b, "{\"levels\":{");
	for (l = 0; l < 4; l++)
		buf_addf(b, "%s\"%s\":{\"positive\":%ld,\"negative\":%ld}",
			 l ? "," : "", risk_level_name((enum risk_level)l),
			 t->n[POS][l], t->n[NEG][l]);
	buf_addstr(b, "},\"at\":{");
	for (l = LEVEL_LOW; l <= LEVEL_HIGH; l++) {
		measure(t, (enum risk_level)l, &m);
		buf_addf(b, "%s\"%s\":{\"tp\":%ld,\"fp\":%ld,\"fn\":%ld,"
			 "\"tn\":%ld,\"precision\":%.4f,\"recall\":%.4f,"
			 "\"f1\":%.4f,\"fpr\":%.4f}", l > 1 ? "," : "",
			 risk_level_name((enum risk_level)l), m.tp, m.fp, m.fn,
			 m.tn, m.precision, m.recall, m.f1, m.fpr);
	}
	buf_addstr(b, "}}");
}

struct rule_row {
	size_t k;
	long neg, pos;
};

/* Never-firing rules first, then those firing mostly on negatives. */
static int
cmp_rule_row(const void *a, const void *b)
{
	const struct rule_row *x = a, *y = b;
	bool xz = !x->neg && !x->pos, yz = !y->neg && !y->pos;
	double xr, yr;

	if (xz != yz)
		return xz ? -1 : 1;
	xr = (double)x->pos / (x->pos + x->neg + 1e-9);
	yr = (double)y->pos / (y->pos + y->neg + 1e-9);
	if (xr != yr)
		return xr < yr ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static void
print_rules(const struct eval *ev)
{
	size_t n = ruleset_count(ev->rs), i;
	struct rule_row *rows = xcalloc(n + 1, sizeof(*rows));
	long pos = 0, neg = 0;
	int l;

	for (l = 0; l < 4; l++) {
		pos += ev->all.n[POS][l];
		neg += ev->all.n[NEG][l];
	}
	for (i = 0; i < n; i++) {
		rows[i].k = i;
		rows[i].neg = ev->rule_hits[i][NEG];
		rows[i].pos = ev->rule_hits[i][POS];
	}
	qsort(rows, n, sizeof(*rows), cmp_rule_row);
	printf("rules: %% of positives and of negatives each fired on "
	       "(never-firing first,\nthen those firing mostly on "
	       "negatives)\n");
	printf("  %7s %7s  %s\n", "pos%", "neg%", "rule");
	for (i = 0; i < n; i++)
		printf("  %7.2f %7.2f  %s\n",
		       pos ? 100.0 * rows[i].pos / pos : 0.0,
		       neg ? 100.0 * rows[i].neg / neg : 0.0,
		       rule_id(ruleset_rule(ev->rs, rows[i].k)));
	free(rows);
}

static void
eval_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag eval --labels FILE [-r RULES]... [options]\n\n"
		"Scores every row of a labelled CSV or JSON Lines file and "
		"reports how\nwell the levels separate positives from "
		"negatives.\n\n"
		"  --labels FILE        CSV with a header row, or JSON Lines\n"
		"  --text COL           the text column (default: text)\n"
		"  --html COL           read this column as HTML instead\n"
		"  --title COL          a title column\n"
		"  --label COL          the label column (default: label)\n"
		"  --id COL             the row id column (default: id)\n"
		"  --positive V,V...    label values that are positive\n"
		"                       (default: %s)\n"
		"  --negative V,V...    label values that are negative\n"
		"                       (default: %s)\n"
		"  --all-negative, --all-positive   ignore the label column\n"
		"  --by COL             also report per value of COL "
		"(e.g. lang)\n"
		"  --show fp|fn|all     print the false positives and/or "
		"misses\n"
		"  --level LEVEL        the level --show judges at (default "
		"medium)\n"
		"  -f text|json         output format (default text)\n"
		"  -r RULES             rules, as for scan\n\n"
		"Rows whose label is in neither list are skipped and "
		"counted.\n", default_pos, default_neg);
}

int
cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "labels", required_argument, NULL, 'L' },
		{ "rules", required_argument, NULL, 'r' },
		{ "text", required_argument, NULL, 't' },
		{ "html", required_argument, NULL, 'H' },
		{ "title", required_argument, NULL, 'T' },
		{ "label", required_argument, NULL, 'l' },
		{ "id", required_argument, NULL, 'i' },
		{ "positive", required_argument, NULL, 'p' },
		{ "negative", required_argument, NULL, 'n' },
		{ "all-negative", no_argument, NULL, 'N' },
		{ "all-positive", no_argument, NULL, 'P' },
		{ "by", required_argument, NULL, 'b' },
		{ "show", required_argument, NULL, 's' },
		{ "level", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct eval ev;
	const char *labels = NULL;
	char **rules = NULL;
	size_t nrules = 0, i;
	struct ruleset *rs = NULL;
	struct buf text, out;
	int c, code = EXIT_CLEAN;
	enum rf_err err;
	size_t p0;

	memset(&ev, 0, sizeof(ev));
	ev.text_col = "text";
	ev.label_col = "label";
	ev.id_col = "id";
	ev.pos_list = (char *)(uintptr_t)default_pos;
	ev.neg_list = (char *)(uintptr_t)default_neg;
	ev.label_all = -1;
	ev.show_level = LEVEL_MEDIUM;
	buf_init(&ev.shown, 0);
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'L': labels = optarg; break;
		case 'r':
			rules = xreallocarray(rules, nrules + 1,
					      sizeof(*rules));
			rules[nrules++] = optarg;
			break;
		case 't': ev.text_col = optarg; break;
		case 'H': ev.html_col = optarg; break;
		case 'T': ev.title_col = optarg; break;
		case 'l': ev.label_col = optarg; break;
		case 'i': ev.id_col = optarg; break;
		case 'p': ev.pos_list = optarg; break;
		case 'n': ev.neg_list = optarg; break;
		case 'N': ev.label_all = NEG; break;
		case 'P': ev.label_all = POS; break;
		case 'b': ev.group_col = optarg; break;
		case 's':
			ev.show_fp = !strcmp(optarg, "fp") ||
				     !strcmp(optarg, "all");
			ev.show_fn = !strcmp(optarg, "fn") ||
				     !strcmp(optarg, "all");
			if (!ev.show_fp && !ev.show_fn)
				code = usage_error("eval", "--show takes fp, "
						   "fn or all");
			break;
		case 'v':
			if (risk_level_parse(optarg, &ev.show_level) != RF_OK ||
			    ev.show_level == LEVEL_NONE)
				code = usage_error("eval", "level must be "
						   "low, medium or high");
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				code = usage_error("eval", "format is text or "
						   "json");
			ev.json = !strcmp(optarg, "json");
			break;
		case 'h':
			eval_usage(stdout);
			free(rules);
			return EXIT_CLEAN;
		default:
			code = usage_error("eval", "bad option");
		}
		if (code) {
			free(rules);
			return code;
		}
	}
	if (!labels || optind < argc) {
		free(rules);
		return usage_error("eval", labels ? "unexpected argument '%s'"
				   : "--labels FILE is required%s",
				   labels ? argv[optind] : "");
	}
	rs = rules_load(rules, nrules, false, &code);
	free(rules);
	if (!rs)
		return code;
	buf_init(&text, RF_EVAL_FILE_MAX);
	err = file_read(labels, RF_EVAL_FILE_MAX, &text);
	if (err != RF_OK) {
		log_error("'%s': %s", labels, rf_strerror(err));
		code = EXIT_RUNTIME;
		goto out;
	}
	ev.rs = rs;
	ev.m = matcher_new(rs);
	scan_result_init(&ev.res);
	ev.rule_hits = xcalloc(ruleset_count(rs) + 1, sizeof(*ev.rule_hits));
	for (p0 = 0; p0 < text.len && strchr(" \t\r\n", text.data[p0]); p0++)
		;
	if (p0 < text.len && text.data[p0] == '{')
		code = eval_jsonl(&ev, labels, text.data, text.len);
	else
		code = eval_csv(&ev, labels, text.data, text.len);
	if (code != EXIT_CLEAN)
		goto out;
	if (ev.json) {
		buf_init(&out, 0);
		buf_addf(&out, "{\"file\":\"%s\",\"rows\":%ld,\"skipped\":%ld,"
			 "\"all\":", labels, ev.rows, ev.skipped);
		json_tally(&out, &ev.all);
		buf_addstr(&out, ",\"by\":{");
		for (i = 0; i < ev.ngroups; i++) {
			buf_addf(&out, "%s\"%s\":", i ? "," : "",
				 ev.groups[i].name);
			json_tally(&out, &ev.groups[i].t);
		}
		buf_addstr(&out, "},\"rules\":{");
		for (i = 0; i < ruleset_count(rs); i++)
			buf_addf(&out, "%s\"%s\":{\"positive\":%ld,"
				 "\"negative\":%ld}", i ? "," : "",
				 rule_id(ruleset_rule(rs, i)),
				 ev.rule_hits[i][POS], ev.rule_hits[i][NEG]);
		buf_addstr(&out, "}}\n");
		fwrite(out.data, 1, out.len, stdout);
		buf_release(&out);
	} else {
		printf("%s: %ld rows scored, %ld skipped (label not mapped or "
		       "no text)\n", labels, ev.rows, ev.skipped);
		print_tally("all", &ev.all);
		for (i = 0; i < ev.ngroups; i++)
			print_tally(ev.groups[i].name, &ev.groups[i].t);
		print_rules(&ev);
		if (ev.shown.len) {
			printf("rows judged wrongly at %s:\n",
			       risk_level_name(ev.show_level));
			fwrite(ev.shown.data, 1, ev.shown.len, stdout);
		}
	}
out:
	for (i = 0; i < ev.ngroups; i++)
		free(ev.groups[i].name);
	free(ev.groups);
	free(ev.rule_hits);
	buf_release(&ev.shown);
	buf_release(&text);
	scan_result_release(&ev.res);
	matcher_free(ev.m);
	ruleset_free(rs);
	return code;
}
