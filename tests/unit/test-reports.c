/* test-reports.c: unit tests of reports/: contents after two runs,
 * clusters, site health, escaping, CSV injection, pseudonyms, files. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "reports/reports.h"
#include "rules/rules.h"
#include "store/store.h"
#include "text/text.h"
#include "tests/unit/report-fixture.h"

/* assert_non_null for pointers used next: the compiler learns they are
 * not NULL */
#define NN(p)                                                             \
	do {                                                              \
		if (!(p)) {                                               \
			fail_msg("%s is NULL", #p);                       \
			abort();                                          \
		}                                                         \
	} while (0)

struct fix {
	char dir[64];
	char db[128];
	struct report_fixture ids;
	struct store *s;
};

static int
setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/rf-reports-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/state.db", f->dir);
	report_fixture_build(f->db, &f->ids);
	if (store_open(f->db, STORE_READONLY, &f->s) != RF_OK)
		return -1;
	*state = f;
	return 0;
}

static void
rm_rf(const char *dir)
{
	char p[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(p);
		else
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	store_close(f->s);
	rm_rf(f->dir);
	free(f);
	return 0;
}

static struct report *
make(struct fix *f, const struct report_opts *o)
{
	struct report *r = NULL;
	struct buf msg;
	enum rf_err err;

	buf_init(&msg, 0);
	err = report_new(f->s, o, &r, &msg);
	if (err)
		fail_msg("report_new: %s: %s", rf_strerror(err), msg.data);
	buf_release(&msg);
	return r;
}

static char *
render(const struct report *r, const char *format)
{
	struct buf out;

	buf_init(&out, 0);
	assert_int_equal(report_render(r, format, &out), RF_OK);
	return buf_detach(&out, NULL);
}

static const struct rep_listing *
find_shown(const struct report *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->nlistings; i++)
		if (r->listings[i].id == id)
			return &r->listings[i];
	return NULL;
}

/* ---- HMAC (RFC 4231 test cases 1, 2 and 6) ---- */

static void
hex_of(const unsigned char *d, size_t n, char *out)
{
	encode_hex(d, n, out);
}

static void
test_hmac_rfc4231(void **state)
{
	unsigned char mac[SHA256_DIGEST_LEN], key[131];
	char hex[65];

	(void)state;
	memset(key, 0x0b, 20);
	report_hmac_sha256(key, 20, "Hi There", 8, mac);
	hex_of(mac, sizeof(mac), hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9"
				 "833da726e9376c2e32cff7");
	report_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28,
			   mac);
	hex_of(mac, sizeof(mac), hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d"
				 "2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	report_hmac_sha256(key, sizeof(key),
			   "Test Using Larger Than Block-Size Key - Hash Key "
			   "First",
			   54, mac);
	hex_of(mac, sizeof(mac), hex);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213"
				 "728c5140546040f0ee37f54");
}

/* ---- simhash ---- */

static void
test_simhash(void **state)
{
	uint64_t a, b, c;

	(void)state;
	assert_true(report_simhash(fix_text_l5, strlen(fix_text_l5), &a));
	assert_true(report_simhash(fix_text_l6, strlen(fix_text_l6), &b));
	assert_true(report_simhash(fix_text_l1, strlen(fix_text_l1), &c));
	/* one city and one phone apart: near-identical */
	assert_true(report_simhash_distance(a, b) <= REPORT_SIMHASH_DISTANCE);
	/* another ad altogether */
	assert_true(report_simhash_distance(a, c) >
		    REPORT_SIMHASH_DISTANCE + 10);
	/* case, punctuation and numbers do not matter */
	{
		const char *t = "ТРЕБУЮТСЯ НЯНИ В СЕМЬИ В СЕУЛЕ!!! ПРОЖИВАНИЕ "
				"И ПИТАНИЕ БЕСПЛАТНО, БИЛЕТЫ ЗА СЧЁТ "
				"РАБОТОДАТЕЛЯ, ВИЗА ОФОРМЛЯЕТСЯ НА МЕСТЕ. ОПЫТ "
				"НЕ НУЖЕН, ЗНАНИЕ ЯЗЫКА НЕ ТРЕБУЕТСЯ. ЗАРПЛАТА "
				"ОТ 3500 ДОЛЛАРОВ В МЕСЯЦ, ВЫПЛАТА КАЖДУЮ "
				"НЕДЕЛЮ. ЗВОНИТЕ +7 777 000 00 00 ИЛИ ПИШИТЕ В "
				"WHATSAPP, ОТВЕТИМ СРАЗУ";

		assert_true(report_simhash(t, strlen(t), &c));
	}
	assert_int_equal(report_simhash_distance(a, c), 0);
	/* too short to tell */
	assert_false(report_simhash("работа в Дубае", 25, &c));
	assert_false(report_simhash("", 0, &c));
}

