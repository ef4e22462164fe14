/*
 * lemmas.c: ~lemma terms. A pack's lemmas.lock holds the word forms of
 * the lemmas its rules use, written by `redflag rules lock` from the
 * hunspell dictionaries (rules/lemma.c), so compiling a pack, and so every
 * scan, needs no dictionary. A lemma the lock does not know is expanded
 * from the dictionary when one is installed, with a warning to refresh the
 * lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/lemma.h"
#include "rules/rules-int.h"
#include "common/banned.h"

static struct lemma_entry *
cache_find(struct rules_compiler *c, const char *lang, const char *lemma)
{
	size_t i;

	for (i = 0; i < c->nlemmas; i++)
		if (strcmp(c->lemmas[i].lang, lang) == 0 &&
		    strcmp(c->lemmas[i].lemma, lemma) == 0)
			return &c->lemmas[i];
	return NULL;
}

/* Adds an entry and returns it; takes nothing. */
static struct lemma_entry *
cache_add(struct rules_compiler *c, const char *lang, const char *lemma)
{
	struct lemma_entry *e;

	ALLOC_GROW(c->lemmas, c->nlemmas + 1, c->alemmas);
	e = &c->lemmas[c->nlemmas++];
	memset(e, 0, sizeof(*e));
	e->lang = xstrdup(lang);
	e->lemma = xstrdup(lemma);
	return e;
}

static void
entry_set_forms(struct lemma_entry *e, char **forms, size_t n)
{
	size_t i;

	for (i = 0; i < e->nforms; i++)
		free(e->forms[i]);
	free(e->forms);
	e->forms = forms;
	e->nforms = n;
}

void
lemma_cache_release(struct rules_compiler *c)
{
	size_t i;

	for (i = 0; i < c->nlemmas; i++) {
		entry_set_forms(&c->lemmas[i], NULL, 0);
		free(c->lemmas[i].lang);
		free(c->lemmas[i].lemma);
		free(c->lemmas[i].lock);
	}
	free(c->lemmas);
	c->lemmas = NULL;
	c->nlemmas = c->alemmas = 0;
	for (i = 0; i < c->ndicts; i++) {
		lemma_dict_free(c->dicts[i].dict);
		free(c->dicts[i].lang);
	}
	free(c->dicts);
	c->dicts = NULL;
	c->ndicts = c->adicts = 0;
}

/* Reads DIR/lemmas.lock into the cache, if there is one. */
void
lemma_lock_read(struct rules_compiler *c, const char *dir)
{
	struct buf path, text;
	char *line, *next;
	int lineno = 0;
	unsigned char ident[32];
	bool have_ident;

	buf_init(&path, 0);
	buf_init(&text, RF_RULEFILE_MAX_BYTES);
	buf_addf(&path, "%s/lemmas.lock", dir);
	have_ident = c->record && cache_file_ident(path.data, ident);
	if (file_read(path.data, RF_RULEFILE_MAX_BYTES, &text) != RF_OK) {
		if (c->record)
			cache_note_unreadable(c, path.data);
		goto out;
	}
	if (c->record)
		cache_note_file(c, path.data, have_ident ? ident : NULL,
				text.data, text.len);
	for (line = text.data; line && *line; line = next) {
		char *lang, *lemma, *forms, *tab, *f;
		char **v = NULL;
		size_t n = 0, a = 0;
		struct lemma_entry *e;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || !*line)
			continue;
		lang = line;
		if (!(tab = strchr(lang, '\t')))
			goto bad;
		*tab = '\0';
		lemma = tab + 1;
		if (!(tab = strchr(lemma, '\t')))
			goto bad;
		*tab = '\0';
		forms = tab + 1;
		for (f = strtok_r(forms, " ", &tab); f;
		     f = strtok_r(NULL, " ", &tab)) {
			ALLOC_GROW(v, n + 1, a);
			v[n++] = xstrdup(f);
		}
		if (!n)
			goto bad;
		if (!(e = cache_find(c, lang, lemma)))
			e = cache_add(c, lang, lemma);
		entry_set_forms(e, v, n);
		free(e->lock);
		e->lock = xstrdup(path.data);
		continue;
bad:
		rules_diag(c, DIAG_ERROR, path.data, lineno, 0, NULL, "E136",
			   "malformed line in lemmas.lock (expected "
			   "LANG<tab>LEMMA<tab>FORMS); rewrite it with "
			   "'redflag rules lock'");
	}
