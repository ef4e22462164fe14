/* cmd-extract.c: redflag extract: what the scanner sees of each input. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "scanner/output.h"
#include "scanner/profile.h"
#include "scanner/scanner.h"
#include "common/banned.h"

static void
extract_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag extract [--profiles PATH]... PATH...|-\n\n"
		"Prints, for each input, one JSON object with what the scanner "
		"sees:\nsource, url, status, lang, title, text, fields, the "
		"language of each\nfield, the profile applied, contacts and "
		"entities (money and ages).\n"
		"Inputs as for 'redflag scan'.\n\n"
		"  --profiles PATH   extraction profiles: a file, or a folder "
		"of *.profile\n"
		"                    files (redflag-profile(5)); repeatable\n"
		"  -h, --help        this help\n\n"
		"Exit: 0 all inputs read, 2 usage or a bad profile, 4 an input "
		"could not\nbe read.\n");
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
		{ "profiles", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct profile_set *ps = NULL;
	char **profiles = NULL;
	size_t nprofiles = 0;
	struct buf out;
	size_t failed;
	bool bad;
	int c, code;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'P') {
			profiles = xreallocarray(profiles, nprofiles + 1,
						 sizeof(*profiles));
			profiles[nprofiles++] = optarg;
			continue;
		}
		free(profiles);
		if (c == 'h') {
			extract_usage(stdout);
			return EXIT_CLEAN;
		}
		return usage_error("extract", "bad option");
	}
	if (optind >= argc) {
		free(profiles);
		return usage_error("extract", "nothing to extract: give "
				   "files, directories or -");
	}
	ps = profiles_load(profiles, nprofiles, &bad);
	free(profiles);
	if (bad)
		return EXIT_USAGE;
	buf_init(&out, 0);
	failed = inputs_walk(argv + optind, (size_t)(argc - optind), ps,
			     extract_one, &out);
	buf_release(&out);
	profile_set_free(ps);
	code = failed ? EXIT_RUNTIME : EXIT_CLEAN;
	return code;
}