/* ---- contents after two runs ---- */

static void
test_latest_finished_run(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	const struct rep_listing *l;

	report_opts_init(&o);
	r = make(f, &o);
	/* run 10 failed: the latest finished is run 9 */
	assert_int_equal(report_run_id(r), f->ids.run_b);
	assert_int_equal(r->nnew, 5);		/* L5 L6 L7 L8 L9 */
	assert_int_equal(r->nchanged, 1);	/* L3 */
	assert_int_equal(r->nunchanged, 2);	/* L1 L2 */
	assert_int_equal(r->nremoved_all, 1);	/* L4 */
	assert_int_equal(r->by_level[STORE_LEVEL_HIGH], 1);
	assert_int_equal(r->by_level[STORE_LEVEL_MEDIUM], 3);
	assert_int_equal(r->by_level[STORE_LEVEL_LOW], 1);
	assert_int_equal(r->by_level[STORE_LEVEL_NONE], 1);

	/* shown: new and changed at low and above, most dangerous first */
	assert_int_equal(r->nlistings, 5);
	assert_int_equal(r->listings[0].id, f->ids.listing[3]);
	assert_int_equal(r->listings[0].change, STORE_CHANGED);
	assert_int_equal(r->listings[0].score, 10);
	assert_int_equal(r->listings[3].id, f->ids.listing[7]);
	assert_int_equal(r->listings[4].id, f->ids.listing[9]);
	assert_null(find_shown(r, f->ids.listing[1]));
	assert_null(find_shown(r, f->ids.listing[8]));
	assert_int_equal(r->nremoved, 1);
	assert_int_equal(r->removed[0].id, f->ids.listing[4]);
	assert_int_equal(r->removed[0].change, STORE_REMOVED);

	/* the changed listing shows its new version and findings */
	l = &r->listings[0];
	assert_non_null(strstr(l->text, "паспорт"));
	assert_int_equal(l->nhits, 2);
	assert_int_equal(l->nindicators, 2);
	assert_string_equal(l->indicators[0], "J01");
	assert_string_equal(l->indicators[1], "J05");
	assert_string_equal(l->payload_sha256,
			    "000000000000000000000000000000000000000000000000"
			    "000000000000012e");
	assert_int_equal(l->ncontacts, 1);
	assert_string_equal(l->contacts[0].value, "@recruiter_kg");

	/* every body hit is placed and points at its text */
	for (size_t i = 0; i < r->nlistings; i++) {
		l = &r->listings[i];
		for (size_t k = 0; k < l->nhits; k++) {
			const struct rep_hit *h = &l->hits[k];

			if (strcmp(h->field, "body") != 0)
				continue;
			assert_true(h->placed);
			assert_memory_equal(l->text + h->start, h->text,
					    h->end - h->start);
		}
	}
	/* by indicator over the shown listings; J03 in L5, L6, L7 */
	assert_string_equal(r->by_indicator.items[0].name, "J01");
	assert_int_equal(r->by_indicator.items[0].n, 4);
	assert_int_equal(r->by_dimension['A' - 'A'], 5);
	assert_int_equal(r->by_dimension['B' - 'A'], 1);
	report_free(r);

	/* --min-level high: only L3; --all: L1 too */
	report_opts_init(&o);
	o.min_level = STORE_LEVEL_HIGH;
	r = make(f, &o);
	assert_int_equal(r->nlistings, 1);
	assert_int_equal(r->nremoved, 0);
	report_free(r);
	report_opts_init(&o);
	o.unchanged = true;
	r = make(f, &o);
	assert_int_equal(r->nlistings, 6);
	assert_int_equal(r->listings[0].id, f->ids.listing[1]);
	assert_int_equal(r->listings[0].change, STORE_UNCHANGED);
	/* L1's findings came from run A */
	assert_int_equal(r->listings[0].nhits, 5);
	report_free(r);
}

