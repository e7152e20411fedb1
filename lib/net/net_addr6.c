/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 addresses: multicast groups and MACs of Neighbor Discovery,
 * which destinations are ours, and text conversion.
 */
#include <string.h>

#include <arpa/inet.h>

#include "net.h"

const uint8_t net_ip6_all_nodes[NET_IPV6_ALEN] = { 0xff, 0x02, [15] = 0x01 };

/* RFC 4291 2.7.1: FF02:0:0:0:0:1:FF00::/104 and the low 24 bits. */
static const uint8_t sol_prefix[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

void
net_ip6_solicited_node(const uint8_t *a, uint8_t *out)
{
	memcpy(out, sol_prefix, sizeof(sol_prefix));
	memcpy(out + 13, a + 13, 3);
}

bool
net_ip6_is_solicited_node(const uint8_t *a)
{
	return memcmp(a, sol_prefix, sizeof(sol_prefix)) == 0;
}

/* RFC 2464 7: 33:33 followed by the last four bytes of the group. */
void
net_ip6_mcast_mac(const uint8_t *a, uint8_t *mac)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, a + 12, 4);
}

bool
net_ip6_for_us(const struct net_frame *f, const uint8_t *our)
{
	const uint8_t *dst = f->seg.daddr6;
	uint8_t sol[NET_IPV6_ALEN];

	if (f->family != NET_FAMILY_IPV6 || dst == NULL)
		return false;
	if (memcmp(dst, our, NET_IPV6_ALEN) == 0)
		return true;
	if (f->kind == NET_KIND_ND_NS) {
		net_ip6_solicited_node(our, sol);
		return memcmp(dst, sol, NET_IPV6_ALEN) == 0;
	}
	if (f->kind == NET_KIND_ND_NA)
		return memcmp(dst, net_ip6_all_nodes, NET_IPV6_ALEN) == 0;
	return false;
}

int
net_ipv6_parse(const char *s, uint8_t *addr)
{
	if (s == NULL || inet_pton(AF_INET6, s, addr) != 1)
		return -1;
	return 0;
}

char *
net_ipv6_fmt(const uint8_t *addr, char *buf)
{
	if (inet_ntop(AF_INET6, addr, buf, NET_IPV6_FMT_LEN) == NULL)
		buf[0] = '\0';
	return buf;
}
