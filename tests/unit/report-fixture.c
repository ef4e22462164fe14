/* report-fixture.c: the store the report tests read (report-fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "tests/unit/report-fixture.h"

const char fix_text_l1[] =
	"Приглашаем девушек 18-25 лет на работу хостес в ночной клуб в "
	"Дубае. Билеты и виза за счёт работодателя, проживание бесплатно. "
	"Приятная внешность обязательна. Контакты: +7 701 123 45 67, "
	"Telegram @dubai_hr";

const char fix_text_l5[] =
	"Требуются няни в семьи в Сеуле. Проживание и питание бесплатно, "
	"билеты за счёт работодателя, виза оформляется на месте. Опыт не "
	"нужен, знание языка не требуется. Зарплата от 2000 долларов в "
	"месяц, выплата каждую неделю. Звоните 8 (701) 123-45-67 или "
	"пишите в WhatsApp, ответим сразу.";

const char fix_text_l6[] =
	"Требуются няни в семьи в Пусане. Проживание и питание бесплатно, "
	"билеты за счёт работодателя, виза оформляется на месте. Опыт не "
	"нужен, знание языка не требуется. Зарплата от 2000 долларов в "
	"месяц, выплата каждую неделю. Звоните +996 555 123 456 или "
	"пишите в WhatsApp, ответим сразу.";

const char fix_text_l7[] =
	"Работа в Дубае \"><img src=x onerror=alert(1)> официанткам. "
	"Билеты за счёт работодателя. \xE2\x80\xAEtxet desrever\xE2\x80\xAC "
	"<script>alert('x')</script> звоните +971 50 123 4567";

static void
die_if(int cond, const char *what, struct store *s)
{
	if (cond) {
		fprintf(stderr, "report fixture: %s: %s\n", what,
			store_errmsg(s));
		abort();
	}
}

/* A finding on needle's first place in text (field "body" or "title"). */
static struct store_finding
hit(const char *text, const char *needle, const char *field,
    const char *rule, const char *indicator, int weight)
{
	const char *p = strstr(text, needle);
	struct store_finding f;

	if (!p) {
		fprintf(stderr, "report fixture: '%s' not in text\n", needle);
		abort();
	}
	memset(&f, 0, sizeof(f));
	f.rule_id = rule;
	f.rule_version = "r1";
	f.indicator = indicator;
	f.weight = weight;
	f.field = field;
	f.start = (size_t)(p - text);
	f.end = f.start + strlen(needle);
	f.text = needle;
	return f;
}

static int64_t
run_begin(struct store *s, int day)
{
	struct store_run_start rs = {
		.job = "kz-jobs", .started_at = FIX_T0 + day * FIX_DAY,
		.rules_version = "packs-2026.11", .rules_hash = "h1",
	};
	int64_t id = 0;

	die_if(store_run_begin(s, &rs, &id) != RF_OK, "run begin", s);
	return id;
}

static void
run_finish(struct store *s, int64_t id, int day, enum store_run_status st)
{
	struct store_run_end e = {
		.status = st,
		.stop_reason = st == STORE_RUN_FINISHED ? "frontier empty"
							: "disk full",
		.finished_at = FIX_T0 + day * FIX_DAY + 3600,
		.alert_level = STORE_LEVEL_MEDIUM,
	};

	die_if(store_run_finish(s, id, &e) != RF_OK, "run finish", s);
}

static void
stats(struct store *s, int64_t run, const char *site, int64_t fetched,
      int64_t blocked, int64_t errors, int64_t listings)
{
	struct store_site_counts c = {
		.pages_fetched = fetched, .pages_blocked = blocked,
		.errors = errors, .listings_extracted = listings,
	};

	die_if(store_site_stats_add(s, run, site, &c) != RF_OK, "stats", s);
}

static void
sha_of(char out[65], unsigned seed)
{
	snprintf(out, 65, "%064x", seed);
}

struct sighting {
	const char *url, *site, *title, *text;
	const char *salary, *location, *employer, *posted;
	unsigned payload;
	int score;
	enum store_level level;
	const struct store_finding *f;
	size_t nf;
	const struct store_contact *c;
	size_t nc;
};

