/* xmalloc.h: allocation that dies on exhaustion, naming the size. */
#ifndef RF_COMMON_XMALLOC_H
#define RF_COMMON_XMALLOC_H

#include <stddef.h>

/* Each returns memory the caller frees; on exhaustion the process exits. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xreallocarray checks nmemb * size for overflow, like OpenBSD's. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A copy of n bytes plus a terminating NUL. */
char *xmemdupz(const void *p, size_t n);

/*
 * Grow array a (of *alloc elements) so that it holds at least nr; like git's
 * ALLOC_GROW. a, nr and alloc are evaluated more than once. Afterwards a is
 * never NULL: a NULL array is allocated even for nr 0, which also tells
 * static analyzers what "alloc > 0 implies a != NULL" cannot.
 */
#define ALLOC_GROW(a, nr, alloc)                                          \
	do {                                                              \
		if ((size_t)(nr) > (size_t)(alloc) || !(a)) {             \
			size_t alloc_new_ = ((size_t)(alloc) + 16) * 3 / 2; \
			if (alloc_new_ < (size_t)(nr))                    \
				alloc_new_ = (size_t)(nr);                \
			(a) = xreallocarray((a), alloc_new_, sizeof(*(a))); \
			(alloc) = alloc_new_;                             \
		}                                                         \
	} while (0)

#endif
