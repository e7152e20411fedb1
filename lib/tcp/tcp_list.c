/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listing connections and TIME_WAIT records for operators (ss-like), in
 * bounded slices: the owner of the context calls tcp_list() from its own
 * loop with a cursor, so no other thread ever reads the tables.
 */
#include <string.h>

#include "tcp_internal.h"

const char *
tcp_list_timer_name(enum tcp_list_timer t, enum tcp_state s)
{
	switch (t) {
	case TCP_LT_REXMIT:
		return "rexmit";
	case TCP_LT_DELACK:
		return "delack";
	case TCP_LT_PERSIST:
		return "persist";
	case TCP_LT_STATE:
		if (s == TCP_SYN_RECEIVED)
			return "syn_recv";
		return s == TCP_FIN_WAIT_2 ? "fin_wait2" : "send";
	case TCP_LT_APP:
		return "app";
	case TCP_LT_TIMEWAIT:
		return "timewait";
	default:
		return "-";
	}
}

static bool
list_match(const struct tcp_list_filter *f, enum tcp_state s,
	   const struct tcp_ends *e)
{
	if (f->states != 0 && !(f->states & (1u << s)))
		return false;
	if (e->raddr6 != NULL)
		return f->rmask == 0 && f->family != TCP_FAMILY_IPV4;
	if (f->family == TCP_FAMILY_IPV6)
		return false;
	return (e->raddr & f->rmask) == (f->raddr & f->rmask);
}

/* The listed addresses: the key's for IPv4, the kept ones for IPv6. */
static void
list_ends(const struct flow_key *k, const struct tcp_addr6 *a6,
	  struct tcp_ends *e)
{
	e->raddr = a6 != NULL ? 0 : k->raddr;
	e->laddr = a6 != NULL ? 0 : k->laddr;
	e->raddr6 = a6 != NULL ? a6->r : NULL;
	e->laddr6 = a6 != NULL ? a6->l : NULL;
	e->rport = k->rport;
	e->lport = k->lport;
}

static void
list_rec_ends(struct tcp_list_rec *r, const struct tcp_ends *e)
{
	r->laddr = e->laddr;
	r->raddr = e->raddr;
	r->lport = e->lport;
	r->rport = e->rport;
	r->family = e->raddr6 != NULL ? TCP_FAMILY_IPV6 : TCP_FAMILY_IPV4;
	if (e->raddr6 == NULL) {
		memset(r->laddr6, 0, sizeof(r->laddr6));
		memset(r->raddr6, 0, sizeof(r->raddr6));
		return;
	}
	memcpy(r->laddr6, e->laddr6, 16);
	memcpy(r->raddr6, e->raddr6, 16);
}

static uint32_t
list_ms_until(uint64_t deadline, uint64_t now)
{
	uint64_t us = deadline > now ? deadline - now : 0;

	return us / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(us / 1000);
}

/*
 * The application timer's deadline, 0 when the application says it
 * would do nothing then (http's head deadline, left armed at its close).
 */
static uint64_t
list_app_deadline(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);

	if (conn->t_app == 0 || ops == NULL || ops->timer_pending == NULL ||
	    ops->timer_pending(c, conn))
		return conn->t_app;
	return 0;
}

/* The connection's earliest running timer that can still act. */
static void
list_conn_timer(const struct tcp_ctx *c, const struct tcp_conn *conn,
		struct tcp_list_rec *r, uint64_t now)
{
	const uint64_t t[] = { 0,
			       conn->t_rexmit,
			       conn->t_dack,
			       conn->t_persist,
			       conn->t_state,
			       list_app_deadline(c, conn) };
	uint64_t best = 0;
	unsigned int i;

	r->timer = TCP_LT_NONE;
	for (i = TCP_LT_REXMIT; i <= TCP_LT_APP; i++) {
		if (t[i] != 0 && (best == 0 || t[i] < best)) {
			best = t[i];
			r->timer = (uint8_t)i;
		}
	}
	r->timer_ms = best != 0 ? list_ms_until(best, now) : 0;
}

static void
list_conn(const struct tcp_ctx *c, const struct tcp_conn *conn,
	  struct tcp_list_rec *r, uint64_t now)
{
	r->state = conn->state;
	r->sendq = conn->sb_len;
	r->recvq = conn->rb_len;
	r->age_ms = tcp_ms(now) - conn->born_ms;
	list_conn_timer(c, conn, r, now);
}

/* A TIME_WAIT record: expiry is kept modulo 2^27 ms (tcp_internal.h). */
static void
list_tw(const struct tcp_tw *tw, struct tcp_list_rec *r, uint64_t now)
{
	r->state = TCP_TIME_WAIT;
	r->sendq = 0;
	r->recvq = 0;
	r->age_ms = TCP_LIST_AGE_NONE;
	r->timer = TCP_LT_TIMEWAIT;
	r->timer_ms = ((tw->state & TCP_TW_EXPIRY) - tcp_ms(now)) &
		TCP_TW_EXPIRY;
}

/* Fill r from the table entry (k, val); false when it is not listed. */
static bool
list_entry(const struct tcp_ctx *c, const struct flow_key *k, uint32_t val,
	   const struct tcp_list_filter *f, struct tcp_list_rec *r,
	   uint64_t now)
{
	const struct tcp_addr6 *a6 = NULL;
	const struct tcp_conn *conn;
	const struct tcp_tw *tw;
	struct tcp_ends e;

	if (val & TCP_FT_TW) {
		tw = tcp_tw_find(c, val, &a6);
		list_ends(k, a6, &e);
		if (tw == NULL || !list_match(f, TCP_TIME_WAIT, &e))
			return false;
		list_tw(tw, r, now);
	} else {
		if (val >= c->p.max_connections ||
		    !(c->conns[val].flags & TCP_CF_USED))
			return false;
		conn = &c->conns[val];
		tcp_conn_ends(c, conn, &e);
		if (!list_match(f, conn->state, &e))
			return false;
		list_conn(c, conn, r, now);
	}
	list_rec_ends(r, &e);
	return true;
}

uint32_t
tcp_list(const struct tcp_ctx *c, uint32_t *cursor,
	 const struct tcp_list_filter *f, struct tcp_list_rec *out,
	 uint32_t max, uint32_t scan, uint64_t now)
{
	uint32_t slot = *cursor, end, n = 0, val;
	uint32_t nslots = flowtab_slots(c->ft);
	struct flow_key k;

	if (slot >= nslots) {
		*cursor = TCP_LIST_END;
		return 0;
	}
	end = nslots - slot > scan ? slot + scan : nslots;
	for (; slot < end && n < max; slot++) {
		if (flowtab_entry_at(c->ft, slot, &k, &val) != 0)
			continue;
		if (list_entry(c, &k, val, f, &out[n], now))
			n++;
	}
	*cursor = slot >= nslots ? TCP_LIST_END : slot;
	return n;
}
