/* main.c: the redflag program: global options and the command table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "common/buf.h"
#include "common/log.h"
#include "scanner/scanner.h"
#include "config.h"
#include "common/banned.h"

const char redflag_version[] = PACKAGE_VERSION;

static const struct cmd_entry commands[] = {
	{ "scan", "score files, directories or stdin for trafficking "
		  "indicators", cmd_scan },
	{ "extract", "show what the scanner sees: fields, text, contacts",
	  cmd_extract },
	{ "rules", "check, test or list rule files", cmd_rules },
	{ "crawl", "fetch sites politely into WARC files", cmd_crawl },
	{ "run", "crawl, scan, store and report: the nightly job", cmd_run },
	{ "rescore", "apply today's rules to stored pages", cmd_rescore },
	{ "report", "write the report of a run: HTML, CSV, JSON Lines, "
		    "Markdown", cmd_report },
	{ "eval", "precision and recall of the rules on labelled text",
	  cmd_eval },
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: redflag [--version] [--help] COMMAND [ARGS]\n\n"
		     "Finds human-trafficking recruitment in job and "
		     "classifieds ads.\n\nCommands:\n");
	for (i = 0; i < RF_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n'redflag COMMAND --help' describes a command; "
		     "redflag(1) has the details.\n");
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "redflag: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'redflag %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

bool
root_allowed(enum crawl_root mode, const char *from)
{
	if (geteuid() != 0 || mode == CRAWL_ROOT_ALLOW)
		return true;
	if (mode == CRAWL_ROOT_REFUSE) {
		log_error("not running as root: %s says as_root = refuse",
			  from ? from : "the job");
		return false;
	}
	log_warn("running as root, which redflag does not need (run it as "
		 "an ordinary user; as_root = allow in the job or "
		 "--as-root=allow silences this)");
	return true;
}

int
main(int argc, char **argv)
{
	size_t i;
	int code;
	static char prefix[64];

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("redflag %s\n", redflag_version);
		return EXIT_CLEAN;
	}
	if (argv[1][0] == '-')
		return usage_error(NULL, "unknown option '%s'", argv[1]);
	for (i = 0; i < RF_ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		snprintf(prefix, sizeof(prefix), "redflag: %s",
			 commands[i].name);
		log_set_prefix(prefix);
		xmlInitParser();
		code = commands[i].exec(argc - 1, argv + 1);
		xmlCleanupParser();
		if (fflush(stdout) != 0 || ferror(stdout)) {
			log_error("cannot write results to standard output");
			return EXIT_RUNTIME;
		}
		return code;
	}
	return usage_error(NULL, "'%s' is not a command", argv[1]);
}
