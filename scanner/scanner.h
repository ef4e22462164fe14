/* scanner.h: what the commands of the redflag program share. */
#ifndef RF_SCANNER_H
#define RF_SCANNER_H

#include <stdbool.h>
#include <stddef.h>

#include "crawler/crawl.h"
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
int cmd_eval(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_rescore(int argc, char **argv);
int cmd_crawl(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* The program's version string. */
extern const char redflag_version[];

/*
 * Compiles the rules at paths (n of them), or at the default location
 * when n is 0, printing diagnostics on stderr. Returns the ruleset, or
 * NULL with *code set to EXIT_RULES (or EXIT_RUNTIME when unreadable).
 */
struct ruleset *rules_load(char **paths, size_t n, bool lint, int *code);
/*
 * How rules_load uses the cache of compiled rulesets (redflag(1),
 * FILES): off (--no-cache), or in dir (--cache-dir; NULL keeps the
 * default: $REDFLAG_CACHE_DIR, else $XDG_CACHE_HOME/redflag, else
 * ~/.cache/redflag). $REDFLAG_NO_CACHE turns it off too. Copies dir.
 */
void rules_cache_set(bool off, const char *dir);
/* One line on what the last rules_load did (compiled or loaded from the
 * cache, in how much CPU time), or NULL before any. */
const char *rules_load_summary(void);
/* rules lock: writes the lemmas.lock files of the rules at paths (the
 * default rules when n is 0); returns an exit code. */
int rules_lock(char **paths, size_t n);
/* Where rules come from without -r: see redflag(1), RULES. */
const char *rules_default_path(void);

/*
 * Reads every input (a file, a directory walked recursively in sorted
 * order, or "-" for stdin), extracts it (with profiles, borrowed, which
 * may be NULL) and calls fn with each document. Documents that fail are
 * passed to fn too, with status DOC_ERROR. Returns the number of inputs
 * that failed.
 */
size_t inputs_walk(char **paths, size_t n,
		   const struct profile_set *profiles, document_fn fn,
		   void *arg);

/*
 * One unit of input: a file to read, or bytes already read (the payload of
 * a WARC response record, its Content-Encoding undone, or a small file the
 * walk read whole). Borrowed.
 */
struct input_item {
	const char *source;	/* the path; "FILE#OFFSET" for a WARC record */
	const char *path;	/* the file, or NULL for a WARC record */
	const char *data;	/* its bytes (NUL-terminated), or NULL: read
				 * the file at path */
	size_t len;
	const char *url;	/* a WARC record's target URI, else NULL */
	const char *http_charset;	/* from the recorded Content-Type */
	const char *error;	/* the walk or the WARC reader failed here */
};
typedef void (*input_fn)(const struct input_item *it, void *arg);
/*
 * Calls fn with every input item in order: directories walked as above,
 * WARC files (recognised by content, gzip or not) one item per 2xx
 * response or resource record with an HTML, XML or text payload.
 */
void inputs_enumerate(char **paths, size_t n, input_fn fn, void *arg);
/*
 * Reads (if need be) and extracts the documents of one item with
 * profiles (borrowed, may be NULL), calling fn with each; scratch holds
 * the file. Returns how many failed.
 */
size_t input_documents(const struct input_item *it, struct buf *scratch,
		       const struct profile_set *profiles, document_fn fn,
		       void *arg);

/*
 * Loads the profile files or folders at paths (n of them) into a new set,
 * printing diagnostics on stderr. Returns NULL when one is bad (or, with
 * n == 0, when there is nothing to load).
 */
struct profile_set *profiles_load(char **paths, size_t n, bool *failed);

/* Prints a usage error and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) RF_PRINTF(2, 3);

/*
 * For the commands that crawl or write the store (crawl, run, rescore):
 * as root, warns on stderr, says nothing or refuses, by mode (the job's
 * as_root, or --as-root, named by from in the refusal). Returns whether
 * the command may go on.
 */
bool root_allowed(enum crawl_root mode, const char *from);

#endif
