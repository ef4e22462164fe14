/* cmd-report.c: redflag report: the report of a run, read from the store. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "reports/reports.h"
#include "crawler/crawl.h"
#include "scanner/scanner.h"
#include "store/store.h"
#include "common/banned.h"

/* Where the pseudonymization key lives without --key-file. */
#define KEY_SUFFIX ".pseudonym-key"

static void
report_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag report [-c JOB.conf | --db FILE]\n"
		"                      [--run ID | --since last-run | "
		"--since YYYY-MM-DD]\n"
		"                      [-f html|csv|jsonl|md] [-o FILE] "
		"[--min-level LEVEL]\n"
		"                      [--all] [--pseudonymize [--key-file "
		"FILE]] [--lang en|ru]\n\n"
		"Writes the report of a run from the store: listings by risk "
		"with their\nhits, clusters of shared contacts and texts, site "
		"health.\n\n"
		"  -c, --config JOB.conf   the job's store (its 'store' key)\n"
		"      --db FILE           the store's database\n"
		"      --run ID            that run (default: the latest "
		"finished run)\n"
		"      --since last-run    the latest finished run\n"
		"      --since YYYY-MM-DD  every run finished since that day "
		"(UTC)\n"
		"  -f, --format FORMAT     html (default, or as -o's extension "
		"says), csv,\n"
		"                          jsonl or md\n"
		"  -o, --output FILE       write FILE atomically, mode 0640 "
		"(default: stdout)\n"
		"      --min-level LEVEL   show listings from none, low "
		"(default), medium\n"
		"                          or high up\n"
		"      --all               show unchanged listings too\n"
		"      --pseudonymize      replace phones, handles and e-mails "
		"by keyed\n"
		"                          pseudonyms (HMAC-SHA256)\n"
		"      --key-file FILE     the key (default: the database's "
		"path and\n"
		"                          '%s', made once with mode "
		"0600)\n"
		"      --lang LANG         labels in en (default) or ru\n"
		"  -h, --help              this help\n\n"
		"Exit: 0 written, 2 usage, 4 the store or the output failed.\n",
		KEY_SUFFIX);
}

static bool
parse_level(const char *s, enum store_level *out)
{
	static const char *const names[] = { "none", "low", "medium", "high" };
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum store_level)i;
			return true;
		}
	}
	return false;
}

/* Parses YYYY-MM-DD as the start of that day in UTC. */
static bool
parse_date(const char *s, int64_t *out)
{
	struct tm tm, back;
	long long y, m, d;
	char part[8];
	time_t t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	memcpy(part, s, 4);
	part[4] = '\0';
	if (parse_int(part, 1970, 9999, &y))
		return false;
	memcpy(part, s + 5, 2);
	part[2] = '\0';
	if (parse_int(part, 1, 12, &m))
		return false;
	memcpy(part, s + 8, 2);
	if (parse_int(part, 1, 31, &d))
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	t = timegm(&tm);
	/* 2026-02-30 would roll over into March */
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != (int)d)
		return false;
	*out = (int64_t)t;
	return true;
}

