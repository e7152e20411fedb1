/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private structures of lib/tcp: the context, connections, TIME_WAIT
 * records, and the functions the files of the module share.
 */
#ifndef TT_TCP_INTERNAL_H
#define TT_TCP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "flowtab.h"
#include "net.h"
#include "tcp.h"
#include "wheel.h"

#define TCP_NONE UINT32_MAX
#define TCP_CACHE_LINE 64
#define TCP_TICK_NONE UINT64_MAX

/*
 * Make the origin of pointer p opaque to the compiler: it then keeps p in
 * a register instead of re-deriving it (from the context and an index)
 * before each later use in the code it was inlined into. No instruction
 * is emitted.
 */
#define TCP_KEEP_POINTER(p) __asm__("" : "+r"(p))

/*
 * Flow table values: bit 31 tags a TIME_WAIT record index, bit 30 with it
 * a record of the IPv6 ring (tcp_tw.c).
 */
#define TCP_FT_TW 0x80000000u
#define TCP_FT_TW6 0x40000000u
#define TCP_FT_TW_SLOT 0x3fffffffu

/* Wheel cookies: bits 32..62 = generation, low = connection index. */
#define TCP_GEN_MASK 0x7fffffffu

/* Default send MSS when the peer sends no MSS option (RFC 9293 3.7.1). */
#define TCP_DEFAULT_MSS 536
/* The same over IPv6: the minimum link MTU, 1280, minus 60. */
#define TCP_DEFAULT_MSS6 1220
#define TCP_MIN_MSS 64
#define TCP_MAX_WSCALE 14
#define TCP_TS_OPT_LEN 12

/* struct tcp_conn.flags */
#define TCP_CF_USED 0x0001
#define TCP_CF_TS 0x0002	 /* timestamps in use (RFC 7323) */
#define TCP_CF_SACK 0x0004	 /* both sent SACK-permitted */
#define TCP_CF_WS 0x0008	 /* window scaling in use */
#define TCP_CF_FIN_QUEUED 0x0010 /* the application closed */
#define TCP_CF_FIN_SENT 0x0020
#define TCP_CF_FIN_ACKED 0x0040
#define TCP_CF_NO_READ 0x0080	  /* closed without read_open */
#define TCP_CF_NEED_OUTPUT 0x0100 /* send deferred during a callback */
#define TCP_CF_RTT_TIMING 0x0200  /* a segment is being timed (Karn) */
#define TCP_CF_OPENED 0x0400	  /* reached ESTABLISHED */
#define TCP_CF_ACK_NOW 0x0800	  /* an ACK must go out now */
#define TCP_CF_FIN_HELD 0x1000	  /* peer FIN not yet told to the app */
#define TCP_CF_READ_RESUME 0x2000 /* re-offer buffered bytes */
#define TCP_CF_APP_IDLE 0x4000	  /* half-closed, app-bounded */
#define TCP_CF_V6 0x8000	  /* IPv6: addresses in tcp_ctx.a6 */

/* struct tcp_conn.rec_flags */
#define TCP_RF_RECOVERY 0x01   /* in fast recovery */
#define TCP_RF_TLP_ARMED 0x02  /* t_rexmit is the probe timeout */
#define TCP_RF_TLP_SENT 0x04   /* a probe is out for this tail */
#define TCP_RF_RACK_ARMED 0x08 /* t_rexmit is RACK's reorder timer */
#define TCP_RF_REORDER 0x10    /* RACK.reordering_seen */
#define TCP_RF_RTO 0x20	       /* a timeout's resend is under way */
/* Path MTU resends of this flight, 0 to 3, in two bits (tcp_pmtu.c). */
#define TCP_RF_PMTU 0xc0
#define TCP_RF_PMTU_ONE 0x40

/* SACK blocks of the peer the scoreboard keeps. */
#define TCP_SACKED_MAX 4

struct tcp_listener {
	uint16_t port;
	uint8_t family; /* enum tcp_family */
	const struct tcp_app_ops *ops;
	const void *arg;
	uint64_t open_timer; /* us, tcp_listen_open_timer(); 0 = none */
};

/*
 * RFC 6582 3.2 step 4 / RFC 5681 3.2 in NewReno's fast recovery (peer
 * without SACK): the sequence space whose segments may still draw a
 * duplicate ACK that inflates cwnd, [counted, round_end): each one
 * counted moves counted on by an SMSS. Set when the recovery begins and
 * at each partial ACK that resends (newreno_round() in tcp_recovery.c).
 */
struct tcp_dupack_bound {
	uint32_t counted;
	uint32_t round_end; /* SND.MAX at the round's retransmission */
};

struct tcp_conn {
	/* Identity. */
	uint32_t raddr;
	uint32_t laddr;
	uint16_t rport;
	uint16_t lport;
	uint32_t idx;
	uint32_t gen;	/* bumped on free */
	uint32_t tgen;	/* bumped per wheel entry (tcp_timer.c) */
	uint16_t flags; /* TCP_CF_* */
	uint8_t state;	/* enum tcp_state */
	uint8_t listener;
	uint8_t snd_wscale;    /* peer's shift */
	uint8_t rcv_wscale;    /* our shift */
	uint8_t retries;       /* consecutive retransmission timeouts */
	uint8_t persist_shift; /* persist timer backoff */
	uint8_t probes;	       /* window probes not answered by an ACK */
	uint8_t reo_persist;   /* RFC 8985 RACK.reo_wnd_persist */
	uint16_t snd_mss;      /* payload bytes per segment */
	uint8_t full_segs;     /* full-sized segments not yet acked */
	/*
	 * The largest in-order segment the peer sent short of snd_mss
	 * (from 536 bytes on), in units of 64 bytes: its full-sized
	 * segments when its own MSS is below the one it announced
	 * (tcp_rcv.c, note_full_sized()).
	 */
	uint8_t rcv_seg_max64;
	/*
	 * 0: IPv4 segments go with DF. Else a path MTU below the floor
	 * was reported (tcp_pmtu.c): they go without DF, for routers to
	 * fragment, their IP IDs from the context's counter ip_ids[] of
	 * the peer's address, at index ip_id_bucket - 1.
	 */
	uint16_t ip_id_bucket;

