/* langid.c: which language a text is in, per text and per stretch (text.h). */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_STEP 1
#include <immintrin.h>
#endif

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "text/text-int.h"
#include "common/banned.h"

/*
 * Scores are in 1/100 nat, the unit of langid_unseen. The constants were
 * chosen on half of the NTREX sentences (docs/langid.md) and checked on
 * the other half.
 *
 * A word with a letter outside a model's alphabet scores in that model as
 * if none of its n-grams were listed, and SC_FOREIGN less.
 */
#define SC_FOREIGN	500
/* a word of langid-words.txt, for each model that lists it */
#define SC_LISTED	600
/* per word, for models of other languages: the region's languages first */
#define SC_OTHER	400
/* once per text, for models of other languages */
#define SC_OTHER_TEXT	1000
/* per word, for Russian typed in Latin: Uzbek and Turkmen first */
#define SC_LATIN_RU	300
/* changing language between two words, when splitting a mixed text */
#define SC_SWITCH	3000
/* temperature of the confidence (softmax over the sums) */
#define SC_TEMPERATURE	400.0

/*
 * Longer words are scored in pieces of this many letters, so that a word's
 * n-gram scores add up in 16 bits: (WORD_MAX + 2) * GRAM_MAX * 255 < 2^16.
 */
#define WORD_MAX	32
/* n-grams of up to this many symbols */
#define GRAM_MAX	5
/* symbols of the n-gram keys */
#define SYM_BOUNDARY	1u
#define SYM_UNKNOWN	0x7FFu
#define SYM_BITS	11
#define UZ_APOSTROPHE	0x02BBu

/*
 * A word's score depends on its letters only, and words repeat: within a
 * text and across the texts a thread reads. Each thread keeps the scores
 * of the words it saw last in a table of sets of two slots: words of up
 * to CACHE_WORD letters, and longer ones of up to CACHE_LONG letters
 * that all share the high byte of their code point (Russian, English);
 * a slot is taken only after its word compares equal, so the cache
 * changes nothing but the time.
 */
#define CACHE_SET_BITS	15
#define CACHE_WORD	15
#define CACHE_LONG	30
#define CACHE_LINE	64
#define CACHE_NONE	SIZE_MAX
/* the models whose scores a slot holds (langid_nmodels, at most) */
#define CACHE_MODELS	30

/*
 * A word's letters, 16 bits each, 0 after the last: the first 16 of the
 * word as it is read (struct pending's w), letter i in bits 16 * (i % 4)
 * of q[i / 4]. The top bit of q[3], where a 16th letter would go, is the
 * set's used bit in its first key. A long word's key is its letters' low
 * bytes, 0 after the last, their common high byte in byte 30 and 0x40
 * with the number of letters in byte 31: a byte that is 0 in the key of
 * any shorter word, whose 16th letter is 0.
 */
struct cache_key {
	uint64_t q[4];
};
#define CACHE_MRU	((uint64_t)1 << 63)

/* A set's two keys, in one cache line; the second used last when the
 * first key has CACHE_MRU. */
struct cache_set {
	struct cache_key key[2];
} __attribute__((aligned(CACHE_LINE)));

/*
 * A word's scores in one cache line: model m's is base - d[m], base the
 * highest of them. Words whose scores spread over more than 65,535 are
 * not kept but scored each time (none of the words of the 25,000
 * vacancies of make bench).
 */
struct cache_scores {
	uint16_t d[CACHE_MODELS];
	int32_t base;
} __attribute__((aligned(CACHE_LINE)));

/*
 * The scores and the keys in two tables, so that a word costs two cache
 * lines, one of them its set's keys: 32,768 sets of two slots in 6 MiB a
 * thread (three huge pages, see cache_alloc()). The 25,000 vacancies of
 * make bench have 15,165 distinct words in 3.9 million; of the words,
 * 0.9% miss (long words kept), against 2.1% with 16,384 sets (3 MiB),
 * where conflicts in the sets made most of the misses; before long words
 * were kept, 3.5% with 16,384 sets, 6.6% with 8,192 sets, 17.9% with
 * 8,192 slots of three lines (the scores as int32 and the word next to
 * them) and 11.4% with 16,384 slots of one set each. The lines a thread
 * touches are those of the words it reads, whatever the size of the
 * table. Slot w of set s is sc[2 * s + w].
 */
struct word_cache {
	struct cache_scores sc[2u << CACHE_SET_BITS];
	struct cache_set set[1u << CACHE_SET_BITS];
};

/*
 * Words ended but not yet scored: a word is scored when PENDING more have
 * ended (or the text has), so that its cache lines, fetched from memory
 * when it ended, have arrived by then. A power of 2.
 */
#define PENDING	4
/* the pending words and the one being read, in a ring: a power of 2 */
#define PEND_RING	8

/*
 * A word, read in place: letters are below U+10000 (classify() and
 * compose() give no others), and its first 16 letters, 0 after the last,
 * are its cache key as they are. 0 from w[len] on, always: word_take()
 * clears what a word wrote.
 */
struct pending {
	uint16_t w[WORD_MAX] __attribute__((aligned(32)));
	size_t len, letters;
	size_t set;			/* its set, or CACHE_NONE */
	/* a long word's key, when set is one */
	struct cache_key key __attribute__((aligned(32)));
};

/* The cache key of the pending word p, whose set is one: 32 bytes. */
static inline const void *
pending_key(const struct pending *p)
{
	return p->len > CACHE_WORD ? (const void *)&p->key :
	       (const void *)p->w;
}

/* What the Viterbi pass keeps per word to walk back. */
struct step {
	uint32_t switched;	/* models entered from best here */
	uint16_t letters;
	uint8_t best;		/* the best model after the word before */
};

/*
 * The best paths over the words from some point on, as if the text began
 * there (lang_detect_pair()): its own steps until its state (vit and best)
 * is the whole text's after the same word, which it then stays, so that
 * from there on its steps are the whole text's.
 */