out:
	buf_release(&path);
	buf_release(&text);
}

static struct lemma_dict *
dict_for(struct rules_compiler *c, const char *lang, struct buf *msg)
{
	struct lemma_dict *d = NULL;
	size_t i;

	for (i = 0; i < c->ndicts; i++)
		if (strcmp(c->dicts[i].lang, lang) == 0)
			return c->dicts[i].dict;
	if (lemma_dict_open(NULL, lang, &d, msg) != RF_OK)
		d = NULL;
	if (d && c->record) {
		cache_note_stat(c, lemma_dict_aff_path(d));
		cache_note_stat(c, lemma_dict_dic_path(d));
	}
	/* remember failures too: one message per language is enough */
	ALLOC_GROW(c->dicts, c->ndicts + 1, c->adicts);
	c->dicts[c->ndicts].lang = xstrdup(lang);
	c->dicts[c->ndicts].dict = d;
	c->ndicts++;
	return d;
}

/* The lock file a rule in file belongs to: lemmas.lock beside it. */
static char *
lock_path_for(const char *file)
{
	const char *slash = strrchr(file, '/');
	struct buf b;

	buf_init(&b, 0);
	if (slash)
		buf_add(&b, file, (size_t)(slash - file));
	else
		buf_addch(&b, '.');
	buf_addstr(&b, "/lemmas.lock");
	return buf_detach(&b, NULL);
}

const struct lemma_entry *
lemma_lookup(struct rules_compiler *c, const struct rule *r,
	     const struct pattern *pat)
{
	struct lemma_entry *e = cache_find(c, r->lang, pat->text);
	struct lemma_dict *d;
	struct lemma_forms forms;
	struct buf msg;
	enum rf_err err;

	if (e && !c->opts.lock_lemmas) {
		e->used = true;
		return e;
	}
	if (strcmp(r->lang, "any") == 0) {
		rules_diag(c, DIAG_ERROR, r->file, pat->line, pat->col,
			   pat->source_line, "E135", "~%s needs a language to "
			   "choose a dictionary: set 'lang' in the pack or the "
			   "rule's meta", pat->text);
		return NULL;
	}
	buf_init(&msg, 4096);
	d = dict_for(c, r->lang, &msg);
	if (!d) {
		rules_diag(c, DIAG_ERROR, r->file, pat->line, pat->col,
			   pat->source_line, "E135", "~%s needs the hunspell "
			   "dictionary for '%s', which is not installed%s%s%s; "
			   "a pack's lemmas.lock (redflag rules lock) "
			   "avoids it, or write the forms as a regex",
			   pat->text, r->lang, msg.len ? " (" : "", msg.data,
			   msg.len ? ")" : "");
		buf_release(&msg);
		return NULL;
	}
	buf_release(&msg);
	lemma_forms_init(&forms);
	err = lemma_expand(d, pat->text, &forms);
	if (err == RF_ENOENT) {
		struct lemma_forms stems;

		lemma_forms_init(&stems);
		if (lemma_stems(d, pat->text, &stems) == RF_OK && stems.n)
			rules_diag(c, DIAG_ERROR, r->file, pat->line,
				   pat->col, pat->source_line, "E135",
				   "the %s dictionary does not know '%s' as a "
				   "lemma; did you mean ~%s?", r->lang,
				   pat->text, stems.v[0]);
		else
			rules_diag(c, DIAG_ERROR, r->file, pat->line,
				   pat->col, pat->source_line, "E135",
				   "the %s dictionary does not know '%s'; "
				   "write the forms as a regex or a prefix "
				   "literal", r->lang, pat->text);
		lemma_forms_release(&stems);
		lemma_forms_release(&forms);
		return NULL;
	}
	if (err != RF_OK) {
		rules_diag(c, DIAG_ERROR, r->file, pat->line, pat->col,
			   pat->source_line, "E135", "cannot expand ~%s: %s",
			   pat->text, rf_strerror(err));
		lemma_forms_release(&forms);
		return NULL;
	}
	if (!e)
		e = cache_add(c, r->lang, pat->text);
	entry_set_forms(e, forms.v, forms.n);
	forms.v = NULL;
	forms.n = 0;
	lemma_forms_release(&forms);
	free(e->lock);
	e->lock = lock_path_for(r->file);
	e->used = true;
	if (!c->opts.lock_lemmas && c->opts.lint)
		rules_diag(c, DIAG_WARNING, r->file, pat->line, pat->col,
			   pat->source_line, "W209", "~%s is not in %s: "
			   "scans load the dictionary until 'redflag rules "
			   "lock' writes it", pat->text, e->lock);
	return e;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct lemma_entry *x = a, *y = b;
	int d = strcmp(x->lock ? x->lock : "", y->lock ? y->lock : "");

	if (d)
		return d;
	if ((d = strcmp(x->lang, y->lang)))
		return d;
	return strcmp(x->lemma, y->lemma);
}

