/*
 * fuzz-rulecache.c: the reader of the cache of compiled rulesets
 * (rules/cache.c) over any bytes. The input is an entry's payload (what
 * follows the header); the target puts a header before it and decodes it
 * with the checksum off, so the fuzzer reaches every field. Whatever the
 * decoder accepts must make a ruleset that scans a fixed document and
 * runs its inline examples.
 */
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/limits.h"
#include "rules/rules-int.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static const char body[] =
	"Требуются официантки в Дубай, без опыта, зарплата от 2000$. "
	"Визу оформим, билеты за счёт работодателя, до 25 лет. Hostess "
	"wanted in Dubai, WhatsApp +7 701 123 45 67, @recruit_kz.";

static void
scan_fixed(const struct ruleset *rs)
{
	struct matcher *m = matcher_new(rs);
	struct scan_input in = { 0 };
	struct scan_result res;
	size_t passed, failed;

	in.text[FIELD_TITLE] = in.text[FIELD_BODY] = body;
	in.len[FIELD_TITLE] = in.len[FIELD_BODY] = sizeof(body) - 1;
	in.text[FIELD_CONTACTS] = "+77011234567\n";
	in.len[FIELD_CONTACTS] = 13;
	scan_result_init(&res);
	FUZZ_ASSERT(matcher_scan(m, &in, &res) == RF_OK);
	FUZZ_ASSERT(res.nfired <= ruleset_count(rs));
	for (size_t i = 0; i < res.nhits; i++)
		FUZZ_ASSERT(res.hits[i].start < res.hits[i].end &&
			    res.hits[i].end <= in.len[res.hits[i].field]);
	scan_result_release(&res);
	matcher_free(m);
	FUZZ_ASSERT(ruleset_test(rs, NULL, NULL, &passed, &failed) == RF_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf file;
	struct cache_entry e;
	struct ruleset *rs;
	unsigned char len[8];
	size_t i;
	uint32_t format = CACHE_FORMAT;

	if (size > RF_RULECACHE_MAX_BYTES / 2)
		return 0;
	buf_init(&file, RF_RULECACHE_MAX_BYTES);
	/* magic, the format, 0, a zero key, the length, a zero checksum
	 * (a fixed format here read every entry as of another format once
	 * the format changed) */
	buf_add(&file, "RFRULES\0", 8);
	for (i = 0; i < 4; i++)
		buf_addch(&file, (char)(format >> (8 * i)));
	buf_add(&file, "\0\0\0\0", 4);
	for (i = 0; i < 32; i++)
		buf_addch(&file, 0);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)size >> (8 * i));
	buf_add(&file, len, 8);
	for (i = 0; i < 32; i++)
		buf_addch(&file, 0);
	buf_add(&file, data, size);
	if (cache_entry_decode((const unsigned char *)file.data, file.len,
			       NULL, false, &e) == RF_OK) {
		rs = cache_entry_ruleset(&e);
		cache_entry_release(&e);
		scan_fixed(rs);
		ruleset_free(rs);
	} else {
		/* a failed decode leaves nothing behind */
		FUZZ_ASSERT(!e.rules && !e.inputs && !e.diags &&
			    !e.image.nedges);
	}
	buf_release(&file);
	return 0;
}
