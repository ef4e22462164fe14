/*
 * replay.c: a main() for the fuzz targets without libFuzzer. Linked with
 * tests/fuzz/fuzz-NAME.c by the normal compiler, it feeds the target every
 * file named on the command line (a directory: every file in it), or with
 * no arguments, every file of tests/fuzz/corpus/NAME (which must hold
 * some) and tests/fuzz/regressions/NAME, so that `make check` replays the
 * seeds and every crash ever found in each build.
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

/* Weak, as in libFuzzer: a target need not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static const char *progname;

/* Feeds the file at path to the target; returns false if it is unreadable. */
static bool
replay_file(const char *path)
{
	struct buf b;
	uint8_t *copy;
	size_t len;
	bool ok;

	buf_init(&b, RF_INPUT_MAX_BYTES);
	ok = file_read(path, RF_INPUT_MAX_BYTES, &b) == RF_OK;
	if (!ok) {
		fprintf(stderr, "%s: cannot read '%s'\n", progname, path);
		buf_release(&b);
		return false;
	}
	/* an exact-size copy, so that ASan sees reads past the end */
	len = b.len;
	copy = xmalloc(len ? len : 1);
	memcpy(copy, b.data, len);
	buf_release(&b);
	fprintf(stderr, "%s: %s\n", progname, path);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return true;
}

static int
skip_dotfiles(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/*
 * Feeds every file of the directory at path, in name order, adding to
 * *count. Returns false if something could not be read.
 */
static bool
replay_dir(const char *path, size_t *count)
{
	struct dirent **list;
	struct buf file;
	bool ok = true;
	int n, i;

	n = scandir(path, &list, skip_dotfiles, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: cannot read directory '%s'\n", progname,
			path);
		return false;
	}
	buf_init(&file, 0);
	for (i = 0; i < n; i++) {
		buf_reset(&file);
		buf_addf(&file, "%s/%s", path, list[i]->d_name);
		if (!replay_file(file.data))
			ok = false;
		else
			(*count)++;
		free(list[i]);
	}
	free(list);
	buf_release(&file);
	return ok;
}

static bool
replay_path(const char *path, size_t *count)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return replay_dir(path, count);
	if (!replay_file(path))
		return false;
	(*count)++;
	return true;
}

int
main(int argc, char **argv)
{
	const char *name, *slash;
	struct buf dir;
	struct stat st;
	size_t count = 0;
	bool ok = true;
	int i;

	slash = strrchr(argv[0], '/');
	progname = slash ? slash + 1 : argv[0];
	name = str_has_prefix(progname, "fuzz-") ? progname + 5 : progname;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (!replay_path(argv[i], &count))
				ok = false;
		fprintf(stderr, "%s: %zu inputs\n", progname, count);
		return ok ? 0 : 1;
	}
	/* the seeds must be there: a replay of nothing proves nothing */
	buf_init(&dir, 0);
	buf_addf(&dir, "%s/tests/fuzz/corpus/%s", RF_SRCDIR, name);
	if (!replay_dir(dir.data, &count))
		ok = false;
	if (!count) {
		fprintf(stderr, "%s: no seeds in '%s'\n", progname, dir.data);
		ok = false;
	}
	buf_reset(&dir);
	buf_addf(&dir, "%s/tests/fuzz/regressions/%s", RF_SRCDIR, name);
	if (stat(dir.data, &st) == 0 && !replay_dir(dir.data, &count))
		ok = false;
	buf_release(&dir);
	fprintf(stderr, "%s: %zu inputs\n", progname, count);
	return ok ? 0 : 1;
}