/* Writes one lock file from entries [from, to), atomically. */
static enum rf_err
write_lock(const char *path, const struct lemma_entry *e, size_t n)
{
	struct buf text, tmp;
	size_t i, j;
	FILE *f;
	enum rf_err err = RF_OK;

	buf_init(&text, 0);
	buf_init(&tmp, 0);
	buf_addstr(&text, "# lemmas.lock: the word forms of the ~lemma terms "
			  "of this pack, from the\n# hunspell dictionaries. "
			  "Written by 'redflag rules lock'; do not edit.\n");
	for (i = 0; i < n; i++) {
		buf_addf(&text, "%s\t%s\t", e[i].lang, e[i].lemma);
		for (j = 0; j < e[i].nforms; j++)
			buf_addf(&text, "%s%s", j ? " " : "", e[i].forms[j]);
		buf_addch(&text, '\n');
	}
	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if (!(f = fopen(tmp.data, "w"))) {
		err = RF_EIO;
		goto out;
	}
	if (fwrite(text.data, 1, text.len, f) != text.len)
		err = RF_EIO;
	if (fclose(f) != 0)
		err = RF_EIO;
	if (err == RF_OK && rename(tmp.data, path) != 0)
		err = RF_EIO;
	if (err != RF_OK)
		unlink(tmp.data);
out:
	buf_release(&text);
	buf_release(&tmp);
	return err;
}

enum rf_err
rules_compiler_write_locks(struct rules_compiler *c, size_t *written)
{
	size_t i, start;
	enum rf_err err = RF_OK;

	*written = 0;
	/* only lemmas the compiled rules use, grouped by lock file */
	for (i = 0; i < c->nlemmas;) {
		if (!c->lemmas[i].used || !c->lemmas[i].lock) {
			struct lemma_entry gone = c->lemmas[i];

			c->lemmas[i] = c->lemmas[--c->nlemmas];
			/* the vacated slot (the same one when i was the last)
			 * must not keep what gone frees */
			memset(&c->lemmas[c->nlemmas], 0,
			       sizeof(c->lemmas[c->nlemmas]));
			entry_set_forms(&gone, NULL, 0);
			free(gone.lang);
			free(gone.lemma);
			free(gone.lock);
			continue;
		}
		i++;
	}
	if (c->nlemmas)
		qsort(c->lemmas, c->nlemmas, sizeof(*c->lemmas), cmp_entry);
	for (start = 0; start < c->nlemmas; start = i) {
		for (i = start; i < c->nlemmas &&
			    strcmp(c->lemmas[i].lock, c->lemmas[start].lock) ==
				    0;
		     i++)
			;
		if (write_lock(c->lemmas[start].lock, c->lemmas + start,
			       i - start) != RF_OK) {
			rules_diag(c, DIAG_ERROR, c->lemmas[start].lock, 0, 0,
				   NULL, "E001", "cannot write: %s",
				   strerror(errno));
			err = RF_EIO;
			continue;
		}
		(*written)++;
	}
	return err;
}