	/* Send sequence space (RFC 9293 3.3.1). */
	union {
		/* SYN_RECEIVED, the only state that reads it: the SYN-ACK's. */
		uint32_t iss;
		/*
		 * Once open: the send deadline's mark (tcp_timer.c), at most
		 * TCP_SEND_PROGRESS past SND.UNA and within the send queue when
		 * it was set, which SND.UNA must reach by t_state. Set only
		 * with data queued, never in SYN_RECEIVED.
		 */
		uint32_t snd_mark;
	};
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max; /* highest sequence sent (go-back-N) */
	uint32_t snd_wnd; /* scaled */
	uint32_t max_snd_wnd;
	uint32_t snd_wl1;
	uint32_t snd_wl2;

	/* Receive sequence space. */
	union {
		/* SYN_RECEIVED, the only state that reads it. */
		uint32_t irs;
		/*
		 * Once open (tcp_cc_init()): the largest flight, SND.NXT -
		 * SND.UNA after a transmission, since cwnd was last lowered
		 * (tcp_recovery.c, cc_lowered(); cc_grow(): cwnd grows only
		 * while that flight used it).
		 */
		uint32_t cwnd_used;
	};
	uint32_t rcv_nxt;
	uint32_t rcv_adv;	/* right edge of the window we advertised */
	uint32_t last_ack_sent; /* RFC 7323 4.3 Last.ACK.sent */
	uint32_t ts_recent;
	uint32_t ts_recent_sec; /* when TS.Recent was set, tcp_sec() */
	uint32_t ts_offset;

	/* Send buffer (a ring); byte 0 of the ring data is at snd_una. */
	uint32_t sb; /* buffer index or TCP_NONE */
	uint32_t sb_head;
	uint32_t sb_len;

	/*
	 * Receive buffer (a ring of rcv_wnd bytes): received, acknowledged
	 * bytes the application has not taken yet, ending at RCV.NXT.
	 */
	uint32_t rb; /* buffer index or TCP_NONE */
	uint32_t rb_head;
	uint32_t rb_len;

	/*
	 * Congestion control and loss recovery (tcp_recovery.c): windows in
	 * bytes, the scoreboard of what the peer holds above SND.UNA.
	 */
	uint32_t cwnd;
	uint32_t ssthresh;
	uint32_t recover; /* RFC 6582: SND.MAX when recovery began */
	/*
	 * RFC 6675 HighRxt; outside a recovery or timeout (which set it
	 * when they begin), RFC 8985 TLP.end_seq while a probe is out
	 * (TCP_RF_TLP_SENT).
	 */
	uint32_t high_rxt;
	uint32_t cubic_wmax; /* RFC 9438 W_max, bytes */
	/*
	 * tcp_ms() W_cubic(t) reaches W_max, RFC 9438 t_epoch + K (one
	 * instant says where the curve is); 0: no curve, the next growth
	 * in congestion avoidance begins one (tcp_recovery.c).
	 */
	uint32_t cubic_plateau;
	union {
		uint32_t cubic_west; /* RFC 9438 W_est, bytes << cubic_shift */
		/*
		 * NewReno: bytes acknowledged in congestion avoidance since
		 * cwnd last grew (RFC 5681 3.1).
		 */
		uint32_t avoid_acked;
	};
	uint8_t dupacks;
	uint8_t rec_flags; /* TCP_RF_* */
	uint8_t nsacked;
	uint8_t reo_mult; /* RFC 8985 RACK.reo_wnd_mult, 0: 1 */
	union {
		/* The scoreboard: its first nsacked blocks. */
		struct net_sack_block sacked[TCP_SACKED_MAX];
		/*
		 * Two overlays of a scoreboard that is empty or unused,
		 * apart so that both can be live at once (a connection
		 * without SACK still linked as a window waiter when its
		 * FIN's fast recovery begins).
		 */
		struct {
			/*
			 * While the connection waits for a send buffer to
			 * reopen its window (tcp_sndbuf.c, struct
			 * tcp_wwait): its neighbours, in sacked[0]'s bytes.
			 * Linked, it held no send buffer and had not
			 * closed: nothing was in flight and the scoreboard
			 * empty (nsacked 0). The scoreboard's one writer,
			 * sack_update(), unlinks it first
			 * (tcp_wwait_leave()).
			 */
			struct {
				uint32_t prev;
				uint32_t next;
			} wwait;
			/*
			 * In sacked[1]'s bytes: a peer without SACK
			 * (TCP_CF_SACK is fixed at the handshake) has no
			 * scoreboard: nsacked stays 0, and nothing reads
			 * sacked[] past it. Its fast recovery keeps here
			 * the duplicate ACKs it may count (tcp_recovery.c).
			 */
			struct tcp_dupack_bound dup;
		};
	};
	/*
	 * RACK.min_RTT (RFC 8985 6.2), us, 0: none, at most
	 * TCP_MIN_RTT_MAX: the minimum of recent samples (tcp_rack.c,
	 * min_rtt_update()), and when it was last set or confirmed, in
	 * units of 2^TCP_MIN_RTT_UNIT us (16.8 s) modulo
	 * 2^TCP_MIN_RTT_AT_BITS. It outlives the send buffer: a
	 * connection's minimum, not a flight's. PRR's state is beside the
	 * send buffer (struct tcp_prr).
	 */
#define TCP_MIN_RTT_BITS 22    /* us: up to 4.19 s */
#define TCP_MIN_RTT_AT_BITS 10 /* 32 bits with min_rtt */
#define TCP_MIN_RTT_MAX ((1u << TCP_MIN_RTT_BITS) - 1)
#define TCP_MIN_RTT_UNIT 24
#define TCP_MIN_RTT_AT_MASK ((1u << TCP_MIN_RTT_AT_BITS) - 1)
	uint32_t min_rtt : TCP_MIN_RTT_BITS;
	uint32_t min_rtt_at : TCP_MIN_RTT_AT_BITS;

	/* RFC 6298 state, microseconds. */
	uint32_t srtt;
	uint32_t rttvar;
	uint32_t rto;
	uint32_t rtt_seq;
	union {
		/* While TCP_CF_RTT_TIMING: when the timed segment went. */
		uint64_t rtt_start;
		/*
		 * With nothing in flight: when the ACK that left nothing in
		 * flight came, or the last zero-window probe went (RFC 5681
		 * 4.1, tcp_cc_idle()); no segment is timed then.
		 */
		uint64_t idle_start;
	};