static int64_t
see(struct store *s, int64_t run, int day, const struct sighting *g)
{
	char sha[65];
	struct store_sighting in;
	struct store_upsert res;

	sha_of(sha, g->payload);
	memset(&in, 0, sizeof(in));
	in.url = g->url;
	in.site = g->site;
	in.seen_at = FIX_T0 + day * FIX_DAY + 600;
	in.payload_sha256 = sha;
	in.lang = "ru";
	in.title = g->title;
	in.salary = g->salary;
	in.location = g->location;
	in.employer = g->employer;
	in.posted = g->posted;
	in.text = g->text;
	in.score = g->score;
	in.level = g->level;
	in.findings = g->f;
	in.nfindings = g->nf;
	in.contacts = g->c;
	in.ncontacts = g->nc;
	die_if(store_listing_upsert(s, run, &in, &res) != RF_OK, g->url, s);
	return res.listing_id;
}

/* L5 and L6: one text, two cities, two phones. */
static void
nanny_findings(const char *text, struct store_finding f[6])
{
	f[0] = hit(text, "Проживание и питание бесплатно", "body",
		   "ru.travel.housing_free", "J03", 2);
	f[1] = hit(text, "билеты за счёт работодателя", "body",
		   "ru.travel.paid_by_employer", "J03", 3);
	f[2] = hit(text, "Опыт не нужен", "body", "ru.qual.no_experience",
		   "J02", 1);
	f[3] = hit(text, "знание языка не требуется", "body",
		   "ru.qual.no_language", "J02", 2);
	f[4] = hit(text, "Зарплата от 2000 долларов", "body",
		   "ru.pay.implausible", "J01", 2);
	f[5] = hit(text, "пишите в WhatsApp", "body",
		   "ru.contact.messenger_only", "J09", 1);
}

