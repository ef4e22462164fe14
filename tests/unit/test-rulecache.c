/*
 * test-rulecache.c: unit tests of the cache of compiled rulesets
 * (rules/cache.c): the same ruleset from the cache as from the rule
 * files, stale and damaged entries ignored, never a crash, the folder's
 * permissions and pruning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/util.h"
#include "rules/rules.h"
#include "rules/rules-int.h"

/* A rule file with every kind of condition, a class, a lemma-free
 * literal with modifiers, and a lint warning (an unused pattern). */
static const char rules_text[] =
	"lang ru\n"
	"class digit = /[0-9]/\n"
	"rule t.visa {\n"
	" meta:\n  indicator = J03\n  strength = strong\n"
	"  references = \"test\"\n"
	" patterns:\n"
	"  $visa = \"визу оформим\"\n"
	"  $tick = /билет\\w*\\s+за\\s+сч[её]т/\n"
	"  $age = \"до <digit><digit> лет\" word\n"
	"  $unused = \"никогда\" prefix\n"
	" condition:\n  ($visa or $tick) and not $age\n"
	" examples:\n  match \"Визу оформим быстро\"\n"
	"  nomatch \"Оформим визу до 25 лет\"\n"
	"}\n"
	"rule t.near {\n"
	" meta:\n  indicator = J07\n  scope = title, body\n"
	" patterns:\n  $a = \"работа\"\n  $b = \"дуба\"\n  $n = \"без\"\n"
	" condition:\n  near($a, $b, 3) or unnegated($a, $n, 2) and "
	"2 of ($a, $b, $n)\n"
	" examples:\n  match \"работа в Дубае\"\n"
	"}\n"
	"rule t.phones {\n"
	" meta:\n  indicator = J10\n  view = raw\n"
	" patterns:\n  $w = \"WhatsApp\" case\n"
	" condition:\n  $w and phones >= 1\n"
	"}\n";

static char tmpl[] = "/tmp/test-rulecache.XXXXXX";
static char *root;
static char rules_path[512], cache_dir[512];