	/* RFC 5961 7 challenge ACK limit. */
	uint32_t chack_ms; /* tcp_ms() the second began, 0: none */
	uint32_t chack_count;
	uint32_t oow_last; /* tcp_ms() of the last invalid-segment reply */
	/*
	 * The TIME_WAIT record this SYN_RECEIVED connection reopened, kept
	 * for RFC 1122 4.2.2.13 (2) (tcp_tw.c), or TCP_NONE.
	 */
	uint32_t tw_slot;
	/*
	 * A free slot links to the next free one; a used one keeps the
	 * tcp_ms() of its SYN. Nothing reads born_ms of a free slot
	 * (tcp_list.c lists what the flow table holds).
	 */
	union {
		uint32_t next_free;
		uint32_t born_ms;
	};
	/*
	 * tcp_ms() (rounded up) the sender's SWS avoidance began to hold
	 * new data back, 0: none; it ends when new data goes (tcp_output.c).
	 */
	uint32_t sws_ms;

	/*
	 * Deadlines in us (0 = off) and the tick of the live wheel entry.
	 * t_state is the SYN_RECEIVED or FIN_WAIT_2 timeout in those
	 * states, the send deadline in the others (tcp_timer.c).
	 */
	uint64_t t_rexmit;
	uint64_t t_dack;
	uint64_t t_persist;
	uint64_t t_state;
	uint64_t t_app;
	uint64_t armed_tick;

	uint8_t app[TCP_APP_STATE_BYTES];
};

/*
 * struct tcp_tw.state: flags, and the expiry on the tcp_ms() clock,
 * modulo 2^27 ms (1.5 days; 2*MSL is at most 2 hours).
 */
#define TCP_TWF_USED 0x80000000u
#define TCP_TWF_TS 0x40000000u	      /* timestamps in use */
#define TCP_TWF_WS 0x20000000u	      /* window scaling in use */
#define TCP_TWF_RESTARTED 0x10000000u /* expiry moved past ring order */
#define TCP_TWF_REOPENED 0x08000000u  /* a SYN_RECEIVED conn holds it */
#define TCP_TW_EXPIRY 0x07ffffffu

/*
 * A TIME_WAIT record: what is needed to answer the peer for 2*MSL. The
 * 4-tuple is in the flow table entry that points here, and the window
 * advertised is the full receive window (tcp_tw.c).
 */
struct tcp_tw {
	uint32_t hash;	/* flowtab_hash() of the 4-tuple */
	uint32_t state; /* TCP_TWF_* | expiry */
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t ts_recent;
	uint32_t last_reply; /* tcp_ms() of the last reply, 0: none;
				 * while REOPENED, the connection's index */
};

/* IPv6 addresses of a connection or record, network order. */
struct tcp_addr6 {
	uint8_t r[16]; /* remote */
	uint8_t l[16]; /* local */
};

/*
 * The endpoints of a segment or a connection, whatever the family: what
 * the flow key, the ISN, the timestamp offset and SYN cookies are
 * computed from (tcp_ends.c). raddr6/laddr6 are NULL for IPv4, raddr and
 * laddr 0 for IPv6.
 */
struct tcp_ends {
	uint32_t raddr;
	uint32_t laddr;
	const uint8_t *raddr6;
	const uint8_t *laddr6;
	uint16_t rport;
	uint16_t lport;
};

/*
 * A ring of TIME_WAIT records in expiry order (tcp_tw.c): one for IPv4,
 * one for IPv6, whose records have their addresses in a6 (same slot).
 */
struct tcp_twr {
	struct tcp_tw *tws;
	struct tcp_addr6 *a6; /* IPv6 ring: addresses per slot */
	uint32_t max;	      /* live records at most */
	uint32_t cap;	      /* slots */
	uint32_t head;	      /* slot of the oldest */
	uint32_t count;	      /* slots in use, live or dead */
	uint32_t used;	      /* live records */
	uint32_t tail_expiry; /* expiry of the newest record appended */
	uint32_t tag;	      /* flow table value tag of its slots */
};

#define TCP_TWR_V4 0
#define TCP_TWR_V6 1

/* What a segment does to a TIME_WAIT record (tcp_tw_input()). */
enum tcp_tw_verdict {
	TCP_TW_DROP = 0, /* nothing (more) to do */
	TCP_TW_SYN,	 /* to the listener: a SYN that may reopen the record,
			  * or the ACK of the cookie one drew */
};

/* Bytes of each buffer pool's rings faulted in at start-up, at most. */
#define TCP_BUF_PREFAULT_MAX ((size_t)256 << 20)

/* A pool of fixed-size byte rings (tcp_bufpool.c). */
struct tcp_bufpool {
	uint8_t *mem;
	uint32_t *stack; /* free indices */
	uint32_t nfree;
	uint32_t count;
	uint32_t size; /* bytes per ring */
};

/*
 * A FIFO of indices below cap (tcp_slotq.c): a ring in which each index
 * is at most once (its bit in queued is set while it is in the ring), so
 * cap slots never overflow.
 */
struct tcp_slotq {
	uint32_t *ring;
	uint64_t *queued; /* bit per index */
	uint32_t cap;
	uint32_t head; /* slot of the oldest */
	uint32_t n;
};

/*
 * Connections whose tcp_send() found the send buffer pool empty, oldest
 * first (tcp_sndbuf.c), by connection index.
 */
struct tcp_sbwait {
	struct tcp_slotq q;
	uint32_t *gen; /* per index: the waiting connection's gen */
};

/*
 * Connections waiting for a send buffer to reopen a window shut for want
 * of one (tcp_sndbuf.c), oldest first: an intrusive list through
 * tcp_conn.wwait, by connection index (TCP_NONE at the ends), so that a
 * connection freed leaves it at once. Bounded by the connection table;
 * on holds a bit per connection slot, set while the slot is linked.
 */
struct tcp_wwait {
	uint32_t head;
	uint32_t tail;
	uint32_t n;
	uint64_t *on;
};

/* The configured times in microseconds, converted once (tcp_ctx.c). */
struct tcp_times {
	uint64_t msl2;	    /* 2*MSL, TIME_WAIT */
	uint64_t fin_wait2; /* 0: none */
	uint64_t syn_recv;  /* 0: none */
	uint64_t rto_min;
	uint64_t rto_max;
	uint64_t rto_initial;
	uint64_t delayed_ack; /* 0: ACK at once */
	uint64_t send;	      /* the send deadline, 0: none */
	uint64_t ooo_renege;  /* age of a gap whose data may go (tcp_ooo.c) */
};

