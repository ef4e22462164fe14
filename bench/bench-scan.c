/*
 * bench-scan.c: redflag's one benchmark: the matcher, the HTML path, a
 * whole `redflag scan` and rule compilation, each against baselines on the
 * same corpus and patterns, printed as ratios measured in the same run.
 *
 * Every figure is the median of several interleaved runs after a warm-up;
 * every ratio is the median of the ratios of the same round, so a noisy
 * shared machine slows both sides of a ratio alike. Times are CPU time
 * (user + system) unless said otherwise; wall time is in the JSON.
 * docs/performance.md says how to run it and what it found.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlversion.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#ifdef HAVE_HS
#include <hs.h>
#endif

#include "common/buf.h"
#include "common/json.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/rules.h"
#include "scanner/document.h"
#include "common/banned.h"

#define MAX_METHODS 24
#define MAX_RUNS 101
#define CAPTURE_MAX ((size_t)1 << 20)

/* ---- corpora ---- */

struct doc {
	const char *p;
	size_t len;
};

/* Documents split out of one buffer at form feeds (bench/gen-corpus). */
struct corpus {
	char *data;
	size_t size;		/* of the file, separators included */
	struct doc *docs;
	size_t n, alloc;
	size_t bytes;		/* in all documents */
};

static void
corpus_split(struct corpus *c)
{
	size_t i = 0, start = 0;

	for (i = 0; i <= c->size; i++) {
		if (i < c->size && c->data[i] != '\f')
			continue;
		if (i > start) {
			ALLOC_GROW(c->docs, c->n + 1, c->alloc);
			c->docs[c->n].p = c->data + start;
			c->docs[c->n].len = i - start;
			c->bytes += i - start;
			c->n++;
		}
		start = i + 1;
	}
}

static enum rf_err
corpus_load(struct corpus *c, const char *path)
{
	struct buf b;
	enum rf_err err;

	memset(c, 0, sizeof(*c));
	buf_init(&b, 0);
	err = file_read(path, (size_t)1 << 30, &b);
	if (err != RF_OK) {
		buf_release(&b);
		return err;
	}
	c->data = buf_detach(&b, &c->size);
	corpus_split(c);
	return c->n ? RF_OK : RF_EEMPTY;
}

static void
corpus_release(struct corpus *c)
{
	free(c->data);
	free(c->docs);
	memset(c, 0, sizeof(*c));
}

/*
 * --quick: a small corpus written here, so that the smoke test needs
 * nothing outside the tree. The sentences are this project's own.
 */
static const char *const quick_lines[] = {
	"Требуется бухгалтер в торговую компанию, опыт работы от 3 лет.",
	"Официальное трудоустройство, полный социальный пакет, обучение.",
	"График работы 5/2 с 9:00 до 18:00, офис в центре Алматы.",
	"Приглашаем девушек 18-25 лет на работу официантками в Дубай.",
	"Билеты и визу оформим за счёт работодателя, жильё бесплатно.",
	"Зарплата от 3000$ в месяц, без опыта, обучение на месте.",
	"Пишите только в WhatsApp, места ограничены, вылет через неделю.",
	"Обязанности: ведение первичной документации, работа с банком.",
	"Знание 1С и Excel обязательно, английский язык приветствуется.",
	"Мы предлагаем стабильную заработную плату два раза в месяц.",
	"Водитель категории C, стаж не менее пяти лет, без вредных привычек.",
	"Склад в пригороде, развозка сотрудников, бесплатные обеды.",
};

static const char quick_rules[] =
	"rule quick.a { meta: indicator = J10\n patterns: $a = \"бухгалтер\"\n"
	" condition: $a }\n"
	"rule quick.b { meta: indicator = J10\n patterns: $a = /график\\w*/\n"
	" condition: $a }\n"
	"rule quick.c { meta: indicator = J10\n patterns: $a = \"склад\" "
	"prefix\n condition: $a }\n"
	"rule quick.d { meta: indicator = J10\n patterns: $a = /вод[ие]тел/\n"
	" condition: $a }\n"
	"rule quick.e { meta: indicator = J10\n patterns: $a = \"космонавт\" "
	"word\n condition: $a }\n";

/* The same for Vectorscan, without the Unicode classes that make its
 * compiler slow (word edges are ignored: a smoke test). */
static const char quick_hs[] =
	"бухгалтер\nграфик\nсклад\nвод[ие]тел\nкосмонавт\n";

/* Builds n text listings and the same as HTML pages. */
static void
quick_corpus(size_t n, struct corpus *text, struct corpus *html)
{
	struct buf t, h;
	size_t i, j, nl = RF_ARRAY_SIZE(quick_lines);

	buf_init(&t, 0);
	buf_init(&h, 0);
	for (i = 0; i < n; i++) {
		buf_addf(&h, "<!DOCTYPE html><html><head>"
			 "<meta charset=\"utf-8\"><title>Вакансия %zu</title>"
			 "</head><body><h1>Вакансия %zu</h1>", i, i);
		buf_addf(&t, "Вакансия %zu\n", i);
		for (j = 0; j < 24; j++) {
			const char *s = quick_lines[(i * 7 + j * 5) % nl];

			buf_addf(&t, "%s\n", s);
			buf_addf(&h, "<p>%s</p>\n", s);
		}
		buf_addstr(&h, "</body></html>\n\f");
		buf_addch(&t, '\f');
	}
	memset(text, 0, sizeof(*text));
	memset(html, 0, sizeof(*html));
	text->data = buf_detach(&t, &text->size);
	html->data = buf_detach(&h, &html->size);
	corpus_split(text);
	corpus_split(html);
}

/* ---- clocks and child processes ---- */

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* What one child process cost. */
struct child {
	double wall, cpu;	/* seconds; cpu is user + system */
	long maxrss_kb;
	int status;		/* exit status, or -1 when it did not exit */
	size_t out_bytes;	/* what it wrote on stdout */
};

/*
 * Runs argv with stdout into a pipe that is drained (into capture, if not
 * NULL, up to CAPTURE_MAX) and stderr to /dev/null unless verbose. A pipe,
 * not /dev/null, because ripgrep stops at the first match when it sees
 * its output goes nowhere.
 */
static bool verbose;

