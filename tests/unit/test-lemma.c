/*
 * test-lemma.c: unit tests of rules/lemma.c: hand-checked expansions of
 * tiny dictionaries in tests/data/lemma, malformed affix files, and the
 * Debian ru_RU, kk_KZ and en_US dictionaries against unmunch (hunspell-
 * tools) as the oracle.
 *
 * unmunch does not check its forms with hunspell, so the oracle for a
 * lemma is unmunch's output less the forms hunspell rejects (or does not
 * trace back to the lemma): exactly the filter lemma_expand applies.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <hunspell.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/lemma.h"

#define DATA RF_SRCDIR "/tests/data/lemma"

/* A list of words: the test's own, built like struct lemma_forms. */
struct words {
	char **v;
	size_t n, alloc;
};

static void
words_add(struct words *w, const char *s)
{
	ALLOC_GROW(w->v, w->n + 1, w->alloc);
	w->v[w->n++] = xstrdup(s);
}

static void
words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = w->alloc = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
words_sort_unique(struct words *w)
{
	size_t i, j = 0;

	if (w->n == 0)
		return;
	qsort(w->v, w->n, sizeof(*w->v), cmp_str);
	for (i = 1; i < w->n; i++) {
		if (strcmp(w->v[i], w->v[j]) == 0)
			free(w->v[i]);
		else
			w->v[++j] = w->v[i];
	}
	w->n = j + 1;
}

/* Splits a space-separated list into w. */
static void
words_split(struct words *w, const char *list)
{
	char *copy = xstrdup(list), *s = copy, *sp;

	while (*s) {
		sp = strchr(s, ' ');
		if (sp)
			*sp = '\0';
		if (*s)
			words_add(w, s);
		if (!sp)
			break;
		s = sp + 1;
	}
	free(copy);
}

static bool
words_has(const struct words *w, const char *s)
{
	return bsearch(&s, w->v, w->n, sizeof(*w->v), cmp_str) != NULL;
}

/* Appends the words of a that are not in b (both sorted) to out. */
static size_t
words_minus(const char *const *a, size_t na, const struct words *b,
	    struct buf *out)
{
	size_t i, n = 0;

	for (i = 0; i < na; i++) {
		if (!words_has(b, a[i])) {
			buf_addf(out, " %s", a[i]);
			n++;
		}
	}
	return n;
}

/*
 * Whether got (sorted, distinct) equals want (sorted, distinct); prints
 * the difference when not.
 */
static bool
same_words(const char *what, const struct lemma_forms *got,
	   const struct words *want)
{
	struct words g = { 0 };
	struct buf extra, missing;
	size_t i, ne, nm;
	bool ok;

	for (i = 0; i < got->n; i++)
		words_add(&g, got->v[i]);
	buf_init(&extra, 0);
	buf_init(&missing, 0);
	ne = words_minus((const char *const *)g.v, g.n, want, &extra);
	nm = words_minus((const char *const *)want->v, want->n, &g,
			 &missing);
	ok = ne == 0 && nm == 0 && g.n == want->n;
	if (!ok)
		print_message("%s: %zu forms, expected %zu\n  only ours:%s\n"
			      "  only expected:%s\n", what, g.n, want->n,
			      extra.data, missing.data);
	buf_release(&extra);
	buf_release(&missing);
	words_free(&g);
	return ok;
}

/* Expands lemma in d and checks the result against a list of words. */
static void
expect_forms(struct lemma_dict *d, const char *lemma, const char *list)
{
	struct lemma_forms f;
	struct words want = { 0 };

	lemma_forms_init(&f);
	words_split(&want, list);
	words_sort_unique(&want);
	assert_int_equal(lemma_expand(d, lemma, &f), RF_OK);
	assert_true(same_words(lemma, &f, &want));
	words_free(&want);
	lemma_forms_release(&f);
}

static struct lemma_dict *
open_ok(const char *dir, const char *lang)
{
	struct lemma_dict *d = NULL;
	struct buf msg;
	enum rf_err err;

	buf_init(&msg, 0);
	err = lemma_dict_open(dir, lang, &d, &msg);
	if (err)
		print_message("open %s/%s: %s: %s\n", dir, lang,
			      rf_strerror(err), msg.data);
	assert_int_equal(err, RF_OK);
	assert_non_null(d);
	buf_release(&msg);
	return d;
}

/* The hand-made dictionaries. */

