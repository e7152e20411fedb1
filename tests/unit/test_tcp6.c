/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of what is IPv6's own in lib/tcp (the shared cases run over
 * IPv6 as the *_v6 programs): IPv4 and IPv6 connections on the same ports
 * side by side, the MSS over IPv6, listeners of one family, a context
 * without IPv6, a flow key of one tuple matching another's entry, the
 * IPv6 TIME_WAIT ring and listings with the family; and the
 * connections, IPv4-sized, each on five cache lines of its own.
 */
#include "flowtab.h"
#include "tcp_test.h"
#include "tcp_internal.h"

#define LPORT2 81

static const uint8_t flow_secret[FLOWTAB_SECRET_LEN] = "tcp6-flow-secret";

static struct peer
new_peer(bool v6)
{
	struct peer p;

	peer_v6 = v6;
	memset(&p, 0, sizeof(p));
	p.v6 = v6;
	return p;
}

/* Open a connection from port in family v6; its SYN-ACK is checked. */
static void
open_family(struct peer *p, bool v6, uint16_t port)
{
	*p = new_peer(v6);
	assert_int_equal(peer_syn(p, port, true, 1460), 1);
	assert_out_addrs(out(0), v6);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(p, ACK, p->iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
	assert_int_equal(tcp_conn_family(p->conn),
			 v6 ? TCP_FAMILY_IPV6 : TCP_FAMILY_IPV4);
}

/* Data from peer p reaches its own connection only, and is ACKed to p. */
static void
data_from(struct peer *p, const char *d)
{
	uint32_t len = (uint32_t)strlen(d), before = app.rx_len;

	peer_v6 = p->v6;
	app.conn = NULL;
	send_peer(p, ACK | NET_TCP_PSH, p->iss + 1, (const uint8_t *)d, len);
	p->seq += len;
	assert_int_equal(app.rx_len, before + len);
	assert_memory_equal(app.rx + before, d, len);
	timers_at(now + 200 * MS);
	assert_int_equal(outq()->n, 1);
	assert_out_addrs(out(0), p->v6);
	assert_int_equal(out(0)->rport, p->port);
	assert_int_equal(out(0)->ack, p->seq);
}

/*
 * The same ports over both families are two connections: data, the
 * close to TIME_WAIT of one and a SYN reopening it leave the other
 * alone.
 */
static void
test_side_by_side(void **state)
{
	struct peer p4, p6;

	(void)state;
	open_family(&p4, false, 40000);
	open_family(&p6, true, 40000);
	assert_ptr_not_equal(p4.conn, p6.conn);
	assert_int_equal(gauge(TCP_ESTABLISHED), 2);
	data_from(&p6, "six");
	data_from(&p4, "four");
	data_from(&p6, "again");
	/* The IPv6 one closes to TIME_WAIT, in the IPv6 ring. */
	peer_v6 = true;
	tcp_close(ctx, p6.conn, true, now);
	note_ts();
	assert_int_equal(send_peer(&p6, ACK | FIN, our_nxt(&p6, 1), NULL, 0),
			 1);
	assert_out_addrs(out(0), true);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(tcp_conn_state(p4.conn), TCP_ESTABLISHED);
	data_from(&p4, "still");
	/* Its FIN again: re-ACKed from the IPv6 record. */
	p6.seq++;
	peer_v6 = true;
	{
		struct net_seg s = mkseg(&p6, ACK | FIN, p6.seq - 1,
					 our_nxt(&p6, 1), NULL, 0);

		s.opts.tsval = ++p6.tsval;
		assert_int_equal(input(&s), 1);
		assert_out_addrs(out(0), true);
		assert_int_equal(cnt()->tw_reack, 1);
	}
	/* Expiry ends the IPv6 record only. */
	timers_at(now + 2 * prm.msl_ms * MS + MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
	assert_int_equal(cnt()->tw_expired, 1);
	assert_int_equal(tcp_conn_state(p4.conn), TCP_ESTABLISHED);
	assert_int_equal(cnt()->flow_key_clash, 0);
}

/* The SYN-ACK's MSS over IPv6 is mss6 (default mss - 20); 1220 without. */
static void
test_mss6(void **state)
{
	struct peer p;

	(void)state;
	p = new_peer(true);
	assert_int_equal(peer_syn(&p, 40000, false, 0), 1);
	assert_int_equal(out(0)->opts.mss, 1440);
	p = new_peer(false);
	assert_int_equal(peer_syn(&p, 40001, false, 0), 1);
	assert_int_equal(out(0)->opts.mss, 1460);
	prm.mss6 = 1220;
	restart();
	open_family(&p, true, 40002);
	assert_int_equal(p.conn->snd_mss, 1220 - TCP_TS_OPT_LEN);
	p = new_peer(true);
	assert_int_equal(peer_syn(&p, 40003, false, 0), 1);
	assert_int_equal(out(0)->opts.mss, 1220);
}

/* A listener of one family leaves the other to another, or to RST. */
static void
test_listener_family(void **state)
{
	struct peer p;

	(void)state;
	assert_int_equal(tcp_listen_family(ctx, LPORT, TCP_FAMILY_IPV6, &ops,
					   NULL),
			 -EEXIST);
	assert_int_equal(tcp_listen_family(ctx, LPORT2, 5, &ops, NULL),
			 -EINVAL);
	assert_int_equal(tcp_listen_family(ctx, LPORT2, TCP_FAMILY_IPV4, &ops,
					   NULL),
			 0);
	assert_int_equal(tcp_listen_family(ctx, LPORT2, TCP_FAMILY_BOTH, &ops,
					   NULL),
			 -EEXIST);
	p = new_peer(true);
	p.port = 40000;
	{
		struct net_seg s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);

		s.dport = LPORT2;
		assert_int_equal(input(&s), 1);
		assert_int_equal(out(0)->flags, RST | ACK);
		assert_out_addrs(out(0), true);
		assert_int_equal(cnt()->drop_no_listener, 1);
		/* An IPv6 listener on the port takes it. */
		assert_int_equal(tcp_listen_family(ctx, LPORT2, TCP_FAMILY_IPV6,
						   &ops, NULL),
				 0);
		assert_int_equal(input(&s), 1);
		assert_int_equal(out(0)->flags, SYN | ACK);
		peer_v6 = false;
		p.v6 = false;
		s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
		s.dport = LPORT2;
		assert_int_equal(input(&s), 1);
		assert_int_equal(out(0)->flags, SYN | ACK);
		assert_out_addrs(out(0), false);
	}
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
	assert_int_equal(gauge(TCP_LISTEN), 3);
}

/* Without IPv6 a context drops IPv6 segments, counted, and allocates none. */
static void
test_no_ipv6(void **state)
{
	struct peer p;

	(void)state;
	prm.ipv6 = false;
	restart();
	p = new_peer(true);
	assert_int_equal(peer_syn(&p, 40000, true, 1460), 0);
	assert_int_equal(cnt()->drop_family, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	p = new_peer(false);
	assert_int_equal(peer_syn(&p, 40000, true, 1460), 1);
}

/*
 * The IPv6 addresses stay out of the connection so that one, of either
 * family, is five cache lines: each starts a line. A pool taken with
 * calloc() started 16 bytes into one (glibc), every connection then
 * touching six.
 */
static void
test_conns_cache_aligned(void **state)
{
	const uint32_t sizes[] = { 8, 4096 };
	uint32_t i, k;

	(void)state;
	assert_int_equal(sizeof(struct tcp_conn) % 64, 0);
	/* Five cache lines: 32 bytes of application state fit them. */
	assert_int_equal(sizeof(struct tcp_conn), 320);
	for (k = 0; k < 2; k++) {
		prm.max_connections = sizes[k];
		restart();
		for (i = 0; i < sizes[k]; i++)
			assert_int_equal((uintptr_t)&ctx->conns[i] % 64, 0);
	}
}

/*
 * A segment whose flow key matches another tuple's entry (an IPv4 tuple
 * equal to an IPv6 connection's folded key) is dropped and counted, and
 * leaves the connection alone.
 */
static void
test_key_clash(void **state)
{
	struct flowtab *ft;
	struct flow_key k;
	struct peer p, q;
	struct net_seg s;

	(void)state;
	prm.flow_secret = flow_secret;
	restart();
	open_family(&p, true, 40000);
	ft = flowtab_create(16, flow_secret);
	assert_non_null(ft);
	flowtab_key6(ft, RADDR6, LADDR6, 40000, LPORT, &k);
	flowtab_destroy(ft);
	q = new_peer(false);
	q.port = 40000;
	s = mkseg(&q, RST, p.seq, 0, NULL, 0);
	s.saddr = k.raddr;
	s.daddr = k.laddr;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->flow_key_clash, 1);
	assert_int_equal(cnt()->rst_rx, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
}

/* Listings carry the family, and the IPv6 addresses; filters by family. */
static void
test_list_family(void **state)
{
	struct tcp_list_filter f = { 0 };
	struct tcp_list_rec r[8];
	uint32_t cursor = 0, n, i, v6 = 0;
	struct peer p4, p6;

	(void)state;
	open_family(&p4, false, 40000);
	open_family(&p6, true, 40001);
	n = tcp_list(ctx, &cursor, &f, r, 8, UINT32_MAX, now);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		if (r[i].family != TCP_FAMILY_IPV6) {
			assert_int_equal(r[i].family, TCP_FAMILY_IPV4);
			assert_int_equal(r[i].raddr, RADDR);
			continue;
		}
		v6++;
		assert_int_equal(r[i].rport, 40001);
		assert_int_equal(r[i].raddr, 0);
		assert_memory_equal(r[i].raddr6, RADDR6, 16);
		assert_memory_equal(r[i].laddr6, LADDR6, 16);
	}
	assert_int_equal(v6, 1);
	f.family = TCP_FAMILY_IPV6;
	cursor = 0;
	assert_int_equal(tcp_list(ctx, &cursor, &f, r, 8, UINT32_MAX, now), 1);
	assert_int_equal(r[0].family, TCP_FAMILY_IPV6);
	f.family = TCP_FAMILY_BOTH;
	f.raddr = RADDR;
	f.rmask = 0xffffffffu;
	cursor = 0;
	assert_int_equal(tcp_list(ctx, &cursor, &f, r, 8, UINT32_MAX, now), 1);
	assert_int_equal(r[0].family, TCP_FAMILY_IPV4);
}

/*
 * The rings have the limits of their family: IPv6 records past
 * max_time_wait6 recycle IPv6 records, never IPv4 ones; the pools count
 * both.
 */
static void
test_time_wait_rings(void **state)
{
	struct tcp_mem_pool pools[TCP_MEM_POOLS];
	struct peer p;
	uint16_t port;
	unsigned int i, n;
	uint32_t ack4;

	(void)state;
	prm.max_time_wait6 = 2;
	restart();
	peer_v6 = false;
	to_time_wait(&p, 30000);
	ack4 = our_nxt(&p, 1);
	for (port = 40000; port < 40003; port++) {
		peer_v6 = true;
		to_time_wait(&p, port);
	}
	assert_int_equal(gauge(TCP_TIME_WAIT), 3);
	assert_int_equal(cnt()->tw_overflow_recycled, 1);
	/* The IPv4 record is still there: its FIN is re-ACKed. */
	peer_v6 = false;
	p = new_peer(false);
	p.port = 30000;
	/* The record's timestamps (RFC 7323 3.2), not older (PAWS). */
	p.ts = true;
	p.tsval = 1000;
	{
		struct net_seg s = mkseg(&p, ACK | FIN, PEER_ISN + 1, ack4,
					 NULL, 0);

		assert_int_equal(input(&s), 1);
		assert_out_addrs(out(0), false);
	}
	assert_int_equal(cnt()->tw_reack, 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 3);
	n = tcp_ctx_mem_pools(ctx, pools, TCP_MEM_POOLS);
	for (i = 0; i < n; i++)
		if (strcmp(pools[i].name, "time_wait") == 0)
			assert_int_equal(pools[i].objects,
					 prm.max_time_wait + 2);
}

/* TIME_WAIT records of one family listed (tcp_list()). */
static uint32_t
tw_listed(uint8_t family)
{
	struct tcp_list_filter f = {
		.states = 1u << TCP_TIME_WAIT,
		.family = family,
	};
	struct tcp_list_rec r[16];
	uint32_t cursor = 0;

	return tcp_list(ctx, &cursor, &f, r, 16, UINT32_MAX, now);
}

/*
 * Expiry shares a small budget between the rings: IPv4 records due
 * first in no way hold back IPv6 ones (nor the reverse).
 */
static void
test_time_wait_expiry_shared(void **state)
{
	struct peer p;
	uint16_t port;
	uint64_t t0;

	(void)state;
	t0 = now;
	for (port = 40000; port < 40003; port++) {
		peer_v6 = false;
		to_time_wait(&p, port);
	}
	for (port = 40000; port < 40002; port++) {
		peer_v6 = true;
		to_time_wait(&p, port);
	}
	/* Every connection timer is stale before the records are due. */
	timers_at(t0 + 2 * prm.msl_ms * MS - 10 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 5);
	now = t0 + 2 * prm.msl_ms * MS + 100 * MS;
	tcp_timers(ctx, now, 2);
	assert_int_equal(cnt()->tw_expired, 2);
	assert_int_equal(tw_listed(TCP_FAMILY_IPV4), 2);
	assert_int_equal(tw_listed(TCP_FAMILY_IPV6), 1);
	tcp_timers(ctx, now, 100);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
}

/* RFC 6528 over IPv6: the ISN hashes all 128 bits of the addresses. */
static void
test_isn_v6_addresses(void **state)
{
	static const uint8_t other[16] = { 0x20, 0x01, 0x0d, 0xb9, [15] = 2 };
	struct peer p;
	struct net_seg s;
	uint32_t isn;

	(void)state;
	p = new_peer(true);
	p.port = 40000;
	s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	isn = out(0)->seq;
	/* The same tuple but for one bit high in the remote address. */
	s.saddr6 = other;
	assert_int_equal(input(&s), 1);
	assert_memory_equal(out(0)->raddr6, other, 16);
	assert_int_not_equal(out(0)->seq, isn);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_side_by_side),
		T(test_mss6),
		T(test_listener_family),
		T(test_no_ipv6),
		T(test_conns_cache_aligned),
		T(test_key_clash),
		T(test_list_family),
		T(test_time_wait_rings),
		T(test_time_wait_expiry_shared),
		T(test_isn_v6_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
