/* lockfile.c: flock-based single-instance locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "common/lockfile.h"
#include "common/xmalloc.h"
#include "common/banned.h"

enum rf_err
lockfile_acquire(struct lockfile *l, const char *path, struct buf *holder)
{
	char line[128];
	ssize_t n;
	int len;

	l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	l->path = NULL;
	if (l->fd < 0)
		return RF_EIO;
	if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
		if (holder) {
			n = read(l->fd, line, sizeof(line) - 1);
			line[n > 0 ? n : 0] = '\0';
			line[strcspn(line, "\n")] = '\0';
			buf_addstr(holder, line);
		}
		close(l->fd);
		l->fd = -1;
		return errno == EWOULDBLOCK ? RF_ELOCKED : RF_EIO;
	}
	len = snprintf(line, sizeof(line), "pid %ld since %lld\n",
		       (long)getpid(), (long long)time(NULL));
	if (ftruncate(l->fd, 0) != 0 ||
	    pwrite(l->fd, line, (size_t)len, 0) != len) {
		/* the lock holds even if the note cannot be written */
	}
	l->path = xstrdup(path);
	return RF_OK;
}

void
lockfile_release(struct lockfile *l)
{
	/* the file stays: removing it would let a process that opened it
	 * just before lock the unlinked file while another creates a new
	 * one, and both would run */
	if (l->fd >= 0 && l->path && ftruncate(l->fd, 0) != 0) {
		/* a stale note is harmless: the lock is what counts */
	}
	free(l->path);
	l->path = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
