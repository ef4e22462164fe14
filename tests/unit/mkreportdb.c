/* mkreportdb.c: writes the report tests' store (report-fixture.h) to the
 * path given, for the shell tests of `redflag report`. */
#include <stdio.h>

#include "tests/unit/report-fixture.h"

int
main(int argc, char **argv)
{
	struct report_fixture f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkreportdb PATH\n");
		return 2;
	}
	report_fixture_build(argv[1], &f);
	return 0;
}