static void
test_toy(void **state)
{
	struct lemma_dict *d = open_ok(DATA, "toy");

	(void)state;
	/* y -> ies after a consonant; s after a vowel + y; s elsewhere */
	expect_forms(d, "city", "city cities");
	/* B: "ed" after anything but e */
	expect_forms(d, "day", "day days dayed");
	/*
	 * U is cross-product Y (uncats), R is N (no recats); the second
	 * entry cat/B adds "cated"
	 */
	expect_forms(d, "cat", "cat cats uncat uncats recat cated");
	/* B strips e; B is N, so no unhoped */
	expect_forms(d, "hope", "hope hoped unhope");
	/* C continues with D (two levels), and a prefix on top */
	expect_forms(d, "kind", "kind kindness kindnesses unkind unkindness "
		     "unkindnesses");
	/* Cyrillic classes: [^гкх]а, [гкх]а */
	expect_forms(d, "рука", "рука руки рукой");
	expect_forms(d, "книга", "книга книги книгой");
	/* conditions longer than the word; stripping all of it */
	expect_forms(d, "y", "y");
	/* no flags */
	expect_forms(d, "alone", "alone");
	/* no exact entry: the caseless one */
	expect_forms(d, "CITY", "city cities");
	expect_forms(d, "Рука", "рука руки рукой");
	assert_string_equal(lemma_dict_aff_path(d), DATA "/toy.aff");
	assert_string_equal(lemma_dict_dic_path(d), DATA "/toy.dic");
	lemma_dict_free(d);
}

static void
test_flag_types(void **state)
{
	struct lemma_dict *d;

	(void)state;
	d = open_ok(DATA, "long");	/* FLAG long, AF aliases */
	expect_forms(d, "walk", "walk walks walking walkings");
	expect_forms(d, "sing", "sing singing singings");
	lemma_dict_free(d);
	d = open_ok(DATA, "num");	/* FLAG num */
	expect_forms(d, "fast", "fast faster fastest überfast überfaster");
	expect_forms(d, "blue", "blue bluest");
	lemma_dict_free(d);
	d = open_ok(DATA, "uflag");	/* FLAG UTF-8 */
	expect_forms(d, "дверь", "дверь двери дверей");
	expect_forms(d, "дом", "дом дому");
	lemma_dict_free(d);
}

static void
test_unknown_and_bad_words(void **state)
{
	struct lemma_dict *d = open_ok(DATA, "toy");
	struct lemma_forms f;
	char long_word[RF_LEMMA_WORD_MAX + 2];

	(void)state;
	lemma_forms_init(&f);
	assert_int_equal(lemma_expand(d, "city", &f), RF_OK);
	assert_int_equal(f.n, 2);
	/* a failure leaves the list empty */
	assert_int_equal(lemma_expand(d, "dog", &f), RF_ENOENT);
	assert_int_equal(f.n, 0);
	/* a form is not a lemma, but its stem says which one */
	assert_int_equal(lemma_expand(d, "cities", &f), RF_ENOENT);
	assert_int_equal(lemma_stems(d, "cities", &f), RF_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0], "city");
	assert_int_equal(lemma_stems(d, "xyzzy", &f), RF_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(lemma_expand(d, "", &f), RF_EINVAL);
	assert_int_equal(lemma_expand(d, "two words", &f), RF_EINVAL);
	assert_int_equal(lemma_expand(d, "city/A", &f), RF_EINVAL);
	assert_int_equal(lemma_expand(d, "\xD0", &f), RF_EINVAL);
	assert_int_equal(lemma_stems(d, "\xFF", &f), RF_EINVAL);
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = '\0';
	assert_int_equal(lemma_expand(d, long_word, &f), RF_EINVAL);
	lemma_forms_release(&f);
	lemma_dict_free(d);
}

/* Malformed files. */

static char tmpdir[64];

static void
make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	if (!t || strlen(t) > 30)
		t = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-lemma-XXXXXX", t);
	assert_non_null(mkdtemp(tmpdir));
}