static void
test_run_and_since(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r = NULL;
	struct buf msg;
	const struct rep_listing *l;

	report_opts_init(&o);
	o.run_id = f->ids.run_a;
	r = make(f, &o);
	assert_int_equal(r->nnew, 4);
	assert_int_equal(r->nchanged + r->nremoved_all + r->nunchanged, 0);
	/* L3 as it was in run A */
	l = find_shown(r, f->ids.listing[3]);
	NN(l);
	assert_int_equal(l->score, 6);
	assert_null(strstr(l->text, "паспорт"));
	assert_int_equal(l->nhits, 1);
	report_free(r);

	/* since day 8: runs A and B merged; L1 and L3 stay new, L4 is
	 * gone */
	report_opts_init(&o);
	o.since = FIX_T0 + 8 * FIX_DAY;
	r = make(f, &o);
	assert_int_equal(r->nruns, 2);
	assert_int_equal(r->runs[0].id, f->ids.run_a);
	assert_int_equal(report_run_id(r), f->ids.run_b);
	assert_int_equal(r->nnew, 8);
	assert_int_equal(r->nchanged, 0);
	assert_int_equal(r->nremoved_all, 1);
	l = find_shown(r, f->ids.listing[3]);
	NN(l);
	assert_int_equal(l->change, STORE_NEW);
	assert_int_equal(l->score, 10);
	report_free(r);

	/* nothing finished since then; no such run */
	buf_init(&msg, 0);
	report_opts_init(&o);
	o.since = FIX_T0 + 30 * FIX_DAY;
	assert_int_equal(report_new(f->s, &o, &r, &msg), RF_ENOENT);
	assert_null(r);
	assert_non_null(strstr(msg.data, "since"));
	report_opts_init(&o);
	o.run_id = 99;
	assert_int_equal(report_new(f->s, &o, &r, &msg), RF_ENOENT);
	buf_release(&msg);
}

static void
test_empty_store(void **state)
{
	struct fix *f = *state;
	char path[160];
	struct store *s = NULL;
	struct report *r = NULL;
	struct report_opts o;
	struct store_run_start rs = { .job = "j", .started_at = 1 };
	int64_t id, last;

	snprintf(path, sizeof(path), "%s/empty.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &s), RF_OK);
	assert_int_equal(rep_last_run_id(s, &last), RF_OK);
	assert_int_equal(last, 0);
	report_opts_init(&o);
	assert_int_equal(report_new(s, &o, &r, NULL), RF_ENOENT);
	/* a run still running is not finished */
	assert_int_equal(store_run_begin(s, &rs, &id), RF_OK);
	assert_int_equal(report_new(s, &o, &r, NULL), RF_ENOENT);
	assert_int_equal(rep_last_run_id(s, &last), RF_OK);
	assert_int_equal(last, 1);
	store_close(s);
	assert_int_equal(rep_last_run_id(f->s, &last), RF_OK);
	assert_int_equal(last, f->ids.run_failed);
}

/* ---- clusters ---- */

static void
test_clusters(void **state)
{
	struct fix *f = *state;
	struct report_clusters c;
	const struct report_cluster *phone = NULL, *text = NULL;
	const size_t *idx;
	size_t i, n;

	report_clusters_init(&c);
	assert_int_equal(report_clusters_compute(f->s, f->ids.run_b, &c, NULL),
			 RF_OK);
	for (i = 0; i < c.n; i++) {
		if (c.items[i].kind == REPORT_CLUSTER_PHONE)
			phone = &c.items[i];
		else if (c.items[i].kind == REPORT_CLUSTER_TEXT)
			text = &c.items[i];
	}
	/* L1's "+7 701 123 45 67" and L5's "8 (701) 123-45-67" */
	NN(phone);
	assert_string_equal(phone->key, "+77011234567");
	assert_int_equal(phone->nlistings, 2);
	assert_int_equal(phone->listings[0], f->ids.listing[1]);
	assert_int_equal(phone->listings[1], f->ids.listing[5]);
	assert_int_equal(phone->nsites, 2);
	assert_int_equal(phone->max_level, STORE_LEVEL_HIGH);
	/* combined: L1's J03 J06 J07 and L5's J01 J02 J03 J09 */
	assert_int_equal(phone->nindicators, 6);
	assert_string_equal(phone->indicators[0], "J01");
	assert_string_equal(phone->indicators[5], "J09");

	/* L5 and L6: one text in Seoul and Busan */
	NN(text);
	assert_int_equal(text->nlistings, 2);
	assert_int_equal(text->listings[0], f->ids.listing[5]);
	assert_int_equal(text->listings[1], f->ids.listing[6]);
	assert_int_equal(text->nsites, 2);
	assert_int_equal(text->nlocations, 2);
	assert_true(strncmp(text->key, "simhash:", 8) == 0);

	/* only these two: L3's handle is one listing's, twice */
	assert_int_equal(c.n, 2);

	/* what run needs: each listing's clusters and their sizes */
	n = report_clusters_of(&c, f->ids.listing[5], &idx);
	assert_int_equal(n, 2);
	assert_int_equal(c.items[idx[0]].nlistings, 2);
	n = report_clusters_of(&c, f->ids.listing[1], &idx);
	assert_int_equal(n, 1);
	assert_int_equal(c.items[idx[0]].kind, REPORT_CLUSTER_PHONE);
	assert_int_equal(report_clusters_of(&c, f->ids.listing[2], &idx), 0);
	assert_null(idx);
	assert_int_equal(report_clusters_of(&c, 9999, NULL), 0);
	report_clusters_release(&c);
	report_clusters_release(&c);	/* twice is fine */
}

/* ---- site health ---- */

static const struct report_site *
site(const struct report_sites *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].site, name) == 0)
			return &l->items[i];
	fail_msg("no site %s", name);
	return NULL;
}

