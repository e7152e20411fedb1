/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm's TCP: per-core context, connection pool, TIME_WAIT records and
 * the termination state machine (RFC 9293, with RFC 5961, 1337, 6191,
 * 6298, 6528 and 7323).
 *
 * Pure C, no DPDK header. The caller passes parsed segments and the time
 * (microseconds, any epoch, monotonic); the state machine appends the
 * segments to send to the context's output queue, which the caller must
 * drain (build and transmit, or discard) before the next call into this
 * module. One context per worker core; nothing here is shared or locked.
 */
#ifndef TT_TCP_H
#define TT_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "wheel.h"

/* States, declared once: the enum and tcp_state_name(). */
#define TCP_STATES(X) \
	X(CLOSED) \
	X(LISTEN) \
	X(SYN_SENT) \
	X(SYN_RECEIVED) \
	X(ESTABLISHED) \
	X(FIN_WAIT_1) \
	X(FIN_WAIT_2) \
	X(CLOSING) \
	X(TIME_WAIT) \
	X(CLOSE_WAIT) \
	X(LAST_ACK)

/* clang-format off */
enum tcp_state {
#define TCP_STATE_ENUM(n) TCP_##n,
	TCP_STATES(TCP_STATE_ENUM)
#undef TCP_STATE_ENUM
	TCP_STATE_MAX
};
/* clang-format on */

/*
 * Counters, declared once with their kind and meaning: struct
 * tcp_counters fields, tcp_counter_name(), tcp_counter_kind() and
 * tcp_counter_desc(). Totals, the stats line, telemetry and metrics are
 * derived from the kind, never from the name. Every drop has a counter.
 * DROP: a segment received or to be sent was discarded (or a timer was
 * lost); EVENT: something happened; GAUGE: a current amount.
 */
