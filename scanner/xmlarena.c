/*
 * xmlarena.c: libxml2's allocator (xmlMemSetup()) taking small blocks from
 * the calling thread's current arena, if it has one, and from malloc()
 * otherwise.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/threads.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

#include "common/limits.h"
#include "scanner/xmlarena.h"

#if defined(__SANITIZE_ADDRESS__)
#define RF_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RF_ARENA_ASAN 1
#endif
#endif

#ifdef RF_ARENA_ASAN
/* AddressSanitizer sees the arena's blocks: the room between them, their
 * headers and the blocks given back are poisoned. */
#include <sanitizer/asan_interface.h>
#define REDZONE_BYTES	16
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define REDZONE_BYTES	0
#define POISON(p, n)	((void)(p), (void)(n))
#define UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#include "common/banned.h"

/* The first chunk of an arena holds the tree of most pages; each next
 * one is twice the last. */
#define CHUNK_FIRST_BYTES	(((size_t)64 << 10) - 64)
/* Requests this large go to malloc(): big buffers grow by realloc(),
 * which an arena can do only by copying and keeping both. */
#define LARGE_BYTES		((size_t)16 << 10)
#define ALIGN_BYTES		((size_t)16)
/* Each block is preceded by its size, for realloc(). */
#define HEADER_BYTES		ALIGN_BYTES

struct xml_arena_chunk {
	struct xml_arena_chunk *next;
	char *end;
	/* then its blocks */
};

_Static_assert(sizeof(struct xml_arena_chunk) % ALIGN_BYTES == 0,
	       "blocks after a chunk's header must stay aligned");

static _Thread_local struct xml_arena *current;

static size_t
round_up(size_t n)
{
	return (n + ALIGN_BYTES - 1) & ~(ALIGN_BYTES - 1);
}

static char *
chunk_data(struct xml_arena_chunk *c)
{
	return (char *)(c + 1);
}

static size_t
block_size(const char *p)
{
	size_t n;

	UNPOISON(p - HEADER_BYTES, sizeof(n));
	memcpy(&n, p - HEADER_BYTES, sizeof(n));
	POISON(p - HEADER_BYTES, sizeof(n));
	return n;
}

static void
set_block_size(char *p, size_t n)
{
	UNPOISON(p - HEADER_BYTES, sizeof(n));
	memcpy(p - HEADER_BYTES, &n, sizeof(n));
	POISON(p - HEADER_BYTES, sizeof(n));
}

static bool
in_chunk(struct xml_arena_chunk *c, const void *p)
{
	uintptr_t u = (uintptr_t)p;

	return u >= (uintptr_t)chunk_data(c) && u < (uintptr_t)c->end;
}

/* Whether p was taken from an arena of this thread. */
static bool
held(const void *p)
{
	struct xml_arena *a;
	struct xml_arena_chunk *c;

	for (a = current; a; a = a->outer)
		for (c = a->chunks; c; c = c->next)
			if (in_chunk(c, p))
				return true;
	return false;
}

/* A new chunk with room for need bytes; false past the arena's cap or
 * when malloc() fails (the caller then asks malloc() for the block). */
static bool
arena_grow(struct xml_arena *a, size_t need)
{
	size_t size = a->chunks ? 2 * (size_t)(a->chunks->end -
					       chunk_data(a->chunks))
				: CHUNK_FIRST_BYTES;
	struct xml_arena_chunk *c;

	if (size < need)
		size = need;
	if (size > RF_XML_ARENA_MAX_BYTES - a->bytes)
		return false;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return false;
	c->next = a->chunks;
	c->end = chunk_data(c) + size;
	POISON(chunk_data(c), size);
	a->chunks = c;
	a->next = chunk_data(c);
	a->end = c->end;
	a->bytes += size;
	return true;
}

/* A block of n bytes from a, or NULL when it should come from malloc(). */
static void *
arena_take(struct xml_arena *a, size_t n)
{
	size_t need;
	char *p;

	if (n >= LARGE_BYTES)
		return NULL;
	need = HEADER_BYTES + round_up(n) + REDZONE_BYTES;
	if ((size_t)(a->end - a->next) < need && !arena_grow(a, need))
		return NULL;
	p = a->next + HEADER_BYTES;
	a->next += need;
	set_block_size(p, n);
	UNPOISON(p, n);
	return p;
}

static void *
arena_malloc(size_t n)
{
	struct xml_arena *a = current;
	void *p;

	if (a && (p = arena_take(a, n)))
		return p;
	return malloc(n);
}

static void
arena_free(void *p)
{
	if (!p)
		return;
	if (current && held(p)) {
		/* given back with the arena */
		POISON(p, round_up(block_size(p)));
		return;
	}
	free(p);
}

static void *
arena_realloc(void *p, size_t n)
{
	struct xml_arena *a = current;
	size_t old;
	char *q;

	if (!p)
		return arena_malloc(n);
	if (!a || !held(p))
		return realloc(p, n);
	old = block_size(p);
	/* the newest block of the thread's arena grows where it is */
	if (n < LARGE_BYTES && in_chunk(a->chunks, p) &&
	    (char *)p + round_up(old) + REDZONE_BYTES == a->next &&
	    round_up(n) + REDZONE_BYTES <= (size_t)(a->end - (char *)p)) {
		POISON(p, round_up(old));
		a->next = (char *)p + round_up(n) + REDZONE_BYTES;
		set_block_size(p, n);
		UNPOISON(p, n);
		return p;
	}
	q = arena_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	POISON(p, round_up(old));
	return q;
}

static char *
arena_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void
install(void)
{
	xmlInitParser();
	xmlMemSetup(arena_free, arena_malloc, arena_realloc, arena_strdup);
}

void
xml_arena_init(struct xml_arena *a)
{
	pthread_once(&installed, install);
	/* libxml2's state of this thread, made on its first use here, must
	 * not come from the arena */
	(void)xmlGetGlobalState();
	memset(a, 0, sizeof(*a));
	a->outer = current;
	current = a;
}

void
xml_arena_release(struct xml_arena *a)
{
	struct xml_arena_chunk *c, *next;

	if (current != a)
		abort();	/* released out of order: a bug */
	/* libxml2 keeps the thread's last error, its strings taken from
	 * the arena, until the next error */
	xmlResetLastError();
	current = a->outer;
	for (c = a->chunks; c; c = next) {
		next = c->next;
		UNPOISON(chunk_data(c), (size_t)(c->end - chunk_data(c)));
		free(c);
	}
	memset(a, 0, sizeof(*a));
}
