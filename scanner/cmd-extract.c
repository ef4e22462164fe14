/* cmd-extract.c: redflag extract: what the scanner sees of each input. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "scanner/output.h"
#include "scanner/scanner.h"
#include "common/banned.h"

static void
extract_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag extract PATH...|-\n\n"
		"Prints, for each input, one JSON object with what the scanner "
		"sees:\nsource, url, status, lang, title, text, fields, "
		"contacts and\nentities (money and ages).\n"
		"Inputs as for 'redflag scan'.\n\n"
		"  -h, --help   this help\n\n"
		"Exit: 0 all inputs read, 2 usage, 4 an input could not be "
		"read.\n");
}

static void
extract_one(struct document *d, void *arg)
{
	struct buf *out = arg;

	if (d->status == DOC_ERROR)
		log_error("'%s': %s", d->source, d->error);
	buf_reset(out);
	output_json_document(out, d, NULL, NULL, true, 0);
	fwrite(out->data, 1, out->len, stdout);
}

int
cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct buf out;
	size_t failed;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			extract_usage(stdout);
			return EXIT_CLEAN;
		}
		return usage_error("extract", "bad option");
	}
	if (optind >= argc)
		return usage_error("extract", "nothing to extract: give "
				   "files, directories or -");
	buf_init(&out, 0);
	failed = inputs_walk(argv + optind, (size_t)(argc - optind),
			     extract_one, &out);
	buf_release(&out);
	return failed ? EXIT_RUNTIME : EXIT_CLEAN;
}
