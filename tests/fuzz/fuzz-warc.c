/*
 * fuzz-warc.c: the WARC reader (crawler/warc.h) and the scanner's walk
 * over a WARC file's records (scanner/inputs.c), on a file made from the
 * input. The input's first byte says how: bits 0-1 choose a plain file,
 * one gzip member per record (a member starts at each "WARC/" that starts
 * a line), one gzip member for the whole file, or a member per record
 * with the file cut short by the second byte; bit 2 gives the reader a
 * small block cap, so that blocks are skipped; bit 3 reads through a pipe,
 * which cannot seek back after a bad record. The rest is the file's
 * content, before compression.
 *
 * Properties: the reader ends (each call makes progress), never reports
 * a read error, and gives a message with every RF_EPARSE; records come in
 * file order; a record's version starts "WARC/", its block is as long as
 * its Content-Length and NUL-terminated, or skipped only when longer than
 * the cap; every field can be looked up by its name; a parsed HTTP message
 * lies inside its block (or its de-chunked payload) and has a status of
 * 100 to 999 or none; the digests can be checked. warc_read_at() of a
 * record's offset in a file of one member per record gives a record
 * there. The scanner's walk (which also inflates gzip and deflate
 * Content-Encodings) ends and hands out items that each carry data, a
 * path or an error.
 */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "crawler/warc.h"
#include "scanner/scanner.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

enum mode {
	MODE_PLAIN,
	MODE_MEMBERS,		/* a gzip member per record */
	MODE_ONE_MEMBER,	/* the whole file in one member */
	MODE_CUT,		/* a member per record, the file cut short */
};

#define OPT_SMALL_CAP	0x04
#define OPT_PIPE	0x08
#define SMALL_CAP	24

/* Appends len bytes at p to out as one gzip member. */
static void
gzip_member(struct buf *out, const void *p, size_t len)
{
	z_stream z;
	size_t bound;

	memset(&z, 0, sizeof(z));
	FUZZ_ASSERT(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) == Z_OK);
	bound = deflateBound(&z, (uLong)len) + 32;
	FUZZ_ASSERT(buf_grow(out, bound) == RF_OK);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data + out->len;
	z.avail_out = (uInt)bound;
	FUZZ_ASSERT(deflate(&z, Z_FINISH) == Z_STREAM_END);
	out->len += bound - z.avail_out;
	out->data[out->len] = '\0';
	deflateEnd(&z);
}

/* The file: content compressed as mode says. */
static void
make_file(struct buf *file, enum mode mode, unsigned cut, const char *p,
	  size_t len)
{
	size_t start = 0, i;

	if (mode == MODE_PLAIN) {
		FUZZ_ASSERT(buf_add(file, p, len) == RF_OK);
		return;
	}
	if (mode == MODE_ONE_MEMBER) {
		gzip_member(file, p, len);
		return;
	}
	for (i = 1; i <= len; i++) {
		if (i == len || (p[i - 1] == '\n' && len - i >= 5 &&
				 memcmp(p + i, "WARC/", 5) == 0)) {
			gzip_member(file, p + start, i - start);
			start = i;
		}
	}
	if (mode == MODE_CUT)
		buf_truncate(file, file->len > cut ? file->len - cut - 1 : 0);
}

/* A file descriptor reading file: a memfd, or a pipe holding it all. */
static int
open_file(const struct buf *file, bool pipe_it, bool *is_pipe)
{
	int fd, fds[2];

	*is_pipe = false;
	if (pipe_it && file->len <= 65536 && pipe(fds) == 0) {
		if (fcntl(fds[1], F_SETPIPE_SZ, 65536) >= 65536 &&
		    write(fds[1], file->data, file->len) ==
			    (ssize_t)file->len) {
			close(fds[1]);
			*is_pipe = true;
			return fds[0];
		}
		close(fds[0]);
		close(fds[1]);
	}
	fd = memfd_create("fuzz-warc", 0);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, file->data, file->len) == (ssize_t)file->len);
	FUZZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

static void
check_http(const struct warc_record *rec, const char *block, size_t len)
{
	const struct warc_http_msg *m = warc_record_http(rec);
	const char *p;
	size_t i;

	if (!m)
		return;
	FUZZ_ASSERT(block != NULL);
	FUZZ_ASSERT(m->start_line != NULL);
	FUZZ_ASSERT(m->status == 0 || (m->status >= 100 && m->status <= 999));
	FUZZ_ASSERT(m->head_len <= len);
	FUZZ_ASSERT(m->nfields <= RF_HTTP_FIELDS_MAX);
	for (i = 0; i < m->nfields; i++) {
		FUZZ_ASSERT(m->fields[i].name && m->fields[i].value);
		FUZZ_ASSERT(warc_http_header(m, m->fields[i].name) != NULL);
	}
	p = m->payload;
	if (!m->dechunked) {
		FUZZ_ASSERT(p == block + m->head_len &&
			    m->payload_len == len - m->head_len);
		FUZZ_ASSERT(!m->payload_incomplete);
	} else {
		FUZZ_ASSERT(p != NULL && p[m->payload_len] == '\0');
		FUZZ_ASSERT(m->payload_len <= len - m->head_len);
	}
}

