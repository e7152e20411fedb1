/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The listing mailbox (see struct dp_list_mbox in dp.h): the telemetry
 * thread posts a request, the worker answers it from its own loop with
 * tcp_list(), so the worker's tables are only ever read by the worker
 * and one poll never does more than a bounded slice of work.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "dp.h"

void
dp_list_serve(struct dp_core *core, uint64_t now)
{
	struct dp_list_mbox *mb = &core->list;
	uint32_t req = __atomic_load_n(&mb->req, __ATOMIC_ACQUIRE);

	/* Only this worker writes done: a plain read of it is exact. */
	if (likely(req == mb->done))
		return;
	mb->n = tcp_list(core->tcp, &mb->cursor, &mb->filter, mb->rec,
			 RTE_MIN(mb->max, (uint32_t)DP_LIST_MAX), DP_LIST_SCAN,
			 now);
	mb->now_us = now;
	__atomic_store_n(&mb->done, req, __ATOMIC_RELEASE);
}

/* One requester at a time, whatever the number of telemetry clients. */
static pthread_mutex_t dp_list_lock = PTHREAD_MUTEX_INITIALIZER;

/* Wait until the worker has answered request seq; false on timeout. */
static bool
dp_list_wait(const struct dp_list_mbox *mb, uint32_t seq)
{
	const struct timespec nap = { 0, 20000 };
	uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() / US_PER_S * DP_LIST_WAIT_US;

	while (__atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) != seq) {
		if (rte_get_timer_cycles() > end)
			return false;
		nanosleep(&nap, NULL);
	}
	return true;
}

int
dp_list_request(struct dp_core *core, const struct tcp_list_filter *f,
		uint32_t *cursor, uint32_t max, struct tcp_list_rec *out)
{
	struct dp_list_mbox *mb = &core->list;
	uint32_t seq, n;
	int ret = 0;

	if (max == 0 || max > DP_LIST_MAX)
		return -EINVAL;
	pthread_mutex_lock(&dp_list_lock);
	seq = __atomic_load_n(&mb->req, __ATOMIC_RELAXED);
	/* An earlier request that timed out may still be answered. */
	if (!dp_list_wait(mb, seq)) {
		ret = -EBUSY;
		goto out;
	}
	mb->filter = *f;
	mb->cursor = *cursor;
	mb->max = max;
	seq++;
	__atomic_store_n(&mb->req, seq, __ATOMIC_RELEASE);
	if (!dp_list_wait(mb, seq)) {
		ret = -ETIMEDOUT;
		goto out;
	}
	n = RTE_MIN(mb->n, max);
	memcpy(out, mb->rec, n * sizeof(*out));
	*cursor = mb->cursor;
	ret = (int)n;
out:
	pthread_mutex_unlock(&dp_list_lock);
	return ret;
}
