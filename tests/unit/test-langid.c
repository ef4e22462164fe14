/* test-langid.c: language identification (text/langid.c). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/limits.h"
#include "text/text.h"
#include "text/text-int.h"
#include "common/banned.h"

/*
 * Every text here was written for these tests by redflag's developers:
 * job-ad titles and one-sentence ads in each language. The Uzbek Cyrillic
 * ones were checked word by word against /usr/share/hunspell/uz_UZ.dic
 * (inflected forms whose stem it lists count as found).
 */
struct sample {
	enum lang_id lang;
	const char *text;
};

static const struct sample titles[] = {
	{ LANG_RU, "Требуются официанты" },
	{ LANG_RU, "Официант" },
	{ LANG_RU, "Водитель на вахту" },
	{ LANG_RU, "Работа в Дубае" },
	{ LANG_KK, "Жұмыс бар" },
	{ LANG_KK, "Даяшы қажет" },
	{ LANG_KK, "Аспаз қажет, жалақы жоғары" },
	{ LANG_KY, "Бишкекке официант керек" },
	{ LANG_KY, "Түркияга жумушка кыздар керек" },
	{ LANG_UZ_LATN, "Ish bor, maosh yaxshi" },
	{ LANG_UZ_LATN, "Dubayga ofitsiant kerak" },
	{ LANG_UZ_LATN, "Oshpaz kerak" },
	{ LANG_UZ_CYRL, "Ишга таклиф қиламиз" },
	{ LANG_UZ_CYRL, "Тошкентда ошпаз керак, маош яхши" },
	{ LANG_TG, "Кор ҳаст" },
	{ LANG_TG, "Ба Маскав коргарон лозиманд" },
	{ LANG_TK, "Iş bar" },
	{ LANG_TK, "Aşpez gerek, aýlyk gowy" },
	{ LANG_EN, "Job offer" },
	{ LANG_EN, "Waitresses needed in Dubai" },
};

static const struct sample ads[] = {
	{ LANG_RU, "Работа в Дубае для девушек 18-25 лет, билеты и виза за "
		   "счёт работодателя, жильё бесплатно." },
	{ LANG_RU, "Срочно требуются разнорабочие на стройку в Москве, "
		   "оплата каждую неделю, проживание предоставляем." },
	{ LANG_KK, "Алматы қаласына аспаз қажет. Тәжірибесі бар адамдар "
		   "хабарласыңыз." },
	{ LANG_KK, "Түркияға жұмысқа қыздар керек, билет пен виза тегін, "
		   "жалақы жоғары." },
	{ LANG_KY, "Түркияга жумушка кыздар керек, билет бекер, айлык "
		   "жакшы, тажрыйба талап кылынбайт." },
	{ LANG_KY, "Кыргызстанда иш жок, Россияга барабыз деген "
		   "жарандарга жардам беребиз." },
	{ LANG_UZ_LATN, "Koreyaga ishga taklif qilamiz, viza va "
			"chipta bepul, oylik maosh yuqori." },
	{ LANG_UZ_LATN, "Tajribasiz qizlar uchun chet elda yaxshi ish, "
			"biz bilan bogʻlaning." },
	{ LANG_UZ_CYRL, "Кореяга ишга кетиш учун ҳужжатлар тайёрлаймиз." },
	{ LANG_UZ_CYRL, "Россияга қурилишга ишчилар керак, йўл кира "
			"бепул." },
	{ LANG_UZ_CYRL, "Ўзбекистон фуқаролари учун виза масаласини ҳал "
			"қиламиз." },
	{ LANG_UZ_CYRL, "Бу иш ҳақида батафсил маълумот олиш учун "
			"қўнғироқ қилинг." },
	{ LANG_TG, "Барои кор дар Туркия духтарон даъват карда "
		   "мешаванд, чипта ройгон аст." },
	{ LANG_TG, "Ба корхонаи мо дар Маскав коргарон лозиманд, маош "
		   "ҳар ҳафта дода мешавад." },
	{ LANG_TK, "Türkiýede işe aýal gyzlar gerek, wiza we bilet mugt." },
	{ LANG_TK, "Moskwada gurluşykda işlemek üçin işçiler gerek, "
		   "aýlyk her hepde tölenýär." },
	{ LANG_EN, "Waitresses needed in Dubai, tickets and visa paid, no "
		   "experience required." },
	{ LANG_EN, "We are hiring drivers for Moscow, salary 2000$ per "
		   "month, contact us on WhatsApp." },
};

