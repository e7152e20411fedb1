/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012): its rounds, and SipHash-1-3 for the slot hashes of lib/net's
 * neighbour tables, ARP's and Neighbor Discovery's, each keyed with a
 * secret of its own table (net_neigh_secret()). lib/tcp builds its
 * SipHash-2-4 (ISNs, timestamp offsets, SYN cookies) from the same
 * rounds. lib/net depends on no other module and lib/table on none at
 * all, so the flow table keeps its own copy. Not part of the public API.
 */
#ifndef TT_NET_SIP_H
#define TT_NET_SIP_H

#include <stdint.h>
#include <string.h>

/* SipHash's initialization constants ("somepseudorandomlygeneratedbytes"). */
#define NET_SIP_C0 0x736f6d6570736575ull
#define NET_SIP_C1 0x646f72616e646f6dull
#define NET_SIP_C2 0x6c7967656e657261ull
#define NET_SIP_C3 0x7465646279746573ull
#define NET_SIP_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

/*
 * A SipRound (SipHash paper, 2.1) in two parts: its first four steps,
 * which read and write v0 and v1 only (a keyed state can run them
 * before the first message word is known), and the rest.
 */
static inline void
net__sip_half(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = NET_SIP_ROTL(v[1], 13) ^ v[0];
	v[0] = NET_SIP_ROTL(v[0], 32);
}

static inline void
net__sip_rest(uint64_t v[4])
{
	v[2] += v[3];
	v[3] = NET_SIP_ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = NET_SIP_ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = NET_SIP_ROTL(v[1], 17) ^ v[2];
	v[2] = NET_SIP_ROTL(v[2], 32);
}

static inline void
net__sip_round(uint64_t v[4])
{
	net__sip_half(v);
	net__sip_rest(v);
}

/*
 * SipHash-1-3 under the 16-byte key of the n whole 8-byte words m[]
 * and the last word last: the message's remaining bytes with its
 * length in bytes (mod 256) in the top byte (SipHash paper, 2.2).
 */
static inline uint64_t
net__sip13(const uint8_t *key, const uint64_t *m, unsigned int n, uint64_t last)
{
	uint64_t k[2], v[4];
	unsigned int i;

	memcpy(k, key, sizeof(k));
	v[0] = k[0] ^ NET_SIP_C0;
	v[1] = k[1] ^ NET_SIP_C1;
	v[2] = k[0] ^ NET_SIP_C2;
	v[3] = k[1] ^ NET_SIP_C3;
	for (i = 0; i < n; i++) {
		v[3] ^= m[i];
		net__sip_round(v);
		v[0] ^= m[i];
	}
	v[3] ^= last;
	net__sip_round(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	for (i = 0; i < 3; i++)
		net__sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

#endif /* TT_NET_SIP_H */
