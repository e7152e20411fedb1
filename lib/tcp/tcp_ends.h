/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoints of a segment or a connection, whatever the family: the
 * inline part of tcp_ends.c, on every segment's path. Included by
 * tcp_internal.h after struct tcp_ctx.
 */
#ifndef TT_TCP_ENDS_H
#define TT_TCP_ENDS_H

#include <string.h>

static inline bool
tcp_seg_v6(const struct net_seg *seg)
{
	return seg->saddr6 != NULL;
}

static inline void
tcp_seg_ends(const struct net_seg *seg, struct tcp_ends *e)
{
	e->raddr = seg->saddr;
	e->laddr = seg->daddr;
	e->raddr6 = seg->saddr6;
	e->laddr6 = seg->daddr6;
	e->rport = seg->sport;
	e->lport = seg->dport;
}

static inline void
tcp_conn_ends(const struct tcp_ctx *c, const struct tcp_conn *conn,
	      struct tcp_ends *e)
{
	const struct tcp_addr6 *a = NULL;

	if (conn->flags & TCP_CF_V6)
		a = &c->a6[conn->idx];
	e->raddr = conn->raddr;
	e->laddr = conn->laddr;
	e->raddr6 = a != NULL ? a->r : NULL;
	e->laddr6 = a != NULL ? a->l : NULL;
	e->rport = conn->rport;
	e->lport = conn->lport;
}

/*
 * The flow key of a segment (tcp_ends_key()): for IPv4 the tuple itself,
 * written here without a call, as it is made for every segment received
 * (twice: for the hash, then for the lookup).
 */
static inline void
tcp_seg_key(const struct tcp_ctx *c, const struct net_seg *seg,
	    struct flow_key *k)
{
	struct tcp_ends e;

	if (!tcp_seg_v6(seg)) {
		k->raddr = seg->saddr;
		k->laddr = seg->daddr;
		k->rport = seg->sport;
		k->lport = seg->dport;
		return;
	}
	tcp_seg_ends(seg, &e);
	tcp_ends_key(c, &e, k);
}

/* The addresses and ports of a segment to send, copied. */
static inline void
tcp_out_ends(struct tcp_out *o, const struct tcp_ends *e)
{
	o->laddr = e->laddr;
	o->raddr = e->raddr;
	o->lport = e->lport;
	o->rport = e->rport;
	o->family = TCP_FAMILY_IPV4;
	if (e->raddr6 == NULL)
		return;
	o->family = TCP_FAMILY_IPV6;
	memcpy(o->laddr6, e->laddr6, 16);
	memcpy(o->raddr6, e->raddr6, 16);
}

bool tcp_conn_is6(const struct tcp_ctx *c, const struct tcp_conn *conn,
		  const struct net_seg *seg);

/*
 * Whether the connection a table lookup found is the segment's: an IPv4
 * key is the tuple itself, so only the family is checked; an IPv6 key is
 * a fold, so the addresses are compared too (tcp_conn_is6()).
 */
static inline bool
tcp_conn_is(const struct tcp_ctx *c, const struct tcp_conn *conn,
	    const struct net_seg *seg)
{
	if (!(conn->flags & TCP_CF_V6))
		return !tcp_seg_v6(seg);
	return tcp_conn_is6(c, conn, seg);
}

#endif /* TT_TCP_ENDS_H */
