/* inputs.c: files, directories and stdin as a stream of documents. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "scanner/scanner.h"
#include "common/banned.h"

void
input_read(const char *path, struct buf *data, struct document *d)
{
	enum rf_err err;

	document_init(d, path);
	buf_reset(data);
	err = file_read(path, RF_INPUT_MAX_BYTES, data);
	if (err == RF_ETOOBIG) {
		document_fail(d, err, "larger than %zu bytes",
			      (size_t)RF_INPUT_MAX_BYTES);
		return;
	}
	if (err != RF_OK) {
		document_fail(d, err, "%s", err == RF_EIO ? strerror(errno)
							  : rf_strerror(err));
		return;
	}
	extract_document(d, data->data, data->len);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls fn for path, or for every file below it; returns failures of the
 * walk itself (unreadable directories) after reporting them to fn. */
static void
walk(const char *path, int depth, input_fn fn, void *arg)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct buf child;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		/* files, stdin, and paths that fail when read */
		fn(path, NULL, arg);
		return;
	}
	if (depth >= RF_DIR_MAX_DEPTH) {
		fn(path, "directories nested too deep", arg);
		return;
	}
	if (!(dir = opendir(path))) {
		fn(path, strerror(errno), arg);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;	/* ., .. and hidden files */
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	buf_init(&child, 0);
	for (i = 0; i < n; i++) {
		struct stat cst;

		buf_reset(&child);
		buf_addf(&child, "%s%s%s", path,
			 str_has_suffix(path, "/") ? "" : "/", names[i]);
		/* symbolic links to directories are not followed: no loops */
		if (!(lstat(child.data, &cst) == 0 && S_ISLNK(cst.st_mode) &&
		      stat(child.data, &cst) == 0 && S_ISDIR(cst.st_mode)))
			walk(child.data, depth + 1, fn, arg);
		free(names[i]);
	}
	free(names);
	buf_release(&child);
}

void
inputs_enumerate(char **paths, size_t n, input_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		walk(paths[i], 0, fn, arg);
}

struct walker {
	document_fn fn;
	void *arg;
	size_t failed;
	struct buf data;
};

static void
walk_one(const char *path, const char *error, void *arg)
{
	struct walker *w = arg;
	struct document d;

	if (error) {
		document_init(&d, path);
		document_fail(&d, RF_EIO, "%s", error);
	} else {
		input_read(path, &w->data, &d);
	}
	if (d.status == DOC_ERROR)
		w->failed++;
	w->fn(&d, w->arg);
	document_release(&d);
}

size_t
inputs_walk(char **paths, size_t n, document_fn fn, void *arg)
{
	struct walker w;

	w.fn = fn;
	w.arg = arg;
	w.failed = 0;
	buf_init(&w.data, RF_INPUT_MAX_BYTES + 1);
	inputs_enumerate(paths, n, walk_one, &w);
	buf_release(&w.data);
	return w.failed;
}
