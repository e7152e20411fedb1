/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The out-of-order queue, SACK and D-SACK blocks of the receive side
 * (lib/tcp/tcp_ooo.c), on the virtual clock. Each test names the RFC
 * section it checks.
 */
#include "tcp_test.h"
#include "tcp_internal.h"
#include "test_rng.h"

static uint8_t pat[8192];

static void
pat_init(void)
{
	uint32_t i;

	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 7 + i / 251);
}

/* Peer bytes [off, off + len) of its stream, sent at p->seq + off. */
static uint32_t
send_at(struct peer *p, uint8_t flags, uint32_t off, uint32_t len)
{
	struct net_seg s = mkseg(p, flags, p->seq + off, our_nxt(p, 0),
				 pat + off, len);

	p->tsval++;
	s.opts.tsval = p->tsval;
	return input(&s);
}

static void
assert_block(const struct tcp_out *o, uint32_t i, uint32_t start, uint32_t end)
{
	assert_true(o->opts.has & NET_OPT_SACK);
	assert_true(i < o->opts.nsack);
	assert_int_equal(o->opts.sack[i].start, start);
	assert_int_equal(o->opts.sack[i].end, end);
}

/* Handshake with SACK-permitted but no timestamps: 4 blocks fit. */
static void
open_sack_only(struct peer *p, uint16_t port)
{
	struct net_seg s;

	memset(p, 0, sizeof(*p));
	p->port = port;
	p->seq = PEER_ISN;
	s = mkseg(p, SYN, p->seq, 0, NULL, 0);
	s.opts.has = NET_OPT_MSS | NET_OPT_SACK_OK;
	s.opts.mss = 1460;
	assert_int_equal(input(&s), 1);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(p, ACK, p->iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
}

/*
 * RFC 9293 3.10.7.4 seventh: segments beyond RCV.NXT are held and the
 * text is delivered in order, exactly once, when the gap fills; RFC 5681
 * 4.2: every out-of-order segment and the one filling the gap draw an
 * immediate ACK.
 */
static void
test_reordered_delivered_once(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(send_at(&p, ACK, 200, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(send_at(&p, ACK, 100, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	/* A duplicate of held bytes: not queued twice. */
	assert_int_equal(send_at(&p, ACK, 100, 100), 1);
	assert_int_equal(app.rx_len, 0);
	assert_int_equal(cnt()->ooo_queued, 2);
	assert_int_equal(cnt()->dup_ack_sent, 3);
	/* The gap fills: everything at once, in order, ACKed at once. */
	assert_int_equal(send_at(&p, ACK, 0, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 300);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(app.rx_len, 300);
	assert_memory_equal(app.rx, pat, 300);
	assert_int_equal(cnt()->ooo_merged, 1);
	assert_int_equal(cnt()->bytes_in, 300);
	assert_int_equal(tcp_read_pending(p.conn), 0);
	/* The buffer went back: a late copy is a plain duplicate. */
	assert_int_equal(send_at(&p, ACK, 200, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 300);
	assert_int_equal(app.rx_len, 300);
	/* And the stream goes on in order. */
	assert_int_equal(send_at(&p, ACK, 300, 50), 0);
	assert_int_equal(app.rx_len, 350);
	assert_memory_equal(app.rx, pat, 350);
}

/*
 * RFC 2018 4: the first block holds the segment that triggered the ACK,
 * the others follow most recently reported first; 3 fit beside
 * timestamps.
 */
static void
test_sack_most_recent_first(void **state)
{
	struct peer p;
	uint32_t s = PEER_ISN + 1;

	(void)state;
	open_peer(&p, 40000, true);
	send_at(&p, ACK, 100, 10);
	assert_int_equal(out(0)->opts.nsack, 1);
	assert_block(out(0), 0, s + 100, s + 110);
	send_at(&p, ACK, 300, 10);
	send_at(&p, ACK, 500, 10);
	send_at(&p, ACK, 700, 10);
	assert_int_equal(out(0)->opts.nsack, 3);
	assert_block(out(0), 0, s + 700, s + 710);
	assert_block(out(0), 1, s + 500, s + 510);
	assert_block(out(0), 2, s + 300, s + 310);
	/* Extending the oldest range makes it the first block. */
	send_at(&p, ACK, 110, 10);
	assert_int_equal(out(0)->opts.nsack, 3);
	assert_block(out(0), 0, s + 100, s + 120);
	assert_block(out(0), 1, s + 700, s + 710);
	assert_block(out(0), 2, s + 500, s + 510);
	/* A segment joining two ranges reports the union. */
	send_at(&p, ACK, 510, 190);
	assert_int_equal(out(0)->opts.nsack, 3);
	assert_block(out(0), 0, s + 500, s + 710);
	assert_block(out(0), 1, s + 100, s + 120);
	assert_block(out(0), 2, s + 300, s + 310);
	/* Part of the gap filled: the ACK moves, the rest still SACKed. */
	send_at(&p, ACK, 0, 100);
	assert_seg(out(0), ACK, our_nxt(&p, 0), s + 120);
	assert_int_equal(out(0)->opts.nsack, 2);
	assert_block(out(0), 0, s + 500, s + 710);
	assert_block(out(0), 1, s + 300, s + 310);
	assert_int_equal(app.rx_len, 120);
	assert_memory_equal(app.rx, pat, 120);
}

/* RFC 2018 4: without timestamps, 4 blocks fit in the option space. */
static void
test_sack_four_without_timestamps(void **state)
{
	struct peer p;
	uint32_t s = PEER_ISN + 1, i;

	(void)state;
	open_sack_only(&p, 40001);
	for (i = 1; i <= 4; i++)
		send_at(&p, ACK, i * 100, 10);
	assert_false(out(0)->opts.has & NET_OPT_TS);
	assert_int_equal(out(0)->opts.nsack, 4);
	for (i = 0; i < 4; i++)
		assert_block(out(0), i, s + (4 - i) * 100,
			     s + (4 - i) * 100 + 10);
}

/* RFC 2018 1: without SACK-permitted no block is ever sent. */
static void
test_no_sack_without_permission(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, false);
	assert_int_equal(send_at(&p, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_queued, 1);
	send_at(&p, ACK, 0, 100);
	assert_int_equal(app.rx_len, 110);
	assert_memory_equal(app.rx, pat, 110);
}

/*
 * RFC 2883 4: a duplicate segment is reported as the first block of the
 * ACK it draws: below RCV.NXT (wholly or in part), or a copy of held
 * out-of-order bytes, then followed by the range holding it (4.1).
 */
static void
test_dsack(void **state)
{
	struct peer p;
	uint32_t s = PEER_ISN + 1;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(send_at(&p, ACK, 0, 100), 0);
	/* Wholly old: unacceptable, ACKed with a D-SACK block. */
	assert_int_equal(send_at(&p, ACK, 0, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), s + 100);
	assert_int_equal(out(0)->opts.nsack, 1);
	assert_block(out(0), 0, s, s + 100);
	assert_int_equal(cnt()->dsack_sent, 1);
	/* Reported once: the next ACK has none. */
	outq()->n = 0;
	tcp_send(ctx, p.conn, pat, 10, now);
	assert_int_equal(note_ts(), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	/* Partly old: the old part is the D-SACK block. */
	assert_int_equal(send_at(&p, ACK, 50, 100), 1);
	assert_int_equal(out(0)->opts.nsack, 1);
	assert_block(out(0), 0, s + 50, s + 100);
	assert_int_equal(app.rx_len, 150);
	assert_memory_equal(app.rx, pat, 150);
	/* A copy of held bytes: D-SACK, then the range holding them. */
	send_at(&p, ACK, 300, 100);
	send_at(&p, ACK, 500, 100);
	assert_int_equal(send_at(&p, ACK, 320, 20), 1);
	assert_int_equal(out(0)->opts.nsack, 3);
	assert_block(out(0), 0, s + 320, s + 340);
	assert_block(out(0), 1, s + 300, s + 400);
	assert_block(out(0), 2, s + 500, s + 600);
	assert_int_equal(cnt()->dsack_sent, 3);
}

/*
 * RFC 9293 3.10.7.4 eighth: a FIN beyond a gap takes effect when the gap
 * fills: CLOSE_WAIT, the application hears of it after the text, and
 * its close then completes the connection (LAST_ACK, CLOSED).
 */
static void
test_fin_ahead_of_gap(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(send_at(&p, ACK | FIN, 100, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(app.peer_fins, 0);
	/* Its retransmission changes nothing. */
	assert_int_equal(send_at(&p, ACK | FIN, 100, 100), 1);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(send_at(&p, ACK, 0, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 201);
	assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
	assert_int_equal(app.rx_len, 200);
	assert_memory_equal(app.rx, pat, 200);
	assert_int_equal(app.peer_fins, 1);
	assert_int_equal(cnt()->drop_fin_ooo, 0);
	p.seq += 201;
	outq()->n = 0;
	tcp_close(ctx, p.conn, false, now);
	assert_int_equal(note_ts(), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 0), p.seq);
	assert_int_equal(tcp_conn_state(p.conn), TCP_LAST_ACK);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	assert_int_equal(gauge(TCP_LAST_ACK), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/* The same with a bare FIN beyond the gap (the last data segment lost). */
static void
test_bare_fin_ahead_of_gap(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, ACK | FIN, p.seq + 100, our_nxt(&p, 0), NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->dup_ack_sent, 1);
	/* Bytes beyond the FIN are not the peer's: never kept. */
	assert_int_equal(send_at(&p, ACK, 150, 100), 1);
	assert_int_equal(out(0)->opts.nsack, 0);
	assert_int_equal(send_at(&p, ACK, 0, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 101);
	assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
	assert_int_equal(app.peer_fins, 1);
	assert_int_equal(app.rx_len, 100);
}

/*
 * RFC 9293 3.10.7.4: a segment is trimmed to the window "including SYN
 * and FIN", beyond a gap as in order. With 1000 bytes unread in a buffer
 * of 4000 the window is 3000: text beyond a gap up to its right edge is
 * kept but the FIN on it, at the edge, is not (counted out of window),
 * nor a bare FIN there. When the gap fills the connection stays
 * ESTABLISHED until the peer sends its FIN again into an open window.
 */
static void
test_fin_beyond_gap_at_edge(void **state)
{
	struct net_seg s;
	struct peer p;

	(void)state;
	prm.rcv_wnd = 4000;
	prm.wscale = 0;
	restart();
	app.take_none = true;
	open_peer(&p, 40000, true);
	send_at(&p, ACK, 0, 1000);
	timers_at(now + 40 * MS);
	assert_int_equal(out(0)->wnd, 3000);
	assert_int_equal(send_at(&p, ACK | FIN, 3500, 500), 1);
	assert_block(out(0), 0, p.seq + 3500, p.seq + 4000);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	s = mkseg(&p, ACK | FIN, p.seq + 4000, our_nxt(&p, 0), NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->drop_out_of_window, 2);
	send_at(&p, ACK, 1000, 2500);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 4000);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	app.take_none = false;
	tcp_read_resume(ctx, p.conn, now);
	assert_int_equal(app.rx_len, 4000);
	assert_int_equal(app.peer_fins, 0);
	/* Sent again into the open window: taken. */
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 4001);
	assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
	assert_int_equal(app.peer_fins, 1);
}

/*
 * The same FIN at the edge last advertised, once the application has
 * taken the 1000 bytes (too few for a window update, so the edge
 * advertised stays): the window is 4000 now and the FIN inside it, as in
 * order (tcp_rcv_fin_in_window()), so it is kept and taken when the gap
 * fills. So is one a byte inside the edge, the application taking
 * nothing. This pins behaviour older than the one window test (it passes
 * without it too): it guards against testing a FIN beyond a gap by the
 * edge advertised alone, which would refuse the first one.
 */
static void
test_fin_beyond_gap_room_made(void **state)
{
	struct peer p;
	unsigned int room;

	(void)state;
	prm.rcv_wnd = 4000;
	prm.wscale = 0;
	for (room = 0; room < 2; room++) {
		memset(&app, 0, sizeof(app));
		restart();
		app.take_none = true;
		open_peer(&p, 40000, true);
		send_at(&p, ACK, 0, 1000);
		timers_at(now + 40 * MS);
		assert_int_equal(out(0)->wnd, 3000);
		if (room) {
			app.take_none = false;
			outq()->n = 0;
			tcp_read_resume(ctx, p.conn, now);
			assert_int_equal(app.rx_len, 1000);
			assert_int_equal(outq()->n, 0);
		}
		assert_int_equal(send_at(&p, ACK | FIN, 3500, 500 - !room), 1);
		assert_int_equal(cnt()->drop_out_of_window, 0);
		app.take_none = false;
		send_at(&p, ACK, 1000, 2500);
		assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 4000 + room);
		assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
		assert_int_equal(app.peer_fins, 1);
		assert_int_equal(app.rx_len, 3999 + room);
	}
}

static uint8_t big_text[200000];

/* Sends len bytes at offset off of the peer's stream, a newer TSval. */
static uint32_t
send_big(struct peer *p, uint8_t flags, uint32_t off, uint32_t len)
{
	struct net_seg s = mkseg(p, flags, p->seq + off, our_nxt(p, 0),
				 big_text + off, len);

	p->tsval++;
	s.opts.tsval = p->tsval;
	return input(&s);
}

/*
 * A FIN beyond a gap past the largest window the field can carry: the
 * peer offered no window scale (so ours is 0 and the window at most
 * 65535) while 262144 bytes are free. The FIN at 80000 lies outside any
 * window we could advertise, so it is not kept (counted out of window),
 * however much room the buffer has.
 */
static void
test_fin_beyond_gap_past_max_window(void **state)
{
	struct peer p;

	(void)state;
	memset(&app, 0, sizeof(app));
	prm.rcv_wnd = 262144;
	prm.wscale = 7;
	restart();
	app.take_none = true;
	open_peer(&p, 40000, false);
	send_big(&p, ACK, 10, 10);
	assert_int_equal(out(0)->wnd, 65535);
	assert_int_equal(p.conn->rcv_adv - p.seq, 65535);
	send_big(&p, ACK | FIN, 60000, 20000);
	assert_int_equal(cnt()->drop_out_of_window, 1);
}

/*
 * A context with a pool of n receive buffers and two connections open,
 * a (port 40000) and b (40001).
 */
static void
pool_open(uint32_t n, struct peer *a, struct peer *b)
{
	prm.max_rcv_buffers = n;
	restart();
	open_peer(a, 40000, true);
	open_peer(b, 40001, true);
}

/*
 * Bounds: with the pool of receive buffers empty an out-of-order segment
 * is dropped (counted) and still draws its duplicate ACK; the stream is
 * right once the peer retransmits.
 */
static void
test_pool_exhausted(void **state)
{
	struct peer a, b;

	(void)state;
	pool_open(1, &a, &b);
	/* a holds the only buffer. */
	send_at(&a, ACK, 100, 10);
	assert_int_equal(cnt()->ooo_queued, 1);
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_seg(out(0), ACK, our_nxt(&b, 0), b.seq);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	assert_int_equal(cnt()->ooo_queued, 1);
	/* In order needs no buffer; the retransmission completes it. */
	send_at(&b, ACK, 0, 100);
	assert_int_equal(app.rx_len, 100);
	send_at(&b, ACK, 100, 10);
	assert_int_equal(app.rx_len, 110);
	assert_memory_equal(app.rx, pat, 110);
	/* a's gap fills and its buffer goes back to the pool. */
	send_at(&a, ACK, 0, 100);
	assert_int_equal(app.rx_len, 220);
	assert_memory_equal(app.rx + 110, pat, 110);
	send_at(&b, ACK, 300, 10);
	assert_int_equal(cnt()->ooo_queued, 2);
}

/*
 * RFC 2018 8: a receiver may discard out-of-order data it has SACKed
 * (renege). The only receive buffer, held a second by a (a byte past a
 * gap never filled), goes to b's out-of-order data: a's ranges are
 * forgotten (counted), its ACKs name them no more, and a completes once
 * its peer resends.
 */
static void
test_pool_reclaim_stale(void **state)
{
	struct peer a, b;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	assert_block(out(0), 0, a.seq + 100, a.seq + 110);
	now += 1000 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_seg(out(0), ACK, our_nxt(&b, 0), b.seq);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
	assert_int_equal(cnt()->ooo_drop_mem, 0);
	assert_int_equal(cnt()->ooo_reneged, 1);
	assert_int_equal(cnt()->ooo_queued, 2);
	/* a's next ACK names nothing: the bytes are gone. */
	assert_int_equal(send_at(&a, ACK, 300, 10), 1);
	assert_seg(out(0), ACK, our_nxt(&a, 0), a.seq);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	/* a's peer resends the gap and the bytes reneged: all arrive. */
	send_at(&a, ACK, 0, 100);
	assert_int_equal(app.rx_len, 100);
	send_at(&a, ACK, 100, 10);
	assert_int_equal(app.rx_len, 110);
	assert_memory_equal(app.rx, pat, 110);
	/* And b's bytes kept are delivered when its gap fills. */
	send_at(&b, ACK, 0, 100);
	assert_int_equal(app.rx_len, 220);
	assert_memory_equal(app.rx + 110, pat, 110);
	assert_int_equal(cnt()->ooo_reneged, 1);
}

/*
 * A gap younger than the floor (a second) may yet be filled by the
 * peer's retransmission: its holder keeps the buffer and the newcomer's
 * segment is dropped, as before.
 */
static void
test_pool_reclaim_fresh_kept(void **state)
{
	struct peer a, b;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	now += 999 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	assert_int_equal(cnt()->ooo_reneged, 0);
	send_at(&a, ACK, 200, 10);
	assert_block(out(0), 1, a.seq + 100, a.seq + 110);
	/* The gap closed (a later one open) makes the holder young again. */
	now += 999 * MS;
	send_at(&a, ACK, 0, 100);
	assert_int_equal(app.rx_len, 110);
	now += 999 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_int_equal(cnt()->ooo_drop_mem, 2);
	assert_int_equal(cnt()->ooo_reneged, 0);
	/* A second with its gap open: now it goes. */
	now += 1 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
	assert_int_equal(cnt()->ooo_reneged, 1);
}

/*
 * Bytes in order the application has not taken are acknowledged: they
 * are never discarded, however old, and the buffer holding them stays.
 */
static void
test_pool_reclaim_unread_kept(void **state)
{
	struct peer a, b;

	(void)state;
	pool_open(1, &a, &b);
	/* Queued while it held only the range, then bytes in order came. */
	send_at(&a, ACK, 200, 10);
	app.take_none = true;
	send_at(&a, ACK, 0, 100);
	app.take_none = false;
	assert_int_equal(tcp_read_pending(a.conn), 100);
	now += 10000 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	assert_int_equal(cnt()->ooo_reneged, 0);
	/*
	 * Once read, a's buffer holds only the out-of-order range: a
	 * second from then it may go.
	 */
	tcp_read_resume(ctx, a.conn, now);
	assert_int_equal(app.rx_len, 100);
	now += 999 * MS;
	send_at(&b, ACK, 100, 10);
	assert_int_equal(cnt()->ooo_reneged, 0);
	now += 1 * MS;
	send_at(&b, ACK, 100, 10);
	assert_int_equal(cnt()->ooo_reneged, 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
}

/*
 * The holder noted may be gone: freed (its buffer back in the pool) and
 * its slot and buffer taken by a newer connection whose gap is fresh.
 * The newcomer is not taken for the old holder.
 */
static void
test_pool_reclaim_holder_gone(void **state)
{
	struct peer a, b, d;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	tcp_abort(ctx, a.conn, now);
	now += 5000 * MS;
	open_peer(&d, 40002, true);
	assert_ptr_equal(d.conn, a.conn);
	send_at(&d, ACK, 100, 10);
	assert_block(out(0), 0, d.seq + 100, d.seq + 110);
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_reneged, 0);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	now += 1000 * MS;
	send_at(&b, ACK, 100, 10);
	assert_int_equal(cnt()->ooo_reneged, 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
}

/*
 * An entry keeps its place in the queue when its buffer changes hands
 * (freed, then taken by a newer connection whose gap is fresh): it goes
 * to the back when it reaches the front, and the buffer stalled longest
 * behind it is the one reclaimed.
 */
static void
test_pool_reclaim_oldest_behind_fresh(void **state)
{
	struct peer a, b, d, e;

	(void)state;
	pool_open(2, &a, &b);
	open_peer(&e, 40003, true);
	send_at(&a, ACK, 100, 10);
	now += 100 * MS;
	send_at(&e, ACK, 100, 10);
	tcp_abort(ctx, a.conn, now);
	now += 900 * MS;
	open_peer(&d, 40002, true);
	send_at(&d, ACK, 100, 10);
	now += 150 * MS;
	/* d's gap is 150 ms old, e's 1.05 s: e's buffer goes. */
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
	assert_int_equal(cnt()->ooo_reneged, 1);
	send_at(&d, ACK, 200, 10);
	assert_block(out(0), 1, d.seq + 100, d.seq + 110);
	send_at(&e, ACK, 200, 10);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
}

/*
 * An entry whose buffer now holds another connection's bytes in order
 * names, after the buffer went back, no holder: it is passed over, not
 * taken for whichever connection the cleared note points at.
 */
static void
test_pool_reclaim_entry_reused(void **state)
{
	struct peer a, b, d, e;

	(void)state;
	pool_open(2, &a, &b);
	open_peer(&d, 40002, true);
	open_peer(&e, 40003, true);
	send_at(&b, ACK, 100, 10);
	tcp_abort(ctx, b.conn, now);
	app.take_none = true;
	send_at(&d, ACK, 0, 100);
	app.take_none = false;
	assert_int_equal(tcp_read_pending(d.conn), 100);
	now += 5000 * MS;
	send_at(&a, ACK, 100, 10);
	assert_int_equal(send_at(&e, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_reneged, 0);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	send_at(&a, ACK, 200, 10);
	assert_block(out(0), 1, a.seq + 100, a.seq + 110);
}

/*
 * Bytes in order the application leaves unread need a buffer too: one
 * held by a stalled gap is reclaimed for them, and they are acknowledged
 * rather than left for the peer to resend.
 */
static void
test_pool_reclaim_for_unread(void **state)
{
	struct peer a, b;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	now += 1000 * MS;
	app.take_none = true;
	send_at(&b, ACK, 0, 100);
	app.take_none = false;
	assert_int_equal(tcp_read_pending(b.conn), 100);
	/* Acknowledged (the delayed ACK), not left for a resend. */
	timers_at(now + 200 * MS);
	assert_seg(out(outq()->n - 1), ACK, our_nxt(&b, 0), b.seq + 100);
	assert_int_equal(cnt()->rcvbuf_exhausted, 0);
	assert_int_equal(cnt()->ooo_reneged, 1);
	tcp_read_resume(ctx, b.conn, now);
	assert_int_equal(app.rx_len, 100);
	assert_memory_equal(app.rx, pat, 100);
}

/*
 * Holders old enough that keep bytes in order unread cannot give their
 * buffers up: the request passes over them to the stalled holder behind
 * and starts their age again, so the next request, a moment later, does
 * not look at them again and finds nothing to take.
 */
static void
test_pool_reclaim_passes_unread(void **state)
{
	struct peer h[17], v, x, y;
	uint32_t i;

	(void)state;
	prm.max_rcv_buffers = 18;
	prm.max_connections = 20;
	restart();
	for (i = 0; i < 17; i++) {
		open_peer(&h[i], (uint16_t)(40000 + i), true);
		send_at(&h[i], ACK, 100, 10);
	}
	open_peer(&v, 40100, true);
	send_at(&v, ACK, 100, 10);
	app.take_none = true;
	for (i = 0; i < 17; i++)
		send_at(&h[i], ACK, 0, 50);
	app.take_none = false;
	now += 1000 * MS;
	open_peer(&x, 40200, true);
	assert_int_equal(send_at(&x, ACK, 100, 10), 1);
	assert_block(out(0), 0, x.seq + 100, x.seq + 110);
	assert_int_equal(cnt()->ooo_reneged, 1);
	send_at(&v, ACK, 200, 10);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
	now += 1 * MS;
	open_peer(&y, 40201, true);
	assert_int_equal(send_at(&y, ACK, 100, 10), 1);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	assert_int_equal(cnt()->ooo_drop_mem, 2);
	assert_int_equal(cnt()->ooo_reneged, 1);
	for (i = 0; i < 17; i++)
		assert_int_equal(tcp_read_pending(h[i].conn), 50);
}

/*
 * The buffer stalled longest is found however the others were queued:
 * a's gap moved (bytes in order arrived) before e's opened, so a is
 * older than e and goes first, although its first mark came earlier.
 */
static void
test_pool_reclaim_eligible_behind_young(void **state)
{
	struct peer a, b, e;
	uint64_t t0;

	(void)state;
	pool_open(2, &a, &b);
	open_peer(&e, 40003, true);
	t0 = now;
	send_at(&a, ACK, 100, 10);
	now = t0 + 100 * MS;
	send_at(&a, ACK, 0, 50);
	assert_int_equal(app.rx_len, 50);
	now = t0 + 500 * MS;
	send_at(&e, ACK, 100, 10);
	now = t0 + 1150 * MS;
	assert_int_equal(send_at(&b, ACK, 100, 10), 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
	assert_int_equal(cnt()->ooo_reneged, 1);
	/* e still holds its range; a's is gone. */
	send_at(&e, ACK, 200, 10);
	assert_block(out(0), 1, e.seq + 100, e.seq + 110);
	send_at(&a, ACK, 200, 10);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
}

/*
 * A peer moving RCV.NXT a byte at a time while the gap beyond stays
 * open does not keep its buffer: the age counts from when the gap
 * opened, whatever arrives before it.
 */
static void
test_pool_reclaim_trickle(void **state)
{
	struct peer a, b;
	uint32_t i;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	for (i = 0; i < 2; i++) {
		now += 900 * MS;
		send_at(&a, ACK, i, 1);
		assert_int_equal(app.rx_len, i + 1);
		send_at(&b, ACK, 100, 10);
	}
	assert_int_equal(cnt()->ooo_reneged, 1);
	assert_block(out(0), 0, b.seq + 100, b.seq + 110);
	send_at(&a, ACK, 200, 10);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
}

/*
 * A peer whose gaps are filled in time keeps its buffer, though a later
 * gap is always open: each gap closed starts the age again.
 */
static void
test_pool_reclaim_gaps_filled_kept(void **state)
{
	struct peer a, b;
	uint32_t i;

	(void)state;
	pool_open(1, &a, &b);
	send_at(&a, ACK, 100, 10);
	for (i = 0; i < 10; i++) {
		now += 900 * MS;
		send_at(&a, ACK, (i + 2) * 100, 10);
		send_at(&a, ACK, i * 100 + (i ? 10 : 0), 100 - (i ? 10 : 0));
		assert_int_equal(app.rx_len, (i + 1) * 100 + 10);
		send_at(&b, ACK, 100, 10);
	}
	assert_int_equal(cnt()->ooo_reneged, 0);
	assert_int_equal(cnt()->ooo_drop_mem, 10);
	send_at(&a, ACK, 1200, 10);
	assert_block(out(0), 1, a.seq + 1100, a.seq + 1110);
}

/*
 * A time earlier than the mark (an older caller's now) is no age, and a
 * buffer marked at it still queues behind the younger one (the list
 * stays in order: tcp_ctx_check() after each segment).
 */
static void
test_pool_reclaim_now_backwards(void **state)
{
	struct peer a, b, d;

	(void)state;
	pool_open(2, &a, &b);
	open_peer(&d, 40002, true);
	send_at(&a, ACK, 100, 10);
	now -= 1;
	send_at(&d, ACK, 100, 10);
	send_at(&b, ACK, 100, 10);
	assert_int_equal(cnt()->ooo_reneged, 0);
	assert_int_equal(cnt()->ooo_drop_mem, 1);
}

/*
 * A randomised model of the reclaim: MODEL_CONNS connections share a
 * pool of MODEL_BUFS receive buffers. Each step, drawn on a fixed seed,
 * opens a gap (10 bytes 1 to 6 blocks of 10 beyond RCV.NXT), sends
 * bytes in order (1 or 2 blocks, filling or trickling below a gap, the
 * reader taking them or leaving them unread), lets the reader take what
 * it left, ages the clock, or releases a connection (aborted, a new one
 * in its slot). Beside it a reference model keeps, per connection, the
 * blocks held beyond RCV.NXT, the bytes unread, whether it has a buffer
 * and when its gap began to stall: when the gap first opened or a gap
 * closed with another still open, or when a reclaim passed over it
 * (bytes unread, so not eligible: its age starts again, once per
 * renege age at most). When a connection needs a buffer and none is
 * free, the model takes it from the eligible connection (only
 * out-of-order data, stalled for the renege age, max(1 s, 4 x
 * rto_min), or more) stalled longest, and from no other; none eligible,
 * the segment is dropped (ooo_drop_mem, or rcvbuf_exhausted for bytes
 * in order left unread). After each step every connection's buffer,
 * unread bytes, ranges and age, the free buffers and the counters must
 * agree with the model.
 */
#define MODEL_CONNS 10
#define MODEL_BUFS 6
#define MODEL_STEPS 500
#define BLK 10

struct model_conn {
	struct peer p;
	uint32_t nxt;	 /* RCV.NXT, in blocks from the peer's first byte */
	uint32_t held;	 /* bit k: block nxt + k held (k >= 1) */
	uint32_t unread; /* bytes in order the reader left */
	bool buf;
	uint64_t since; /* when the gap began to stall */
	uint64_t order; /* ties of since: the order of the list */
};

struct model {
	struct model_conn m[MODEL_CONNS];
	uint32_t free;
	uint64_t order, renege;
	uint64_t reneged, drop_mem, exhausted, passed;
	uint16_t port;
};

static void
model_stall(struct model *md, struct model_conn *mc)
{
	mc->since = now;
	mc->order = ++md->order;
}

static bool
model_older(const struct model_conn *a, const struct model_conn *b)
{
	return a->since < b->since ||
		(a->since == b->since && a->order < b->order);
}

static bool
model_old(const struct model *md, const struct model_conn *mc)
{
	return mc->held != 0 && now - mc->since >= md->renege;
}

/* The reclaim as the model has it; false when nothing may go. */
static bool
model_reclaim(struct model *md)
{
	struct model_conn *v = NULL, *r;
	uint32_t i;

	for (i = 0; i < MODEL_CONNS; i++) {
		r = &md->m[i];
		if (model_old(md, r) && r->unread == 0 &&
		    (v == NULL || model_older(r, v)))
			v = r;
	}
	/* Passed over: old, unread bytes, ahead of the one taken. */
	for (;;) {
		r = NULL;
		for (i = 0; i < MODEL_CONNS; i++) {
			struct model_conn *u = &md->m[i];

			if (model_old(md, u) && u->unread != 0 &&
			    (v == NULL || model_older(u, v)) &&
			    (r == NULL || model_older(u, r)))
				r = u;
		}
		if (r == NULL)
			break;
		model_stall(md, r);
		md->passed++;
	}
	if (v == NULL)
		return false;
	v->held = 0;
	v->buf = false;
	md->reneged++;
	md->free++;
	return true;
}

static bool
model_get(struct model *md, struct model_conn *mc)
{
	if (mc->buf)
		return true;
	if (md->free == 0 && !model_reclaim(md))
		return false;
	md->free--;
	mc->buf = true;
	return true;
}

static void
model_idle(struct model *md, struct model_conn *mc)
{
	if (mc->buf && mc->unread == 0 && mc->held == 0) {
		mc->buf = false;
		md->free++;
	}
}

static void
model_open(struct model *md, struct model_conn *mc)
{
	memset(mc, 0, sizeof(*mc));
	open_peer(&mc->p, md->port++, true);
}

/* 10 bytes k blocks beyond RCV.NXT. */
static void
model_gap(struct model *md, struct model_conn *mc, uint32_t k)
{
	send_at(&mc->p, ACK, (mc->nxt + k) * BLK, BLK);
	if (mc->held & (1u << k))
		return;
	if (!model_get(md, mc)) {
		md->drop_mem++;
		return;
	}
	if (mc->held == 0)
		model_stall(md, mc);
	mc->held |= 1u << k;
}

/* n blocks in order; the reader takes them or not. */
static void
model_in_order(struct model *md, struct model_conn *mc, uint32_t n, bool read)
{
	uint32_t adv = n, closed;

	app.take_none = !read;
	send_at(&mc->p, ACK, mc->nxt * BLK, n * BLK);
	app.take_none = false;
	if (!read && !mc->buf && !model_get(md, mc)) {
		md->exhausted++;
		return;
	}
	/* Blocks held up to the new RCV.NXT (touching it included) join. */
	closed = mc->held & ((2u << n) - 1);
	while (mc->held & (1u << adv))
		adv++;
	mc->held = (uint32_t)((uint64_t)mc->held >> adv) & ~1u;
	mc->nxt += adv;
	if (!read)
		mc->unread += adv * BLK;
	else
		mc->unread = 0;
	if (closed && mc->held != 0)
		model_stall(md, mc);
	model_idle(md, mc);
}

static void
model_read(struct model *md, struct model_conn *mc)
{
	tcp_read_resume(ctx, mc->p.conn, now);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	mc->unread = 0;
	model_idle(md, mc);
}

static void
model_release(struct model *md, struct model_conn *mc)
{
	tcp_abort(ctx, mc->p.conn, now);
	if (mc->buf)
		md->free++;
	model_open(md, mc);
}

/* The context agrees with the model. */
static void
model_check(const struct model *md)
{
	const struct model_conn *mc;
	const struct tcp_ooo *o;
	uint32_t i, k, want, got, blk;

	for (i = 0; i < MODEL_CONNS; i++) {
		mc = &md->m[i];
		assert_int_equal(mc->p.conn->rb != TCP_NONE, mc->buf);
		assert_int_equal(tcp_read_pending(mc->p.conn), mc->unread);
		assert_int_equal(mc->p.conn->rcv_nxt,
				 mc->p.seq + mc->nxt * BLK);
		if (!mc->buf)
			continue;
		o = &ctx->ooo[mc->p.conn->rb];
		assert_int_equal(o->aged, mc->held != 0);
		if (mc->held != 0)
			assert_int_equal(o->since, mc->since);
		/* The ranges cover exactly the blocks held. */
		got = 0;
		for (k = 0; k < o->n; k++) {
			for (blk = o->r[k].start - mc->p.seq;
			     blk < o->r[k].end - mc->p.seq; blk += BLK)
				got |= 1u << (blk / BLK - mc->nxt);
		}
		want = mc->held;
		assert_int_equal(got, want);
	}
	assert_int_equal(ctx->rbp.nfree, md->free);
	assert_int_equal(cnt()->ooo_reneged, md->reneged);
	assert_int_equal(cnt()->ooo_drop_mem, md->drop_mem);
	assert_int_equal(cnt()->rcvbuf_exhausted, md->exhausted);
}

static void
model_run(uint32_t seed, uint32_t rto_min_ms)
{
	static struct model md;
	struct model_conn *mc;
	uint32_t step, r;

	memset(&md, 0, sizeof(md));
	rng_state = seed;
	prm.max_rcv_buffers = MODEL_BUFS;
	prm.max_connections = MODEL_CONNS;
	prm.rto_min_ms = rto_min_ms;
	restart();
	md.free = MODEL_BUFS;
	md.renege = 4000ull * rto_min_ms > 1000000 ? 4000ull * rto_min_ms :
						     1000000;
	md.port = 41000;
	for (step = 0; step < MODEL_CONNS; step++)
		model_open(&md, &md.m[step]);
	for (step = 0; step < MODEL_STEPS; step++) {
		mc = &md.m[rng() % MODEL_CONNS];
		r = rng() % 100;
		if (r < 40)
			model_gap(&md, mc, 1 + rng() % 6);
		else if (r < 65)
			model_in_order(&md, mc, 1 + rng() % 2, rng() % 4 != 0);
		else if (r < 72)
			model_read(&md, mc);
		else if (r < 76)
			model_release(&md, mc);
		else
			now += (rng() % 700) * MS;
		model_check(&md);
	}
	/* Every path was taken. */
	assert_true(md.reneged > 0);
	assert_true(md.drop_mem > 0);
	assert_true(md.exhausted > 0);
	assert_true(md.passed > 0);
}

static void
test_pool_reclaim_model(void **state)
{
	(void)state;
	model_run(0x2545f491, 200);
	model_run(0x9e3779b9, 200);
	model_run(0x1234567, 400);
	model_run(0xdeadbeef, 50);
}

/*
 * tcp_ooo_check(), run after every step of these tests, catches a
 * broken list of buffers holding out-of-order data. Three on it, a, b
 * and d, oldest first a millisecond apart; each test breaks one thing
 * it checks, sees the check fail, and puts it right again.
 */
static struct tcp_ooo ooo_saved[3];
static struct tcp_ooo_age age_saved;

static void
age_list3(struct peer *a, struct peer *b, struct peer *d)
{
	pool_open(3, a, b);
	open_peer(d, 40002, true);
	send_at(a, ACK, 100, 10);
	now += MS;
	send_at(b, ACK, 100, 10);
	now += MS;
	send_at(d, ACK, 100, 10);
	assert_int_equal(ctx->rbp.count, 3);
	assert_int_equal(ctx->ooo_age.head, a->conn->rb);
	assert_int_equal(ctx->ooo[a->conn->rb].next, b->conn->rb);
	assert_int_equal(ctx->ooo[b->conn->rb].next, d->conn->rb);
	assert_int_equal(ctx->ooo_age.tail, d->conn->rb);
	assert_int_equal(tcp_ooo_check(ctx), 0);
	memcpy(ooo_saved, ctx->ooo, sizeof(ooo_saved));
	age_saved = ctx->ooo_age;
}

/* The list as broken fails the check; as it was, it passes again. */
static void
assert_check_catches(void)
{
	assert_int_equal(tcp_ooo_check(ctx), -1);
	assert_int_equal(tcp_ctx_check(ctx), -1);
	memcpy(ctx->ooo, ooo_saved, sizeof(ooo_saved));
	ctx->ooo_age = age_saved;
	assert_int_equal(tcp_ooo_check(ctx), 0);
}

/* A back link naming the wrong neighbour: b's prev is d, not a. */
static void
test_check_wrong_prev(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[b.conn->rb].prev = d.conn->rb;
	assert_check_catches();
}

/* A forward link out of the pool: a's next is no buffer. */
static void
test_check_link_out_of_pool(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[a.conn->rb].next = ctx->rbp.count;
	assert_check_catches();
}

/* A forward link skipping b (d's back link still names b). */
static void
test_check_next_skips(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[a.conn->rb].next = d.conn->rb;
	assert_check_catches();
}

/* The tail naming b, not the last entry d. */
static void
test_check_wrong_tail(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo_age.tail = b.conn->rb;
	assert_check_catches();
}

/* An entry on the list not marked as on it. */
static void
test_check_not_marked(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[b.conn->rb].aged = false;
	assert_check_catches();
}

/* Order: b younger than d, behind it. */
static void
test_check_order(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[b.conn->rb].since = ctx->ooo[d.conn->rb].since + 1;
	assert_check_catches();
}

/* Holders: none such (past the table), or one whose buffer is another. */
static void
test_check_wrong_holder(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[b.conn->rb].conn = prm.max_connections;
	assert_check_catches();
	ctx->ooo[b.conn->rb].conn = d.conn->idx;
	assert_check_catches();
}

/*
 * An entry whose buffer holds no out-of-order data any more; and the
 * same with d, which holds some, left off the list, so that the count
 * agrees.
 */
static void
test_check_holds_nothing(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[b.conn->rb].n = 0;
	assert_check_catches();
	ctx->ooo[b.conn->rb].n = 0;
	ctx->ooo[b.conn->rb].next = TCP_NONE;
	ctx->ooo[d.conn->rb].aged = false;
	ctx->ooo_age.tail = b.conn->rb;
	assert_check_catches();
}

/*
 * A missing entry: b unlinked, the links around it consistent, its
 * buffer still holding out-of-order data; and the list emptied while
 * all three do.
 */
static void
test_check_missing_entry(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	ctx->ooo[a.conn->rb].next = d.conn->rb;
	ctx->ooo[d.conn->rb].prev = a.conn->rb;
	ctx->ooo[b.conn->rb].aged = false;
	assert_check_catches();
	ctx->ooo_age.head = ctx->ooo_age.tail = TCP_NONE;
	assert_check_catches();
}

/*
 * A count mismatch the other way: an entry whose holder is no
 * connection in use, the links and its buffer otherwise right.
 */
static void
test_check_holder_unused(void **state)
{
	struct peer a, b, d;

	(void)state;
	age_list3(&a, &b, &d);
	a.conn->flags &= ~TCP_CF_USED;
	assert_int_equal(tcp_ooo_check(ctx), -1);
	a.conn->flags |= TCP_CF_USED;
	assert_int_equal(tcp_ooo_check(ctx), 0);
}

/*
 * Bounds: a fifth disjoint range does not fit the list: dropped
 * (counted), duplicate ACK still sent; all arrives right in the end.
 */
static void
test_too_many_ranges(void **state)
{
	struct peer p;
	uint32_t s = PEER_ISN + 1, i;

	(void)state;
	open_sack_only(&p, 40001);
	for (i = 1; i <= 5; i++)
		assert_int_equal(send_at(&p, ACK, i * 100, 10), 1);
	assert_int_equal(cnt()->ooo_queued, 4);
	assert_int_equal(cnt()->ooo_drop_ranges, 1);
	assert_int_equal(cnt()->dup_ack_sent, 5);
	assert_int_equal(out(0)->opts.nsack, 4);
	assert_block(out(0), 0, s + 400, s + 410);
	/* Adjacent to a held range it still fits. */
	assert_int_equal(send_at(&p, ACK, 410, 10), 1);
	assert_block(out(0), 0, s + 400, s + 420);
	for (i = 0; i < 6; i++)
		send_at(&p, ACK, i * 100, 100);
	assert_int_equal(app.rx_len, 600);
	assert_memory_equal(app.rx, pat, 600);
	assert_int_equal(tcp_read_pending(p.conn), 0);
}

/*
 * RFC 9293 3.10.7.4 seventh: out-of-order text beyond RCV.NXT + RCV.WND
 * is trimmed; a segment wholly beyond is unacceptable (first step). Held
 * bytes, in order or not, never exceed the window.
 */
static void
test_window_bound(void **state)
{
	struct peer p;
	uint32_t s = PEER_ISN + 1;

	(void)state;
	prm.rcv_wnd = 4000;
	prm.wscale = 0;
	restart();
	app.take_none = true;
	open_peer(&p, 40000, true);
	/* 1000 bytes held unread: 3000 left in the window. */
	send_at(&p, ACK, 0, 1000);
	timers_at(now + 40 * MS);
	assert_seg(out(0), ACK, our_nxt(&p, 0), s + 1000);
	assert_int_equal(out(0)->wnd, 3000);
	/* Beyond RCV.NXT + RCV.WND: trimmed. */
	assert_int_equal(send_at(&p, ACK, 3500, 1000), 1);
	assert_int_equal(cnt()->window_drop, 500);
	assert_block(out(0), 0, s + 3500, s + 4000);
	/* Wholly beyond: not acceptable. */
	assert_int_equal(send_at(&p, ACK, 4000, 100), 1);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	assert_block(out(0), 0, s + 3500, s + 4000);
	/* Fill the gap: the window is used up, never exceeded. */
	send_at(&p, ACK, 1000, 2500);
	assert_seg(out(0), ACK, our_nxt(&p, 0), s + 4000);
	assert_int_equal(out(0)->wnd, 0);
	assert_int_equal(tcp_read_pending(p.conn), 4000);
	app.take_none = false;
	tcp_read_resume(ctx, p.conn, now);
	assert_int_equal(app.rx_len, 4000);
	assert_memory_equal(app.rx, pat, 4000);
}

/* The right edge of the window an ACK advertises, window scale 7. */
static uint32_t
edge7(const struct tcp_out *o)
{
	return o->ack + ((uint32_t)o->wnd << 7);
}

/*
 * Check the ACKs queued: the edge never moves left by a scale unit or
 * more, and never past the receive buffer's end (limit). Returns the
 * last edge; *wnd is the last window field.
 */
static uint32_t
edges_kept(uint32_t edge, uint32_t limit, uint16_t *wnd)
{
	uint32_t i;

	for (i = 0; i < outq()->n; i++) {
		const struct tcp_out *o = &outq()->seg[i];

		if (!(o->flags & ACK))
			continue;
		assert_false(net_seq_lt(edge7(o) + 127, edge));
		assert_false(net_seq_gt(edge7(o), limit));
		edge = edge7(o);
		*wnd = o->wnd;
	}
	return edge;
}

/*
 * RFC 9293 3.8.6.2.2: a receiver SHOULD NOT move the right window edge
 * to the left; RFC 7323 2.4 and Appendix F: with a scale factor, the
 * window rounded down to the unit can retract it by less than a unit.
 * Rounding up instead would promise space the buffer does not have and,
 * repeated ACK after ACK, keep the window from ever closing. So the
 * edge steps back by less than one unit (128 bytes here), never lies
 * past the buffer's end, and the window closes to zero once the
 * buffer is full, the application reading nothing.
 */
static void
test_window_edge_scaled(void **state)
{
	struct peer p;
	struct net_seg s;
	uint32_t edge, off, limit;
	uint16_t wnd = 1;

	(void)state;
	prm.rcv_wnd = 20000;
	prm.wscale = 7;
	restart();
	app.take_none = true;
	open_peer(&p, 40000, true);
	edge = p.seq + prm.rcv_wnd;
	limit = p.seq + prm.rcv_wnd;
	for (off = 0; off + 100 <= prm.rcv_wnd; off += 100) {
		s = mkseg(&p, ACK, p.seq + off, our_nxt(&p, 0),
			  pat + off % 4096, 100);
		s.opts.tsval = ++p.tsval;
		input(&s);
		edge = edges_kept(edge, limit, &wnd);
		timers_at(now + 40 * MS);
		edge = edges_kept(edge, limit, &wnd);
	}
	assert_int_equal(tcp_read_pending(p.conn), prm.rcv_wnd);
	assert_int_equal(wnd, 0);
}

/*
 * RFC 2018 4 with the peer's MSS: a full-sized data segment has no room
 * for SACK blocks; a shorter one carries those that fit.
 */
static void
test_sack_beside_payload(void **state)
{
	static uint8_t big[1448];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	send_at(&p, ACK, 5000, 10);
	assert_int_equal(out(0)->opts.nsack, 1);
	/* Full-sized: 1460 - 12 bytes of timestamps, nothing left. */
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, big, 1448, now), 1448);
	assert_int_equal(note_ts(), 1);
	assert_int_equal(out(0)->len, 1448);
	assert_false(out(0)->opts.has & NET_OPT_SACK);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, big, 100, now), 100);
	assert_int_equal(note_ts(), 1);
	assert_int_equal(out(0)->len, 100);
	assert_int_equal(out(0)->opts.nsack, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reordered_delivered_once),
		T(test_sack_most_recent_first),
		T(test_sack_four_without_timestamps),
		T(test_no_sack_without_permission),
		T(test_dsack),
		T(test_fin_ahead_of_gap),
		T(test_bare_fin_ahead_of_gap),
		T(test_fin_beyond_gap_at_edge),
		T(test_fin_beyond_gap_room_made),
		T(test_fin_beyond_gap_past_max_window),
		T(test_pool_exhausted),
		T(test_pool_reclaim_stale),
		T(test_pool_reclaim_fresh_kept),
		T(test_pool_reclaim_unread_kept),
		T(test_pool_reclaim_holder_gone),
		T(test_pool_reclaim_oldest_behind_fresh),
		T(test_pool_reclaim_entry_reused),
		T(test_pool_reclaim_for_unread),
		T(test_pool_reclaim_passes_unread),
		T(test_pool_reclaim_eligible_behind_young),
		T(test_pool_reclaim_trickle),
		T(test_pool_reclaim_gaps_filled_kept),
		T(test_pool_reclaim_now_backwards),
		T(test_pool_reclaim_model),
		T(test_check_wrong_prev),
		T(test_check_link_out_of_pool),
		T(test_check_next_skips),
		T(test_check_wrong_tail),
		T(test_check_not_marked),
		T(test_check_order),
		T(test_check_wrong_holder),
		T(test_check_holds_nothing),
		T(test_check_missing_entry),
		T(test_check_holder_unused),
		T(test_too_many_ranges),
		T(test_window_bound),
		T(test_window_edge_scaled),
		T(test_sack_beside_payload),
	};

	pat_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
