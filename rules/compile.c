/* compile.c: from parsed rules to an immutable ruleset of PCRE2 programs. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "text/text.h"
#include "common/banned.h"

void
rules_diag(struct rules_compiler *c, enum diag_severity sev, const char *file,
	   int line, int col, const char *source_line, const char *code,
	   const char *fmt, ...)
{
	struct rule_diag d;
	struct buf msg;
	va_list ap;

	if (sev == DIAG_ERROR)
		c->errors++;
	else
		c->warnings++;
	if (!c->opts.diag && !c->record)
		return;
	buf_init(&msg, 8192);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	d.severity = sev;
	d.file = file;
	d.line = line;
	d.col = col;
	d.code = code;
	d.message = msg.data;
	d.source_line = source_line;
	if (c->record)
		cache_note_diag(c, &d);
	if (c->opts.diag)
		c->opts.diag(&d, c->opts.diag_arg);
	buf_release(&msg);
}

struct rules_compiler *
rules_compiler_new(const struct rules_options *opts)
{
	struct rules_compiler *c = xcalloc(1, sizeof(*c));

	if (opts)
		c->opts = *opts;
	return c;
}

void
rules_compiler_free(struct rules_compiler *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nrules; i++)
		rule_free(c->rules[i]);
	free(c->rules);
	lemma_cache_release(c);
	cache_record_release(c);
	free(c);
}

size_t
rules_compiler_errors(const struct rules_compiler *c)
{
	return c->errors;
}

size_t
rules_compiler_warnings(const struct rules_compiler *c)
{
	return c->warnings;
}

void
cond_free(struct cond *n)
{
	if (!n)
		return;
	cond_free(n->a);
	cond_free(n->b);
	free(n->set);
	free(n);
}

void
rule_free(struct rule *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->npats; i++) {
		free(r->pats[i].name);
		free(r->pats[i].text);
		free(r->pats[i].source_line);
		pcre2_code_free(r->pats[i].code);
		pcre2_code_free(r->pats[i].acode);
		free(r->pats[i].re);
		atom_set_release(&r->pats[i].atoms);
		atom_set_release(&r->pats[i].atoms2);
		atom_set_release(&r->pats[i].pre);
	}
	free(r->pats);
	for (i = 0; i < r->nex; i++)
		free(r->ex[i].text);
	free(r->ex);
	cond_free(r->cond);
	free(r->id);
	free(r->title);
	free(r->indicator);
	free(r->lang);
	free(r->references);
	free(r->falsepositives);
	free(r->file);
	free(r);
}

void
rule_source_release(struct rule_source *src)
{
	size_t i;

	for (i = 0; i < src->nclasses; i++) {
		free(src->classes[i].name);
		free(src->classes[i].regex);
	}
	free(src->classes);
	free(src->lang);
	src->classes = NULL;
	src->nclasses = src->aclasses = 0;
	src->lang = NULL;
}

static void
rule_source_copy(struct rule_source *dst, const struct rule_source *from)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	if (!from)
		return;
	dst->lang = from->lang ? xstrdup(from->lang) : NULL;
	for (i = 0; i < from->nclasses; i++) {
		ALLOC_GROW(dst->classes, dst->nclasses + 1, dst->aclasses);
		dst->classes[dst->nclasses].name =
			xstrdup(from->classes[i].name);
		dst->classes[dst->nclasses].regex =
			xstrdup(from->classes[i].regex);
		dst->nclasses++;
	}
}

/* ---- building a pattern's regex ---- */

static const struct rclass *
find_class(const struct rule_source *src, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < src->nclasses; i++)
		if (strlen(src->classes[i].name) == len &&
		    memcmp(src->classes[i].name, name, len) == 0)
			return &src->classes[i];
	return NULL;
}

/* Appends s to out, recording for each byte that it came from src_off. */
static void
emit(struct buf *out, size_t **map, size_t *amap, const char *s, size_t n,
     size_t src_off)
{
	size_t i, at = out->len;

	buf_add(out, s, n);
	ALLOC_GROW(*map, at + n + 1, *amap);
	for (i = 0; i <= n; i++)
		(*map)[at + i] = src_off;
}

