/*
 * warc.h: WARC/1.1 files, the crawler's evidence: a writer that records
 * HTTP exchanges, revisits, metadata and resources into size-rotated
 * .warc.gz files, and a streaming reader for .warc and .warc.gz files.
 *
 * Writing. Every record is its own gzip member (WARC 1.1, annex D), built
 * in memory and written with one pwrite() at the end of the file, so the
 * file only ever grows by whole members. A crash in the middle of that
 * write leaves a member without its gzip trailer (CRC-32 and length),
 * which every reader, this one included, reports as truncated: a torn
 * record is never taken for a complete one. A failed write is cut off
 * again with ftruncate(). Durability follows enum warc_sync: by default
 * each write call ends with fsync(), and a new file's directory entry is
 * synced too, so a record the writer has returned survives a power loss.
 * Files are created with mode 0640 (less if the umask says so) and with
 * O_EXCL: a writer never appends to an existing file, so a file torn by a
 * crash stays as it is and the next run starts a new one. A caller that
 * keeps its own state of what is in the files (the crawler's frontier)
 * can write with WARC_SYNC_FILE and call warc_writer_sync() before it
 * commits that state: one fsync() for many records, and still no state
 * that names a record the disk may not have.
 *
 * Digests are SHA-1 in RFC 4648 base32, "sha1:" + 32 characters, as
 * every WARC tool writes them. WARC-Block-Digest covers the whole block.
 * WARC-Payload-Digest covers the HTTP entity body, after the head: a
 * Content-Encoding (gzip) body stays encoded, a chunked Transfer-Encoding
 * is removed first. A body the caller has already de-chunked (libcurl does
 * so by default) is recorded as it is and its head's Transfer-Encoding
 * field is renamed X-Crawler-Transfer-Encoding, value kept (the Common
 * Crawl convention), so the recorded message stays self-consistent.
 *
 * Reading. Records come one at a time with bounded memory: a header is
 * capped at RF_WARC_HEADER_MAX, a block longer than the caller's cap is
 * skipped (its block digest is still computed) and flagged. A malformed
 * record (truncated file, Content-Length longer or shorter than the data,
 * a corrupt gzip member) costs that record only: the call returns
 * RF_EPARSE and the reader moves on to the next record it can find.
 * Garbage between records is one RF_EPARSE of its own; a record followed
 * by unexpected bytes is kept when its block digest proves its
 * Content-Length right. In a .warc.gz, a record that opens a gzip member
 * must end in it, so a lying Content-Length cannot swallow the next
 * records; in a plain file the reader goes back to the bad record's block
 * (when the file can seek) and looks for the next "WARC/" line from there.
 */
#ifndef RF_CRAWLER_WARC_H
#define RF_CRAWLER_WARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"

/* "<urn:uuid:" + 36 + ">" and the NUL. */
#define WARC_ID_SIZE		48
/* "sha1:" + 32 base32 characters and the NUL. */
#define WARC_DIGEST_SIZE	38
/* PREFIX-YYYYMMDDhhmmss-NNNNN.warc.gz and the NUL. */
#define WARC_FILE_NAME_SIZE	(RF_WARC_PREFIX_MAX + 32)

/* The revisit profiles of WARC 1.1, section 6.7. */
#define WARC_PROFILE_IDENTICAL_URI \
	"http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
#define WARC_PROFILE_NOT_MODIFIED_URI \
	"http://netpreserve.org/warc/1.1/revisit/server-not-modified"

enum warc_type {
	WARC_TYPE_UNKNOWN = 0,	/* a type this reader does not know */
	WARC_TYPE_WARCINFO,
	WARC_TYPE_RESPONSE,
	WARC_TYPE_RESOURCE,
	WARC_TYPE_REQUEST,
	WARC_TYPE_METADATA,
	WARC_TYPE_REVISIT,
	WARC_TYPE_CONVERSION,
	WARC_TYPE_CONTINUATION,
};

/* The WARC-Type value of t ("response"), "unknown" for WARC_TYPE_UNKNOWN. */
const char *warc_type_name(enum warc_type t);

