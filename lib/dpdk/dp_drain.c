/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drain request and a worker's share of the drain (dp_drain.h), and
 * the /tcpterm/drain telemetry command.
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "dp_drain.h"
#include "dp_internal.h"
#include "tcp_drain.h"

/* Connection slots a worker offers per poll, and resets per poll. */
#define DP_DRAIN_WALK_BUDGET 256
#define DP_DRAIN_RESET_BUDGET 32

/* Longest timeout the telemetry command takes (a day). */
#define DP_DRAIN_TIMEOUT_MAX 86400000ul

static volatile int dp_drain;
static volatile uint32_t dp_drain_timeout;
static uint32_t dp_drain_default_ms;

void
dp_drain_configure(uint32_t timeout_ms)
{
	dp_drain_default_ms = timeout_ms;
}

void
dp_drain_request(uint32_t timeout_ms)
{
	int none = DP_DRAIN_NONE;

	/* The timeout first, so that a reader of the phase sees it. */
	if (__atomic_load_n(&dp_drain, __ATOMIC_ACQUIRE) != DP_DRAIN_NONE)
		return;
	__atomic_store_n(&dp_drain_timeout, timeout_ms, __ATOMIC_RELEASE);
	__atomic_compare_exchange_n(&dp_drain, &none, DP_DRAIN_RUN, false,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

uint32_t
dp_drain_timeout_ms(void)
{
	uint32_t ms = __atomic_load_n(&dp_drain_timeout, __ATOMIC_ACQUIRE);

	return ms != 0 ? ms : dp_drain_default_ms;
}

void
dp_drain_set_phase(enum dp_drain_phase p)
{
	__atomic_store_n(&dp_drain, (int)p, __ATOMIC_RELEASE);
}

enum dp_drain_phase
dp_drain_phase(void)
{
	return (enum dp_drain_phase)__atomic_load_n(&dp_drain,
						    __ATOMIC_ACQUIRE);
}

void
dp_worker_drain(struct dp_core *core, enum dp_drain_phase p, uint64_t now)
{
	tcp_drain_start(core->tcp);
	if (p == DP_DRAIN_RESET)
		tcp_drain_reset(core->tcp, now, DP_DRAIN_RESET_BUDGET);
	else
		tcp_drain_step(core->tcp, now, DP_DRAIN_WALK_BUDGET);
	dp_tx_outq(core, now);
}

/*
 * /tcpterm/drain[,TIMEOUT_MS]: start a graceful drain (as SIGUSR1 does),
 * with this timeout instead of drain.timeout_ms. Replies with the phase;
 * the progress is in /tcpterm/states.
 */
static int
dp_drain_cmd(const char *cmd __rte_unused, const char *params,
	     struct rte_tel_data *d)
{
	unsigned long ms = 0;
	char *end;

	if (params != NULL && params[0] != '\0') {
		errno = 0;
		ms = strtoul(params, &end, 10);
		if (errno != 0 || *end != '\0' || params[0] == '-' || ms == 0 ||
		    ms > DP_DRAIN_TIMEOUT_MAX)
			return -EINVAL;
	}
	dp_drain_request((uint32_t)ms);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "draining", 1);
	rte_tel_data_add_dict_u64(d, "phase", dp_drain_phase());
	rte_tel_data_add_dict_u64(d, "timeout_ms", dp_drain_timeout_ms());
	return 0;
}

int
dp_drain_telemetry_register(void)
{
	return rte_telemetry_register_cmd(
		"/tcpterm/drain", dp_drain_cmd,
		"Start a graceful drain, as SIGUSR1 does. Parameter: a "
		"timeout in ms (default: drain.timeout_ms)");
}