/* More Uzbek Cyrillic: NTREX, the measurement set, has none. */
static const char *const uz_cyrl[] = {
	"Тажрибасиз қизлар учун чет элда яхши иш",
	"Биз билан боғланинг, телефон рақамимиз пастда",
	"Ҳар куни нақд пул тўланади",
	"Ёш аёллар учун Дубайда ресторанда иш бор",
	"Ҳужжатларни биз ўзимиз расмийлаштирамиз",
	"Ишчи кучи керак, ётоқхона ва овқат бепул",
};

/* Russian as typed in Latin letters in ads and chats. */
static const char *const latin_russian[] = {
	"rabota v Dubae, zarplata ot 3000$ bez opyta",
	"Trebuyutsya devushki dlya raboty v Turcii",
	"Priglashaem na rabotu v Koreyu, vizu oformim",
	"Vstretim v aeroportu, pomozhem s dokumentami",
	"Bez znaniya yazyka, obuchenie na meste",
};

static void
check(enum lang_id want, const char *text, size_t len)
{
	struct lang_result r;

	lang_detect(text, len, &r);
	if (r.lang != want) {
		print_error("want %s, got %s (%.2f) for \"%.*s\"\n",
			    lang_name(want), lang_name(r.lang), r.confidence,
			    (int)(len > 200 ? 200 : len), text);
		fail();
	}
}

static void
check_str(enum lang_id want, const char *text)
{
	check(want, text, strlen(text));
}

/* What every result must satisfy, whatever the text. */
static void
check_sane(const struct lang_result *r)
{
	double sum = 0;
	size_t i;

	assert_true((unsigned)r->lang < LANG_COUNT);
	assert_true(r->confidence >= 0 && r->confidence <= 1);
	assert_true(r->npresent <= LANG_COUNT);
	for (i = 0; i < r->npresent; i++) {
		assert_true(r->present[i].share > 0);
		if (i > 0)
			assert_true(r->present[i].share <=
				    r->present[i - 1].share);
		sum += r->present[i].share;
	}
	if (r->lang == LANG_UND) {
		assert_int_equal(r->npresent, 0);
		assert_true(r->confidence == 0);
	} else {
		assert_true(sum > 0.999 && sum < 1.001);
		assert_true(lang_share(r, r->lang) > 0);
	}
}

static void
test_names(void **state)
{
	enum lang_id l, got;
	char upper[16];
	size_t i;

	(void)state;
	assert_string_equal(lang_name(LANG_UND), "und");
	assert_string_equal(lang_name(LANG_RU), "ru");
	assert_string_equal(lang_name(LANG_KK), "kk");
	assert_string_equal(lang_name(LANG_KY), "ky");
	assert_string_equal(lang_name(LANG_UZ_LATN), "uz-Latn");
	assert_string_equal(lang_name(LANG_UZ_CYRL), "uz-Cyrl");
	assert_string_equal(lang_name(LANG_TG), "tg");
	assert_string_equal(lang_name(LANG_TK), "tk");
	assert_string_equal(lang_name(LANG_EN), "en");
	assert_string_equal(lang_name(LANG_OTHER), "other");
	assert_string_equal(lang_name(LANG_COUNT), "und");
	for (l = LANG_UND; l < LANG_COUNT; l++) {
		assert_int_equal(lang_parse(lang_name(l), &got), RF_OK);
		assert_int_equal(got, l);
		for (i = 0; lang_name(l)[i] != '\0' && i + 1 < sizeof(upper);
		     i++) {
			upper[i] = lang_name(l)[i];
			if (upper[i] >= 'a' && upper[i] <= 'z')
				upper[i] = (char)(upper[i] - 'a' + 'A');
		}
		upper[i] = '\0';
		assert_int_equal(lang_parse(upper, &got), RF_OK);
		assert_int_equal(got, l);
	}
	got = LANG_TK;
	assert_int_equal(lang_parse("uz", &got), RF_EINVAL);
	assert_int_equal(lang_parse("", &got), RF_EINVAL);
	assert_int_equal(lang_parse(NULL, &got), RF_EINVAL);
	assert_int_equal(got, LANG_TK);
}

