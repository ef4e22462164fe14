/*
 * fuzz-fold.c: text/text.h's normalizer, text_fold() and text_translit(),
 * and the offset map fold_span() reads. The input's first byte is a set of
 * TEXT_FOLD_* flags, the rest the text, folded with TEXT_FOLD_DEFAULT and
 * with those flags. What text.h promises is checked: the view is valid
 * UTF-8, at most RF_FOLD_EXPANSION times the input; every span of the
 * view maps to a range inside the text, widened to whole characters (so
 * on character boundaries of valid UTF-8), and an empty span to an empty
 * range; folding a folded view with the same flags gives it back; the
 * transliterated view's map leads back into the view it was made from,
 * and text_translit() zeroes the counters. Also that the map is monotone:
 * a later character of the view never maps to an earlier place of the
 * text, which reports rely on when they cut the text at two hits.
 */
#include <stdbool.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "text/text.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static bool
is_boundary(const char *s, size_t len, size_t off)
{
	return off == 0 || off == len || (s[off] & 0xC0) != 0x80;
}

/* Checks the view of f, made from len bytes at text, and its map. */
static void
check_view(const struct fold *f, const char *text, size_t len)
{
	const char *v = f->view.data;
	size_t vlen = f->view.len, i, next, s, e, prev = 0;
	bool valid = utf8_valid(text, len, NULL);

	FUZZ_ASSERT(f->orig_len == len);
	FUZZ_ASSERT(v[vlen] == '\0');
	FUZZ_ASSERT(vlen <= RF_FOLD_EXPANSION * len);
	FUZZ_ASSERT(utf8_valid(v, vlen, NULL));
	/* every character of the view, and every empty span */
	for (i = 0; i < vlen; i = next) {
		next = i + 1;
		while (next < vlen && (v[next] & 0xC0) == 0x80)
			next++;
		fold_span(f, i, next, &s, &e);
		FUZZ_ASSERT(s <= e && e <= len);
		FUZZ_ASSERT(s >= prev);
		if (valid)
			FUZZ_ASSERT(is_boundary(text, len, s) &&
				    is_boundary(text, len, e));
		prev = s;
		fold_span(f, i, i, &s, &e);
		FUZZ_ASSERT(s == e && e <= len);
		/* an offset inside the character widens to all of it */
		if (next > i + 1) {
			size_t s2, e2;

			fold_span(f, i + 1, next - 1, &s2, &e2);
			fold_span(f, i, next, &s, &e);
			FUZZ_ASSERT(s2 == s && e2 == e);
		}
	}
	fold_span(f, 0, vlen, &s, &e);
	FUZZ_ASSERT(s <= e && e <= len);
	/* past the end is clamped */
	fold_span(f, vlen, vlen + 10, &s, &e);
	FUZZ_ASSERT(s == e && e <= len);
	fold_span(f, 0, vlen + 10, &s, &e);
	FUZZ_ASSERT(s <= e && e <= len);
}

/* Folds text with flags into *out, checks it, and checks it is fixed. */
static void
fold_and_check(struct fold *out, struct fold *again, const char *text,
	       size_t len, unsigned flags)
{
	FUZZ_ASSERT(text_fold(out, text, len, flags) == RF_OK);
	check_view(out, text, len);
	FUZZ_ASSERT(text_fold(again, out->view.data, out->view.len, flags) ==
		    RF_OK);
	if (again->view.len != out->view.len ||
	    memcmp(again->view.data, out->view.data, out->view.len) != 0) {
		fprintf(stderr, "flags 0x%02x\nview:  '%s'\nagain: '%s'\n",
			flags, out->view.data, again->view.data);
		fuzz_fail(__FILE__, __LINE__, "text_fold of a view is fixed");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fold a, b, t;
	const char *text;
	size_t len;
	unsigned flags;

	if (size == 0)
		return 0;
	flags = data[0];
	text = (const char *)data + 1;
	len = size - 1;
	fold_init(&a);
	fold_init(&b);
	fold_init(&t);

	fold_and_check(&a, &b, text, len, TEXT_FOLD_DEFAULT);
	/* the transliterated view maps into the folded one */
	FUZZ_ASSERT(text_translit(&t, a.view.data, a.view.len) == RF_OK);
	check_view(&t, a.view.data, a.view.len);
	FUZZ_ASSERT(t.nmixed == 0 && t.nhomoglyph == 0 && t.nleet == 0 &&
		    t.njoined == 0 && t.ninvisible == 0 && t.ninvalid == 0);
	/* the storage of a and t is reused, as a scanner thread does */
	if (flags != TEXT_FOLD_DEFAULT)
		fold_and_check(&a, &t, text, len, flags);

	FUZZ_ASSERT(text_fold(&a, NULL, 0, flags) == RF_OK &&
		    a.view.len == 0);
	fold_release(&a);
	fold_release(&b);
	fold_release(&t);
	return 0;
}