/*
 * tcp_ooo.c: what a receive buffer holds beyond RCV.NXT. The bytes sit in
 * the ring at their offset from RCV.NXT; the ranges [start, end) received,
 * most recently updated first (the order of RFC 2018 4), and a FIN beyond
 * a gap, live beside the buffer, so a connection pays nothing for them
 * until it holds out-of-order data.
 */
#define TCP_OOO_RANGES 4

struct tcp_ooo {
	struct net_sack_block r[TCP_OOO_RANGES];
	uint32_t fin; /* sequence number of the FIN held */
	uint8_t n;    /* ranges held */
	bool has_fin;
	bool aged; /* on c->ooo_age */
	/*
	 * While the buffer holds out-of-order data: its holder's index, its
	 * neighbours in c->ooo_age (receive buffer indices, TCP_NONE at the
	 * ends) and the time its age counts from.
	 */
	uint32_t conn;
	uint32_t prev;
	uint32_t next;
	uint64_t since;
};

/*
 * Receive buffers holding out-of-order data, by tcp_ooo.since, oldest
 * first (tcp_ooo.c): an intrusive list through struct tcp_ooo.
 */
struct tcp_ooo_age {
	uint32_t head; /* TCP_NONE when empty */
	uint32_t tail;
};

/*
 * tcp_rack.c: when what is in flight went out, for RACK (RFC 8985 6). A
 * connection keeps no per-segment state, so beside each send buffer
 * lies a log of transmissions in the order they were made, oldest
 * first: each the range [start, end) sent (or sent again) at ts, the
 * low 32 bits of the clock in microseconds. Bytes sent in one burst
 * join one range. When the log is full its two oldest ranges become
 * one, sent at the later time: a byte may be taken for younger than it
 * is (found lost later), never older. A byte's send time is that of the
 * newest range holding it. The log also keeps RACK's per-flight state,
 * and PRR's (struct tcp_prr), which is not RACK's.
 */
#define TCP_XMIT_RANGES 16
#define TCP_XF_RXT 0x01	 /* a retransmission */
#define TCP_XF_LOST 0x02 /* RACK deemed it lost */

struct tcp_xmit {
	uint32_t start;
	uint32_t end;
	uint32_t ts;
	uint32_t flags; /* TCP_XF_* */
};

/*
 * RFC 9937 6.1, PRR's state for one fast recovery: bytes delivered and
 * sent since it began, and RecoverFS. It is set when a recovery begins
 * (tcp_recovery.c) and means nothing outside one, so it lives beside
 * the send buffer (in struct tcp_xlog, whatever tcp.rack says). A
 * recovery outlives the buffer only while nothing but our FIN is in
 * flight, when there is no data for PRR to send.
 */
struct tcp_prr {
	uint32_t delivered;  /* prr_delivered */
	uint32_t out;	     /* prr_out */
	uint32_t recover_fs; /* RecoverFS */
	uint32_t gone_lo;    /* the span of the blocks the scoreboard */
	uint32_t gone_hi;    /* left out in this recovery (prr_net()) */
	uint32_t gone_seen;  /* the most of that span known delivered */
};

struct tcp_xlog {
	/* First: tcp_rack_reset() clears only the fields after the ranges. */
	struct tcp_xmit r[TCP_XMIT_RANGES];
	uint32_t n;
	uint32_t rack_ts;     /* RACK.xmit_ts */
	uint32_t rack_end;    /* RACK.end_seq */
	uint32_t rack_rtt;    /* RACK.rtt, us, 0: no sample yet */
	uint32_t dsack_round; /* RACK.dsack_round (SND.NXT) */
	bool has_rack;	      /* rack_ts and rack_end are set */
	bool dsack_round_on;
	bool tlp_rxt; /* RFC 8985 TLP.is_retrans: the probe was a resend */
	/* The ACK being handled grew the reordering window (reo_update()). */
	bool dsack_grew;
	struct tcp_prr prr; /* PRR's, whether RACK runs or not */
};

/* RFC 2883: a duplicate to report in the next ACK of connection conn. */
struct tcp_dsack {
	uint32_t conn; /* connection index or TCP_NONE */
	struct net_sack_block b;
};

/* IP ID counters of IPv4 connections sent without DF, by peer address. */
#define TCP_IP_ID_BUCKETS 256

struct tcp_ctx {
	struct tcp_outq outq; /* first: tcp_outq() (tcp.h) */
	struct tcp_params p;
	struct tcp_times us;
	struct tcp_counters cnt;
	uint64_t gauges[TCP_STATE_MAX];

	struct tcp_listener lst[TCP_MAX_LISTENERS];
	uint32_t n_lst;
	uint32_t cb_depth; /* application callbacks in progress */

	struct tcp_conn *conns; /* on a cache line, in conns_mem */
	void *conns_mem;
	struct tcp_addr6 *a6; /* per connection slot, when p.ipv6 */
	uint32_t conn_free;
	uint32_t conn_used;

	struct tcp_twr twr[2]; /* TIME_WAIT rings: TCP_TWR_V4, _V6 */
	uint32_t tw_used;      /* live records, both rings */

	struct tcp_bufpool sbp;	    /* send buffers, snd_buf bytes each */
	struct tcp_sbwait sbw;	    /* connections waiting for one */
	struct tcp_wwait wwait;	    /* windows waiting for one */
	struct tcp_xlog *xlog;	    /* per send buffer: transmissions, PRR */
	struct tcp_bufpool rbp;	    /* receive buffers, rcv_wnd bytes each */
	struct tcp_ooo *ooo;	    /* per receive buffer: out-of-order state */
	struct tcp_ooo_age ooo_age; /* receive buffers, by tcp_ooo.since */
	struct tcp_dsack dsack;	    /* D-SACK block for the next ACK */

	struct tcp_src_tab *src; /* per source counts, or NULL */

