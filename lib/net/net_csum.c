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
#ifdef __x86_64__
#include <x86intrin.h>
#endif

#include "net.h"
#include "net_internal.h"

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

/*
 * The last 0..7 bytes, at an even offset from the start of the sum: a
 * 4-byte and a 2-byte piece keep their 16-bit lanes, and an odd final
 * byte is the first byte of a 16-bit word padded with zero, i.e. that
 * word read in memory order. Fixed-size loads instead of a copy of
 * len bytes: no loop on the bytes.
 */
static inline uint64_t
csum_tail(const uint8_t *p, uint32_t len)
{
	uint64_t acc = 0;
	uint16_t last = 0;

	if (len & 4) {
		acc += net__ld32(p);
		p += 4;
	}
	if (len & 2) {
		acc += net__ld16(p);
		p += 2;
	}
	if (len & 1) {
		memcpy(&last, p, 1);
		acc += last;
	}
	return acc;
}

#ifdef __x86_64__
/*
 * A chain of add-with-carry in progress: the sum and the carry out of
 * its last addition. Passed and returned by value, so that no address
 * of it is taken: with one, GCC kept the sum in memory, a store (or two)
 * for each step.
 */
struct csum_chain {
	unsigned long long sum;
	unsigned char carry;
};

/*
 * n 64-bit words at p added to the chain (_addcarry_u64(): the ADC
 * instruction). Each step writes a fresh local.
 */
static inline __attribute__((always_inline)) struct csum_chain
csum_words(struct csum_chain a, const uint8_t *p, unsigned int n)
{
	unsigned long long t;
	unsigned int i;

	for (i = 0; i < n; i++) {
		a.carry = _addcarry_u64(a.carry, a.sum, net__ld64(p + 8 * i),
					&t);
		a.sum = t;
	}
	return a;
}

/*
 * One chain of add-with-carry, the carry of each addition taken into
 * the next one and the last one added back at the end: one instruction
 * per 64-bit word, where the end-around carry of each addition in C
 * takes three or four. 64 bytes a round, so that the loop's own steps
 * (and the carry kept across them) weigh less per word.
 */
static inline uint32_t
csum_partial(const uint8_t *p, uint32_t len, uint32_t sum)
{
	struct csum_chain a = { .sum = sum, .carry = 0 };
	unsigned long long t;

	while (len >= 64) {
		a = csum_words(a, p, 8);
		p += 64;
		len -= 64;
	}
	if (len & 32) {
		a = csum_words(a, p, 4);
		p += 32;
	}
	if (len & 16) {
		a = csum_words(a, p, 2);
		p += 16;
	}
	if (len & 8) {
		a = csum_words(a, p, 1);
		p += 8;
	}
	/* The tail is below 2^18: adding it and the carry cannot wrap. */
	if (len & 7) {
		a.carry = _addcarry_u64(a.carry, a.sum, csum_tail(p, len & 7),
					&t);
		a.sum = t;
	}
	return fold64(add_carry(a.sum, a.carry));
}
#else
static inline uint32_t
csum_partial(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint64_t a0 = sum, a1 = 0;

	/* Two independent chains of add-with-carry, 32 bytes a round. */
	while (len >= 32) {
		a0 = add_carry(a0, net__ld64(p));
		a1 = add_carry(a1, net__ld64(p + 8));
		a0 = add_carry(a0, net__ld64(p + 16));
		a1 = add_carry(a1, net__ld64(p + 24));
		p += 32;
		len -= 32;
	}
	if (len & 16) {
		a0 = add_carry(a0, net__ld64(p));
		a1 = add_carry(a1, net__ld64(p + 8));
		p += 16;
	}
	if (len & 8) {
		a0 = add_carry(a0, net__ld64(p));
		p += 8;
	}
	if (len & 7)
		a1 = add_carry(a1, csum_tail(p, len & 7));
	return fold64(add_carry(a0, a1));
}
#endif

uint32_t
net_csum_partial(const void *buf, uint32_t len, uint32_t sum)
{
	return csum_partial(buf, len, sum);
}

/* The sum and its fold in one call: the last step of every segment sent. */
void
net_tcp_csum_complete(uint8_t *tcp, uint32_t l4_len)
{
	uint16_t c = net_csum_fold(csum_partial(tcp, l4_len, 0));

	memcpy(tcp + 16, &c, sizeof(c));
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
