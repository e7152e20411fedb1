/* SPDX-License-Identifier: BSD-3-Clause */
/* Pieces of the DPDK glue shared between its files only. */
#ifndef TT_DP_INTERNAL_H
#define TT_DP_INTERNAL_H

#include <rte_ethdev.h>

#include "dp.h"

/*
 * Choose the steering mode of p (p->nb_rxq, n_workers already set) from
 * the configuration and the device; fill conf's RSS part for hardware
 * steering, the software RETA otherwise. Returns 0, -ENOTSUP when
 * hardware steering is forced and impossible, -ENOMEM.
 */
int dp_rss_choose(struct dp_port *p, const struct cfg_port *cp,
		  const struct rte_eth_dev_info *di, struct rte_eth_conf *conf);

/*
 * After start: program the device RETA over the workers and mirror what
 * the device holds; when it cannot be read back, fall back to software
 * steering. Returns 0 (it never fails the port).
 */
int dp_rss_reta(struct dp_port *p);

/* Buffer m (a frame of a flow worker "to" owns) for that worker. */
static inline void
dp_steer_out(struct dp_core *core, unsigned int to, struct rte_mbuf *m)
{
	struct dp_steerbuf *b = &core->out[to];

	b->m[b->n++] = m;
	core->steer_pending |= UINT64_C(1) << to;
	if (b->n == DP_STEER_BURST)
		dp_steer_flush(core);
}

/*
 * Take bursts from the other workers' rings (steered packets, then frames
 * to transmit for workers without a TX queue). Returns packets taken.
 */
unsigned int dp_steer_poll(struct dp_core *core, uint64_t now);

/* Empty neighbour table for a core's port (from dp_core_init()). */
void dp_neigh_init(struct dp_core_port *cp);

/* Copy an ARP frame to every other worker. */
void dp_neigh_share(struct dp_core *core, struct rte_mbuf *m);

/* Another worker sent the ARP request f: its reply may be taken here. */
void dp_neigh_asked(struct dp_core_port *cp, const struct net_frame *f,
		    uint64_t now);

/*
 * The neighbour I/O shared by ARP (dp_neigh4.c) and Neighbor Discovery
 * (dp_neigh6.c), in dp_neigh.c. A family names its counters by offset,
 * in struct dp_counters, or struct dp_port_counters for the port_ ones
 * (as DPDK drivers name their xstats); drop[] by verdict, 0 where the
 * verdict is not a drop (offset 0 is rx_packets, no neighbour counter).
 */
struct dp_neigh_fam {
	size_t learned;
	size_t port_learned;
	size_t drop[NET_NEIGH_FULL + 1];
	size_t expired;
	size_t evicted;
	size_t rate_limited;
	size_t req_tx;
	size_t port_req_tx;
	size_t req_fail;
};

#define DP_NEIGH_CNT(cnt, off) (*(uint64_t *)((char *)(cnt) + (off)))