/* Length of a class reference "<name>" at s, or 0. */
static size_t
class_ref(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 3 || s[0] != '<')
		return 0;
	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= 'A' && s[i] <= 'Z') ||
			   (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
			   (unsigned char)s[i] >= 0x80))
		i++;
	return i > 1 && i < len && s[i] == '>' ? i + 1 : 0;
}

/*
 * Writes the PCRE2 source for pat into out, with map[i] the offset in
 * pat->text that output byte i came from. Returns false after reporting
 * an error.
 */
static bool
build_regex(struct rules_compiler *c, struct rule *r, struct pattern *pat,
	    const struct rule_source *src, struct buf *out, size_t **map,
	    size_t *amap)
{
	const char *t = pat->text;
	size_t len = strlen(t), i = 0, n;
	static const char word_before[] = "(?<![\\p{L}\\p{N}_])";
	static const char word_after[] = "(?![\\p{L}\\p{N}_])";

	if (pat->mods & (PAT_WORD | PAT_PREFIX))
		emit(out, map, amap, word_before, sizeof(word_before) - 1, 0);
	emit(out, map, amap, "(?:", 3, 0);
	while (i < len) {
		const struct rclass *k;

		/*
		 * "(?<name>" and "\\k<name>" are PCRE2 group names, not
		 * classes; "(...)?<о>" is an optional group before one.
		 */
		n = class_ref(t + i, len - i);
		if (n && (k = find_class(src, t + i + 1, n - 2)) &&
		    !(pat->kind == PAT_REGEX && i > 1 &&
		      ((t[i - 2] == '(' && t[i - 1] == '?') ||
		       (t[i - 2] == '\\' && t[i - 1] == 'k')))) {
			emit(out, map, amap, "(?:", 3, i);
			emit(out, map, amap, k->regex, strlen(k->regex), i);
			emit(out, map, amap, ")", 1, i);
			i += n;
			continue;
		}
		if (pat->kind == PAT_REGEX) {
			emit(out, map, amap, t + i, 1, i);
			i++;
			continue;
		}
		/* literal */
		if (n) {
			rules_diag(c, DIAG_ERROR, r->file, pat->line,
				   pat->col + (int)i, pat->source_line, "E134",
				   "unknown class '%.*s' (define it with "
				   "'class %.*s = /.../', or write \\< for a "
				   "plain '<')", (int)n, t + i, (int)(n - 2),
				   t + i + 1);
			return false;
		}
		if (t[i] == '\\' && i + 1 < len && t[i + 1] == '<') {
			emit(out, map, amap, "<", 1, i);
			i += 2;
			continue;
		}
		if (strchr("\\^$.|?*+()[]{}", t[i]))
			emit(out, map, amap, "\\", 1, i);
		else if (t[i] == ' ') {
			/* a space in a literal matches any run of spaces */
			emit(out, map, amap, "\\s+", 3, i);
			i++;
			continue;
		}
		emit(out, map, amap, t + i, 1, i);
		i++;
	}
	emit(out, map, amap, ")", 1, len);
	if (pat->mods & PAT_WORD)
		emit(out, map, amap, word_after, sizeof(word_after) - 1, len);
	return !buf_failed(out);
}

/*
 * Rules see the folded view (lower case, ё as е, compatibility forms and
 * accents folded), so their literals are folded the same way; regexes
 * only have ё replaced, since folding would change escapes such as \W.
 */
static bool
fold_pattern_text(struct pattern *pat)
{
	char *p;

	if (pat->kind == PAT_LITERAL) {
		struct fold f;
		bool ok;

		fold_init(&f);
		ok = text_fold(&f, pat->text, strlen(pat->text),
			       TEXT_FOLD_CASE | TEXT_FOLD_YO | TEXT_FOLD_COMPAT |
			       TEXT_FOLD_INVISIBLE | TEXT_FOLD_ACCENTS) == RF_OK;
		if (ok) {
			free(pat->text);
			pat->text = xmemdupz(f.view.data, f.view.len);
		}
		fold_release(&f);
		return ok;
	}
	for (p = pat->text; (p = strstr(p, "ё")); p += 2)
		memcpy(p, "е", 2);
	for (p = pat->text; (p = strstr(p, "Ё")); p += 2)
		memcpy(p, "Е", 2);
	return true;
}