static void
test_titles(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(titles); i++)
		check_str(titles[i].lang, titles[i].text);
}

static void
test_ads(void **state)
{
	struct lang_result r;
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(ads); i++) {
		check_str(ads[i].lang, ads[i].text);
		lang_detect(ads[i].text, strlen(ads[i].text), &r);
		check_sane(&r);
		/* a whole sentence in one language is sure and unmixed */
		assert_true(r.confidence > 0.9);
		assert_true(lang_share(&r, ads[i].lang) > 0.7);
		assert_false(r.latin_ru);
	}
}

static void
test_uz_cyrl(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(uz_cyrl); i++)
		check_str(LANG_UZ_CYRL, uz_cyrl[i]);
}

/* The distinctive letters alone decide between close languages. */
static void
test_letters(void **state)
{
	(void)state;
	check_str(LANG_KK, "бұл жерде");	/* ұ */
	check_str(LANG_KY, "Көңүлүңүз үчүн рахмат");	/* ң ө ү only */
	check_str(LANG_TG, "ҷавонон");		/* ҷ */
	check_str(LANG_UZ_CYRL, "ўқувчилар");	/* ў */
	check_str(LANG_TK, "ýaşaýyş");		/* ý ş */
	check_str(LANG_UZ_LATN, "oʻquvchilar");	/* oʻ */
	check_str(LANG_UZ_LATN, "o'quvchilar");	/* typed with ' */
}

static void
test_undetermined(void **state)
{
	static const char *const texts[] = {
		"", " ", "\n\t  \n", "!!!", "...?!", "12345", "3000$",
		"+7 (701) 123-45-67", "1.5 / 2,5 - 100%", "a", "ж", "IT",
		"\xe2\x80\x8b\xe2\x80\x8b", "''", "© ®", "🙂🙂🙂",
	};
	struct lang_result r;
	double conf = 1;
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		lang_detect(texts[i], strlen(texts[i]), &r);
		check_sane(&r);
		if (r.lang != LANG_UND)
			print_error("\"%s\": %s\n", texts[i],
				    lang_name(r.lang));
		assert_int_equal(r.lang, LANG_UND);
	}
	assert_int_equal(lang_identify(NULL, 0, &conf), LANG_UND);
	assert_true(conf == 0);
	assert_int_equal(lang_identify(NULL, 10, NULL), LANG_UND);
	/* three letters are enough to guess */
	assert_int_not_equal(lang_identify("job", 3, NULL), LANG_UND);
}

static void
test_invalid_utf8(void **state)
{
	static const char *const texts[] = {
		"\xff\xfe\xfd",
		"\xd0",				/* truncated */
		"\xd0\xa0\xd0",			/* Р + truncated */
		"\xc0\xaf\xe0\x80\xaf",		/* overlong */
		"\xed\xa0\x80\xed\xbf\xbf",	/* surrogates */
		"\xf4\x90\x80\x80",		/* past U+10FFFF */
	};
	static const char ru_bad[] =
		"Требуются\xff официанты \xd0 в ресторан\xc3";
	struct lang_result r;
	unsigned char buf[512];
	uint32_t seed = 12345;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		lang_detect(texts[i], strlen(texts[i]), &r);
		check_sane(&r);
		assert_int_equal(r.lang, LANG_UND);
	}
	/* invalid bytes separate words and do not hide the language */
	check(LANG_RU, ru_bad, sizeof(ru_bad) - 1);
	/* random bytes: any answer, but a sane one and no overrun (ASan) */
	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % sizeof(buf);
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly bytes of two-byte Cyrillic and Latin */
			buf[j] = (unsigned char)((seed >> 16) % 4 == 0 ?
				 0xd0 + (seed >> 20) % 3 : (seed >> 8));
		}
		lang_detect((const char *)buf, n, &r);
		check_sane(&r);
	}
}

