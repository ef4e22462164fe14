/* scanner.h: what the commands of the redflag program share. */
#ifndef RF_SCANNER_H
#define RF_SCANNER_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/rules.h"
#include "scanner/document.h"

/* Exit codes, one table for every command (redflag(1)). */
enum exit_code {
	EXIT_CLEAN = 0,		/* ran; nothing reached the alert level */
	EXIT_ALERT = 1,		/* something did; or an example failed */
	EXIT_USAGE = 2,
	EXIT_RULES = 3,		/* rule errors */
	EXIT_RUNTIME = 4,	/* an input, the network or the disk failed */
};

struct cmd_entry {
	const char *name;
	const char *summary;
	int (*exec)(int argc, char **argv);	/* argv[0] is the name */
};

int cmd_scan(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_crawl(int argc, char **argv);
int cmd_not_built(int argc, char **argv);

/* The program's version string. */
extern const char redflag_version[];

/*
 * Compiles the rules at paths (n of them), or at the default location
 * when n is 0, printing diagnostics on stderr. Returns the ruleset, or
 * NULL with *code set to EXIT_RULES (or EXIT_RUNTIME when unreadable).
 */
struct ruleset *rules_load(char **paths, size_t n, bool lint, int *code);
/* Where rules come from without -r: see redflag(1), RULES. */
const char *rules_default_path(void);

/*
 * Reads every input (a file, a directory walked recursively in sorted
 * order, or "-" for stdin), extracts it and calls fn with each document.
 * Documents that fail are passed to fn too, with status DOC_ERROR. Returns
 * the number of inputs that failed.
 */
typedef void (*document_fn)(struct document *d, void *arg);
size_t inputs_walk(char **paths, size_t n, document_fn fn, void *arg);

/*
 * Calls fn with the path of every input in order (directories walked as
 * above), without reading them. error is NULL, or why a directory could
 * not be walked.
 */
typedef void (*input_fn)(const char *path, const char *error, void *arg);
void inputs_enumerate(char **paths, size_t n, input_fn fn, void *arg);
/* Reads and extracts one input into d (initialised here), using data as
 * scratch; failures are recorded in d. */
void input_read(const char *path, struct buf *data, struct document *d);

/* Prints a usage error and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) RF_PRINTF(2, 3);

#endif
