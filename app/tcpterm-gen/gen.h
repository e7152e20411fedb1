/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm-gen: a TCP client load generator on one DPDK lcore.
 *
 * It opens connections from a range of source addresses and ports to one
 * target, runs a minimal client TCP per connection (SYN, ACK + request,
 * response, FIN; retransmission of SYN, request and FIN on a fixed
 * timeout; RST on failure) and measures rates, failures and latencies.
 * The raw and reflect modes move packets without TCP to measure what the
 * device itself can carry.
 */
#ifndef TT_GEN_H
#define TT_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gen_addr.h"
#include "gen_rss.h"
#include "net.h"

#define GEN_BURST 32
#define GEN_TXQ 1024 /* frames queued while the device is full */
#define GEN_NONE UINT32_MAX
#define GEN_MAX_REQ 1400
#define GEN_EXIT_FAILED 3 /* connections failed, not allowed to */
#define GEN_HIST_SUB_BITS 3
#define GEN_HIST_BUCKETS (64 << GEN_HIST_SUB_BITS)

/* Scenarios, declared once: enum gen_scenario and gen_scenario_name(). */
#define GEN_SCENARIOS(X) \
	X(SHORT, "short") \
	X(CLIENT_CLOSE, "client-close") \
	X(KEEPALIVE, "keepalive") \
	X(RAW, "raw") \
	X(REFLECT, "reflect") \
	X(SYNFLOOD, "synflood")

/* clang-format off */
enum gen_scenario {
#define GEN_SCN_ENUM(e, s) GEN_##e,
	GEN_SCENARIOS(GEN_SCN_ENUM)
#undef GEN_SCN_ENUM
	GEN_SCENARIO_MAX
};
/* clang-format on */

/* Command line options. */
struct gen_opts {
	enum gen_scenario scenario;
	char port[64]; /* ethdev name; empty = the first port */
	/*
	 * Source address range, host order: the addresses (IPv4) or their
	 * low 32 bits (IPv6, the rest from src6).
	 */
	uint32_t src_lo;
	uint32_t src_hi;
	uint16_t sport_lo; /* source port range */
	uint16_t sport_hi;
	uint32_t dst; /* target address and port */
	uint16_t dport;
	bool ipv6;		     /* speak IPv6: src6 and dst6 */
	uint8_t src6[NET_IPV6_ALEN]; /* the first source address */
	uint8_t dst6[NET_IPV6_ALEN];
	uint8_t dst_mac[NET_ETH_ALEN];
	bool dst_mac_set;
	double rate;	      /* conns/s, requests/s or pps; 0 = flat out */
	uint32_t concurrency; /* most connections in flight */
	double duration;      /* seconds of load */
	double wait;	      /* seconds to let in-flight work finish */
	double hold;	      /* seconds to keep the port up at the end */
	uint32_t req_bytes;   /* request size */
	uint32_t resp_bytes;  /* expected response size; 0 = learn */
	uint32_t rto_ms;
	uint32_t retries;
	uint32_t reuse_ms; /* least time before a 4-tuple is reused */
	uint32_t link_wait_ms;
	uint32_t mbufs;
	uint32_t pkt_bytes; /* raw mode frame size */
	bool quiet;
	char series[256];      /* per-second CSV; empty = none */
	double flood_rate;     /* spoofed SYNs/s; 0 = flat out, < 0 = off */
	uint32_t flood_src_lo; /* spoofed source range, host order */
	uint32_t flood_src_hi;
	/* Fault injection, each direction: percentages, delay, seed. */
	double loss;
	double reorder;
	double dup;
	uint32_t delay_us;
	uint64_t seed;
	/* The target's workers: spread the source tuples over them. */
	uint32_t workers;	/* 1: no spreading */
	uint32_t reta_size;	/* the target's RETA size */
	int32_t owner;		/* open only this worker's tuples; -1: all */
	bool allow_failures;	/* failed connections do not fail the run */
	uint32_t close_wait_ms; /* at the end, wait for the peer to leave */
};

/* Per-connection client state. */
enum gen_state {
	GS_FREE = 0,
	GS_SYN_SENT,
	GS_ESTAB,    /* request outstanding, or idle (keepalive) */
	GS_FIN_WAIT, /* our FIN sent, the server's not yet seen */
	GS_LAST_ACK, /* both FINs sent, waiting for the ACK of ours */
};

/* Which intrusive list a connection is on. */
enum gen_list {
	GL_NONE = 0,
	GL_RTO,	 /* waiting for the peer: timed */
	GL_IDLE, /* keepalive connection with no request outstanding */
};