/* Look-alike letters of the other script inside words. */
static void
test_mixed_script(void **state)
{
	static const char disguised[] =
		"Tpeбуютcя oфициaнтки в Дубай, зapплaтa выcoкaя";
	struct fold f;

	(void)state;
	check_str(LANG_RU, disguised);
	check_str(LANG_RU, "Набираю дeвушек для работы за границей");
	/* Kazakh typed with a Latin i for і */
	check_str(LANG_KK, "Бiздiң компанияға жүргiзушi қажет");
	/* and on the folded view, where the letters are Cyrillic again */
	fold_init(&f);
	assert_int_equal(text_fold(&f, disguised, strlen(disguised),
				   TEXT_FOLD_DEFAULT), RF_OK);
	check(LANG_RU, f.view.data, f.view.len);
	fold_release(&f);
	/* decomposed letters: и + U+0306 is й, у + U+0306 is ў */
	check_str(LANG_RU, "Требуется водитель на грузовои\xcc\x86 автомобиль");
	check_str(LANG_UZ_CYRL, "у\xcc\x86қувчилар учун иш");
}

static void
test_transliterated(void **state)
{
	struct lang_result r;
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(latin_russian); i++) {
		lang_detect(latin_russian[i], strlen(latin_russian[i]), &r);
		check_sane(&r);
		if (r.lang != LANG_RU || !r.latin_ru)
			print_error("\"%s\": %s\n", latin_russian[i],
				    lang_name(r.lang));
		assert_int_equal(r.lang, LANG_RU);
		assert_true(r.latin_ru);
	}
	/* the Latin languages of the region stay themselves */
	lang_detect(ads[6].text, strlen(ads[6].text), &r);
	assert_int_equal(r.lang, LANG_UZ_LATN);
	assert_false(r.latin_ru);
	check_str(LANG_TK, ads[14].text);
	check_str(LANG_EN, ads[16].text);
	/* Cyrillic Russian is not latin_ru */
	lang_detect(ads[0].text, strlen(ads[0].text), &r);
	assert_false(r.latin_ru);
}

/* A Russian ad with a Kazakh sentence, and the other way round. */
static void
test_mixed_language(void **state)
{
	static const char ru_kk[] =
		"Работа в Дубае для девушек, билеты и виза за счёт "
		"работодателя, жильё бесплатно. Жұмыс бар, хабарласыңыз!";
	static const char ky_ru[] =
		"Москвада жумуш бар, акысы жакшы, жатакана бекер, "
		"документтерди өзүбүз жасайбыз. Работа в Москве, звоните.";
	static const char ru_en[] =
		"Требуются официанты в ресторан, график 2/2, зарплата "
		"высокая. Waitresses needed, no experience required.";
	struct lang_result r;

	(void)state;
	lang_detect(ru_kk, strlen(ru_kk), &r);
	check_sane(&r);
	assert_int_equal(r.lang, LANG_RU);
	assert_true(lang_share(&r, LANG_KK) > 0.1);
	assert_true(lang_share(&r, LANG_RU) > 0.5);
	assert_true(lang_share(&r, LANG_KY) == 0);

	lang_detect(ky_ru, strlen(ky_ru), &r);
	check_sane(&r);
	assert_int_equal(r.lang, LANG_KY);
	assert_true(lang_share(&r, LANG_RU) > 0.1);

	lang_detect(ru_en, strlen(ru_en), &r);
	check_sane(&r);
	assert_int_equal(r.lang, LANG_RU);
	assert_true(lang_share(&r, LANG_EN) > 0.2);
	assert_true(r.npresent >= 2);
}

static void
test_other(void **state)
{
	static const char ru_cjk[] = "Требуются продавцы в магазин 北京";
	struct lang_result r;

	(void)state;
	check_str(LANG_OTHER, "Arbeit in Deutschland für Frauen, "
			      "Unterkunft kostenlos");
	check_str(LANG_OTHER, "Робота в Польщі для жінок, житло "
			      "безкоштовне");
	check_str(LANG_OTHER, "Türkiye'de garson aranıyor, maaş yüksek");
	check_str(LANG_OTHER, "迪拜招聘服务员");
	check_str(LANG_OTHER, "وظائف في دبي للنساء");
	check_str(LANG_OTHER, "Εργασία στην Ελλάδα");
	/* a Russian ad with a Chinese name: mostly Russian */
	lang_detect(ru_cjk, strlen(ru_cjk), &r);
	check_sane(&r);
	assert_int_equal(r.lang, LANG_RU);
	assert_true(lang_share(&r, LANG_OTHER) > 0);
}