static void
remove_tmpdir(void)
{
	char path[128];
	static const char *const names[] = {
		"t.aff", "t.dic", "one.dic", "unmunch.aff"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

static void
write_file(const char *name, const char *text, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
write_str(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

#define AFF_HEAD "SET UTF-8\n"
#define DIC_OK "1\ncat/A\n"

/* Each broken pair of files, the error and a piece of its message. */
static const struct {
	const char *aff, *dic;
	enum rf_err err;
	const char *msg;
} bad_files[] = {
	{ "SFX A Y 1\nSFX A 0 s .\n", DIC_OK, RF_EUNSUPPORTED,
	  "t.aff: no 'SET UTF-8' line" },
	{ "SET KOI8-R\n", DIC_OK, RF_EUNSUPPORTED,
	  "t.aff:1: encoding 'KOI8-R' is not supported" },
	{ AFF_HEAD "SFX A Y 3\nSFX A 0 s .\n", DIC_OK, RF_EPARSE,
	  "t.aff: the file ends 2 entries short of the block at line 2" },
	{ AFF_HEAD "SFX A Y 2\nSFX A 0 s .\nTRY abc\n", DIC_OK, RF_EPARSE,
	  "t.aff:4: expected 1 more entries of the block at line 2" },
	{ AFF_HEAD "SFX A Y 2\nSFX A 0 s .\nSFX B 0 s .\n", DIC_OK,
	  RF_EPARSE, "t.aff:4: expected 1 more entries of the block at "
	  "line 2, not 'SFX B'" },
	{ AFF_HEAD "SFX A Y x\n", DIC_OK, RF_EPARSE,
	  "t.aff:2: bad entry count 'x'" },
	{ AFF_HEAD "SFX A Y -1\n", DIC_OK, RF_EPARSE, "bad entry count" },
	{ AFF_HEAD "SFX A Y 99999999999\n", DIC_OK, RF_EPARSE,
	  "bad entry count" },
	{ AFF_HEAD "SFX A Q 1\nSFX A 0 s .\n", DIC_OK, RF_EPARSE,
	  "t.aff:2: expected Y or N, not 'Q'" },
	{ AFF_HEAD "SFX A Y\n", DIC_OK, RF_EPARSE,
	  "t.aff:2: expected 'SFX FLAG Y|N COUNT'" },
	{ AFF_HEAD "PFX A Y 1\nPFX A 0\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: expected 'PFX FLAG STRIP AFFIX [CONDITION]'" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s [ab\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: unterminated '[' in condition '[ab'" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s a[]\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: empty [] in condition" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s a]\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: stray ']' in condition" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s [\xD0]\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: invalid UTF-8 in condition" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 \xFF .\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: invalid UTF-8 in affix" },
	{ AFF_HEAD "FLAG weird\n", DIC_OK, RF_EPARSE,
	  "t.aff:2: unknown flag type 'weird'" },
	{ AFF_HEAD "FLAG\n", DIC_OK, RF_EPARSE, "FLAG without a type" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s .\nFLAG long\n", DIC_OK, RF_EPARSE,
	  "t.aff:4: FLAG must come before" },
	{ AFF_HEAD "FLAG long\nSFX ABC Y 1\n", DIC_OK, RF_EPARSE,
	  "t.aff:3: bad affix flag 'ABC'" },
	{ AFF_HEAD "FLAG num\nSFX 0 Y 1\n", DIC_OK, RF_EPARSE,
	  "bad affix flag '0'" },
	{ AFF_HEAD "FLAG num\nSFX 70000 Y 1\n", DIC_OK, RF_EPARSE,
	  "bad affix flag '70000'" },
	{ AFF_HEAD "FLAG UTF-8\nSFX \xD0 Y 1\n", DIC_OK, RF_EPARSE,
	  "bad affix flag" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s/1 .\n", DIC_OK, RF_OK, "" },
	{ AFF_HEAD "AF 2\nAF A\n", DIC_OK, RF_EPARSE,
	  "t.aff: the file ends 1 AF lines short" },
	{ AFF_HEAD "AF 1\nAF A\nAF 1\n", DIC_OK, RF_EPARSE,
	  "t.aff:4: a second AF table" },
	{ AFF_HEAD "AF 0\n", DIC_OK, RF_EPARSE, "expected 'AF COUNT'" },
	{ AFF_HEAD "AF 1\nAF A\nSFX A Y 1\nSFX A 0 s/7 .\n", DIC_OK,
	  RF_EPARSE, "t.aff:5: bad continuation flags '7'" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s .\n", "", RF_EPARSE,
	  "t.dic: empty file" },
	{ AFF_HEAD "SFX A Y 1\nSFX A 0 s .\n", "cat/A\n", RF_EPARSE,
	  "t.dic:1: expected the number of words on the first line" },
};

static void
test_malformed(void **state)
{
	size_t i;

	(void)state;
	make_tmpdir();
	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		/* not NULL, to see that a failed open sets it */
		struct lemma_dict *d = (struct lemma_dict *)&d;
		struct buf msg;
		enum rf_err err;

		write_str("t.aff", bad_files[i].aff);
		write_str("t.dic", bad_files[i].dic);
		buf_init(&msg, 0);
		err = lemma_dict_open(tmpdir, "t", &d, &msg);
		if (err != bad_files[i].err ||
		    !strstr(msg.data, bad_files[i].msg))
			print_message("case %zu: %s, '%s'\n", i,
				      rf_strerror(err), msg.data);
		assert_int_equal(err, bad_files[i].err);
		assert_non_null(strstr(msg.data, bad_files[i].msg));
		if (err)
			assert_null(d);
		lemma_dict_free(d);
		buf_release(&msg);
	}
	remove_tmpdir();
}

static void
test_bad_caps_and_names(void **state)
{
	struct lemma_dict *d;
	struct lemma_forms f;
	struct buf msg, aff;
	size_t i;

	(void)state;
	make_tmpdir();
	buf_init(&msg, 0);
	/* a line over the cap */
	buf_init(&aff, 0);
	buf_addstr(&aff, AFF_HEAD "TRY ");
	for (i = 0; i < RF_LEMMA_LINE_MAX; i++)
		buf_addch(&aff, 'a');
	buf_addch(&aff, '\n');
	write_file("t.aff", aff.data, aff.len);
	write_str("t.dic", DIC_OK);
	assert_int_equal(lemma_dict_open(tmpdir, "t", &d, &msg), RF_ETOOBIG);
	assert_non_null(strstr(msg.data, "t.aff:2: line longer than"));
	/* a NUL byte */
	buf_reset(&msg);
	write_file("t.aff", AFF_HEAD "TRY a\0b\n", sizeof(AFF_HEAD) + 7);
	assert_int_equal(lemma_dict_open(tmpdir, "t", &d, &msg), RF_EPARSE);
	assert_non_null(strstr(msg.data, "t.aff: contains a NUL byte"));
	/* missing files, bad names */
	buf_reset(&msg);
	assert_int_equal(lemma_dict_open(tmpdir, "nope", &d, &msg),
			 RF_ENOENT);
	assert_non_null(strstr(msg.data, "nope.aff: cannot read"));
	assert_null(d);
	assert_int_equal(lemma_dict_open(tmpdir, "../t", &d, NULL), RF_EINVAL);
	assert_int_equal(lemma_dict_open(tmpdir, "", &d, NULL), RF_EINVAL);
	assert_int_equal(lemma_dict_open(tmpdir, "-x", &d, NULL), RF_EINVAL);
	/* bad flags on a .dic line show when the word is expanded */
	write_str("t.aff", AFF_HEAD "FLAG long\nSFX Aa Y 1\nSFX Aa 0 s .\n");
	write_str("t.dic", "2\ncat/Aa\ndog/Aab\n");
	d = open_ok(tmpdir, "t");
	lemma_forms_init(&f);
	assert_int_equal(lemma_expand(d, "cat", &f), RF_OK);
	assert_int_equal(f.n, 2);
	assert_int_equal(lemma_expand(d, "dog", &f), RF_EPARSE);
	assert_int_equal(f.n, 0);
	lemma_forms_release(&f);
	lemma_dict_free(d);
	buf_release(&aff);
	buf_release(&msg);
	remove_tmpdir();
}

/* FULLSTRIP lets a suffix strip the whole word; without it, it may not. */
#define STRIP_ALL "SFX A Y 2\nSFX A ab xy ab\nSFX A b c b\n"

static void
test_fullstrip(void **state)
{
	struct lemma_dict *d;

	(void)state;
	make_tmpdir();
	write_str("t.dic", "1\nab/A\n");
	write_str("t.aff", AFF_HEAD "FULLSTRIP\n" STRIP_ALL);
	d = open_ok(tmpdir, "t");
	expect_forms(d, "ab", "ab ac xy");
	lemma_dict_free(d);
	write_str("t.aff", AFF_HEAD STRIP_ALL);
	d = open_ok(tmpdir, "t");
	expect_forms(d, "ab", "ab ac");
	lemma_dict_free(d);
	remove_tmpdir();
}

/*
 * Every prefix of toy.aff (cut at each byte) and a few hundred copies with
 * random bytes changed: opening must fail cleanly or give a dictionary
 * that expands without crashing. Hunspell itself may print complaints
 * about the damaged files; they go to /dev/null.
 */
static void
test_mutations(void **state)
{
	struct buf aff, dic;
	struct lemma_forms f;
	unsigned seed = 12345;
	int saved, devnull;
	size_t i, opened = 0;

	(void)state;
	buf_init(&aff, 0);
	buf_init(&dic, 0);
	assert_int_equal(file_read(DATA "/toy.aff", 1 << 20, &aff), RF_OK);
	assert_int_equal(file_read(DATA "/toy.dic", 1 << 20, &dic), RF_OK);
	make_tmpdir();
	write_file("t.dic", dic.data, dic.len);
	lemma_forms_init(&f);
	fflush(stderr);
	saved = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && devnull >= 0);
	dup2(devnull, 2);
	for (i = 0; i < aff.len + 400; i++) {
		struct lemma_dict *d = NULL;
		char *copy = xmemdupz(aff.data, aff.len);
		size_t len = aff.len;

		if (i < aff.len) {
			len = i;
		} else {
			int k;

			for (k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % len] = (char)(seed >> 20);
			}
		}
		write_file("t.aff", copy, len);
		if (lemma_dict_open(tmpdir, "t", &d, NULL) == RF_OK) {
			opened++;
			static const char *const words[] = {
				"cat", "kind", "рука", "y", "alone"
			};
			size_t k;

			for (k = 0; k < 5; k++) {
				enum rf_err err = lemma_expand(d, words[k],
							       &f);

				/* the word may be damaged */
				assert_true(err == RF_OK || err == RF_ENOENT ||
					    err == RF_EPARSE);
				assert_true(err != RF_OK || f.n >= 1);
			}
		}
		lemma_dict_free(d);
		free(copy);
	}
	dup2(saved, 2);
	close(saved);
	close(devnull);
	print_message("mutations: %zu of %zu opened\n", opened,
		      aff.len + 400);
	lemma_forms_release(&f);
	buf_release(&aff);
	buf_release(&dic);
	remove_tmpdir();
}

/* The Debian dictionaries against unmunch. */

static bool
have_file(const char *path)
{
	return access(path, R_OK) == 0;
}

static bool
have_unmunch(void)
{
	const char *path = getenv("PATH");
	char *copy, *s, *colon;
	char buf[4096];
	bool found = false;

	if (!path)
		return false;
	copy = xstrdup(path);
	for (s = copy; s && !found; s = colon ? colon + 1 : NULL) {
		colon = strchr(s, ':');
		if (colon)
			*colon = '\0';
		snprintf(buf, sizeof(buf), "%s/unmunch", *s ? s : ".");
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Skips the test when the dictionary or unmunch is missing. */
static void
need_dict(const char *stem, bool unmunch)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.aff", RF_HUNSPELL_DIR, stem);
	if (!have_file(path)) {
		print_message("%s missing: skipped\n", path);
		skip();
	}
	if (unmunch && !have_unmunch()) {
		print_message("unmunch (hunspell-tools) missing: skipped\n");
		skip();
	}
}

/* Splits a .dic line (no newline) into its word; returns its length. */
static size_t
dic_word_len(const char *line)
{
	size_t i;

	for (i = 1; line[i]; i++)
		if ((line[i] == '/' && line[i - 1] != '\\') || line[i] == '\t')
			break;
	return line[0] ? i : 0;
}

/* The .dic lines (CR and LF removed) of a whole dictionary. */
static void
read_dic_lines(const char *stem, struct words *lines)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	bool first = true;

	snprintf(path, sizeof(path), "%s/%s.dic", RF_HUNSPELL_DIR, stem);
	f = fopen(path, "r");
	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (first) {	/* the count */
			first = false;
			continue;
		}
		words_add(lines, line);
	}
	free(line);
	fclose(f);
}

/*
 * unmunch is an imperfect oracle for UTF-8 dictionaries, in two ways:
 *  - it keeps a condition as an 8-bit mask per byte value, so a condition
 *    longer than 8 bytes (5 Cyrillic letters, as ru_RU's "[^л]ийся" or
 *    "заться") never matches and unmunch silently drops those forms;
 *  - it matches conditions byte by byte: a class is one byte position and
 *    '.' one byte, so [^ч].сть tests the two bytes of the one letter
 *    before "сть", and a class matches any letter whose last byte is a
 *    byte of one of its letters (in kk_KZ "[...һ...]" takes л: both end in
 *    0xBB).
 * Hunspell matches letters, as lemma.c does. So the oracle runs unmunch on
 * a copy of the .aff whose conditions are loosened until unmunch's reading
 * of them is no stricter than hunspell's: from the affix's end of the word
 * inwards keep whole letters, at most 8 bytes, then at most one '.' or
 * [...] class, and drop the rest ([^...] classes included). unmunch then
 * makes every form hunspell would, plus some it would not, and the filter
 * removes those: what is left must be exactly lemma_expand's output.
 * Pure-ASCII conditions that fit in the mask are left as they are.
 */
enum cond_piece { PIECE_LETTER, PIECE_ANY, PIECE_SET, PIECE_NSET };

static void
loosen_cond(struct buf *out, const char *cond, bool prefix)
{
	size_t start[64], end[64], n = 0, i = 0, len = strlen(cond);
	enum cond_piece kind[64];
	size_t sum = 0, cost = 0, k, first, last;
	bool ascii = true;

	for (k = 0; k < len; k++)
		ascii = ascii && (unsigned char)cond[k] < 0x80;
	while (i < len && n < 64) {
		size_t w = 1;

		start[n] = i;
		if (cond[i] == '[') {
			const char *e = strchr(cond + i, ']');

			w = e ? (size_t)(e - (cond + i)) + 1 : len - i;
			kind[n] = cond[i + 1] == '^' ? PIECE_NSET : PIECE_SET;
		} else if (cond[i] == '.') {
			kind[n] = PIECE_ANY;
		} else {
			while (i + w < len &&
			       ((unsigned char)cond[i + w] & 0xC0) == 0x80)
				w++;
			kind[n] = PIECE_LETTER;
		}
		cost += kind[n] == PIECE_LETTER ? w : 1;
		i += w;
		end[n++] = i;
	}
	if (i < len || (ascii && cost <= 8)) {
		buf_addstr(out, cond);
		return;
	}
	if (prefix) {
		for (last = 0; last < n; last++) {
			size_t w = end[last] - start[last];

			if (kind[last] == PIECE_LETTER && sum + w <= 8) {
				sum += w;
				continue;
			}
			if ((kind[last] == PIECE_SET ||
			     kind[last] == PIECE_ANY) && sum + 1 <= 8)
				last++;
			break;
		}
		if (last == 0)
			buf_addch(out, '.');
		else
			buf_add(out, cond, end[last - 1]);
		return;
	}
	for (first = n; first > 0; first--) {
		size_t w = end[first - 1] - start[first - 1];

		if (kind[first - 1] == PIECE_LETTER && sum + w <= 8) {
			sum += w;
			continue;
		}
		if ((kind[first - 1] == PIECE_SET ||
		     kind[first - 1] == PIECE_ANY) && sum + 1 <= 8)
			first--;
		break;
	}
	if (first == n)
		buf_addch(out, '.');
	else
		buf_addstr(out, cond + start[first]);
}

/* Writes tmpdir/unmunch.aff: stem's .aff with conditions loosened. */
static void
write_unmunch_aff(const char *stem)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	struct buf out;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.aff", RF_HUNSPELL_DIR, stem);
	f = fopen(path, "r");
	assert_non_null(f);
	buf_init(&out, 0);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *tok[8], *s = line;
		size_t ntok = 0, i;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strncmp(line, "PFX ", 4) != 0 &&
		    strncmp(line, "SFX ", 4) != 0) {
			buf_addf(&out, "%s\n", line);
			continue;
		}
		/* unmunch splits at single spaces */
		while (ntok < 8 && (tok[ntok] = strsep(&s, " ")))
			if (*tok[ntok])
				ntok++;
		for (i = 0; i < ntok; i++) {
			if (i)
				buf_addch(&out, ' ');
			if (i == 4)
				loosen_cond(&out, tok[i], line[0] == 'P');
			else
				buf_addstr(&out, tok[i]);
		}
		buf_addch(&out, '\n');
	}
	free(line);
	fclose(f);
	write_file("unmunch.aff", out.data, out.len);
	buf_release(&out);
}