static enum rf_err
child_run_here(char *const argv[], struct buf *capture, struct child *out)
{
	int fd[2], st;
	pid_t pid;
	struct rusage ru;
	char chunk[65536];
	ssize_t got;
	double t0;

	memset(out, 0, sizeof(*out));
	out->status = -1;
	if (pipe(fd) != 0)
		return RF_EIO;
	t0 = clock_s(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return RF_EIO;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(fd[1], 1);
		if (!verbose && null >= 0)
			dup2(null, 2);
		if (null >= 0)
			dup2(null, 0);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while ((got = read(fd[0], chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		out->out_bytes += (size_t)got;
		if (capture && capture->len + (size_t)got <= CAPTURE_MAX)
			buf_add(capture, chunk, (size_t)got);
	}
	close(fd[0]);
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return RF_EIO;
	out->wall = clock_s(CLOCK_MONOTONIC) - t0;
	out->cpu = tv_s(&ru.ru_utime) + tv_s(&ru.ru_stime);
	out->maxrss_kb = ru.ru_maxrss;
	out->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return RF_OK;
}

/*
 * The spawner: a helper forked at start-up, while this process is still
 * small, that runs the children. A child forked from the benchmark itself
 * would count the corpus it inherits in its peak RSS.
 */
static struct {
	pid_t pid;
	int to, from;	/* requests to it, replies from it */
} spawner = { -1, -1, -1 };

static bool
read_full(int fd, void *p, size_t n)
{
	char *c = p;
	ssize_t got;

	while (n) {
		got = read(fd, c, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		c += got;
		n -= (size_t)got;
	}
	return true;
}

static bool
write_full(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t put;

	while (n) {
		put = write(fd, c, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return false;
		c += put;
		n -= (size_t)put;
	}
	return true;
}

/* A request is argv as NUL-terminated strings after their total length;
 * a reply is struct child, the captured length and the captured bytes. */
static void
spawner_serve(int in, int out)
{
	size_t len, argc, i;
	char *args, **argv;
	struct child ch;
	struct buf cap;

	buf_init(&cap, CAPTURE_MAX);
	while (read_full(in, &len, sizeof(len))) {
		args = xmalloc(len + 1);
		if (!read_full(in, args, len))
			_exit(1);
		args[len] = '\0';
		for (i = 0, argc = 0; i < len; i++)
			argc += args[i] == '\0';
		argv = xcalloc(argc + 1, sizeof(*argv));
		for (i = 0, argc = 0; i < len; i += strlen(args + i) + 1)
			argv[argc++] = args + i;
		buf_reset(&cap);
		if (child_run_here(argv, &cap, &ch) != RF_OK)
			ch.status = -2;
		if (!write_full(out, &ch, sizeof(ch)) ||
		    !write_full(out, &cap.len, sizeof(cap.len)) ||
		    !write_full(out, cap.data, cap.len))
			_exit(1);
		free(argv);
		free(args);
	}
	_exit(0);
}

static void
spawner_start(void)
{
	int req[2], rep[2];

	if (pipe(req) != 0 || pipe(rep) != 0)
		return;	/* children are then forked from here */
	spawner.pid = fork();
	if (spawner.pid == 0) {
		close(req[1]);
		close(rep[0]);
		spawner_serve(req[0], rep[1]);
	}
	close(req[0]);
	close(rep[1]);
	spawner.to = req[1];
	spawner.from = rep[0];
	if (spawner.pid < 0) {
		close(spawner.to);
		close(spawner.from);
	}
}

static void
spawner_stop(void)
{
	if (spawner.pid <= 0)
		return;
	close(spawner.to);
	close(spawner.from);
	waitpid(spawner.pid, NULL, 0);
	spawner.pid = -1;
}

/* Runs argv through the spawner when there is one. */
static enum rf_err
child_run(char *const argv[], struct buf *capture, struct child *out)
{
	struct buf req;
	size_t i, len;
	bool ok;

	if (spawner.pid <= 0)
		return child_run_here(argv, capture, out);
	buf_init(&req, 0);
	for (i = 0; argv[i]; i++)
		buf_add(&req, argv[i], strlen(argv[i]) + 1);
	ok = write_full(spawner.to, &req.len, sizeof(req.len)) &&
	     write_full(spawner.to, req.data, req.len) &&
	     read_full(spawner.from, out, sizeof(*out)) &&
	     read_full(spawner.from, &len, sizeof(len));
	buf_release(&req);
	if (ok && len) {
		char *cap = xmalloc(len);

		ok = read_full(spawner.from, cap, len);
		if (ok && capture)
			buf_add(capture, cap, len);
		free(cap);
	}
	return ok && out->status != -2 ? RF_OK : RF_EIO;
}

/* A new argv for a child, from a NULL-terminated list of strings that it
 * copies; free it with argv_free. */
static char **
argv_of(const char *first, ...)
{
	va_list ap;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	const char *s;

	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *)) {
		ALLOC_GROW(v, n + 2, alloc);
		v[n++] = xstrdup(s);
	}
	va_end(ap);
	v[n] = NULL;
	return v;
}

static void
argv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- rules ---- */

static void
print_diag(const struct rule_diag *d, void *arg)
{
	if (d->severity == DIAG_ERROR)
		fprintf(stderr, "bench-scan: %s:%d:%d: %s\n", d->file, d->line,
			d->col, d->message);
}

/* Compiles paths (NULL-terminated) or text as redflag scan does: no lint,
 * no examples. Returns NULL after printing the errors. */
static struct ruleset *
rules_compile(const char *const *paths, const char *text)
{
	struct rules_options opts = { .diag = print_diag };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;
	bool ok = true;

	for (; paths && *paths; paths++)
		ok &= rules_compiler_add_path(c, *paths) == RF_OK;
	if (text)
		ok &= rules_compiler_add_string(c, "<quick>", text,
						strlen(text)) == RF_OK;
	if (!ok || rules_compiler_finish(c, &rs) != RF_OK)
		rs = NULL;
	rules_compiler_free(c);
	return rs;
}

/* ---- Vectorscan ---- */

#ifdef HAVE_HS
struct hsdb {
	hs_database_t *db;
	hs_scratch_t *scratch;
	size_t n;
	char *fold;		/* for a case-sensitive database: the
				 * document lower-cased */
	size_t afold;
};

/*
 * Compiles one expression a line of text as one database, caseless, or
 * case-sensitive for text that is lower-cased first (the expressions are
 * lower case): Vectorscan's fast literal matchers fold ASCII only, so
 * caseless Cyrillic costs it far more than folding the text does.
 */
static bool
hsdb_compile(const char *text, bool caseless, struct hsdb *h, char *err,
	     size_t errlen)
{
	char *copy = xstrdup(text), *p, *nl;
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t n = 0, alloc = 0, i;
	hs_compile_error_t *ce = NULL;
	bool ok = false;

	memset(h, 0, sizeof(*h));
	for (p = copy; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		else
			*nl = '\0';
		if (*p) {
			ALLOC_GROW(exprs, n + 1, alloc);
			exprs[n++] = p;
		}
		if (!nl[1])
			break;
	}
	flags = xcalloc(n + 1, sizeof(*flags));
	ids = xcalloc(n + 1, sizeof(*ids));
	for (i = 0; i < n; i++) {
		flags[i] = HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH |
			   (caseless ? HS_FLAG_CASELESS : 0);
		ids[i] = (unsigned)i;
	}
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK,
			     NULL, &h->db, &ce) != HS_SUCCESS) {
		snprintf(err, errlen, "expression %d: %s", ce->expression,
			 ce->message);
		hs_free_compile_error(ce);
		goto out;
	}
	if (hs_alloc_scratch(h->db, &h->scratch) != HS_SUCCESS) {
		snprintf(err, errlen, "cannot allocate scratch");
		goto out;
	}
	h->n = n;
	ok = true;
out:
	free(exprs);
	free(flags);
	free(ids);
	free(copy);
	return ok;
}

static void
hsdb_release(struct hsdb *h)
{
	hs_free_scratch(h->scratch);
	hs_free_database(h->db);
	free(h->fold);
	memset(h, 0, sizeof(*h));
}

static int
hs_count(unsigned id, unsigned long long from, unsigned long long to,
	 unsigned fl, void *arg)
{
	(*(uint64_t *)arg)++;
	return 0;
}
#endif

/* ---- methods ---- */

enum section { SEC_COMPILE, SEC_MATCH, SEC_HTML, SEC_DIR, SEC_MAX };
static const char *const section_name[SEC_MAX] = {
	"compile", "match", "html", "dir",
};

struct sample {
	double cpu, wall;
	long maxrss_kb;
};

struct method;
/* Runs over the first n documents; returns a count that must not be
 * optimised away (rules fired, matches, nodes). */
typedef uint64_t (*run_fn)(struct method *me, size_t n);

struct method {
	const char *id;
	const char *what;
	enum section sec;
	/* in process: run over documents of corpus */
	run_fn run;
	const struct corpus *corpus;
	struct matcher *m;
	struct scan_result res;
#ifdef HAVE_HS
	struct hsdb *hs;
#endif
	size_t ndocs;		/* chosen by calibration */
	size_t bytes;		/* in those documents */
	/* a child process instead */
	char **argv;
	size_t child_bytes;	/* what the child reads */
	size_t child_docs;
	bool child_reports;	/* prints its own seconds on stdout */
	/* results */
	struct sample s[MAX_RUNS];
	size_t ns;
	uint64_t count;
	int status;		/* of the last child */
	bool failed;
	bool off;		/* not asked for (--only) */
	char note[160];
};

static struct method methods[MAX_METHODS];
static size_t nmethods;
static const char *only;	/* --only: sections and method ids */

/* Whether name is in the comma-separated list only. */
static bool
listed(const char *name)
{
	const char *p = only;
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == only || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static struct method *
method_add(const char *id, const char *what, enum section sec)
{
	struct method *me;

	if (nmethods == MAX_METHODS)
		abort();
	me = &methods[nmethods++];
	memset(me, 0, sizeof(*me));
	me->id = id;
	me->what = what;
	me->sec = sec;
	me->off = only && !listed(section_name[sec]) && !listed(id);
	scan_result_init(&me->res);
	return me;
}

static struct method *
method_find(const char *id)
{
	size_t i;

	for (i = 0; i < nmethods; i++)
		if (strcmp(methods[i].id, id) == 0 && methods[i].ns)
			return &methods[i];
	return NULL;
}

/* The matcher over each document as its body, as a text file is read. */
static uint64_t
run_matcher(struct method *me, size_t n)
{
	struct scan_input in;
	uint64_t fired = 0;
	size_t i;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < n; i++) {
		in.text[FIELD_BODY] = me->corpus->docs[i].p;
		in.len[FIELD_BODY] = me->corpus->docs[i].len;
		matcher_scan(me->m, &in, &me->res);
		fired += me->res.nfired;
	}
	return fired;
}

/* The same, up to the prefilter: folding, the DFA, the candidates. */
static uint64_t
run_prefilter(struct method *me, size_t n)
{
	struct scan_input in;
	uint64_t cand = 0;
	size_t i;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < n; i++) {
		in.text[FIELD_BODY] = me->corpus->docs[i].p;
		in.len[FIELD_BODY] = me->corpus->docs[i].len;
		cand += matcher_candidates(me->m, &in);
	}
	return cand;
}

