/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A pool of fixed-size byte rings, allocated once and handed out by index
 * from a free stack: the storage behind both send and receive buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

/*
 * Bytes of a pool's rings faulted in at start-up: the first
 * TCP_BUF_PREFAULT_MAX. The free stack hands out the lowest indices
 * first and takes freed rings back on top, so the rings in use stay at
 * the start of the pool: the prefaulted part covers up to
 * TCP_BUF_PREFAULT_MAX / size rings in use at once (4096 of 64 KiB),
 * without making the whole pool resident (4 GiB of send buffers with
 * the default limits, tens of seconds of start-up here).
 */
static size_t
bufpool_prefault_bytes(uint32_t count, uint32_t size)
{
	size_t bytes = (size_t)count * size;

	return bytes < TCP_BUF_PREFAULT_MAX ? bytes : TCP_BUF_PREFAULT_MAX;
}

int
tcp_bufpool_init(struct tcp_bufpool *bp, uint32_t count, uint32_t size,
		 size_t *mem)
{
	uint32_t i;

	memset(bp, 0, sizeof(*bp));
	if (count == 0 || size == 0)
		return 0;
	bp->mem = calloc(count, size);
	bp->stack = calloc(count, sizeof(*bp->stack));
	if (bp->mem == NULL || bp->stack == NULL)
		return -ENOMEM;
	/* The stack is written below; the rings are first used by packets. */
	tt_advise_huge(bp->mem, (size_t)count * size);
	tt_prefault(bp->mem, bufpool_prefault_bytes(count, size));
	for (i = 0; i < count; i++)
		bp->stack[i] = count - 1 - i;
	bp->nfree = count;
	bp->count = count;
	bp->size = size;
	*mem += (size_t)count * size + count * sizeof(*bp->stack);
	return 0;
}

void
tcp_bufpool_fini(struct tcp_bufpool *bp)
{
	free(bp->mem);
	free(bp->stack);
	memset(bp, 0, sizeof(*bp));
}

/* A free buffer's index, or TCP_NONE when the pool is empty. */
uint32_t
tcp_bufpool_get(struct tcp_bufpool *bp)
{
	return bp->nfree == 0 ? TCP_NONE : bp->stack[--bp->nfree];
}

void
tcp_bufpool_put(struct tcp_bufpool *bp, uint32_t idx)
{
	bp->stack[bp->nfree++] = idx;
}

/*
 * Append up to n bytes to the ring idx holding len bytes from head;
 * returns how many fit.
 */
uint32_t
tcp_ring_append(const struct tcp_bufpool *bp, uint32_t idx, uint32_t head,
		uint32_t len, const void *data, uint32_t n)
{
	uint8_t *base = tcp_bufpool_base(bp, idx);
	uint32_t tail, first;

	if (n > bp->size - len)
		n = bp->size - len;
	tail = tcp_ring_wrap(head + len, bp->size);
	first = bp->size - tail;
	if (first > n)
		first = n;
	memcpy(base + tail, data, first);
	/* The second piece, only when the bytes wrap past the ring's end. */
	if (n > first)
		memcpy(base, (const uint8_t *)data + first, n - first);
	return n;
}