static void
test_site_health(void **state)
{
	struct fix *f = *state;
	struct report_sites l;
	const struct report_site *s;
	struct buf msg;

	report_sites_init(&l);
	buf_init(&msg, 0);
	assert_int_equal(report_site_health(f->s, f->ids.run_b, &l, &msg),
			 RF_OK);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.ncollapsed, 4);
	/* collapsed first */
	assert_true(l.items[0].collapsed && l.items[3].collapsed);
	assert_false(l.items[4].collapsed);

	s = site(&l, "board.example.kg");
	assert_true(s->collapsed && s->judged);
	assert_int_equal(s->reason, REPORT_COLLAPSE_BLOCKED);
	assert_int_equal(s->nearlier, REPORT_HEALTH_RUNS);
	assert_int_equal(s->usual.listings_extracted, 25);
	assert_int_equal(s->now.pages_blocked, 28);
	assert_non_null(strstr(s->why, "28 of 30 pages blocked"));
	assert_int_equal(s->nyield, REPORT_HEALTH_RUNS + 1);
	assert_int_equal(s->yield[REPORT_HEALTH_RUNS - 1], 24);
	assert_int_equal(s->yield[REPORT_HEALTH_RUNS], 2);

	s = site(&l, "work.example.tj");
	assert_true(s->collapsed);
	assert_int_equal(s->reason, REPORT_COLLAPSE_NO_LISTINGS);
	assert_non_null(strstr(s->why, "template"));

	s = site(&l, "old.example.tm");
	assert_true(s->collapsed);
	assert_false(s->in_run);
	assert_int_equal(s->reason, REPORT_COLLAPSE_MISSING);
	assert_int_equal(s->yield[REPORT_HEALTH_RUNS], -1);

	s = site(&l, "new.example.kz");
	assert_true(s->collapsed);
	assert_false(s->judged);
	assert_int_equal(s->reason, REPORT_COLLAPSE_BLOCKED);

	s = site(&l, "jobs.example.kz");
	assert_false(s->collapsed);
	assert_true(s->judged);
	assert_string_equal(s->why, "");
	s = site(&l, "ads.example.uz");
	assert_false(s->collapsed);
	report_sites_release(&l);

	/* run A: nothing had collapsed yet; only 7 earlier runs before it
	 * too, and runs after it do not count */
	report_sites_init(&l);
	assert_int_equal(report_site_health(f->s, f->ids.run_a, &l, &msg),
			 RF_OK);
	assert_int_equal(l.ncollapsed, 0);
	assert_int_equal(l.n, 5);
	s = site(&l, "board.example.kg");
	assert_int_equal(s->now.listings_extracted, 24);
	assert_int_equal(s->nearlier, 7);
	report_sites_release(&l);

	/* a site with too little history is not judged */
	report_sites_init(&l);
	assert_int_equal(report_site_health(f->s, 2, &l, &msg), RF_OK);
	assert_int_equal(l.ncollapsed, 0);
	assert_false(site(&l, "jobs.example.kz")->judged);
	report_sites_release(&l);
	buf_release(&msg);
}

/* ---- escaping ---- */

static bool
has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void
test_html_escaping(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	char *html;
	size_t i;

	report_opts_init(&o);
	r = make(f, &o);
	html = render(r, "html");
	/* no script anywhere; page markup shows as text */
	assert_false(has_ci(html, "<script"));
	assert_false(has_ci(html, "<img"));
	assert_false(has_ci(html, "javascript:alert(1)//ads\""));
	assert_false(has_ci(html, "href=\"javascript"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; "
				     "Работа в Дубае"));
	assert_non_null(strstr(html, "&quot;&gt;&lt;img src=x onerror=alert"
				     "(1)&gt;"));
	assert_non_null(strstr(html, "href=\"https://jobs.example.kz/vacancy/"
				     "107?q=&quot;&gt;&lt;script&gt;\""));
	/* the bidi override is named, not obeyed */
	assert_non_null(strstr(html, "U+202E"));
	assert_null(strstr(html, "\xE2\x80\xAE"));
	/* highlighted hits with their rules; evidence per listing */
	assert_non_null(strstr(html, "<mark class=\"w2\" title=\"1: "
				     "ru.pay.implausible (J01, +3)\">"
				     "зарплата от 2500 долларов</mark>"));
	assert_non_null(strstr(html, "<sup class=\"tag\">1 J01</sup>"));
	for (i = 0; i < r->nlistings; i++)
		assert_non_null(strstr(html, r->listings[i].payload_sha256));
	/* silent sites at the top, before the listings */
	assert_true(strstr(html, "board.example.kg</b>: blocked") <
		    strstr(html, "<section id=\"listings\">"));
	assert_non_null(strstr(html, "Content-Security-Policy"));
	free(html);
	report_free(r);
}

