/* xmalloc.c: allocation wrappers; out of memory is fatal (STYLE.md rule 8). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "common/banned.h"

static void
oom(size_t size)
{
	fprintf(stderr, "redflag: out of memory allocating %zu bytes\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(ptr, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xmemdupz(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	const char *end = memchr(s, '\0', n);

	return xmemdupz(s, end ? (size_t)(end - s) : n);
}

char *
xmemdupz(const void *p, size_t n)
{
	char *s;

	if (n == SIZE_MAX)
		oom(n);
	s = xmalloc(n + 1);
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}