void
report_fixture_build(const char *path, struct report_fixture *out)
{
	static const char *const crawled[] = {
		"jobs.example.kz", "board.example.kg", "ads.example.uz",
	};
	struct store *s = NULL;
	int64_t run;
	int day;
	size_t n;

	memset(out, 0, sizeof(*out));
	die_if(store_open(path, STORE_CREATE, &s) != RF_OK, "open", s);

	/* runs 1-7: the history of the sites */
	for (day = 1; day <= 7; day++) {
		run = run_begin(s, day);
		stats(s, run, "jobs.example.kz", 50, 1, 0, 40);
		stats(s, run, "ads.example.uz", 20, 0, 0, 15);
		stats(s, run, "board.example.kg", 30, 0, 0, 25);
		stats(s, run, "work.example.tj", 14, 0, 0, 12);
		stats(s, run, "old.example.tm", 10, 0, 0, 8);
		run_finish(s, run, day, STORE_RUN_FINISHED);
	}

	/* run 8 (A): four listings, all new */
	day = 8;
	run = out->run_a = run_begin(s, day);
	stats(s, run, "jobs.example.kz", 50, 1, 0, 41);
	stats(s, run, "ads.example.uz", 20, 0, 0, 15);
	stats(s, run, "board.example.kg", 30, 0, 0, 24);
	stats(s, run, "work.example.tj", 14, 0, 0, 12);
	stats(s, run, "old.example.tm", 10, 0, 0, 8);
	{
		const char *title = "Хостес в ночной клуб Дубая";
		struct store_finding f[5] = {
			hit(fix_text_l1, "девушек 18-25 лет", "body",
			    "ru.filter.age_gender", "J06", 3),
			hit(fix_text_l1, "хостес", "body",
			    "ru.job.hostess_abroad", "J07", 3),
			hit(fix_text_l1, "Билеты и виза за счёт работодателя",
			    "body", "ru.travel.paid_by_employer", "J03", 3),
			hit(fix_text_l1, "Приятная внешность", "body",
			    "ru.filter.appearance", "J06", 2),
			hit(title, "Хостес", "title", "ru.job.hostess_abroad",
			    "J07", 3),
		};
		struct store_contact c[2] = {
			{ STORE_CONTACT_PHONE, "+77011234567" },
			{ STORE_CONTACT_HANDLE, "@dubai_hr" },
		};
		struct sighting g = {
			"https://jobs.example.kz/vacancy/101",
			"jobs.example.kz", title, fix_text_l1, "от 3000$",
			"Дубай", NULL, "2026-11-08", 101, 12,
			STORE_LEVEL_HIGH, f, 5, c, 2,
		};

		out->listing[1] = see(s, run, day, &g);
	}
	{
		struct sighting g = {
			"https://jobs.example.kz/vacancy/102",
			"jobs.example.kz", "Бухгалтер в офис",
			"Требуется бухгалтер со знанием 1С. Официальное "
			"трудоустройство, офис в Алматы.",
			"350 000 ₸", "Алматы", "ТОО Пример", NULL, 102, 0,
			STORE_LEVEL_NONE, NULL, 0, NULL, 0,
		};

		out->listing[2] = see(s, run, day, &g);
	}
	{
		const char *text = "Официантки в Анталию, зарплата от 2500 "
				   "долларов, пишите @recruiter_kg";
		struct store_finding f[1] = {
			hit(text, "зарплата от 2500 долларов", "body",
			    "ru.pay.implausible", "J01", 3),
		};
		struct store_contact c[1] = {
			{ STORE_CONTACT_HANDLE, "@recruiter_kg" },
		};
		struct sighting g = {
			"https://board.example.kg/ad/301", "board.example.kg",
			"Официантки в Турцию, \"срочно\"", text, NULL,
			"Анталия", NULL, NULL, 301, 6, STORE_LEVEL_MEDIUM, f,
			1, c, 1,
		};

		out->listing[3] = see(s, run, day, &g);
	}
	{
		const char *text = "Нужен водитель на доставку, работа в "
				   "Ташкенте, оплата каждый день.";
		struct store_finding f[1] = {
			hit(text, "оплата каждый день", "body", "ru.pay.daily",
			    "J01", 2),
		};
		struct sighting g = {
			"https://ads.example.uz/item/401", "ads.example.uz",
			"Водитель", text, NULL, "Ташкент", NULL, NULL, 401, 2,
			STORE_LEVEL_LOW, f, 1, NULL, 0,
		};

		out->listing[4] = see(s, run, day, &g);
	}
	die_if(store_mark_removed(s, run, crawled, 3, &n) != RF_OK, "removed",
	       s);
	run_finish(s, run, day, STORE_RUN_FINISHED);

	/* run 9 (B): the run the tests report on */
	day = 9;
	run = out->run_b = run_begin(s, day);
	stats(s, run, "jobs.example.kz", 51, 1, 0, 40);
	stats(s, run, "ads.example.uz", 21, 0, 0, 14);
	stats(s, run, "board.example.kg", 30, 28, 0, 2);
	stats(s, run, "work.example.tj", 14, 0, 0, 0);
	stats(s, run, "new.example.kz", 5, 5, 0, 0);
	{
		/* L1 unchanged: same payload; its findings stay run A's */
		const char *title = "Хостес в ночной клуб Дубая";
		struct store_contact c[2] = {
			{ STORE_CONTACT_PHONE, "+77011234567" },
			{ STORE_CONTACT_HANDLE, "@dubai_hr" },
		};
		struct sighting g = {
			"https://jobs.example.kz/vacancy/101",
			"jobs.example.kz", title, fix_text_l1, "от 3000$",
			"Дубай", NULL, "2026-11-08", 101, 12,
			STORE_LEVEL_HIGH, NULL, 0, c, 2,
		};

		see(s, run, day, &g);
	}
	{
		struct sighting g = {
			"https://jobs.example.kz/vacancy/102",
			"jobs.example.kz", "Бухгалтер в офис", NULL, NULL,
			NULL, NULL, NULL, 102, 0, STORE_LEVEL_NONE, NULL, 0,
			NULL, 0,
		};

		see(s, run, day, &g);
	}
	{
		/* L3 changed: a new payload with one more indicator */
		const char *text = "Официантки в Анталию, зарплата от 2500 "
				   "долларов, паспорт отдаёте работодателю "
				   "на хранение, пишите @recruiter_kg";
		struct store_finding f[2] = {
			hit(text, "зарплата от 2500 долларов", "body",
			    "ru.pay.implausible", "J01", 3),
			hit(text, "паспорт отдаёте работодателю на хранение",
			    "body", "ru.docs.passport_kept", "J05", 4),
		};
		struct store_contact c[1] = {
			{ STORE_CONTACT_HANDLE, "@recruiter_kg" },
		};
		struct sighting g = {
			"https://board.example.kg/ad/301", "board.example.kg",
			"Официантки в Турцию, \"срочно\"", text, NULL,
			"Анталия", NULL, NULL, 302, 10, STORE_LEVEL_HIGH, f,
			2, c, 1,
		};

		see(s, run, day, &g);
	}
	{
		struct store_finding f[7];
		struct store_contact c[1] = {
			{ STORE_CONTACT_PHONE, "+77011234567" },
		};
		struct sighting g = {
			"https://board.example.kg/ad/305", "board.example.kg",
			"Няни в Сеул", fix_text_l5, "от 2000$", "Сеул", NULL,
			NULL, 305, 7, STORE_LEVEL_MEDIUM, f, 7, c, 1,
		};

		nanny_findings(fix_text_l5, f);
		/* a hit in the contacts field: listed, not highlighted */
		f[6] = hit("+77011234567", "+77011234567", "contacts",
			   "ru.contact.kz_mobile", "J09", 1);
		out->listing[5] = see(s, run, day, &g);
	}
	{
		struct store_finding f[6];
		struct store_contact c[1] = {
			{ STORE_CONTACT_PHONE, "+996555123456" },
		};
		struct sighting g = {
			"https://ads.example.uz/item/406", "ads.example.uz",
			"Няни в Пусан", fix_text_l6, "от 2000$", "\tПусан",
			NULL, "\r2026-11-09", 406, 7, STORE_LEVEL_MEDIUM, f,
			6, c, 1,
		};

		nanny_findings(fix_text_l6, f);
		out->listing[6] = see(s, run, day, &g);
	}
	{
		const char *title = "<script>alert(1)</script> Работа в Дубае";
		struct store_finding f[3] = {
			hit(fix_text_l7, "Работа в Дубае", "body",
			    "ru.dest.gulf", "J08", 1),
			hit(fix_text_l7, "\"><img src=x onerror=alert(1)>",
			    "body", "test.markup", "J10", 1),
			hit(fix_text_l7, "Билеты за счёт работодателя", "body",
			    "ru.travel.paid_by_employer", "J03", 3),
		};
		struct store_contact c[1] = {
			{ STORE_CONTACT_PHONE, "+971501234567" },
		};
		struct sighting g = {
			"https://jobs.example.kz/vacancy/107?q=\"><script>",
			"jobs.example.kz", title, fix_text_l7, "+1000$",
			"-Dubai", "=cmd|' /C calc'!A0", "@SUM(1+1)", 107, 5,
			STORE_LEVEL_MEDIUM, f, 3, c, 1,
		};

		out->listing[7] = see(s, run, day, &g);
	}
	{
		struct sighting g = {
			"https://ads.example.uz/item/408", "ads.example.uz",
			"Продавец-консультант",
			"В магазин электроники нужен продавец, график 5/2, "
			"официальное оформление.",
			NULL, "Самарканд", NULL, NULL, 408, 0,
			STORE_LEVEL_NONE, NULL, 0, NULL, 0,
		};

		out->listing[8] = see(s, run, day, &g);
	}
	{
		const char *text = "Срочно нужны сотрудники, оплата каждый "
				   "день.";
		struct store_finding f[1] = {
			hit(text, "оплата каждый день", "body", "ru.pay.daily",
			    "J01", 2),
		};
		struct sighting g = {
			"javascript:alert(1)//ads.example.uz/item/409",
			"ads.example.uz", "Сотрудники", text, NULL, NULL, NULL,
			NULL, 409, 2, STORE_LEVEL_LOW, f, 1, NULL, 0,
		};

		out->listing[9] = see(s, run, day, &g);
	}
	die_if(store_mark_removed(s, run, crawled, 3, &n) != RF_OK, "removed",
	       s);
	run_finish(s, run, day, STORE_RUN_FINISHED);

	/* run 10 failed: not "the latest finished run" */
	day = 10;
	run = out->run_failed = run_begin(s, day);
	stats(s, run, "jobs.example.kz", 3, 0, 3, 0);
	run_finish(s, run, day, STORE_RUN_FAILED);

	store_close(s);
}