static void
test_html_russian(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	char *html, *md;

	report_opts_init(&o);
	o.lang = REPORT_LANG_RU;
	r = make(f, &o);
	html = render(r, "html");
	md = render(r, "md");
	assert_non_null(strstr(html, "<html lang=\"ru\">"));
	assert_non_null(strstr(html, "Сводка"));
	assert_non_null(strstr(html, "высокий"));
	assert_non_null(strstr(md, "Состояние сайтов"));
	free(html);
	free(md);
	report_free(r);
}

/* ---- CSV ---- */

/* Splits RFC 4180 CSV into rows of cells (a small reader for tests). */
struct csv {
	char ***rows;
	size_t *ncells;
	size_t nrows;
};

static void
csv_parse(const char *s, struct csv *c)
{
	struct buf cell;
	size_t nr = 0;

	memset(c, 0, sizeof(*c));
	buf_init(&cell, 0);
	while (*s) {
		char **cells = NULL;
		size_t n = 0;

		for (;;) {
			buf_reset(&cell);
			if (*s == '"') {
				for (s++; *s; s++) {
					if (*s == '"' && s[1] == '"') {
						buf_addch(&cell, '"');
						s++;
					} else if (*s == '"') {
						s++;
						break;
					} else {
						buf_addch(&cell, *s);
					}
				}
			} else {
				while (*s && *s != ',' && *s != '\n')
					buf_addch(&cell, *s++);
			}
			cells = xreallocarray(cells, n + 1, sizeof(*cells));
			cells[n++] = xstrdup(cell.data);
			if (*s == ',') {
				s++;
				continue;
			}
			if (*s == '\n')
				s++;
			break;
		}
		c->rows = xreallocarray(c->rows, nr + 1, sizeof(*c->rows));
		c->ncells = xreallocarray(c->ncells, nr + 1, sizeof(size_t));
		c->rows[nr] = cells;
		c->ncells[nr] = n;
		nr++;
	}
	c->nrows = nr;
	buf_release(&cell);
}

static void
csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->nrows; i++) {
		for (size_t k = 0; k < c->ncells[i]; k++)
			free(c->rows[i][k]);
		free(c->rows[i]);
	}
	free(c->rows);
	free(c->ncells);
}

static const char *
csv_get(const struct csv *c, size_t row, const char *col)
{
	for (size_t k = 0; k < c->ncells[0]; k++)
		if (strcmp(c->rows[0][k], col) == 0)
			return c->rows[row][k];
	fail_msg("no column %s", col);
	return NULL;
}

static size_t
csv_row_of(const struct csv *c, const char *url)
{
	for (size_t i = 1; i < c->nrows; i++)
		if (strcmp(csv_get(c, i, "url"), url) == 0)
			return i;
	fail_msg("no row for %s", url);
	return 0;
}

static void
test_csv_injection(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	struct csv c;
	char *csv;
	size_t i, row;

	report_opts_init(&o);
	r = make(f, &o);
	csv = render(r, "csv");
	csv_parse(csv, &c);
	/* a header, five shown listings, one removed */
	assert_int_equal(c.nrows, 7);
	for (i = 0; i < c.nrows; i++)
		assert_int_equal(c.ncells[i], c.ncells[0]);

	row = csv_row_of(&c,
			 "https://jobs.example.kz/vacancy/107?q=\"><script>");
	assert_string_equal(csv_get(&c, row, "employer"),
			    "'=cmd|' /C calc'!A0");
	assert_string_equal(csv_get(&c, row, "salary"), "'+1000$");
	assert_string_equal(csv_get(&c, row, "location"), "'-Dubai");
	assert_string_equal(csv_get(&c, row, "posted"), "'@SUM(1+1)");
	assert_string_equal(csv_get(&c, row, "indicators"), "J03 J08 J10");
	assert_string_equal(csv_get(&c, row, "dimensions"), "A");
	row = csv_row_of(&c, "https://ads.example.uz/item/406");
	assert_string_equal(csv_get(&c, row, "location"), "'\tПусан");
	assert_string_equal(csv_get(&c, row, "posted"), "'\r2026-11-09");
	assert_non_null(strstr(csv_get(&c, row, "clusters"), "text simhash:"));
	/* quotes and commas survive quoting */
	row = csv_row_of(&c, "https://board.example.kg/ad/301");
	assert_string_equal(csv_get(&c, row, "title"),
			    "Официантки в Турцию, \"срочно\"");
	assert_string_equal(csv_get(&c, row, "change"), "changed");
	assert_string_equal(csv_get(&c, row, "captured"),
			    "2026-11-10T03:10:00Z");
	row = csv_row_of(&c, "https://ads.example.uz/item/401");
	assert_string_equal(csv_get(&c, row, "change"), "removed");
	/* nothing anywhere starts a cell with a formula character */
	for (i = 1; i < c.nrows; i++)
		for (size_t k = 0; k < c.ncells[i]; k++)
			assert_null(strchr("=+-@\t\r", c.rows[i][k][0]) &&
						    c.rows[i][k][0]
					    ? c.rows[i][k]
					    : NULL);
	csv_free(&c);
	free(csv);
	report_free(r);
}

