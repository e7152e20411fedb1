/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoints of a segment or a connection, IPv4 or IPv6: the one place
 * that reads a tuple of either family, makes its flow key, checks a table
 * hit against it and writes it into a segment to send.
 *
 * An IPv4 connection keeps its addresses in struct tcp_conn. An IPv6 one
 * is flagged TCP_CF_V6 and keeps them in tcp_ctx.a6, an array of 32-byte
 * address pairs indexed like the pool, allocated only when the context
 * has IPv6: struct tcp_conn does not grow by 32 bytes for it, and the
 * IPv4 path never touches the array.
 */
#include <string.h>

#include "tcp_internal.h"

/*
 * The IPv6 addresses stay out of the connection: five cache lines, in a
 * pool aligned to them (tcp_ctx.c).
 */
_Static_assert(sizeof(struct tcp_conn) == 320, "struct tcp_conn grew");
_Static_assert(320 == 5 * TCP_CACHE_LINE, "five cache lines");

/*
 * The flow table key: the tuple itself for IPv4, the keyed fold of the
 * addresses with the ports for IPv6 (flowtab_key6()), so both families
 * share one table of 16-byte entries.
 */
void
tcp_ends_key(const struct tcp_ctx *c, const struct tcp_ends *e,
	     struct flow_key *k)
{
	if (e->raddr6 != NULL) {
		flowtab_key6(c->ft, e->raddr6, e->laddr6, e->rport, e->lport,
			     k);
		return;
	}
	memset(k, 0, sizeof(*k));
	k->raddr = e->raddr;
	k->laddr = e->laddr;
	k->rport = e->rport;
	k->lport = e->lport;
}

void
tcp_conn_key(const struct tcp_ctx *c, const struct tcp_conn *conn,
	     struct flow_key *k)
{
	struct tcp_ends e;

	tcp_conn_ends(c, conn, &e);
	tcp_ends_key(c, &e, k);
}

/*
 * The key of a connection and its flowtab_hash(): those of the segment
 * being handled when it is this connection's (tcp_input_hash() found it,
 * or created it), else computed.
 */
uint32_t
tcp_conn_key_hash(const struct tcp_ctx *c, const struct tcp_conn *conn,
		  struct flow_key *k)
{
	if (c->in_seg != NULL && conn->idx == c->in_conn &&
	    conn->gen == c->in_gen) {
		*k = c->in_key;
		return c->in_hash;
	}
	tcp_conn_key(c, conn, k);
	return flowtab_hash(c->ft, k);
}

/*
 * Only the hash (tcp_conn_key_hash()), for the table operations that find
 * the connection's entry by its value, the connection's index, which is
 * in one entry only.
 */
uint32_t
tcp_conn_hash(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct flow_key k;

	if (c->in_seg != NULL && conn->idx == c->in_conn &&
	    conn->gen == c->in_gen)
		return c->in_hash;
	tcp_conn_key(c, conn, &k);
	return flowtab_hash(c->ft, &k);
}

/* A new connection takes the segment's tuple, reversed. */
void
tcp_conn_set_ends(struct tcp_ctx *c, struct tcp_conn *conn,
		  const struct net_seg *seg)
{
	conn->raddr = seg->saddr;
	conn->laddr = seg->daddr;
	conn->rport = seg->sport;
	conn->lport = seg->dport;
	if (!tcp_seg_v6(seg))
		return;
	conn->flags |= TCP_CF_V6;
	memcpy(c->a6[conn->idx].r, seg->saddr6, 16);
	memcpy(c->a6[conn->idx].l, seg->daddr6, 16);
}

/* tcp_conn_is() for an IPv6 connection: the addresses kept. */
bool
tcp_conn_is6(const struct tcp_ctx *c, const struct tcp_conn *conn,
	     const struct net_seg *seg)
{
	const struct tcp_addr6 *a;

	if (!tcp_seg_v6(seg))
		return false;
	a = &c->a6[conn->idx];
	return memcmp(a->r, seg->saddr6, 16) == 0 &&
		memcmp(a->l, seg->daddr6, 16) == 0;
}

/* The MSS option we send (and the most we accept) over a family. */
uint16_t
tcp_mss_ours(const struct tcp_ctx *c, bool v6)
{
	return v6 ? c->p.mss6 : c->p.mss;
}

/*
 * RFC 9293 3.7.1: the send MSS when the peer sends no MSS option, 536
 * over IPv4; over IPv6 the minimum MTU's, 1280 - 60 (RFC 8200 8.3).
 */
uint16_t
tcp_mss_default(bool v6)
{
	return v6 ? TCP_DEFAULT_MSS6 : TCP_DEFAULT_MSS;
}