struct path2 {
	int32_t vit[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	/* vit as word_take_avx2() keeps it (see struct detector) */
	int16_t vit16[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	size_t best;
	struct step *steps;
	size_t nsteps, asteps;
	bool met;
};

struct detector {
	size_t nmodels;
	int64_t total[LANGID_MAX_MODELS];	/* sums over all words */
	/* the sums of the last words, not yet in total (see word_take()) */
	int32_t part[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	size_t npart;
	/* the best path ending in each model, less the best of them: 0 for
	 * the best, bounded below by one word's spread of scores and
	 * SC_SWITCH (see word_take()); 0 for unused models */
	int32_t vit[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	size_t best;				/* the model of the best path */
	struct step *steps;
	size_t nsteps, asteps;
	size_t nother;		/* letters of other scripts */
	/* the word being read, pend[(pfirst + npend) % PEND_RING].w; 0
	 * from word[wlen] on, always */
	uint16_t *word;
	size_t wlen;
	size_t wletters;	/* letters of word[], not apostrophes */
	bool apostrophe;	/* one seen after the last letter */
	struct word_cache *cache;	/* this thread's, or NULL */
	bool cyr_runs;		/* scan_letters() may read letters in runs */
	bool avx2;		/* word_take_avx2() for word_take() */
	/*
	 * What word_take_avx2() keeps instead of part and vit: the partial
	 * sums as the sum of each word's highest score (part_hi) less the
	 * sums of each model's distance below it (part_e); and the best
	 * paths in 16 bits, relative to the best, no lower than VIT16_LOW
	 * (see vit16_step()). sw16 is what a switch starts from: INT16_MIN
	 * before the first word (no switch), -SC_SWITCH after.
	 */
	int32_t part_e[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	int64_t part_hi;
	int16_t vit16[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	int16_t sw16;
	uint32_t used;		/* the models there are, as a bit set */
	/* a word's scores when word_take_avx2() scored it */
	int32_t sc[LANGID_MAX_MODELS] __attribute__((aligned(32)));
	/* the words ended last, not yet scored (see word_end()), from
	 * pend[pfirst] on, in a ring, and after them the word being read */
	struct pending pend[PEND_RING];
	size_t pfirst, npend;
	/* a second best path beside the first, until they meet (see
	 * lang_detect_pair()), or NULL */
	struct path2 *path2;
};

static const char *const lang_names[LANG_COUNT] = {
	[LANG_UND] = "und",
	[LANG_RU] = "ru",
	[LANG_KK] = "kk",
	[LANG_KY] = "ky",
	[LANG_UZ_LATN] = "uz-Latn",
	[LANG_UZ_CYRL] = "uz-Cyrl",
	[LANG_TG] = "tg",
	[LANG_TK] = "tk",
	[LANG_EN] = "en",
	[LANG_OTHER] = "other",
};

const char *
lang_name(enum lang_id lang)
{
	if ((unsigned)lang >= LANG_COUNT)
		return "und";
	return lang_names[lang];
}

enum rf_err
lang_parse(const char *name, enum lang_id *out)
{
	size_t i;

	if (name == NULL)
		return RF_EINVAL;
	for (i = 0; i < LANG_COUNT; i++) {
		if (strcasecmp(name, lang_names[i]) == 0) {
			*out = (enum lang_id)i;
			return RF_OK;
		}
	}
	return RF_EINVAL;
}

/* ---- characters ---- */

static const struct fold_xchar *
extra_lookup(uint32_t cp)
{
	size_t lo = 0, hi = fold_extra_len, mid;

	if (cp > 0xFFFF)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fold_extra[mid].cp < cp)
			lo = mid + 1;
		else if (fold_extra[mid].cp > cp)
			hi = mid;
		else
			return &fold_extra[mid];
	}
	return NULL;
}

/* Letters of scripts other than Latin, Cyrillic and Greek, roughly. */
static bool
other_script_letter(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{ 0x0531, 0x0587 },	/* Armenian */
		{ 0x05D0, 0x05F2 },	/* Hebrew */
		{ 0x0620, 0x064A },	/* Arabic */
		{ 0x066E, 0x06D3 },
		{ 0x06D5, 0x06D5 },
		{ 0x06FA, 0x06FF },
		{ 0x0750, 0x077F },
		{ 0x08A0, 0x08C9 },
		{ 0x0900, 0x0DFF },	/* Indic scripts */
		{ 0x0E01, 0x0E30 },	/* Thai */
		{ 0x0E40, 0x0E46 },
		{ 0x10A0, 0x10FF },	/* Georgian */
		{ 0x1100, 0x11FF },	/* Hangul Jamo */
		{ 0x3041, 0x30FF },	/* kana */
		{ 0x3131, 0x318E },	/* Hangul compatibility Jamo */
		{ 0x3400, 0x4DBF },	/* CJK */
		{ 0x4E00, 0x9FFF },
		{ 0xAC00, 0xD7A3 },	/* Hangul syllables */
		{ 0xF900, 0xFAFF },
		{ 0xFB50, 0xFDFF },	/* Arabic presentation forms */
		{ 0xFE70, 0xFEFC },
		{ 0x20000, 0x3134F },	/* CJK extensions */
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(ranges); i++) {
		if (cp < ranges[i][0])
			return false;
		if (cp <= ranges[i][1])
			return true;
	}
	return false;
}

enum chr {
	CHR_SEP,	/* ends a word */
	CHR_LETTER,	/* Latin or Cyrillic */
	CHR_OTHER,	/* a letter of another script */
	CHR_MARK,	/* combining mark */
	CHR_APOSTROPHE,
};

/* The kind of cp and, for a letter, its lower case in *lower. */
static enum chr
classify(uint32_t cp, uint32_t *lower)
{
	const struct fold_xchar *x;
	int cls;

	if (cp == '\'' || cp == 0x02BB || cp == 0x02BC || cp == 0x2018 ||
	    cp == 0x2019 || cp == '`' || cp == 0x00B4 || cp == 0x2032)
		return CHR_APOSTROPHE;
	if (cp < FOLD_DIRECT_END) {
		cls = fold_direct[cp].cls;
		*lower = fold_direct[cp].lower;
	} else if ((x = extra_lookup(cp)) != NULL) {
		cls = x->cls;
		*lower = x->lower;
	} else {
		return other_script_letter(cp) ? CHR_OTHER : CHR_SEP;
	}
	switch (cls) {
	case FOLD_CL_LAT:
	case FOLD_CL_CYR:
		if (*lower == 0x0451)	/* ё as е, like the model */
			*lower = 0x0435;
		else if (cp == 0x0131)	/* Turkish ı is no Turkmen letter */
			*lower = 0x0131;
		return CHR_LETTER;
	case FOLD_CL_GRK:
	case FOLD_CL_OLET:
		return CHR_OTHER;
	case FOLD_CL_MARK:
		return CHR_MARK;
	default:
		return CHR_SEP;
	}
}

/* base followed by the combining mark: the composed letter, or 0. */
static uint32_t
compose(uint32_t base, uint32_t mark)
{
	size_t lo = 0, hi = fold_compose_len, mid;
	const struct fold_compose *c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = &fold_compose[mid];
		if (c->base < base || (c->base == base && c->mark < mark))
			lo = mid + 1;
		else if (c->base > base || c->mark > mark)
			hi = mid;
		else
			return c->composed == 0x0451 ? 0x0435 : c->composed;
	}
	return 0;
}

/* ---- the model ---- */

/*
 * The postings as one row of scores per n-gram, a score for every model (0
 * where it lists none), so that a word adds up whole rows: built once, at
 * the first call, then only read.
 */
struct gram_row {
	uint8_t score[LANGID_MAX_MODELS];
};
static struct gram_row gram_rows[LANGID_MAX_GRAMS]
	__attribute__((aligned(LANGID_MAX_MODELS)));
/*
 * A hash table of the n-grams made at the same time (linear probing, at
 * most half full): the keys, 0 when empty, and next to them the index
 * of each one's row. Whether a key is there takes one load, and the
 * next, longer n-gram's look-up waits for that one only; the row's index
 * is loaded at the same time.
 */
#define GRAM_SLOT_BITS	14
static uint64_t gram_keys[1u << GRAM_SLOT_BITS];
static uint16_t gram_index[1u << GRAM_SLOT_BITS];
/* the row of each one-symbol n-gram plus one, 0 when no model lists it */
static uint16_t gram_one[SYM_UNKNOWN + 1];
/* each model's penalty per word: SC_OTHER, SC_LATIN_RU or 0 */
static int32_t model_penalty[LANGID_MAX_MODELS];
/* -1 for the models there are, 0 for the rest of LANGID_MAX_MODELS */
static int32_t model_live[LANGID_MAX_MODELS] __attribute__((aligned(32)));
#ifdef HAVE_AVX2_STEP
/*
 * The best paths in 16 bits (word_take_avx2()). A path's value enters a
 * step only through max(vit, sw) and whether sw > vit, which are the same
 * for every value below -SC_SWITCH: so the paths are kept relative to the
 * best (0) and no lower than VIT16_LOW, just below -SC_SWITCH, and make
 * the same choices as viterbi_step()'s int32 ones. A word's scores enter
 * as their distances below its highest score, capped at VIT16_CAP: a
 * model further below than that ends the step at VIT16_LOW whatever its
 * path was, capped or not (its max(vit, sw) is at most 0 and the word's
 * best model's at least -max(SC_SWITCH, SC_OTHER_TEXT), so it ends at
 * least VIT16_CAP - max(SC_SWITCH, SC_OTHER_TEXT) > SC_SWITCH + 1 below
 * the top), and never leads. All values stay within int16: from
 * -(max(SC_SWITCH, SC_OTHER_TEXT) + VIT16_CAP) to 0.
 */
#define VIT16_LOW	(-SC_SWITCH - 1)
#define VIT16_CAP	(SC_SWITCH + 2 + (SC_SWITCH > SC_OTHER_TEXT ? \
					  SC_SWITCH : SC_OTHER_TEXT))
_Static_assert(2 * SC_SWITCH + SC_OTHER_TEXT + VIT16_CAP < 32768,
	       "the 16-bit paths fit");
/* VIT16_CAP for the models there are not, which so never lead, 0 for
 * the others; and VIT16_CAP in every lane */
static uint16_t model_cap16[LANGID_MAX_MODELS] __attribute__((aligned(32)));
static const uint16_t cap16[16] __attribute__((aligned(32))) = {
	VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP,
	VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP,
	VIT16_CAP, VIT16_CAP, VIT16_CAP, VIT16_CAP,
};
#endif
static pthread_once_t gram_rows_once = PTHREAD_ONCE_INIT;
/*
 * Whether А to я (U+0410 to U+044F) are letters whose lower case is а to
 * я, and the ASCII letters are A to Z and a to z with lower case c | 0x20,
 * as the runs of scan_letters() assume (cyr_run(), ascii_run()).
 */
static bool cyr_same;

/* classify() of every one- and two-byte character, lower case in lower */
struct chr_info {
	uint16_t lower;
	uint8_t kind;	/* enum chr */
};
static struct chr_info chr_tab[0x800];

/* Each thread's cache of word scores (struct word_cache), or none. */
static pthread_key_t cache_key;
static bool have_cache_key;
#ifdef HAVE_AVX2_STEP
/* Whether the CPU runs scan_avx2(): set once, at the first call. */
static bool have_avx2;
#endif
/* langid_set_plain()'s; read and written atomically */
static bool plain_no_cache, plain_portable;

static void
cache_free(void *c)
{
	free(c);
}

/*
 * A thread's cache, zeroed, or NULL. A word reads two cache lines at
 * random in its 6 MiB, 1,536 pages of 4 KiB: far more than the first-level
 * TLB holds, and the rules' tables push them out of the second between
 * words (perf put most of word_end()'s samples on its prefetches). The
 * cache gets a block of three huge pages of its own, aligned, which Linux
 * backs with huge pages when it has them to give (transparent huge pages
 * in "madvise" mode, the default, need the advice): three TLB entries for
 * the whole cache (docs/performance.md, session 6). The results are the
 * same either way; the advice is only advice.
 */
#define CACHE_HUGE_PAGE	((size_t)2 << 20)
#define CACHE_BLOCK	(3 * CACHE_HUGE_PAGE)
static struct word_cache *
cache_alloc(void)
{
	void *p = NULL;

	_Static_assert(sizeof(struct word_cache) <= CACHE_BLOCK,
		       "the word cache fits its block");
	if (posix_memalign(&p, CACHE_HUGE_PAGE, CACHE_BLOCK) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, CACHE_BLOCK, MADV_HUGEPAGE);
#endif
	memset(p, 0, sizeof(struct word_cache));
	return p;
}

#define GRAM_SLOT_MASK	((1u << GRAM_SLOT_BITS) - 1)

