/* labels.c: the words of the reports in English and Russian, and the
 * indicator taxonomy of INDICATORS.md. */
#include <string.h>

#include "reports/reports-int.h"
#include "common/banned.h"

/*
 * INDICATORS.md: id, ILO dimension (0: contextual), short names. The same
 * table as rules/score.c's, kept here because reports/ does not depend on
 * rules/; a test checks both agree on the dimensions.
 */
static const struct {
	const char *id;
	char dim;
	const char *name[REPORT_LANG_MAX];
} indicators[] = {
	{ "J01", 'A', { "implausible pay", "неправдоподобная оплата" } },
	{ "J02", 'C', { "no qualification needed",
			"квалификация не нужна" } },
	{ "J03", 'A', { "costs covered, travel arranged",
			"расходы оплачены, поездка организована" } },
	{ "J04", 'B', { "advance fees, debt", "предоплата, долг" } },
	{ "J05", 'B', { "document control, wrong visa",
			"контроль документов, не та виза" } },
	{ "J06", 'C', { "age, gender, appearance filters",
			"отбор по возрасту, полу, внешности" } },
	{ "J07", 0, { "high-risk occupations abroad",
		      "работа высокого риска за рубежом" } },
	{ "J08", 0, { "high-risk destinations",
		      "направления высокого риска" } },
	{ "J09", 'A', { "anonymous or messenger-only contact",
			"анонимный контакт, только мессенджер" } },
	{ "J10", 0, { "urgency, pressure", "срочность, давление" } },
	{ "J11", 'A', { "vague job and employer",
			"размытые работа и работодатель" } },
	{ "J12", 'D', { "exploitative conditions promised",
			"обещаны эксплуататорские условия" } },
	{ "J13", 'C', { "targeting the vulnerable",
			"нацеленность на уязвимых" } },
	{ "J14", 'A', { "impersonation of legitimate schemes",
			"подделка под законные программы" } },
	{ "J15", 'A', { "forced-criminality bait",
			"приманка к принудительной преступности" } },
	{ "J16", 'A', { "military recruitment disguised as civil work",
			"военная вербовка под видом гражданской работы" } },
	{ "J17", 0, { "marriage or companion offers",
		      "предложения брака или сопровождения" } },
	{ "J18", 0, { "structural signs", "структурные признаки" } },
};

static const char *const dimensions[6][REPORT_LANG_MAX] = {
	{ "deceptive recruitment", "обманная вербовка" },
	{ "coercive recruitment", "принудительная вербовка" },
	{ "recruitment by abuse of vulnerability",
	  "вербовка с использованием уязвимости" },
	{ "exploitative conditions", "эксплуататорские условия" },
	{ "coercion at destination", "принуждение на месте" },
	{ "abuse of vulnerability at destination",
	  "использование уязвимости на месте" },
};

static int
indicator_index(const char *id)
{
	size_t i;

	if (!id)
		return -1;
	for (i = 0; i < RF_ARRAY_SIZE(indicators); i++)
		if (strcmp(indicators[i].id, id) == 0)
			return (int)i;
	return -1;
}

char
rep_indicator_dimension(const char *id)
{
	int i = indicator_index(id);

	return i < 0 ? 0 : indicators[i].dim;
}

const char *
rep_indicator_name(const char *id, enum report_lang lang)
{
	int i = indicator_index(id);

	return i < 0 ? NULL : indicators[i].name[lang];
}

const char *
rep_dimension_name(char d, enum report_lang lang)
{
	if (d < 'A' || d > 'F')
		return "";
	return dimensions[d - 'A'][lang];
}