/*
 * Runs unmunch on the given .dic lines and returns each line's forms: the
 * lines are written with a separator word between them, which unmunch
 * copies through, so its output splits back into one group per line.
 */
#define SEP "QQQSEPARATORQQQ"

static void
run_unmunch(const char *aff, const char *const *lines, size_t n,
	    struct words *groups)
{
	char path[128], cmd[768];
	struct buf dic, cur;
	char *line = NULL;
	size_t cap = 0, i, g = 0;
	ssize_t len;
	FILE *p;

	buf_init(&dic, 0);
	buf_addf(&dic, "%zu\n", 2 * n);
	for (i = 0; i < n; i++)
		buf_addf(&dic, "%s\n" SEP "\n", lines[i]);
	write_file("one.dic", dic.data, dic.len);
	buf_release(&dic);
	snprintf(path, sizeof(path), "%s/one.dic", tmpdir);
	snprintf(cmd, sizeof(cmd), "unmunch '%s' '%s' 2>/dev/null", path,
		 aff);
	p = popen(cmd, "r");
	assert_non_null(p);
	buf_init(&cur, 0);
	while ((len = getline(&line, &cap, p)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' ||
				   line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strcmp(line, SEP) == 0) {
			assert_true(g < n);
			words_split(&groups[g++], cur.data);
			buf_reset(&cur);
		} else {
			buf_addf(&cur, "%s ", line);
		}
	}
	free(line);
	buf_release(&cur);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(g, n);
}

