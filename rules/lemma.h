/*
 * lemma.h: expands a dictionary word (a rule's ~lemma term) into all its
 * word forms, using a hunspell dictionary's .aff and .dic files.
 *
 * Hunspell's own generator needs morphological fields that the Debian
 * ru_RU and kk_KZ dictionaries do not have, so the affix rules are applied
 * here: the lemma's flags come from the .dic, every prefix and suffix rule
 * of those flags whose condition holds is applied (prefix+suffix cross
 * products and two-level suffixes included), and a form is kept only when
 * hunspell accepts it and names the lemma among its stems.
 *
 *	struct lemma_dict *d;
 *	struct lemma_forms f;
 *
 *	if (lemma_dict_open(RF_HUNSPELL_DIR, "ru", &d, &msg) != RF_OK)
 *		...msg.data says why...
 *	lemma_forms_init(&f);
 *	if (lemma_expand(d, "виза", &f) == RF_OK)
 *		...f.v[0] to f.v[f.n - 1]: "виз", "виза", ...
 *	lemma_forms_release(&f);
 *	lemma_dict_free(d);
 *
 * Not generated: forms that need a prefix's continuation flags (a prefix
 * allowing a suffix the word lacks) or COMPLEXPREFIXES; IGNORE is not
 * applied. None of the Debian ru, kk, en and uz dictionaries uses them.
 *
 * Only UTF-8 dictionaries (SET UTF-8) are supported. A dictionary is
 * read-only after lemma_dict_open; it is not safe to use one dictionary
 * from two threads at once (hunspell's handle is not).
 */
#ifndef RF_RULES_LEMMA_H
#define RF_RULES_LEMMA_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

struct lemma_dict;

/* A list of distinct words in byte order. Caller-owned storage. */
struct lemma_forms {
	char **v;	/* each a NUL-terminated UTF-8 string the list owns */
	size_t n, alloc;
};

void lemma_forms_init(struct lemma_forms *f);
/* Frees the words and leaves f as after lemma_forms_init. */
void lemma_forms_release(struct lemma_forms *f);

/*
 * Opens the dictionary lang in directory dir: DIR/LANG.aff and DIR/LANG.dic
 * (dir NULL: the configured RF_HUNSPELL_DIR, /usr/share/hunspell).
 * lang is a file stem such as "ru_RU" or one of the short codes "ru", "kk",
 * "en" and "uz" (ru_RU, kk_KZ, en_US, uz_UZ); it may hold only letters,
 * digits, '_' and '-'. Reads and checks both files, indexes the .dic and
 * loads hunspell (about 0.2 s for ru_RU): open a dictionary once and expand
 * many lemmas with it.
 *
 * On success *out is a new dictionary the caller frees with lemma_dict_free.
 * On failure *out is NULL and, when msg (initialised by the caller) is not
 * NULL, a message naming the file and line is appended to it. Errors:
 * RF_EINVAL (bad lang), RF_ENOENT (no such dictionary), RF_EIO, RF_ETOOBIG
 * (a file, line or count over its cap in common/limits.h), RF_EPARSE
 * (malformed file), RF_EUNSUPPORTED (not UTF-8).
 */
enum rf_err lemma_dict_open(const char *dir, const char *lang,
			    struct lemma_dict **out, struct buf *msg)
	RF_WARN_UNUSED;
/* Accepts NULL. */
void lemma_dict_free(struct lemma_dict *d);

/* The paths of d's files; borrowed, valid while d lives. */
const char *lemma_dict_aff_path(const struct lemma_dict *d);
const char *lemma_dict_dic_path(const struct lemma_dict *d);

/*
 * Replaces the contents of out with every form of lemma: the .dic entries
 * spelled exactly like lemma, or when there are none the entries equal to
 * it ignoring case, each expanded. The dictionary's spelling of the word is
 * always in the list; generated forms are kept when hunspell accepts them
 * and gives the entry's word among their stems. Sorted, without duplicates.
 *
 * Errors (out is then empty): RF_ENOENT when the .dic has no such word
 * (it may still be a form of one: see lemma_stems), RF_EINVAL when lemma
 * is empty, not UTF-8, longer than RF_LEMMA_WORD_MAX or holds a space or
 * '/', RF_ETOOBIG when the affix rules produce more than RF_LEMMA_FORMS_MAX
 * candidate forms.
 */
enum rf_err lemma_expand(struct lemma_dict *d, const char *lemma,
			 struct lemma_forms *out) RF_WARN_UNUSED;

/*
 * Replaces the contents of out with hunspell's stems of word (e.g. "визы"
 * gives "виза"), for a hint when lemma_expand says RF_ENOENT. Empty when
 * hunspell does not know the word. RF_EINVAL as for lemma_expand.
 */
enum rf_err lemma_stems(struct lemma_dict *d, const char *word,
			struct lemma_forms *out) RF_WARN_UNUSED;

#endif