/* One named field, of a WARC header or of a recorded HTTP head. */
struct warc_field {
	const char *name;
	const char *value;
};

/*
 * An HTTP message to record. head is the start line, the header fields and
 * the empty line that ends them (it must end in CRLF CRLF or LF LF), as
 * sent or received; body is the message body after it, as received: a
 * gzip Content-Encoding stays. If the head declares a chunked
 * Transfer-Encoding, body_dechunked says whether body still has the chunk
 * framing (false) or is the de-chunked entity body (true). An HTTP/2
 * exchange is given in its HTTP/1.1 form ("HTTP/1.1 200 " and the fields;
 * see the IIPC "WARC extensions for HTTP/2"), with "WARC-Protocol: h2" in
 * warc_capture.fields. Borrowed.
 */
struct warc_http {
	const void *head;
	size_t head_len;
	const void *body;
	size_t body_len;
	bool body_dechunked;
	/* What warc_payload_digest() gave for this message, when the
	 * caller has it already (the writer then does not hash the body
	 * again), or NULL. */
	const char *payload_digest;
};

/* What the records of one capture share. Borrowed. */
struct warc_capture {
	/* WARC-Target-URI, written without angle brackets as WARC 1.1 has
	 * it; RFC 3986, no white space or control characters. Required
	 * except on metadata records. */
	const char *target_uri;
	/* WARC-IP-Address of the server, or NULL. */
	const char *ip;
	/* WARC-Date: when the capture began; 0 means now. */
	time_t date;
	/* WARC-Truncated reason for the response or resource ("length",
	 * "time", "disconnect", "unspecified"), or NULL. */
	const char *truncated;
	/* More WARC fields for every record of the capture, each
	 * "Name: value", NULL-terminated, or NULL; for instance
	 * "WARC-Protocol: h2". Fields the writer sets itself are refused. */
	const char *const *fields;
};

/* Where a written record landed: what a caller stores to find it again. */
struct warc_loc {
	char id[WARC_ID_SIZE];		/* WARC-Record-ID, "<urn:uuid:...>" */
	char file[WARC_FILE_NAME_SIZE];	/* file name, in the writer's dir */
	uint64_t offset;		/* of its member, for warc_read_at */
	uint64_t length;		/* bytes of the member in the file */
};

/* ---- writer ---- */

struct warc_writer;

enum warc_sync {
	WARC_SYNC_RECORD = 0,	/* fsync() after each write call (default) */
	WARC_SYNC_FILE,		/* fsync() when a file is finished and at
				 * warc_writer_sync() */
	WARC_SYNC_NONE,		/* leave it to the kernel (tests) */
};

struct warc_writer_opts {
	/* warcinfo "software" field; NULL means "redflag/VERSION". */
	const char *software;
	/* More warcinfo fields, "name: value", NULL-terminated, or NULL;
	 * e.g. "http-version-note: HTTP/2 exchanges recorded as HTTP/1.1
	 * messages". Copied. */
	const char *const *info;
	enum warc_sync sync;
	/* Write PREFIX-...warc, not .warc.gz: for tests and debugging; in
	 * an uncompressed file only the block digest tells a torn record. */
	bool uncompressed;
};

/*
 * Creates the first file PREFIX-YYYYMMDDhhmmss-NNNNN.warc.gz in dir (which
 * must exist) and writes its warcinfo record. A record that would take a
 * file past max_bytes goes to a new file (0: never rotate); a record
 * bigger than max_bytes gets a file of its own: records are not segmented.
 * prefix: 1 to RF_WARC_PREFIX_MAX of [A-Za-z0-9._-], not starting with a
 * dot. opts may be NULL. Returns a new writer in *out, which the caller
 * ends with warc_writer_close(). RF_EINVAL for a bad prefix or field,
 * RF_ENOENT when dir does not exist, RF_EIO when the file cannot be made.
 */
enum rf_err warc_writer_open(const char *dir, const char *prefix,
			     uint64_t max_bytes,
			     const struct warc_writer_opts *opts,
			     struct warc_writer **out) RF_WARN_UNUSED;

