/*
 * score.c: the one scoring model of all packs. An indicator counts once,
 * at its strongest fired rule, capped; each further ILO dimension present
 * adds a bonus; thresholds give the level. See redflag-rules(5).
 */
#include <string.h>

#include "rules/rules-int.h"
#include "common/banned.h"

const struct score_model score_model_default = {
	.strength_weight = { 1, 2, 4 },
	.indicator_cap = 4,
	.dimension_bonus = 1,
	.threshold = { 0, 2, 5, 9 },
};

/* INDICATORS.md: id, ILO dimension (0: contextual), short name */
static const struct {
	const char *id;
	char dim;
	const char *name;
} indicators[] = {
	{ "J01", 'A', "implausible pay" },
	{ "J02", 'C', "no qualification needed" },
	{ "J03", 'A', "costs covered, travel arranged" },
	{ "J04", 'B', "advance fees, debt" },
	{ "J05", 'B', "document control, wrong visa" },
	{ "J06", 'C', "age, gender, appearance filters" },
	{ "J07", 0, "high-risk occupations abroad" },
	{ "J08", 0, "high-risk destinations" },
	{ "J09", 'A', "anonymous or messenger-only contact" },
	{ "J10", 0, "urgency, pressure" },
	{ "J11", 'A', "vague job and employer" },
	{ "J12", 'D', "exploitative conditions promised" },
	{ "J13", 'C', "targeting the vulnerable" },
	{ "J14", 'A', "impersonation of legitimate schemes" },
	{ "J15", 'A', "forced-criminality bait" },
	{ "J16", 'A', "military recruitment disguised as civil work" },
	{ "J17", 0, "marriage or companion offers" },
	{ "J18", 0, "structural signs" },
};

static int
indicator_index(const char *id)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(indicators); i++)
		if (strcmp(indicators[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
indicator_dimension(const char *id)
{
	int i = indicator_index(id);

	return i < 0 ? -1 : indicators[i].dim;
}

const char *
indicator_name(const char *id)
{
	int i = indicator_index(id);

	return i < 0 ? NULL : indicators[i].name;
}

size_t
score_explain(const struct score_model *model, const struct scan_result *res,
	      struct score_line *out, size_t max, int *bonus)
{
	struct score_line lines[RF_ARRAY_SIZE(indicators)];
	unsigned dims = 0;
	size_t i, n = 0;
	int ndims = 0;

	memset(lines, 0, sizeof(lines));
	for (i = 0; i < res->nfired; i++) {
		const struct rule *r = res->fired[i];
		int k = indicator_index(r->indicator), w = r->weight;
		struct score_line *l;

		if (k < 0)
			continue;
		l = &lines[k];
		l->indicator = indicators[k].id;
		l->dimension = indicators[k].dim;
		l->rules++;
		if (w > model->indicator_cap)
			w = model->indicator_cap;
		if (w > l->points || !l->rule) {
			l->points = w;
			l->rule = r;
			l->capped = r->weight > model->indicator_cap;
		}
		if (indicators[k].dim)
			dims |= 1u << (indicators[k].dim - 'A');
	}
	for (i = 0; i < RF_ARRAY_SIZE(indicators); i++)
		if (lines[i].rule && n < max)
			out[n++] = lines[i];
	for (i = 0; i < 6; i++)
		ndims += (dims >> i) & 1;
	*bonus = ndims > 1 ? model->dimension_bonus * (ndims - 1) : 0;
	return n;
}

void
score_result(const struct score_model *model, struct scan_result *res)
{
	struct score_line lines[RF_ARRAY_SIZE(indicators)];
	size_t i, n;
	int score, bonus;
	unsigned dims = 0;

	n = score_explain(model, res, lines, RF_ARRAY_SIZE(lines), &bonus);
	score = bonus;
	res->dimensions = 0;
	for (i = 0; i < n; i++) {
		score += lines[i].points;
		if (lines[i].dimension &&
		    !(dims & (1u << (lines[i].dimension - 'A')))) {
			dims |= 1u << (lines[i].dimension - 'A');
			res->dimensions++;
		}
	}
	res->score = score;
	res->level = score_level(model, score);
}

enum risk_level
score_level(const struct score_model *model, int score)
{
	int level;

	for (level = LEVEL_HIGH; level > LEVEL_NONE; level--)
		if (score >= model->threshold[level])
			break;
	return (enum risk_level)level;
}

const char *
risk_level_name(enum risk_level l)
{
	static const char *const names[] = { "none", "low", "medium", "high" };

	return (unsigned)l < 4 ? names[l] : "?";
}

enum rf_err
risk_level_parse(const char *s, enum risk_level *out)
{
	int l;

	for (l = LEVEL_NONE; l <= LEVEL_HIGH; l++) {
		if (strcmp(s, risk_level_name((enum risk_level)l)) == 0) {
			*out = (enum risk_level)l;
			return RF_OK;
		}
	}
	return RF_EINVAL;
}
