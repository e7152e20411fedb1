/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scaling benchmark: tcpterm's real worker path (RX classification,
 * steering, TCP, TX build) on 1 and 2 workers, fed by an in-process
 * client per worker through a net_ring port. Each client emulates many
 * short HTTP connections statelessly (SYN; ACK + request on the SYN-ACK;
 * FIN on the server's FIN) and puts its frames on an RX queue the way a
 * device would: by our Toeplitz hash and RETA (queue-steered, as RSS
 * does), or by the creating client's queue (software-steered: the flow
 * arrives on a queue its owner may not poll).
 */
#ifndef TT_SCALING_BENCH_H
#define TT_SCALING_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp.h"

#define SB_MAX_Q 2
#define SB_SERVER_IP 0xc6120001u  /* 198.18.0.1 */
#define SB_GW_IP 0xc61200feu	  /* 198.18.0.254 */
#define SB_CLIENT_NET 0xc6130000u /* 198.19.0.0/16, off-link */
#define SB_HTTP_PORT 80

enum sb_mode {
	SB_QUEUE_STEERED, /* every flow arrives on its owner's queue */
	SB_SOFT_STEERED,  /* flows arrive on any queue */
};

/* One in-process client, driving one worker's queue pair. */
struct sb_gen {
	unsigned int id; /* also the queue it feeds */
	unsigned int n_q;
	enum sb_mode mode;
	const struct dp_port *port; /* for the owner of a flow */
	struct rte_mempool *mp;
	struct rte_ring *rx; /* frames into our queue (SP) */
	/* hand[to]: frames of client "to"'s flows, for it to deliver. */
	struct rte_ring *hand_out[SB_MAX_Q];
	struct rte_ring *hand_in[SB_MAX_Q];
	struct rte_ring *tx; /* frames the worker sent */
	uint8_t server_mac[6];
	uint8_t gw_mac[6];
	uint32_t concurrency;
	uint32_t next_flow;
	uint64_t started;
	uint64_t completed; /* by this client, of anyone's flows */
	uint64_t resets;
	/*
	 * done_for[c]: flows of client c this client saw finish (single
	 * writer); client c reads every client's entry to know how many
	 * of its flows are still in flight.
	 */
	uint64_t done_for[SB_MAX_Q];
	struct sb_gen *all; /* every client, indexed by id */
	uint64_t enq_fail;
	uint16_t n_pending[SB_MAX_Q];
	struct rte_mbuf *pending[SB_MAX_Q][64];
} __rte_cache_aligned;

/* Open new connections up to the concurrency, then flush to the rings. */
void sb_gen_inject(struct sb_gen *g);
/* Answer what the worker sent; returns frames read. */
unsigned int sb_gen_consume(struct sb_gen *g);

#endif /* TT_SCALING_BENCH_H */