/* Whether hunspell accepts form and gives stem among its stems. */
static bool
hunspell_ok(Hunhandle *hs, const char *form, const char *stem)
{
	char **list = NULL;
	bool ok = false;
	int n, i;

	if (!Hunspell_spell(hs, form))
		return false;
	n = Hunspell_stem(hs, &list, form);
	for (i = 0; i < n; i++)
		ok = ok || strcmp(list[i], stem) == 0;
	Hunspell_free_list(hs, &list, n);
	return ok;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct oracle_stats {
	size_t lemmas;		/* compared */
	size_t forms;		/* from lemma_expand */
	size_t unmunch;		/* from unmunch with the long conditions cut */
	size_t rejected;	/* of those, what hunspell rejects */
	size_t raw;		/* from unmunch on the .aff as it is */
	size_t raw_missing;	/* of our forms, how many raw unmunch lacks */
	size_t differ;		/* lemmas whose forms are not the oracle's */
	double expand_s;
};

/*
 * Compares lemma_expand with unmunch for each of the given .dic lines of
 * dictionary stem (their words must be distinct). Differences are always
 * printed; with verbose, each lemma's counts too.
 */
static void
compare_lines(struct lemma_dict *d, Hunhandle *hs, const char *stem,
	      const char *const *lines, size_t n, bool verbose,
	      struct oracle_stats *st)
{
	struct words *groups = xcalloc(n ? n : 1, sizeof(*groups));
	struct words *raw = xcalloc(n ? n : 1, sizeof(*raw));
	char aff[512];
	struct lemma_forms f;
	size_t i, j;

	snprintf(aff, sizeof(aff), "%s/%s.aff", RF_HUNSPELL_DIR, stem);
	run_unmunch(aff, lines, n, raw);
	write_unmunch_aff(stem);
	snprintf(aff, sizeof(aff), "%s/unmunch.aff", tmpdir);
	run_unmunch(aff, lines, n, groups);
	lemma_forms_init(&f);
	for (i = 0; i < n; i++) {
		char *word = xmemdupz(lines[i], dic_word_len(lines[i]));
		struct words want = { 0 };
		struct buf rej;
		size_t missing = 0;
		double t0 = now();
		enum rf_err err = lemma_expand(d, word, &f);

		st->expand_s += now() - t0;
		if (err)
			print_message("%s: %s\n", word, rf_strerror(err));
		assert_int_equal(err, RF_OK);
		buf_init(&rej, 0);
		words_sort_unique(&groups[i]);
		words_sort_unique(&raw[i]);
		for (j = 0; j < groups[i].n; j++) {
			const char *u = groups[i].v[j];

			if (strcmp(u, word) == 0 || hunspell_ok(hs, u, word))
				words_add(&want, u);
			else
				buf_addf(&rej, " %s", u);
		}
		for (j = 0; j < f.n; j++)
			missing += !words_has(&raw[i], f.v[j]);
		st->lemmas++;
		st->forms += f.n;
		st->unmunch += groups[i].n;
		st->rejected += groups[i].n - want.n;
		st->raw += raw[i].n;
		st->raw_missing += missing;
		if (!same_words(word, &f, &want))
			st->differ++;
		else if (verbose)
			print_message("%s: %zu forms; unmunch %zu, lacking "
				      "%zu of ours; loosened %zu, hunspell "
				      "rejects%s%s\n", word, f.n, raw[i].n,
				      missing, groups[i].n,
				      rej.len ? ":" : " none", rej.data);
		buf_release(&rej);
		words_free(&want);
		words_free(&groups[i]);
		words_free(&raw[i]);
		free(word);
	}
	lemma_forms_release(&f);
	free(groups);
	free(raw);
}

static void
print_stats(const char *what, const struct oracle_stats *st)
{
	print_message("%s: %zu lemmas, %zu forms (%.3f ms per expansion); "
		      "unmunch %zu forms, lacking %zu of ours; loosened "
		      "%zu, hunspell rejects %zu; %zu lemmas differ\n", what,
		      st->lemmas, st->forms,
		      1e3 * st->expand_s / (double)(st->lemmas ? st->lemmas
							       : 1),
		      st->raw, st->raw_missing, st->unmunch, st->rejected,
		      st->differ);
}

/* Checks lemmas of one dictionary against unmunch; counts where given. */
struct lemma_case {
	const char *lemma;
	size_t forms;		/* 0: not checked */
};

static void
oracle(const char *stem, const struct lemma_case *cases, size_t ncases)
{
	struct words lines = { 0 }, picked = { 0 };
	struct oracle_stats st = { 0 };
	struct lemma_dict *d;
	struct lemma_forms f;
	char aff[512], dic[512];
	Hunhandle *hs;
	size_t i, j;
	double t0;

	need_dict(stem, true);
	t0 = now();
	d = open_ok(RF_HUNSPELL_DIR, stem);
	print_message("%s: lemma_dict_open %.3f s\n", stem, now() - t0);
	snprintf(aff, sizeof(aff), "%s/%s.aff", RF_HUNSPELL_DIR, stem);
	snprintf(dic, sizeof(dic), "%s/%s.dic", RF_HUNSPELL_DIR, stem);
	hs = Hunspell_create(aff, dic);
	assert_non_null(hs);
	read_dic_lines(stem, &lines);
	make_tmpdir();
	for (i = 0; i < ncases; i++) {
		size_t len = strlen(cases[i].lemma), found = 0;

		for (j = 0; j < lines.n; j++) {
			if (dic_word_len(lines.v[j]) == len &&
			    memcmp(lines.v[j], cases[i].lemma, len) == 0) {
				words_add(&picked, lines.v[j]);
				found++;
			}
		}
		assert_int_equal(found, 1);
	}
	compare_lines(d, hs, stem, (const char *const *)picked.v, picked.n,
		      true, &st);
	assert_int_equal(st.differ, 0);
	lemma_forms_init(&f);
	for (i = 0; i < ncases; i++) {
		if (!cases[i].forms)
			continue;
		assert_int_equal(lemma_expand(d, cases[i].lemma, &f), RF_OK);
		assert_int_equal(f.n, cases[i].forms);
	}
	print_stats(stem, &st);
	lemma_forms_release(&f);
	remove_tmpdir();
	Hunspell_destroy(hs);
	lemma_dict_free(d);
	words_free(&lines);
	words_free(&picked);
}

static void
test_ru_oracle(void **state)
{
	static const struct lemma_case cases[] = {
		{ "виза", 10 }, { "работа", 10 }, { "билет", 10 },
		{ "паспорт", 9 }, { "девушка", 10 }, { "заработать", 0 },
		{ "работать", 0 }, { "работодатель", 0 }, { "вакансия", 0 },
		{ "зарплата", 0 }, { "уехать", 0 }, { "бесплатный", 0 },
		{ "Москва", 0 }, { "Турция", 0 }, { "сталь", 0 },
	};

	(void)state;
	oracle("ru_RU", cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_kk_oracle(void **state)
{
	static const struct lemma_case cases[] = {
		{ "жұмыс", 25 }, { "жалақы", 0 }, { "виза", 0 },
		{ "шетел", 0 }, { "қыз", 0 }, { "тегін", 0 }, { "ақша", 0 },
	};

	(void)state;
	oracle("kk_KZ", cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_en_oracle(void **state)
{
	static const struct lemma_case cases[] = {
		{ "visa", 0 }, { "job", 3 }, { "work", 0 }, { "employ", 0 },
		{ "pay", 0 }, { "travel", 0 }, { "recruit", 0 },
		{ "salary", 0 }, { "passport", 0 },
	};

	(void)state;
	oracle("en_US", cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Every Nth word of a dictionary against unmunch (N from
 * LEMMA_SWEEP_STRIDE, default 97; 1 checks them all).
 */
static void
sweep(const char *stem)
{
	struct words lines = { 0 }, picked = { 0 };
	struct oracle_stats st = { 0 };
	const char *env = getenv("LEMMA_SWEEP_STRIDE");
	size_t stride = env ? strtoul(env, NULL, 10) : 0, i;
	struct lemma_dict *d;
	char aff[512], dic[512];
	Hunhandle *hs;

	if (stride == 0)
		stride = 97;
	need_dict(stem, true);
	d = open_ok(RF_HUNSPELL_DIR, stem);
	snprintf(aff, sizeof(aff), "%s/%s.aff", RF_HUNSPELL_DIR, stem);
	snprintf(dic, sizeof(dic), "%s/%s.dic", RF_HUNSPELL_DIR, stem);
	hs = Hunspell_create(aff, dic);
	assert_non_null(hs);
	read_dic_lines(stem, &lines);
	for (i = 0; i < lines.n; i += stride)
		words_add(&picked, lines.v[i]);
	make_tmpdir();
	compare_lines(d, hs, stem, (const char *const *)picked.v, picked.n,
		      false, &st);
	snprintf(aff, sizeof(aff), "%s sweep (every %zu)", stem, stride);
	print_stats(aff, &st);
	assert_int_equal(st.differ, 0);
	remove_tmpdir();
	Hunspell_destroy(hs);
	lemma_dict_free(d);
	words_free(&lines);
	words_free(&picked);
}

static void
test_ru_sweep(void **state)
{
	(void)state;
	sweep("ru_RU");
}

static void
test_kk_sweep(void **state)
{
	(void)state;
	sweep("kk_KZ");
}

static void
test_en_sweep(void **state)
{
	(void)state;
	sweep("en_US");
}

static void
test_ru_lookup(void **state)
{
	struct lemma_dict *d;
	struct lemma_forms f;
	size_t i;
	bool upper = false, lower = false;

	(void)state;
	need_dict("ru_RU", false);
	d = open_ok(RF_HUNSPELL_DIR, "ru");	/* the short code */
	lemma_forms_init(&f);
	assert_int_equal(lemma_expand(d, "абырвалгщ", &f), RF_ENOENT);
	assert_int_equal(lemma_expand(d, "визы", &f), RF_ENOENT);
	assert_int_equal(lemma_stems(d, "визы", &f), RF_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0], "виза");
	/* caseless only when there is no exact entry */
	assert_int_equal(lemma_expand(d, "ВИЗА", &f), RF_OK);
	assert_int_equal(f.n, 10);
	assert_string_equal(f.v[0], "виз");
	assert_int_equal(lemma_expand(d, "москва", &f), RF_OK);
	assert_int_equal(f.n, 6);
	assert_string_equal(f.v[0], "Москва");
	/* the .dic has both Волга/H and волга/I */
	assert_int_equal(lemma_expand(d, "волга", &f), RF_OK);
	for (i = 0; i < f.n; i++)
		assert_false(str_has_prefix(f.v[i], "В"));
	assert_int_equal(lemma_expand(d, "ВОЛГА", &f), RF_OK);
	for (i = 0; i < f.n; i++) {
		upper = upper || strcmp(f.v[i], "Волге") == 0;
		lower = lower || strcmp(f.v[i], "волге") == 0;
	}
	assert_true(upper && lower);
	lemma_forms_release(&f);
	lemma_dict_free(d);
}

static void
test_uz(void **state)
{
	struct lemma_dict *d;
	struct lemma_forms f;

	(void)state;
	need_dict("uz_UZ", false);
	/* a word list without affix rules: the word itself */
	d = open_ok(RF_HUNSPELL_DIR, "uz");
	lemma_forms_init(&f);
	assert_int_equal(lemma_expand(d, "иш", &f), RF_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0], "иш");
	lemma_forms_release(&f);
	lemma_dict_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toy),
		cmocka_unit_test(test_flag_types),
		cmocka_unit_test(test_unknown_and_bad_words),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_caps_and_names),
		cmocka_unit_test(test_fullstrip),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_ru_lookup),
		cmocka_unit_test(test_ru_oracle),
		cmocka_unit_test(test_kk_oracle),
		cmocka_unit_test(test_en_oracle),
		cmocka_unit_test(test_uz),
		cmocka_unit_test(test_ru_sweep),
		cmocka_unit_test(test_kk_sweep),
		cmocka_unit_test(test_en_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