static void
test_long(void **state)
{
	static const char para[] =
		"Алматы қаласындағы мейрамханаға даяшылар мен аспаздар "
		"қажет. Жалақы жоғары, тәжірибесі жоқ адамдарды да "
		"үйретеміз. Жатақхана мен тамақ тегін беріледі. ";
	struct lang_result r;
	size_t n = 0, cap = 3 * RF_LANGID_MAX_BYTES, len = strlen(para);
	char *text = malloc(cap + 1);
	char *word = malloc(5001);

	(void)state;
	assert_non_null(text);
	assert_non_null(word);
	while (n + len <= cap) {
		memcpy(text + n, para, len);
		n += len;
	}
	text[n] = '\0';
	lang_detect(text, n, &r);
	check_sane(&r);
	assert_int_equal(r.lang, LANG_KK);
	assert_true(r.confidence > 0.99);
	/* only the first RF_LANGID_MAX_BYTES are looked at */
	assert_true(r.nletters < RF_LANGID_MAX_BYTES);
	assert_true(r.nletters > RF_LANGID_MAX_BYTES / 4);

	/* one word of 5000 letters */
	memset(word, 'a', 5000);
	word[5000] = '\0';
	lang_detect(word, 5000, &r);
	check_sane(&r);
	assert_int_equal(r.nletters, 5000);
	free(word);
	free(text);
}

/* Every field of a and b the same, the doubles bit for bit. */
static void
check_same(const struct lang_result *a, const struct lang_result *b)
{
	size_t i;

	assert_int_equal(a->lang, b->lang);
	assert_memory_equal(&a->confidence, &b->confidence,
			    sizeof(a->confidence));
	assert_int_equal(a->latin_ru, b->latin_ru);
	assert_int_equal(a->nletters, b->nletters);
	assert_int_equal(a->npresent, b->npresent);
	for (i = 0; i < a->npresent; i++) {
		assert_int_equal(a->present[i].lang, b->present[i].lang);
		assert_memory_equal(&a->present[i].share, &b->present[i].share,
				    sizeof(a->present[i].share));
	}
}

/* Letters of the made-up words below, in UTF-8. */
static const char *const letters[] = {
	"а", "б", "в", "г", "д", "е", "ж", "з", "и", "й", "к", "л", "м",
	"н", "о", "п", "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ",
	"ъ", "ы", "ь", "э", "ю", "я", "ё", "Д", "ә", "ғ", "қ", "ң", "ө",
	"ұ", "ү", "һ", "і", "ў", "ҳ", "ҷ", "ӣ", "a", "e", "o", "s", "t",
	"q", "x", "ş", "ç", "ı", "ö", "'", "\xca\xbb", "\xcc\x86",
	"А", "Я", "П", "Р", "Z", "A", "m",
};

#define MADE_TEXTS	160
#define MADE_WORDS	120

/*
 * Text k of MADE_TEXTS, made up: MADE_WORDS words of 1 to 40 letters
 * drawn at random, most of them seen nowhere else, so that the cache
 * of word scores has to replace words, and words of every length around
 * what it keeps (15 letters) and what is scored in one piece (32). In
 * every other text the words begin with the same four letters, which
 * the cache must not take for the same word.
 */
static char *
made_text(size_t k, size_t *len)
{
	uint64_t x = 0x9E3779B97F4A7C15u * (k + 1);
	char *t = malloc(MADE_WORDS * (40 * 2 + 1) + 1);
	size_t n = 0, w, i, wl, l;
	const char *c;

	assert_non_null(t);
	for (w = 0; w < MADE_WORDS; w++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		wl = 1 + x % 40;
		if (k % 2 == 1) {
			memcpy(t + n, "пров", strlen("пров"));
			n += strlen("пров");
			wl = wl > 36 ? 36 : wl;
		}
		for (i = 0; i < wl; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* mostly Russian letters, as in the vacancies */
			c = letters[x % 8 < 6 ? x / 8 % 33 :
				    x / 8 % RF_ARRAY_SIZE(letters)];
			l = strlen(c);
			memcpy(t + n, c, l);
			n += l;
		}
		t[n++] = ' ';
	}
	t[n] = '\0';
	*len = n;
	return t;
}