static void
gram_rows_build(void)
{
	const struct langid_gram *g;
	const struct langid_post *p;
	uint32_t lower;
	uint64_t h;
	size_t i, k, slot;

	have_cache_key = pthread_key_create(&cache_key, cache_free) == 0;
#ifdef HAVE_AVX2_STEP
	__builtin_cpu_init();
	have_avx2 = __builtin_cpu_supports("avx2");
#endif
	for (i = 0; i < RF_ARRAY_SIZE(chr_tab); i++) {
		lower = 0;
		chr_tab[i].kind = (uint8_t)classify((uint32_t)i, &lower);
		chr_tab[i].lower = (uint16_t)lower;
	}

	cyr_same = true;
	for (i = 0x410; i < 0x450; i++)
		if (chr_tab[i].kind != CHR_LETTER ||
		    chr_tab[i].lower != (i < 0x430 ? i + 0x20 : i))
			cyr_same = false;
	for (i = 0; i < 0x80; i++)
		if ((chr_tab[i].kind == CHR_LETTER) !=
		    ((i | 0x20) >= 'a' && (i | 0x20) <= 'z') ||
		    (chr_tab[i].kind == CHR_LETTER && chr_tab[i].lower !=
		     (i | 0x20)))
			cyr_same = false;

#ifdef HAVE_AVX2_STEP
	for (i = langid_nmodels; i < LANGID_MAX_MODELS; i++)
		model_cap16[i] = VIT16_CAP;
#endif
	for (i = 0; i < langid_nmodels; i++) {
		model_live[i] = -1;
		if (i >= langid_first_other)
			model_penalty[i] = SC_OTHER;
		else if (i == langid_latin_ru)
			model_penalty[i] = SC_LATIN_RU;
	}

	for (i = 0; i < langid_ngrams && i < LANGID_MAX_GRAMS; i++) {
		g = &langid_grams[i];
		for (k = 0; k < g->count; k++) {
			p = &langid_posts[g->first + k];
			gram_rows[i].score[p->model] = p->score;
		}
		if (g->key <= SYM_UNKNOWN)
			gram_one[g->key] = (uint16_t)(i + 1);
		h = g->key * 0x9E3779B97F4A7C15u;
		slot = (size_t)(h >> (64 - GRAM_SLOT_BITS));
		while (gram_keys[slot] != 0)
			slot = (slot + 1) & GRAM_SLOT_MASK;
		gram_keys[slot] = g->key;
		gram_index[slot] = (uint16_t)i;
	}
}

/* The row of the n-gram key, or NULL when no model lists it. */
static inline const uint8_t *
gram_find(uint64_t key)
{
	size_t s = (size_t)((key * 0x9E3779B97F4A7C15u) >>
			    (64 - GRAM_SLOT_BITS));
	uint64_t k;

	for (;;) {
		k = gram_keys[s];
		if (k == key)
			return gram_rows[gram_index[s]].score;
		if (k == 0)
			return NULL;
		s = (s + 1) & GRAM_SLOT_MASK;
	}
}

/* The models that list the word w[0, n), as a bit set. */
static uint32_t
word_listed(const uint16_t *w, size_t n)
{
	uint64_t h = 0xCBF29CE484222325u;
	char u[4];
	size_t i, j, k, lo = 0, hi = langid_nwords, mid;

	/* FNV-1a over the word in UTF-8, the letters of one and two bytes
	 * encoded here */
	for (i = 0; i < n; i++) {
		if (w[i] < 0x80) {
			h = (h ^ w[i]) * 0x100000001B3u;
		} else if (w[i] < 0x800) {
			h = (h ^ (0xC0 | w[i] >> 6)) * 0x100000001B3u;
			h = (h ^ (0x80 | (w[i] & 0x3F))) * 0x100000001B3u;
		} else {
			k = utf8_encode(w[i], u);
			for (j = 0; j < k; j++) {
				h ^= (unsigned char)u[j];
				h *= 0x100000001B3u;
			}
		}
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (langid_words[mid].hash < h)
			lo = mid + 1;
		else if (langid_words[mid].hash > h)
			hi = mid;
		else
			return langid_words[mid].models;
	}
	return 0;
}

/* A word's score in every model (see word_score()). */
struct word_score {
	int32_t sc[LANGID_MAX_MODELS];	/* the word's score per model */
};

/* Scores the word w[0, n), 0 < n <= WORD_MAX, into *ws. */
static void
word_score(const uint16_t *w, size_t n, struct word_score *ws)
{
	uint32_t seq[WORD_MAX + 2];
#if !defined(__SSE2__) || LANGID_SCORE_UNIT != 2
	/* sums in a local array, which no row can alias: in registers */
	uint16_t acc[LANGID_MAX_MODELS] = { 0 };
#endif
#ifdef __SSE2__
	/* acc in four registers while the rows are added */
	__m128i a[4] = { _mm_setzero_si128(), _mm_setzero_si128(),
			 _mm_setzero_si128(), _mm_setzero_si128() };
#endif
	uint32_t ngrams = 0, allowed = UINT32_MAX, listed;
	int32_t base;
	const uint8_t *row;
	uint64_t key;
	size_t i, j, m, len = n + 2;

	seq[0] = SYM_BOUNDARY;
	for (i = 0; i < n; i++) {
		if (w[i] < FOLD_DIRECT_END) {
			seq[i + 1] = w[i];
			if (w[i] != UZ_APOSTROPHE)
				allowed &= langid_alpha[w[i]];
		} else {
			seq[i + 1] = SYM_UNKNOWN;
			allowed = 0;
		}
	}
	seq[len - 1] = SYM_BOUNDARY;
	for (i = 0; i < len; i++) {
		key = 0;
		for (j = 0; j < GRAM_MAX && j <= i; j++) {
			key |= (uint64_t)seq[i - j] << (SYM_BITS * j);
			if (j == 0) {
				if (seq[i] == SYM_BOUNDARY)
					continue;
				row = gram_one[seq[i]] == 0 ? NULL :
					gram_rows[gram_one[seq[i]] - 1].score;
			} else {
				row = gram_find(key);
			}
			if (row == NULL) {
				/* nor any longer n-gram ending here */
				ngrams += (i < GRAM_MAX ? i + 1 : GRAM_MAX) - j;
				break;
			}
			ngrams++;
#ifdef __SSE2__
			{
				/* the row's 32 bytes widened to 16 bits */
				const __m128i z = _mm_setzero_si128();
				__m128i lo = _mm_loadu_si128(
					(const __m128i *)(const void *)row);
				__m128i hi = _mm_loadu_si128(
					(const __m128i *)(const void *)
					(row + 16));

				a[0] = _mm_add_epi16(a[0],
						     _mm_unpacklo_epi8(lo, z));
				a[1] = _mm_add_epi16(a[1],
						     _mm_unpackhi_epi8(lo, z));
				a[2] = _mm_add_epi16(a[2],
						     _mm_unpacklo_epi8(hi, z));
				a[3] = _mm_add_epi16(a[3],
						     _mm_unpackhi_epi8(hi, z));
			}
#else
			for (m = 0; m < LANGID_MAX_MODELS; m++)
				acc[m] += row[m];
#endif
		}
	}
	/*
	 * A model's score for the word: its n-grams' scores, or all n-grams
	 * unlisted and SC_FOREIGN when a letter is outside its alphabet;
	 * SC_LISTED for a listed word; the model's own penalty.
	 */
	listed = word_listed(w, n);
	base = langid_unseen * (int32_t)ngrams;
#if defined(__SSE2__) && LANGID_SCORE_UNIT == 2
	{
		/* four models a vector: lane t of vector k is model 4k + t */
		const __m128i z = _mm_setzero_si128();
		const __m128i al = _mm_set1_epi32((int)allowed);
		const __m128i li = _mm_set1_epi32((int)listed);
		const __m128i foreign = _mm_set1_epi32(-SC_FOREIGN);
		const __m128i lsc = _mm_set1_epi32(SC_LISTED);
		const __m128i vbase = _mm_set1_epi32(base);
		__m128i bit = _mm_set_epi32(8, 4, 2, 1), x, in, own;

		for (m = 0; m < LANGID_MAX_MODELS / 4; m++) {
			x = m % 2 ? _mm_unpackhi_epi16(a[m / 2], z) :
				    _mm_unpacklo_epi16(a[m / 2], z);
			x = _mm_add_epi32(x, x);	/* LANGID_SCORE_UNIT */
			in = _mm_cmpeq_epi32(_mm_and_si128(al, bit), bit);
			own = _mm_or_si128(_mm_and_si128(in, x),
					   _mm_andnot_si128(in, foreign));
			in = _mm_cmpeq_epi32(_mm_and_si128(li, bit), bit);
			own = _mm_add_epi32(own, _mm_and_si128(in, lsc));
			own = _mm_add_epi32(own, _mm_sub_epi32(vbase,
				_mm_loadu_si128((const __m128i *)(const void *)
						(model_penalty + 4 * m))));
			_mm_storeu_si128((__m128i *)(void *)(ws->sc + 4 * m),
					 own);
			bit = _mm_slli_epi32(bit, 4);
		}
	}
#else
#ifdef __SSE2__
	for (m = 0; m < 4; m++)
		_mm_storeu_si128((__m128i *)(void *)(acc + 8 * m), a[m]);
#endif
	for (m = 0; m < LANGID_MAX_MODELS; m++)
		ws->sc[m] = base - model_penalty[m] +
			    ((allowed >> m) & 1 ?
				     (int32_t)acc[m] * LANGID_SCORE_UNIT :
				     -SC_FOREIGN) +
			    ((listed >> m) & 1 ? SC_LISTED : 0);
#endif
}

static size_t
best_model(const int64_t *v, size_t n)
{
	size_t m, best = 0;

	for (m = 1; m < n; m++)
		if (v[m] > v[best])
			best = m;
	return best;
}

/*
 * Scores the word collected in d in every model and takes it into the
 * sums and the best paths. A model's score for the word: its n-grams'
 * scores, or all n-grams unlisted and SC_FOREIGN when a letter is outside
 * its alphabet; SC_LISTED for a listed word; the model's own penalty.
 */
static void word_score(const uint16_t *w, size_t n, struct word_score *ws);

/*
 * The key of the word w[0, n) in *k and its set, or CACHE_NONE when it
 * is not kept. w is 0 from w[n] to w[CACHE_WORD] at least, so the key is
 * the first 16 letters as they are, whatever n is.
 */