/* ---- JSON Lines and Markdown ---- */

static void
test_jsonl_and_md(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	char *jsonl, *md, *line, *save = NULL;
	size_t nlines = 0;

	report_opts_init(&o);
	r = make(f, &o);
	jsonl = render(r, "jsonl");
	assert_true(strncmp(jsonl, "{\"schema\":1,\"type\":\"report\","
				   "\"job\":\"kz-jobs\",\"run\":9,",
			    45) == 0);
	assert_non_null(strstr(jsonl, "\"collapsed_sites\":"
				      "[\"board.example.kg\""));
	assert_non_null(strstr(jsonl, "\"type\":\"cluster\",\"kind\":\"phone\","
				      "\"key\":\"+77011234567\",\"size\":2"));
	assert_non_null(strstr(jsonl, "\"reason\":\"no-listings\""));
	for (line = strtok_r(jsonl, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		assert_true(line[0] == '{');
		assert_true(line[strlen(line) - 1] == '}');
		nlines++;
	}
	/* report, 5 + 1 listings, 2 clusters, 6 sites */
	assert_int_equal(nlines, 1 + 6 + 2 + 6);
	free(jsonl);

	md = render(r, "md");
	/* every '<' is escaped text or starts an autolink */
	for (line = strchr(md, '<'); line; line = strchr(line + 1, '<'))
		assert_true((line > md && line[-1] == '\\') ||
			    strncmp(line, "<https://", 9) == 0);
	assert_non_null(strstr(md, "\\<script\\>alert(1)\\</script\\>"));
	assert_non_null(strstr(md, "https\\://jobs.example.kz/vacancy/107"));
	assert_non_null(strstr(md, "<https://board.example.kg/ad/301>"));
	/* a URL with markup is not an autolink */
	assert_null(strstr(md, "<https://jobs.example.kz/vacancy/107"));
	assert_non_null(strstr(md, "## ⚠ Sites whose yield collapsed (4)"));
	free(md);
	report_free(r);
}

/* ---- pseudonyms ---- */

static void
test_key(struct report_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->k, "0123456789abcdef0123456789abcdef", 32);
	k->len = 32;
}

static char *
pseudo_of(const struct report_key *k, const char *text)
{
	struct buf b;

	buf_init(&b, 0);
	report_pseudonymize(k, text, strlen(text), &b, NULL);
	return buf_detach(&b, NULL);
}

static void
test_pseudonymize_text(void **state)
{
	struct report_key k;
	struct buf b;
	char *p, *q;
	size_t *map = NULL;
	const char *t = "звоните 8 (701) 123-45-67 или +77011234567";

	(void)state;
	test_key(&k);
	/* one number written two ways: one pseudonym */
	p = pseudo_of(&k, t);
	buf_init(&b, 0);
	report_pseudonym(&k, STORE_CONTACT_PHONE, "+77011234567", &b);
	assert_int_equal(strlen(b.data), strlen("[phone:") + 12 + 1);
	q = strstr(p, b.data);
	NN(q);
	assert_non_null(strstr(q + 1, b.data));
	assert_null(strstr(p, "701"));
	free(p);

	/* handles, t.me links (the same person as the handle), e-mail,
	 * wa.me; prices and dates stay */
	p = pseudo_of(&k, "пишите @Dubai_HR или https://t.me/dubai_hr, "
			  "hr@example.org, wa.me/77011234567; от 3000$, "
			  "2026-11-08");
	assert_null(strstr(p, "dubai"));
	assert_null(strstr(p, "Dubai"));
	assert_null(strstr(p, "example.org"));
	assert_null(strstr(p, "t.me"));
	assert_null(strstr(p, "wa.me"));
	assert_non_null(strstr(p, "от 3000$, 2026-11-08"));
	buf_reset(&b);
	report_pseudonym(&k, STORE_CONTACT_HANDLE, "@dubai_hr", &b);
	q = strstr(p, b.data);
	NN(q);
	assert_non_null(strstr(q + 1, b.data));
	buf_reset(&b);
	report_pseudonym(&k, STORE_CONTACT_PHONE, "+77011234567", &b);
	assert_non_null(strstr(p, b.data));
	free(p);

	/* another key, another pseudonym */
	{
		struct report_key k2 = k;
		struct buf b2;

		k2.k[0] ^= 1;
		buf_init(&b2, 0);
		report_pseudonym(&k2, STORE_CONTACT_PHONE, "+77011234567", &b2);
		buf_reset(&b);
		report_pseudonym(&k, STORE_CONTACT_PHONE, "+77011234567", &b);
		assert_string_not_equal(b.data, b2.data);
		buf_release(&b2);
	}

	/* the offset map */
	buf_reset(&b);
	report_pseudonymize(&k, "a +77011234567 b", 16, &b, &map);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[2], 2);
	assert_int_equal(map[5], 2);
	assert_int_equal(map[14], 2 + strlen("[phone:") + 13);
	assert_int_equal(map[16], b.len);
	free(map);
	buf_release(&b);
}

