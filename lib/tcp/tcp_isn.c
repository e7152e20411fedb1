/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Initial sequence numbers (RFC 6528) and per-connection timestamp
 * offsets (RFC 7323 5.4), both from SipHash-2-4 keyed with isn_secret:
 * one hash of the tuple gives 64 bits, the ISN's F() the low half and the
 * timestamp offset the high half, so that a new connection hashes once.
 */
#include <endian.h>
#include <string.h>

#include "net_sip.h"
#include "tcp_internal.h"

/*
 * Domain separation between the uses of the key: the ISN and the
 * timestamp offset share one (they are the two halves of one output).
 */
#define TCP_HASH_ISN 0x01
#define TCP_HASH_COOKIE 0x03

/* Eight bytes as a little-endian word (one load on such a host). */
static inline uint64_t
load64_le(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void
sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	net__sip_round(v);
	net__sip_round(v);
	v[0] ^= m;
}

/*
 * The first block, from the state tcp_isn_key() left: the first half of
 * its first round reads no message word, so it was run there already.
 */
static inline void
sip_block_first(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	net__sip_rest(v);
	net__sip_round(v);
	v[0] ^= m;
}

static inline void
sip_init(uint64_t v[4], const uint8_t key[16])
{
	uint64_t k0 = load64_le(key), k1 = load64_le(key + 8);

	v[0] = k0 ^ NET_SIP_C0;
	v[1] = k1 ^ NET_SIP_C1;
	v[2] = k0 ^ NET_SIP_C2;
	v[3] = k1 ^ NET_SIP_C3;
}

/* The last block (already holding the length byte), then finalization. */
static inline uint64_t
sip_final(uint64_t v[4], uint64_t last)
{
	sip_block(v, last);
	v[2] ^= 0xff;
	net__sip_round(v);
	net__sip_round(v);
	net__sip_round(v);
	net__sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void
tcp_isn_key(struct tcp_ctx *c)
{
	sip_init(c->isn_v, c->p.isn_secret);
	net__sip_half(c->isn_v);
}

/* SipHash-2-4 with a 128-bit key. */
uint64_t
tcp_siphash(const uint8_t key[16], const uint8_t *in, size_t len)
{
	uint8_t last[8] = { 0 };
	uint64_t v[4];
	size_t i;

	sip_init(v, key);
	for (i = 0; i + 8 <= len; i += 8)
		sip_block(v, load64_le(in + i));
	memcpy(last, in + i, len - i);
	last[7] = (uint8_t)len;
	return sip_final(v, load64_le(last));
}

/*
 * The tuple as the hash input: local address, remote address, local
 * port, remote port, in the host's byte order for IPv4 (4-byte addresses,
 * as before IPv6) and the wire's for IPv6 (16-byte addresses), so that
 * IPv6 is keyed over all 128 bits.
 *
 * The input has a fixed layout, so it is absorbed as words rather than
 * written out as bytes and read back: tuple_absorb() runs the whole
 * 8-byte blocks of the addresses and returns the input length so far and,
 * in *ports, the 4 bytes of the ports as the low half of the next block.
 * v starts as c->isn_v, the state after the key (tcp_isn_key()).
 * The value is that of tcp_siphash() over those bytes (test_tcp_hash.c
 * checks it against the byte-wise layout).
 */
static inline size_t
tuple_absorb(uint64_t v[4], const struct tcp_ends *e, uint64_t *ports)
{
	size_t n;

	if (e->raddr6 != NULL) {
		sip_block_first(v, load64_le(e->laddr6));
		sip_block(v, load64_le(e->laddr6 + 8));
		sip_block(v, load64_le(e->raddr6));
		sip_block(v, load64_le(e->raddr6 + 8));
		n = 32;
	} else {
		/* The bytes of a host-order word, read as little-endian. */
		sip_block_first(v,
				(uint64_t)le32toh(e->laddr) |
					(uint64_t)le32toh(e->raddr) << 32);
		n = 8;
	}
	*ports = (uint64_t)le16toh(e->lport) |
		(uint64_t)le16toh(e->rport) << 16;
	return n + 4;
}

/* The tuple, then one domain byte: all 64 bits of the output. */
static uint64_t
tuple_hash(const struct tcp_ctx *c, uint8_t domain, const struct tcp_ends *e)
{
	uint64_t v[4], ports;
	size_t n;

	memcpy(v, c->isn_v, sizeof(v));
	n = tuple_absorb(v, e, &ports);
	return sip_final(v,
			 ports | (uint64_t)domain << 32 |
				 (uint64_t)(n + 1) << 56);
}

/*
 * RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, key),
 * F the low half of the tuple's hash. Its high half, in *ts_offset, is
 * the connection's timestamp offset (tcp_ts_offset()), which a SYN that
 * opens a connection needs too.
 */
uint32_t
tcp_isn(const struct tcp_ctx *c, const struct tcp_ends *e, uint64_t now,
	uint32_t *ts_offset)
{
	uint64_t h = tuple_hash(c, TCP_HASH_ISN, e);

	*ts_offset = (uint32_t)(h >> 32);
	/* M: a timer that ticks every 4 microseconds. */
	return (uint32_t)h + (uint32_t)(now / 4);
}

/*
 * RFC 7323 5.4: a random offset per connection for TSval, the high half
 * of the hash whose low half is the ISN's F(): secret, and independent
 * of the ISN, as the two halves of a pseudorandom function's output are.
 */
uint32_t
tcp_ts_offset(const struct tcp_ctx *c, const struct tcp_ends *e)
{
	return (uint32_t)(tuple_hash(c, TCP_HASH_ISN, e) >> 32);
}

/* SYN cookies (tcp_syncookie.c): the tuple, two words and the domain. */
uint32_t
tcp_cookie_hash(const struct tcp_ctx *c, const struct tcp_ends *e, uint32_t a,
		uint32_t b)
{
	uint64_t v[4], ports;
	size_t n;

	memcpy(v, c->isn_v, sizeof(v));
	n = tuple_absorb(v, e, &ports);
	sip_block(v, ports | (uint64_t)le32toh(a) << 32);
	return (uint32_t)sip_final(v,
				   (uint64_t)le32toh(b) |
					   (uint64_t)TCP_HASH_COOKIE << 32 |
					   (uint64_t)(n + 9) << 56);
}
