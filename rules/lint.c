/* lint.c: warnings about rules that work but will hurt: slow, runaway-prone,
 * unused, unproven or obfuscated by accident. */
#include <string.h>

#include "common/utf8.h"
#include "rules/rules-int.h"
#include "common/banned.h"

/* A condition that holds when nothing matched (e.g. "not $a"). */
static bool
holds_unmatched(const struct cond *n)
{
	switch (n->op) {
	case COND_AND:
		return holds_unmatched(n->a) && holds_unmatched(n->b);
	case COND_OR:
		return holds_unmatched(n->a) || holds_unmatched(n->b);
	case COND_NOT:
		return !holds_unmatched(n->a);
	case COND_OF:
		return n->n == 0 || (n->n < 0 && n->nset == 0);
	case COND_TRUE:
		return true;
	case COND_CMP:
		/* "phones >= 2" may hold whatever the patterns did */
		return true;
	case COND_VAR:
	case COND_NEAR:
	case COND_UNNEG:
		return false;
	}
	return false;
}

bool
rule_always_runs(const struct rule *r)
{
	return holds_unmatched(r->cond);
}

/* Whether the regex text has a group with an unbounded quantifier inside
 * that is itself repeated without bound: (a+)+, (\w+\s?)*, (x*){2,}. */
static bool
nested_unbounded(const char *re)
{
	/* inner[d]: the group open at depth d holds an unbounded repeat */
	bool inner[64] = { false };
	int depth = 0;
	const char *p = re;

	while (*p) {
		bool unbounded_here = false;

		if (*p == '\\') {
			p += p[1] ? 2 : 1;
			/* \p{..} */
			if (p[-1] == 'p' || p[-1] == 'P')
				while (*p && *p != '}')
					p++;
			goto quant;
		}
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
			goto quant;
		}
		if (*p == '(') {
			if (depth < 63)
				inner[++depth] = false;
			p++;
			continue;
		}
		if (*p == ')') {
			bool held = depth > 0 && inner[depth];

			if (depth > 0)
				depth--;
			p++;
			if (held && (*p == '*' || *p == '+' ||
				     (*p == '{' && strchr(p, ',') &&
				      strchr(p, ',') < strchr(p, '}') &&
				      strchr(p, ',')[1] == '}')))
				return true;
			if (held && depth > 0)
				inner[depth] = true;
			goto quant;
		}
		p++;
quant:
		if (*p == '*' || *p == '+')
			unbounded_here = true;
		else if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *comma = strchr(p, ',');

			unbounded_here = close && comma && comma < close &&
					 comma + 1 == close;
		}
		if (unbounded_here && depth > 0)
			inner[depth] = true;
	}
	return false;
}

/* Whether a literal has a word with both Latin and Cyrillic letters. */
static bool
mixed_script(const char *s)
{
	bool latin = false, cyr = false;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			n = 1;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
			latin = true;
		else if (cp >= 0x400 && cp <= 0x4FF)
			cyr = true;
		else if (cp == '<') {
			/* a class reference is deliberate */
			while (i < len && s[i] != '>')
				i++;
		} else if (!(cp >= '0' && cp <= '9')) {
			if (latin && cyr)
				return true;
			latin = cyr = false;
		}
		i += n;
	}
	return latin && cyr;
}

void
rule_lint(struct rules_compiler *c, const struct rule *r)
{
	size_t i;

	for (i = 0; i < r->npats; i++) {
		const struct pattern *p = &r->pats[i];

		if (!p->used)
			rules_diag(c, DIAG_WARNING, r->file, p->line, p->col,
				   p->source_line, "W202", "pattern '$%s' is "
				   "not used by the condition", p->name);
		if (p->atoms.n == 0 || atom_set_min_chars(&p->atoms) < 3)
			rules_diag(c, DIAG_WARNING, r->file, p->line, p->col,
				   p->source_line, "W204", "pattern '$%s' has "
				   "no literal of 3 or more characters: the "
				   "literal prefilter cannot skip documents "
				   "for it", p->name);
		if (p->used && r->view == VIEW_FOLDED && p->pre.n == 0)
			rules_diag(c, DIAG_WARNING, r->file, p->line, p->col,
				   p->source_line, "W210", "pattern '$%s' has "
				   "no set of strings its matches start with "
				   "(a branch may start with \\w, \\s, \\d, "
				   "'.' or a class): PCRE2 tries it at every "
				   "character of the documents it runs on",
				   p->name);
		if (p->kind == PAT_REGEX && nested_unbounded(p->text))
			rules_diag(c, DIAG_WARNING, r->file, p->line, p->col,
				   p->source_line, "W205", "pattern '$%s' "
				   "repeats a repetition, as in (a+)+: it can "
				   "run away on hostile text", p->name);
		if (p->kind == PAT_LITERAL && mixed_script(p->text))
			rules_diag(c, DIAG_WARNING, r->file, p->line, p->col,
				   p->source_line, "W206", "literal '$%s' mixes "
				   "Latin and Cyrillic letters in one word; "
				   "use a class such as <а> if that is meant",
				   p->name);
	}
	if (rule_always_runs(r))
		rules_diag(c, DIAG_WARNING, r->file, r->line, 0, NULL, "W207",
			   "rule '%s' fires when no pattern matches", r->id);
	if (!r->nex)
		rules_diag(c, DIAG_WARNING, r->file, r->line, 0, NULL, "W201",
			   "rule '%s' has no examples", r->id);
	if (r->status == STATUS_DEPRECATED)
		rules_diag(c, DIAG_WARNING, r->file, r->line, 0, NULL, "W208",
			   "rule '%s' is deprecated", r->id);
}