struct gen_conn {
	uint32_t prev;
	uint32_t next;
	uint32_t tuple; /* index into the source 4-tuple space */
	uint8_t state;	/* enum gen_state */
	uint8_t list;	/* enum gen_list */
	uint8_t retries;
	uint8_t ts_ok : 1;    /* timestamps negotiated */
	uint8_t awaiting : 1; /* a response is expected */
	uint8_t fin_sent : 1;
	uint8_t fin_rcvd : 1;
	uint32_t iss;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t ts_recent;
	uint32_t resp_rx; /* bytes of the current response */
	uint64_t t_open;  /* TSC of the first SYN */
	uint64_t t_req;	  /* TSC of the current request */
	uint64_t t_tx;	  /* TSC of the last timed transmission */
};

struct gen_list_head {
	uint32_t head;
	uint32_t tail;
};

/* Log-linear latency histogram in nanoseconds. */
struct gen_hist {
	uint64_t n;
	uint64_t b[GEN_HIST_BUCKETS];
};

/* Counters, declared once: struct gen_counters fields and names. */
#define GEN_COUNTERS(X) \
	X(opened) \
	X(established) \
	X(completed) \
	X(requests) \
	X(fail_rst) \
	X(fail_timeout) \
	X(fail_bad_response) \
	X(unfinished) \
	X(retransmits) \
	X(rx_pkts) \
	X(tx_pkts) \
	X(rx_bytes) \
	X(tx_bytes) \
	X(tx_drop) \
	X(no_mbuf) \
	X(rx_invalid) \
	X(stray) \
	X(tuple_stalls) \
	X(arp_replies) \
	X(nd_replies) \
	X(flood_syns) \
	X(flood_synacks) \
	X(flood_tx_full) \
	X(imp_tx_loss) \
	X(imp_tx_dup) \
	X(imp_tx_reorder) \
	X(imp_tx_delayed) \
	X(imp_tx_line_full) \
	X(imp_tx_dup_fail) \
	X(imp_rx_loss) \
	X(imp_rx_dup) \
	X(imp_rx_reorder) \
	X(imp_rx_delayed) \
	X(imp_rx_line_full) \
	X(imp_rx_dup_fail)

struct gen_counters {
#define GEN_CNT_FIELD(n) uint64_t n;
	GEN_COUNTERS(GEN_CNT_FIELD)
#undef GEN_CNT_FIELD
};

#define GEN_COUNTER_COUNT (sizeof(struct gen_counters) / sizeof(uint64_t))

/* Frames in the delay line of one direction (a power of two). */
#define GEN_IMP_LINE 8192

struct gen_imp_slot {
	struct rte_mbuf *m;
	uint64_t due; /* TSC it leaves at */
};

/* One direction's impairment stage (gen_imp.c). */
struct gen_imp {
	bool on;
	uint32_t loss; /* probabilities, in 2^-32 */
	uint32_t dup;
	uint32_t reorder;
	uint64_t delay_tsc;
	uint64_t reorder_tsc; /* a held-back frame leaves after this */
	uint64_t rng;
	uint64_t *cnt;	       /* this direction's counters, from imp_*_loss */
	struct rte_mbuf *held; /* held back, to be overtaken */
	uint64_t held_since;
	uint32_t head;
	uint32_t n;
	struct gen_imp_slot line[GEN_IMP_LINE];
};

/* Everything the generator owns. */
struct gen {
	struct gen_opts o;
	uint16_t port_id;
	uint8_t mac[NET_ETH_ALEN];
	struct rte_mempool *mp;
	uint64_t hz;
	uint64_t tsc0;
	uint64_t now;	  /* TSC of the current poll */
	uint64_t ns_mult; /* ns = (tsc * ns_mult) >> 32 */
	uint64_t rto_tsc;
	uint32_t now_ms;
	uint32_t ts_base; /* timestamp clock at tsc0 (wall clock, ms) */
	/* Source 4-tuple space: n_src addresses x n_sport ports. */
	uint32_t n_src;
	uint32_t n_sport;
	uint32_t n_tuples;
	uint32_t next_tuple; /* the next position in the order */
	/*
	 * The order tuples are taken in when the target has several workers
	 * (gen_rss.c); NULL: index order. Position i belongs to owner
	 * i % workers, or to o.owner.
	 */
	uint32_t *order;
	uint32_t n_order;
	uint64_t owner_tuples[GEN_RSS_MAX_OWNERS]; /* in the order */
	uint64_t owner_opened[GEN_RSS_MAX_OWNERS]; /* connections */
	uint32_t *tuple_conn;	 /* tuple -> connection or GEN_NONE */
	uint32_t *tuple_free_ms; /* when each tuple was last released */
	/* Connections. */
	struct gen_conn *conns;
	uint32_t n_conns;
	uint32_t free_top;
	uint32_t *free_stack;
	uint32_t inflight;
	struct gen_list_head rto;
	struct gen_list_head idle;
	/* Request template. */
	uint8_t req[GEN_MAX_REQ];
	uint32_t req_len;
	uint32_t resp_len; /* expected response bytes; 0 = unknown */
	/* Pacing. */
	double tokens;
	uint64_t last_refill;
	bool opening;  /* new work is still started */
	bool stopping; /* keepalive connections are being closed */
	/* TX queue. */
	uint16_t ntx;
	struct rte_mbuf *tx[GEN_TXQ];
	/* The SYN flood. */
	uint64_t flood_rng;
	double flood_tokens;
	uint64_t flood_last;
	/* Measurements. */
	struct gen_counters c;
	struct gen_hist connect;  /* SYN -> SYN-ACK */
	struct gen_hist response; /* request -> complete response */
	struct gen_hist complete; /* first SYN -> complete response */
	/* Fault injection: frames we send, frames we receive. */
	struct gen_imp imp_tx;
	struct gen_imp imp_rx;
	struct gen_hist connect_iv; /* this interval only */
	uint64_t busy_tsc;	    /* in polls that moved packets */
	uint64_t poll_cap_tsc;	    /* a longer poll was preempted: capped */
	double cpu0;		    /* process CPU seconds at tsc0 */
	uint64_t polls;
	uint64_t busy_polls;
	uint64_t next_report; /* TSC of the next once-a-second report */
	/* Reporting: the previous second's snapshot. */
	struct gen_counters last;
	uint64_t last_busy_tsc;
	double last_cpu;
	uint64_t last_tsc;
	double last_t;
	FILE *series;
};

