/*
 * entities.h: contacts found in text: phone numbers normalized to E.164
 * for the region, Telegram handles and links, WhatsApp links, e-mails.
 */
#ifndef RF_TEXT_ENTITIES_H
#define RF_TEXT_ENTITIES_H

#include <stddef.h>

#include "common/err.h"

enum entity_kind {
	ENTITY_PHONE,	/* "+77011234567" */
	ENTITY_HANDLE,	/* "@name", lower case */
	ENTITY_EMAIL,	/* "name@example.org", lower case */
	ENTITY_LINK,	/* "t.me/name" */
	ENTITY_MONEY,	/* reserved */
};

struct entity {
	enum entity_kind kind;
	char *value;		/* normalized, owned by the list */
	size_t start, end;	/* byte offsets in the text */
};

struct entity_list {
	struct entity *items;
	size_t n, alloc;
};

/* "phone", "handle", "email", "link", "money" */
const char *entity_kind_name(enum entity_kind k);

void entity_list_init(struct entity_list *l);
void entity_list_release(struct entity_list *l);

/*
 * Appends the entities of text (UTF-8) to l in order of appearance, each
 * value once (a repeated value is kept at its first place).
 */
void entities_find(struct entity_list *l, const char *text, size_t len);

#endif