/*
 * The cache of word scores, the vector Viterbi steps and the letters а
 * to я read 16 bytes at a time change nothing but the time: made-up
 * texts and the ads, without the cache and with the portable way (the
 * reference), then in every other way, twice with the cache (empty
 * words, then words seen).
 */
static void
test_plain_same(void **state)
{
	static const struct {
		bool no_cache, portable;
	} ways[] = {
		{ false, false }, { false, false }, { false, true },
		{ false, true }, { true, false },
	};
	struct lang_result *ref, r;
	char *text[MADE_TEXTS + RF_ARRAY_SIZE(ads)];
	size_t len[MADE_TEXTS + RF_ARRAY_SIZE(ads)];
	size_t n = RF_ARRAY_SIZE(text), i, w;

	(void)state;
	for (i = 0; i < MADE_TEXTS; i++)
		text[i] = made_text(i, &len[i]);
	for (i = 0; i < RF_ARRAY_SIZE(ads); i++) {
		text[MADE_TEXTS + i] = strdup(ads[i].text);
		assert_non_null(text[MADE_TEXTS + i]);
		len[MADE_TEXTS + i] = strlen(ads[i].text);
	}
	ref = calloc(n, sizeof(*ref));
	assert_non_null(ref);
	langid_set_plain(true, true);
	for (i = 0; i < n; i++) {
		lang_detect(text[i], len[i], &ref[i]);
		check_sane(&ref[i]);
	}
	for (w = 0; w < RF_ARRAY_SIZE(ways); w++) {
		langid_set_plain(ways[w].no_cache, ways[w].portable);
		for (i = 0; i < n; i++) {
			lang_detect(text[i], len[i], &r);
			check_same(&ref[i], &r);
		}
	}
	langid_set_plain(false, false);
	for (i = 0; i < n; i++)
		free(text[i]);
	free(ref);
}

/* lang_detect_pair(a, b) against lang_detect() of a + "\n" + b, a, b. */
static void
check_pair(const char *a, size_t alen, const char *b, size_t blen)
{
	struct lang_result j, f, s, r;
	char *ab = malloc(alen + blen + 1);

	assert_non_null(ab);
	if (alen > 0)
		memcpy(ab, a, alen);
	ab[alen] = '\n';
	if (blen > 0)
		memcpy(ab + alen + 1, b, blen);
	lang_detect_pair(a, alen, b, blen, &j, &f, &s);
	lang_detect(ab, alen + 1 + blen, &r);
	check_same(&r, &j);
	lang_detect(a, alen, &r);
	check_same(&r, &f);
	lang_detect(b, blen, &r);
	check_same(&r, &s);
	free(ab);
}

/*
 * lang_detect_pair() gives what its three lang_detect() calls give, in
 * every way of reading: titles before ads in other languages (the second
 * text's best paths differ from the whole's for a while), made-up texts
 * cut anywhere (inside a character, a word, after an apostrophe or before
 * a mark), empty halves, and halves too long to be read whole together.
 */
static void
test_pair_same(void **state)
{
	static const struct {
		bool no_cache, portable;
	} ways[] = {
		{ false, false }, { false, true }, { true, false },
		{ true, true },
	};
	char *t, *big;
	size_t w, i, j, len, cut, n = RF_LANGID_MAX_BYTES;

	(void)state;
	big = malloc(n);
	assert_non_null(big);
	for (i = 0; i + strlen(ads[0].text) + 1 <= n;
	     i += strlen(ads[0].text) + 1) {
		memcpy(big + i, ads[0].text, strlen(ads[0].text));
		big[i + strlen(ads[0].text)] = ' ';
	}
	memset(big + i, 'a', n - i);
	for (w = 0; w < RF_ARRAY_SIZE(ways); w++) {
		langid_set_plain(ways[w].no_cache, ways[w].portable);
		for (i = 0; i < RF_ARRAY_SIZE(titles); i++)
			for (j = 0; j < RF_ARRAY_SIZE(ads); j++)
				check_pair(titles[i].text,
					   strlen(titles[i].text),
					   ads[j].text, strlen(ads[j].text));
		for (i = 0; i < 24; i++) {
			t = made_text(i, &len);
			for (cut = 0; cut <= len; cut += 1 + cut % 37)
				check_pair(t, cut, t + cut, len - cut);
			free(t);
		}
		check_pair(NULL, 0, NULL, 0);
		check_pair(NULL, 0, ads[1].text, strlen(ads[1].text));
		check_pair(titles[2].text, strlen(titles[2].text), NULL, 0);
		check_pair("\xd0", 1, "\xb0\xcc\x86\xd0\xb1", 5);
		check_pair("don", 3, "\xca\xbbt", 4);
		check_pair(big, n - 10, ads[2].text, strlen(ads[2].text));
		check_pair(big, n - 10 - strlen(ads[2].text) - 1, ads[2].text,
			   strlen(ads[2].text));
		check_pair(ads[2].text, strlen(ads[2].text), big, n);
	}
	langid_set_plain(false, false);
	free(big);
}