static const char *const labels[L_MAX][REPORT_LANG_MAX] = {
	[L_TITLE] = { "redflag report", "Отчёт redflag" },
	[L_RUN] = { "Run", "Запуск" },
	[L_RUNS] = { "Runs", "Запуски" },
	[L_STARTED] = { "started", "начат" },
	[L_FINISHED] = { "finished", "завершён" },
	[L_STATUS] = { "status", "статус" },
	[L_GENERATED] = { "Generated", "Создан" },
	[L_SINCE] = { "since", "с" },
	[L_SUMMARY] = { "Summary", "Сводка" },
	[L_NEW] = { "New", "Новые" },
	[L_CHANGED] = { "Changed", "Изменённые" },
	[L_UNCHANGED] = { "Unchanged", "Без изменений" },
	[L_REMOVED] = { "Removed", "Снятые" },
	[L_BY_INDICATOR] = { "By indicator (listings shown)",
			     "По индикатору (показанные объявления)" },
	[L_BY_DIMENSION] = { "By ILO dimension", "По измерению МОТ" },
	[L_BY_SITE] = { "By site (new and changed, low and above)",
			"По сайту (новые и изменённые, от низкого)" },
	[L_BY_LANG] = { "By language (new and changed, low and above)",
			"По языку (новые и изменённые, от низкого)" },
	[L_LISTINGS] = { "Listings by risk", "Объявления по степени риска" },
	[L_LISTINGS_NOTE] = {
		"New and changed listings, highest risk first; lowest level "
		"shown:",
		"Новые и изменённые объявления, самые опасные первыми; "
		"наименьший показанный уровень:" },
	[L_NO_LISTINGS] = { "No listing reached that level.",
			    "Ни одно объявление не достигло этого уровня." },
	[L_MORE_LISTINGS] = {
		"more listings are in the CSV and JSON Lines reports",
		"— столько ещё объявлений в отчётах CSV и JSON Lines" },
	[L_LEVEL] = { "Level", "Уровень" },
	[L_INDICATORS] = { "Indicators", "Индикаторы" },
	[L_SITE] = { "Site", "Сайт" },
	[L_LOCATION] = { "Location", "Место" },
	[L_SALARY] = { "Salary", "Зарплата" },
	[L_EMPLOYER] = { "Employer", "Работодатель" },
	[L_POSTED] = { "Posted", "Опубликовано" },
	[L_URL] = { "Original URL", "Исходный адрес" },
	[L_CAPTURED] = { "Captured", "Копия сохранена" },
	[L_FIRST_SEEN] = { "First seen", "Впервые замечено" },
	[L_LAST_SEEN] = { "Last seen", "Последний раз" },
	[L_PAYLOAD] = { "Payload SHA-256", "SHA-256 содержимого" },
	[L_RULE] = { "Rule", "Правило" },
	[L_MATCHED] = { "Matched text", "Найденный текст" },
	[L_CONTACTS] = { "Contacts", "Контакты" },
	[L_TEXT_PURGED] = {
		"The text was purged by the retention policy.",
		"Текст удалён по сроку хранения." },
	[L_NOT_PLACED] = { "outside the stored text",
			   "вне сохранённого текста" },
	[L_CLUSTERS] = { "Clusters", "Кластеры" },
	[L_CLUSTERS_NOTE] = {
		"Listings behind one phone number, handle or near-identical "
		"text, across sites and cities.",
		"Объявления за одним телефоном, аккаунтом или почти "
		"одинаковым текстом на разных сайтах и в разных городах." },
	[L_NO_CLUSTERS] = { "No clusters.", "Кластеров нет." },
	[L_CLUSTER_KIND] = { "Shared", "Общее" },
	[L_CLUSTER_KEY] = { "Value", "Значение" },
	[L_CLUSTER_SIZE] = { "Listings", "Объявлений" },
	[L_SITES_N] = { "Sites", "Сайтов" },
	[L_LOCATIONS_N] = { "Locations", "Мест" },
	[L_IN_CLUSTERS] = { "In clusters", "В кластерах" },
	[L_SITE_HEALTH] = { "Site health", "Состояние сайтов" },
	[L_SITE_HEALTH_NOTE] = {
		"This run against the median of the last 7 runs. A silent "
		"site looks exactly like a safe one.",
		"Этот запуск против медианы 7 предыдущих. Замолчавший сайт "
		"выглядит точно так же, как безопасный." },
	[L_SILENT_SITES] = { "Sites whose yield collapsed",
			     "Сайты, с которых перестали приходить "
			     "объявления" },
	[L_PAGES] = { "Pages", "Страниц" },
	[L_BLOCKED] = { "Blocked", "Заблокировано" },
	[L_ERRORS] = { "Errors", "Ошибок" },
	[L_YIELD] = { "Listings", "Объявлений" },
	[L_USUAL] = { "usual", "обычно" },
	[L_VERDICT] = { "Verdict", "Оценка" },
	[L_OK] = { "ok", "в норме" },
	[L_NOT_JUDGED] = { "not enough history", "мало истории" },
	[L_CHART_LEVELS] = {
		"New and changed listings per run, by level",
		"Новые и изменённые объявления по запускам и уровням" },
	[L_CHART_INDICATORS] = { "Top indicators", "Частые индикаторы" },
	[L_CHART_SITES] = { "Top sites", "Сайты" },
	[L_PSEUDONYMIZED] = {
		"Phone numbers, handles and e-mail addresses are replaced by "
		"keyed pseudonyms: the same contact has the same pseudonym "
		"under the same key.",
		"Телефоны, аккаунты и адреса почты заменены псевдонимами с "
		"ключом: у одного контакта при одном ключе один псевдоним." },
	[L_NO_DIMENSION] = { "contextual only", "только контекстные" },
	[L_FOOTER] = {
		"Made by redflag. A score flags a listing for a person to "
		"read; no score proves trafficking.",
		"Создано redflag. Баллы отмечают объявления для проверки "
		"человеком; никакой балл не доказывает торговлю людьми." },
	[L_NONE] = { "none", "нет" },
	[L_TEXT_CAPPED] = {
		"Too many listings to compare all texts: the lowest-scored "
		"were left out of text clusters.",
		"Слишком много объявлений для сравнения текстов: "
		"объявления с наименьшими баллами не сравнивались." },
	[L_N_LISTINGS] = { "listings", "объявл." },
	[L_N_SITES] = { "sites", "сайт." },
	[L_N_PAGES] = { "pages", "страниц" },
	[L_N_BLOCKED] = { "blocked", "заблокировано" },
	[L_MEMBERS] = { "Its listings", "Объявления кластера" },
};