#ifdef HAVE_HS
static uint64_t
run_hs(struct method *me, size_t n)
{
	uint64_t hits = 0;
	size_t i;

	for (i = 0; i < n; i++)
		hs_scan(me->hs->db, me->corpus->docs[i].p,
			(unsigned)me->corpus->docs[i].len, 0, me->hs->scratch,
			hs_count, &hits);
	return hits;
}

/*
 * Lower-cases ASCII and Russian Cyrillic (А-Я, Ё, Ѐ-Џ) into out, which
 * has room for len bytes: each of these keeps its UTF-8 length.
 */
static void
fold_ru(const char *in, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned char *o = (unsigned char *)out;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c >= 'A' && c <= 'Z') {
			o[i] = c + 32;
		} else if (c == 0xD0 && i + 1 < len && p[i + 1] >= 0x80 &&
			   p[i + 1] <= 0xAF) {
			unsigned char d = p[i + 1];

			if (d <= 0x8F) {		/* Ѐ-Џ -> ѐ-џ */
				o[i] = 0xD1;
				o[i + 1] = d + 0x10;
			} else if (d <= 0x9F) {		/* А-П -> а-п */
				o[i] = 0xD0;
				o[i + 1] = d + 0x20;
			} else {			/* Р-Я -> р-я */
				o[i] = 0xD1;
				o[i + 1] = d - 0x20;
			}
			i++;
		} else {
			o[i] = c;
		}
	}
}

/* Folds one document into h's buffer and scans it; counts into hits. */
static void
hs_fold_scan(struct hsdb *h, const char *p, size_t len, uint64_t *hits)
{
	if (len > h->afold) {
		free(h->fold);
		h->fold = xmalloc(len);
		h->afold = len;
	}
	fold_ru(p, len, h->fold);
	hs_scan(h->db, h->fold, (unsigned)len, 0, h->scratch, hs_count,
		hits);
}

static uint64_t
run_hs_fold(struct method *me, size_t n)
{
	uint64_t hits = 0;
	size_t i;

	for (i = 0; i < n; i++)
		hs_fold_scan(me->hs, me->corpus->docs[i].p,
			     me->corpus->docs[i].len, &hits);
	return hits;
}
#endif

/* The floor: one pass of memchr for a byte that never occurs. */
static uint64_t
run_memchr(struct method *me, size_t n)
{
	uint64_t found = 0;
	size_t i;

	for (i = 0; i < n; i++)
		found += memchr(me->corpus->docs[i].p, '\001',
				me->corpus->docs[i].len) != NULL;
	return found;
}

#define HTML_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
		   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
		   HTML_PARSE_COMPACT | XML_PARSE_HUGE)

/*
 * libxml2 alone, with the options scanner/extract.c uses and the C
 * library's allocator: once extraction has run, libxml2's allocator is
 * redflag's (scanner/xmlarena.h), whose malloc() and free() outside an
 * arena cost a little more than glibc's own.
 */
static uint64_t
run_libxml2(struct method *me, size_t n)
{
	xmlFreeFunc fr;
	xmlMallocFunc ma;
	xmlReallocFunc re;
	xmlStrdupFunc du;
	uint64_t ok = 0;
	size_t i;

	xmlMemGet(&fr, &ma, &re, &du);
	xmlMemSetup(free, malloc, realloc, strdup);
	for (i = 0; i < n; i++) {
		htmlDocPtr d = htmlReadMemory(me->corpus->docs[i].p,
					      (int)me->corpus->docs[i].len,
					      NULL, "UTF-8", HTML_OPTS);

		ok += d != NULL;
		xmlFreeDoc(d);
	}
	xmlMemSetup(fr, ma, re, du);
	return ok;
}

static void
sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	(void)ctx;
	(void)name;
	(void)atts;
}

static void
sax_end(void *ctx, const xmlChar *name)
{
	(void)ctx;
	(void)name;
}

static void
sax_text(void *ctx, const xmlChar *text, int len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

/*
 * libxml2's HTML parser driving empty SAX callbacks (no tree), as
 * scanner/extract.c drives its own: the yardstick for a reader that
 * builds no tree. The same options and allocator as run_libxml2().
 */
static uint64_t
run_libxml2_sax(struct method *me, size_t n)
{
	xmlFreeFunc fr;
	xmlMallocFunc ma;
	xmlReallocFunc re;
	xmlStrdupFunc du;
	uint64_t ok = 0;
	size_t i;

	xmlMemGet(&fr, &ma, &re, &du);
	xmlMemSetup(free, malloc, realloc, strdup);
	for (i = 0; i < n; i++) {
		htmlParserCtxtPtr c = htmlNewParserCtxt();
		htmlDocPtr d;

		if (!c)
			continue;
		memset(c->sax, 0, sizeof(*c->sax));
		c->sax->startElement = sax_start;
		c->sax->endElement = sax_end;
		c->sax->characters = sax_text;
		c->sax->cdataBlock = sax_text;
		d = htmlCtxtReadMemory(c, me->corpus->docs[i].p,
				       (int)me->corpus->docs[i].len, NULL,
				       "UTF-8", HTML_OPTS);
		ok += d == NULL;
		xmlFreeDoc(d);
		htmlFreeParserCtxt(c);
	}
	xmlMemSetup(fr, ma, re, du);
	return ok;
}

/* What redflag does with a page: extract, then match and score unless
 * there is no matcher (extraction alone). */
static uint64_t
run_pages(struct method *me, size_t n)
{
	struct document d;
	struct scan_input in;
	uint64_t fired = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		document_init(&d, "bench");
		extract_document(&d, me->corpus->docs[i].p,
				 me->corpus->docs[i].len);
		if (me->m &&
		    (d.status == DOC_OK || d.status == DOC_TRUNCATED)) {
			document_scan_input(&d, &in);
			matcher_scan(me->m, &in, &me->res);
			fired += me->res.nfired;
		} else {
			fired += d.body.len;
		}
		document_release(&d);
	}
	return fired;
}

static size_t
docs_bytes(const struct corpus *c, size_t n)
{
	size_t i, b = 0;

	for (i = 0; i < n; i++)
		b += c->docs[i].len;
	return b;
}

