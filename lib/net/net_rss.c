/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Toeplitz hash as NICs compute it for receive-side scaling, bit by bit
 * (the reference) and table driven (the fast path), plus the flow owner
 * through a redirection table.
 */
#include <string.h>

#include "net.h"

/*
 * 0x6d5a repeated: every 16-bit shift of the key is the same, so swapping
 * source and destination (addresses and ports) leaves the hash unchanged.
 */
const uint8_t net_rss_key_symmetric[NET_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

/* The key of Microsoft's RSS verification suite. */
const uint8_t net_rss_key_microsoft[NET_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* The 32 key bits starting at bit position bit (MSB first). */
static uint32_t
net_rss_key_window(const uint8_t *key, uint32_t key_len, uint32_t bit)
{
	uint64_t w = 0;
	uint32_t byte = bit / 8, i;

	for (i = 0; i < 5; i++)
		w = (w << 8) | (byte + i < key_len ? key[byte + i] : 0);
	return (uint32_t)(w >> (8 - bit % 8));
}

uint32_t
net_toeplitz(const uint8_t *key, uint32_t key_len, const uint8_t *data,
	     uint32_t len)
{
	uint32_t hash = 0, i;
	int b;

	if (len + 4 > key_len)
		return 0;
	for (i = 0; i < len; i++)
		for (b = 7; b >= 0; b--)
			if (data[i] & (1u << b))
				hash ^= net_rss_key_window(key, key_len,
							   i * 8 + 7 - b);
	return hash;
}

/* Serialise a tuple in the order devices hash it (network order). */
static uint32_t
net_rss_input(uint8_t *in, uint32_t saddr, uint32_t daddr, uint16_t sport,
	      uint16_t dport, bool ports)
{
	in[0] = saddr >> 24;
	in[1] = saddr >> 16;
	in[2] = saddr >> 8;
	in[3] = saddr;
	in[4] = daddr >> 24;
	in[5] = daddr >> 16;
	in[6] = daddr >> 8;
	in[7] = daddr;
	if (!ports)
		return 8;
	in[8] = sport >> 8;
	in[9] = sport;
	in[10] = dport >> 8;
	in[11] = dport;
	return 12;
}

uint32_t
net_rss_ipv4(const uint8_t *key, uint32_t saddr, uint32_t daddr)
{
	uint8_t in[12];
	uint32_t n = net_rss_input(in, saddr, daddr, 0, 0, false);

	return net_toeplitz(key, NET_RSS_KEY_LEN, in, n);
}

uint32_t
net_rss_tcp4(const uint8_t *key, uint32_t saddr, uint32_t daddr, uint16_t sport,
	     uint16_t dport)
{
	uint8_t in[12];
	uint32_t n = net_rss_input(in, saddr, daddr, sport, dport, true);

	return net_toeplitz(key, NET_RSS_KEY_LEN, in, n);
}

/* Tables for tuples of n bytes: t[pos][v] hashes byte v at pos. */
static void
net_rss_tab_fill(uint32_t (*t)[256], uint32_t n, const uint8_t *key)
{
	uint32_t pos, v, b;

	memset(t, 0, n * sizeof(*t));
	for (pos = 0; pos < n; pos++)
		for (v = 0; v < 256; v++)
			for (b = 0; b < 8; b++)
				if (v & (0x80u >> b))
					t[pos][v] ^= net_rss_key_window(
						key, NET_RSS_KEY_LEN,
						pos * 8 + b);
}

void
net_rss_tab_init(struct net_rss_tab *tab, const uint8_t *key)
{
	net_rss_tab_fill(tab->t, NET_RSS_TUPLE_LEN, key);
}

int
net_rss_peek_tcp4(const uint8_t *buf, uint32_t len, struct net_rss_tuple *t)
{
	const uint8_t *ip = buf + NET_ETH_HLEN, *tcp;
	uint32_t ihl;

	if (len < NET_ETH_HLEN + NET_IPV4_HLEN)
		return -1;
	if (buf[12] != (NET_ETHERTYPE_IPV4 >> 8) ||
	    buf[13] != (NET_ETHERTYPE_IPV4 & 0xff))
		return -1;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < NET_IPV4_HLEN ||
	    ip[9] != NET_IPPROTO_TCP)
		return -1;
	/* Fragments (MF set or an offset) have no ports to hash. */
	if ((ip[6] & 0x3f) != 0 || ip[7] != 0)
		return -1;
	if (len < NET_ETH_HLEN + ihl + 4)
		return -1;
	tcp = ip + ihl;
	t->saddr = (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 |
		(uint32_t)ip[14] << 8 | ip[15];
	t->daddr = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 |
		(uint32_t)ip[18] << 8 | ip[19];
	t->sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
	t->dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
	return 0;
}

/* Source, destination, source port, destination port, as on the wire. */
static uint32_t
net_rss_input6(uint8_t *in, const uint8_t *saddr, const uint8_t *daddr,
	       uint16_t sport, uint16_t dport, bool ports)
{
	memcpy(in, saddr, NET_IPV6_ALEN);
	memcpy(in + NET_IPV6_ALEN, daddr, NET_IPV6_ALEN);
	if (!ports)
		return 2 * NET_IPV6_ALEN;
	in[32] = sport >> 8;
	in[33] = sport;
	in[34] = dport >> 8;
	in[35] = dport;
	return NET_RSS_TUPLE6_LEN;
}

uint32_t
net_rss_ipv6(const uint8_t *key, const uint8_t *saddr, const uint8_t *daddr)
{
	uint8_t in[NET_RSS_TUPLE6_LEN];
	uint32_t n = net_rss_input6(in, saddr, daddr, 0, 0, false);

	return net_toeplitz(key, NET_RSS_KEY_LEN, in, n);
}

uint32_t
net_rss_tcp6(const uint8_t *key, const uint8_t *saddr, const uint8_t *daddr,
	     uint16_t sport, uint16_t dport)
{
	uint8_t in[NET_RSS_TUPLE6_LEN];
	uint32_t n = net_rss_input6(in, saddr, daddr, sport, dport, true);

	return net_toeplitz(key, NET_RSS_KEY_LEN, in, n);
}

void
net_rss_tab6_init(struct net_rss_tab6 *tab, const uint8_t *key)
{
	net_rss_tab_fill(tab->t, NET_RSS_TUPLE6_LEN, key);
}

uint32_t
net_rss_tab_tcp6(const struct net_rss_tab6 *tab, const uint8_t *saddr,
		 const uint8_t *daddr, uint16_t sport, uint16_t dport)
{
	uint32_t h = tab->t[32][sport >> 8] ^ tab->t[33][sport & 0xff] ^
		tab->t[34][dport >> 8] ^ tab->t[35][dport & 0xff];
	uint32_t i;

	for (i = 0; i < NET_IPV6_ALEN; i++)
		h ^= tab->t[i][saddr[i]] ^ tab->t[NET_IPV6_ALEN + i][daddr[i]];
	return h;
}

int
net_rss_peek_tcp6(const uint8_t *buf, uint32_t len, struct net_rss_tuple6 *t)
{
	const uint8_t *ip = buf + NET_ETH_HLEN, *tcp = ip + NET_IPV6_HLEN;

	if (len < NET_ETH_HLEN + NET_IPV6_HLEN + 4)
		return -1;
	if (buf[12] != (NET_ETHERTYPE_IPV6 >> 8) ||
	    buf[13] != (NET_ETHERTYPE_IPV6 & 0xff))
		return -1;
	if ((ip[0] >> 4) != 6 || ip[6] != NET_IPPROTO_TCP)
		return -1;
	t->saddr = ip + 8;
	t->daddr = ip + 24;
	t->sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
	t->dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
	return 0;
}

int
net_rss_reta_fill(uint16_t *reta, uint32_t size, unsigned int n_owners)
{
	uint32_t i;

	if (size == 0 || (size & (size - 1)) != 0 || n_owners == 0)
		return -1;
	for (i = 0; i < size; i++)
		reta[i] = (uint16_t)(i % n_owners);
	return 0;
}
