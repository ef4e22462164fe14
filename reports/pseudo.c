/* pseudo.c: keyed pseudonyms for phone numbers and handles (HMAC-SHA256). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "common/banned.h"

void
report_hmac_sha256(const void *key, size_t keylen, const void *msg,
		   size_t msglen, unsigned char out[SHA256_DIGEST_LEN])
{
	unsigned char k0[SHA256_BLOCK_LEN], pad[SHA256_BLOCK_LEN];
	unsigned char inner[SHA256_DIGEST_LEN];
	struct sha256_ctx ctx;
	size_t i;

	/* RFC 2104: a key longer than a block is hashed first */
	memset(k0, 0, sizeof(k0));
	if (keylen > SHA256_BLOCK_LEN)
		sha256_digest(key, keylen, k0);
	else if (keylen > 0)
		memcpy(k0, key, keylen);

	for (i = 0; i < SHA256_BLOCK_LEN; i++)
		pad[i] = k0[i] ^ 0x36;
	sha256_init(&ctx);
	sha256_update(&ctx, pad, sizeof(pad));
	sha256_update(&ctx, msg, msglen);
	sha256_final(&ctx, inner);

	for (i = 0; i < SHA256_BLOCK_LEN; i++)
		pad[i] = k0[i] ^ 0x5c;
	sha256_init(&ctx);
	sha256_update(&ctx, pad, sizeof(pad));
	sha256_update(&ctx, inner, sizeof(inner));
	sha256_final(&ctx, out);
}

/* ---- the key file ---- */

static void msgf(struct buf *msg, int errnum, const char *fmt, ...)
	RF_PRINTF(3, 4);

/* Appends the message, and errnum's text when not 0, to msg. */
static void
msgf(struct buf *msg, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!msg)
		return;
	va_start(ap, fmt);
	buf_vaddf(msg, fmt, ap);
	va_end(ap);
	if (errnum)
		buf_addf(msg, ": %s", strerror(errnum));
}

/* Creates a key file at path unless one appears there first. */
static enum rf_err
key_create(const char *path, struct buf *msg)
{
	unsigned char raw[32];
	char hex[ENCODE_HEX_LEN(sizeof(raw)) + 2];
	struct buf tmp;
	enum rf_err err = RF_EIO;
	size_t got = 0;
	int fd = -1;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			msgf(msg, errno, "cannot get random bytes for '%s'",
			     path);
			return RF_EIO;
		}
		got += (size_t)n;
	}
	encode_hex(raw, sizeof(raw), hex);
	hex[ENCODE_HEX_LEN(sizeof(raw))] = '\n';
	hex[ENCODE_HEX_LEN(sizeof(raw)) + 1] = '\0';

	/* written whole under a temporary name, then linked: whoever links
	 * first wins, and nobody reads half a key */
	buf_init(&tmp, 0);
	buf_addf(&tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		msgf(msg, errno, "cannot create a key file next to '%s'",
		     path);
		goto out;
	}
	if (fchmod(fd, 0600) != 0 ||
	    write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    fsync(fd) != 0) {
		msgf(msg, errno, "cannot write the key file '%s'", tmp.data);
		goto out;
	}
	if (link(tmp.data, path) != 0 && errno != EEXIST) {
		msgf(msg, errno, "cannot create the key file '%s'", path);
		goto out;
	}
	err = RF_OK;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp.data);
	}
	buf_release(&tmp);
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(hex, sizeof(hex));
	return err;
}

enum rf_err
report_key_load(const char *path, bool create, struct report_key *key,
		struct buf *msg)
{
	unsigned char data[RF_REPORT_KEY_MAX_BYTES + 64];
	struct stat st;
	enum rf_err err = RF_EIO;
	size_t len = 0;
	int fd;

	key->len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if ((err = key_create(path, msg)) != RF_OK)
			return err;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		int e = errno;

		msgf(msg, e, "cannot open the key file '%s'", path);
		return e == ENOENT ? RF_ENOENT : RF_EIO;
	}
	if (fstat(fd, &st) != 0) {
		msgf(msg, errno, "cannot read the key file '%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		msgf(msg, 0, "the key file '%s' is not a regular file", path);
		err = RF_EINVAL;
		goto out;
	}
	if (st.st_mode & 007) {
		msgf(msg, 0, "the key file '%s' is open to other users "
			  "(chmod 600 it)", path);
		err = RF_EINVAL;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, data + len, sizeof(data) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			msgf(msg, errno, "cannot read the key file '%s'",
			     path);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(data))
			break;
	}
	while (len > 0 && isspace(data[len - 1]))
		len--;
	if (len < RF_REPORT_KEY_MIN_BYTES || len > RF_REPORT_KEY_MAX_BYTES) {
		if (msg)
			buf_addf(msg, "the key file '%s' must hold %zu to %zu "
				      "bytes", path, RF_REPORT_KEY_MIN_BYTES,
				 RF_REPORT_KEY_MAX_BYTES);
		err = RF_EINVAL;
		goto out;
	}
	memcpy(key->k, data, len);
	key->len = len;
	err = RF_OK;