/* Times one run of me, in process or as a child. */
static void
method_once(struct method *me, struct sample *s)
{
	memset(s, 0, sizeof(*s));
	if (me->run) {
		double w0 = clock_s(CLOCK_MONOTONIC);
		double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);

		me->count = me->run(me, me->ndocs);
		s->cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		s->wall = clock_s(CLOCK_MONOTONIC) - w0;
	} else {
		struct child ch;
		struct buf out;

		buf_init(&out, 0);
		if (child_run(me->argv, me->child_reports ? &out : NULL, &ch) !=
		    RF_OK || ch.status < 0 || ch.status > 1) {
			me->failed = true;
			snprintf(me->note, sizeof(me->note),
				 "'%s' failed (exit %d)", me->argv[0],
				 ch.status);
		}
		me->status = ch.status;
		s->cpu = ch.cpu;
		s->wall = ch.wall;
		s->maxrss_kb = ch.maxrss_kb;
		if (me->child_reports) {
			/* "cpu wall": the child's own timing of the work */
			double c = 0, w = 0;

			if (sscanf(out.data, "%lf %lf", &c, &w) == 2) {
				s->cpu = c;
				s->wall = w;
			} else {
				me->failed = true;
			}
		}
		me->count = ch.out_bytes;
		buf_release(&out);
	}
}

/*
 * Picks how many documents one run takes so that it lasts about budget
 * seconds of CPU, and no fewer than min_docs unless the corpus is smaller.
 */
static void
method_calibrate(struct method *me, double budget, size_t min_docs)
{
	const struct corpus *c = me->corpus;
	size_t probe = c->n < 32 ? c->n : 32, n;
	double t;
	struct sample s;

	me->ndocs = probe;
	method_once(me, &s);	/* the first touch: caches, JIT, pages */
	method_once(me, &s);
	t = s.cpu > 1e-6 ? s.cpu : 1e-6;
	n = (size_t)(budget / (t / (double)probe));
	if (n < min_docs)
		n = min_docs;
	if (n > c->n)
		n = c->n;
	me->ndocs = n;
	me->bytes = docs_bytes(c, n);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median CPU (or wall) seconds of a method's runs. */
static double
method_median(const struct method *me, bool wall)
{
	double v[MAX_RUNS];
	size_t i;

	for (i = 0; i < me->ns; i++)
		v[i] = wall ? me->s[i].wall : me->s[i].cpu;
	return median(v, me->ns);
}

static size_t
method_bytes(const struct method *me)
{
	return me->run ? me->bytes : me->child_bytes;
}

static size_t
method_docs(const struct method *me)
{
	return me->run ? me->ndocs : me->child_docs;
}

/* Throughput in MB/s (10^6 bytes) of run i, or of the median. */
static double
method_mbps(const struct method *me, size_t i, bool wall)
{
	double t = i < me->ns ? (wall ? me->s[i].wall : me->s[i].cpu)
			      : method_median(me, wall);

	return t > 0 ? (double)method_bytes(me) / t / 1e6 : NAN;
}

static bool warm_up = true;	/* off with --quick */

/*
 * Runs the methods of one section in rounds: a warm-up round that is not
 * kept, then runs rounds, each method once per round, starting with a
 * different method each round.
 */
static void
section_run(enum section sec, size_t runs)
{
	size_t idx[MAX_METHODS], k = 0, r, j, first = warm_up ? 0 : 1;

	for (j = 0; j < nmethods; j++)
		if (methods[j].sec == sec && !methods[j].failed &&
		    !methods[j].off)
			idx[k++] = j;
	if (!k)
		return;
	fprintf(stderr, "bench-scan: %s: %zu methods, %zu runs",
		section_name[sec], k, runs);
	for (r = first; r <= runs; r++) {
		for (j = 0; j < k; j++) {
			struct method *me = &methods[idx[(j + r) % k]];
			struct sample s;

			if (me->failed)
				continue;
			method_once(me, &s);
			if (r > 0 && !me->failed)
				me->s[me->ns++] = s;
		}
		fputc('.', stderr);
	}
	fputc('\n', stderr);
}

/* ---- ratios and goals ---- */

enum ratio_kind {
	R_SPEED,	/* a's throughput over b's, per round */
	R_CPU,		/* a's CPU time over b's, per round (smaller: a wins) */
	R_TIME_MS,	/* a's median time in ms (no b) */
	R_MBPS,		/* a's median throughput (no b) */
};

struct ratio {
	const char *name;
	const char *a, *b;
	enum ratio_kind kind;
	const char *goal_text;	/* NULL: information only */
	double goal;		/* pass when value >= goal (< goal for R_CPU,
				 * R_TIME_MS) */
	double value;
	bool have, pass;
};

static struct ratio ratios[] = {
	{ "match-only MB/s, 1,000 rules", "rf-gen", NULL, R_MBPS,
	  ">= 50 MB/s", 50 },
	{ "prefilter vs naive loop, 1,000 rules", "rf-gen", "naive-gen",
	  R_SPEED, ">= 50x", 50 },
	{ "matcher vs rg -i (whole process), same words", "rf-gen", "rg-file",
	  R_SPEED, ">= 2x", 2 },
	{ "matcher vs Vectorscan, caseless", "rf-gen", "hs-gen", R_SPEED,
	  NULL, 0 },
	{ "matcher vs Vectorscan on folded text (anchor)", "rf-gen",
	  "hs-fold", R_SPEED, NULL, 0 },
	{ "matcher vs memchr (floor)", "rf-gen", "memchr", R_SPEED, NULL, 0 },
	{ "shipped packs: prefilter vs naive loop", "rf-packs", "naive-packs",
	  R_SPEED, NULL, 0 },
	{ "shipped packs vs 1,000 rules", "rf-packs", "rf-gen", R_SPEED, NULL,
	  0 },
	{ "shipped packs: whole matcher vs folding and prefilter",
	  "rf-packs", "pf-packs", R_SPEED, NULL, 0 },
	{ "HTML end to end (packs) vs libxml2 parse", "e2e-packs",
	  "libxml2", R_SPEED, ">= 0.5x", 0.5 },
	{ "HTML end to end (1,000 rules) vs libxml2 parse", "e2e-gen",
	  "libxml2", R_SPEED, NULL, 0 },
	{ "HTML end to end (packs) vs libxml2 SAX parse, no tree",
	  "e2e-packs", "libxml2-sax", R_SPEED, NULL, 0 },
	{ "extraction alone vs libxml2 parse", "extract", "libxml2", R_SPEED,
	  NULL, 0 },
	{ "extraction alone vs libxml2 SAX parse, no tree", "extract",
	  "libxml2-sax", R_SPEED, NULL, 0 },
	{ "extraction alone vs lynx -dump (whole process)", "extract", "lynx",
	  R_SPEED, NULL, 0 },
	{ "redflag scan (packs) CPU / rg -c -i -f CPU, dir", "scan-packs",
	  "rg-dir", R_CPU, "< 1", 1 },
	{ "redflag scan (1,000 rules) CPU / rg CPU, dir", "scan-gen", "rg-dir",
	  R_CPU, NULL, 0 },
	{ "compile shipped packs, cold (ms)", "cc-packs", NULL, R_TIME_MS,
	  "< 200 ms", 200 },
	{ "compile 1,000 rules, cold (ms)", "cc-gen", NULL, R_TIME_MS, NULL,
	  0 },
	{ "compile 1,000 rules vs Vectorscan compile", "cc-gen", "cc-hs",
	  R_CPU, NULL, 0 },
};

static void
ratio_compute(struct ratio *q)
{
	const struct method *a = method_find(q->a);
	const struct method *b = q->b ? method_find(q->b) : NULL;
	double v[MAX_RUNS];
	size_t i, n = 0;

	q->have = false;
	if (!a || a->failed || (q->b && (!b || b->failed)))
		return;
	switch (q->kind) {
	case R_MBPS:
		q->value = method_mbps(a, SIZE_MAX, false);
		break;
	case R_TIME_MS:
		q->value = method_median(a, false) * 1e3;
		break;
	case R_SPEED:
	case R_CPU:
		for (i = 0; i < a->ns && i < b->ns; i++) {
			if (q->kind == R_SPEED)
				v[n++] = method_mbps(a, i, false) /
					 method_mbps(b, i, false);
			else
				v[n++] = a->s[i].cpu / b->s[i].cpu;
		}
		q->value = median(v, n);
		break;
	}
	q->have = !isnan(q->value);
	if (q->kind == R_CPU || q->kind == R_TIME_MS)
		q->pass = q->value < q->goal;
	else
		q->pass = q->value >= q->goal;
}

/* ---- the machine ---- */

struct machine {
	char cpu[128];
	long nproc;
	char date[32];
	char rg[64];
	char pcre2[32];
};

static void
machine_read(struct machine *mc, const char *rg)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	time_t now = time(NULL);
	struct tm tm;

	memset(mc, 0, sizeof(*mc));
	snprintf(mc->cpu, sizeof(mc->cpu), "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (str_has_prefix(line, "model name") && colon) {
			colon += 2;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(mc->cpu, sizeof(mc->cpu), "%s", colon);
			break;
		}
	}
	if (f)
		fclose(f);
	mc->nproc = sysconf(_SC_NPROCESSORS_ONLN);
	if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) > (int)sizeof(mc->pcre2) ||
	    pcre2_config(PCRE2_CONFIG_VERSION, mc->pcre2) < 0)
		snprintf(mc->pcre2, sizeof(mc->pcre2), "unknown");
	gmtime_r(&now, &tm);
	strftime(mc->date, sizeof(mc->date), "%Y-%m-%d %H:%M UTC", &tm);
	if (rg) {
		char **argv = argv_of(rg, "--version", NULL);
		struct child ch;
		struct buf out;

		buf_init(&out, 0);
		if (child_run(argv, &out, &ch) == RF_OK && ch.status == 0) {
			out.data[strcspn(out.data, "\n")] = '\0';
			snprintf(mc->rg, sizeof(mc->rg), "%s", out.data);
		}
		buf_release(&out);
		argv_free(argv);
	}
}

