/* lockfile.h: one process at a time: an flock(2) lock on a file that also
 * names its holder. */
#ifndef RF_COMMON_LOCKFILE_H
#define RF_COMMON_LOCKFILE_H

#include "common/buf.h"
#include "common/err.h"

struct lockfile {
	int fd;
	char *path;
};

/*
 * Takes the lock at path, creating the file (mode 0600) if need be, and
 * writes this process's id into it. Never waits: RF_ELOCKED when another
 * process holds it (holder, if not NULL, gets what the file says of it),
 * RF_EIO when the file cannot be opened. The lock goes with the process,
 * so a crash never leaves a stale lock.
 */
enum rf_err lockfile_acquire(struct lockfile *l, const char *path,
			     struct buf *holder) RF_WARN_UNUSED;
/* Releases the lock (the file stays, emptied); l with fd -1 is fine. */
void lockfile_release(struct lockfile *l);

#endif
