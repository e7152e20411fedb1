/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses of both families and Neighbor Discovery for the generator's
 * source range (see gen_addr.h). Pure C: no DPDK header.
 */
#include <stdio.h>
#include <string.h>

#include "gen_addr.h"

int
gen_addr_parse(const char *s, struct gen_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (net_ipv4_parse(s, &a->v4) == 0) {
		a->family = NET_FAMILY_IPV4;
		return 0;
	}
	if (net_ipv6_parse(s, a->v6) == 0) {
		a->family = NET_FAMILY_IPV6;
		return 0;
	}
	return -1;
}

/* The low 32 bits of an address, host order. */
static uint32_t
gen_addr_low(const struct gen_addr *a)
{
	const uint8_t *p = a->v6 + 12;

	if (a->family == NET_FAMILY_IPV4)
		return a->v4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

int
gen_range_parse(const char *s, struct gen_addr *first, uint32_t *lo,
		uint32_t *hi)
{
	struct gen_addr last;
	char buf[2 * NET_IPV6_FMT_LEN];
	char *dash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	/* IPv6 text has no '-': the first one separates the ends. */
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (gen_addr_parse(buf, first) != 0)
		return -1;
	last = *first;
	if (dash != NULL && gen_addr_parse(dash, &last) != 0)
		return -1;
	if (last.family != first->family ||
	    (first->family == NET_FAMILY_IPV6 &&
	     memcmp(first->v6, last.v6, 12) != 0))
		return -1;
	*lo = gen_addr_low(first);
	*hi = gen_addr_low(&last);
	return *hi < *lo ? -1 : 0;
}

static int
gen_port_parse(const char *s, uint16_t *port)
{
	unsigned int p;
	char c;

	if (sscanf(s, "%5u%c", &p, &c) != 1 || p == 0 || p > 65535 ||
	    s[0] < '0' || s[0] > '9')
		return -1;
	*port = (uint16_t)p;
	return 0;
}

int
gen_dst_parse(const char *s, struct gen_addr *a, uint16_t *port)
{
	char buf[NET_IPV6_FMT_LEN + 8];
	char *host = buf, *colon;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if (buf[0] == '[') {
		/* RFC 3986 3.2.2: an IPv6 literal in brackets. */
		host = buf + 1;
		colon = strchr(host, ']');
		if (colon == NULL || colon[1] != ':')
			return -1;
		*colon = '\0';
		colon++;
	} else {
		colon = strchr(buf, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL)
			return -1;
	}
	*colon++ = '\0';
	if (gen_addr_parse(host, a) != 0 ||
	    (host != buf) != (a->family == NET_FAMILY_IPV6))
		return -1;
	return gen_port_parse(colon, port);
}

char *
gen_addr_fmt(const struct gen_addr *a, char *buf)
{
	if (a->family == NET_FAMILY_IPV6)
		return net_ipv6_fmt(a->v6, buf);
	return net_ipv4_fmt(a->v4, buf);
}

/* RFC 4861 7.2.3: a solicitation for a target we answer for. */
uint32_t
gen_nd_answer(const uint8_t *frame, const struct net_frame *f,
	      const uint8_t *base, uint32_t lo, uint32_t hi, const uint8_t *mac,
	      uint8_t *out, uint32_t cap)
{
	const uint8_t *target;
	uint32_t low;

	if (f->family != NET_FAMILY_IPV6 || f->kind != NET_KIND_ND_NS)
		return 0;
	target = frame + f->nd_target_off;
	if (!gen_addr6_in(base, lo, hi, target, &low) ||
	    !net_ip6_for_us(f, target))
		return 0;
	return net_nd_na_reply(out, cap, frame, f, mac);
}

bool
gen_nd_learn(const uint8_t *frame, const struct net_frame *f,
	     const uint8_t *peer, uint8_t *mac)
{
	const uint8_t *who;

	if (f->family != NET_FAMILY_IPV6 || f->nd_lladdr_off == 0)
		return false;
	if (f->kind == NET_KIND_ND_NA)
		who = frame + f->nd_target_off;
	else if (f->kind == NET_KIND_ND_NS)
		who = f->seg.saddr6;
	else
		return false;
	if (memcmp(who, peer, NET_IPV6_ALEN) != 0)
		return false;
	memcpy(mac, frame + f->nd_lladdr_off, NET_ETH_ALEN);
	return true;
}