/* Points cache_dir at a new folder under root. */
static void
fresh_cache(const char *name)
{
	snprintf(cache_dir, sizeof(cache_dir), "%s/%s", root, name);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	(void)state;
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	snprintf(rules_path, sizeof(rules_path), "%s/t.rules", root);
	snprintf(cache_dir, sizeof(cache_dir), "%s/cache", root);
	write_file(rules_path, rules_text, sizeof(rules_text) - 1);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
count_diag(const struct rule_diag *d, void *arg)
{
	struct buf *b = arg;

	buf_addf(b, "%s:%d:%d: %s [%s]\n", d->file, d->line, d->col,
		 d->message, d->code);
}

/* Compiles path with the cache in dir (NULL: none); returns the ruleset
 * and the cache's state; diagnostics go to diags when not NULL. */
static struct ruleset *
load(const char *path, const char *dir, bool lint,
     enum rules_cache_state *st, struct buf *diags)
{
	struct rules_options opts = {
		.diag = diags ? count_diag : NULL, .diag_arg = diags,
		.lint = lint,
	};
	struct rules_cache_options copts = { dir, "test build" };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct rules_cache_info info;
	struct ruleset *rs = NULL;

	assert_int_equal(rules_compile_paths(c, &path, 1, &copts, &info, &rs),
			 RF_OK);
	assert_non_null(rs);
	if (st)
		*st = info.state;
	rules_cache_info_release(&info);
	rules_compiler_free(c);
	return rs;
}

/* The path of the only entry in cache_dir. */
static void
entry_path(char *out, size_t size)
{
	DIR *d = opendir(cache_dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (str_has_suffix(de->d_name, ".rfc")) {
			snprintf(out, size, "%s/%s", cache_dir, de->d_name);
			n++;
		}
	closedir(d);
	assert_int_equal(n, 1);
}

/* The prefilter's trie, ids and DFA kind. */
static void
describe_trie(const struct ruleset *rs, struct buf *out)
{
	struct prefilter_image im;
	size_t i;

	prefilter_image_get(rs, &im);
	buf_addf(out, "trie %zu ids %zu states %zu edges %zu outputs "
		 "dense %d\n",
		 rs->npatterns, im.nstates, im.nedge, im.nouts,
		 prefilter_is_dense(rs->pf));
	assert_int_equal(im.npatterns, rs->npatterns);
	for (i = 0; i < im.nstates; i++)
		buf_addf(out, "%u ", im.nedges[i]);
	for (i = 0; i < im.nedge; i++)
		buf_addf(out, "%02x>%u ", im.byte[i], im.to[i]);
	for (i = 0; i < im.nouts; i++)
		buf_addf(out, "%u:%u ", im.out_state[i], im.out_id[i]);
	buf_addch(out, '\n');
	prefilter_image_release(&im);
}

/* Everything a ruleset answers, as text, to compare two of them: rules,
 * patterns, PCRE2 sources, atoms, examples, and the verdicts on each
 * example through the matcher, as written and upper-cased. */
static void
describe(const struct ruleset *rs, struct buf *out)
{
	struct matcher *m = matcher_new(rs);
	struct scan_result res;
	size_t i, j, k, passed, failed;

	scan_result_init(&res);
	buf_addf(out, "hash %s n %zu\n", ruleset_hash(rs), rs->n);
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		buf_addf(out, "%s|%s|%s|%s|%s|%s|%s|%d|%s|%d|%d|%d|%d|%u|%d\n",
			 r->id, r->title ? r->title : "-",
			 r->indicator ? r->indicator : "-",
			 r->lang ? r->lang : "-",
			 r->references ? r->references : "-",
			 r->falsepositives ? r->falsepositives : "-",
			 r->file, r->line, r->version, r->view, r->strength,
			 r->weight, r->status, r->scope, r->needs_review);
		for (j = 0; j < r->npats; j++) {
			const struct pattern *p = &r->pats[j];

			buf_addf(out, " %s %d %s %u %d:%d %s %d %s %x atoms",
				 p->name, p->kind, p->text, p->mods, p->line,
				 p->col, p->source_line ? p->source_line : "-",
				 p->used, p->re, p->re_opts);
			for (k = 0; k < p->atoms.n; k++)
				buf_addf(out, " %s", p->atoms.atoms[k]);
			buf_addstr(out, " and");
			for (k = 0; k < p->atoms2.n; k++)
				buf_addf(out, " %s", p->atoms2.atoms[k]);
			/* the prefilter's view of it, from the cache's ids */
			buf_addf(out, " ids %zu %zu %zu %zu anchor %d %zu %zu "
				 "%d", p->gidx,
				 p->atoms2.n ? p->gidx2 : 0, p->pidx, p->sidx,
				 p->anchor, p->npre_letters, p->npre_forms,
				 p->pre_lone);
			for (k = 0; k < p->npre_forms; k++)
				buf_addf(out, " %.*s>%x", p->pre_form_len[k],
					 p->pre_forms[k],
					 (unsigned)p->pre_form_next[k]);
			buf_addch(out, '\n');
		}
		for (j = 0; j < r->nex; j++) {
			struct scan_input in = { 0 };

			in.text[FIELD_TITLE] = in.text[FIELD_BODY] =
				r->ex[j].text;
			in.len[FIELD_TITLE] = in.len[FIELD_BODY] =
				strlen(r->ex[j].text);
			assert_int_equal(matcher_scan(m, &in, &res), RF_OK);
			buf_addf(out, " ex %d %d %s: score %d fired",
				 r->ex[j].match, r->ex[j].line, r->ex[j].text,
				 res.score);
			for (k = 0; k < res.nfired; k++)
				buf_addf(out, " %s", rule_id(res.fired[k]));
			for (k = 0; k < res.nhits; k++)
				buf_addf(out, " %s:%s@%zu-%zu",
					 rule_id(res.hits[k].rule),
					 res.hits[k].pattern, res.hits[k].start,
					 res.hits[k].end);
			buf_addch(out, '\n');
		}
	}
	describe_trie(rs, out);
	ruleset_test(rs, NULL, NULL, &passed, &failed);
	buf_addf(out, "examples %zu passed %zu failed\n", passed, failed);
	scan_result_release(&res);
	matcher_free(m);
}

static void
assert_same(const struct ruleset *a, const struct ruleset *b)
{
	struct buf x, y;

	buf_init(&x, 0);
	buf_init(&y, 0);
	describe(a, &x);
	describe(b, &y);
	assert_string_equal(x.data, y.data);
	buf_release(&x);
	buf_release(&y);
}

/* The shipped packs: compiled, stored, loaded, the same answers. */
static void
test_packs_same(void **state)
{
	const char *top = getenv("top_srcdir");
	char packs[512];
	enum rules_cache_state st;
	struct ruleset *fresh, *stored, *loaded;
	struct buf d1, d2;

	(void)state;
	fresh_cache("c-packs");
	snprintf(packs, sizeof(packs), "%s/rules/packs", top ? top : ".");
	buf_init(&d1, 0);
	buf_init(&d2, 0);
	fresh = load(packs, NULL, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_OFF);
	stored = load(packs, cache_dir, false, &st, &d1);
	assert_int_equal(st, RULES_CACHE_STORED);
	loaded = load(packs, cache_dir, false, &st, &d2);
	assert_int_equal(st, RULES_CACHE_HIT);
	assert_true(ruleset_count(fresh) > 100);
	assert_same(fresh, loaded);
	assert_same(stored, loaded);
	/* the same warnings, replayed */
	assert_string_equal(d1.data, d2.data);
	ruleset_free(fresh);
	ruleset_free(stored);
	ruleset_free(loaded);
	buf_release(&d1);
	buf_release(&d2);
	assert_int_equal(system("true"), 0);
}

/* Lint warnings are kept and replayed; lint is part of the key. */
static void
test_warnings_replayed(void **state)
{
	enum rules_cache_state st;
	struct ruleset *a, *b, *c;
	struct buf d1, d2, d3;
	size_t passed, failed;

	(void)state;
	fresh_cache("c-warn");
	buf_init(&d1, 0);
	buf_init(&d2, 0);
	buf_init(&d3, 0);
	a = load(rules_path, cache_dir, true, &st, &d1);
	assert_int_equal(st, RULES_CACHE_STORED);
	b = load(rules_path, cache_dir, true, &st, &d2);
	assert_int_equal(st, RULES_CACHE_HIT);
	assert_non_null(strstr(d1.data, "unused"));
	assert_string_equal(d1.data, d2.data);
	/* without lint: another entry, without the lint warning */
	c = load(rules_path, cache_dir, false, &st, &d3);
	assert_int_equal(st, RULES_CACHE_STORED);
	assert_null(strstr(d3.data, "unused"));
	assert_same(a, b);
	assert_same(a, c);
	/* the examples hold, from the cache as when compiled */
	ruleset_test(b, NULL, NULL, &passed, &failed);
	assert_int_equal(passed, 3);
	assert_int_equal(failed, 0);
	ruleset_free(a);
	ruleset_free(b);
	ruleset_free(c);
	buf_release(&d1);
	buf_release(&d2);
	buf_release(&d3);
}

/* A changed rule file makes the entry stale: the new rules are used. */
static void
test_stale(void **state)
{
	enum rules_cache_state st;
	struct ruleset *a, *b, *c;
	char dir[600], path[700];
	static const char one[] =
		"rule s.a {\n meta:\n  indicator = J01\n patterns:\n"
		"  $a = \"альфа\"\n condition:\n  $a\n}\n";
	static const char two[] =
		"rule s.a {\n meta:\n  indicator = J01\n patterns:\n"
		"  $a = \"бета\"\n condition:\n  $a\n}\n";
	struct timeval tv[2] = { { 1000000, 0 }, { 1000000, 0 } };

	(void)state;
	fresh_cache("c-stale");
	snprintf(dir, sizeof(dir), "%s/stale", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/a.rules", dir);
	write_file(path, one, sizeof(one) - 1);
	utimes(path, tv);
	a = load(dir, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	/* same size, same mtime (set back): the content still tells */
	write_file(path, two, sizeof(two) - 1);
	utimes(path, tv);
	b = load(dir, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	assert_string_not_equal(ruleset_hash(a), ruleset_hash(b));
	assert_string_equal(b->rules[0]->pats[0].text, "бета");
	c = load(dir, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_HIT);
	assert_same(b, c);
	ruleset_free(c);
	/* a new file in the pack */
	snprintf(path, sizeof(path), "%s/b.rules", dir);
	write_file(path, "", 0);
	c = load(dir, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	ruleset_free(c);
	/* a lemmas.lock appearing beside the rules */
	snprintf(path, sizeof(path), "%s/lemmas.lock", dir);
	write_file(path, "# none\n", 7);
	c = load(dir, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	ruleset_free(a);
	ruleset_free(b);
	ruleset_free(c);
}

/* Loads with the entry replaced by data: never a hit, the same rules,
 * and the entry is written again. */
static void
load_damaged(const char *entry, const void *data, size_t len,
	     const struct buf *want)
{
	enum rules_cache_state st;
	struct ruleset *rs;
	struct buf got;

	unlink(entry);
	write_file(entry, data, len);
	rs = load(rules_path, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	buf_init(&got, 0);
	describe(rs, &got);
	assert_string_equal(got.data, want->data);
	buf_release(&got);
	ruleset_free(rs);
}

static void
test_damaged(void **state)
{
	enum rules_cache_state st;
	struct ruleset *rs;
	struct buf good, want;
	char entry[1024];
	unsigned char *copy;
	size_t i, step;

	(void)state;
	fresh_cache("c-damaged");
	rs = load(rules_path, cache_dir, false, &st, NULL);
	buf_init(&want, 0);
	describe(rs, &want);
	ruleset_free(rs);
	entry_path(entry, sizeof(entry));
	buf_init(&good, 0);
	assert_int_equal(file_read(entry, 1 << 24, &good), RF_OK);
	assert_true(good.len > 200);
	copy = malloc(good.len + 16);
	assert_non_null(copy);
	/* empty, garbage, every kind of truncation, a byte more */
	load_damaged(entry, "", 0, &want);
	load_damaged(entry, "RFRULES", 8, &want);
	memset(copy, 0xff, good.len);
	load_damaged(entry, copy, good.len, &want);
	step = good.len / 97 + 1;
	for (i = 0; i < good.len; i += step)
		load_damaged(entry, good.data, i, &want);
	memcpy(copy, good.data, good.len);
	copy[good.len] = 0;
	load_damaged(entry, copy, good.len + 1, &want);
	/* a flipped bit anywhere: header, key, length, checksum, payload */
	for (i = 0; i < good.len; i += step) {
		memcpy(copy, good.data, good.len);
		copy[i] ^= 0x10;
		load_damaged(entry, copy, good.len, &want);
	}
	/* a folder, and a symbolic link, where the file should be */
	unlink(entry);
	assert_int_equal(mkdir(entry, 0700), 0);
	rs = load(rules_path, cache_dir, false, &st, NULL);
	assert_int_not_equal(st, RULES_CACHE_HIT);
	ruleset_free(rs);
	rmdir(entry);
	assert_int_equal(symlink(rules_path, entry), 0);
	rs = load(rules_path, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);	/* replaced it */
	ruleset_free(rs);
	rs = load(rules_path, cache_dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_HIT);
	ruleset_free(rs);
	free(copy);
	buf_release(&good);
	buf_release(&want);
}

/*
 * The decoder alone, checksum off, over every single-byte change of a
 * good entry: whatever it accepts must make a ruleset that scans.
 */
static void
test_decode_mutations(void **state)
{
	enum rules_cache_state st;
	struct ruleset *rs;
	struct buf good;
	char entry[1024];
	unsigned char *copy;
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t i, v, accepted = 0;

	(void)state;
	fresh_cache("c-mut");
	rs = load(rules_path, cache_dir, false, &st, NULL);
	ruleset_free(rs);
	entry_path(entry, sizeof(entry));
	buf_init(&good, 0);
	assert_int_equal(file_read(entry, 1 << 24, &good), RF_OK);
	copy = malloc(good.len);
	assert_non_null(copy);
	for (i = 0; i < good.len; i++) {
		for (v = 0; v < sizeof(vals); v++) {
			struct cache_entry e;

			memcpy(copy, good.data, good.len);
			if (copy[i] == vals[v])
				continue;
			copy[i] = vals[v];
			if (cache_entry_decode(copy, good.len, NULL, false,
					       &e) != RF_OK)
				continue;
			accepted++;
			rs = cache_entry_ruleset(&e);
			cache_entry_release(&e);
			{
				struct matcher *m = matcher_new(rs);
				struct scan_result res;
				struct scan_input in = { 0 };
				size_t p, f;

				in.text[FIELD_BODY] = "визу оформим, работа в "
						      "Дубае, WhatsApp "
						      "+77011234567";
				in.len[FIELD_BODY] =
					strlen(in.text[FIELD_BODY]);
				scan_result_init(&res);
				assert_int_equal(matcher_scan(m, &in, &res),
						 RF_OK);
				scan_result_release(&res);
				matcher_free(m);
				ruleset_test(rs, NULL, NULL, &p, &f);
			}
			ruleset_free(rs);
		}
	}
	/* the text fields take any byte, so some changes are accepted */
	assert_true(accepted > 0);
	/* with the checksum on, none is (but the key, which the caller
	 * checks: here none is given) */
	for (i = 0; i < good.len; i += 7) {
		struct cache_entry e;

		if (i >= 16 && i < 48)
			continue;
		memcpy(copy, good.data, good.len);
		copy[i] ^= 1;
		assert_int_equal(cache_entry_decode(copy, good.len, NULL, true,
						    &e), RF_EINVAL);
	}
	free(copy);
	buf_release(&good);
}

/* A chain of depth states under 'a', with one output of id 0 at its end. */
static void
chain_image(struct prefilter_image *im, size_t npatterns, size_t depth,
	    size_t nouts)
{
	size_t i;

	memset(im, 0, sizeof(*im));
	im->npatterns = npatterns;
	im->nstates = depth + 1;
	im->nedge = depth;
	im->nedges = calloc(depth + 1, sizeof(*im->nedges));
	im->byte = calloc(depth + 1, 1);
	im->to = calloc(depth + 1, sizeof(*im->to));
	im->out_state = calloc(nouts + 1, sizeof(*im->out_state));
	im->out_id = calloc(nouts + 1, sizeof(*im->out_id));
	assert_true(im->nedges && im->byte && im->to && im->out_state &&
		    im->out_id);
	for (i = 0; i < depth; i++) {
		im->nedges[i] = 1;
		im->byte[i] = 'a';
		im->to[i] = (uint32_t)(i + 1);
	}
	im->nouts = nouts;
	for (i = 0; i < nouts; i++)
		im->out_state[i] = (uint32_t)depth;
}

/*
 * The trie a cache entry holds is checked to be one the compiler could
 * make: a deeper one would cost a square of its depth to load and scan,
 * ids must be the pattern's own.
 */
static void
test_image_bounds(void **state)
{
	struct ruleset *rs = load(rules_path, NULL, false, NULL, NULL);
	struct prefilter_image im;
	struct pattern *raw = NULL, *one = NULL;
	size_t i, j, natoms = 0, pidx;

	(void)state;
	prefilter_image_get(rs, &im);
	assert_true(prefilter_image_valid(&im, rs->rules, rs->n));
	prefilter_image_release(&im);
	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->rules[i]->npats; j++) {
			struct pattern *p = &rs->rules[i]->pats[j];

			natoms += p->atoms.n + p->atoms2.n + p->pre.n;
			if (rs->rules[i]->view != VIEW_FOLDED)
				raw = p;
			else if (!p->atoms2.n)
				one = p;
		}
	if (!raw || !one) {
		fail_msg("the test rules lost their raw rule or a pattern "
			 "with one set");
		return;
	}
	chain_image(&im, rs->npatterns, ATOM_MAX, 1);
	assert_true(prefilter_image_valid(&im, rs->rules, rs->n));
	prefilter_image_release(&im);
	chain_image(&im, rs->npatterns, ATOM_MAX + 1, 1);
	assert_false(prefilter_image_valid(&im, rs->rules, rs->n));
	prefilter_image_release(&im);
	/* more outputs than the patterns have atoms */
	chain_image(&im, rs->npatterns, 3, natoms + 1);
	assert_false(prefilter_image_valid(&im, rs->rules, rs->n));
	prefilter_image_release(&im);
	/* ids: a second set's for a pattern without one, a prefix id for
	 * a rule of the raw view */
	chain_image(&im, rs->npatterns, 3, 1);
	one->gidx2 = 1;
	assert_false(prefilter_image_valid(&im, rs->rules, rs->n));
	one->gidx2 = 0;
	pidx = raw->pidx;
	raw->pidx = 0;
	assert_false(prefilter_image_valid(&im, rs->rules, rs->n));
	raw->pidx = pidx;
	assert_true(prefilter_image_valid(&im, rs->rules, rs->n));
	prefilter_image_release(&im);
	ruleset_free(rs);
}

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += str_has_suffix(de->d_name, ".rfc");
	closedir(d);
	return n;
}

/* Modes 0600 and 0700; a folder others can write to is not used; the
 * newest entries are kept. */
static void
test_folder(void **state)
{
	enum rules_cache_state st;
	struct ruleset *rs;
	struct stat sb;
	char dir[600], entry[1024], fake[1024];
	struct timeval tv[2] = { { 1000, 0 }, { 1000, 0 } };
	int i;

	(void)state;
	fresh_cache("c-folder");
	rs = load(rules_path, cache_dir, false, &st, NULL);
	ruleset_free(rs);
	assert_int_equal(stat(cache_dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	entry_path(entry, sizeof(entry));
	assert_int_equal(stat(entry, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* made with missing parents */
	snprintf(dir, sizeof(dir), "%s/deep/er/cache", root);
	rs = load(rules_path, dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_STORED);
	ruleset_free(rs);
	/* pruning: twelve old entries, then a new one: eight are left */
	for (i = 0; i < 12; i++) {
		snprintf(fake, sizeof(fake),
			 "%s/%064d.rfc", dir, i);
		write_file(fake, "old", 3);
		utimes(fake, tv);
	}
	/* a dead writer's temporary file, old and new */
	snprintf(fake, sizeof(fake), "%s/.tmp-old123", dir);
	write_file(fake, "x", 1);
	utimes(fake, tv);
	snprintf(fake, sizeof(fake), "%s/.tmp-new123", dir);
	write_file(fake, "x", 1);
	snprintf(fake, sizeof(fake), "%s/keep-me.txt", dir);
	write_file(fake, "x", 1);
	rs = load(rules_path, dir, true, &st, NULL);	/* another key */
	assert_int_equal(st, RULES_CACHE_STORED);
	ruleset_free(rs);
	assert_int_equal(count_entries(dir), RF_RULECACHE_KEEP);
	assert_int_equal(access(fake, F_OK), 0);
	snprintf(fake, sizeof(fake), "%s/.tmp-new123", dir);
	assert_int_equal(access(fake, F_OK), 0);
	snprintf(fake, sizeof(fake), "%s/.tmp-old123", dir);
	assert_int_not_equal(access(fake, F_OK), 0);
	/* both real entries are the newest: still there */
	rs = load(rules_path, dir, true, &st, NULL);
	assert_int_equal(st, RULES_CACHE_HIT);
	ruleset_free(rs);
	rs = load(rules_path, dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_HIT);
	ruleset_free(rs);
	/* writable by others: not used at all */
	assert_int_equal(chmod(dir, 0777), 0);
	rs = load(rules_path, dir, false, &st, NULL);
	assert_int_equal(st, RULES_CACHE_OFF);
	ruleset_free(rs);
	assert_int_equal(chmod(dir, 0700), 0);
}

/* Rules with errors are not stored; lock_lemmas compiles are not. */
static void
test_not_stored(void **state)
{
	struct rules_options opts = { 0 };
	struct rules_cache_options copts = { cache_dir, "test build" };
	struct rules_compiler *c;
	struct rules_cache_info info;
	struct ruleset *rs = NULL;
	char bad[600], dir[600];
	const char *p = bad;

	(void)state;
	fresh_cache("c-notstored");
	snprintf(dir, sizeof(dir), "%s/errs", root);
	snprintf(bad, sizeof(bad), "%s/bad.rules", root);
	write_file(bad, "rule x {\n", 9);
	c = rules_compiler_new(&opts);
	assert_int_equal(rules_compile_paths(c, &p, 1, &copts, &info, &rs),
			 RF_ERULE);
	assert_null(rs);
	assert_int_equal(info.state, RULES_CACHE_MISSED);
	rules_cache_info_release(&info);
	rules_compiler_free(c);
	/* a missing file: the path's error */
	snprintf(bad, sizeof(bad), "%s/missing.rules", root);
	c = rules_compiler_new(&opts);
	assert_int_equal(rules_compile_paths(c, &p, 1, &copts, NULL, &rs),
			 RF_ENOENT);
	assert_null(rs);
	rules_compiler_free(c);
	/* no cache at all */
	p = rules_path;
	copts.dir = NULL;
	c = rules_compiler_new(&opts);
	assert_int_equal(rules_compile_paths(c, &p, 1, &copts, &info, &rs),
			 RF_OK);
	assert_int_equal(info.state, RULES_CACHE_OFF);
	rules_cache_info_release(&info);
	ruleset_free(rs);
	rules_compiler_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packs_same),
		cmocka_unit_test(test_warnings_replayed),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_decode_mutations),
		cmocka_unit_test(test_image_bounds),
		cmocka_unit_test(test_folder),
		cmocka_unit_test(test_not_stored),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
