/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internet checksum (RFC 1071).
 *
 * The buffer is summed as 64-bit words read in memory order, with the
 * carry of each addition added back (one's complement addition of four
 * 16-bit lanes at once). The sum of 16-bit lanes is then recovered by
 * folding. This is byte-order neutral: the result is the sum as it
 * appears in memory, i.e. in network byte order.
 */
#include <string.h>

#include <arpa/inet.h>

#include "net.h"

static inline uint64_t
load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* One's complement addition of 64-bit words: the carry wraps around. */
static inline uint64_t
add_carry(uint64_t a, uint64_t b)
{
	uint64_t s = a + b;

	return s + (s < b);
}

/* Fold a 64-bit one's complement accumulator to 32 bits. */
static inline uint32_t
fold64(uint64_t acc)
{
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint32_t
net_csum_partial(const void *buf, uint32_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t a0 = sum, a1 = 0;
	uint8_t tail[8] = { 0 };

	/* Two independent chains of add-with-carry. */
	while (len >= 16) {
		a0 = add_carry(a0, load64(p));
		a1 = add_carry(a1, load64(p + 8));
		p += 16;
		len -= 16;
	}
	if (len >= 8) {
		a0 = add_carry(a0, load64(p));
		p += 8;
		len -= 8;
	}
	/*
	 * The last 1..7 bytes keep their position in the word: an odd final
	 * byte is the high-order byte of a 16-bit word padded with zero.
	 */
	if (len > 0) {
		memcpy(tail, p, len);
		a1 = add_carry(a1, load64(tail));
	}
	return fold64(add_carry(a0, a1));
}

/*
 * Fold a 32-bit sum to 16 bits and complement it: the value to store in a
 * checksum field. A buffer that includes a correct checksum folds to 0.
 */
uint16_t
net_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
net_tcp_pseudo_sum(uint32_t saddr, uint32_t daddr, uint16_t l4_len)
{
	uint64_t acc;

	acc = (uint64_t)htonl(saddr) + htonl(daddr) + htons(NET_IPPROTO_TCP) +
		htons(l4_len);
	return fold64(acc);
}

/*
 * RFC 8200 8.1: source, destination, the upper-layer length as 32 bits
 * and three zero bytes before the next header value.
 */
uint32_t
net_ip6_pseudo_sum(const uint8_t *saddr, const uint8_t *daddr, uint32_t l4_len,
		   uint8_t next_hdr)
{
	uint64_t acc;

	acc = net_csum_partial(saddr, NET_IPV6_ALEN, 0);
	acc += net_csum_partial(daddr, NET_IPV6_ALEN, 0);
	acc += (uint64_t)htonl(l4_len) + htonl(next_hdr);
	return fold64(acc);
}
