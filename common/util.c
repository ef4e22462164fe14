/* util.c: small string, number and file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "common/banned.h"

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

enum rf_err
parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!*s || (min >= 0 && (*s == '-' || *s == '+')) || *s == ' ')
		return RF_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return RF_EINVAL;
	*out = v;
	return RF_OK;
}

enum rf_err
parse_double(const char *s, double max, double *out)
{
	char *end;
	double v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return RF_EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v >= 0) || v > max)
		return RF_EINVAL;
	*out = v;
	return RF_OK;
}

enum rf_err
file_read(const char *path, size_t max, struct buf *out)
{
	int fd;
	struct stat st;
	enum rf_err err = RF_OK;
	bool is_stdin = strcmp(path, "-") == 0;

	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return errno == ENOENT || errno == ENOTDIR ? RF_ENOENT
			     : errno == EISDIR ? RF_EISDIR : RF_EIO;
	}
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err = RF_EISDIR;
			goto out;
		}
		if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
			err = RF_ETOOBIG;
			goto out;
		}
	}
	for (;;) {
		ssize_t n;

		if (out->len >= max) {
			char c;

			/* at the cap: one more byte means too big */
			n = read(fd, &c, 1);
			if (n > 0)
				err = RF_ETOOBIG;
			else if (n < 0 && errno == EINTR)
				continue;
			else if (n < 0)
				err = RF_EIO;
			break;
		}
		if (buf_grow(out, 65536 < max - out->len ? 65536
							 : max - out->len)) {
			err = RF_ETOOBIG;
			break;
		}
		n = read(fd, out->data + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno == EISDIR ? RF_EISDIR : RF_EIO;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (out->len > max) {
			err = RF_ETOOBIG;
			break;
		}
		out->data[out->len] = '\0';
	}
out:
	if (!is_stdin) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return err;
}