/* Pieces of the random texts below, each from a few of the languages'
 * scripts, other scripts, marks, separators, or bytes that are not
 * UTF-8 (a NUL, lone continuation bytes, leads cut short). */
static const char *const mix_pieces[] = {
	"работа", "в", "и", "с", "Дубае", "девушки", "жұмыс", "қажет",
	"керек", "кыздар", "ишга", "ҳаст", "коргарон", "ish", "bor",
	"o'qituvchi", "g\xca\xbbisht", "aýlyk", "gowy", "iş", "job", "needed",
	"the", "a", "\xe4\xb8\xad\xe6\x96\x87", "\xd8\xb9\xd9\x85\xd9\x84",
	"\xe1\x83\x90\xe1\x83\x91", "\xf0\x9f\x98\x80", "\xcc\x86",
	"\xcc\x81", "\xd0\xb8\xcc\x86", "'", "\xe2\x80\x99", " ", " ", " ",
	"\n", "\t", ", ", ". ", "-", "2024", "\xc2\xa0", "\x80", "\xbf",
	"\xff", "\xc0\xaf", "\xe2\x80", "\xf0\x9f", "\xd0", "\0",
	"Haбиpaю", "pабота", "аааааааааааааааааааааааааааааааааааааааа",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmn",
	/* the letter runs' edges: А to я and no further (Ѐ Џ ѐ ё), capitals,
	 * ASCII letters and their neighbours @ [ ` { */
	"ТЕСТИРОВАНИЕ", "Тестировщик", "ПРОФЕССИОНАЛЬНЫЙМЕНЕДЖЕР", "ЯяАаПпРр",
	"\xd0\x80\xd0\x8f\xd1\x90\xd1\x91", "Ёлка", "Javaскрипт",
	"QAEngineerJavaScriptDeveloperZz", "a@b[c`d{eZ", "AZaz",
};

/* Random text of n pieces, most from the languages the seed leans to. */
static size_t
mix_text(uint64_t *x, char *t, size_t n)
{
	size_t len = 0, i, k, l, np = RF_ARRAY_SIZE(mix_pieces);
	/* a lean to one part of the pieces, so that a title and a body
	 * often differ and their best paths meet late or never */
	size_t lean = *x % 4, span = np / 4;

	for (i = 0; i < n; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		k = *x % 3 ? (lean * span + *x / 3 % span) % np : *x / 3 % np;
		/* "\0" is a piece of one byte */
		l = mix_pieces[k][0] ? strlen(mix_pieces[k]) : 1;
		memcpy(t + len, mix_pieces[k], l);
		len += l;
		if (*x / 1024 % 2)
			t[len++] = ' ';
	}
	return len;
}

/*
 * lang_detect_pair() against its three lang_detect() calls over random
 * texts of mixed scripts, marks, separators and bytes that are not UTF-8,
 * each cut at a random byte (in a character, a word, before a mark), and
 * titles and bodies written apart, short, long or empty; in every way of
 * reading.
 */