/* A lemma's forms as a whole-word alternation, folded like literals. */
static bool
lemma_regex(struct rules_compiler *c, struct rule *r, struct pattern *pat,
	    struct buf *out, size_t **map, size_t *amap)
{
	static const char before[] = "(?<![\\p{L}\\p{N}_])(?:";
	static const char after[] = ")(?![\\p{L}\\p{N}_])";
	const struct lemma_entry *e = lemma_lookup(c, r, pat);
	struct fold f;
	size_t i;
	const char *q;

	if (!e)
		return false;
	fold_init(&f);
	emit(out, map, amap, before, sizeof(before) - 1, 0);
	for (i = 0; i < e->nforms; i++) {
		const char *form = e->forms[i];

		if (r->view != VIEW_RAW &&
		    text_fold(&f, form, strlen(form), TEXT_FOLD_CASE |
			      TEXT_FOLD_YO | TEXT_FOLD_COMPAT |
			      TEXT_FOLD_INVISIBLE | TEXT_FOLD_ACCENTS) ==
			    RF_OK)
			form = f.view.data;
		if (i)
			emit(out, map, amap, "|", 1, 0);
		for (q = form; *q; q++) {
			if (strchr("\\^$.|?*+()[]{} ", *q))
				emit(out, map, amap, "\\", 1, 0);
			emit(out, map, amap, q, 1, 0);
		}
	}
	emit(out, map, amap, after, sizeof(after) - 1, 0);
	fold_release(&f);
	return !buf_failed(out);
}