static inline size_t
cache_slot_of(const uint16_t *w, size_t n, struct cache_key *k)
{
	uint8_t b[sizeof(k->q)];
	size_t i;

	if (n <= CACHE_WORD) {
		memcpy(k->q, w, sizeof(k->q));
	} else {
		if (n > CACHE_LONG)
			return CACHE_NONE;
		memset(b, 0, sizeof(b));
		for (i = 0; i < n; i++) {
			if (w[i] >> 8 != w[0] >> 8)
				return CACHE_NONE;
			b[i] = (uint8_t)w[i];
		}
		b[30] = (uint8_t)(w[0] >> 8);
		b[31] = (uint8_t)(0x40 | n);
		memcpy(k->q, b, sizeof(k->q));
	}
	/* four products at once rather than a chain of them */
	return (size_t)((k->q[0] * 0x9E3779B97F4A7C15u +
			 k->q[1] * 0xC2B2AE3D27D4EB4Fu +
			 k->q[2] * 0x165667B19E3779F9u +
			 k->q[3] * 0xD6E8FEB86659FD93u) >>
			(64 - CACHE_SET_BITS));
}

/* Whether the key of a set a is the word's key b. */
static inline bool
cache_key_eq(const struct cache_key *a, const struct cache_key *b)
{
	return ((a->q[0] ^ b->q[0]) | (a->q[1] ^ b->q[1]) |
		(a->q[2] ^ b->q[2]) | ((a->q[3] ^ b->q[3]) & ~CACHE_MRU)) == 0;
}

/* The scores kept in cs, in sc. */
static inline void
cache_scores_get(const struct cache_scores *cs, int32_t *sc)
{
	size_t m;
#ifdef __SSE2__
	const __m128i *v = (const __m128i *)(const void *)cs;
	const __m128i base = _mm_set1_epi32(cs->base);
	const __m128i z = _mm_setzero_si128();
	__m128i x;

	/* lanes CACHE_MODELS on are base's bits: unused models' */
	for (m = 0; m < 4; m++) {
		x = _mm_load_si128(v + m);
		_mm_store_si128((__m128i *)(void *)(sc + 8 * m),
				_mm_sub_epi32(base, _mm_unpacklo_epi16(x, z)));
		_mm_store_si128((__m128i *)(void *)(sc + 8 * m + 4),
				_mm_sub_epi32(base, _mm_unpackhi_epi16(x, z)));
	}
#else
	for (m = 0; m < CACHE_MODELS; m++)
		sc[m] = cs->base - cs->d[m];
	for (; m < LANGID_MAX_MODELS; m++)
		sc[m] = cs->base;
#endif
}

/*
 * The scores of the word with key k in set s of c, marked used last, or
 * NULL when the set does not hold them.
 */
static inline const struct cache_scores *
cache_find(struct word_cache *c, size_t s, const struct cache_key *k)
{
	struct cache_set *set = &c->set[s];
	size_t way;

	way = cache_key_eq(&set->key[0], k) ? 0 :
	      cache_key_eq(&set->key[1], k) ? 1 : 2;
	if (way == 2)
		return NULL;
	if (way != !!(set->key[0].q[3] & CACHE_MRU))
		set->key[0].q[3] ^= CACHE_MRU;
	return &c->sc[2 * s + way];
}

/*
 * Scores the word w[0, n) with key k into sc, and keeps the scores in the
 * slot of set s of c used less recently when they fit; s is CACHE_NONE
 * for a word not kept.
 */
__attribute__((noinline)) static void
word_score_miss(struct word_cache *c, size_t s, const struct cache_key *k,
		const uint16_t *w, size_t n, int32_t *sc)
{
	struct word_score ws;
	struct cache_set *set;
	struct cache_scores *cs;
	int32_t lo, hi;
	size_t m, nm = langid_nmodels, way;

#ifdef __SSE2__
	const __m128i big = _mm_set1_epi32(INT32_MAX);
	const __m128i small = _mm_set1_epi32(INT32_MIN);
	const __m128i bias = _mm_set1_epi32(0x8000);
	__m128i vlo = big, vhi = small, x, live, t;
	uint16_t d[LANGID_MAX_MODELS];
#endif

	word_score(w, n, &ws);
	memcpy(sc, ws.sc, sizeof(ws.sc));
	if (s == CACHE_NONE)
		return;
#ifdef __SSE2__
	/* the least and the greatest of the models there are, four at a
	 * time, with compares and masks (pminsd is SSE4.1) */
	for (m = 0; m < LANGID_MAX_MODELS; m += 4) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(ws.sc + m));
		live = _mm_load_si128((const __m128i *)(const void *)
				      (model_live + m));
		t = _mm_or_si128(_mm_and_si128(live, x),
				 _mm_andnot_si128(live, big));
		t = _mm_cmplt_epi32(t, vlo);
		vlo = _mm_or_si128(_mm_and_si128(t, x),
				   _mm_andnot_si128(t, vlo));
		t = _mm_or_si128(_mm_and_si128(live, x),
				 _mm_andnot_si128(live, small));
		t = _mm_cmpgt_epi32(t, vhi);
		vhi = _mm_or_si128(_mm_and_si128(t, x),
				   _mm_andnot_si128(t, vhi));
	}
	for (m = 0; m < 2; m++) {
		/* the immediate must be a constant (clang checks) */
		x = m ? _mm_shuffle_epi32(vlo, _MM_SHUFFLE(2, 3, 0, 1))
		      : _mm_shuffle_epi32(vlo, _MM_SHUFFLE(1, 0, 3, 2));
		t = _mm_cmplt_epi32(x, vlo);
		vlo = _mm_or_si128(_mm_and_si128(t, x),
				   _mm_andnot_si128(t, vlo));
		x = m ? _mm_shuffle_epi32(vhi, _MM_SHUFFLE(2, 3, 0, 1))
		      : _mm_shuffle_epi32(vhi, _MM_SHUFFLE(1, 0, 3, 2));
		t = _mm_cmpgt_epi32(x, vhi);
		vhi = _mm_or_si128(_mm_and_si128(t, x),
				   _mm_andnot_si128(t, vhi));
	}
	lo = _mm_cvtsi128_si32(vlo);
	hi = _mm_cvtsi128_si32(vhi);
#else
	lo = hi = ws.sc[0];
	for (m = 1; m < nm; m++) {
		lo = ws.sc[m] < lo ? ws.sc[m] : lo;
		hi = ws.sc[m] > hi ? ws.sc[m] : hi;
	}
#endif
	if ((int64_t)hi - lo > UINT16_MAX)
		return;
	set = &c->set[s];
	way = !(set->key[0].q[3] & CACHE_MRU);
	cs = &c->sc[2 * s + way];
#ifdef __SSE2__
	/* hi - sc, 0 to 65,535, 0 for the models there are not; to 16 bits
	 * by the signed saturating pack, moved down by 0x8000 and back */
	(void)nm;
	vhi = _mm_set1_epi32(hi);
	for (m = 0; m < LANGID_MAX_MODELS; m += 8) {
		x = _mm_sub_epi32(_mm_and_si128(_mm_sub_epi32(vhi,
			_mm_loadu_si128((const __m128i *)(const void *)
					(ws.sc + m))),
			_mm_load_si128((const __m128i *)(const void *)
				       (model_live + m))), bias);
		t = _mm_sub_epi32(_mm_and_si128(_mm_sub_epi32(vhi,
			_mm_loadu_si128((const __m128i *)(const void *)
					(ws.sc + m + 4))),
			_mm_load_si128((const __m128i *)(const void *)
				       (model_live + m + 4))), bias);
		_mm_storeu_si128((__m128i *)(void *)(d + m),
				 _mm_add_epi16(_mm_packs_epi32(x, t),
					       _mm_set1_epi16((short)0x8000)));
	}
	memcpy(cs->d, d, sizeof(cs->d));
#else
	for (m = 0; m < CACHE_MODELS; m++)
		cs->d[m] = (uint16_t)(m < nm ? hi - ws.sc[m] : 0);
#endif
	cs->base = hi;
	if (way == 0) {
		set->key[0] = *k;	/* and the first slot used last */
	} else {
		set->key[1] = *k;
		set->key[0].q[3] |= CACHE_MRU;
	}
}

/*
 * The scores of the word w[0, n) with key k in sc, from set s of c when
 * it holds them; else scored, and kept when they fit.
 */
static void
word_score_cached(struct word_cache *c, size_t s, const struct cache_key *k,
		  const uint16_t *w, size_t n, int32_t *sc)
{
	const struct cache_scores *cs = NULL;

	if (s != CACHE_NONE)
		cs = cache_find(c, s, k);
	if (cs != NULL)
		cache_scores_get(cs, sc);
	else
		word_score_miss(c, s, k, w, n, sc);
}

/*
 * The Viterbi step over the models m < nm for one word's scores sc: each
 * path goes on in its model or switches from the best path (SC_SWITCH
 * less) when that is better, strictly; the word's score is added. vit is
 * kept relative to its best, so that the best is 0 before the step and
 * a switch starts from -SC_SWITCH (none before the first word). Returns
 * the models entered by a switch as a bit set and the first model of the
 * best path in *best. Differences of the old int64 sums, so the same
 * choices: they stay within one word's spread of scores (at most
 * (WORD_MAX + 2) * GRAM_MAX * 255 * LANGID_SCORE_UNIT + SC_LISTED +
 * SC_FOREIGN + SC_OTHER) and SC_SWITCH, far inside int32.
 */