/* clang-format off */
#define TCP_COUNTERS(X) \
	X(seg_in, EVENT, "segments received") \
	X(seg_out, EVENT, "segments queued for sending") \
	X(bytes_in, EVENT, "payload bytes received in order") \
	X(bytes_out, EVENT, "payload bytes sent (retransmissions included)") \
	X(conn_opened, EVENT, "connections that reached ESTABLISHED") \
	X(conn_closed, EVENT, "established connections freed") \
	X(conn_limit_drop, DROP, "SYNs dropped: connection pool empty") \
	X(syn_recv_budget_drop, DROP, "SYNs dropped: SYN_RECEIVED budget " \
	  "full, cookies off") \
	X(syncookies_sent, EVENT, "SYN-ACKs with a SYN cookie") \
	X(syncookies_ok, EVENT, "ACKs with a valid SYN cookie") \
	X(syncookies_failed, DROP, "ACKs with an invalid or stale cookie") \
	X(syn_recv_timeout, EVENT, "half-open connections timed out") \
	X(rst_sent, EVENT, "RSTs sent") \
	X(rst_rx, EVENT, "RSTs accepted") \
	X(rst_rx_ignored, EVENT, "RSTs ignored in TIME_WAIT (RFC 1337)") \
	X(challenge_ack, EVENT, "challenge ACKs sent (RFC 5961)") \
	X(challenge_ack_limited, EVENT, "challenge ACKs not sent: limit") \
	X(retransmit, EVENT, "segments retransmitted") \
	X(retransmit_abort, EVENT, "connections aborted: retransmissions") \
	X(rto, EVENT, "retransmission timeouts (RFC 6298 5.4)") \
	X(fast_recovery, EVENT, "fast recoveries entered (RFC 6675/6582)") \
	X(dupack_excess, EVENT, "duplicate ACKs in fast recovery without " \
	  "SACK beyond the bytes sent that could draw them (an SMSS " \
	  "each): cwnd not inflated (RFC 5681 3.2)") \
	X(tlp_probe, EVENT, "tail loss probes sent (RFC 8985)") \
	X(tlp_loss_repaired, EVENT, \
	  "losses a resent tail loss probe repaired (RFC 8985 7.4.2)") \
	X(rack_lost, EVENT, "segments resent as RACK deemed them lost " \
	  "(RFC 8985 6.2)") \
	X(rack_log_folded, EVENT, "RACK transmission log full: two " \
	  "oldest ranges joined") \
	X(rack_reorder_timer, EVENT, "RACK reordering timer expiries " \
	  "(RFC 8985 6.3)") \
	X(dsack_rx, EVENT, "D-SACK blocks received (RFC 2883)") \
	X(sack_scoreboard_full, EVENT, "peer SACK blocks not kept: " \
	  "scoreboard full") \
	X(sack_reneged, EVENT, "SACK scoreboards forgotten: the peer " \
	  "no longer held data it had SACKed (RFC 2018 8)") \
	X(wscale_clamped, EVENT, "window scale shifts above 14 taken as " \
	  "14 (RFC 7323 2.3)") \
	X(fin_wait2_timeout, EVENT, "FIN_WAIT_2 timeouts") \
	X(idle_timeout, EVENT, "idle timeouts") \
	X(delayed_ack, EVENT, "delayed ACKs sent") \
	X(dup_ack_sent, EVENT, "duplicate ACKs sent") \
	X(ooo_queued, EVENT, "out-of-order segments kept") \
	X(ooo_merged, EVENT, "out-of-order ranges joined to RCV.NXT") \
	X(ooo_drop_mem, DROP, "out-of-order segments dropped: receive " \
	  "buffer pool empty, no gap open long enough to reclaim one") \
	X(ooo_drop_ranges, DROP, "out-of-order segments dropped: range " \
	  "list full") \
	X(ooo_reneged, EVENT, "receive buffers taken back from connections " \
	  "holding only out-of-order data, stalled (RFC 2018 8 reneging)") \
	X(dsack_sent, EVENT, "D-SACK blocks sent (RFC 2883)") \
	X(window_drop, DROP, "bytes beyond the receive window dropped") \
	X(zero_window_probe, EVENT, "zero window probes sent") \
	X(persist_abort, EVENT, "connections aborted: window never opened") \
	X(persist_closed_abort, EVENT, "connections aborted: window held " \
	  "shut for max_retries probes after the application closed") \
	X(send_timeout, EVENT, "connections aborted: data queued to send " \
	  "not all acknowledged within send_timeout_ms") \
	X(sws_override, EVENT, "segments short of an MSS sent when the " \
	  "SWS override timeout expired (RFC 9293 3.8.6.2.1)") \
	X(drop_fin_ooo, DROP, "FINs ahead of a gap not kept: no buffer, " \
	  "or before bytes held") \
	X(tw_created, EVENT, "TIME_WAIT records created") \
	X(tw_expired, EVENT, "TIME_WAIT records expired") \
	X(tw_reack, EVENT, "FIN retransmissions re-acknowledged in " \
	  "TIME_WAIT") \
	X(tw_reused, EVENT, "TIME_WAIT tuples reopened by a SYN") \
	X(tw_returned, EVENT, "reopened TIME_WAIT tuples back in TIME_WAIT: " \
	  "the new connection ended before the handshake (RFC 1122 4.2.2.13)") \
	X(tw_overflow_recycled, EVENT, "TIME_WAIT records recycled early") \
	X(tw_overflow_refused, EVENT, "TIME_WAIT records not kept: full") \
	X(tw_requeued, EVENT, "restarted TIME_WAIT records requeued") \
	X(tw_reply_limited, EVENT, "TIME_WAIT replies not sent: rate limit") \
	X(invalid_reply_limited, EVENT, "replies to invalid segments not " \
	  "sent: rate limit") \
	X(drop_no_listener, DROP, "segments for no connection or listener") \
	X(drop_family, DROP, "IPv6 segments to a context without IPv6") \
	X(flow_key_clash, DROP, "segments whose flow key matched another " \
	  "tuple's entry (IPv6 key fold, 2^-64 per pair)") \
	X(drop_bad_ack, DROP, "segments acknowledging unsent data") \
	X(drop_old_ack, DROP, "segments with an ACK too old") \
	X(drop_out_of_window, DROP, "segments outside the receive window") \
	X(drop_paws, DROP, "segments failing PAWS (RFC 7323)") \
	X(drop_ts_missing, DROP, \
	  "segments without the timestamps negotiated (RFC 7323 3.2)") \
	X(drop_no_ack_flag, DROP, "segments without ACK") \
	X(drop_syn_fin, DROP, "SYN+FIN segments without ACK to a listener") \
	X(drop_syn_rst, DROP, "SYN+RST segments") \
	X(drop_syn_recv_syn, DROP, "SYNs in SYN_RECEIVED that reset it") \
	X(drop_tw_syn, DROP, "SYNs in TIME_WAIT failing RFC 6191's tests") \
	X(drop_null_flags, DROP, "segments without SYN, ACK or RST") \
	X(drop_rst_unknown, DROP, "RSTs for no connection") \
	X(drop_listen_ack, DROP, "ACKs to a listener (answered by RST)") \
	X(drop_after_close, DROP, "data after the application closed") \
	X(close_unread_reset, EVENT, "connections reset (RST) as the " \
	  "application closed them with received bytes it never read " \
	  "(RFC 1122 4.2.2.13)") \
	X(sndbuf_exhausted, EVENT, "send buffer pool empty") \
	X(sndbuf_wait, EVENT, "connections queued to wait for a send " \
	  "buffer: the pool was empty") \
	X(sndbuf_woken, EVENT, "waiting connections told (on_sent) that " \
	  "a send buffer is free") \
	X(sndbuf_window_wait, EVENT, "connections queued to reopen a " \
	  "window shut for want of a send buffer") \
	X(sndbuf_window_woken, EVENT, "windows shut for want of a send " \
	  "buffer reopened with one taken for them") \
	X(sndbuf_window_lapsed, EVENT, "send buffers taken to reopen a " \
	  "window given back: no data came into it") \
	X(rcvbuf_exhausted, DROP, "receive buffer pool empty") \
	X(rcvbuf_bytes, GAUGE, "bytes held in receive buffers") \
	X(wheel_full, DROP, "timers lost: wheel full after compaction") \
	X(wheel_compact, EVENT, "full timer wheel compactions (last resort)") \
	X(wheel_stale_dropped, EVENT, "stale timer entries compacted") \
	X(wheel_compact_passes, EVENT, "incremental wheel compaction passes") \
	X(wheel_compact_checked, EVENT, "timer entries examined by " \
	  "compaction") \
	X(timer_deferred, EVENT, "timer expiries put off: output queue " \
	  "full") \
	X(timer_deadline, EVENT, "timer polls cut short by their time " \
	  "bound") \
	X(table_full, DROP, "SYNs dropped: flow table full") \
	X(source_limit_drop, DROP, "SYNs dropped: source at its " \
	  "connection limit") \
	X(source_limit_reset, EVENT, "handshakes reset: source at its " \
	  "connection limit") \
	X(table_probe_limit, DROP, "SYNs dropped: flow table probe bound") \
	X(outq_full, DROP, "segments not sent: output queue full") \
	X(output_deferred, EVENT, "data or FIN sends put off: output " \
	  "queue full (sent later)") \
	X(drain_refused, EVENT, "segments to a listener refused (RST): " \
	  "draining") \
	X(drain_reset, EVENT, "connections reset at the drain timeout") \
	X(http_owed_limit, EVENT, "http input held back: 256 responses " \
	  "owed (counted per offer; the window closes)") \
	X(http_head_wait, EVENT, "http input held back: a HEAD's response " \
	  "not queued yet (counted per offer)") \
	X(http_head_too_long, EVENT, "http request heads over the bound: " \
	  "answered 431, closed") \
	X(http_bad_request, EVENT, "http requests with an invalid head " \
	  "or Content-Length (answered 400) or a Transfer-Encoding (501), " \
	  "closed") \
	X(http_version_unsupported, EVENT, "http requests of a major " \
	  "version other than 1 (answered 505), closed") \
	X(http_head_timeout, EVENT, "http connections closed (FIN) for " \
	  "want of a complete request head, or of the request body after " \
	  "it, within head_timeout_ms") \
	X(pmtu_lowered, EVENT, "send MSS lowered by an ICMP fragmentation " \
	  "needed / Packet Too Big (RFC 1191, RFC 8201)") \
	X(pmtu_floor, EVENT, "IPv4 path MTUs below the floor of 552 " \
	  "acted on as the floor") \
	X(pmtu_df_cleared, EVENT, "connections whose IPv4 segments go " \
	  "without DF, for routers to fragment: a path MTU below 552") \
	X(pmtu_resend_held, EVENT, "send MSS lowered without resending " \
	  "the flight: it was resent for path MTU three times already " \
	  "(the cap a flight)") \
	X(pmtu_no_conn_drop, DROP, "ICMP too-big messages quoting no " \
	  "connection of ours") \
	X(pmtu_state_drop, DROP, "ICMP too-big messages for a connection " \
	  "in the handshake or TIME_WAIT") \
	X(pmtu_seq_drop, DROP, "ICMP too-big messages quoting a sequence " \
	  "number not in flight (RFC 5927 5.2)") \
	X(pmtu_not_lower_drop, DROP, "ICMP too-big messages that would not " \
	  "lower the send MSS") \
	X(pmtu_v6_below_min_drop, DROP, "ICMPv6 Packet Too Big messages " \
	  "reporting an MTU below 1280 (RFC 8201 4)")
