/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Initial sequence numbers (RFC 6528) and per-connection timestamp
 * offsets (RFC 7323 5.4), both from SipHash-2-4 keyed with isn_secret.
 */
#include <string.h>

#include "tcp_internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* Domain separation between the two uses of the key. */
#define TCP_HASH_ISN 0x01
#define TCP_HASH_TS 0x02
#define TCP_HASH_COOKIE 0x03

static uint64_t
load64_le(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static void
sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

/* SipHash-2-4 with a 128-bit key. */
uint64_t
tcp_siphash(const uint8_t key[16], const uint8_t *in, size_t len)
{
	uint64_t k0 = load64_le(key), k1 = load64_le(key + 8);
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull,
	};
	uint8_t last[8] = { 0 };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		sip_block(v, load64_le(in + i));
	memcpy(last, in + i, len - i);
	last[7] = (uint8_t)len;
	sip_block(v, load64_le(last));
	v[2] ^= 0xff;
	sip_round(v);
	sip_round(v);
	sip_round(v);
	sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint32_t
tuple_hash(const struct tcp_ctx *c, uint8_t domain, uint32_t laddr,
	   uint16_t lport, uint32_t raddr, uint16_t rport)
{
	uint8_t b[13];

	memcpy(b, &laddr, 4);
	memcpy(b + 4, &raddr, 4);
	memcpy(b + 8, &lport, 2);
	memcpy(b + 10, &rport, 2);
	b[12] = domain;
	return (uint32_t)tcp_siphash(c->p.isn_secret, b, sizeof(b));
}

/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, key). */
uint32_t
tcp_isn(const struct tcp_ctx *c, uint32_t laddr, uint16_t lport,
	uint32_t raddr, uint16_t rport, uint64_t now)
{
	/* M: a timer that ticks every 4 microseconds. */
	return tuple_hash(c, TCP_HASH_ISN, laddr, lport, raddr, rport) +
		(uint32_t)(now / 4);
}

/* RFC 7323 5.4: a random offset per connection for TSval. */
uint32_t
tcp_ts_offset(const struct tcp_ctx *c, uint32_t laddr, uint16_t lport,
	      uint32_t raddr, uint16_t rport)
{
	return tuple_hash(c, TCP_HASH_TS, laddr, lport, raddr, rport);
}

/* SYN cookies (tcp_syncookie.c): the tuple and two words. */
uint32_t
tcp_cookie_hash(const struct tcp_ctx *c, uint32_t laddr, uint16_t lport,
		uint32_t raddr, uint16_t rport, uint32_t a, uint32_t b)
{
	uint8_t in[21];

	memcpy(in, &laddr, 4);
	memcpy(in + 4, &raddr, 4);
	memcpy(in + 8, &lport, 2);
	memcpy(in + 10, &rport, 2);
	memcpy(in + 12, &a, 4);
	memcpy(in + 16, &b, 4);
	in[20] = TCP_HASH_COOKIE;
	return (uint32_t)tcp_siphash(c->p.isn_secret, in, sizeof(in));
}
