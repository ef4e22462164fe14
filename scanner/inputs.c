/*
 * inputs.c: files, directories, stdin and WARC files as a stream of input
 * items, and the documents extracted from each.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/warc.h"
#include "scanner/charset.h"
#include "scanner/scanner.h"
#include "common/banned.h"

/* Whether the gzip file at path holds a WARC file. */
static bool
is_gz_warc(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	char head[5];
	bool yes;

	if (!gz)
		return false;
	yes = gzread(gz, head, sizeof(head)) == (int)sizeof(head) &&
	      memcmp(head, "WARC/", 5) == 0;
	gzclose(gz);
	return yes;
}

/* Whether the first got bytes of a file, head, say it is a WARC file,
 * looking into the file at path when they are gzip's magic. */
static bool
head_is_warc(const char *path, const unsigned char *head, size_t got)
{
	if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B)
		return is_gz_warc(path);
	return got >= 5 && memcmp(head, "WARC/", 5) == 0;
}

/* read(2) of up to len bytes, again after EINTR; -1 on other errors. */
static ssize_t
read_some(int fd, void *p, size_t len)
{
	ssize_t r;

	do
		r = read(fd, p, len);
	while (r < 0 && errno == EINTR);
	return r;
}

/*
 * Opens the regular file at path once (name in the directory dir_fd, or
 * path itself when dir_fd is AT_FDCWD): tells whether it is a WARC file
 * (plain or gzip), by content, and reads it whole into data when it is
 * no larger than RF_WALK_READ_MAX_BYTES (the common case: a listing),
 * which saves opening it again to scan it. Sets *whole when data holds
 * the whole file. Errors are left for the reader to meet again, which
 * reports them: the file is then neither WARC nor read.
 */
static bool
open_file(int dir_fd, const char *name, const char *path, struct buf *data,
	  bool *whole)
{
	struct stat st;
	ssize_t r;
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	*whole = false;
	buf_reset(data);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size <= RF_WALK_READ_MAX_BYTES) {
		/* one byte more than the cap tells a file that grew */
		if (buf_grow(data, (size_t)st.st_size + 1) != RF_OK)
			goto head;
		for (;;) {
			r = read_some(fd, data->data + data->len,
				      data->alloc - data->len - 1);
			if (r <= 0)
				break;
			data->len += (size_t)r;
			data->data[data->len] = '\0';
			if (data->len > RF_WALK_READ_MAX_BYTES)
				break;
			if (data->len + 1 == data->alloc &&
			    buf_grow(data, 4096) != RF_OK)
				break;
		}
		*whole = r == 0 && data->len <= RF_WALK_READ_MAX_BYTES;
		close(fd);
		return head_is_warc(path, (const unsigned char *)data->data,
				    data->len);
	}
head:
	/* the first five bytes only, as much as a WARC file's head needs */
	buf_reset(data);
	if (buf_grow(data, 5) == RF_OK) {
		while (data->len < 5 && (r = read_some(fd, data->data +
					      data->len, 5 - data->len)) > 0)
			data->len += (size_t)r;
	}
	close(fd);
	return head_is_warc(path, (const unsigned char *)data->data,
			    data->len);
}

/* Whether a payload of this Content-Type can hold a listing. */
static bool
scannable_type(const char *ct)
{
	static const char *const types[] = {
		"text/html", "application/xhtml+xml", "text/plain",
		"text/xml", "application/xml", "application/rss+xml",
		"application/atom+xml",
	};
	size_t i;

	if (!ct || !*ct)
		return true;	/* sniffed by content */
	for (i = 0; i < RF_ARRAY_SIZE(types); i++)
		if (strncasecmp(ct, types[i], strlen(types[i])) == 0)
			return true;
	return false;
}