out:
	explicit_bzero(data, sizeof(data));
	close(fd);
	return err;
}

/* ---- pseudonyms ---- */

/*
 * The digits of a phone number as the store keeps it in E.164, without
 * the '+': a local "8 7xx ..." or "7xx ..." of Kazakhstan and Russia
 * becomes "77xx ...", as the entity finder does.
 */
static void
phone_digits(const char *s, size_t len, bool plus, struct buf *out)
{
	char d[32];
	size_t n = 0, i;

	for (i = 0; i < len && n < sizeof(d); i++)
		if (isdigit((unsigned char)s[i]))
			d[n++] = s[i];
	if (!plus && n == 11 && (d[0] == '8' || d[0] == '7')) {
		buf_addch(out, '7');
		buf_add(out, d + 1, n - 1);
	} else if (!plus && n == 10 && (d[0] == '7' || d[0] == '9')) {
		buf_addch(out, '7');
		buf_add(out, d, n);
	} else {
		buf_add(out, d, n);
	}
}

static void
pseudonym_raw(const struct report_key *key, const char *tag,
	      const char *norm, size_t normlen, struct buf *out)
{
	unsigned char mac[SHA256_DIGEST_LEN];
	char hex[ENCODE_HEX_LEN(6) + 1];
	struct buf m;

	buf_init(&m, 0);
	buf_addstr(&m, tag);
	buf_addch(&m, ':');
	buf_add(&m, norm, normlen);
	report_hmac_sha256(key->k, key->len, m.data, m.len, mac);
	buf_release(&m);
	encode_hex(mac, 6, hex);
	buf_addf(out, "[%s:%s]", tag, hex);
}

static void
lower_ascii(const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf_addch(out, (char)tolower((unsigned char)s[i]));
}

void
report_pseudonym(const struct report_key *key, enum store_contact_type type,
		 const char *value, struct buf *out)
{
	struct buf norm;
	const char *tag = store_contact_type_name(type);
	size_t len = strlen(value);

	buf_init(&norm, 0);
	if (type == STORE_CONTACT_PHONE) {
		phone_digits(value, len, value[0] == '+', &norm);
	} else if (type == STORE_CONTACT_LINK &&
		   strncasecmp(value, "t.me/", 5) == 0 && value[5] != '+' &&
		   strncasecmp(value + 5, "joinchat", 8) != 0) {
		/* t.me/name is the handle @name: one pseudonym for both */
		tag = store_contact_type_name(STORE_CONTACT_HANDLE);
		buf_addch(&norm, '@');
		lower_ascii(value + 5, len - 5, &norm);
	} else {
		lower_ascii(value, len, &norm);
	}
	pseudonym_raw(key, tag, norm.data, norm.len, out);
	buf_release(&norm);
}

/* ---- finding contacts in text: erring on the side of replacing ---- */

struct span {
	size_t start, end;
	enum store_contact_type type;
	char *value;		/* as report_pseudonym takes it */
};

struct spans {
	struct span *v;
	size_t n, alloc;
};

static bool
word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static bool
handle_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static bool
email_local(unsigned char c)
{
	return isalnum(c) || (c && strchr("._%+-", c));
}

static bool
domain_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-';
}

/* Takes value; a span overlapping the previous one is dropped. */
static void
span_add(struct spans *sp, size_t start, size_t end,
	 enum store_contact_type type, char *value)
{
	if (sp->n > 0 && start < sp->v[sp->n - 1].end) {
		free(value);
		return;
	}
	ALLOC_GROW(sp->v, sp->n + 1, sp->alloc);
	sp->v[sp->n].start = start;
	sp->v[sp->n].end = end;
	sp->v[sp->n].type = type;
	sp->v[sp->n].value = value;
	sp->n++;
}

/* A phone at s[i] (a digit or '+'); returns where scanning goes on. */
static size_t
find_phone(struct spans *sp, const char *s, size_t len, size_t i)
{
	size_t j = i, last = i, nd = 0;
	struct buf v;

	if (i > 0 && (word_byte((unsigned char)s[i - 1]) || s[i - 1] == '+'))
		return i;
	if (s[j] == '+')
		j++;
	while (j < len) {
		unsigned char c = (unsigned char)s[j];

		if (isdigit(c)) {
			nd++;
			last = j + 1;
		} else if (!(c == ' ' || c == '-' || c == '.' || c == '(' ||
			     c == ')') ||
			   (s[j - 1] == (char)c && c != '(' && c != ')')) {
			break;
		}
		j++;
	}
	if (nd < 10 || nd > 15)
		return i;
	if (last < len && word_byte((unsigned char)s[last]))
		return i;
	buf_init(&v, 0);
	buf_addch(&v, '+');
	phone_digits(s + i, last - i, s[i] == '+', &v);
	span_add(sp, i, last, STORE_CONTACT_PHONE, buf_detach(&v, NULL));
	return last;
}