static void
check_record(const struct warc_record *rec, size_t block_max)
{
	const struct warc_field *f;
	const char *block;
	size_t n, len, i;

	FUZZ_ASSERT(strncmp(warc_record_version(rec), "WARC/", 5) == 0);
	(void)warc_type_name(warc_record_type(rec));
	f = warc_record_fields(rec, &n);
	FUZZ_ASSERT(n <= RF_WARC_FIELDS_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(f[i].name && *f[i].name && f[i].value);
		FUZZ_ASSERT(warc_record_header(rec, f[i].name) != NULL);
	}
	block = warc_record_block(rec, &len);
	if (warc_record_block_skipped(rec)) {
		FUZZ_ASSERT(block == NULL);
		FUZZ_ASSERT(warc_record_length(rec) > block_max);
	} else {
		FUZZ_ASSERT(block != NULL && block[len] == '\0');
		FUZZ_ASSERT(len == warc_record_length(rec));
		FUZZ_ASSERT(len <= block_max);
	}
	check_http(rec, block, len);
	(void)warc_record_check_block(rec);
	(void)warc_record_check_payload(rec);
}

struct walked {
	size_t items;
};

static void
on_item(const struct input_item *it, void *arg)
{
	struct walked *w = arg;

	FUZZ_ASSERT(it->source != NULL);
	FUZZ_ASSERT(it->data || it->path || it->error);
	if (it->data)
		(void)strlen(it->data);	/* NUL-terminated */
	w->items++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct warc_reader *r;
	const struct warc_record *rec;
	struct buf file;
	struct walked w = { 0 };
	enum mode mode;
	size_t block_max, calls = 0, nrec = 0;
	uint64_t last = 0;
	bool is_pipe;
	char path[64];
	char *paths[1];
	int fd;
	enum rf_err e;

	if (size < 2)
		return 0;
	mode = (enum mode)(data[0] & 3);
	block_max = data[0] & OPT_SMALL_CAP ? SMALL_CAP
					    : RF_WARC_BLOCK_MAX_DEFAULT;
	buf_init(&file, 0);
	make_file(&file, mode, data[1], (const char *)data + 2, size - 2);
	fd = open_file(&file, data[0] & OPT_PIPE, &is_pipe);

	FUZZ_ASSERT(warc_reader_open_fd(fd, "fuzz.warc", block_max, &r) ==
		    RF_OK);
	for (;;) {
		/* each call consumes something: a record, garbage, a member */
		FUZZ_ASSERT(++calls <= size + file.len + 2);
		e = warc_reader_next(r, &rec);
		FUZZ_ASSERT(e == RF_OK || e == RF_EPARSE);
		if (e == RF_EPARSE) {
			FUZZ_ASSERT(rec == NULL && *warc_reader_error(r));
			FUZZ_ASSERT(warc_reader_error_offset(r) <= file.len);
			continue;
		}
		if (!rec)
			break;
		FUZZ_ASSERT(warc_record_offset(rec) < file.len);
		FUZZ_ASSERT(nrec == 0 || warc_record_offset(rec) >= last);
		if (mode == MODE_PLAIN)
			FUZZ_ASSERT(nrec == 0 || warc_record_offset(rec) > last);
		last = warc_record_offset(rec);
		nrec++;
		check_record(rec, block_max);
		if (!is_pipe && mode != MODE_ONE_MEMBER) {
			struct warc_record *again = NULL;

			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			e = warc_read_at(path, last, block_max, &again);
			FUZZ_ASSERT(e == RF_OK || e == RF_EPARSE);
			FUZZ_ASSERT((e == RF_OK) == (again != NULL));
			if (again) {
				FUZZ_ASSERT(warc_record_offset(again) == last);
				check_record(again, block_max);
			}
			warc_record_free(again);
		}
	}
	warc_reader_free(r);

	/* the scanner's walk over the same file */
	if (!is_pipe) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		paths[0] = path;
		inputs_enumerate(paths, 1, on_item, &w);
	}
	close(fd);
	buf_release(&file);
	return 0;
}