static int
text_col(const struct pattern *pat, size_t off)
{
	int col = pat->col;
	size_t i;

	for (i = 0; i < off && pat->text[i]; i++)
		if (((unsigned char)pat->text[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/*
 * A pattern of a rule compiled before whose PCRE2 source is re, read
 * without the x flag, or NULL. /<WARN>/ stands in fifty rules: its atoms
 * are worked out once.
 */
static const struct pattern *
same_regex(const struct rules_compiler *c, const char *re, size_t len)
{
	size_t i, j;

	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = c->rules[i];

		for (j = 0; j < r->npats; j++) {
			const struct pattern *p = &r->pats[j];

			if (p->re && p->re_len == len &&
			    !(p->mods & PAT_EXTENDED) &&
			    memcmp(p->re, re, len) == 0)
				return p;
		}
	}
	return NULL;
}

static bool
compile_pattern(struct rules_compiler *c, struct rule *r, struct pattern *pat,
		const struct rule_source *src)
{
	struct buf re;
	size_t *map = NULL, amap = 0;
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
			PCRE2_NO_UTF_CHECK;
	bool ok = false;

	buf_init(&re, RF_RULEFILE_MAX_BYTES);
	if (pat->kind == PAT_LEMMA) {
		if (!lemma_regex(c, r, pat, &re, &map, &amap))
			goto out;
		goto compile;
	}
	if (r->view != VIEW_RAW && !fold_pattern_text(pat)) {
		rules_diag(c, DIAG_ERROR, r->file, pat->line, pat->col,
			   pat->source_line, "E132", "in pattern '$%s': cannot "
			   "fold the literal", pat->name);
		goto out;
	}
	if (!build_regex(c, r, pat, src, &re, &map, &amap))
		goto out;
compile:
	if (pat->mods & PAT_CASE) {
		if (r->view != VIEW_RAW) {
			rules_diag(c, DIAG_ERROR, r->file, pat->line, pat->col,
				   pat->source_line, "E133", "the 'case' "
				   "modifier of '$%s' needs 'view = raw' in the "
				   "rule's meta: the folded view is lower case",
				   pat->name);
			goto out;
		}
		opts &= ~(uint32_t)PCRE2_CASELESS;
	}
	if (pat->mods & PAT_DOTALL)
		opts |= PCRE2_DOTALL;
	if (pat->mods & PAT_EXTENDED)
		opts |= PCRE2_EXTENDED;
	pat->code = pcre2_compile((PCRE2_SPTR)re.data, re.len, opts, &errcode,
				  &erroff, NULL);
	if (!pat->code) {
		PCRE2_UCHAR msg[256];
		size_t src_off = erroff < re.len ? map[erroff]
						 : strlen(pat->text);

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		rules_diag(c, DIAG_ERROR, r->file, pat->line,
			   text_col(pat, src_off), pat->source_line, "E132",
			   "in pattern '$%s': %s", pat->name, (char *)msg);
		goto out;
	}
	/* JIT-compiled on first use (pattern_code) */
	pat->re = xmemdupz(re.data, re.len);
	pat->re_len = re.len;
	pat->re_opts = opts;
	pat->pidx = PIDX_NONE;
	pat->sidx = PIDX_NONE;
	if (!(pat->mods & PAT_EXTENDED)) {
		const struct pattern *same = same_regex(c, re.data, re.len);

		if (same) {
			atom_set_copy(&pat->atoms, &same->atoms);
			atom_set_copy(&pat->atoms2, &same->atoms2);
			atom_set_copy(&pat->pre, &same->pre);
		} else {
			atoms_extract(re.data, re.len, &pat->atoms,
				      &pat->atoms2);
			atoms_prefix(re.data, re.len, &pat->pre);
		}
		pat->rank = (uint8_t)atom_set_rank(&pat->atoms);
		pat->rank2 = (uint8_t)atom_set_rank(&pat->atoms2);
	}
	ok = true;
out:
	free(map);
	buf_release(&re);
	return ok;
}

/*
 * The program in *code, made ready once under the ruleset's lock: pat's
 * source compiled with its options and extra (unless the compiler left
 * it compiled), then JIT-compiled. *state (enum code_state) is read and
 * written atomically, so the lock is taken only until it is ready.
 */
static pcre2_code *
code_ready(const struct ruleset *rs, const struct pattern *pat,
	   pcre2_code **code, int *state_p, uint32_t extra, bool *jit)
{
	int state = __atomic_load_n(state_p, __ATOMIC_ACQUIRE);
	int errcode;
	PCRE2_SIZE erroff;

	*jit = state == CODE_READY_JIT;
	if (state == CODE_READY || state == CODE_READY_JIT)
		return *code;
	if (state == CODE_FAILED)
		return NULL;
	pthread_mutex_lock(rs->code_lock);
	state = __atomic_load_n(state_p, __ATOMIC_RELAXED);
	if (state == CODE_NONE) {
		if (!*code && pat->re)
			*code = pcre2_compile((PCRE2_SPTR)pat->re,
					      pat->re_len,
					      pat->re_opts | extra,
					      &errcode, &erroff, NULL);
		/* JIT is an optimisation: without it the interpreter
		 * still works */
		if (!*code)
			state = CODE_FAILED;
		else if (pcre2_jit_compile(*code, PCRE2_JIT_COMPLETE) == 0)
			state = CODE_READY_JIT;
		else
			state = CODE_READY;
		/* release: a thread that sees READY sees the JIT code */
		__atomic_store_n(state_p, state, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(rs->code_lock);
	*jit = state == CODE_READY_JIT;
	return state == CODE_FAILED ? NULL : *code;
}

pcre2_code *
pattern_code(const struct ruleset *rs, struct pattern *pat, bool *jit)
{
	return code_ready(rs, pat, &pat->code, &pat->code_state, 0, jit);
}

pcre2_code *
pattern_anchored_code(const struct ruleset *rs, struct pattern *pat,
		      bool *jit)
{
	/* JIT ignores PCRE2_ANCHORED given to pcre2_match(): the anchored
	 * program is a second compile */
	return code_ready(rs, pat, &pat->acode, &pat->acode_state,
			  PCRE2_ANCHORED, jit);
}

/* Whether a compiled pattern matches the empty string. */
static bool
matches_empty(pcre2_code *code)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);

	pcre2_match_data_free(md);
	return rc >= 0;
}

enum rf_err
rule_compile(struct rules_compiler *c, struct rule *r,
	     const struct rule_source *src)
{
	size_t i;
	bool ok = true;

	for (i = 0; i < r->npats; i++) {
		struct pattern *pat = &r->pats[i];

		if (!compile_pattern(c, r, pat, src)) {
			ok = false;
			continue;
		}
		if (c->opts.lint && matches_empty(pat->code))
			rules_diag(c, DIAG_WARNING, r->file, pat->line,
				   pat->col, pat->source_line, "W203",
				   "pattern '$%s' matches the empty string",
				   pat->name);
	}
	return ok ? RF_OK : RF_ERULE;
}

/* ---- reading files ---- */

static enum rf_err add_path_in(struct rules_compiler *c, const char *path,
			       const struct rule_source *pack, int depth);

static enum rf_err
add_text(struct rules_compiler *c, const char *name, const char *text,
	 size_t len, struct rule_source *src)
{
	src->name = name;
	src->text = text;
	src->len = len;
	return rules_parse(c, src);
}

static enum rf_err
add_file(struct rules_compiler *c, const char *path,
	 const struct rule_source *pack, struct rule_source *keep)
{
	struct buf text;
	struct rule_source src;
	enum rf_err err;
	unsigned char ident[32];
	bool have_ident = c->record && cache_file_ident(path, ident);

	buf_init(&text, 0);
	err = file_read(path, RF_RULEFILE_MAX_BYTES, &text);
	if (err != RF_OK) {
		rules_diag(c, DIAG_ERROR, path, 0, 0, NULL, "E001",
			   "cannot read rule file: %s",
			   err == RF_EIO ? strerror(errno) : rf_strerror(err));
		buf_release(&text);
		return err == RF_ENOENT || err == RF_EISDIR ? err : RF_EIO;
	}
	if (c->record)
		cache_note_file(c, path, have_ident ? ident : NULL,
				text.data, text.len);
	rule_source_copy(&src, pack);
	err = add_text(c, path, text.data, text.len, &src);
	if (keep)
		*keep = src;	/* the pack file's lang and classes */
	else
		rule_source_release(&src);
	buf_release(&text);
	return err;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum rf_err
add_dir(struct rules_compiler *c, const char *path,
	const struct rule_source *parent, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct rule_source pack;
	struct buf p;
	enum rf_err err = RF_OK, e;
	struct stat st;

	if (depth > RF_DIR_MAX_DEPTH) {
		rules_diag(c, DIAG_ERROR, path, 0, 0, NULL, "E001",
			   "directories nested too deep");
		return RF_ETOOBIG;
	}
	if (!(d = opendir(path))) {
		rules_diag(c, DIAG_ERROR, path, 0, 0, NULL, "E001",
			   "cannot open directory: %s", strerror(errno));
		return RF_EIO;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	if (c->record)
		cache_note_dir(c, path, names, n);
	buf_init(&p, 0);
	lemma_lock_read(c, path);
	/* pack.rules first: its lang and classes hold for the folder */
	rule_source_copy(&pack, parent);
	buf_addf(&p, "%s/pack.rules", path);
	if (stat(p.data, &st) == 0) {
		rule_source_release(&pack);
		err = add_file(c, p.data, parent, &pack);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "pack.rules") == 0)
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", path, names[i]);
		if (stat(p.data, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			e = add_dir(c, p.data, &pack, depth + 1);
		else if (str_has_suffix(names[i], ".rules"))
			e = add_file(c, p.data, &pack, NULL);
		else
			continue;
		if (e != RF_OK && err == RF_OK)
			err = e;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&p);
	rule_source_release(&pack);
	return err;
}

static enum rf_err
add_path_in(struct rules_compiler *c, const char *path,
	    const struct rule_source *pack, int depth)
{
	struct stat st;

	const char *slash;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return add_dir(c, path, pack, depth);
	if (depth == 0) {
		/* a lone file: the lock beside it */
		char *dir;

		slash = strrchr(path, '/');
		dir = slash ? xmemdupz(path, (size_t)(slash - path))
			    : xstrdup(".");
		lemma_lock_read(c, dir);
		free(dir);
	}
	return add_file(c, path, pack, NULL);
}

enum rf_err
rules_compiler_add_path(struct rules_compiler *c, const char *path)
{
	return add_path_in(c, path, NULL, 0);
}

enum rf_err
rules_compiler_add_string(struct rules_compiler *c, const char *name,
			  const char *text, size_t len)
{
	struct rule_source src;
	char *copy = xmemdupz(text, len);
	enum rf_err err;

	memset(&src, 0, sizeof(src));
	err = add_text(c, name, copy, len, &src);
	rule_source_release(&src);
	free(copy);
	return err;
}

static int
cmp_rule_id(const void *a, const void *b)
{
	const struct rule *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/* The ruleset's hash: of its rules' ids and versions, in id order, so
 * the order files are read in does not change it. */
static void
ruleset_set_hash(struct ruleset *rs)
{
	const struct rule **sorted = xcalloc(rs->n + 1, sizeof(*sorted));
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_LEN];
	size_t i;

	for (i = 0; i < rs->n; i++)
		sorted[i] = rs->rules[i];
	if (rs->n)
		qsort(sorted, rs->n, sizeof(*sorted), cmp_rule_id);
	sha256_init(&ctx);
	for (i = 0; i < rs->n; i++) {
		sha256_update(&ctx, sorted[i]->id, strlen(sorted[i]->id) + 1);
		sha256_update(&ctx, sorted[i]->version,
			      strlen(sorted[i]->version) + 1);
	}
	sha256_final(&ctx, d);
	encode_hex(d, sizeof(d), rs->hash);
	free(sorted);
}

const char *
ruleset_hash(const struct ruleset *rs)
{
	return rs->hash;
}

const char *
rule_version(const struct rule *r)
{
	return r->version;
}

struct ruleset *
ruleset_build(struct rule **rules, size_t n)
{
	return ruleset_build_image(rules, n, NULL);
}

struct ruleset *
ruleset_build_image(struct rule **rules, size_t n,
		    const struct prefilter_image *im)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	size_t i;

	rs->rules = rules;
	rs->n = n;
	for (i = 0; i < rs->n; i++)
		if (rs->rules[i]->npats > rs->max_patterns)
			rs->max_patterns = rs->rules[i]->npats;
	rs->code_lock = xmalloc(sizeof(*rs->code_lock));
	pthread_mutex_init(rs->code_lock, NULL);
	rs->pf = im ? prefilter_build_image(rs, im) : prefilter_build(rs);
	ruleset_set_hash(rs);
	return rs;
}

enum rf_err
rules_compiler_finish(struct rules_compiler *c, struct ruleset **out)
{
	*out = NULL;
	if (c->errors)
		return RF_ERULE;
	*out = ruleset_build(c->rules, c->nrules);
	c->rules = NULL;
	c->nrules = c->arules = 0;
	return RF_OK;
}

void
ruleset_free(struct ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	prefilter_free(rs->pf);
	if (rs->code_lock) {
		pthread_mutex_destroy(rs->code_lock);
		free(rs->code_lock);
	}
	free(rs);
}

size_t
ruleset_count(const struct ruleset *rs)
{
	return rs->n;
}

const struct rule *
ruleset_rule(const struct ruleset *rs, size_t i)
{
	return i < rs->n ? rs->rules[i] : NULL;
}

const char *
rule_id(const struct rule *r)
{
	return r->id;
}

const char *
rule_title(const struct rule *r)
{
	return r->title;
}

const char *
rule_indicator(const struct rule *r)
{
	return r->indicator;
}

const char *
rule_lang(const struct rule *r)
{
	return r->lang;
}

int
rule_weight(const struct rule *r)
{
	return r->weight;
}

enum rule_strength
rule_strength(const struct rule *r)
{
	return r->strength;
}

enum rule_status
rule_status(const struct rule *r)
{
	return r->status;
}

const char *
rule_file(const struct rule *r)
{
	return r->file;
}

int
rule_line(const struct rule *r)
{
	return r->line;
}

bool
ruleset_rule_unfiltered(const struct ruleset *rs, size_t i)
{
	const struct rule *r = rs->rules[i];
	size_t j;

	if (rule_always_runs(r))
		return true;
	for (j = 0; j < r->npats; j++)
		if (r->pats[j].atoms.n == 0)
			return true;
	return false;
}

size_t
rule_pattern_count(const struct rule *r)
{
	return r->npats;
}

const char *
rule_pattern_name(const struct rule *r, size_t i)
{
	return i < r->npats ? r->pats[i].name : NULL;
}

const char *
rule_strength_name(enum rule_strength s)
{
	static const char *const names[] = { "weak", "medium", "strong" };

	return (unsigned)s < 3 ? names[s] : "?";
}

const char *
rule_status_name(enum rule_status s)
{
	static const char *const names[] = {
		"experimental", "stable", "deprecated",
	};

	return (unsigned)s < 3 ? names[s] : "?";
}

const char *
rule_field_name(enum rule_field f)
{
	static const char *const names[] = {
		"title", "body", "url", "contacts",
	};

	return (unsigned)f < FIELD_MAX ? names[f] : "?";
}