/* An e-mail address or @handle around s[i] == '@'. */
static size_t
find_at(struct spans *sp, const char *s, size_t len, size_t i)
{
	size_t b = i, e = i + 1;

	while (b > 0 && email_local((unsigned char)s[b - 1]))
		b--;
	while (e < len && domain_char((unsigned char)s[e]))
		e++;
	while (e > i + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	if (b < i && memchr(s + i + 1, '.', e - i - 1)) {
		struct buf v;

		buf_init(&v, 0);
		lower_ascii(s + b, e - b, &v);
		span_add(sp, b, e, STORE_CONTACT_EMAIL, buf_detach(&v, NULL));
		return e;
	}
	if (i > 0 && word_byte((unsigned char)s[i - 1]))
		return i + 1;
	e = i + 1;
	while (e < len && handle_char((unsigned char)s[e]))
		e++;
	while (e > i + 1 && s[e - 1] == '.')
		e--;
	if (e - i - 1 >= 3) {
		struct buf v;

		buf_init(&v, 0);
		lower_ascii(s + i, e - i, &v);
		span_add(sp, i, e, STORE_CONTACT_HANDLE, buf_detach(&v, NULL));
	}
	return e;
}

/* A t.me, telegram.me or wa.me link at s[i], with its scheme. */
static size_t
find_link(struct spans *sp, const char *s, size_t len, size_t i)
{
	static const char *const hosts[] = {
		"t.me/", "telegram.me/", "wa.me/",
	};
	static const char *const schemes[] = { "https://", "http://" };
	size_t k, hl, b = i, e, d;
	struct buf v;

	if (i > 0 && isalnum((unsigned char)s[i - 1]))
		return i + 1;
	for (k = 0; k < RF_ARRAY_SIZE(hosts); k++) {
		hl = strlen(hosts[k]);
		if (len - i >= hl && strncasecmp(s + i, hosts[k], hl) == 0)
			break;
	}
	if (k == RF_ARRAY_SIZE(hosts))
		return i + 1;
	for (size_t m = 0; m < RF_ARRAY_SIZE(schemes); m++) {
		size_t sl = strlen(schemes[m]);

		if (i >= sl && strncasecmp(s + i - sl, schemes[m], sl) == 0 &&
		    (sp->n == 0 || sp->v[sp->n - 1].end <= i - sl)) {
			b = i - sl;
			break;
		}
	}
	d = e = i + hl;
	if (e < len && s[e] == '+')
		e++;
	while (e < len && (isalnum((unsigned char)s[e]) || s[e] == '_' ||
			   s[e] == '/' || s[e] == '-'))
		e++;
	if (e - d < 3)
		return i + 1;
	buf_init(&v, 0);
	if (k == 2) {
		buf_addch(&v, '+');
		phone_digits(s + d, e - d, true, &v);
		span_add(sp, b, e, STORE_CONTACT_PHONE, buf_detach(&v, NULL));
	} else {
		buf_addstr(&v, "t.me/");
		lower_ascii(s + d, e - d, &v);
		span_add(sp, b, e, STORE_CONTACT_LINK, buf_detach(&v, NULL));
	}
	return e;
}

static void
find_spans(struct spans *sp, const char *s, size_t len)
{
	size_t i = 0, next;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		next = i + 1;
		if (c == '@')
			next = find_at(sp, s, len, i);
		else if (c == '+' || isdigit(c))
			next = find_phone(sp, s, len, i);
		else if (c == 't' || c == 'T' || c == 'w' || c == 'W')
			next = find_link(sp, s, len, i);
		if (next <= i) {
			next = i + 1;
			while (next < len && word_byte((unsigned char)s[next]))
				next++;
		}
		i = next;
	}
}

void
report_pseudonymize(const struct report_key *key, const char *text,
		    size_t len, struct buf *out, size_t **map)
{
	struct spans sp = { NULL, 0, 0 };
	size_t *m = NULL, i = 0, k, base = out->len;

	find_spans(&sp, text, len);
	if (map)
		m = xcalloc(len + 1, sizeof(*m));
	for (k = 0; k <= sp.n; k++) {
		size_t stop = k < sp.n ? sp.v[k].start : len;
		size_t at;

		for (; i < stop; i++) {
			if (m)
				m[i] = out->len - base;
			buf_addch(out, text[i]);
		}
		if (k == sp.n)
			break;
		at = out->len - base;
		report_pseudonym(key, sp.v[k].type, sp.v[k].value, out);
		for (; i < sp.v[k].end; i++)
			if (m)
				m[i] = at;
		free(sp.v[k].value);
	}
	if (m) {
		m[len] = out->len - base;
		*map = m;
	}
	free(sp.v);
}
