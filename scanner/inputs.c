/* inputs.c: files, directories and stdin as a stream of documents. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/limits.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "scanner/scanner.h"
#include "common/banned.h"

struct walker {
	document_fn fn;
	void *arg;
	size_t failed;
	struct buf data;
};

static void
emit_failure(struct walker *w, const char *path, enum rf_err err,
	     const char *msg)
{
	struct document d;

	document_init(&d, path);
	document_fail(&d, err, "%s", msg);
	w->failed++;
	w->fn(&d, w->arg);
	document_release(&d);
}

static void
read_one(struct walker *w, const char *path)
{
	struct document d;
	enum rf_err err;

	buf_reset(&w->data);
	err = file_read(path, RF_INPUT_MAX_BYTES, &w->data);
	if (err != RF_OK) {
		struct buf msg;

		buf_init(&msg, 1024);
		if (err == RF_ETOOBIG)
			buf_addf(&msg, "larger than %zu bytes",
				 (size_t)RF_INPUT_MAX_BYTES);
		else
			buf_addstr(&msg, err == RF_EIO ? strerror(errno)
						       : rf_strerror(err));
		emit_failure(w, path, err, msg.data);
		buf_release(&msg);
		return;
	}
	document_init(&d, path);
	extract_document(&d, w->data.data, w->data.len);
	if (d.status == DOC_ERROR)
		w->failed++;
	w->fn(&d, w->arg);
	document_release(&d);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
walk(struct walker *w, const char *path, int depth)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct buf child;

	if (strcmp(path, "-") == 0) {
		read_one(w, path);
		return;
	}
	if (stat(path, &st) != 0) {
		emit_failure(w, path, errno == ENOENT ? RF_ENOENT : RF_EIO,
			     strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		read_one(w, path);
		return;
	}
	if (depth >= RF_DIR_MAX_DEPTH) {
		emit_failure(w, path, RF_ETOOBIG, "directories nested too deep");
		return;
	}
	if (!(dir = opendir(path))) {
		emit_failure(w, path, RF_EIO, strerror(errno));
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
		if (lstat(child.data, &cst) == 0 && S_ISLNK(cst.st_mode) &&
		    stat(child.data, &cst) == 0 && S_ISDIR(cst.st_mode)) {
			free(names[i]);
			continue;
		}
		walk(w, child.data, depth + 1);
		free(names[i]);
	}
	free(names);
	buf_release(&child);
}

size_t
inputs_walk(char **paths, size_t n, document_fn fn, void *arg)
{
	struct walker w;
	size_t i;

	w.fn = fn;
	w.arg = arg;
	w.failed = 0;
	buf_init(&w.data, RF_INPUT_MAX_BYTES + 1);
	for (i = 0; i < n; i++)
		walk(&w, paths[i], 0);
	buf_release(&w.data);
	return w.failed;
}