	struct flowtab *ft;
	struct flowtab_hkey ft_hk; /* ft's hash state (tcp_seg_hash()) */
	/*
	 * SipHash's state keyed with p.isn_secret, past the first half of
	 * the first round (no message word in it): where the ISN, timestamp
	 * offset and cookie hashes start (tcp_isn.c, tcp_isn_key()).
	 */
	uint64_t isn_v[4];
	/*
	 * While tcp_input_hash() handles a segment (in_seg, else NULL): its
	 * flow key and hash, and the connection (index and generation) that
	 * tuple is, in_conn TCP_NONE for none yet. The table operations on
	 * that connection's entry take them rather than hash it again
	 * (tcp_conn_key_hash()).
	 */
	const struct net_seg *in_seg;
	struct flow_key in_key;
	uint32_t in_hash;
	uint32_t in_conn;
	uint32_t in_gen;
	/*
	 * The table slot where the last lookup found its entry (on a miss,
	 * the first free slot it met): a hint for the operations finding an
	 * entry by its value, which is unique in the table, so any slot is
	 * safe (flowtab_update_val_at()).
	 */
	uint32_t in_slot;
	struct wheel *w;
	size_t mem;
	uint64_t cookie_sent_at; /* time of the last SYN cookie, 0: none */
	bool drain;		 /* draining: tcp_drain.c */
	uint8_t cubic_shift;	 /* tcp_cc_west_shift() of p.snd_buf */
	uint32_t drain_cursor;	 /* next slot offered to on_drain */
	uint32_t drain_reset_at; /* next slot tcp_drain_reset() looks at */
	/* Per listener, the application's (tcp_conn_listener_data()). */
	uint64_t lst_app[TCP_MAX_LISTENERS][TCP_LISTENER_APP_BYTES / 8];
	/* tcp_frag_id_next(): random starts (tcp_ctx_create()) */
	uint16_t ip_ids[TCP_IP_ID_BUCKETS];
};

/*
 * Established connections per source (tcp_source.c), when c->src is set
 * (p.max_per_source): whether a SYN's source is at the limit (counted in
 * source_limit_drop); counting a connection that completes its handshake
 * (false, counted in source_limit_reset, at the limit); and uncounting
 * one that had.
 */
struct tcp_src_tab;
int tcp_src_init(struct tcp_ctx *c);
void tcp_src_fini(struct tcp_ctx *c);
bool tcp_src_syn_refused(struct tcp_ctx *c, const struct net_seg *seg);
bool tcp_src_take(struct tcp_ctx *c, const struct tcp_conn *conn);
void tcp_src_put(struct tcp_ctx *c, const struct tcp_conn *conn);
/* The table's bytes, 0 without one (reported with the connections). */
size_t tcp_src_mem_bytes(const struct tcp_ctx *c);
/* The count of e's source (tests); 0 without a table. */
uint32_t tcp_src_count(const struct tcp_ctx *c, const struct tcp_ends *e);
/* The table agrees with the opened connections; 0, or -1. */
int tcp_src_check(const struct tcp_ctx *c);

/* What a valid SYN cookie tells of the SYN it answered. */
struct tcp_cookie {
	uint16_t mss;
	int8_t wscale; /* peer's shift, -1: no window scaling */
	bool ts;
	bool sack;
};

/*
 * Every gauge movement goes through here; CLOSED is not gauged. Inline,
 * with tcp_set_state() and tcp_conn_ops(): each segment goes through
 * them, and a call costs more than their work.
 */
static inline void
tcp_gauge_move(struct tcp_ctx *c, enum tcp_state from, enum tcp_state to)
{
	if (from != TCP_CLOSED)
		c->gauges[from]--;
	if (to != TCP_CLOSED)
		c->gauges[to]++;
}

/*
 * The IP ID of the next segment of a connection sent without DF
 * (tcp_pmtu.c): from the counter of its peer's address, shared by every
 * connection of the worker to that address, so that IDs are unique per
 * source, destination and protocol for 65535 datagrams (RFC 6864 4.1),
 * skipping 0 (DF). Linux keeps such counters by address hash too
 * (ip_idents).
 */
static inline uint16_t
tcp_frag_id_next(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	uint16_t *n = &c->ip_ids[conn->ip_id_bucket - 1];
	uint16_t id = *n != 0 ? *n : 1;

	*n = (uint16_t)(id + 1);
	return id;
}

/*
 * RFC 7323 2.3: the shift of the peer's Window Scale option. Above 14
 * "the TCP SHOULD log the error but MUST use 14": counted in
 * wscale_clamped.
 */
static inline uint8_t
tcp_peer_wscale(struct tcp_ctx *c, const struct net_tcp_opts *o)
{
	if (o->wscale <= TCP_MAX_WSCALE)
		return o->wscale;
	c->cnt.wscale_clamped++;
	return TCP_MAX_WSCALE;
}

/* The one state transition function for connections. */
static inline void
tcp_set_state(struct tcp_ctx *c, struct tcp_conn *conn, enum tcp_state s)
{
	tcp_gauge_move(c, (enum tcp_state)conn->state, s);
	conn->state = (uint8_t)s;
}

static inline const struct tcp_app_ops *
tcp_conn_ops(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->lst[conn->listener].ops;
}

/* Receive buffer free space: what the window may offer. */
static inline uint32_t
tcp_rb_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->p.rcv_wnd - conn->rb_len;
}