/* clang-format on */

enum tcp_counter_kind {
	TCP_COUNTER_DROP,
	TCP_COUNTER_EVENT,
	TCP_COUNTER_GAUGE,
};

struct tcp_counters {
#define TCP_COUNTER_FIELD(n, kind, desc) uint64_t n;
	TCP_COUNTERS(TCP_COUNTER_FIELD)
#undef TCP_COUNTER_FIELD
};

#define TCP_COUNTER_COUNT (sizeof(struct tcp_counters) / sizeof(uint64_t))

const char *tcp_state_name(enum tcp_state s);
/* Name of counter i (0 <= i < TCP_COUNTER_COUNT), in declaration order. */
const char *tcp_counter_name(unsigned int i);
/* Its kind and one-line description (TCP_COUNTER_EVENT / NULL past it). */
enum tcp_counter_kind tcp_counter_kind(unsigned int i);
const char *tcp_counter_desc(unsigned int i);

/*
 * Address family of a connection, a listed entry or a segment to send;
 * for a listener, the family it answers (TCP_FAMILY_BOTH: either).
 */
enum tcp_family {
	TCP_FAMILY_BOTH = 0,
	TCP_FAMILY_IPV4 = 4,
	TCP_FAMILY_IPV6 = 6,
};

enum tcp_tw_reuse {
	TCP_TW_REUSE_OFF = 0,
	TCP_TW_REUSE_SEQ,
	TCP_TW_REUSE_TIMESTAMPS,
};