#ifdef __SSE2__
static uint32_t
viterbi_step(int32_t *vit, const int32_t *sc, size_t nm, bool first,
	     size_t *best)
{
	const __m128i sw = _mm_set1_epi32(first ? INT32_MIN : -SC_SWITCH);
	__m128i v[LANGID_MAX_MODELS / 4], top, t;
	uint32_t switched = 0, eq = 0, used;
	size_t k;

	used = nm >= 32 ? UINT32_MAX : (1u << nm) - 1;
	top = _mm_set1_epi32(INT32_MIN);
	for (k = 0; k < LANGID_MAX_MODELS / 4; k++) {
		/* lanes of unused models are INT32_MIN, out of the max */
		const __m128i live = _mm_load_si128((const __m128i *)
						    (const void *)
						    (model_live + 4 * k));
		__m128i x = _mm_load_si128((const __m128i *)(const void *)
					   (vit + 4 * k));
		__m128i up = _mm_cmpgt_epi32(sw, x);

		switched |= (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(up))
			    << (4 * k);
		x = _mm_or_si128(_mm_and_si128(up, sw),
				 _mm_andnot_si128(up, x));
		x = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)
						     (const void *)
						     (sc + 4 * k)));
		x = _mm_or_si128(_mm_and_si128(live, x),
				 _mm_andnot_si128(live,
						  _mm_set1_epi32(INT32_MIN)));
		v[k] = x;
		t = _mm_cmpgt_epi32(x, top);
		top = _mm_or_si128(_mm_and_si128(t, x),
				   _mm_andnot_si128(t, top));
	}
	/* the maximum of the four lanes in every lane */
	t = _mm_shuffle_epi32(top, _MM_SHUFFLE(1, 0, 3, 2));
	top = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi32(t, top), t),
			   _mm_andnot_si128(_mm_cmpgt_epi32(t, top), top));
	t = _mm_shuffle_epi32(top, _MM_SHUFFLE(2, 3, 0, 1));
	top = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi32(t, top), t),
			   _mm_andnot_si128(_mm_cmpgt_epi32(t, top), top));
	for (k = 0; k < LANGID_MAX_MODELS / 4; k++) {
		__m128i x = v[k];

		eq |= (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(
			      _mm_cmpeq_epi32(x, top))) << (4 * k);
		/* relative to the new best; unused models 0 */
		x = _mm_and_si128(_mm_sub_epi32(x, top),
				  _mm_load_si128((const __m128i *)
						 (const void *)
						 (model_live + 4 * k)));
		_mm_store_si128((__m128i *)(void *)(vit + 4 * k), x);
	}
	/* the first model with the best score, as the scalar loop took */
	*best = (size_t)__builtin_ctz(eq & used);
	return switched & used;
}
#else
static uint32_t
viterbi_step(int32_t *vit, const int32_t *sc, size_t nm, bool first,
	     size_t *best)
{
	int32_t sw = first ? INT32_MIN : -SC_SWITCH, v, top = INT32_MIN;
	uint32_t switched = 0, up;
	size_t m, top_model = 0;

	for (m = 0; m < nm; m++) {
		/* without branches: which way goes is data, not pattern */
		v = vit[m];
		up = sw > v;
		switched |= up << m;
		v = (up ? sw : v) + sc[m];
		vit[m] = v;
		top_model = v > top ? m : top_model;
		top = v > top ? v : top;
	}
	for (m = 0; m < nm; m++)
		vit[m] -= top;
	*best = top_model;
	return switched;
}
#endif

/* Words summed in int32 before they go to the int64 sums. */
#define PART_WORDS	256

/* Adds the partial sums to the totals. */
static void
part_flush(struct detector *d)
{
	size_t m;

	for (m = 0; m < LANGID_MAX_MODELS; m++) {
		d->total[m] += d->part[m] + (d->part_hi - d->part_e[m]);
		d->part[m] = 0;
		d->part_e[m] = 0;
	}
	d->part_hi = 0;
	d->npart = 0;
}

/* Adds the word's scores sc to the partial sums p. */
static inline void
part_add(int32_t *p, const int32_t *sc)
{
	size_t m;

	/* all LANGID_MAX_MODELS, unused ones too, in int32 (int64 lanes
	 * cost three times as much); a word scores above -(WORD_MAX + 2) *
	 * GRAM_MAX * (-langid_unseen + SC_FOREIGN + SC_OTHER), about -2^18,
	 * so PART_WORDS of them fit */
#ifdef __SSE2__
	/* the compiler cannot tell that sc and p do not overlap */
	for (m = 0; m < LANGID_MAX_MODELS; m += 4) {
		__m128i *v = (__m128i *)(void *)(p + m);

		_mm_store_si128(v, _mm_add_epi32(_mm_load_si128(v),
			_mm_loadu_si128((const __m128i *)(const void *)
					(sc + m))));
	}
#else
	for (m = 0; m < LANGID_MAX_MODELS; m++)
		p[m] += sc[m];
#endif
}

/* A new step for the word p, before the Viterbi step over it. */
static inline struct step *
step_new(struct detector *d, const struct pending *p)
{
	struct step *st;

	/* lang_detect() made room for every word there can be */
	ALLOC_GROW(d->steps, d->nsteps + 1, d->asteps);
	st = &d->steps[d->nsteps];
	st->letters = (uint16_t)p->letters;
	st->best = (uint8_t)d->best;
	return st;
}

/* After the word p, the first pending one, is taken: its slot cleared. */
static inline void
step_done(struct detector *d, struct pending *p)
{
	static const uint16_t zero[WORD_MAX];

	if (++d->npart == PART_WORDS)
		part_flush(d);
	d->nsteps++;
	/* a short word's first half: a copy of a size the compiler knows
	 * is a vector move or two, not a call */
	if (p->len <= CACHE_WORD + 1)
		memcpy(p->w, zero, (CACHE_WORD + 1) * sizeof(p->w[0]));
	else
		memcpy(p->w, zero, sizeof(p->w));
	d->pfirst = (d->pfirst + 1) % PEND_RING;
	d->npend--;
}

/*
 * The step of the second path over a word with scores sc and letters
 * letters, after the first path's step over it; the second path ends when
 * it meets the first.
 */
static void
path2_step(struct detector *d, const int32_t *sc, size_t letters)
{
	struct path2 *q = d->path2;
	struct step *st;

	ALLOC_GROW(q->steps, q->nsteps + 1, q->asteps);
	st = &q->steps[q->nsteps];
	st->letters = (uint16_t)letters;
	st->best = (uint8_t)q->best;
	st->switched = viterbi_step(q->vit, sc, d->nmodels, q->nsteps == 0,
				    &q->best) & d->used;
	q->nsteps++;
	/* the same state, so the same steps from here on: unused models
	 * are 0 in both */
	if (q->best == d->best && memcmp(q->vit, d->vit, sizeof(q->vit)) == 0) {
		q->met = true;
		d->path2 = NULL;
	}
}

/* Takes the first pending word into the sums and the best paths. */
static void
word_take(struct detector *d)
{
	int32_t sc[LANGID_MAX_MODELS] __attribute__((aligned(16)));
	struct pending *p = &d->pend[d->pfirst];
	struct cache_key k = { { 0 } };
	struct step *st;

	if (p->set != CACHE_NONE)
		memcpy(k.q, pending_key(p), sizeof(k.q));
	word_score_cached(d->cache, p->set, &k, p->w, p->len, sc);
	st = step_new(d, p);
	part_add(d->part, sc);
	st->switched = viterbi_step(d->vit, sc, d->nmodels, d->nsteps == 0,
				    &d->best);
	if (d->path2 != NULL)
		path2_step(d, sc, p->letters);
	step_done(d, p);
}

#ifdef HAVE_AVX2_STEP
/* A 32-bit mask of the sign bits of the 16-bit lanes of a and b, models
 * 0 to 15 then 16 to 31. */
__attribute__((target("avx2"))) static inline uint32_t
mask16(__m256i a, __m256i b)
{
	/* the pack interleaves the halves: a0-7 b0-7 a8-15 b8-15 */
	return (uint32_t)_mm256_movemask_epi8(_mm256_permute4x64_epi64(
		_mm256_packs_epi16(a, b), _MM_SHUFFLE(3, 1, 2, 0)));
}

/*
 * The 16-bit Viterbi step over a word whose capped distances below its
 * highest score are c0 (models 0 to 15) and c1 (16 to 31), models
 * there are not at VIT16_CAP: vit as above, sw what a switch starts from
 * (INT16_MIN before the first word). Returns the models entered by a
 * switch as a bit set, and the first model of the best path in *best;
 * used says which models there are.
 */
__attribute__((target("avx2"))) static inline uint32_t
vit16_step(int16_t *vit, __m256i c0, __m256i c1, int16_t sw16,
	   uint32_t used, size_t *best)
{
	const __m256i sw = _mm256_set1_epi16(sw16);
	__m256i v0 = _mm256_load_si256((const __m256i *)(const void *)vit);
	__m256i v1 = _mm256_load_si256((const __m256i *)(const void *)
				       (vit + 16));
	__m256i top, low;
	__m128i t;
	uint32_t switched, eq;

	/* sw where sw > vit, as viterbi_step() chooses */
	switched = mask16(_mm256_cmpgt_epi16(sw, v0),
			  _mm256_cmpgt_epi16(sw, v1));
	v0 = _mm256_sub_epi16(_mm256_max_epi16(v0, sw), c0);
	v1 = _mm256_sub_epi16(_mm256_max_epi16(v1, sw), c1);
	/* the maximum of the 32 lanes in every lane */
	top = _mm256_max_epi16(v0, v1);
	t = _mm_max_epi16(_mm256_castsi256_si128(top),
			  _mm256_extracti128_si256(top, 1));
	t = _mm_max_epi16(t, _mm_shuffle_epi32(t, _MM_SHUFFLE(1, 0, 3, 2)));
	t = _mm_max_epi16(t, _mm_shuffle_epi32(t, _MM_SHUFFLE(2, 3, 0, 1)));
	t = _mm_max_epi16(t, _mm_shufflelo_epi16(t, _MM_SHUFFLE(2, 3, 0, 1)));
	top = _mm256_broadcastw_epi16(t);
	eq = mask16(_mm256_cmpeq_epi16(v0, top), _mm256_cmpeq_epi16(v1, top));
	/* relative to the new best, no lower than VIT16_LOW */
	low = _mm256_set1_epi16(VIT16_LOW);
	_mm256_store_si256((__m256i *)(void *)vit,
			   _mm256_max_epi16(_mm256_sub_epi16(v0, top), low));
	_mm256_store_si256((__m256i *)(void *)(vit + 16),
			   _mm256_max_epi16(_mm256_sub_epi16(v1, top), low));
	/* the first model with the best score, as the scalar loop took */
	*best = (size_t)__builtin_ctz(eq & used);
	return switched & used;
}

