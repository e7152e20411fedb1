/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Graceful drain of a context: what the worker does when tcpterm is asked
 * to stop without cutting connections.
 *
 * Once tcp_drain_start() is called, every segment for a listener that
 * belongs to no connection (a new SYN, an ACK that would complete a SYN
 * cookie) is refused with RST and counted (drain_refused), so a load
 * balancer in front fails over at once instead of waiting for a timeout.
 * tcp_drain_step() walks the connection pool once, in bounded slices, and
 * offers every connection the application can still send on (ESTABLISHED,
 * CLOSE_WAIT) to its application's on_drain callback, which decides how
 * to close it (lib/app). tcp_drain_done() is the "nothing left" test;
 * tcp_drain_reset() resets what is left when the drain times out.
 *
 * Pure C, no DPDK header; time is passed in. The flag belongs to the
 * context and is set by its own worker: a worker never blocks on, nor is
 * written by, the control plane.
 */
#ifndef TT_TCP_DRAIN_H
#define TT_TCP_DRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp.h"

/* Start draining (idempotent): refuse new connections, start the walk. */
void tcp_drain_start(struct tcp_ctx *c);

/* Whether the context is draining (applications ask it, e.g. on_open). */
bool tcp_draining(const struct tcp_ctx *c);

/*
 * Offer up to budget connection slots to on_drain, stopping early when
 * the output queue is half full (drain it and call again). Returns the
 * slots visited; 0 when the walk is over or no drain was started.
 */
uint32_t tcp_drain_step(struct tcp_ctx *c, uint64_t now, uint32_t budget);

/*
 * Whether nothing is left: no connection in any state, and, with
 * wait_time_wait, no TIME_WAIT record either.
 */
bool tcp_drain_done(const struct tcp_ctx *c, bool wait_time_wait);

/*
 * The drain timed out: reset (RST, as tcp_abort()) up to budget of the
 * connections left, stopping early when the output queue is half full,
 * each counted in drain_reset. Returns the number reset.
 */
uint32_t tcp_drain_reset(struct tcp_ctx *c, uint64_t now, uint32_t budget);

#endif /* TT_TCP_DRAIN_H */
