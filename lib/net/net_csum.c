/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internet checksum (RFC 1071).
 *
 * The buffer is summed as 32-bit words read in memory order into 64-bit
 * accumulators, so no carry handling is needed inside the loop: each add
 * is below 2^32 and a uint32_t length bounds the number of adds. The
 * one's complement sum of 16-bit lanes is then recovered by folding. This
 * is byte-order neutral: the result is the sum as it appears in memory,
 * i.e. in network byte order.
 */
#include <string.h>

#include <arpa/inet.h>

#include "net.h"

static inline uint32_t
load32(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
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
	uint64_t a0 = sum, a1 = 0, a2 = 0, a3 = 0;
	uint8_t tail[4] = { 0, 0, 0, 0 };

	while (len >= 16) {
		a0 += load32(p);
		a1 += load32(p + 4);
		a2 += load32(p + 8);
		a3 += load32(p + 12);
		p += 16;
		len -= 16;
	}
	while (len >= 4) {
		a0 += load32(p);
		p += 4;
		len -= 4;
	}
	/*
	 * The last 1..3 bytes keep their position in the word: an odd final
	 * byte is the high-order byte of a 16-bit word padded with zero.
	 */
	if (len > 0) {
		memcpy(tail, p, len);
		a1 += load32(tail);
	}
	return fold64(a0 + a1 + a2 + a3);
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

	acc = (uint64_t)htonl(saddr) + htonl(daddr) +
		htons(NET_IPPROTO_TCP) + htons(l4_len);
	return fold64(acc);
}