/*
 * Syncs (unless WARC_SYNC_NONE) and closes the current file and frees w
 * (NULL is fine). RF_EIO if the sync or close failed: the last records may
 * not be on disk.
 */
enum rf_err warc_writer_close(struct warc_writer *w);

/*
 * Makes every record written so far durable: fdatasync() of the current file
 * when something was written since the last one (records in finished files
 * already are), nothing under WARC_SYNC_NONE. RF_EIO when the sync failed;
 * the writer is then broken, as after a failed write. NULL is fine.
 */
enum rf_err warc_writer_sync(struct warc_writer *w) RF_WARN_UNUSED;

/*
 * The same in the background, for a caller that goes on working while the
 * disk catches up (the crawler's fetch loop: it writes the next records
 * meanwhile, and commits the state naming the earlier ones once the sync
 * has ended). warc_writer_sync_start() starts an fdatasync() of every
 * record written so far in a helper thread and returns at once; a sync
 * still running is waited for first, so there is one at a time. wake(arg)
 * (may be NULL) is called when it has ended, from the helper thread
 * (curl_multi_wakeup() is made for that), or at once from this one when
 * there was nothing to sync. warc_writer_sync_ended() tells, without
 * waiting, whether warc_writer_sync_end() would return at once.
 * warc_writer_sync_end() waits for the sync started last, then says
 * whether the records written before its start are durable: RF_OK, or
 * RF_EIO when the sync (or a rotation meanwhile) failed, and the writer
 * is then broken. The writer's other calls stay on the caller's thread;
 * rotating or closing the file waits for the helper. NULL is fine.
 */
enum rf_err warc_writer_sync_start(struct warc_writer *w,
				   void (*wake)(void *), void *arg)
	RF_WARN_UNUSED;
bool warc_writer_sync_ended(struct warc_writer *w);
enum rf_err warc_writer_sync_end(struct warc_writer *w) RF_WARN_UNUSED;

/* The name (in dir) of the file being written. Borrowed from w. */
const char *warc_writer_file(const struct warc_writer *w);

/*
 * Records one HTTP exchange: a 'response' record for resp and, when req is
 * not NULL, then a 'request' record for req, each naming the other in
 * WARC-Concurrent-To, written together into one file with one write.
 * *resp_loc and *req_loc (each may be NULL) tell where they landed.
 *
 * Errors (nothing of the exchange is then in the file): RF_EINVAL for a
 * bad argument; RF_ETOOBIG when the record header would pass
 * RF_WARC_HEADER_MAX (very long URIs or fields) or a record 1 GiB; RF_EIO
 * when the disk failed. After a write that could not be cut off again, or
 * a failed fsync(), every later write returns RF_EIO: the caller should
 * close the writer and open a new one.
 *
 * A writer is not thread-safe: one thread writes at a time.
 */
enum rf_err warc_write_exchange(struct warc_writer *w,
				const struct warc_capture *cap,
				const struct warc_http *req,
				const struct warc_http *resp,
				struct warc_loc *req_loc,
				struct warc_loc *resp_loc) RF_WARN_UNUSED;

enum warc_profile {
	/* The payload is identical to an earlier capture's. The block
	 * keeps resp's head only (WARC-Truncated: length when resp had a
	 * body); WARC-Payload-Digest is computed from resp's body. */
	WARC_PROFILE_IDENTICAL_PAYLOAD,
	/* The server said 304 Not Modified: the block is the whole of
	 * resp. */
	WARC_PROFILE_NOT_MODIFIED,
};

/* How a revisit relates to the earlier capture. Borrowed. */
struct warc_revisit {
	enum warc_profile profile;
	/* WARC-Record-ID of the earlier response, with or without its angle
	 * brackets, or NULL (recommended). */
	const char *refers_to;
	/* WARC-Target-URI and WARC-Date of the earlier response, or NULL
	 * and 0 (recommended). */
	const char *refers_to_uri;
	time_t refers_to_date;
	/* WARC_PROFILE_NOT_MODIFIED: the earlier payload's "sha1:..." if
	 * known, else NULL. Ignored for identical payloads. */
	const char *payload_digest;
};

