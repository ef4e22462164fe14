/* xmlarena.h: libxml2's small allocations for one page from a bump arena. */
#ifndef RF_SCANNER_XMLARENA_H
#define RF_SCANNER_XMLARENA_H

#include <stddef.h>

struct xml_arena_chunk;

/*
 * While an arena is the current one of a thread, what libxml2 allocates on
 * that thread comes from the arena's chunks: a few calls to malloc() for
 * a page's tree instead of hundreds, and nothing to do in free(). A fifth
 * of a parse's time was glibc's malloc and free.
 *
 * libxml2's allocator is process-wide (xmlMemSetup()); the functions
 * installed behave as malloc(), realloc() and free() on a thread with no
 * current arena, and free() passes on what no arena of the thread holds,
 * so other threads and memory allocated before an arena are not touched.
 * Large requests and requests past RF_XML_ARENA_MAX_BYTES go to malloc()
 * as well.
 *
 * Arenas nest (a page inside a page's JSON-LD): the inner one must be
 * released first. Everything libxml2 allocated on the thread while the
 * arena was current must be freed as usual (xmlFreeDoc() and the like)
 * or no longer used when it is released.
 */
struct xml_arena {
	struct xml_arena *outer;	/* current before this one */
	struct xml_arena_chunk *chunks;	/* newest first */
	char *next, *end;		/* free room of the newest chunk */
	size_t bytes;			/* of all its chunks */
};

/* Makes a (caller-owned storage) the calling thread's current arena;
 * installs the allocator in libxml2 the first time. */
void xml_arena_init(struct xml_arena *a);

/* Ends a, which must be the thread's current arena, and frees its
 * chunks; the arena current before it is current again. */
void xml_arena_release(struct xml_arena *a);

#endif
