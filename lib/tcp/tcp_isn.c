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
		k0 ^ 0x736f6d6570736575ull,
		k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull,
		k1 ^ 0x7465646279746573ull,
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

/*
 * The tuple as the hash input: local address, remote address, local
 * port, remote port, in the host's byte order for IPv4 (4-byte addresses,
 * as before IPv6) and the wire's for IPv6 (16-byte addresses), so that
 * IPv6 is keyed over all 128 bits. Returns the bytes written (12 or 36).
 */
static size_t
tuple_bytes(const struct tcp_ends *e, uint8_t b[36])
{
	size_t n;

	if (e->raddr6 != NULL) {
		memcpy(b, e->laddr6, 16);
		memcpy(b + 16, e->raddr6, 16);
		n = 32;
	} else {
		memcpy(b, &e->laddr, 4);
		memcpy(b + 4, &e->raddr, 4);
		n = 8;
	}
	memcpy(b + n, &e->lport, 2);
	memcpy(b + n + 2, &e->rport, 2);
	return n + 4;
}

static uint32_t
tuple_hash(const struct tcp_ctx *c, uint8_t domain, const struct tcp_ends *e)
{
	uint8_t b[37];
	size_t n = tuple_bytes(e, b);

	b[n] = domain;
	return (uint32_t)tcp_siphash(c->p.isn_secret, b, n + 1);
}

/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, key). */
uint32_t
tcp_isn(const struct tcp_ctx *c, const struct tcp_ends *e, uint64_t now)
{
	/* M: a timer that ticks every 4 microseconds. */
	return tuple_hash(c, TCP_HASH_ISN, e) + (uint32_t)(now / 4);
}

/* RFC 7323 5.4: a random offset per connection for TSval. */
uint32_t
tcp_ts_offset(const struct tcp_ctx *c, const struct tcp_ends *e)
{
	return tuple_hash(c, TCP_HASH_TS, e);
}

/* SYN cookies (tcp_syncookie.c): the tuple and two words. */
uint32_t
tcp_cookie_hash(const struct tcp_ctx *c, const struct tcp_ends *e, uint32_t a,
		uint32_t b)
{
	uint8_t in[45];
	size_t n = tuple_bytes(e, in);

	memcpy(in + n, &a, 4);
	memcpy(in + n + 4, &b, 4);
	in[n + 8] = TCP_HASH_COOKIE;
	return (uint32_t)tcp_siphash(c->p.isn_secret, in, n + 9);
}