/*
 * Records a revisit: a 'revisit' record for resp as rv says and, when req
 * is not NULL, its 'request' record, as warc_write_exchange() does.
 */
enum rf_err warc_write_revisit(struct warc_writer *w,
			       const struct warc_capture *cap,
			       const struct warc_revisit *rv,
			       const struct warc_http *req,
			       const struct warc_http *resp,
			       struct warc_loc *req_loc,
			       struct warc_loc *rev_loc) RF_WARN_UNUSED;

/*
 * Writes a 'metadata' record of len bytes at block, of type content_type
 * (e.g. "application/warc-fields", see warc_fields_add()), describing the
 * record refers_to (WARC-Refers-To; with or without angle brackets; may be
 * NULL). cap may be NULL, and so may cap->target_uri (the described
 * record's URI); cap->ip and cap->truncated are not used.
 */
enum rf_err warc_write_metadata(struct warc_writer *w,
				const struct warc_capture *cap,
				const char *refers_to,
				const char *content_type, const void *block,
				size_t len, struct warc_loc *loc)
	RF_WARN_UNUSED;

/*
 * Writes a 'resource' record: len bytes at block, the resource itself
 * (no protocol head), of type content_type; its payload is the block.
 */
enum rf_err warc_write_resource(struct warc_writer *w,
				const struct warc_capture *cap,
				const char *content_type, const void *block,
				size_t len, struct warc_loc *loc)
	RF_WARN_UNUSED;

/*
 * Appends "name: value\r\n" to b, for application/warc-fields blocks.
 * RF_EINVAL if name is not a token or value holds a control character
 * (tabs are fine); RF_ETOOBIG at b's cap.
 */
enum rf_err warc_fields_add(struct buf *b, const char *name,
			    const char *value) RF_WARN_UNUSED;

/*
 * Writes to out the WARC-Payload-Digest the writer gives msg, for instance
 * to compare a new capture with an earlier one.
 */
void warc_payload_digest(const struct warc_http *msg,
			 char out[WARC_DIGEST_SIZE]);

/* ---- reader ---- */

struct warc_reader;
struct warc_record;

/*
 * Opens the WARC file at path, gzip-compressed (any number of members) or
 * not, recognised by content. Blocks longer than block_max bytes (0 means
 * RF_WARC_BLOCK_MAX_DEFAULT) are skipped. Returns a new reader in *out,
 * which the caller frees with warc_reader_free(). RF_ENOENT, RF_EISDIR,
 * RF_EIO as open(2) fails.
 */
enum rf_err warc_reader_open(const char *path, size_t block_max,
			     struct warc_reader **out) RF_WARN_UNUSED;
/*
 * The same on an open descriptor, which the reader borrows (a pipe is
 * fine; then recovery from a bad record can only look forward). name is
 * used in messages and copied.
 */
enum rf_err warc_reader_open_fd(int fd, const char *name, size_t block_max,
				struct warc_reader **out) RF_WARN_UNUSED;
/* Frees r (NULL is fine), closing the file it opened. */
void warc_reader_free(struct warc_reader *r);

/*
 * Reads the next record into *rec, which stays r's and is valid until the
 * next call or warc_reader_free(). At the end of the file: RF_OK and *rec
 * is NULL.
 * RF_EPARSE: something malformed was met (a record that runs past the
 * end of the file or of its gzip member, junk after a block, garbage
 * between records, a corrupt or truncated gzip member, a header without a
 * valid Content-Length or over RF_WARC_HEADER_MAX); *rec is NULL,
 * warc_reader_error() says what and where, and the reader has moved to the
 * next place a record can start: call again to go on.
 * RF_EIO: reading failed; every later call fails the same way.
 */
enum rf_err warc_reader_next(struct warc_reader *r,
			     const struct warc_record **rec) RF_WARN_UNUSED;

/* A message about the last error of r, "" if none. Borrowed from r. */
const char *warc_reader_error(const struct warc_reader *r);
/* The file offset the last error is about. */
uint64_t warc_reader_error_offset(const struct warc_reader *r);