/* ---- output ---- */

static void
print_table(const struct machine *mc, const char *corpus_desc, size_t runs)
{
	size_t i;
	int sec;

	printf("redflag bench-scan, %s: %ld CPUs, %s\n", mc->date, mc->nproc,
	       mc->cpu);
	printf("%s\n", corpus_desc);
	printf("each figure: median of %zu interleaved runs after a warm-up; "
	       "CPU time; MB = 10^6 bytes\n\n", runs);
	printf("%-8s %-12s %9s %11s %9s %9s  %s\n", "section", "method",
	       "MB/s", "us/listing", "docs", "RSS MiB", "what");
	for (sec = 0; sec < SEC_MAX; sec++) {
		for (i = 0; i < nmethods; i++) {
			const struct method *me = &methods[i];
			double t = method_median(me, false);
			long rss = 0;
			size_t k;

			if (me->sec != (enum section)sec || me->off)
				continue;
			if (me->failed || !me->ns) {
				printf("%-8s %-12s %9s %11s %9s %9s  %s: %s\n",
				       section_name[sec], me->id, "-", "-", "-",
				       "-", me->what,
				       me->note[0] ? me->note : "skipped");
				continue;
			}
			for (k = 0; k < me->ns; k++)
				if (me->s[k].maxrss_kb > rss)
					rss = me->s[k].maxrss_kb;
			if (sec == SEC_COMPILE)
				printf("%-8s %-12s %9s %8.2f ms %9s ",
				       section_name[sec], me->id, "-", t * 1e3,
				       "-");
			else
				printf("%-8s %-12s %9.1f %11.2f %9zu ",
				       section_name[sec], me->id,
				       method_mbps(me, SIZE_MAX, false),
				       t * 1e6 / (double)method_docs(me),
				       method_docs(me));
			if (rss)
				printf("%9.1f", rss / 1024.0);
			else
				printf("%9s", "-");
			printf("  %s%s%s\n", me->what, me->note[0] ? "; " : "",
			       me->note);
		}
	}
	printf("\n%-48s %12s %10s %s\n", "ratio (median of same-round ratios)",
	       "value", "goal", "");
	for (i = 0; i < RF_ARRAY_SIZE(ratios); i++) {
		const struct ratio *q = &ratios[i];
		char val[32];

		if (!q->have) {
			printf("%-48s %12s %10s %s\n", q->name, "n/a",
			       q->goal_text ? q->goal_text : "", q->goal_text ?
			       "NOT MEASURED" : "");
			continue;
		}
		if (q->kind == R_MBPS)
			snprintf(val, sizeof(val), "%.1f MB/s", q->value);
		else if (q->kind == R_TIME_MS)
			snprintf(val, sizeof(val), "%.1f ms", q->value);
		else
			snprintf(val, sizeof(val), "%.3gx", q->value);
		printf("%-48s %12s %10s %s\n", q->name, val,
		       q->goal_text ? q->goal_text : "",
		       q->goal_text ? (q->pass ? "PASS" : "FAIL") : "");
	}
}