/* The counters of family f (arp, nd), named f_learned and so on. */
#define DP_NEIGH_C(f) offsetof(struct dp_counters, f)
#define DP_NEIGH_PC(f) offsetof(struct dp_port_counters, f)
#define DP_NEIGH_FAM(f, req, fail) \
	{ \
		.learned = DP_NEIGH_C(f##_learned), \
	.port_learned = DP_NEIGH_PC(f##_learned), \
	.drop = { \
		[NET_NEIGH_UNSOLICITED] = DP_NEIGH_C(f##_unsolicited_drop), \
		[NET_NEIGH_OFFLINK] = DP_NEIGH_C(f##_offlink_drop), \
		[NET_NEIGH_BAD_SENDER] = DP_NEIGH_C(f##_bad_sender_drop), \
		[NET_NEIGH_CONFLICT] = DP_NEIGH_C(f##_conflict_drop), \
		[NET_NEIGH_FULL] = DP_NEIGH_C(f##_table_full_drop), \
	}, \
	.expired = DP_NEIGH_C(f##_expired), \
	.evicted = DP_NEIGH_C(f##_evicted), \
	.rate_limited = DP_NEIGH_C(f##_rate_limited), \
	.req_tx = DP_NEIGH_C(f##_##req), \
	.port_req_tx = DP_NEIGH_PC(f##_##req), \
	.req_fail = DP_NEIGH_C(f##_##fail), \
	}

/* An entry is asked for again after (configured, or the default). */
static inline uint64_t
dp_neigh_max_age_us(const struct dp_port *p)
{
	return p->arp_max_age_us != 0 ? p->arp_max_age_us :
					(uint64_t)CFG_ARP_MAX_AGE_MS * 1000;
}

/* Count verdict v: learned always, the refusals when count is set. */
void dp_neigh_count(struct dp_core *core, struct dp_core_port *cp,
		    const struct dp_neigh_fam *fam, enum net_neigh_learn v,
		    bool count);

/* An mbuf for a request of family fam on cp, or NULL (counted). */
struct rte_mbuf *dp_neigh_alloc(struct dp_core *core, struct dp_core_port *cp,
				const struct dp_neigh_fam *fam);

/*
 * Send (count, copy to the other workers) a request of len bytes in m.
 * Returns 0, or -EMSGSIZE when it did not fit (len 0: m freed, counted).
 */
int dp_neigh_send(struct dp_core *core, struct dp_core_port *cp,
		  const struct dp_neigh_fam *fam, struct rte_mbuf *m,
		  uint32_t len);

/*
 * A resolution's verdict v, counted: returns what dp_neigh_resolve()
 * returns, and sets *ask when a request must go out for the next hop.
 */
int dp_neigh_verdict(struct dp_core *core, const struct dp_neigh_fam *fam,
		     enum net_neigh_res v, bool *ask);

/* Store m in held[slot] (or drop it) as the hold queue's verdict r says. */
void dp_neigh_keep(struct dp_core *core, struct rte_mbuf **held,
		   enum net_neigh_hold_res r, unsigned int slot,
		   struct rte_mbuf *m);

/* Send the n frames held[slots[]] to mac, in order; free the slots. */
void dp_neigh_send_held(struct dp_core *core, struct dp_core_port *cp,
			struct rte_mbuf **held, const unsigned int *slots,
			unsigned int n, const uint8_t *mac);

/*
 * m, queued on cp, is dropped unsent (the device kept refusing it): if it
 * is an ARP request or a Neighbor Solicitation of ours, count it failed
 * and undo the table's mark. Call before freeing m.
 */
void dp_neigh_tx_dropped(struct dp_core *core, struct dp_core_port *cp,
			 const struct rte_mbuf *m);

/* IPv6 (dp_neigh6.c): the table, as dp_neigh_init() (port->has_ipv6). */
void dp_neigh6_init(struct dp_core_port *cp);

/*
 * A Neighbor Solicitation for our address or an advertisement (f, in
 * frame), from the wire (count refused ones) or a copy from another
 * worker. Returns the table's verdict.
 */
enum net_neigh_learn dp_neigh6_input(struct dp_core *core,
				     struct dp_core_port *cp,
				     const uint8_t *frame,
				     const struct net_frame *f, uint64_t now,
				     bool count);

/* Another worker solicited f's target: its answer may be taken here. */
void dp_neigh6_asked(struct dp_core_port *cp, const uint8_t *frame,
		     const struct net_frame *f, uint64_t now);

/*
 * Hand a TX burst of port cp to the worker transmitting for us there;
 * frees the rest.
 */
void dp_steer_tx(struct dp_core *core, struct dp_core_port *cp,
		 struct rte_mbuf **m, uint16_t n);

/* The cores telemetry reads (0 once detached), and their array. */
unsigned int dp_tel_cores_get(struct dp_core *const **cores);

/* Register /tcpterm/ports (dp_tel_ports.c). */
int dp_tel_ports_register(void);

#endif /* TT_DP_INTERNAL_H */
