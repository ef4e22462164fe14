/* ini.h: the line syntax shared by redflag's INI-like files (crawl jobs,
 * site profiles): blank and comment lines, "[word NAME]" sections and
 * "key = value" pairs. What the words and keys mean is the caller's. */
#ifndef RF_COMMON_INI_H
#define RF_COMMON_INI_H

#include <stdbool.h>
#include <stddef.h>

enum ini_kind {
	INI_NONE,		/* blank, or a comment ('#' or ';') */
	INI_SECTION,		/* [word] or [word NAME] */
	INI_PAIR,		/* key = value */
	INI_BAD_SECTION,	/* '[' without ']', or text after it */
	INI_NO_EQUALS,		/* a line that is none of the above */
	INI_NO_VALUE,		/* "key =": key is set */
};

/* One line, cut up in place: the pointers point into the line. */
struct ini_line {
	enum ini_kind kind;
	char *section;		/* INI_SECTION: what is between the brackets,
				 * trimmed */
	char *name;		/* what follows its first word, trimmed;
				 * "" when nothing does */
	size_t word_len;	/* bytes of the first word of section */
	char *key, *value;	/* INI_PAIR (key for INI_NO_VALUE too),
				 * trimmed */
};

/* Reads line (one line, no newline), writing NULs into it. */
void ini_parse_line(char *line, struct ini_line *out);
/* Whether l is a section whose first word is word ("[site x]": "site"). */
bool ini_section_is(const struct ini_line *l, const char *word);
/* Cuts blanks (and a carriage return) from both ends of s, in place. */
char *ini_trim(char *s);
/* Whether name is a good section name: ASCII letters, digits, '.', '_'
 * and '-', at least one. */
bool ini_name_ok(const char *name);

#endif