static enum rf_err
write_json(const char *path, const struct machine *mc,
	   const char *corpus_desc, size_t runs, const char *notes)
{
	struct buf b;
	struct json j;
	size_t i, k;
	FILE *f;
	enum rf_err err = RF_OK;

	buf_init(&b, 0);
	json_init(&j, &b);
	json_object_begin(&j);
	json_kv_int(&j, "schema", 1);
	json_key(&j, "machine");
	json_object_begin(&j);
	json_kv_string(&j, "date", mc->date);
	json_kv_int(&j, "nproc", mc->nproc);
	json_kv_string(&j, "cpu", mc->cpu);
	json_kv_string(&j, "pcre2", mc->pcre2);
	json_kv_string(&j, "libxml2", LIBXML_DOTTED_VERSION);
#ifdef HAVE_HS
	{
		const char *v = hs_version();

		/* "5.4.9 2023-..." : the version is the first word */
		json_key(&j, "vectorscan");
		json_stringn(&j, v, strcspn(v, " "));
	}
#else
	json_kv_string(&j, "vectorscan", NULL);
#endif
	json_kv_string(&j, "ripgrep", mc->rg[0] ? mc->rg : NULL);
	json_object_end(&j);
	json_kv_string(&j, "corpus", corpus_desc);
	json_kv_string(&j, "notes", notes);
	json_kv_int(&j, "runs", (int64_t)runs);
	json_kv_string(&j, "time", "cpu (user + system) seconds");
	json_key(&j, "methods");
	json_array_begin(&j);
	for (i = 0; i < nmethods; i++) {
		const struct method *me = &methods[i];

		if (me->off)
			continue;
		json_object_begin(&j);
		json_kv_string(&j, "id", me->id);
		json_kv_string(&j, "section", section_name[me->sec]);
		json_kv_string(&j, "what", me->what);
		json_kv_bool(&j, "measured", me->ns && !me->failed);
		if (me->note[0])
			json_kv_string(&j, "note", me->note);
		if (me->ns && !me->failed) {
			json_kv_int(&j, "docs", (int64_t)method_docs(me));
			json_kv_int(&j, "bytes", (int64_t)method_bytes(me));
			json_kv_double(&j, "median_cpu_s",
				       method_median(me, false));
			json_kv_double(&j, "median_wall_s",
				       method_median(me, true));
			if (me->sec != SEC_COMPILE) {
				json_kv_double(&j, "mb_per_s",
					       method_mbps(me, SIZE_MAX,
							   false));
				json_kv_double(&j, "wall_mb_per_s",
					       method_mbps(me, SIZE_MAX, true));
				json_kv_double(&j, "us_per_listing",
					       method_median(me, false) * 1e6 /
					       (double)method_docs(me));
			}
			json_key(&j, "runs");
			json_array_begin(&j);
			for (k = 0; k < me->ns; k++) {
				json_object_begin(&j);
				json_kv_double(&j, "cpu_s", me->s[k].cpu);
				json_kv_double(&j, "wall_s", me->s[k].wall);
				if (me->s[k].maxrss_kb)
					json_kv_int(&j, "maxrss_kb",
						    me->s[k].maxrss_kb);
				json_object_end(&j);
			}
			json_array_end(&j);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "ratios");
	json_array_begin(&j);
	for (i = 0; i < RF_ARRAY_SIZE(ratios); i++) {
		const struct ratio *q = &ratios[i];

		json_object_begin(&j);
		json_kv_string(&j, "name", q->name);
		json_kv_string(&j, "a", q->a);
		json_kv_string(&j, "b", q->b);
		if (q->have)
			json_kv_double(&j, "value", q->value);
		else
			json_kv_string(&j, "value", NULL);
		json_kv_string(&j, "goal", q->goal_text);
		if (q->goal_text && q->have)
			json_kv_bool(&j, "pass", q->pass);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	buf_addch(&b, '\n');
	if (!json_ok(&j) || buf_failed(&b)) {
		buf_release(&b);
		return RF_ETOOBIG;
	}
	f = fopen(path, "w");
	if (!f || fwrite(b.data, 1, b.len, f) != b.len)
		err = RF_EIO;
	if (f && fclose(f) != 0)
		err = RF_EIO;
	buf_release(&b);
	return err;
}

/* ---- child modes: one cold compile in a fresh process ---- */

/* Prints "cpu wall" seconds of compiling path (or the quick rules). */
static int
child_compile(const char *path)
{
	const char *paths[] = { path, NULL };
	double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	double w0 = clock_s(CLOCK_MONOTONIC);
	struct ruleset *rs = strcmp(path, "-quick") == 0 ?
		rules_compile(NULL, quick_rules) : rules_compile(paths, NULL);
	double c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	double w = clock_s(CLOCK_MONOTONIC) - w0;

	if (!rs)
		return 3;
	printf("%.9f %.9f %zu\n", c, w, ruleset_count(rs));
	ruleset_free(rs);
	return 0;
}

static int
child_hs_compile(const char *path)
{
#ifdef HAVE_HS
	struct buf text;
	struct hsdb h;
	char err[256];
	double c0, w0, c, w;

	buf_init(&text, 0);
	if (strcmp(path, "-quick") == 0)
		buf_addstr(&text, quick_hs);
	else if (file_read(path, (size_t)64 << 20, &text) != RF_OK)
		return 4;
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	w0 = clock_s(CLOCK_MONOTONIC);
	if (!hsdb_compile(text.data, true, &h, err, sizeof(err))) {
		fprintf(stderr, "bench-scan: vectorscan: %s\n", err);
		return 3;
	}
	c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	w = clock_s(CLOCK_MONOTONIC) - w0;
	printf("%.9f %.9f %zu\n", c, w, h.n);
	hsdb_release(&h);
	buf_release(&text);
	return 0;
#else
	return 4;
#endif
}

/* ---- main ---- */

struct opts {
	const char *corpus_dir;
	const char *gen_dir;	/* gen.rules, words.txt, hs.txt */
	const char *packs;
	const char *redflag;
	const char *rg;
	const char *json;
	size_t runs;
	double budget;
	bool quick;
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: bench-scan [--corpus DIR] [--gen DIR] [--packs DIR] "
		"[--redflag PATH]\n"
		"                  [--rg PATH] [--runs N] [--budget SEC] "
		"[--only SECTIONS]\n"
		"                  [--json FILE] [--quick]\n\n"
		"Measures redflag's matcher, HTML path, directory scan and "
		"rule compilation\nagainst baselines on one corpus "
		"(docs/performance.md).\n\n"
		"  --corpus DIR    from bench/gen-corpus: corpus.txt, "
		"corpus.html, txt/\n"
		"  --gen DIR       from bench/gen-rules: gen.rules, words.txt, "
		"hs.txt\n"
		"  --packs DIR     the shipped packs (rules/packs)\n"
		"  --redflag PATH  the redflag program, for the directory "
		"scan\n"
		"  --rg PATH       ripgrep (default: rg); '' to skip\n"
		"  --runs N        measured rounds (default 5)\n"
		"  --budget SEC    CPU seconds per in-process run (default "
		"0.3)\n"
		"  --only LIST     sections (compile, match, html, dir) or "
		"method ids,\n"
		"                  comma-separated\n"
		"  --json FILE     write the results as JSON too\n"
		"  --quick         a few built-in documents, one round: a "
		"smoke test\n");
}

static char *
path_join(const char *dir, const char *name)
{
	struct buf b;

	buf_init(&b, 0);
	buf_addf(&b, "%s/%s", dir, name);
	return buf_detach(&b, NULL);
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static size_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}


/* ---- the lynx baseline ---- */

/*
 * lynx -dump: a text browser's rendering of the same pages, as a whole
 * process over corpus.html (one file holding the pages one after another),
 * the way rg-file reads corpus.txt. Skipped, with a note, when lynx is
 * absent or there is no corpus file (--quick).
 */
static void
lynx_method(const char *corpus_html, size_t ndocs)
{
	struct method *me = method_add("lynx", "lynx -dump -force_html "
				       "-nolist corpus.html, whole process",
				       SEC_HTML);
	char **probe;
	struct child ch;

	if (me->off)
		return;
	if (!corpus_html) {
		me->failed = true;
		snprintf(me->note, sizeof(me->note), "no corpus file "
			 "(--quick)");
		return;
	}
	probe = argv_of("lynx", "-version", NULL);
	if (child_run(probe, NULL, &ch) != RF_OK || ch.status != 0) {
		me->failed = true;
		snprintf(me->note, sizeof(me->note), "lynx not found "
			 "(scripts/install-deps --bench)");
	} else {
		me->argv = argv_of("lynx", "-dump", "-force_html", "-nolist",
				   "-assume_charset=utf-8",
				   "-display_charset=utf-8", corpus_html, NULL);
		me->child_bytes = file_size(corpus_html);
		me->child_docs = ndocs;
	}
	argv_free(probe);
}

/* Whether the prefiltered and the naive matcher agree on every one of
 * the first n documents: the benchmark must compare equal work. */
static bool
check_agreement(struct matcher *fast, struct matcher *naive,
		const struct corpus *c, size_t n, size_t *differ)
{
	struct scan_result a, b;
	struct scan_input in;
	size_t i, j;

	*differ = 0;
	scan_result_init(&a);
	scan_result_init(&b);
	memset(&in, 0, sizeof(in));
	for (i = 0; i < n && i < c->n; i++) {
		in.text[FIELD_BODY] = c->docs[i].p;
		in.len[FIELD_BODY] = c->docs[i].len;
		matcher_scan(fast, &in, &a);
		matcher_scan(naive, &in, &b);
		if (a.nfired != b.nfired || a.score != b.score) {
			(*differ)++;
			continue;
		}
		for (j = 0; j < a.nfired; j++)
			if (a.fired[j] != b.fired[j]) {
				(*differ)++;
				break;
			}
	}
	scan_result_release(&a);
	scan_result_release(&b);
	return *differ == 0;
}

/* Per document: rules the prefilter let through, rules fired, and the
 * share of the matcher's time spent verifying, from a profiled pass. */
static void
profile_note(struct method *me, const struct ruleset *rs)
{
	struct matcher *m = matcher_new(rs);
	struct scan_result res;
	struct scan_input in;
	struct rule_profile p;
	uint64_t cand = 0, fired = 0, ns = 0;
	size_t i, n = me->ndocs, unf = 0;
	double t0, t;

	matcher_set_profile(m, true);
	scan_result_init(&res);
	memset(&in, 0, sizeof(in));
	t0 = clock_s(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		in.text[FIELD_BODY] = me->corpus->docs[i].p;
		in.len[FIELD_BODY] = me->corpus->docs[i].len;
		matcher_scan(m, &in, &res);
	}
	t = clock_s(CLOCK_MONOTONIC) - t0;
	for (i = 0; i < ruleset_count(rs); i++) {
		matcher_profile(m, i, &p);
		cand += p.candidates;
		fired += p.fired;
		ns += p.ns;
		unf += ruleset_rule_unfiltered(rs, i);
	}
	snprintf(me->note, sizeof(me->note),
		 "%zu rules (%zu unfiltered); per listing %.1f verified, "
		 "%.2f fired; verifying %.0f%% of time", ruleset_count(rs), unf,
		 (double)cand / (double)n, (double)fired / (double)n,
		 t > 0 ? 100.0 * (double)ns / 1e9 / t : 0.0);
	scan_result_release(&res);
	matcher_free(m);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "corpus", required_argument, NULL, 'c' },
		{ "gen", required_argument, NULL, 'g' },
		{ "packs", required_argument, NULL, 'p' },
		{ "redflag", required_argument, NULL, 'R' },
		{ "rg", required_argument, NULL, 'G' },
		{ "runs", required_argument, NULL, 'n' },
		{ "budget", required_argument, NULL, 'b' },
		{ "only", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, 'j' },
		{ "quick", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "child-compile", required_argument, NULL, 'C' },
		{ "child-hs-compile", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .rg = "rg", .runs = 5, .budget = 0.3 };
	struct corpus text = { 0 }, html = { 0 };
	struct ruleset *rs_packs = NULL, *rs_gen = NULL;
	struct machine mc;
	struct buf desc, notes, hs_text;
	char *self = NULL, *gen_rules = NULL, *words = NULL, *hs_path = NULL;
	char *corpus_txt = NULL, *corpus_html = NULL, *txt_dir = NULL;
	const char *packs_v[2] = { NULL, NULL };
	const char *gen_v[2] = { NULL, NULL };
	long long ll;
	double d;
	int c, code = 0;
	size_t i, differ;
	struct method *me;
#ifdef HAVE_HS
	struct hsdb hs;
	char hserr[256];
	bool have_hs = false;
	struct hsdb hs_fold;
	bool have_hs_fold = false;
#endif

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.corpus_dir = optarg; break;
		case 'g': o.gen_dir = optarg; break;
		case 'p': o.packs = optarg; break;
		case 'R': o.redflag = optarg; break;
		case 'G': o.rg = *optarg ? optarg : NULL; break;
		case 'o': only = optarg; break;
		case 'j': o.json = optarg; break;
		case 'q': o.quick = true; break;
		case 'v': verbose = true; break;
		case 'C': return child_compile(optarg);
		case 'H': return child_hs_compile(optarg);
		case 'n':
			if (parse_int(optarg, 1, MAX_RUNS - 1, &ll) != RF_OK) {
				fprintf(stderr, "bench-scan: --runs: 1 to %d\n",
					MAX_RUNS - 1);
				return 2;
			}
			o.runs = (size_t)ll;
			break;
		case 'b':
			if (parse_double(optarg, 60, &d) != RF_OK || d <= 0) {
				fprintf(stderr, "bench-scan: --budget: "
					"seconds, up to 60\n");
				return 2;
			}
			o.budget = d;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (!o.quick && !o.corpus_dir)) {
		usage(stderr);
		return 2;
	}
	spawner_start();
	xmlInitParser();
	self = xstrdup(exists("/proc/self/exe") ? "/proc/self/exe" : argv[0]);
	buf_init(&desc, 0);
	buf_init(&notes, 0);
	buf_init(&hs_text, 0);
	if (o.quick) {
		o.runs = 1;
		o.budget = 0.002;
		warm_up = false;
		quick_corpus(40, &text, &html);
		buf_addf(&desc, "corpus: --quick: %zu built-in listings "
			 "(%zu bytes)", text.n, text.bytes);
		buf_addstr(&hs_text, quick_hs);
		if (!o.packs)
			o.packs = RF_SRCDIR "/rules/packs";
	} else {
		corpus_txt = path_join(o.corpus_dir, "corpus.txt");
		corpus_html = path_join(o.corpus_dir, "corpus.html");
		txt_dir = path_join(o.corpus_dir, "txt");
		if (corpus_load(&text, corpus_txt) != RF_OK ||
		    corpus_load(&html, corpus_html) != RF_OK) {
			fprintf(stderr, "bench-scan: cannot read '%s' and "
				"'%s' (make them with bench/gen-corpus)\n",
				corpus_txt, corpus_html);
			code = 4;
			goto out;
		}
		buf_addf(&desc, "corpus: %zu listings, %.1f MB text "
			 "(mean %zu B), %.1f MB HTML, from %s", text.n,
			 text.bytes / 1e6, text.bytes / text.n,
			 html.bytes / 1e6, o.corpus_dir);
		if (o.gen_dir) {
			gen_rules = path_join(o.gen_dir, "gen.rules");
			words = path_join(o.gen_dir, "words.txt");
			hs_path = path_join(o.gen_dir, "hs.txt");
			if (file_read(hs_path, (size_t)64 << 20, &hs_text) !=
			    RF_OK)
				buf_reset(&hs_text);
		}
	}
	machine_read(&mc, o.rg);

	/* rules */
	packs_v[0] = o.packs;
	gen_v[0] = gen_rules;
	if (o.packs && !(rs_packs = rules_compile(packs_v, NULL))) {
		code = 3;
		goto out;
	}
	if ((gen_rules || o.quick) &&
	    !(rs_gen = rules_compile(gen_v, o.quick ? quick_rules : NULL))) {
		code = 3;
		goto out;
	}

	buf_addf(&desc, "; rules: shipped packs %zu, generated pack %zu",
		 rs_packs ? ruleset_count(rs_packs) : 0,
		 rs_gen ? ruleset_count(rs_gen) : 0);

	/* compile: a fresh process for each cold compile */
	{
		me = method_add("cc-packs", "compile the shipped packs, cold",
				SEC_COMPILE);
		if (o.packs) {
			me->argv = argv_of(self, "--child-compile", o.packs,
					   NULL);
			me->child_reports = true;
		} else {
			me->failed = true;
		}
		me = method_add("cc-gen", "compile the generated pack, cold",
				SEC_COMPILE);
		me->argv = argv_of(self, "--child-compile",
				   o.quick ? "-quick" : gen_rules, NULL);
		me->child_reports = true;
		me->failed = !o.quick && !gen_rules;
		me = method_add("cc-hs", "Vectorscan: compile the same "
				"patterns as one database, cold", SEC_COMPILE);
		me->argv = argv_of(self, "--child-hs-compile",
				   o.quick ? "-quick" : hs_path, NULL);
		me->child_reports = true;
#ifdef HAVE_HS
		me->failed = !hs_text.len;
#else
		me->failed = true;
		snprintf(me->note, sizeof(me->note),
			 "built without Vectorscan");
#endif
		section_run(SEC_COMPILE, o.runs);
	}

	/* match-only over the text listings */
	{
		if (rs_gen) {
			me = method_add("rf-gen", "matcher, generated pack, "
					"prefilter on", SEC_MATCH);
			me->run = run_matcher;
			me->corpus = &text;
			me->m = matcher_new(rs_gen);
			me = method_add("naive-gen", "matcher, generated pack, "
					"prefilter off (naive loop)",
					SEC_MATCH);
			me->run = run_matcher;
			me->corpus = &text;
			me->m = matcher_new(rs_gen);
			matcher_set_prefilter(me->m, false);
		}
		if (rs_packs) {
			me = method_add("rf-packs", "matcher, shipped packs, "
					"prefilter on", SEC_MATCH);
			me->run = run_matcher;
			me->corpus = &text;
			me->m = matcher_new(rs_packs);
			me = method_add("pf-packs", "matcher, shipped packs, "
					"folding and prefilter only",
					SEC_MATCH);
			me->run = run_prefilter;
			me->corpus = &text;
			me->m = matcher_new(rs_packs);
			me = method_add("naive-packs", "matcher, shipped "
					"packs, prefilter off", SEC_MATCH);
			me->run = run_matcher;
			me->corpus = &text;
			me->m = matcher_new(rs_packs);
			matcher_set_prefilter(me->m, false);
		}
		me = method_add("hs-gen", "Vectorscan, the same patterns, one "
				"database", SEC_MATCH);
#ifdef HAVE_HS
		if (hs_text.len && !me->off) {
			have_hs = hsdb_compile(hs_text.data, true, &hs, hserr,
					       sizeof(hserr));
			if (!have_hs)
				snprintf(me->note, sizeof(me->note),
					 "vectorscan: %.120s", hserr);
		}
		me->run = run_hs;
		me->corpus = &text;
		me->hs = &hs;
		me->failed = !have_hs;
#else
		me->failed = true;
		snprintf(me->note, sizeof(me->note),
			 "built without Vectorscan");
#endif
		me = method_add("hs-fold", "Vectorscan, case-sensitive "
				"database over a lower-cased copy (folding "
				"timed)", SEC_MATCH);
#ifdef HAVE_HS
		if (hs_text.len && !me->off) {
			have_hs_fold = hsdb_compile(hs_text.data, false,
						    &hs_fold, hserr,
						    sizeof(hserr));
			if (!have_hs_fold)
				snprintf(me->note, sizeof(me->note),
					 "vectorscan: %.120s", hserr);
		}
		me->run = run_hs_fold;
		me->corpus = &text;
		me->hs = &hs_fold;
		me->failed = !have_hs_fold;
#else
		me->failed = true;
		snprintf(me->note, sizeof(me->note),
			 "built without Vectorscan");
#endif
		me = method_add("memchr", "memchr over the same bytes (floor)",
				SEC_MATCH);
		me->run = run_memchr;
		me->corpus = &text;
		me = method_add("rg-file", "rg -i -c -f WORDS corpus.txt, "
				"whole process", SEC_MATCH);
		if (o.rg && words && !o.quick && mc.rg[0]) {
			me->argv = argv_of(o.rg, "-i", "-c", "-f", words,
					   corpus_txt, NULL);
			me->child_bytes = file_size(corpus_txt);
			me->child_docs = text.n;
		} else {
			me->failed = true;
			snprintf(me->note, sizeof(me->note), "%s",
				 !mc.rg[0] ? "ripgrep not found" :
				 "no word list");
		}
		for (i = 0; i < nmethods; i++)
			if (methods[i].sec == SEC_MATCH && methods[i].run &&
			    !methods[i].failed && !methods[i].off)
				method_calibrate(&methods[i], o.budget,
						 o.quick ? 8 : 256);
		for (i = 0; i < nmethods; i++)
			if (methods[i].off)
				continue;
			else if (strcmp(methods[i].id, "rf-gen") == 0)
				profile_note(&methods[i], rs_gen);
			else if (strcmp(methods[i].id, "rf-packs") == 0)
				profile_note(&methods[i], rs_packs);
		section_run(SEC_MATCH, o.runs);
	}

	/* the HTML path */
	{
		me = method_add("libxml2", "libxml2 htmlReadMemory alone, same "
				"options", SEC_HTML);
		me->run = run_libxml2;
		me->corpus = &html;
		me = method_add("libxml2-sax", "libxml2 HTML parser, empty "
				"SAX callbacks, no tree", SEC_HTML);
		me->run = run_libxml2_sax;
		me->corpus = &html;
		me = method_add("extract", "redflag extraction alone",
				SEC_HTML);
		me->run = run_pages;
		me->corpus = &html;
		if (rs_packs) {
			me = method_add("e2e-packs", "extract + match + score, "
					"shipped packs", SEC_HTML);
			me->run = run_pages;
			me->corpus = &html;
			me->m = matcher_new(rs_packs);
		}
		if (rs_gen) {
			me = method_add("e2e-gen", "extract + match + score, "
					"generated pack", SEC_HTML);
			me->run = run_pages;
			me->corpus = &html;
			me->m = matcher_new(rs_gen);
		}
		for (i = 0; i < nmethods; i++)
			if (methods[i].sec == SEC_HTML && !methods[i].failed &&
			    !methods[i].off)
				method_calibrate(&methods[i], o.budget, 64);
		lynx_method(o.quick ? NULL : corpus_html, html.n);
		section_run(SEC_HTML, o.runs);
	}

	/* whole processes over the directory of listings */
	if (!o.quick) {
		me = method_add("scan-packs", "redflag scan -q -r PACKS DIR, "
				"whole process", SEC_DIR);
		if (o.redflag && o.packs)
			me->argv = argv_of(o.redflag, "scan", "-q", "-r",
					   o.packs, txt_dir, NULL);
		else
			me->failed = true;
		me->child_bytes = text.bytes;
		me->child_docs = text.n;
		me = method_add("scan-gen", "redflag scan -q -r GEN DIR, "
				"whole process", SEC_DIR);
		if (o.redflag && gen_rules)
			me->argv = argv_of(o.redflag, "scan", "-q", "-r",
					   gen_rules, txt_dir, NULL);
		else
			me->failed = true;
		me->child_bytes = text.bytes;
		me->child_docs = text.n;
		me = method_add("rg-dir", "rg -c -i -f WORDS DIR, whole "
				"process", SEC_DIR);
		if (o.rg && words && mc.rg[0])
			me->argv = argv_of(o.rg, "-c", "-i", "-f", words,
					   txt_dir, NULL);
		else
			me->failed = true;
		me->child_bytes = text.bytes;
		me->child_docs = text.n;
		section_run(SEC_DIR, o.runs);
	}

	/* the benchmark compares equal work, or says it does not */
	if (rs_gen) {
		struct matcher *a = matcher_new(rs_gen);
		struct matcher *b = matcher_new(rs_gen);
		size_t n = text.n < 200 ? text.n : 200;

		matcher_set_prefilter(b, false);
		if (!check_agreement(a, b, &text, n, &differ)) {
			buf_addf(&notes, "prefilter and naive loop DISAGREE on "
				 "%zu of the first %zu listings; ", differ, n);
			code = 1;
		} else {
			buf_addf(&notes, "prefilter and naive loop agree on "
				 "the first %zu listings; ", n);
		}
		matcher_free(a);
		matcher_free(b);
	}
