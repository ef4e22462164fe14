/*
 * fuzz-fold-diff.c: a libFuzzer target that folds its input with
 * text_fold() and with the frozen reference (bench/ref-fold.c) and fails
 * when the views, maps or counters differ; also lang_detect() against
 * bench/ref-langid.c, lang_detect_pair() against three lang_detect()
 * calls, and lang_detect() against its portable way (langid_set_plain():
 * the int32 step, letters one at a time, every term of the confidence)
 * and without the cache. The first byte is a set of TEXT_FOLD_* flags, used besides
 * TEXT_FOLD_DEFAULT, and where the pair's texts are cut. Not built by
 * make: in a tree configured with CC=clang --enable-fuzzing,
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -I$SRC \
 *     $SRC/bench/fuzz-fold-diff.c $SRC/bench/ref-fold.c \
 *     $SRC/bench/ref-langid.c libtext.a libcommon.a -lm -o fuzz-fold-diff
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text-int.h"
#include "text/text.h"

void ref_fold_init(struct fold *f);
void ref_fold_release(struct fold *f);
enum rf_err ref_text_fold(struct fold *out, const char *text, size_t len,
			  unsigned flags);
void ref_lang_detect(const char *text, size_t len, struct lang_result *out);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
compare(const char *text, size_t len, unsigned flags)
{
	static struct fold a, b;
	static int init;

	if (!init) {
		ref_fold_init(&a);
		fold_init(&b);
		init = 1;
	}
	if (ref_text_fold(&a, text, len, flags) !=
		    text_fold(&b, text, len, flags) ||
	    a.view.len != b.view.len ||
	    memcmp(a.view.data, b.view.data, a.view.len + 1) != 0 ||
	    a.natoms != b.natoms ||
	    (a.natoms &&
	     memcmp(a.atoms, b.atoms, a.natoms * sizeof(*a.atoms)) != 0) ||
	    a.nmixed != b.nmixed || a.nhomoglyph != b.nhomoglyph ||
	    a.nleet != b.nleet || a.njoined != b.njoined ||
	    a.ninvisible != b.ninvisible || a.ninvalid != b.ninvalid) {
		fprintf(stderr, "flags 0x%02x\nold: '%s'\nnew: '%s'\n", flags,
			a.view.data, b.view.data);
		abort();
	}
}

static int
same_result(const struct lang_result *x, const struct lang_result *y)
{
	return x->lang == y->lang && x->confidence == y->confidence &&
	       x->nletters == y->nletters && x->npresent == y->npresent &&
	       x->latin_ru == y->latin_ru &&
	       memcmp(x->present, y->present,
		      x->npresent * sizeof(x->present[0])) == 0;
}

/* lang_detect_pair() of the text cut where the first byte says against
 * lang_detect() of the whole with a newline at the cut, and of each part;
 * the cache on and off. */
static void
pair(const char *text, size_t len, unsigned char at)
{
	struct lang_result j, f, s, r;
	size_t cut = len * at / 255;
	char *ab = malloc(len + 1);

	if (ab == NULL)
		abort();
	memcpy(ab, text, cut);
	ab[cut] = '\n';
	memcpy(ab + cut + 1, text + cut, len - cut);
	langid_set_plain(at & 1, false);
	lang_detect_pair(text, cut, text + cut, len - cut, &j, &f, &s);
	lang_detect(ab, len + 1, &r);
	if (!same_result(&r, &j))
		abort();
	lang_detect(text, cut, &r);
	if (!same_result(&r, &f))
		abort();
	lang_detect(text + cut, len - cut, &r);
	if (!same_result(&r, &s))
		abort();
	langid_set_plain(false, false);
	free(ab);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lang_result x, y;
	const char *text = (const char *)data + 1;

	if (size == 0)
		return 0;
	compare(text, size - 1, TEXT_FOLD_DEFAULT);
	compare(text, size - 1, data[0]);
	ref_lang_detect(text, size - 1, &x);
	lang_detect(text, size - 1, &y);
	if (!same_result(&x, &y))
		abort();
	/* the vector paths (AVX2 16-bit step, letters in runs, confidence
	 * skipping terms) against the portable ones */
	langid_set_plain(data[0] & 2, true);
	lang_detect(text, size - 1, &x);
	langid_set_plain(false, false);
	if (!same_result(&x, &y))
		abort();
	pair(text, size - 1, data[0]);
	return 0;
}
