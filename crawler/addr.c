/* addr.c: private and loopback address tables for the SSRF guard. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/err.h"
#include "crawler/addr.h"
#include "common/banned.h"

struct prefix4 {
	uint32_t net;
	unsigned int bits;
};

struct prefix6 {
	uint8_t net[16];
	unsigned int bits;
};

/* IANA IPv4 special-purpose registry: what is not globally reachable. */
static const struct prefix4 private4[] = {
	{ 0x00000000, 8 },	/* "this network" */
	{ 0x0a000000, 8 },	/* RFC 1918 */
	{ 0x64400000, 10 },	/* shared address space (CGNAT) */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xa9fe0000, 16 },	/* link-local */
	{ 0xac100000, 12 },	/* RFC 1918 */
	{ 0xc0000000, 24 },	/* IETF protocol assignments */
	{ 0xc0000200, 24 },	/* TEST-NET-1 */
	{ 0xc0586300, 24 },	/* 6to4 relay anycast (deprecated) */
	{ 0xc0a80000, 16 },	/* RFC 1918 */
	{ 0xc6120000, 15 },	/* benchmarking */
	{ 0xc6336400, 24 },	/* TEST-NET-2 */
	{ 0xcb007100, 24 },	/* TEST-NET-3 */
	{ 0xe0000000, 4 },	/* multicast */
	{ 0xf0000000, 4 },	/* reserved, and broadcast */
};

/* The same for IPv6; embedded IPv4 addresses are judged separately. */
static const struct prefix6 private6[] = {
	{ { 0 }, 96 },				/* ::, ::1, IPv4-compatible */
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48 },	/* local NAT64 */
	{ { 0x01, 0x00 }, 64 },			/* discard-only */
	{ { 0x20, 0x01, 0x00, 0x02, 0x00, 0x00 }, 48 },	/* benchmarking */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32 },	/* documentation */
	{ { 0x3f, 0xff }, 20 },			/* documentation */
	{ { 0xfc }, 7 },			/* unique local */
	{ { 0xfe, 0xc0 }, 10 },			/* site-local (deprecated) */
	{ { 0xfe, 0x80 }, 10 },			/* link-local */
	{ { 0xff }, 8 },			/* multicast */
};

/* Prefixes that carry an IPv4 address, and where it sits. */
static const struct {
	struct prefix6 prefix;
	size_t offset;
} embeds4[] = {
	{ { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96 }, 12 },
	{ { { 0x00, 0x64, 0xff, 0x9b }, 96 }, 12 },	/* NAT64 */
	{ { { 0x20, 0x02 }, 16 }, 2 },			/* 6to4 */
};

static bool
in_prefix4(uint32_t a, const struct prefix4 *p)
{
	uint32_t mask = p->bits ? ~(uint32_t)0 << (32 - p->bits) : 0;

	return (a & mask) == p->net;
}

static bool
in_prefix6(const uint8_t *a, const struct prefix6 *p)
{
	unsigned int whole = p->bits / 8, rest = p->bits % 8;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	if (memcmp(a, p->net, whole) != 0)
		return false;
	return rest == 0 || (a[whole] & mask) == p->net[whole];
}

static bool
private4_addr(uint32_t a)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(private4); i++)
		if (in_prefix4(a, &private4[i]))
			return true;
	return false;
}

static uint32_t
load4(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Sets *v4 to the IPv4 address inside a, if a carries one. */
static bool
embedded4(const uint8_t *a, uint32_t *v4)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(embeds4); i++) {
		if (in_prefix6(a, &embeds4[i].prefix)) {
			*v4 = load4(a + embeds4[i].offset);
			return true;
		}
	}
	return false;
}

static bool
private6_addr(const uint8_t *a)
{
	uint32_t v4;
	size_t i;

	if (embedded4(a, &v4))
		return private4_addr(v4);
	for (i = 0; i < RF_ARRAY_SIZE(private6); i++)
		if (in_prefix6(a, &private6[i]))
			return true;
	return false;
}

bool
addr_is_private(const struct sockaddr *sa)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;

	if (!sa)
		return true;
	if (sa->sa_family == AF_INET) {
		memcpy(&in4, sa, sizeof(in4));
		return private4_addr(ntohl(in4.sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(&in6, sa, sizeof(in6));
		return private6_addr(in6.sin6_addr.s6_addr);
	}
	return true;
}

bool
addr_is_loopback(const struct sockaddr *sa)
{
	static const struct prefix4 loop4 = { 0x7f000000, 8 };
	static const struct prefix6 mapped = {
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96
	};
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	const uint8_t *a;

	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		memcpy(&in4, sa, sizeof(in4));
		return in_prefix4(ntohl(in4.sin_addr.s_addr), &loop4);
	}
	if (sa->sa_family != AF_INET6)
		return false;
	memcpy(&in6, sa, sizeof(in6));
	a = in6.sin6_addr.s6_addr;
	if (in_prefix6(a, &mapped))
		return in_prefix4(load4(a + 12), &loop4);
	return memcmp(a, &in6addr_loopback, 16) == 0;
}
