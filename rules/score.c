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

void
score_result(const struct score_model *model, struct scan_result *res)
{
	int points[RF_ARRAY_SIZE(indicators)] = { 0 };
	unsigned dims = 0;
	size_t i;
	int score = 0, ndims = 0, level;

	for (i = 0; i < res->nfired; i++) {
		const struct rule *r = res->fired[i];
		int k = indicator_index(r->indicator), w = r->weight;

		if (k < 0)
			continue;
		if (w > model->indicator_cap)
			w = model->indicator_cap;
		if (w > points[k])
			points[k] = w;
		if (indicators[k].dim)
			dims |= 1u << (indicators[k].dim - 'A');
	}
	for (i = 0; i < RF_ARRAY_SIZE(indicators); i++)
		score += points[i];
	for (i = 0; i < 6; i++)
		ndims += (dims >> i) & 1;
	if (ndims > 1)
		score += model->dimension_bonus * (ndims - 1);
	res->score = score;
	res->dimensions = ndims;
	for (level = LEVEL_HIGH; level > LEVEL_NONE; level--)
		if (score >= model->threshold[level])
			break;
	res->level = (enum risk_level)level;
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