enum tcp_syncookies {
	TCP_SYNCOOKIES_AUTO = 0, /* when SYN_RECEIVED is at its budget */
	TCP_SYNCOOKIES_ALWAYS,	 /* every SYN */
	TCP_SYNCOOKIES_OFF,	 /* over budget: drop */
};

enum tcp_congestion {
	TCP_CC_CUBIC = 0, /* RFC 9438 */
	TCP_CC_NEWRENO,	  /* RFC 5681, RFC 6582 */
};

enum tcp_tw_overflow {
	TCP_TW_OVERFLOW_RECYCLE_OLDEST = 0,
	TCP_TW_OVERFLOW_REFUSE,
};

/* Parameters of a context, copied from the configuration at start-up. */
struct tcp_params {
	uint32_t msl_ms;
	uint32_t fin_wait2_timeout_ms;
	uint32_t syn_recv_timeout_ms;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t rto_initial_ms;
	uint32_t delayed_ack_ms;
	uint32_t max_retries;
	/*
	 * The send deadline (tcp_timer.c): data waiting to be sent or
	 * acknowledged must be acknowledged within this, or RST; 0: none.
	 */
	uint32_t send_timeout_ms;
	uint16_t mss; /* MSS option we send over IPv4 */
	/*
	 * MSS option we send over IPv6: the IPv6 MTU minus 60 (RFC 8200
	 * 8.3); 0: mss - 20 (the same MTU).
	 */
	uint16_t mss6;
	uint8_t wscale;
	bool timestamps;
	bool sack;
	bool rfc1337;
	enum tcp_tw_reuse tw_reuse;
	uint32_t challenge_ack_limit; /* per second per connection */
	/*
	 * Replies to invalid segments (out of window, PAWS, ACK of unsent
	 * data, TIME_WAIT answers): at most one per this many ms per
	 * connection or TIME_WAIT record; 0 = no limit.
	 */
	uint32_t invalid_ratelimit_ms;
	enum tcp_syncookies syncookies;
	enum tcp_congestion congestion;
	bool tail_loss_probe;  /* RFC 8985 7 */
	bool rack;	       /* RFC 8985 6 */
	uint32_t max_syn_recv; /* SYN_RECEIVED budget (0: none) */
	uint32_t rcv_wnd;      /* bytes */
	uint32_t snd_buf;      /* bytes per connection */
	uint32_t max_connections;
	/*
	 * Established connections per source (an IPv4 address, an IPv6
	 * /64) at most (tcp_source.c); 0: no limit, no table.
	 */
	uint32_t max_per_source;
	uint32_t max_time_wait;
	/*
	 * IPv6: when false, IPv6 segments are dropped (drop_family) and
	 * nothing is allocated for them. When true, every connection slot
	 * gets 32 bytes of IPv6 addresses beside the pool, and IPv6
	 * TIME_WAIT records have a ring of their own of max_time_wait6
	 * records (56 bytes each, plus their table entry), so IPv4 records
	 * stay 24 bytes.
	 */
	bool ipv6;
	uint32_t max_time_wait6;
	enum tcp_tw_overflow tw_overflow;
	uint32_t max_send_buffers;
	/*
	 * Receive buffers of rcv_wnd bytes, taken when the application
	 * leaves received bytes unread. 0: max_send_buffers / 16, within
	 * 64 MiB, at least 1.
	 */
	uint32_t max_rcv_buffers;
	uint8_t isn_secret[16];	    /* RFC 6528 key, random per run */
	const uint8_t *flow_secret; /* flow hash key; NULL: random */
};

/*
 * A segment to transmit, in host byte order. IPv4: laddr and raddr;
 * IPv6 (family TCP_FAMILY_IPV6): laddr6 and raddr6, copies in network
 * order (the connection they came from may be gone when the glue reads
 * them), laddr and raddr 0.
 */
struct tcp_out {
	uint32_t laddr;
	uint32_t raddr;
	uint16_t lport;
	uint16_t rport;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;		  /* raw window field (already scaled down) */
	uint8_t flags;		  /* NET_TCP_* */
	uint8_t family;		  /* TCP_FAMILY_IPV4 or TCP_FAMILY_IPV6 */
	struct net_tcp_opts opts; /* options to write */
	uint32_t conn;		  /* connection owning the payload */
	/* Payload bytes (0 for control segments), at most an MSS. */
	uint16_t len;
	/*
	 * IPv4: 0 for DF (an atomic datagram, RFC 6864 4.1); else the ID
	 * of a datagram routers may fragment, sent without DF.
	 */
	uint16_t ip_id;
	/* Written only for IPv6, last so that IPv4 never touches them. */
	uint8_t laddr6[16];
	uint8_t raddr6[16];
};