/*
 * path2_step() for word_take_avx2(): the second path's 16-bit step over
 * the word whose capped distances are c0 and c1.
 */
__attribute__((target("avx2"), noinline)) static void
path2_step16(struct detector *d, __m256i c0, __m256i c1, size_t letters)
{
	struct path2 *q = d->path2;
	struct step *st;

	ALLOC_GROW(q->steps, q->nsteps + 1, q->asteps);
	st = &q->steps[q->nsteps];
	st->letters = (uint16_t)letters;
	st->best = (uint8_t)q->best;
	st->switched = vit16_step(q->vit16, c0, c1, q->nsteps == 0 ?
				  INT16_MIN : -SC_SWITCH, d->used, &q->best);
	q->nsteps++;
	/* the same state, so the same steps from here on: the models there
	 * are not are VIT16_LOW in both after a step */
	if (q->best == d->best &&
	    memcmp(q->vit16, d->vit16, sizeof(q->vit16)) == 0) {
		q->met = true;
		d->path2 = NULL;
	}
}

/*
 * A word scored or not kept, for word_take_avx2(): its scores sc as the
 * highest (returned), each model's distance below it, added to the
 * partial sums pe, and the distances capped, in c (VIT16_CAP for the
 * models there are not).
 */
static int32_t
word_dist(const int32_t *sc, size_t nm, int32_t *pe, uint16_t *c)
{
	int32_t hi = sc[0], e;
	size_t m;

	for (m = 1; m < nm; m++)
		hi = sc[m] > hi ? sc[m] : hi;
	for (m = 0; m < LANGID_MAX_MODELS; m++) {
		e = m < nm ? hi - sc[m] : VIT16_CAP;
		pe[m] += e;
		c[m] = (uint16_t)(e < VIT16_CAP ? e : VIT16_CAP);
	}
	return hi;
}

/*
 * word_take() where the CPU has AVX2: a word found in the cache goes to
 * the Viterbi step and the partial sums straight from its 16-bit
 * distances, without an int32 copy, and the step is vit16_step(), sixteen
 * models a vector, which makes the same choices as viterbi_step().
 */
__attribute__((target("avx2"))) static void
word_take_avx2(struct detector *d)
{
	struct pending *p = &d->pend[d->pfirst];
	const struct cache_scores *cs = NULL;
	__m256i c0, c1;
	struct step *st;

	_Static_assert(LANGID_MAX_MODELS == 32 &&
		       sizeof(struct cache_scores) == LANGID_MAX_MODELS * 2 &&
		       sizeof(struct cache_key) == 32,
		       "a slot's scores are two vectors of 16 bits, a key one");
	if (p->set != CACHE_NONE) {
		/* cache_find() on vectors: the word against the set's two
		 * keys, but for the used bit */
		struct cache_set *set = &d->cache->set[p->set];
		const __m256i *sk = (const __m256i *)(const void *)set->key;
		const __m256i key = _mm256_load_si256((const __m256i *)
						      pending_key(p));
		const __m256i nomru = _mm256_set_epi64x(
			(long long)~CACHE_MRU, -1, -1, -1);
		size_t way;

		way = _mm256_testz_si256(_mm256_xor_si256(
				key, _mm256_load_si256(sk)), nomru) ? 0 :
		      _mm256_testz_si256(_mm256_xor_si256(
				key, _mm256_load_si256(sk + 1)), nomru) ? 1 :
		      2;
		if (way < 2) {
			if (way != !!(set->key[0].q[3] & CACHE_MRU))
				set->key[0].q[3] ^= CACHE_MRU;
			cs = &d->cache->sc[2 * p->set + way];
		}
	}
	if (cs != NULL) {
		const __m256i e0 = _mm256_load_si256((const __m256i *)
						     (const void *)cs);
		const __m256i e1 = _mm256_load_si256((const __m256i *)
						     (const void *)cs + 1);
		__m256i *pe = (__m256i *)(void *)d->part_e;

		/* the distances to the sums, widened; lanes CACHE_MODELS
		 * on are base's bits: unused models' */
		pe[0] = _mm256_add_epi32(pe[0], _mm256_cvtepu16_epi32(
					 _mm256_castsi256_si128(e0)));
		pe[1] = _mm256_add_epi32(pe[1], _mm256_cvtepu16_epi32(
					 _mm256_extracti128_si256(e0, 1)));
		pe[2] = _mm256_add_epi32(pe[2], _mm256_cvtepu16_epi32(
					 _mm256_castsi256_si128(e1)));
		pe[3] = _mm256_add_epi32(pe[3], _mm256_cvtepu16_epi32(
					 _mm256_extracti128_si256(e1, 1)));
		d->part_hi += cs->base;
		/* capped, and the models there are not at the cap */
		c0 = _mm256_max_epu16(_mm256_min_epu16(e0, _mm256_load_si256(
				(const __m256i *)(const void *)cap16)),
			_mm256_load_si256((const __m256i *)(const void *)
					  model_cap16));
		c1 = _mm256_max_epu16(_mm256_min_epu16(e1, _mm256_load_si256(
				(const __m256i *)(const void *)cap16)),
			_mm256_load_si256((const __m256i *)(const void *)
					  (model_cap16 + 16)));
	} else {
		struct cache_key k = { { 0 } };
		uint16_t c[LANGID_MAX_MODELS] __attribute__((aligned(32)));

		if (p->set != CACHE_NONE)
			memcpy(k.q, pending_key(p), sizeof(k.q));
		word_score_miss(d->cache, p->set, &k, p->w, p->len, d->sc);
		d->part_hi += word_dist(d->sc, d->nmodels, d->part_e, c);
		c0 = _mm256_load_si256((const __m256i *)(const void *)c);
		c1 = _mm256_load_si256((const __m256i *)(const void *)
				       (c + 16));
	}
	st = step_new(d, p);
	st->switched = vit16_step(d->vit16, c0, c1, d->sw16, d->used,
				  &d->best);
	d->sw16 = -SC_SWITCH;
	if (__builtin_expect(d->path2 != NULL, 0))
		path2_step16(d, c0, c1, p->letters);
	if (++d->npart == PART_WORDS)
		part_flush(d);
	d->nsteps++;
	/* step_done()'s clearing, in vectors */
	_mm256_store_si256((__m256i *)(void *)p->w, _mm256_setzero_si256());
	if (p->len > CACHE_WORD + 1)
		_mm256_store_si256((__m256i *)(void *)p->w + 1,
				   _mm256_setzero_si256());
	d->pfirst = (d->pfirst + 1) % PEND_RING;
	d->npend--;
}
#endif

/*
 * Ends the word collected in d. It is scored when PENDING more words have
 * ended (or the text has, word_flush()), so that its cache lines, fetched
 * from memory now, have arrived by then; the words are still taken in
 * order. The next word is read into the next slot of the ring.
 */
static inline __attribute__((always_inline)) void
word_end_as(struct detector *d, bool avx2)
{
	struct cache_key k;
	struct pending *p;
	size_t sl = CACHE_NONE;

	d->apostrophe = false;
	if (d->wlen == 0)
		return;
	/* the word's slot: d->word is p->w */
	p = &d->pend[(d->pfirst + d->npend) % PEND_RING];
	if (d->cache != NULL) {
		sl = cache_slot_of(d->word, d->wlen, &k);
		if (sl != CACHE_NONE) {
			__builtin_prefetch(&d->cache->set[sl]);
			__builtin_prefetch(&d->cache->sc[2 * sl]);
			__builtin_prefetch(&d->cache->sc[2 * sl + 1]);
			if (d->wlen > CACHE_WORD)
				p->key = k;
		}
	}
	p->len = d->wlen;
	p->letters = d->wletters;
	p->set = sl;
	if (++d->npend > PENDING) {
#ifdef HAVE_AVX2_STEP
		if (avx2)
			word_take_avx2(d);
		else
#endif
			word_take(d);
	}
	d->word = d->pend[(d->pfirst + d->npend) % PEND_RING].w;
	d->wlen = 0;
	d->wletters = 0;
}

/* word_end_as() out of line, for the places words seldom end. */
__attribute__((noinline)) static void
word_end(struct detector *d)
{
	word_end_as(d, d->avx2);
}

/* Ends the last word and scores it. */
static void
word_flush(struct detector *d)
{
	word_end(d);
	while (d->npend > 0) {
#ifdef HAVE_AVX2_STEP
		if (d->avx2)
			word_take_avx2(d);
		else
#endif
			word_take(d);
	}
}

static void
word_add(struct detector *d, uint32_t cp)
{
	if (d->wlen + (d->apostrophe ? 2 : 1) > WORD_MAX)
		word_end(d);
	if (d->apostrophe && d->wlen > 0)
		d->word[d->wlen++] = UZ_APOSTROPHE;
	d->apostrophe = false;
	d->word[d->wlen++] = (uint16_t)cp;
	d->wletters++;
}

#ifdef __SSE2__
/*
 * The constants of cyr_run() and ascii_run(), loaded from memory: made
 * with _mm_set1_*(), or read from this table where the compiler can see
 * it, they were built anew in registers at every run (three instructions
 * each). The table is reached through a pointer the compiler cannot see
 * through (run_consts()), so the loads stay loads, folded into the
 * instructions that use them.
 */
struct run_consts {
	uint16_t one[8], six[8], base[8], mask[8], want[8], lo[8], hi[8],
		 upper[8], case_bit[8], lane[8];
	uint8_t bit5[16], a[16], minus1[16], n26[16], byte[16];
};
#define V16(x)	{ x, x, x, x, x, x, x, x }
#define V8(x)	{ x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x }
static const struct run_consts run_k __attribute__((aligned(16))) = {
	V16(1), V16(0x3F), V16(0x400), V16(0xC0FE), V16(0x80D0), V16(0x40F),
	V16(0x450), V16(0x430), V16(0x20), { 0, 1, 2, 3, 4, 5, 6, 7 },
	V8(0x20), V8('a'), V8(0xFF), V8(26),
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
};
#undef V16
#undef V8
#define RUN_K(f)	_mm_load_si128((const __m128i *)(const void *)k->f)

