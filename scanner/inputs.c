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

/*
 * Whether the file at path is a WARC file (plain or gzip), by content.
 * The first bytes are read plainly: zlib reads a file without the gzip
 * magic as it is, so only gzip files need gzopen (and its 32 KiB of
 * buffers, a tenth of the CPU of scanning a small file otherwise).
 */
static bool
is_warc(const char *path)
{
	unsigned char head[5];
	size_t got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (got < sizeof(head)) {
		r = read(fd, head + got, sizeof(head) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B)
		return is_gz_warc(path);
	return got == sizeof(head) && memcmp(head, "WARC/", 5) == 0;
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

/*
 * Undoes a gzip or deflate Content-Encoding into out, which caps the size:
 * a decompression bomb stops at the cap (RF_ETOOBIG).
 */
static enum rf_err
inflate_payload(const void *data, size_t len, struct buf *out)
{
	z_stream z;
	int rc;
	enum rf_err err = RF_OK;
	bool raw = false;

	memset(&z, 0, sizeof(z));
	/* 32 + 15: gzip or zlib header, detected */
	if (inflateInit2(&z, 32 + 15) != Z_OK)
		return RF_ENOMEM;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		if (buf_grow(out, 65536) != RF_OK) {
			err = RF_ETOOBIG;
			break;
		}
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		rc = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)((char *)z.next_out - out->data);
		out->data[out->len] = '\0';
		if (rc == Z_DATA_ERROR && z.total_out == 0 && !raw) {
			/* raw deflate, as some servers send it; once: a
			 * payload that is neither is corrupt */
			raw = true;
			inflateEnd(&z);
			memset(&z, 0, sizeof(z));
			if (inflateInit2(&z, -15) != Z_OK)
				return RF_ENOMEM;
			z.next_in = (Bytef *)(uintptr_t)data;
			z.avail_in = (uInt)len;
			rc = Z_OK;
			continue;
		}
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			err = RF_EPARSE;
			break;
		}
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;	/* truncated body: keep what came */
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	return err;
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
			   strcasecmp(ce, "deflate") == 0)) {
			buf_reset(&body);
			err = inflate_payload(http->payload, http->payload_len,
					      &body);
			if (err != RF_OK) {
				it.data = NULL;
				it.len = 0;
				it.error = err == RF_ETOOBIG
					? "compressed payload larger than the "
					  "input cap once inflated"
					: "compressed payload is corrupt";
			} else {
				it.data = body.data;
				it.len = body.len;
			}
		} else if (ce && (strcasecmp(ce, "br") == 0 ||
				  strcasecmp(ce, "zstd") == 0)) {
			/* what the crawler asks for besides gzip */
			buf_reset(&body);
			err = crawl_decode(ce, http->payload, http->payload_len,
					   RF_INPUT_MAX_BYTES, &body);
			if (err == RF_OK ||
			    (err == RF_EPARSE && body.len > 0)) {
				/* a cut body: keep what came, as for gzip */
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

/* Calls fn for path, or for every file below it. */
static void
walk(const char *path, int depth, input_fn fn, void *arg)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct buf child;
	bool found = strcmp(path, "-") != 0 && stat(path, &st) == 0;

	if (!found || !S_ISDIR(st.st_mode)) {
		struct input_item it;

		/* files, stdin, and paths that fail when read (st is not
		 * set then) */
		if (found && S_ISREG(st.st_mode) && is_warc(path)) {
			walk_warc(path, fn, arg);
			return;
		}
		memset(&it, 0, sizeof(it));
		it.source = it.path = path;
		fn(&it, arg);
		return;
	}
	if (depth >= RF_DIR_MAX_DEPTH) {
		walk_error(path, "directories nested too deep", fn, arg);
		return;
	}
	if (!(dir = opendir(path))) {
		walk_error(path, strerror(errno), fn, arg);
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
	if (!it->path) {
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