#define TCP_OUTQ_SIZE 64

struct tcp_outq {
	uint32_t n;
	struct tcp_out seg[TCP_OUTQ_SIZE];
};

struct tcp_ctx;
struct tcp_conn;

/* Listeners per context (tcp_listen() refuses more). */
#define TCP_MAX_LISTENERS 64

/*
 * A listener's application. Called by the state machine; the callbacks
 * use the tcp_send()/tcp_close()/... API below. All optional but on_data.
 */
struct tcp_app_ops {
	/* The handshake completed (ESTABLISHED). */
	void (*on_open)(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
	/*
	 * In-order bytes arrived; returns how many the application took.
	 * The rest is held and offered again (tcp_read_resume()).
	 */
	uint32_t (*on_data)(struct tcp_ctx *c, struct tcp_conn *conn,
			    const uint8_t *data, uint32_t len, uint64_t now);
	/* The peer's FIN arrived in order (no more data will come). */
	void (*on_peer_fin)(struct tcp_ctx *c, struct tcp_conn *conn,
			    uint64_t now);
	/*
	 * Send buffer space was freed by an ACK; or a send buffer is free
	 * again after tcp_send() found the pool empty (and sent nothing).
	 */
	void (*on_sent)(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
	/* The timer set with tcp_app_timer() fired. */
	void (*on_timer)(struct tcp_ctx *c, struct tcp_conn *conn,
			 uint64_t now);
	/*
	 * Bytes the application can take now (caps the advertised window).
	 * When it rises with nothing received, the application calls
	 * tcp_read_resume(): the window update goes then if due.
	 */
	uint32_t (*rcv_space)(const struct tcp_ctx *c,
			      const struct tcp_conn *conn);
	/*
	 * The most rcv_space can be for conn (NULL: the application sets
	 * no bound of its own), never less than it answers: with rcv_wnd,
	 * the buffer the window is measured against, whose half bounds
	 * the step by which the window's right edge moves (RCV.BUFF of
	 * RFC 1122 4.2.3.3), in a window update (tcp_read_resume()) as
	 * in any ACK.
	 */
	uint32_t (*rcv_buf)(const struct tcp_ctx *c,
			    const struct tcp_conn *conn);
	/* A drain started: close now or when done (tcp_drain.h). */
	void (*on_drain)(struct tcp_ctx *c, struct tcp_conn *conn,
			 uint64_t now);
	/*
	 * Whether the timer set with tcp_app_timer() can still act when it
	 * fires (NULL: whenever it is set). Asked by tcp_list() alone, so
	 * that a listing shows no deadline the application lets pass unused
	 * (one it left armed at its close rather than pay to cancel it).
	 */
	bool (*timer_pending)(const struct tcp_ctx *c,
			      const struct tcp_conn *conn);
};

/*
 * Create a context (one per worker core). All pools (connections, TIME_WAIT
 * records, send buffers, flow table, timer wheel) are allocated here from
 * the limits in p; nothing is allocated afterwards. NULL on failure:
 * out of memory, or (errno EINVAL) max_connections + max_time_wait of
 * 2^31 or more, which the flow table cannot index.
 */
struct tcp_ctx *tcp_ctx_create(const struct tcp_params *p, uint64_t now);
void tcp_ctx_destroy(struct tcp_ctx *c);

/* The parameters in force (as given, with mss and wscale clamped). */
const struct tcp_params *tcp_ctx_params(const struct tcp_ctx *c);

/* Bytes of memory the context holds (pools, table, wheel). */
size_t tcp_ctx_mem_bytes(const struct tcp_ctx *c);

/* One preallocated pool of a context. */
struct tcp_mem_pool {
	const char *name; /* connections, time_wait, flow_table, ... */
	uint64_t objects; /* capacity in objects, 0 when not counted */
	size_t bytes;
	uint64_t used; /* objects in use (of objects) */
};

#define TCP_MEM_POOLS 5

/*
 * The pools making up tcp_ctx_mem_bytes() (they add up to it): fills up
 * to max entries of out and returns how many.
 */
unsigned int tcp_ctx_mem_pools(const struct tcp_ctx *c,
			       struct tcp_mem_pool *out, unsigned int max);

/*
 * The pools with their use (pool.used): may be called from another thread
 * than the context's owner (monitoring); each count is read with one
 * relaxed load, so it may be a call old, never torn.
 */
unsigned int tcp_ctx_mem_usage(const struct tcp_ctx *c,
			       struct tcp_mem_pool *out, unsigned int max);

/* ---- Listing connections and TIME_WAIT records (tcp_list.c) ---- */

/* The running timer of a listed entry. */
enum tcp_list_timer {
	TCP_LT_NONE = 0,
	TCP_LT_REXMIT,	 /* retransmission */
	TCP_LT_DELACK,	 /* delayed ACK */
	TCP_LT_PERSIST,	 /* zero window probe */
	TCP_LT_STATE,	 /* SYN_RECEIVED, FIN_WAIT_2 timeout, send deadline */
	TCP_LT_APP,	 /* the application's (idle, close delay) */
	TCP_LT_TIMEWAIT, /* TIME_WAIT expiry */
};

/* A timer's name as listed ("rexmit", "fin_wait2", "timewait", ...). */
const char *tcp_list_timer_name(enum tcp_list_timer t, enum tcp_state s);

/*
 * What to list: all states when states is 0, any family when family is
 * TCP_FAMILY_BOTH, any remote when rmask is 0 (an IPv4 network: with a
 * mask, IPv6 entries are not listed).
 */
struct tcp_list_filter {
	uint32_t states; /* bit s: list state s */
	uint32_t raddr;	 /* remote network, host order */
	uint32_t rmask;
	uint8_t family; /* enum tcp_family */
};

#define TCP_LIST_AGE_NONE UINT32_MAX /* age not kept (TIME_WAIT) */
#define TCP_LIST_END UINT32_MAX	     /* cursor: the walk is over */

/*
 * One listed connection or TIME_WAIT record, host byte order; IPv6
 * addresses in laddr6/raddr6 (network order), laddr/raddr 0.
 */
struct tcp_list_rec {
	uint32_t laddr;
	uint32_t raddr;
	uint16_t lport;
	uint16_t rport;
	uint8_t state;	   /* enum tcp_state */
	uint8_t timer;	   /* enum tcp_list_timer */
	uint8_t family;	   /* TCP_FAMILY_IPV4 or TCP_FAMILY_IPV6 */
	uint32_t sendq;	   /* bytes sent unacknowledged or unsent */
	uint32_t recvq;	   /* bytes received the application holds */
	uint32_t timer_ms; /* until the timer fires */
	uint32_t age_ms;   /* since the SYN, TCP_LIST_AGE_NONE unknown */
	uint8_t laddr6[16];
	uint8_t raddr6[16];
};

/*
 * List the connections and TIME_WAIT records matching f, walking the flow
 * table from slot *cursor (0 to start): writes at most max records to
 * out, examines at most scan slots, and sets *cursor to where the next
 * call continues (TCP_LIST_END when the table is done). Read-only, for
 * the context's owner only; a walk in slices may miss or repeat an entry
 * that moved or changed between two calls, as ss(8) may. Returns the
 * number of records written.
 */
uint32_t tcp_list(const struct tcp_ctx *c, uint32_t *cursor,
		  const struct tcp_list_filter *f, struct tcp_list_rec *out,
		  uint32_t max, uint32_t scan, uint64_t now);

/*
 * Listen on local port (any local address) for family (TCP_FAMILY_BOTH,
 * _IPV4 or _IPV6): a port may have one listener per family. arg is
 * handed back by tcp_conn_app_arg(). Returns 0, -EEXIST (a listener of
 * the port already answers one of the families), -EINVAL (no such
 * family) or -ENOSPC.
 */
int tcp_listen_family(struct tcp_ctx *c, uint16_t port, enum tcp_family family,
		      const struct tcp_app_ops *ops, const void *arg);
/* tcp_listen_family() for both families. */
int tcp_listen(struct tcp_ctx *c, uint16_t port, const struct tcp_app_ops *ops,
	       const void *arg);
/*
 * Arm the application timer (tcp_app_timer()) of every connection the
 * listener of port and family (as given to tcp_listen_family()) opens,
 * us after the open (0: none, the default), set before on_open runs: an
 * application that bounds each connection from its start (http's
 * request-head timeout) so arms it with no call and, the connection's
 * wheel entry being set after the segment anyway, no work of its own.
 * Returns 0 or -ENOENT (no such listener).
 */
int tcp_listen_open_timer(struct tcp_ctx *c, uint16_t port,
			  enum tcp_family family, uint64_t us);

/* Process one validated segment addressed to us. */
void tcp_input(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now);

/*
 * Burst processing: tcp_seg_hash() gives the flow hash of a segment,
 * tcp_prefetch_flow() prefetches the flow table line its lookup reads
 * (call both for a whole burst first), and tcp_input_hash() is
 * tcp_input() with that hash. It must be tcp_seg_hash() of the same
 * segment and context: the table entry of a connection the segment
 * creates, or moves to TIME_WAIT, is filed under it.
 */
uint32_t tcp_seg_hash(const struct tcp_ctx *c, const struct net_seg *seg);
void tcp_prefetch_flow(const struct tcp_ctx *c, uint32_t hash);
/* tcp_seg_hash() and tcp_prefetch_flow() of it, in one call. */
uint32_t tcp_seg_hash_prefetch(const struct tcp_ctx *c,
			       const struct net_seg *seg);
void tcp_input_hash(struct tcp_ctx *c, const struct net_seg *seg, uint32_t hash,
		    uint64_t now);

/*
 * Run due timers (retransmission, delayed ACK, persist, FIN_WAIT_2, idle,
 * SYN_RECEIVED, application, TIME_WAIT expiry), at most budget expiries.
 * Returns the number of wheel entries and TIME_WAIT slots processed.
 */
uint32_t tcp_timers(struct tcp_ctx *c, uint64_t now, uint32_t budget);

/*
 * tcp_timers() bounded by time as well as by count: clk is the caller's
 * clock and a deadline in its units (TSC cycles in the DPDK glue; the
 * TCP layer reads no clock). It is read after each batch of expiries (16
 * under a time bound, 64 without), by the wheel after each chunk of its
 * work and by the TIME_WAIT rings every TCP_TW_CLOCK_EVERY records; once
 * it has passed the deadline the call returns (counted in timer_deadline)
 * and the next call resumes in order. A call always makes some progress.
 * clk == NULL: tcp_timers().
 */
uint32_t tcp_timers_until(struct tcp_ctx *c, uint64_t now, uint32_t budget,
			  const struct wheel_clock *clk);

/* What tcp_pmtu_input() did with a message (each counted). */
enum tcp_pmtu_verdict {
	TCP_PMTU_LOWERED = 0, /* pmtu_lowered and/or pmtu_df_cleared */
	TCP_PMTU_NO_CONN,     /* pmtu_no_conn_drop */
	TCP_PMTU_STATE,	      /* pmtu_state_drop */
	TCP_PMTU_SEQ,	      /* pmtu_seq_drop */
	TCP_PMTU_NOT_LOWER,   /* pmtu_not_lower_drop */
	TCP_PMTU_BELOW_MIN,   /* pmtu_v6_below_min_drop */
};

/*
 * An ICMP fragmentation needed (RFC 1191) or ICMPv6 Packet Too Big (RFC
 * 8201) reporting mtu for a segment we sent, quoted in q turned around
 * as if the peer had sent it (net_icmp_quote_seg()): saddr/saddr6 and
 * sport the peer's, daddr/daddr6 and dport ours, seq the sequence
 * number of our segment. Acted on (RFC 5927 4.1, 5.2) only for a
 * connection of that 4-tuple past the handshake and not in TIME_WAIT,
 * with seq in [SND.UNA, SND.MAX), not for an IPv6 MTU below 1280 (RFC
 * 8201 4), when the MSS the MTU allows (at least that of 552 over IPv4,
 * timestamps subtracted) is below the send MSS, or the IPv4 MTU is below
 * 552 and the connection still sends with DF: then the send MSS becomes
 * that MSS, below 552 the connection's segments go without DF from then
 * on (struct tcp_out.ip_id), and what is in flight goes again from
 * SND.UNA at once, cwnd and ssthresh untouched. Segments go to the
 * output queue.
 */
enum tcp_pmtu_verdict tcp_pmtu_input(struct tcp_ctx *c, const struct net_seg *q,
				     uint32_t mtu, uint64_t now);

/*
 * The output queue: drain after every tcp_input()/tcp_timers() call. It
 * is the context's first member (tcp_ctx.c checks), so that the glue
 * finds it without a call for every drain.
 */
static inline struct tcp_outq *
tcp_outq(struct tcp_ctx *c)
{
	return (struct tcp_outq *)(void *)c;
}

/*
 * Payload of an output segment: up to two pieces of the connection's send
 * buffer (it is a ring). Returns the number of pieces (0, 1 or 2).
 */
unsigned int tcp_out_payload(const struct tcp_ctx *c, const struct tcp_out *o,
			     const uint8_t *ptr[2], uint32_t len[2]);

const struct tcp_counters *tcp_counters(const struct tcp_ctx *c);
/*
 * Check internal invariants (flow table, wheel, pools against the state
 * gauges and table entries). Returns 0 or -1. For tests and debugging.
 */
int tcp_ctx_check(const struct tcp_ctx *c);
/* Connections (and TIME_WAIT records) per state. */
const uint64_t *tcp_state_gauges(const struct tcp_ctx *c);

/* ---- API for applications (call from tcp_app_ops callbacks) ---- */

/* Queue bytes for sending; returns how many fit in the send buffer. */
uint32_t tcp_send(struct tcp_ctx *c, struct tcp_conn *conn, const void *data,
		  uint32_t len, uint64_t now);
/* Free space in the send buffer. */
uint32_t tcp_send_space(const struct tcp_ctx *c, const struct tcp_conn *conn);
/* Bytes sent and not yet acknowledged, or queued and not yet sent. */
uint32_t tcp_send_queued(const struct tcp_ctx *c, const struct tcp_conn *conn);
/*
 * Close the sending direction: FIN after queued data. With read_open the
 * application keeps reading until the peer's FIN (half-close); without,
 * data arriving after the close is answered with RST (RFC 1122 4.2.2.13).
 */
void tcp_close(struct tcp_ctx *c, struct tcp_conn *conn, bool read_open,
	       uint64_t now);
/*
 * After tcp_close() with read_open: the application bounds the
 * half-closed connection with an idle timer of its own and calls
 * tcp_close_read() (or tcp_abort()) when it fires, so FIN_WAIT_2 has no
 * timeout meanwhile. Without this call, the FIN_WAIT_2 timeout bounds
 * it, restarted by the peer's data.
 */
void tcp_read_bounded(struct tcp_conn *conn);
/*
 * Stop reading after a half-close, as if the close had been full: data
 * arriving later is answered with RST, and FIN_WAIT_2 times out
 * fin_wait2_timeout_ms from now.
 */
void tcp_close_read(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/*
 * Bytes the application did not take from on_data are kept (acknowledged,
 * the window shrinking as they pile up) and offered again, in order, by
 * this call; the peer's FIN is reported after them. From a callback the
 * offer is made when the callback returns. Then, held bytes or none, a
 * window update goes if the window advertised is under min(MSS, half
 * the buffer bounding it: rcv_wnd, or rcv_buf if less) and can grow by
 * that much (RFC 1122 4.2.3.3): with the next segment sent anyway, else
 * alone.
 */
void tcp_read_resume(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/* Received bytes held for the application. */
uint32_t tcp_read_pending(const struct tcp_conn *conn);
/*
 * The application's window is bounded by its send space (echo): the
 * send space grew, or may have. When the window the peer knows (RCV.ADV
 * - RCV.NXT) is under a step (RFC 1122 4.2.3.3) and conn holds no send
 * buffer, one is taken for it, so that the window update
 * (tcp_read_resume()) offers space that is there; with the pool empty,
 * conn waits (counter sndbuf_window_wait) and is offered the next
 * buffer back that no writer waits for, one buffer per connection
 * (sndbuf_window_woken). Otherwise tcp_read_resume() alone.
 */
void tcp_window_wait(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/*
 * The application's window is bounded by its send space (echo) and it
 * took less than was sent into it, for want of a send buffer (tcp_send()
 * found the pool empty): the bytes it left that no receive buffer takes
 * stay unacknowledged, and conn waits as a window waiter, so that the
 * buffer it is served is there for the peer's retransmission.
 */
void tcp_window_refused(struct tcp_ctx *c, struct tcp_conn *conn);
/* The application closes a connection for idleness (counter idle_timeout). */
void tcp_note_idle_timeout(struct tcp_ctx *c);
/*
 * The application resets a connection as it closes it, leaving received
 * bytes it will never read (counter close_unread_reset); then
 * tcp_abort().
 */
void tcp_note_close_unread_reset(struct tcp_ctx *c);
/* The http application stops reading: too many responses owed. */
void tcp_note_http_owed_limit(struct tcp_ctx *c);
/* The http application stops reading: a HEAD's response is not queued. */
void tcp_note_http_head_wait(struct tcp_ctx *c);
/* The http application rejects a request head over its bound. */
void tcp_note_http_head_too_long(struct tcp_ctx *c);
/* The http application rejects a request whose body it cannot frame. */
void tcp_note_http_bad_request(struct tcp_ctx *c);
/* The http application rejects a request of another major version. */
void tcp_note_http_version_unsupported(struct tcp_ctx *c);
/* The http application closes: no complete request head in time. */
void tcp_note_http_head_timeout(struct tcp_ctx *c);
/* Abort: send RST and free the connection now. conn is invalid after. */
void tcp_abort(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/* Arm (deadline > 0) or cancel (0) the application timer, in us. */
void tcp_app_timer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t deadline);
/*
 * The application timer's deadline (us, 0 = not armed): in on_open, the
 * listener's open timer (tcp_listen_open_timer()) if it has one.
 */
uint64_t tcp_app_timer_at(const struct tcp_conn *conn);
/* TCP_FAMILY_IPV4 or TCP_FAMILY_IPV6. */
enum tcp_family tcp_conn_family(const struct tcp_conn *conn);
/* Per-connection application state (TCP_APP_STATE_BYTES, zeroed on open). */
void *tcp_conn_app_state(struct tcp_conn *conn);
#define TCP_APP_STATE_BYTES 32
/* The arg given to tcp_listen() for this connection's listener. */
const void *tcp_conn_app_arg(const struct tcp_ctx *c,
			     const struct tcp_conn *conn);
/*
 * This connection's listener's application data: TCP_LISTENER_APP_BYTES
 * bytes, 8-byte aligned, zeroed when the listener is registered, where
 * the application keeps what it derives from its arg once per listener
 * (e.g. a prepared response).
 */
#define TCP_LISTENER_APP_BYTES 512
void *tcp_conn_listener_data(struct tcp_ctx *c, const struct tcp_conn *conn);
enum tcp_state tcp_conn_state(const struct tcp_conn *conn);

#endif /* TT_TCP_H */
