/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control side of a graceful drain: notice the request (SIGUSR1 or
 * /tcpterm/drain), print a progress line every second with what is left
 * per state, switch the workers to resetting at the timeout, and set the
 * quit flag once every worker has nothing left. Runs from the control
 * callback; it only reads the workers' gauges and writes the drain phase.
 */
#include <inttypes.h>
#include <stdio.h>

#include "dp_drain.h"
#include "tcp_drain.h"
#include "tcpterm.h"

#define TT_DRAIN_PRINT_US 1000000ull

void
tt_drain_init(struct tt_drain *d, struct dp_core *const *cores, unsigned int n,
	      const struct cfg_drain *cfg)
{
	d->cores = cores;
	d->n = n;
	d->timeout_ms = cfg->timeout_ms;
	d->wait_time_wait = cfg->wait_time_wait;
	d->active = false;
	dp_drain_configure(cfg->timeout_ms);
}

/* Whether every worker started draining and has nothing left. */
static bool
tt_drain_done(const struct tt_drain *d, bool wait_time_wait)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		const struct tcp_ctx *c = d->cores[i]->tcp;

		if (!tcp_draining(c) || !tcp_drain_done(c, wait_time_wait))
			return false;
	}
	return true;
}

/*
 * "left 3: ESTABLISHED 1 FIN_WAIT_2 2 | TIME_WAIT 5 | refused 1 reset 0",
 * or with nothing left "left 0 | TIME_WAIT 5 | refused 1 reset 0": the
 * colon introduces the states left, so it comes only with them.
 */
static void
tt_drain_progress(const struct tt_drain *d, uint64_t now, const char *what)
{
	uint64_t g[TCP_STATE_MAX], left = 0;
	struct tcp_counters t;
	unsigned int s;

	dp_sum_states(d->cores, d->n, g);
	dp_sum_tcp(d->cores, d->n, &t);
	for (s = 0; s < TCP_STATE_MAX; s++)
		if (s != TCP_LISTEN && s != TCP_CLOSED && s != TCP_TIME_WAIT)
			left += g[s];
	printf("tcpterm: drain %s t=%.1fs left %" PRIu64 "%s", what,
	       (double)(now - d->start_us) / 1e6, left, left != 0 ? ":" : "");
	for (s = 0; s < TCP_STATE_MAX; s++)
		if (s != TCP_LISTEN && s != TCP_CLOSED && s != TCP_TIME_WAIT &&
		    g[s] != 0)
			printf(" %s %" PRIu64, tcp_state_name(s), g[s]);
	printf(" | TIME_WAIT %" PRIu64 " | refused %" PRIu64 " reset %" PRIu64
	       "\n",
	       g[TCP_TIME_WAIT], t.drain_refused, t.drain_reset);
	fflush(stdout);
}

static void
tt_drain_begin(struct tt_drain *d, uint64_t now)
{
	uint32_t ms = dp_drain_timeout_ms();

	if (ms == 0)
		ms = d->timeout_ms;
	d->active = true;
	d->start_us = now;
	d->deadline_us = now + (uint64_t)ms * 1000;
	d->next_print_us = now + TT_DRAIN_PRINT_US;
	printf("tcpterm: draining: new connections refused, timeout %u ms, "
	       "%s TIME_WAIT\n",
	       ms, d->wait_time_wait ? "waiting out" : "not waiting for");
	fflush(stdout);
}

void
tt_drain_tick(struct tt_drain *d, uint64_t now)
{
	enum dp_drain_phase p = dp_drain_phase();

	if (p == DP_DRAIN_NONE || dp_quit_requested())
		return;
	if (!d->active)
		tt_drain_begin(d, now);
	if (tt_drain_done(d, p == DP_DRAIN_RUN && d->wait_time_wait)) {
		tt_drain_progress(d, now, "done");
		dp_quit_set();
		return;
	}
	if (p == DP_DRAIN_RUN && now >= d->deadline_us) {
		tt_drain_progress(d, now, "timeout, resetting the rest");
		dp_drain_set_phase(DP_DRAIN_RESET);
		return;
	}
	if (now >= d->next_print_us) {
		tt_drain_progress(d, now, "progress");
		d->next_print_us = now + TT_DRAIN_PRINT_US;
	}
}