/* Hands fn one input item per scannable response record of a WARC file. */
static void
walk_warc(const char *path, input_fn fn, void *arg)
{
	struct warc_reader *r;
	const struct warc_record *rec;
	struct input_item it;
	struct buf source, body;
	enum rf_err err;
	char charset[64];

	buf_init(&source, 0);
	buf_init(&body, RF_INPUT_MAX_BYTES);
	memset(&it, 0, sizeof(it));
	if ((err = warc_reader_open(path, RF_INPUT_MAX_BYTES, &r)) != RF_OK) {
		it.source = path;
		it.error = rf_strerror(err);
		fn(&it, arg);
		goto out;
	}
	for (;;) {
		const struct warc_http_msg *http;
		const char *ce, *ct;
		enum warc_type type;

		memset(&it, 0, sizeof(it));
		err = warc_reader_next(r, &rec);
		buf_reset(&source);
		if (err != RF_OK) {
			buf_addf(&source, "%s#%llu", path, (unsigned long long)
				 warc_reader_error_offset(r));
			it.source = source.data;
			it.error = warc_reader_error(r);
			fn(&it, arg);
			if (err == RF_EIO)
				break;
			continue;
		}
		if (!rec)
			break;
		type = warc_record_type(rec);
		if (type != WARC_TYPE_RESPONSE && type != WARC_TYPE_RESOURCE)
			continue;
		buf_addf(&source, "%s#%llu", path,
			 (unsigned long long)warc_record_offset(rec));
		it.source = source.data;
		it.url = warc_record_header(rec, "WARC-Target-URI");
		if (warc_record_block_skipped(rec)) {
			it.error = "record larger than the input cap";
			fn(&it, arg);
			continue;
		}
		if (type == WARC_TYPE_RESOURCE) {
			ct = warc_record_header(rec, "Content-Type");
			if (!scannable_type(ct))
				continue;
			it.data = warc_record_block(rec, &it.len);
			charset_of_content_type(ct, charset, sizeof(charset));
			it.http_charset = charset[0] ? charset : NULL;
			fn(&it, arg);
			continue;
		}
		http = warc_record_http(rec);
		if (!http || http->status < 200 || http->status > 299)
			continue;	/* redirects, errors: not listings */
		ct = warc_http_header(http, "Content-Type");
		if (!scannable_type(ct))
			continue;
		charset_of_content_type(ct, charset, sizeof(charset));
		it.http_charset = charset[0] ? charset : NULL;
		it.data = http->payload;
		it.len = http->payload_len;
		ce = warc_http_header(http, "Content-Encoding");
		if (ce && (strcasecmp(ce, "gzip") == 0 ||
			   strcasecmp(ce, "x-gzip") == 0 ||
			   strcasecmp(ce, "deflate") == 0 ||
			   strcasecmp(ce, "br") == 0 ||
			   strcasecmp(ce, "zstd") == 0)) {
			/* what the crawler asks for, decoded as it does */
			buf_reset(&body);
			err = crawl_decode(ce, http->payload, http->payload_len,
					   RF_INPUT_MAX_BYTES, &body);
			if (err == RF_OK ||
			    (err == RF_EPARSE && body.len > 0)) {
				/* a cut body: keep what came */
				it.data = body.data;
				it.len = body.len;
			} else {
				it.data = NULL;
				it.len = 0;
				it.error = err == RF_ETOOBIG
					? "compressed payload larger than the "
					  "input cap once decoded"
					: "compressed payload is corrupt";
			}
		} else if (ce && *ce && strcasecmp(ce, "identity") != 0) {
			it.data = NULL;
			it.len = 0;
			it.error = "unsupported Content-Encoding";
		}
		fn(&it, arg);
	}
	warc_reader_free(r);
out:
	buf_release(&source);
	buf_release(&body);
}

/* Orders directory entries (a struct whose first member is the name). */
static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
walk_error(const char *path, const char *error, input_fn fn, void *arg)
{
	struct input_item it;

	memset(&it, 0, sizeof(it));
	it.source = path;
	it.error = error;
	fn(&it, arg);
}

/* What the walk of the inputs carries down the directories. */
struct walk_ctx {
	input_fn fn;
	void *arg;
	struct buf data;	/* the file being handed on */
};

/*
 * Hands c->fn the regular file at path (name in dir_fd, see open_file):
 * the records of a WARC file, or the file itself, with its bytes when
 * open_file() read them.
 */
static void
walk_file(struct walk_ctx *c, int dir_fd, const char *name, const char *path)
{
	struct input_item it;
	bool whole;

	if (open_file(dir_fd, name, path, &c->data, &whole)) {
		walk_warc(path, c->fn, c->arg);
		return;
	}
	memset(&it, 0, sizeof(it));
	it.source = it.path = path;
	if (whole) {
		it.data = c->data.data;
		it.len = c->data.len;
	}
	c->fn(&it, c->arg);
}

/*
 * Calls c->fn for path, or for every file below it. A regular file
 * found in a directory is opened as name in dir_fd, with no stat(2): its
 * directory entry said what it is (type, its d_type: DT_UNKNOWN, and
 * dir_fd AT_FDCWD, for the paths given and when the entry does not say).
 */
