/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A FIFO of slot indices below a fixed count, each queued at most once
 * (struct tcp_slotq): one ring slot per index, so it never overflows.
 * What an index stands for when it is taken out is the user's to check:
 * the thing it named may be gone or changed since it was queued.
 */
#include <stdlib.h>

#include "tcp_internal.h"

int
tcp_slotq_init(struct tcp_slotq *q, uint32_t cap, size_t *mem)
{
	size_t words = ((size_t)cap + 63) / 64;

	q->ring = calloc(cap ? cap : 1, sizeof(*q->ring));
	q->queued = calloc(words ? words : 1, sizeof(*q->queued));
	if (q->ring == NULL || q->queued == NULL)
		return -1;
	q->cap = cap;
	q->head = 0;
	q->n = 0;
	*mem += (size_t)cap * sizeof(*q->ring) + words * sizeof(*q->queued);
	return 0;
}

void
tcp_slotq_fini(struct tcp_slotq *q)
{
	free(q->ring);
	free(q->queued);
	q->ring = NULL;
	q->queued = NULL;
	q->cap = 0;
	q->n = 0;
}

bool
tcp_slotq_has(const struct tcp_slotq *q, uint32_t idx)
{
	return (q->queued[idx / 64] >> (idx % 64)) & 1;
}

/* Queue idx last; false (nothing done) when it is queued already. */
bool
tcp_slotq_push(struct tcp_slotq *q, uint32_t idx)
{
	if (tcp_slotq_has(q, idx))
		return false;
	q->queued[idx / 64] |= (uint64_t)1 << (idx % 64);
	q->ring[tcp_ring_wrap(q->head + q->n, q->cap)] = idx;
	q->n++;
	return true;
}

/* Take out the oldest index (the queue is not empty). */
uint32_t
tcp_slotq_pop(struct tcp_slotq *q)
{
	uint32_t idx = q->ring[q->head];

	q->head = tcp_ring_wrap(q->head + 1, q->cap);
	q->n--;
	q->queued[idx / 64] &= ~((uint64_t)1 << (idx % 64));
	return idx;
}