/* gen_cli.c */
int gen_parse_args(int argc, char **argv, struct gen_opts *o);
void gen_usage(FILE *f);
const char *gen_scenario_name(enum gen_scenario s);
uint64_t gen_failed(const struct gen_counters *c);
int gen_exit_status(const struct gen_opts *o, const struct gen_counters *c,
		    char *msg, size_t len);

/* gen_tcp.c: the client TCP. */
int gen_tcp_init(struct gen *g);
void gen_tcp_free(struct gen *g);
void gen_tcp_input(struct gen *g, const struct net_frame *f);
void gen_tcp_timers(struct gen *g);
unsigned int gen_tcp_open_some(struct gen *g, unsigned int max);
unsigned int gen_tcp_dispatch_some(struct gen *g, unsigned int max);
void gen_tcp_stop(struct gen *g);
void gen_tcp_abort_all(struct gen *g);

/* gen_io.c: frames in and out. */
void gen_tx(struct gen *g, struct rte_mbuf *m);
void gen_tx_flush(struct gen *g);
int gen_send_tcp(struct gen *g, const struct net_tcp_build *b,
		 const uint8_t *payload);
unsigned int gen_rx(struct gen *g);
void gen_send_arp(struct gen *g, uint16_t op, uint32_t spa, const uint8_t *tha,
		  uint32_t tpa);
void gen_send_ns(struct gen *g, uint32_t src_low, const uint8_t *dst_mac);

/* Is addr (its low 32 bits for IPv6) one of the sources? */
static inline bool
gen_is_src(const struct gen *g, uint32_t addr)
{
	return addr >= g->o.src_lo && addr <= g->o.src_hi;
}

/*
 * gen_imp.c: fault injection. gen_imp_in() takes a frame; the frames
 * that leave now go to out[] (room for 3), returns their number;
 * gen_imp_out() gives up to max frames whose delay is over.
 */
void gen_imp_init(struct gen_imp *s, const struct gen_opts *o, uint64_t hz,
		  uint64_t salt, uint64_t *cnt);
unsigned int gen_imp_in(struct gen_imp *s, struct rte_mbuf *m, uint64_t now,
			struct rte_mbuf **out, struct rte_mempool *mp);
unsigned int gen_imp_out(struct gen_imp *s, uint64_t now, struct rte_mbuf **out,
			 unsigned int max);
void gen_imp_free(struct gen_imp *s);

/* gen_raw.c: the raw sender and the reflector. */
int gen_raw_run(struct gen *g);

/* gen_flood.c: spoofed SYNs, alone or beside a TCP scenario. */
void gen_flood_init(struct gen *g);
bool gen_is_flood_src(const struct gen *g, uint32_t addr);
unsigned int gen_flood_burst(struct gen *g, unsigned int n);
unsigned int gen_flood_poll(struct gen *g);
int gen_flood_run(struct gen *g);

/* gen_stats.c */
void gen_hist_add(struct gen_hist *h, uint64_t ns);
uint64_t gen_hist_pct(const struct gen_hist *h, double pct);
uint64_t gen_tsc_ns(const struct gen *g, uint64_t tsc);
void gen_poll_done(struct gen *g, uint64_t t0, bool busy);
void gen_report_start(struct gen *g);
void gen_report_tick(struct gen *g, double t);
void gen_report_final(struct gen *g, double t);
const char *gen_counter_name(unsigned int i);

/* The quit flag, set from the signal handler. */
extern volatile int gen_quit;

#endif /* TT_GEN_H */