const char *
rep_label(enum rep_label id, enum report_lang lang)
{
	const char *s;

	if ((unsigned)id >= L_MAX || (unsigned)lang >= REPORT_LANG_MAX)
		return "";
	s = labels[id][lang];
	if (!s)
		s = labels[id][REPORT_LANG_EN];
	return s ? s : "";
}

const char *
rep_level_key(enum store_level l)
{
	static const char *const names[] = { "none", "low", "medium", "high" };

	return (unsigned)l < RF_ARRAY_SIZE(names) ? names[l] : "?";
}

const char *
rep_level_name(enum store_level l, enum report_lang lang)
{
	static const char *const ru[] = {
		"нет", "низкий", "средний", "высокий",
	};

	if (lang == REPORT_LANG_RU && (unsigned)l < RF_ARRAY_SIZE(ru))
		return ru[l];
	return rep_level_key(l);
}

const char *
rep_change_name(enum store_change c, enum report_lang lang)
{
	static const char *const ru[] = {
		"новое", "изменено", "без изменений", "снято",
	};

	if (lang == REPORT_LANG_RU && (unsigned)c < RF_ARRAY_SIZE(ru))
		return ru[c];
	return store_change_name(c);
}

const char *
rep_status_name(enum store_run_status st, enum report_lang lang)
{
	static const char *const ru[] = {
		"идёт", "завершён", "сбой", "прерван",
	};

	if (lang == REPORT_LANG_RU && (unsigned)st < RF_ARRAY_SIZE(ru))
		return ru[st];
	return store_run_status_name(st);
}

const char *
report_cluster_kind_name(enum report_cluster_kind k)
{
	static const char *const names[] = {
		"phone", "handle", "email", "link", "text",
	};

	return (unsigned)k < RF_ARRAY_SIZE(names) ? names[k] : "?";
}

const char *
rep_cluster_kind_label(enum report_cluster_kind k, enum report_lang lang)
{
	static const char *const ru[] = {
		"телефон", "аккаунт", "эл. почта", "ссылка", "текст",
	};

	if (lang == REPORT_LANG_RU && (unsigned)k < RF_ARRAY_SIZE(ru))
		return ru[k];
	return report_cluster_kind_name(k);
}

const char *
report_collapse_name(enum report_collapse c)
{
	static const char *const names[] = {
		"none", "missing", "blocked", "errors", "fewer-pages",
		"no-listings",
	};

	return (unsigned)c < RF_ARRAY_SIZE(names) ? names[c] : "?";
}

const char *
rep_collapse_label(enum report_collapse c, enum report_lang lang)
{
	static const char *const t[REPORT_COLLAPSE_MAX][REPORT_LANG_MAX] = {
		{ "ok", "в норме" },
		{ "no pages in this run", "в этом запуске нет страниц" },
		{ "blocked: anti-bot or script-only pages",
		  "блокировка: защита от ботов или страницы из одних "
		  "скриптов" },
		{ "fetches failed", "загрузка не удалась" },
		{ "far fewer pages than usual",
		  "страниц намного меньше обычного" },
		{ "pages as usual, listings gone: template changed?",
		  "страницы как обычно, объявлений нет: изменился шаблон?" },
	};

	if ((unsigned)c >= REPORT_COLLAPSE_MAX ||
	    (unsigned)lang >= REPORT_LANG_MAX)
		return "?";
	return t[c][lang];
}

enum rf_err
report_lang_parse(const char *s, enum report_lang *out)
{
	if (strcmp(s, "en") == 0)
		*out = REPORT_LANG_EN;
	else if (strcmp(s, "ru") == 0)
		*out = REPORT_LANG_RU;
	else
		return RF_EINVAL;
	return RF_OK;
}
