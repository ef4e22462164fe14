/*
 * addr.h: classifying the addresses a host name resolved to, for the SSRF
 * guard: the crawler connects only to public unicast addresses unless a
 * job explicitly allows loopback (tests, the demo site).
 */
#ifndef RF_CRAWLER_ADDR_H
#define RF_CRAWLER_ADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/*
 * Whether sa (borrowed) is an address the crawler must not connect to:
 * anything but public unicast. IPv4: 0/8, 10/8, 100.64/10 (CGNAT), 127/8,
 * 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24,
 * 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, multicast 224/4,
 * reserved 240/4 and broadcast. IPv6: ::/96 (unspecified, loopback,
 * IPv4-compatible), 64:ff9b:1::/48, 100::/64, 2001:2::/48, 2001:db8::/32,
 * 3fff::/20, fc00::/7, fec0::/10, fe80::/10, ff00::/8; IPv4-mapped
 * (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are
 * judged by the IPv4 address inside. NULL and families other than
 * AF_INET and AF_INET6 count as private.
 */
bool addr_is_private(const struct sockaddr *sa);

/*
 * Whether sa (borrowed) is a loopback address: 127/8, ::1, or 127/8
 * mapped into IPv6. A job that allows loopback asks this first.
 */
bool addr_is_loopback(const struct sockaddr *sa);

#endif