/*
 * Reads the one record whose gzip member (or, uncompressed, whose first
 * byte) is at offset in path: what struct warc_loc recorded. Returns a new
 * record in *rec which the caller frees with warc_record_free().
 * RF_EPARSE if no well-formed record starts there.
 */
enum rf_err warc_read_at(const char *path, uint64_t offset, size_t block_max,
			 struct warc_record **rec) RF_WARN_UNUSED;
/* Frees a record from warc_read_at() (NULL is fine). */
void warc_record_free(struct warc_record *rec);

enum warc_type warc_record_type(const struct warc_record *rec);
/* The version line, "WARC/1.1". Borrowed from rec. */
const char *warc_record_version(const struct warc_record *rec);
/*
 * Where the record starts in its file: the offset of its gzip member
 * (for a record that does not start a member, as in a file compressed as a
 * whole, the member it starts in) or of its first byte.
 */
uint64_t warc_record_offset(const struct warc_record *rec);
/* Content-Length: the block's length as the header declares it. */
uint64_t warc_record_length(const struct warc_record *rec);

/*
 * The value of the first WARC header field called name (case-insensitive),
 * or NULL. Values have their surrounding white space removed and folded
 * lines joined by one space. Borrowed from rec.
 */
const char *warc_record_header(const struct warc_record *rec,
			       const char *name);
/* All header fields in file order; *n gets their number. Borrowed. */
const struct warc_field *warc_record_fields(const struct warc_record *rec,
					    size_t *n);

/*
 * The block and its length, or NULL when it was longer than the reader's
 * cap and skipped (see warc_record_block_skipped()). Borrowed from rec;
 * NUL-terminated for convenience (the NUL is not counted).
 */
const void *warc_record_block(const struct warc_record *rec, size_t *len);
bool warc_record_block_skipped(const struct warc_record *rec);

/*
 * A recorded HTTP message, parsed from the block of a request, response or
 * revisit record whose Content-Type is application/http (or, lacking one,
 * whose block starts with "HTTP/"). Everything is borrowed from the record.
 */
struct warc_http_msg {
	const char *start_line;	/* "HTTP/1.1 200 OK" or "GET / HTTP/1.1" */
	int status;		/* a response's status code, else 0 */
	const struct warc_field *fields;	/* header fields, in order */
	size_t nfields;
	size_t head_len;	/* bytes of the head in the block */
	/* The entity body: the block after the head, de-chunked when the
	 * head declares a chunked Transfer-Encoding and the body is framed
	 * so; a Content-Encoding stays. */
	const void *payload;
	size_t payload_len;
	bool dechunked;		/* payload was taken out of chunk framing */
	bool payload_incomplete;/* the chunk framing ended early or broke */
};

/*
 * The HTTP message in rec, or NULL if the block holds none, was skipped,
 * or its head is longer than RF_HTTP_HEAD_MAX.
 */
const struct warc_http_msg *warc_record_http(const struct warc_record *rec);
/* The value of the first header field called name in msg, or NULL. */
const char *warc_http_header(const struct warc_http_msg *msg,
			     const char *name);

enum warc_digest_check {
	WARC_DIGEST_ABSENT = 0,	/* the record carries no such digest */
	WARC_DIGEST_OK,		/* recomputed, equal */
	WARC_DIGEST_MISMATCH,	/* recomputed, different */
	WARC_DIGEST_UNCHECKED,	/* an algorithm other than SHA-1/SHA-256,
				 * a malformed value, or a payload that is
				 * not in the record (revisits, skipped
				 * blocks) */
};

/* Checks WARC-Block-Digest against the block (skipped blocks too). */
enum warc_digest_check warc_record_check_block(const struct warc_record *rec);
/*
 * Checks WARC-Payload-Digest against the payload: the HTTP entity body of
 * requests and responses (as struct warc_http_msg has it), the block of
 * resource, conversion and continuation records.
 */
enum warc_digest_check
warc_record_check_payload(const struct warc_record *rec);

#endif