static void
test_pair_random(void **state)
{
	static const struct {
		bool no_cache, portable;
	} ways[] = {
		{ false, false }, { false, true }, { true, false },
		{ true, true },
	};
	char *t = malloc(400 * 96), *u = malloc(400 * 96);	/* 81 a piece */
	uint64_t x = 0x2545F4914F6CDD1Du;
	size_t w, round, len, ulen, cut;

	(void)state;
	assert_non_null(t);
	assert_non_null(u);
	for (w = 0; w < RF_ARRAY_SIZE(ways); w++) {
		langid_set_plain(ways[w].no_cache, ways[w].portable);
		for (round = 0; round < 300; round++) {
			len = mix_text(&x, t, round % 7 == 0 ? 0 :
					      1 + x % (round % 3 ? 12 : 400));
			cut = len ? x % (len + 1) : 0;
			check_pair(t, cut, t + cut, len - cut);
			ulen = mix_text(&x, u, x % 5 == 0 ? 0 : 1 + x % 200);
			check_pair(t, len, u, ulen);
			check_pair(u, ulen, t, len);
		}
	}
	langid_set_plain(false, false);
	free(t);
	free(u);
}

/*
 * Long words in the cache of word scores (16 to 30 letters of one block
 * of 256 code points, keyed by their low bytes): words with the same low
 * bytes in Latin and in Cyrillic (ѡ is U+0461, a is U+0061), words one
 * letter longer than others, words too long to keep, seen in turn and
 * again, give what they give without the cache.
 */
static void
test_long_words_cached(void **state)
{
	static const char *const texts[] = {
		"acegikmoqsuwyacegikmo acegikmoqsuwyacegikm "
		"acegikmoqsuwyacegikmoqsuwyaceg "
		"acegikmoqsuwyacegikmoqsuwyacegi "
		"acegikmoqsuwyacegikmoqsuwyacegik",
		"\xd1\xa1\xd1\xa3\xd1\xa5\xd1\xa7\xd1\xa9\xd1\xab\xd1\xad"
		"\xd1\xaf\xd1\xb1\xd1\xb3\xd1\xb5\xd1\xb7\xd1\xb9\xd1\xa1"
		"\xd1\xa3\xd1\xa5\xd1\xa7\xd1\xa9\xd1\xab\xd1\xad\xd1\xaf "
		"acegikmoqsuwyacegikmo",
		"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x84\xd0\xb5\xd1\x81\xd1\x81"
		"\xd0\xb8\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd"
		"\xd1\x8b\xd0\xb9 "	/* профессиональный, 16 letters */
		"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x84\xd0\xb5\xd1\x81\xd1\x81"
		"\xd0\xb8\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd"
		"\xd1\x8b\xd0\xb9\xd0\xb9 "	/* and 17 */
		"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x84\xd0\xb5\xd1\x81\xd1\x81"
		"\xd0\xb8\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd"
		"\xd1\x8b\xd0\xb9 "
		"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x84\xd0\xb5\xd1\x81\xd1\x81"
		"\xd0\xb8\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd"
		"\xd1\x8b\xd0\xb9q",	/* and one Latin letter: not kept */
	};
	struct lang_result ref[RF_ARRAY_SIZE(texts)], r;
	size_t i, round;

	(void)state;
	langid_set_plain(true, true);
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		lang_detect(texts[i], strlen(texts[i]), &ref[i]);
		check_sane(&ref[i]);
	}
	assert_int_equal(ref[1].nletters, 42);
	langid_set_plain(false, false);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
			lang_detect(texts[i], strlen(texts[i]), &r);
			check_same(&ref[i], &r);
		}
	}
}

/* Many threads at once get what one thread gets. */
#define NTHREADS 4

static void *
thread_main(void *arg)
{
	size_t *bad = arg;
	size_t round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < RF_ARRAY_SIZE(ads); i++)
			if (lang_identify(ads[i].text, strlen(ads[i].text),
					  NULL) != ads[i].lang)
				(*bad)++;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[NTHREADS];
	size_t bad[NTHREADS] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_main,
						&bad[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(bad[i], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_ads),
		cmocka_unit_test(test_uz_cyrl),
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_undetermined),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_mixed_script),
		cmocka_unit_test(test_transliterated),
		cmocka_unit_test(test_mixed_language),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_plain_same),
		cmocka_unit_test(test_pair_same),
		cmocka_unit_test(test_pair_random),
		cmocka_unit_test(test_long_words_cached),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