/* &run_k, hidden from the optimiser (see above) */
static inline const struct run_consts *
run_consts(void)
{
	const struct run_consts *k = &run_k;

	__asm__("" : "+r"(k));
	return k;
}

/*
 * The letters А to я (U+0410 to U+044F, two bytes each) at the start of
 * the 16 bytes at s, at most eight: written to w in lower case, 16 bits
 * each, and 0 in the rest of w[0, 8). Returns how many there are.
 */
static inline __attribute__((always_inline)) size_t
cyr_run(const struct run_consts *k, const unsigned char *s, uint16_t *w)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i cp, ok, lower;
	unsigned bad;
	size_t n;

	/* lane k holds bytes 2k (low: the lead) and 2k + 1: a lead D0 or
	 * D1 then a continuation byte, 0x400 | the lead's low bit << 6 |
	 * the continuation's six bits, from 0x410 to 0x44F */
	cp = _mm_or_si128(_mm_or_si128(
		_mm_slli_epi16(_mm_and_si128(x, RUN_K(one)), 6),
		_mm_and_si128(_mm_srli_epi16(x, 8), RUN_K(six))),
		RUN_K(base));
	ok = _mm_and_si128(_mm_cmpeq_epi16(_mm_and_si128(x, RUN_K(mask)),
					   RUN_K(want)),
			   _mm_and_si128(_mm_cmpgt_epi16(cp, RUN_K(lo)),
					 _mm_cmplt_epi16(cp, RUN_K(hi))));
	bad = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
	n = bad ? (size_t)__builtin_ctz(bad) / 2 : 8;
	/* А to Я (below 0x430) to а to я; 0 past the run */
	lower = _mm_add_epi16(cp, _mm_and_si128(_mm_cmplt_epi16(cp,
			RUN_K(upper)), RUN_K(case_bit)));
	lower = _mm_and_si128(lower, _mm_cmpgt_epi16(_mm_set1_epi16((short)n),
						     RUN_K(lane)));
	_mm_storeu_si128((__m128i *)(void *)w, lower);
	return n;
}

/*
 * The ASCII letters at the start of the 16 bytes at s: written to w in
 * lower case, 16 bits each, and 0 in the rest of w[0, 16). Returns how
 * many there are.
 */
static inline __attribute__((always_inline)) size_t
ascii_run(const struct run_consts *k, const unsigned char *s, uint16_t *w)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	const __m128i z = _mm_setzero_si128();
	__m128i l, t, ok;
	unsigned bad;
	size_t n;

	/* c | 0x20 from 'a' to 'z': t from 0 to 25, as signed bytes */
	l = _mm_or_si128(x, RUN_K(bit5));
	t = _mm_sub_epi8(l, RUN_K(a));
	ok = _mm_and_si128(_mm_cmpgt_epi8(t, RUN_K(minus1)),
			   _mm_cmplt_epi8(t, RUN_K(n26)));
	bad = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
	n = bad ? (size_t)__builtin_ctz(bad) : 16;
	l = _mm_and_si128(l, _mm_cmpgt_epi8(_mm_set1_epi8((char)n),
					    RUN_K(byte)));
	_mm_storeu_si128((__m128i *)(void *)w, _mm_unpacklo_epi8(l, z));
	_mm_storeu_si128((__m128i *)(void *)(w + 8), _mm_unpackhi_epi8(l, z));
	return n;
}
#endif

/*
 * Takes the letters of one or two bytes from s[i] on into the word of d
 * while no apostrophe waits and the word has room (what word_add() does
 * then: append), with the word's length in a register; returns where it
 * stopped, at the first character it leaves to scan().
 */
static inline __attribute__((always_inline)) size_t
scan_letters(struct detector *d, const unsigned char *s, size_t i,
	     size_t len)
{
	size_t wlen = d->wlen, start = wlen;
#ifdef __SSE2__
	const struct run_consts *k = run_consts();
	size_t n;
#endif
	uint32_t cp;
	const struct chr_info *e;

	if (d->apostrophe)
		return i;
	while (i < len && wlen < WORD_MAX) {
#ifdef __SSE2__
		/* runs of А to я and of ASCII letters, a vector at a time;
		 * then the character after them as below. Only from a lead
		 * byte of one, or a letter: anything else would make a run
		 * of none. */
		if (d->cyr_runs && len - i >= 16) {
			if ((s[i] & 0xFE) == 0xD0 && wlen <= WORD_MAX - 8) {
				n = cyr_run(k, s + i, d->word + wlen);
				i += 2 * n;
				wlen += n;
				if (n == 8)
					continue;
			} else if (wlen <= WORD_MAX - 16 &&
				   (unsigned)((s[i] | 0x20) - 'a') < 26) {
				n = ascii_run(k, s + i, d->word + wlen);
				i += n;
				wlen += n;
				if (n == 16)
					continue;
			}
		}
#endif
		if (s[i] < 0x80) {
			e = &chr_tab[s[i]];
			if (e->kind != CHR_LETTER)
				break;
			i++;
		} else if (s[i] >= 0xC2 && s[i] < 0xE0 && i + 1 < len &&
			   (s[i + 1] & 0xC0) == 0x80) {
			cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
			e = &chr_tab[cp];
			if (e->kind != CHR_LETTER)
				break;
			i += 2;
		} else {
			break;
		}
		d->word[wlen++] = e->lower;
	}
	d->wletters += wlen - start;
	d->wlen = wlen;
	return i;
}

/*
 * Reads the text into words and scores them, as a whole; avx2 when
 * d->avx2 (word_take_avx2()), a constant where it is inlined (scan()
 * and scan_avx2(), compiled for AVX2 and able to inline it).
 */
static inline __attribute__((always_inline)) void
scan_as(struct detector *d, const char *text, size_t len, bool avx2)
{
	size_t i = 0, n;
	uint32_t cp, lower = 0, c;

	const unsigned char *s = (const unsigned char *)text;
	enum chr kind;

	if (!text)
		return;	/* no text (len is 0 then) */
	while (i < len) {
		i = scan_letters(d, s, i, len);
		if (i == len)
			break;
		/* ASCII separators, what mostly follows a word: the first
		 * ends it, the others do nothing */
		if (s[i] < 0x80 && chr_tab[s[i]].kind == CHR_SEP) {
			word_end_as(d, avx2);
			do
				i++;
			while (i < len && s[i] < 0x80 &&
			       chr_tab[s[i]].kind == CHR_SEP);
			continue;
		}
		if (s[i] < 0x80) {
			cp = s[i];
			n = 1;
		} else if (s[i] >= 0xC2 && s[i] < 0xE0 && i + 1 < len &&
			   (s[i + 1] & 0xC0) == 0x80) {
			cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
			n = 2;
		} else {
			n = utf8_decode(text + i, len - i, &cp);
			if (n == 0)
				n = 1;	/* invalid: U+FFFD, a separator */
		}
		i += n;
		if (cp < RF_ARRAY_SIZE(chr_tab)) {
			kind = (enum chr)chr_tab[cp].kind;
			lower = chr_tab[cp].lower;
		} else {
			kind = classify(cp, &lower);
		}
		switch (kind) {
		case CHR_LETTER:
			word_add(d, lower);
			break;
		case CHR_MARK:
			/* й typed as и + U+0306: compose, else ignore */
			if (d->wlen > 0 && !d->apostrophe) {
				c = compose(d->word[d->wlen - 1], cp);
				if (c != 0)
					d->word[d->wlen - 1] = (uint16_t)c;
			}
			break;
		case CHR_APOSTROPHE:
			if (d->wlen > 0 && !d->apostrophe)
				d->apostrophe = true;
			else
				word_end(d);
			break;
		case CHR_OTHER:
			word_end(d);
			d->nother++;
			break;
		case CHR_SEP:
			word_end(d);
			break;
		}
	}
	word_flush(d);
}

static void
scan(struct detector *d, const char *text, size_t len)
{
	scan_as(d, text, len, false);
}

#ifdef HAVE_AVX2_STEP
/* flatten: word_take_avx2() inlined too, where it is called for most
 * words */
__attribute__((target("avx2"), flatten)) static void
scan_avx2(struct detector *d, const char *text, size_t len)
{
	scan_as(d, text, len, true);
}
#endif

/*
 * Walks the best path back over steps[from, to), where it is in model cur
 * after the last, counting the letters of each model; returns its model
 * at steps[from]. A path's first step has switched 0.
 */
static size_t
path_walk(const struct step *steps, size_t from, size_t to, size_t cur,
	  size_t *letters)
{
	size_t t;

	for (t = to; t-- > from;) {
		letters[cur] += steps[t].letters;
		if (steps[t].switched & (1u << cur))
			cur = steps[t].best;
	}
	return cur;
}

/* The confidence in lang: its share of exp((sum - best) / T) over all. */
static double
confidence(const int64_t *total, size_t nmodels, size_t best,
	   enum lang_id lang)
{
	double p = 0, all = 0, e;
	size_t m;
	/* the portable way (langid_set_plain()) adds every term, for the
	 * tests to compare with */
	bool skip = !__atomic_load_n(&plain_portable, __ATOMIC_RELAXED);

	for (m = 0; m < nmodels; m++) {
		/* exp() is +0 below -745.2: adding it changes nothing */
		if (total[m] - total[best] < -746 * (int64_t)SC_TEMPERATURE)
			continue;
		/* nor below -38, where it is under 3.2e-17, less than half
		 * the spacing of the doubles from 1 on (2^-53 is 1.1e-16),
		 * to sums already at 1 or more (the best model's term is
		 * 1): they round back to themselves */
		if (skip &&
		    total[m] - total[best] < -38 * (int64_t)SC_TEMPERATURE &&
		    all >= 1 && (langid_models[m].lang != lang || p >= 1))
			continue;
		e = exp((double)(total[m] - total[best]) / SC_TEMPERATURE);
		all += e;
		if (langid_models[m].lang == lang)
			p += e;
	}
	return all > 0 ? p / all : 0;
}