/* The report's pseudonyms agree with the phones text/ finds. */
static void
test_pseudonyms_agree_with_entities(void **state)
{
	static const char *const texts[] = {
		"8 (701) 123-45-67", "+7 701 123 45 67", "7011234567",
		"+996 555 123 456", "+971 50 123 4567", "+998 90 123 45 67",
	};
	struct report_key k;
	size_t i;

	(void)state;
	test_key(&k);
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		struct entity_list l;
		struct buf b;
		char *p;

		entity_list_init(&l);
		entities_find(&l, texts[i], strlen(texts[i]));
		assert_int_equal(l.n, 1);
		assert_int_equal(l.items[0].kind, ENTITY_PHONE);
		buf_init(&b, 0);
		report_pseudonym(&k, STORE_CONTACT_PHONE, l.items[0].value,
				 &b);
		p = pseudo_of(&k, texts[i]);
		if (strcmp(p, b.data) != 0)
			fail_msg("'%s': %s != %s (%s)", texts[i], p, b.data,
				 l.items[0].value);
		free(p);
		buf_release(&b);
		entity_list_release(&l);
	}
}

static void
test_pseudonymized_report(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report_key k;
	struct report *r;
	struct buf pn;
	const char *formats[] = { "html", "csv", "jsonl", "md" };
	const struct rep_listing *l;
	size_t i;

	test_key(&k);
	report_opts_init(&o);
	o.key = &k;
	o.unchanged = true;
	r = make(f, &o);
	assert_true(r->pseudonymized);
	for (i = 0; i < RF_ARRAY_SIZE(formats); i++) {
		char *out = render(r, formats[i]);

		assert_null(strstr(out, "77011234567"));
		assert_null(strstr(out, "701 123 45 67"));
		assert_null(strstr(out, "(701) 123-45-67"));
		assert_null(strstr(out, "996555123456"));
		assert_null(strstr(out, "555 123 456"));
		assert_null(strstr(out, "dubai_hr"));
		assert_null(strstr(out, "recruiter_kg"));
		assert_null(strstr(out, "971501234567"));
		assert_non_null(strstr(out, "[phone:"));
		free(out);
	}
	/* L1's contact and L5's text carry one pseudonym, as does the
	 * cluster's key */
	buf_init(&pn, 0);
	report_pseudonym(&k, STORE_CONTACT_PHONE, "+77011234567", &pn);
	l = find_shown(r, f->ids.listing[1]);
	NN(l);
	assert_string_equal(l->contacts[0].value, pn.data);
	assert_non_null(strstr(l->text, pn.data));
	l = find_shown(r, f->ids.listing[5]);
	NN(l);
	assert_non_null(strstr(l->text, pn.data));
	for (i = 0; i < r->clusters.n; i++)
		if (r->clusters.items[i].kind == REPORT_CLUSTER_PHONE)
			assert_string_equal(r->clusters.items[i].key, pn.data);
	/* hits still point at their text in the changed text */
	for (i = 0; i < r->nlistings; i++) {
		l = &r->listings[i];
		for (size_t h = 0; h < l->nhits; h++) {
			const struct rep_hit *x = &l->hits[h];

			if (strcmp(x->field, "body") != 0)
				continue;
			assert_true(x->placed);
			assert_true(x->end <= strlen(l->text));
			assert_memory_equal(l->text + x->start, x->text,
					    x->end - x->start);
		}
	}
	/* the contacts-field hit has its text replaced */
	l = find_shown(r, f->ids.listing[5]);
	NN(l);
	for (i = 0; i < l->nhits; i++)
		if (strcmp(l->hits[i].field, "contacts") == 0)
			assert_string_equal(l->hits[i].text, pn.data);
	buf_release(&pn);
	report_free(r);
}

