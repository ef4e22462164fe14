/*
 * limits-run.c: runs a command under a wall-clock limit and a memory
 * limit, for the hostile-input tests, and says what it used.
 *
 * Usage: limits-run [-t SECONDS] [-m MIB] [-r FILE] COMMAND [ARG]...
 *
 * The command runs in a process group of its own. When it runs longer
 * than SECONDS (default 120) the group is killed; while it runs, the
 * resident set of the command is sampled every 10 ms and the group is
 * killed when it passes MIB (default 1024), so that a broken test cannot
 * take a shared machine's memory. At the end, the peak resident set of
 * the command and its waited-for descendants (wait4()'s ru_maxrss, the
 * largest of them) is checked against MIB as well.
 *
 * Exit: the command's status (128 + N when signal N ended it); 124 when
 * it ran over time, 125 when it used more memory, 126 when it could not
 * be run, 2 on misuse. A broken limit is reported on stderr. With -r, one
 * line "STATUS SECONDS PEAK_KIB" goes to FILE in every case.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The resident set of pid in KiB, from /proc, or 0. */
static long
rss_kib(pid_t pid)
{
	char path[64];
	long pages = 0, size = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &pages) != 2)
		pages = 0;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static void
usage(void)
{
	fputs("usage: limits-run [-t SECONDS] [-m MIB] [-r FILE] COMMAND "
	      "[ARG]...\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	double limit_s = 120, start, elapsed;
	long limit_mib = 1024, peak, rss, seen = 0;
	const char *report = NULL;
	struct rusage ru;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	bool over_time = false, over_mem = false;
	int c, st = 0, code;
	pid_t pid, r;
	char *end;
	FILE *f;

	while ((c = getopt(argc, argv, "+t:m:r:")) != -1) {
		switch (c) {
		case 't':
			limit_s = strtod(optarg, &end);
			if (*end || !(limit_s > 0))
				usage();
			break;
		case 'm':
			limit_mib = strtol(optarg, &end, 10);
			if (*end || limit_mib <= 0)
				usage();
			break;
		case 'r':
			report = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("limits-run: fork");
		return 126;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "limits-run: cannot run '%s': %s\n",
			argv[optind], strerror(errno));
		_exit(126);
	}
	setpgid(pid, pid);
	memset(&ru, 0, sizeof(ru));
	for (;;) {
		r = wait4(pid, &st, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("limits-run: wait4");
			kill(-pid, SIGKILL);
			return 126;
		}
		if (!over_time && !over_mem) {
			rss = rss_kib(pid);
			if (rss > seen)
				seen = rss;
			if (now() - start > limit_s)
				over_time = true;
			else if (rss > limit_mib * 1024)
				over_mem = true;
			if (over_time || over_mem)
				kill(-pid, SIGKILL);
		}
		nanosleep(&tick, NULL);
	}
	/* whatever the command left behind in its group goes too */
	kill(-pid, SIGKILL);
	elapsed = now() - start;
	peak = ru.ru_maxrss;	/* KiB on Linux */
	if (seen > peak)
		peak = seen;
	if (peak > limit_mib * 1024)
		over_mem = true;
	if (WIFEXITED(st))
		code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		code = 128 + WTERMSIG(st);
	else
		code = 126;
	if (over_time) {
		fprintf(stderr, "limits-run: '%s' ran over %g s: killed\n",
			argv[optind], limit_s);
		code = 124;
	} else if (over_mem) {
		fprintf(stderr, "limits-run: '%s' used %ld KiB, over %ld "
			"MiB: killed or failed\n", argv[optind], peak,
			limit_mib);
		code = 125;
	}
	if (report) {
		f = fopen(report, "w");
		if (!f || fprintf(f, "%d %.3f %ld\n", code, elapsed, peak) < 0 ||
		    fclose(f) != 0) {
			perror(report);
			return 126;
		}
	}
	return code;
}