/* tcp_ctx.c */
struct tcp_conn *tcp_conn_alloc(struct tcp_ctx *c, uint64_t now);
void tcp_conn_free(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_conn_release(struct tcp_ctx *c, struct tcp_conn *conn,
		      bool keep_entry);
const struct tcp_listener *tcp_listener_find(const struct tcp_ctx *c,
					     uint16_t port, bool v6);

/* tcp_ends.c, tcp_ends.h: the one place a tuple of either family is read. */
void tcp_ends_key(const struct tcp_ctx *c, const struct tcp_ends *e,
		  struct flow_key *k);
void tcp_conn_key(const struct tcp_ctx *c, const struct tcp_conn *conn,
		  struct flow_key *k);
uint32_t tcp_conn_key_hash(const struct tcp_ctx *c, const struct tcp_conn *conn,
			   struct flow_key *k);
uint32_t tcp_conn_hash(const struct tcp_ctx *c, const struct tcp_conn *conn);
void tcp_conn_set_ends(struct tcp_ctx *c, struct tcp_conn *conn,
		       const struct net_seg *seg);
uint16_t tcp_mss_ours(const struct tcp_ctx *c, bool v6);
uint16_t tcp_mss_default(bool v6);

/*
 * A path MTU resend's flight is not yet acknowledged (tcp_pmtu.c): its
 * end, kept in recover, lies beyond SND.UNA and within SND.MAX.
 */
static inline bool
tcp_pmtu_flight_open(const struct tcp_conn *conn)
{
	return (conn->rec_flags & TCP_RF_PMTU) &&
		net_seq_lt(conn->snd_una, conn->recover) &&
		net_seq_leq(conn->recover, conn->snd_max);
}

static inline bool
tcp_conn_live(const struct tcp_conn *conn, uint32_t gen)
{
	return (conn->flags & TCP_CF_USED) && conn->gen == gen;
}

static inline uint32_t
tcp_ms(uint64_t t)
{
	return (uint32_t)(t / 1000);
}

static inline uint32_t
tcp_sec(uint64_t t)
{
	return (uint32_t)(t / 1000000);
}

/* RFC 7323 4.1: the TSval conn sends at time t. */
static inline uint32_t
tcp_tsval(const struct tcp_conn *conn, uint64_t t)
{
	return tcp_ms(t) + conn->ts_offset;
}

/* tcp_isn.c */
uint32_t tcp_isn(const struct tcp_ctx *c, const struct tcp_ends *e,
		 uint64_t now, uint32_t *ts_offset);
uint32_t tcp_ts_offset(const struct tcp_ctx *c, const struct tcp_ends *e);
/*
 * Derive c->isn_v from c->p.isn_secret: at creation, and again whenever
 * the secret is set anew (tests do).
 */
void tcp_isn_key(struct tcp_ctx *c);
uint64_t tcp_siphash(const uint8_t key[16], const uint8_t *in, size_t len);
uint32_t tcp_cookie_hash(const struct tcp_ctx *c, const struct tcp_ends *e,
			 uint32_t a, uint32_t b);

/* tcp_drain.c */
void tcp_drain_refuse(struct tcp_ctx *c, const struct net_seg *seg);

/* tcp_syncookie.c */
void tcp_cookie_synack(struct tcp_ctx *c, const struct net_seg *seg,
		       uint64_t now);
bool tcp_cookie_expected(const struct tcp_ctx *c, uint64_t now);
bool tcp_cookie_returned(const struct tcp_ctx *c, const struct net_seg *seg,
			 uint64_t now);
bool tcp_cookie_check(struct tcp_ctx *c, const struct net_seg *seg,
		      uint64_t now, struct tcp_cookie *ck);

/* tcp_bufpool.c */
int tcp_bufpool_init(struct tcp_bufpool *bp, uint32_t count, uint32_t size,
		     size_t *mem);
void tcp_bufpool_fini(struct tcp_bufpool *bp);
uint32_t tcp_bufpool_get(struct tcp_bufpool *bp);
void tcp_bufpool_put(struct tcp_bufpool *bp, uint32_t idx);
uint32_t tcp_ring_append(const struct tcp_bufpool *bp, uint32_t idx,
			 uint32_t head, uint32_t len, const void *data,
			 uint32_t n);

static inline uint8_t *
tcp_bufpool_base(const struct tcp_bufpool *bp, uint32_t idx)
{
	return bp->mem + (size_t)idx * bp->size;
}

/*
 * A position in a ring of size bytes, given as a head (< size) plus an
 * offset within the ring's bytes (<= size): below 2 * size, so one
 * subtraction wraps it where % would divide (sizes are at most 2^30, so
 * the sum fits).
 */
static inline uint32_t
tcp_ring_wrap(uint32_t pos, uint32_t size)
{
	return pos >= size ? pos - size : pos;
}

/* tcp_slotq.c */
int tcp_slotq_init(struct tcp_slotq *q, uint32_t cap, size_t *mem);
void tcp_slotq_fini(struct tcp_slotq *q);
bool tcp_slotq_has(const struct tcp_slotq *q, uint32_t idx);
bool tcp_slotq_push(struct tcp_slotq *q, uint32_t idx);
uint32_t tcp_slotq_pop(struct tcp_slotq *q);

/* tcp_sndbuf.c */
int tcp_sb_init(struct tcp_ctx *c);
void tcp_sb_fini(struct tcp_ctx *c);
bool tcp_sb_get(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_sb_put(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_sb_wake_run(struct tcp_ctx *c, uint64_t now);
void tcp_wwait_unlink(struct tcp_ctx *c, struct tcp_conn *conn);

/*
 * Wake the connections (and windows) waiting for a send buffer, if one
 * is free: once a poll, with its timer work (tcp_timers()), where no
 * callback is running and no received segment pays for the test.
 */
static inline void
tcp_sb_wake(struct tcp_ctx *c, uint64_t t)
{
	if (__builtin_expect((c->sbw.q.n | c->wwait.n) != 0, 0) &&
	    c->sbp.nfree != 0)
		tcp_sb_wake_run(c, t);
}

/*
 * conn leaves the window waiters, if it is one: it is freed, or the
 * peer's SACK blocks are about to be written over its links (it has
 * sent since it was linked). One test of the list's length when it is
 * empty.
 */
static inline void
tcp_wwait_leave(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (__builtin_expect(c->wwait.n != 0, 0))
		tcp_wwait_unlink(c, conn);
}
uint32_t tcp_sb_write(struct tcp_ctx *c, struct tcp_conn *conn,
		      const void *data, uint32_t len);
void tcp_sb_consume(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t n);
unsigned int tcp_sb_read(const struct tcp_ctx *c, const struct tcp_conn *conn,
			 uint32_t off, uint32_t len, const uint8_t *ptr[2],
			 uint32_t plen[2]);

/* tcp_rcvbuf.c */
int tcp_rb_init(struct tcp_ctx *c);
void tcp_rb_fini(struct tcp_ctx *c);
void tcp_rb_put(struct tcp_ctx *c, struct tcp_conn *conn);
bool tcp_rb_get(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
uint32_t tcp_rb_append(struct tcp_ctx *c, struct tcp_conn *conn,
		       const uint8_t *data, uint32_t len, uint64_t now);
bool tcp_rb_deliver(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_rb_idle(struct tcp_ctx *c, struct tcp_conn *conn);

/* tcp_ooo.c */
int tcp_ooo_init(struct tcp_ctx *c, uint32_t count);
void tcp_ooo_fini(struct tcp_ctx *c);
void tcp_ooo_reset(struct tcp_ctx *c, uint32_t rb);
bool tcp_ooo_held(const struct tcp_ctx *c, const struct tcp_conn *conn);
void tcp_ooo_queue(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
		   const uint8_t *data, uint32_t len, uint64_t now);
uint32_t tcp_ooo_join(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_ooo_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
		 uint64_t now);
bool tcp_ooo_reclaim(struct tcp_ctx *c, uint64_t now);
int tcp_ooo_check(const struct tcp_ctx *c);
bool tcp_ooo_fin_reached(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_ooo_dup(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t start,
		 uint32_t end);
void tcp_ooo_dup_seg(struct tcp_ctx *c, struct tcp_conn *conn,
		     const struct net_seg *seg);
void tcp_ooo_sack(struct tcp_ctx *c, const struct tcp_conn *conn,
		  struct tcp_out *o);
void tcp_ooo_fit(const struct tcp_conn *conn, struct tcp_out *o);

/* tcp_output.c */
struct tcp_out *tcp_out_push(struct tcp_ctx *c);
struct tcp_out *tcp_out_reply(struct tcp_ctx *c, const struct net_seg *seg);
struct tcp_out *tcp_out_seg(struct tcp_ctx *c, struct tcp_conn *conn,
			    uint32_t seq, uint8_t flags, uint64_t now);
void tcp_out_purge(struct tcp_ctx *c, uint32_t conn_idx);
void tcp_send_ack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_send_synack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_send_rst_conn(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_send_rst_seg(struct tcp_ctx *c, const struct net_seg *seg);
bool tcp_challenge_ack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
bool tcp_reply_allowed(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_invalid_ack(struct tcp_ctx *c, struct tcp_conn *conn,
		     const struct net_seg *seg, uint64_t now);

/*
 * Whether the answer to an invalid segment goes whatever the rate limit
 * (invalid_ratelimit_ms), as in Linux's tcp_oow_rate_limited(): one with
 * data or a FIN and no SYN is not what an ACK loop or a blind flood is
 * made of, and its sender may have lost our ACK. One ACK answers it. A
 * RST never is: its answer is a challenge ACK, limited whatever the RST
 * carries (RFC 5961 7; tcp_challenge_ack() on an open connection).
 */
static inline bool
tcp_reply_unlimited(const struct net_seg *seg)
{
	return (seg->len != 0 || (seg->flags & NET_TCP_FIN)) &&
		!(seg->flags & (NET_TCP_SYN | NET_TCP_RST));
}
void tcp_output(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now,
		uint32_t max_segs);
void tcp_probe(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
uint32_t tcp_rcv_space(const struct tcp_ctx *c, const struct tcp_conn *conn);
uint32_t tcp_rcv_room(const struct tcp_ctx *c, const struct tcp_conn *conn);
uint32_t tcp_rcv_buf(const struct tcp_ctx *c, const struct tcp_conn *conn);

/*
 * Whether a FIN at sequence number seq lies inside the receive window,
 * in order (seq is RCV.NXT) or beyond a gap: RFC 9293 3.10.7.4 trims a
 * segment to the window "including SYN and FIN". Inside: short of the
 * right edge advertised, or of the edge the next window we advertise
 * would give (tcp_rcv_room(): the room free, at most 65535 scale units),
 * when the application made room since. The one test of both paths
 * (tcp_rcv_fin(), tcp_ooo_fin()).
 */
static inline bool
tcp_rcv_fin_in_window(const struct tcp_ctx *c, const struct tcp_conn *conn,
		      uint32_t seq)
{
	return net_seq_lt(seq, conn->rcv_adv) ||
		seq - conn->rcv_nxt < tcp_rcv_room(c, conn);
}

/* tcp_app.c: every application callback (false: conn was freed) */
enum tcp_app_event {
	TCP_APP_OPEN,
	TCP_APP_SENT,
	TCP_APP_PEER_FIN,
	TCP_APP_TIMER,
	TCP_APP_DRAIN,
};

bool tcp_app_event(struct tcp_ctx *c, struct tcp_conn *conn,
		   enum tcp_app_event ev, uint64_t now);
bool tcp_app_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
		  uint32_t len, uint64_t now, uint32_t *took);
bool tcp_after_callback(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);

/* tcp_recovery.c */
void tcp_cc_init(struct tcp_conn *conn);
uint8_t tcp_cc_west_shift(uint32_t snd_buf);
void tcp_cc_idle(struct tcp_conn *conn);
void tcp_cc_pause(struct tcp_conn *conn, uint64_t now);
uint32_t tcp_cc_window(const struct tcp_conn *conn);

/*
 * After a transmission: the flight, if the largest since cwnd was last
 * lowered, is what cwnd has been used up to (struct tcp_conn cwnd_used).
 * During a go-back-N resend the flight is what went again; data the peer
 * holds out of order counts, until recovery lowers cwnd and the measure
 * starts again. In line: every transmission comes here.
 */
static inline void
tcp_cc_sent(struct tcp_conn *conn)
{
	uint32_t f = conn->snd_nxt - conn->snd_una;

	if (f > conn->cwnd_used)
		conn->cwnd_used = f;
}
uint32_t tcp_rec_send_window(const struct tcp_conn *conn);
void tcp_rec_ack(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct net_seg *seg, uint32_t acked, uint64_t now);
void tcp_rec_dupack(struct tcp_ctx *c, struct tcp_conn *conn,
		    const struct net_seg *seg, uint64_t now);
void tcp_rec_timeout(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_rec_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
		  uint32_t len, bool rxt, uint64_t now);
void tcp_rec_reorder_timeout(struct tcp_ctx *c, struct tcp_conn *conn,
			     uint64_t now);
uint32_t tcp_rec_skip_sacked(const struct tcp_conn *conn, uint32_t seq);
uint64_t tcp_tlp_pto(const struct tcp_ctx *c, const struct tcp_conn *conn);
void tcp_tlp_send(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_tlp_acked(struct tcp_ctx *c, struct tcp_conn *conn,
		   const struct net_seg *seg, uint32_t una);
void tcp_tlp_dupack(struct tcp_conn *conn, const struct net_seg *seg);

/* tcp_rack.c */
int tcp_rack_init(struct tcp_ctx *c, uint32_t count);
void tcp_rack_fini(struct tcp_ctx *c);
void tcp_rack_reset(struct tcp_ctx *c, uint32_t sb);
void tcp_rack_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
		   uint32_t len, bool rxt, uint64_t now);
void tcp_rack_ack(struct tcp_ctx *c, struct tcp_conn *conn,
		  const struct net_sack_block *old, uint32_t nold,
		  uint32_t old_una, const struct net_seg *seg, uint64_t now);
uint64_t tcp_rack_detect(struct tcp_ctx *c, struct tcp_conn *conn,
			 uint64_t now);
bool tcp_rack_next_lost(const struct tcp_ctx *c, const struct tcp_conn *conn,
			uint32_t *seq, uint32_t *len);
void tcp_rack_ack_begin(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_rack_idle(struct tcp_conn *conn, uint64_t idle_start, uint64_t now);
void tcp_rack_recovery_done(const struct tcp_ctx *c, struct tcp_conn *conn);
bool tcp_seg_has_dsack(const struct net_seg *seg);

/*
 * The RACK log of conn, or NULL when RACK does not run for it. Inline:
 * every ACK and every segment sent asks, mostly to learn that it does
 * not.
 */
static inline struct tcp_xlog *
tcp_rack_log(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (!(conn->flags & TCP_CF_SACK) || conn->sb == TCP_NONE ||
	    !c->p.rack || c->xlog == NULL)
		return NULL;
	return &c->xlog[conn->sb];
}

/*
 * The log beside conn's send buffer whether RACK runs or not (PRR's
 * state, the probe's kind); NULL when it has no send buffer.
 */
static inline struct tcp_xlog *
tcp_flight_log(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (conn->sb == TCP_NONE || c->xlog == NULL)
		return NULL;
	return &c->xlog[conn->sb];
}

/*
 * The peer's window is open: the persist timer's count of probes ends,
 * except, once the application has closed, for a window under an MSS: a
 * peer taking a byte now and then and closing its window again would
 * otherwise restart persist_closed_abort's count for ever (tcp_output.c).
 */
static inline void
tcp_persist_opened(struct tcp_conn *conn)
{
	if (!(conn->flags & TCP_CF_FIN_QUEUED) ||
	    conn->snd_wnd >= conn->snd_mss)
		conn->persist_shift = 0;
}

/* PRR's state of conn (RFC 9937); NULL when it has no send buffer. */
static inline struct tcp_prr *
tcp_prr(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct tcp_xlog *x = tcp_flight_log(c, conn);

	return x != NULL ? &x->prr : NULL;
}

/* tcp_timer.c */
void tcp_conn_arm(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_rexmit_arm(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_rexmit_set(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_rtt_sample(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t rtt);
uint64_t tcp_backoff(const struct tcp_ctx *c, uint32_t base, uint32_t shift);
void tcp_send_watch(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/*
 * conn took a send buffer to reopen its window: it goes back if the peer
 * sends nothing into the window for a while (t_state, the send deadline,
 * which has nothing to watch meanwhile).
 */
void tcp_window_hold(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);

/*
 * An ACK moved SND.UNA while retransmissions were unanswered: the path
 * works, so a send deadline missed meanwhile, which waits for the
 * retransmission timer (tcp_timer.c), applies at the next tick: the
 * peer is slow, not gone. A deadline that equals that timer by chance,
 * to the microsecond, is brought forward the same way. Called from
 * ack_advance() only, past SYN_RECEIVED (ack_syn_received() moved on)
 * and short of FIN_WAIT_2 (nothing is left to acknowledge there), so
 * t_state is the send deadline or nothing.
 */
static inline void
tcp_send_answered(struct tcp_conn *conn, uint64_t at)
{
	if (conn->t_state != 0 && conn->t_state == conn->t_rexmit)
		conn->t_state = at;
}

/*
 * The send queue is empty: no send deadline runs. One left behind would
 * show as a timer of an idle connection, and its mark, fixed in sequence
 * space, would lie in the window again 2^32 bytes later. Called from
 * check_ack() where, as for tcp_send_answered(), t_state is the send
 * deadline or nothing.
 */
static inline void
tcp_send_unwatch(struct tcp_conn *conn)
{
	conn->t_state = 0;
}

/* tcp_tw.c */
int tcp_tw_init(struct tcp_ctx *c);
void tcp_tw_fini(struct tcp_ctx *c);
void tcp_tw_enter(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
enum tcp_tw_verdict tcp_tw_input(struct tcp_ctx *c, uint32_t val,
				 const struct net_seg *seg, uint64_t now,
				 uint32_t *isn);
const struct tcp_tw *tcp_tw_find(const struct tcp_ctx *c, uint32_t val,
				 const struct tcp_addr6 **a6);
/* TIME_WAIT records expired between reads of a time bound's clock. */
#define TCP_TW_CLOCK_EVERY 32u
/*
 * Expire due TIME_WAIT records, at most budget, and, with clk, until its
 * deadline passes (then *stopped is set).
 */
uint32_t tcp_tw_expire(struct tcp_ctx *c, uint64_t now, uint32_t budget,
		       const struct wheel_clock *clk, bool *stopped);
void tcp_tw_reopen(struct tcp_ctx *c, uint32_t val, struct tcp_conn *conn);
bool tcp_tw_return(struct tcp_ctx *c, struct tcp_conn *conn);
void tcp_tw_unlink(struct tcp_ctx *c, struct tcp_conn *conn);
int tcp_tw_check(const struct tcp_ctx *c);
size_t tcp_tw_mem_bytes(const struct tcp_ctx *c);

/* tcp_input.c, tcp_listen.c */
void tcp_fin_wait2_arm(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
void tcp_conn_input(struct tcp_ctx *c, struct tcp_conn *conn,
		    const struct net_seg *seg, uint64_t now);
void tcp_listen_input(struct tcp_ctx *c, const struct tcp_listener *l,
		      const struct net_seg *seg, uint64_t now, uint32_t isn,
		      uint32_t tw);

/* tcp_rcv.c: each returns false when the connection was freed. */
bool tcp_rcv_text(struct tcp_ctx *c, struct tcp_conn *conn,
		  const struct net_seg *seg, uint64_t now);
bool tcp_rcv_fin(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct net_seg *seg, uint64_t now);
bool tcp_rcv_resume(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
bool tcp_rcv_known_short(const struct tcp_ctx *c, const struct tcp_conn *conn);
bool tcp_rcv_sws_hold(const struct tcp_ctx *c, const struct tcp_conn *conn,
		      uint32_t cur, uint32_t room);

#include "tcp_ends.h"

#endif /* TT_TCP_INTERNAL_H */
