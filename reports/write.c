/* write.c: the report formats by name, and atomic report files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/limits.h"
#include "common/util.h"
#include "reports/reports-int.h"
#include "common/banned.h"

static const struct rep_backend backends[] = {
	{ "html", rep_render_html },
	{ "csv", rep_render_csv },
	{ "jsonl", rep_render_jsonl },
	{ "md", rep_render_md },
};

static const struct rep_backend *
backend(const char *name)
{
	size_t i;

	for (i = 0; name && i < RF_ARRAY_SIZE(backends); i++)
		if (strcmp(backends[i].name, name) == 0)
			return &backends[i];
	return NULL;
}

bool
report_format_known(const char *name)
{
	return backend(name) != NULL;
}

const char *
report_format_of_path(const char *path)
{
	static const struct {
		const char *ext, *format;
	} exts[] = {
		{ ".html", "html" }, { ".htm", "html" }, { ".csv", "csv" },
		{ ".jsonl", "jsonl" }, { ".json", "jsonl" }, { ".md", "md" },
	};
	size_t i, n = path ? strlen(path) : 0;

	for (i = 0; i < RF_ARRAY_SIZE(exts); i++) {
		size_t e = strlen(exts[i].ext);

		if (n > e && strcasecmp(path + n - e, exts[i].ext) == 0)
			return exts[i].format;
	}
	return NULL;
}

enum rf_err
report_render(const struct report *r, const char *format, struct buf *out)
{
	const struct rep_backend *b = backend(format);
	size_t start = out->len;

	if (!b)
		return RF_EINVAL;
	b->render(r, out);
	if (buf_failed(out) || out->len - start > RF_REPORT_MAX_BYTES) {
		buf_truncate(out, start);
		return RF_ETOOBIG;
	}
	return RF_OK;
}

static void msgf(struct buf *msg, int errnum, const char *fmt, ...)
	RF_PRINTF(3, 4);

static void
msgf(struct buf *msg, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!msg)
		return;
	va_start(ap, fmt);
	buf_vaddf(msg, fmt, ap);
	va_end(ap);
	if (errnum)
		buf_addf(msg, ": %s", strerror(errnum));
}

enum rf_err
report_file_replace(const char *path, const void *data, size_t len,
		    unsigned mode, struct buf *msg)
{
	struct buf tmp, dir;
	const char *slash = strrchr(path, '/');
	const char *p = data;
	enum rf_err err = RF_EIO;
	size_t done = 0;
	int fd, dfd;

	buf_init(&tmp, 0);
	buf_init(&dir, 0);
	if (slash)
		buf_add(&dir, path, (size_t)(slash - path) + 1);
	else
		buf_addstr(&dir, "./");
	/* a hidden temporary name in the same directory: rename(2) is
	 * atomic only within one file system */
	buf_addf(&tmp, "%s.%s.XXXXXX", dir.data, slash ? slash + 1 : path);
	fd = mkostemp(tmp.data, O_CLOEXEC);
	if (fd < 0) {
		msgf(msg, errno, "cannot create a file next to '%s'", path);
		goto out;
	}
	if (fchmod(fd, (mode_t)mode) != 0) {
		msgf(msg, errno, "cannot set the mode of '%s'", tmp.data);
		goto fail;
	}
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			msgf(msg, n < 0 ? errno : EIO, "cannot write '%s'",
			     tmp.data);
			goto fail;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0) {
		msgf(msg, errno, "cannot write '%s'", tmp.data);
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		msgf(msg, errno, "cannot write '%s'", tmp.data);
		goto fail;
	}
	fd = -1;
	if (rename(tmp.data, path) != 0) {
		msgf(msg, errno, "cannot replace '%s'", path);
		goto fail;
	}
	/* the rename itself survives a crash once the directory is synced */
	dfd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	err = RF_OK;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
out:
	buf_release(&dir);
	buf_release(&tmp);
	return err;
}

enum rf_err
report_write(const struct report *r, const char *format, const char *path,
	     struct buf *msg)
{
	struct buf out;
	enum rf_err err;

	buf_init(&out, RF_REPORT_MAX_BYTES);
	err = report_render(r, format, &out);
	if (err == RF_EINVAL)
		msgf(msg, 0, "'%s' is not a report format", format);
	else if (err)
		msgf(msg, 0, "the %s report would pass %zu MiB", format,
		     RF_REPORT_MAX_BYTES >> 20);
	else
		err = report_file_replace(path, out.data, out.len, 0640, msg);
	buf_release(&out);
	return err;
}

enum rf_err
report_write_all(const struct report *r, const char *dir, const char *stem,
		 struct buf *msg)
{
	struct buf path;
	enum rf_err err = RF_OK;
	size_t i;

	buf_init(&path, 0);
	for (i = 0; i < RF_ARRAY_SIZE(backends) && !err; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s.%s", dir, stem, backends[i].name);
		err = report_write(r, backends[i].name, path.data, msg);
	}
	buf_release(&path);
	return err;
}
