/* warc-int.h: what warc.c, warc-write.c and warc-read.c share. */
#ifndef RF_CRAWLER_WARC_INT_H
#define RF_CRAWLER_WARC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "crawler/warc.h"

enum dechunk_result {
	DECHUNK_DONE,		/* the last chunk was reached */
	DECHUNK_INCOMPLETE,	/* the data ended inside the framing */
	DECHUNK_BAD,		/* the framing broke after some chunks */
	DECHUNK_NOT_CHUNKED,	/* the first size line is not one: the body
				 * is not chunked, whatever the head says */
};

/*
 * Takes the chunk framing off len bytes at p, handing each piece of data
 * to emit(ctx, piece, n). Trailer fields are ignored. Lenient as warcio is:
 * a body whose first line is not a chunk size is taken as not chunked.
 */
enum dechunk_result http_dechunk(const unsigned char *p, size_t len,
				 void (*emit)(void *ctx,
					      const unsigned char *piece,
					      size_t n),
				 void *ctx);

/*
 * Whether a header field of the HTTP head (len bytes at head) is a
 * Transfer-Encoding naming chunked. When out is not NULL the head is also
 * appended to it with such fields renamed X-Crawler-Transfer-Encoding.
 */
bool http_head_chunked(const char *head, size_t len, struct buf *out);

/*
 * Length of the HTTP head at the start of len bytes at p, through the
 * empty line that ends it (CRLF CRLF or LF LF), looking at most max bytes;
 * 0 if there is no such end.
 */
size_t http_head_end(const char *p, size_t len, size_t max);

/* Whether the n bytes at s are a non-empty RFC 9110 token. */
bool warc_is_token(const char *s, size_t n);

/* "sha1:" and the base32 of the digest d. */
void warc_sha1_label(const unsigned char *d, char out[WARC_DIGEST_SIZE]);

/* Checks labelled digest value want ("sha1:...", "sha256:...") against
 * the len bytes at data, or against precomputed digests when data is NULL
 * (sha1 and sha256 then point at SHA-1 and SHA-256 digests). */
enum warc_digest_check warc_digest_compare(const char *want,
					   const void *data, size_t len,
					   const unsigned char *sha1,
					   const unsigned char *sha256);

#endif
