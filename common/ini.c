/* ini.c: the line syntax of redflag's INI-like files (ini.h). */
#include <string.h>

#include "common/ini.h"
#include "common/banned.h"

char *
ini_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

bool
ini_name_ok(const char *name)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

	return *name && strspn(name, ok) == strlen(name);
}

bool
ini_section_is(const struct ini_line *l, const char *word)
{
	return l->kind == INI_SECTION && strlen(word) == l->word_len &&
	       !strncmp(l->section, word, l->word_len);
}

void
ini_parse_line(char *line, struct ini_line *out)
{
	char *s = ini_trim(line), *end, *eq;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!*s || *s == '#' || *s == ';') {
		out->kind = INI_NONE;
		return;
	}
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || *ini_trim(end + 1)) {
			out->kind = INI_BAD_SECTION;
			return;
		}
		*end = '\0';
		out->kind = INI_SECTION;
		out->section = ini_trim(s + 1);
		/* the word ends at the first blank; the section keeps that
		 * blank, so that messages can quote it whole */
		n = strcspn(out->section, " \t");
		out->word_len = n;
		out->name = out->section + n;
		if (*out->name)
			out->name = ini_trim(out->name + 1);
		return;
	}
	eq = strchr(s, '=');
	if (!eq) {
		out->kind = INI_NO_EQUALS;
		return;
	}
	*eq = '\0';
	out->key = ini_trim(s);
	out->value = ini_trim(eq + 1);
	out->kind = *out->value ? INI_PAIR : INI_NO_VALUE;
}
