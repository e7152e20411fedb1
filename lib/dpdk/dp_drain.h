/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drain request, between the control plane (SIGUSR1, the
 * /tcpterm/drain telemetry command, the control callback that watches
 * progress and the timeout) and the workers, which read it between polls
 * and drain their own TCP context (lib/tcp/tcp_drain.h). Like the quit
 * flag it is a pair of words written with atomic stores: no worker ever
 * waits on the control plane.
 */
#ifndef TT_DP_DRAIN_H
#define TT_DP_DRAIN_H

#include <stdbool.h>
#include <stdint.h>

struct dp_core;

enum dp_drain_phase {
	DP_DRAIN_NONE = 0,
	DP_DRAIN_RUN,	/* refuse new, close what is open */
	DP_DRAIN_RESET, /* timed out: reset what is left */
};

/*
 * Ask for a drain (async-signal safe). timeout_ms 0 keeps the configured
 * drain.timeout_ms. A second request while draining is ignored.
 */
void dp_drain_request(uint32_t timeout_ms);
/* The configured timeout (drain.timeout_ms), reported when none is asked. */
void dp_drain_configure(uint32_t timeout_ms);
/* The timeout in force: the one asked with the request, or the configured. */
uint32_t dp_drain_timeout_ms(void);
void dp_drain_set_phase(enum dp_drain_phase p);
enum dp_drain_phase dp_drain_phase(void);

/* A worker's share, between polls: start, walk, or reset. */
void dp_worker_drain(struct dp_core *core, enum dp_drain_phase p, uint64_t now);

/* Register /tcpterm/drain. Returns 0 or a negative errno. */
int dp_drain_telemetry_register(void);

#endif /* TT_DP_DRAIN_H */
