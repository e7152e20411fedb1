/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The application API: send, close, abort. Called from the application
 * callbacks; transmission is then deferred until the callback returns so
 * that segments carry the acknowledgement of the data just taken.
 */
#include "tcp_internal.h"

/* RFC 9293 3.10.2 SEND: ESTABLISHED and CLOSE-WAIT, until CLOSE. */
static bool
send_open(const struct tcp_conn *conn)
{
	return (conn->flags & TCP_CF_USED) &&
		!(conn->flags & TCP_CF_FIN_QUEUED) &&
		(conn->state == TCP_ESTABLISHED ||
		 conn->state == TCP_CLOSE_WAIT);
}

static void
kick(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (c->cb_depth > 0) {
		conn->flags |= TCP_CF_NEED_OUTPUT;
		return;
	}
	tcp_output(c, conn, now, UINT32_MAX);
	tcp_conn_arm(c, conn);
}

uint32_t
tcp_send(struct tcp_ctx *c, struct tcp_conn *conn, const void *data,
	 uint32_t len, uint64_t now)
{
	uint32_t n;

	if (len == 0 || !send_open(conn) || !tcp_sb_get(c, conn))
		return 0;
	/*
	 * RFC 5681 4.1: the first data after nothing was in flight for
	 * longer than the RTO restarts cwnd (tcp_cc_idle()). Data queued
	 * before and released later (a window opening) is not restarted.
	 * A zero-window probe within an RTO of the last send counts as
	 * one (tcp_probe()). CUBIC's t skips a shorter pause where the
	 * data goes (tcp_output(), tcp_cc_pause()). A long one expires
	 * RACK.min_RTT (tcp_rack_idle()).
	 */
	if (conn->snd_una == conn->snd_max &&
	    now - conn->idle_start > conn->rto) {
		tcp_cc_idle(conn);
		tcp_rack_idle(conn, conn->idle_start, now);
	}
	n = tcp_sb_write(c, conn, data, len);
	if (n > 0)
		kick(c, conn, now);
	return n;
}

uint32_t
tcp_send_queued(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	(void)c;
	return conn->sb_len;
}

uint32_t
tcp_send_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	/* A connection still in its handshake will have the whole buffer. */
	if (!send_open(conn) &&
	    !((conn->flags & TCP_CF_USED) && conn->state == TCP_SYN_RECEIVED))
		return 0;
	if (conn->sb == TCP_NONE)
		return c->sbp.nfree > 0 ? c->p.snd_buf : 0;
	return c->p.snd_buf - conn->sb_len;
}

/*
 * RFC 9293 3.10.4 CLOSE: ESTABLISHED -> FIN-WAIT-1, CLOSE-WAIT ->
 * LAST-ACK; the FIN follows the queued data. Ignored in other states.
 */
void
tcp_close(struct tcp_ctx *c, struct tcp_conn *conn, bool read_open,
	  uint64_t now)
{
	if (!send_open(conn))
		return;
	conn->flags |= TCP_CF_FIN_QUEUED;
	if (!read_open)
		conn->flags |= TCP_CF_NO_READ;
	if (conn->state == TCP_ESTABLISHED)
		tcp_set_state(c, conn, TCP_FIN_WAIT_1);
	else
		tcp_set_state(c, conn, TCP_LAST_ACK);
	kick(c, conn, now);
}

void
tcp_note_idle_timeout(struct tcp_ctx *c)
{
	c->cnt.idle_timeout++;
}

void
tcp_note_close_unread_reset(struct tcp_ctx *c)
{
	c->cnt.close_unread_reset++;
}

void
tcp_note_http_owed_limit(struct tcp_ctx *c)
{
	c->cnt.http_owed_limit++;
}

void
tcp_note_http_head_wait(struct tcp_ctx *c)
{
	c->cnt.http_head_wait++;
}

void
tcp_note_http_head_too_long(struct tcp_ctx *c)
{
	c->cnt.http_head_too_long++;
}

void
tcp_note_http_bad_request(struct tcp_ctx *c)
{
	c->cnt.http_bad_request++;
}

void
tcp_note_http_version_unsupported(struct tcp_ctx *c)
{
	c->cnt.http_version_unsupported++;
}

void
tcp_note_http_head_timeout(struct tcp_ctx *c)
{
	c->cnt.http_head_timeout++;
}

void
tcp_read_bounded(struct tcp_conn *conn)
{
	if ((conn->flags & (TCP_CF_USED | TCP_CF_NO_READ)) == TCP_CF_USED)
		conn->flags |= TCP_CF_APP_IDLE;
}

/*
 * The full close after a half-close (RFC 9293 3.10.4 CLOSE in FIN-WAIT-1
 * or FIN-WAIT-2: "ok", with no second FIN): the application reads no
 * more, so new data draws a RST (RFC 1122 4.2.2.13), and FIN_WAIT_2 gets
 * its timeout from now, as a socket orphaned by close() in Linux.
 */
void
tcp_close_read(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (!(conn->flags & TCP_CF_USED) || !(conn->flags & TCP_CF_FIN_QUEUED))
		return;
	conn->flags |= TCP_CF_NO_READ;
	conn->flags &= ~TCP_CF_APP_IDLE;
	tcp_fin_wait2_arm(c, conn, now);
	if (conn->t_state != 0)
		tcp_conn_arm(c, conn);
}

/*
 * RFC 9293 3.10.5 ABORT: in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
 * FIN-WAIT-2 and CLOSE-WAIT send a reset <SEQ=SND.NXT><CTL=RST>; in
 * CLOSING and LAST-ACK (both FINs sent) just delete the connection.
 * Queued data is not sent.
 */
void
tcp_abort(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (!(conn->flags & TCP_CF_USED))
		return;
	if (conn->state != TCP_CLOSING && conn->state != TCP_LAST_ACK)
		tcp_send_rst_conn(c, conn, now);
	tcp_conn_free(c, conn);
}

void
tcp_read_resume(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (!(conn->flags & TCP_CF_USED))
		return;
	conn->flags |= TCP_CF_READ_RESUME;
	if (c->cb_depth > 0)
		return;
	if (tcp_after_callback(c, conn, now))
		tcp_conn_arm(c, conn);
}
