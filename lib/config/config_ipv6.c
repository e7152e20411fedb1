/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 keys: ports[].ipv6 (address/prefix length), ports[].gateway6,
 * and listeners[].family against the addresses the ports have.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define PATH_LEN 128

static bool
is_zero(const uint8_t *a, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool
in_prefix(const uint8_t *a, const uint8_t *b, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if ((a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool
is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/*
 * Addresses no interface may have as its own (RFC 4291): unspecified
 * (2.5.2), loopback (2.5.3), IPv4-mapped (2.5.5.2), multicast (2.7).
 * Returns what it is, or NULL.
 */
static const char *
not_unicast(const uint8_t *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (is_zero(a, 0, 128))
		return "the unspecified address";
	if (is_zero(a, 0, 127))
		return "the loopback address";
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return "an IPv4-mapped address";
	if (a[0] == 0xff)
		return "a multicast address";
	return NULL;
}

/* "address/prefix-length", RFC 4291 2.3. */
static int
parse_prefix(struct cfg_err *e, const char *path, const char *s,
	     struct cfg_port *p)
{
	char addr[64];

	if (cfg_split_prefix(e, path, s,
			     "address/prefix-length (2001:db8::1/64)", addr,
			     sizeof(addr)) < 0)
		return -1;
	if (inet_pton(AF_INET6, addr, p->addr6) != 1)
		return cfg_errf(e, path, false,
				"'%s' is not a valid IPv6 address", addr);
	return cfg_prefix_len(e, path, s, 128, &p->prefix6_len);
}

/*
 * The port's own address: a global or unique-local unicast address.
 * Link-local is refused: the port answers for one address, and a
 * link-local one cannot be reached through gateway6 or from another
 * link. The Subnet-Router anycast address of the prefix (all host bits
 * 0, RFC 4291 2.6.1) belongs to the routers of the link.
 */
static int
convert_ipv6(struct cfg_err *e, const char *path, const char *s,
	     struct cfg_port *p)
{
	const char *what;

	if (parse_prefix(e, path, s, p) < 0)
		return -1;
	what = not_unicast(p->addr6);
	if (what != NULL)
		return cfg_errf(e, path, false,
				"'%s' is %s, not a usable "
				"unicast address",
				s, what);
	if (is_linklocal(p->addr6))
		return cfg_errf(e, path, false,
				"'%s' is link-local "
				"(fe80::/10): give the port a global or "
				"unique-local address",
				s);
	if (p->prefix6_len < 127 && is_zero(p->addr6, p->prefix6_len, 128))
		return cfg_errf(e, path, false,
				"'%s' is the Subnet-Router "
				"anycast address of its prefix (host bits all "
				"zero)",
				s);
	p->has_ipv6 = true;
	return 0;
}

/* The next hop for off-link peers: on the link (RFC 4861 8: routers). */
static int
convert_gateway6(struct cfg_err *e, const char *path, const char *s,
		 struct cfg_port *p)
{
	const char *what;

	if (inet_pton(AF_INET6, s, p->gateway6) != 1)
		return cfg_errf(e, path, false,
				"'%s' is not a valid IPv6 "
				"address",
				s);
	what = not_unicast(p->gateway6);
	if (what != NULL)
		return cfg_errf(e, path, false, "gateway6 '%s' is %s", s, what);
	if (!is_linklocal(p->gateway6) &&
	    !in_prefix(p->gateway6, p->addr6, p->prefix6_len))
		return cfg_errf(e, path, false,
				"gateway6 %s is neither in "
				"the port's prefix /%u nor link-local",
				s, p->prefix6_len);
	if (memcmp(p->gateway6, p->addr6, 16) == 0)
		return cfg_errf(e, path, false,
				"gateway6 %s is the port's "
				"own address",
				s);
	p->has_gateway6 = true;
	return 0;
}

int
cfg_convert_ipv6(const struct cfg_raw_port *r, const char *at,
		 struct cfg_port *p, struct cfg_err *e)
{
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "%s.ipv6", at);
	if (r->ipv6 != NULL && convert_ipv6(e, path, r->ipv6, p) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s.gateway6", at);
	if (r->gateway6 == NULL)
		return 0;
	if (r->ipv6 == NULL)
		return cfg_errf(e, path, true, "'gateway6' needs 'ipv6'");
	return convert_gateway6(e, path, r->gateway6, p);
}

/* A listener limited to a family needs a port with an address of it. */
int
cfg_check_ipv6_pair(const struct cfg *c, unsigned int i, unsigned int j,
		    struct cfg_err *e)
{
	const struct cfg_port *a = &c->ports[i], *b = &c->ports[j];
	unsigned int len = a->prefix6_len < b->prefix6_len ? a->prefix6_len :
							     b->prefix6_len;
	char path[PATH_LEN];

	if (!a->has_ipv6 || !b->has_ipv6)
		return 0;
	snprintf(path, sizeof(path), "ports[%u].ipv6", i);
	if (memcmp(a->addr6, b->addr6, 16) == 0)
		return cfg_errf(e, path, false,
				"address is already used by "
				"ports[%u]",
				j);
	if (in_prefix(a->addr6, b->addr6, len))
		return cfg_errf(e, path, false,
				"prefix /%u overlaps the "
				"prefix /%u of ports[%u]: every port needs a "
				"prefix of its own, so that each neighbour is "
				"on one port",
				a->prefix6_len, b->prefix6_len, j);
	return 0;
}

int
cfg_check_families(const struct cfg *c, struct cfg_err *e)
{
	char path[PATH_LEN];
	bool v4 = false, v6 = false;
	unsigned int i;

	for (i = 0; i < c->n_ports; i++) {
		v4 |= c->ports[i].addr != 0;
		v6 |= c->ports[i].has_ipv6;
	}
	for (i = 0; i < c->n_listeners; i++) {
		enum cfg_family f = c->listeners[i].family;

		if ((f == CFG_FAMILY_IPV4 && v4) ||
		    (f == CFG_FAMILY_IPV6 && v6) || f == CFG_FAMILY_BOTH)
			continue;
		snprintf(path, sizeof(path), "listeners[%u].family", i);
		return cfg_errf(e, path, false,
				"family %s, but no port has "
				"an '%s' address",
				cfg_family_name(f), cfg_family_name(f));
	}
	return 0;
}