#ifdef HAVE_HS
	if (rs_gen && have_hs_fold) {
		/* the same rules fire, or the comparison is unfair */
		struct matcher *a = matcher_new(rs_gen);
		struct scan_result res;
		struct scan_input in;
		uint64_t hits;
		size_t n = text.n < 200 ? text.n : 200;

		scan_result_init(&res);
		memset(&in, 0, sizeof(in));
		differ = 0;
		for (i = 0; i < n; i++) {
			in.text[FIELD_BODY] = text.docs[i].p;
			in.len[FIELD_BODY] = text.docs[i].len;
			matcher_scan(a, &in, &res);
			hits = 0;
			hs_fold_scan(&hs_fold, text.docs[i].p,
				     text.docs[i].len, &hits);
			differ += hits != res.nfired;
		}
		buf_addf(&notes, "Vectorscan fires as many rules as the "
			 "matcher on %zu of the first %zu listings; ",
			 n - differ, n);
		scan_result_release(&res);
		matcher_free(a);
	}
#endif
	for (i = 0; i < RF_ARRAY_SIZE(ratios); i++)
		ratio_compute(&ratios[i]);
	print_table(&mc, desc.data, o.runs);
	if (notes.len)
		printf("\n%s\n", notes.data);
	for (i = 0; i < nmethods; i++)
		if (methods[i].failed && methods[i].argv &&
		    methods[i].ns == 0 && methods[i].status > 1)
			code = code ? code : 1;
	if (o.json && write_json(o.json, &mc, desc.data, o.runs, notes.data) !=
	    RF_OK) {
		fprintf(stderr, "bench-scan: cannot write '%s'\n", o.json);
		code = 4;
	}
out:
	for (i = 0; i < nmethods; i++) {
		matcher_free(methods[i].m);
		scan_result_release(&methods[i].res);
		argv_free(methods[i].argv);
	}
#ifdef HAVE_HS
	if (have_hs)
		hsdb_release(&hs);
	if (have_hs_fold)
		hsdb_release(&hs_fold);
#endif
	ruleset_free(rs_packs);
	ruleset_free(rs_gen);
	corpus_release(&text);
	corpus_release(&html);
	buf_release(&desc);
	buf_release(&notes);
	buf_release(&hs_text);
	free(self);
	free(gen_rules);
	free(words);
	free(hs_path);
	free(corpus_txt);
	free(corpus_html);
	free(txt_dir);
	xmlCleanupParser();
	spawner_stop();
	return code;
}