static void
walk(struct walk_ctx *c, int dir_fd, const char *name, const char *path,
     int depth, unsigned char type)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	struct name {
		char *name;
		unsigned char type;
	} *names = NULL;
	size_t n = 0, alloc = 0, i;
	struct buf child;
	bool found;

	if (type == DT_REG) {
		walk_file(c, dir_fd, name, path);
		return;
	}
	found = strcmp(path, "-") != 0 && stat(path, &st) == 0;
	if (!found || !S_ISDIR(st.st_mode)) {
		struct input_item it;

		/* files, stdin, and paths that fail when read (st is not
		 * set then) */
		if (found && S_ISREG(st.st_mode)) {
			walk_file(c, AT_FDCWD, path, path);
			return;
		}
		memset(&it, 0, sizeof(it));
		it.source = it.path = path;
		c->fn(&it, c->arg);
		return;
	}
	if (depth >= RF_DIR_MAX_DEPTH) {
		walk_error(path, "directories nested too deep", c->fn, c->arg);
		return;
	}
	if (!(dir = opendir(path))) {
		walk_error(path, strerror(errno), c->fn, c->arg);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;	/* ., .. and hidden files */
		ALLOC_GROW(names, n + 1, alloc);
		names[n].name = xstrdup(de->d_name);
		names[n].type = de->d_type;
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	buf_init(&child, 0);
	for (i = 0; i < n; i++) {
		struct stat cst;
		unsigned char t = names[i].type;

		buf_reset(&child);
		buf_addstr(&child, path);
		if (!str_has_suffix(path, "/"))
			buf_addch(&child, '/');
		buf_addstr(&child, names[i].name);
		/* symbolic links to directories are not followed: no loops;
		 * an entry said to be a file or a directory is no link */
		if (t == DT_REG || t == DT_DIR ||
		    !(lstat(child.data, &cst) == 0 && S_ISLNK(cst.st_mode) &&
		      stat(child.data, &cst) == 0 && S_ISDIR(cst.st_mode)))
			walk(c, dirfd(dir), names[i].name, child.data,
			     depth + 1, t == DT_REG ? DT_REG : DT_UNKNOWN);
		free(names[i].name);
	}
	/* open until here: the files in it are opened relative to it */
	closedir(dir);
	free(names);
	buf_release(&child);
}

void
inputs_enumerate(char **paths, size_t n, input_fn fn, void *arg)
{
	struct walk_ctx c;
	size_t i;

	c.fn = fn;
	c.arg = arg;
	/* room for a file that grows while it is read */
	buf_init(&c.data, 2 * RF_WALK_READ_MAX_BYTES);
	for (i = 0; i < n; i++)
		walk(&c, AT_FDCWD, paths[i], paths[i], 0, DT_UNKNOWN);
	buf_release(&c.data);
}

struct counting {
	document_fn fn;
	void *arg;
	size_t failed;
};

static void
count_failures(struct document *d, void *arg)
{
	struct counting *c = arg;

	if (d->status == DOC_ERROR)
		c->failed++;
	c->fn(d, c->arg);
}

size_t
input_documents(const struct input_item *it, struct buf *scratch,
		const struct profile_set *profiles, document_fn fn, void *arg)
{
	struct counting c = { fn, arg, 0 };
	struct document d;
	enum rf_err err;

	if (it->error) {
		document_init(&d, it->source);
		if (it->url)
			d.url = xstrdup(it->url);
		document_fail(&d, RF_EIO, "%s", it->error);
		count_failures(&d, &c);
		document_release(&d);
		return c.failed;
	}
	if (!it->path || it->data) {
		extract_documents(it->source, it->url, it->http_charset,
				  profiles, it->data, it->len, count_failures,
				  &c);
		return c.failed;
	}
	buf_reset(scratch);
	err = file_read(it->path, RF_INPUT_MAX_BYTES, scratch);
	if (err != RF_OK) {
		document_init(&d, it->source);
		if (err == RF_ETOOBIG)
			document_fail(&d, err, "larger than %zu bytes",
				      (size_t)RF_INPUT_MAX_BYTES);
		else
			document_fail(&d, err, "%s", err == RF_EIO
				      ? strerror(errno) : rf_strerror(err));
		count_failures(&d, &c);
		document_release(&d);
		return c.failed;
	}
	extract_documents(it->source, NULL, NULL, profiles, scratch->data,
			  scratch->len, count_failures, &c);
	return c.failed;
}

struct walker {
	const struct profile_set *profiles;
	document_fn fn;
	void *arg;
	size_t failed;
	struct buf data;
};

static void
walk_one(const struct input_item *it, void *arg)
{
	struct walker *w = arg;

	w->failed += input_documents(it, &w->data, w->profiles, w->fn,
				     w->arg);
}

size_t
inputs_walk(char **paths, size_t n, const struct profile_set *profiles,
	    document_fn fn, void *arg)
{
	struct walker w;

	w.profiles = profiles;
	w.fn = fn;
	w.arg = arg;
	w.failed = 0;
	buf_init(&w.data, RF_INPUT_MAX_BYTES + 1);
	inputs_enumerate(paths, n, walk_one, &w);
	buf_release(&w.data);
	return w.failed;
}