static void
result_shares(struct lang_result *r, const size_t *lang_letters,
	      size_t letters)
{
	struct lang_share s;
	size_t i, j;

	r->npresent = 0;
	for (i = 0; i < LANG_COUNT; i++) {
		if (lang_letters[i] == 0)
			continue;
		s.lang = (enum lang_id)i;
		s.share = (double)lang_letters[i] / (double)letters;
		for (j = r->npresent; j > 0 && r->present[j - 1].share <
		     s.share; j--)
			r->present[j] = r->present[j - 1];
		r->present[j] = s;
		r->npresent++;
	}
}

/*
 * A text's result in *out from its sums total[] over nmodels models, the
 * letters[] of each model on its best path and its letters of other
 * scripts.
 */
static void
result_make(const int64_t *total, size_t nmodels, const size_t *letters,
	    size_t nother, struct lang_result *out)
{
	size_t lang_letters[LANG_COUNT] = { 0 };
	size_t m, best, nletters;
	enum lang_id lang, major;

	memset(out, 0, sizeof(*out));
	nletters = nother;
	for (m = 0; m < nmodels; m++) {
		lang_letters[langid_models[m].lang] += letters[m];
		nletters += letters[m];
	}
	lang_letters[LANG_OTHER] += nother;
	out->nletters = nletters;
	if (nletters < LANG_MIN_LETTERS)
		return;
	result_shares(out, lang_letters, nletters);

	if (nother * 2 > nletters) {
		out->lang = LANG_OTHER;
		out->confidence = (double)nother / (double)nletters;
		return;
	}
	best = best_model(total, nmodels);
	lang = langid_models[best].lang;
	major = out->present[0].lang;
	if (lang_letters[lang] * 2 < nletters &&
	    lang_letters[major] > lang_letters[lang]) {
		/* mixed: the language of most letters, not the best sum */
		out->lang = major;
		out->confidence = out->present[0].share;
		out->latin_ru = major == LANG_RU &&
			letters[langid_latin_ru] * 2 > lang_letters[LANG_RU];
		return;
	}
	out->lang = lang;
	out->confidence = confidence(total, nmodels, best, lang);
	out->latin_ru = best == langid_latin_ru;
}

/* The best paths' state before the first word, in vit[]. */
static void
vit_start(int32_t *vit, size_t nmodels)
{
	size_t m;

	for (m = 0; m < LANGID_MAX_MODELS; m++)
		vit[m] = m >= langid_first_other && m < nmodels ?
			 -SC_OTHER_TEXT : 0;
}

/* The 16-bit state of the best paths (vit16_step()) of vit, at the start. */
static void
vit16_start(int16_t *vit16, const int32_t *vit)
{
	size_t m;

	for (m = 0; m < LANGID_MAX_MODELS; m++)
		vit16[m] = (int16_t)vit[m];
}

/* Prepares d, caller-owned, for a text of at most nwords words. */
static void
detector_init(struct detector *d, size_t nwords)
{
	size_t m;

	pthread_once(&gram_rows_once, gram_rows_build);
	memset(d, 0, sizeof(*d));
	d->nmodels = langid_nmodels;
	d->word = d->pend[0].w;
	d->used = d->nmodels >= 32 ? UINT32_MAX : (1u << d->nmodels) - 1;
	d->sw16 = INT16_MIN;
	d->cyr_runs = cyr_same &&
		      !__atomic_load_n(&plain_portable, __ATOMIC_RELAXED);
#ifdef HAVE_AVX2_STEP
	d->avx2 = have_avx2 &&
		  !__atomic_load_n(&plain_portable, __ATOMIC_RELAXED);
#endif
	/* the cache holds CACHE_MODELS scores a word */
	if (have_cache_key && langid_nmodels <= CACHE_MODELS &&
	    !__atomic_load_n(&plain_no_cache, __ATOMIC_RELAXED)) {
		d->cache = pthread_getspecific(cache_key);
		if (d->cache == NULL) {
			/* none when there is no memory: slower, the same */
			d->cache = cache_alloc();
			if (d->cache != NULL &&
			    pthread_setspecific(cache_key, d->cache) != 0) {
				free(d->cache);
				d->cache = NULL;
			}
		}
	}
	for (m = langid_first_other; m < d->nmodels; m++)
		d->total[m] = -SC_OTHER_TEXT;
	vit_start(d->vit, d->nmodels);
	vit16_start(d->vit16, d->vit);
	if (nwords > 0) {
		d->asteps = nwords;
		d->steps = xreallocarray(NULL, d->asteps, sizeof(*d->steps));
	}
}

/*
 * Reads len bytes of text into d's words and scores them, as if they
 * followed what d read before and a separator.
 */
static void
detector_scan(struct detector *d, const char *text, size_t len)
{
	if (len == 0)
		return;
#ifdef HAVE_AVX2_STEP
	if (d->avx2)
		scan_avx2(d, text, len);
	else
#endif
		scan(d, text, len);
	part_flush(d);
}

/*
 * The most words len bytes of text can hold: a word has a letter and, but
 * for the last, a separator or WORD_MAX letters after it: two bytes at
 * least.
 */
static size_t
words_max(size_t len)
{
	return len > 0 ? len / 2 + 1 : 0;
}

void
lang_detect(const char *text, size_t len, struct lang_result *out)
{
	struct detector d;
	size_t letters[LANGID_MAX_MODELS] = { 0 };

	if (text == NULL)
		len = 0;
	len = utf8_prefix(text, len, RF_LANGID_MAX_BYTES);
	detector_init(&d, words_max(len));
	detector_scan(&d, text, len);
	path_walk(d.steps, 0, d.nsteps, d.best, letters);
	result_make(d.total, d.nmodels, letters, d.nother, out);
	free(d.steps);
}

void
lang_detect_pair(const char *a, size_t alen, const char *b, size_t blen,
		 struct lang_result *joined, struct lang_result *first,
		 struct lang_result *second)
{
	struct detector d;
	struct path2 q;
	int64_t total_a[LANGID_MAX_MODELS], total_b[LANGID_MAX_MODELS];
	size_t letters[LANGID_MAX_MODELS], shared[LANGID_MAX_MODELS] = { 0 };
	size_t m, k, best_a, nother_a, met, cur;
	char *ab;

	if (a == NULL)
		alen = 0;
	if (b == NULL)
		blen = 0;
	if (alen >= RF_LANGID_MAX_BYTES || blen >= RF_LANGID_MAX_BYTES ||
	    alen + 1 + blen > RF_LANGID_MAX_BYTES) {
		/* a + "\n" + b is cut: one at a time */
		ab = xmalloc(alen + 1 + blen);
		if (alen > 0)
			memcpy(ab, a, alen);
		ab[alen] = '\n';
		if (blen > 0)
			memcpy(ab + alen + 1, b, blen);
		lang_detect(ab, alen + 1 + blen, joined);
		free(ab);
		lang_detect(a, alen, first);
		lang_detect(b, blen, second);
		return;
	}
	/*
	 * The words of a + "\n" + b are a's then b's, read the same way
	 * (the separator ends a's last word as the end of a does, and no
	 * word or mark carries over it), so reading a and then b is reading
	 * the whole; a's own sums, steps and best path are the whole's
	 * after its last word, b's sums the whole's less a's. Only b's best
	 * paths differ, for a while, and run beside.
	 */
	detector_init(&d, words_max(alen) + words_max(blen));
	detector_scan(&d, a, alen);
	k = d.nsteps;
	best_a = d.best;
	nother_a = d.nother;
	memcpy(total_a, d.total, sizeof(total_a));

	memset(&q, 0, sizeof(q));
	vit_start(q.vit, d.nmodels);
	vit16_start(q.vit16, q.vit);
	d.path2 = &q;
	detector_scan(&d, b, blen);
	d.path2 = NULL;

	/* the whole's best path and b's are one from where they met */
	met = q.met ? k + q.nsteps : d.nsteps;
	cur = path_walk(d.steps, met, d.nsteps, d.best, shared);
	memcpy(letters, shared, sizeof(letters));
	path_walk(d.steps, 0, met, cur, letters);
	result_make(d.total, d.nmodels, letters, d.nother, joined);

	memset(letters, 0, sizeof(letters));
	path_walk(d.steps, 0, k, best_a, letters);
	result_make(total_a, d.nmodels, letters, nother_a, first);

	for (m = 0; m < LANGID_MAX_MODELS; m++)
		total_b[m] = d.total[m] - total_a[m] +
			     (m >= langid_first_other && m < d.nmodels ?
			      -SC_OTHER_TEXT : 0);
	memcpy(letters, shared, sizeof(letters));
	path_walk(q.steps, 0, q.nsteps, q.met ? cur : q.best, letters);
	result_make(total_b, d.nmodels, letters, d.nother - nother_a, second);
	free(q.steps);
	free(d.steps);
}

void
langid_set_plain(bool no_cache, bool portable)
{
	__atomic_store_n(&plain_no_cache, no_cache, __ATOMIC_RELAXED);
	__atomic_store_n(&plain_portable, portable, __ATOMIC_RELAXED);
}

enum lang_id
lang_identify(const char *text, size_t len, double *confidence_out)
{
	struct lang_result r;

	lang_detect(text, len, &r);
	if (confidence_out != NULL)
		*confidence_out = r.confidence;
	return r.lang;
}

double
lang_share(const struct lang_result *r, enum lang_id lang)
{
	size_t i;

	for (i = 0; i < r->npresent; i++)
		if (r->present[i].lang == lang)
			return r->present[i].share;
	return 0;
}