int
cmd_report(int argc, char **argv)
{
	enum {
		OPT_DB = 256, OPT_RUN, OPT_SINCE, OPT_MIN_LEVEL, OPT_ALL,
		OPT_PSEUDO, OPT_KEY_FILE, OPT_LANG,
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "run", required_argument, NULL, OPT_RUN },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "min-level", required_argument, NULL, OPT_MIN_LEVEL },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "pseudonymize", no_argument, NULL, OPT_PSEUDO },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *db = NULL, *format = NULL, *output = NULL;
	struct crawl_job *job = NULL;
	const char *key_file = NULL, *since = NULL;
	struct report_opts o;
	struct report_key key;
	struct store *s = NULL;
	struct report *r = NULL;
	struct buf msg, path, out;
	bool pseudo = false, have_run = false;
	long long ll;
	enum rf_err err;
	int c, code = EXIT_RUNTIME;

	report_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_RUN:
			if (parse_int(optarg, 1, INT64_MAX, &ll))
				return usage_error("report", "bad run id '%s'",
						   optarg);
			o.run_id = ll;
			have_run = true;
			break;
		case OPT_SINCE:
			since = optarg;
			break;
		case 'f':
			if (!report_format_known(optarg))
				return usage_error("report", "unknown format "
						   "'%s'", optarg);
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_MIN_LEVEL:
			if (!parse_level(optarg, &o.min_level))
				return usage_error("report", "unknown level "
						   "'%s'", optarg);
			break;
		case OPT_ALL:
			o.unchanged = true;
			break;
		case OPT_PSEUDO:
			pseudo = true;
			break;
		case OPT_KEY_FILE:
			key_file = optarg;
			break;
		case OPT_LANG:
			if (report_lang_parse(optarg, &o.lang))
				return usage_error("report", "unknown language "
						   "'%s': en or ru", optarg);
			break;
		case 'h':
			report_usage(stdout);
			return EXIT_CLEAN;
		default:
			return usage_error("report", "bad option");
		}
	}
	if (optind < argc)
		return usage_error("report", "unexpected argument '%s'",
				   argv[optind]);
	if (config && db)
		return usage_error("report", "-c and --db exclude each other");
	if (!config && !db)
		return usage_error("report", "no store: give --db FILE");
	if (have_run && since)
		return usage_error("report", "--run and --since exclude each "
				   "other");
	if (since && strcmp(since, "last-run") != 0 &&
	    !parse_date(since, &o.since))
		return usage_error("report", "bad --since '%s': last-run or "
				   "YYYY-MM-DD", since);
	if (key_file && !pseudo)
		return usage_error("report", "--key-file needs --pseudonymize");
	if (!format)
		format = output && report_format_of_path(output)
				 ? report_format_of_path(output)
				 : "html";
	if (config) {
		struct buf jerr;

		buf_init(&jerr, 0);
		if (crawl_job_load(config, &job, &jerr) != RF_OK) {
			fputs(jerr.data, stderr);
			buf_release(&jerr);
			return EXIT_USAGE;
		}
		buf_release(&jerr);
		db = job->store_path;
	}

	buf_init(&msg, 0);
	buf_init(&path, 0);
	buf_init(&out, RF_REPORT_MAX_BYTES);
	if (pseudo) {
		if (key_file) {
			buf_addstr(&path, key_file);
		} else {
			buf_addstr(&path, db);
			buf_addstr(&path, KEY_SUFFIX);
		}
		if (report_key_load(path.data, !key_file, &key, &msg)) {
			log_error("%s", msg.data);
			goto out;
		}
		o.key = &key;
	}
	err = store_open(db, STORE_READONLY, &s);
	if (err) {
		if (err == RF_ENOENT)
			log_error("no database '%s'", db);
		else
			log_error("'%s': %s", db, store_errmsg(s));
		goto out;
	}
	if ((err = report_new(s, &o, &r, &msg))) {
		log_error("'%s': %s", db,
			  msg.len ? msg.data : rf_strerror(err));
		goto out;
	}
	if (output) {
		if (report_write(r, format, output, &msg)) {
			log_error("%s", msg.data);
			goto out;
		}
	} else {
		if ((err = report_render(r, format, &out))) {
			log_error("the report: %s", rf_strerror(err));
			goto out;
		}
		if (fwrite(out.data, 1, out.len, stdout) != out.len)
			goto out;	/* main() reports the failed stdout */
	}
	code = EXIT_CLEAN;
out:
	if (pseudo)
		explicit_bzero(&key, sizeof(key));
	report_free(r);
	store_close(s);
	buf_release(&out);
	buf_release(&path);
	buf_release(&msg);
	crawl_job_free(job);
	return code;
}