/* ---- key files ---- */

static void
test_key_file(void **state)
{
	struct fix *f = *state;
	struct report_key a, b;
	struct buf msg;
	struct stat st;
	char path[160], text[100];
	FILE *fp;

	buf_init(&msg, 0);
	snprintf(path, sizeof(path), "%s/report.key", f->dir);
	assert_int_equal(report_key_load(path, false, &a, &msg), RF_ENOENT);
	assert_int_equal(report_key_load(path, true, &a, &msg), RF_OK);
	assert_int_equal(a.len, 64);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* generated once: loading again gives the same key */
	assert_int_equal(report_key_load(path, true, &b, &msg), RF_OK);
	assert_int_equal(b.len, a.len);
	assert_memory_equal(a.k, b.k, a.len);
	fp = fopen(path, "r");
	NN(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_int_equal(strlen(text), 65);
	/* open to others: refused */
	chmod(path, 0644);
	buf_reset(&msg);
	assert_int_equal(report_key_load(path, false, &b, &msg), RF_EINVAL);
	assert_non_null(strstr(msg.data, "chmod 600"));
	/* too short */
	chmod(path, 0600);
	fp = fopen(path, "w");
	fputs("short\n", fp);
	fclose(fp);
	assert_int_equal(report_key_load(path, false, &b, &msg), RF_EINVAL);
	buf_release(&msg);
}

/* ---- files ---- */

static size_t
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n = 0;

	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || (strcmp(de->d_name, ".") &&
					     strcmp(de->d_name, "..")))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void
test_write_files(void **state)
{
	struct fix *f = *state;
	struct report_opts o;
	struct report *r;
	struct buf msg;
	struct stat st;
	char dir[160], path[200];
	const char *ext[] = { "html", "csv", "jsonl", "md" };
	mode_t old;
	size_t i;

	buf_init(&msg, 0);
	snprintf(dir, sizeof(dir), "%s/out", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	report_opts_init(&o);
	r = make(f, &o);
	/* 0640 whatever the umask */
	old = umask(0);
	assert_int_equal(report_write_all(r, dir, "run-9", &msg), RF_OK);
	umask(077);
	snprintf(path, sizeof(path), "%s/run-9.html", dir);
	assert_int_equal(report_write(r, "html", path, &msg), RF_OK);
	umask(old);
	for (i = 0; i < RF_ARRAY_SIZE(ext); i++) {
		snprintf(path, sizeof(path), "%s/run-9.%s", dir, ext[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0640);
		assert_true(st.st_size > 100);
	}
	/* no temporary file is left behind */
	assert_int_equal(count_entries(dir), 4);
	/* a failed write leaves nothing */
	snprintf(path, sizeof(path), "%s/missing/x.html", dir);
	assert_int_equal(report_write(r, "html", path, &msg), RF_EIO);
	assert_non_null(strstr(msg.data, "cannot create"));
	assert_int_equal(report_write(r, "pdf", path, &msg), RF_EINVAL);
	assert_string_equal(report_format_of_path("a/b.CSV"), "csv");
	assert_string_equal(report_format_of_path("r.jsonl"), "jsonl");
	assert_null(report_format_of_path("report"));
	report_free(r);
	buf_release(&msg);
}

/* ---- the taxonomy agrees with rules/ ---- */

static void
test_indicators_agree_with_rules(void **state)
{
	char id[8];
	int i, d;

	(void)state;
	for (i = 1; i <= 18; i++) {
		snprintf(id, sizeof(id), "J%02d", i);
		d = indicator_dimension(id);
		assert_true(d >= 0);
		assert_int_equal(rep_indicator_dimension(id), d);
		assert_non_null(rep_indicator_name(id, REPORT_LANG_EN));
		assert_non_null(rep_indicator_name(id, REPORT_LANG_RU));
	}
	for (i = 0; i < L_MAX; i++) {
		assert_true(*rep_label((enum rep_label)i, REPORT_LANG_EN));
		assert_true(*rep_label((enum rep_label)i, REPORT_LANG_RU));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_simhash),
		cmocka_unit_test(test_pseudonymize_text),
		cmocka_unit_test(test_pseudonyms_agree_with_entities),
		cmocka_unit_test(test_indicators_agree_with_rules),
		cmocka_unit_test_setup_teardown(test_latest_finished_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_run_and_since, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_store, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clusters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_health, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_html_escaping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_html_russian, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_csv_injection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_jsonl_and_md, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pseudonymized_report,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_files, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
