/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The large per-core arrays (flow table, TIME_WAIT rings, connection
 * pool, buffer pools, timer chunks): transparent huge pages where the
 * packet path reaches them at random lines, and every page faulted in at
 * start-up, so that no packet pays a page fault (or a huge page's
 * compaction) when it first touches a page of a pool.
 */
#ifndef TT_MEM_H
#define TT_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define TT_HUGE_PAGE (UINT64_C(2) << 20)
#define TT_PAGE 4096u

/*
 * Ask for huge pages over the 2 MiB-aligned part of [p, p + len).
 * Advisory; ignored where unsupported. Call it before tt_prefault().
 */
static inline void
tt_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + TT_HUGE_PAGE - 1) &
		~(uintptr_t)(TT_HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)(TT_HUGE_PAGE - 1);

	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/*
 * Fault in every page of [p, p + len) by writing a zero byte to each,
 * once: a large calloc() comes from mmap() as untouched zero pages, and
 * a write (a read would map the shared zero page, and the first store
 * would fault again) makes each one resident without a memset() of the
 * whole. For memory that is still zero, or whose contents do not matter
 * yet: call it before the pool is set up.
 */
static inline void
tt_prefault(void *p, size_t len)
{
	volatile uint8_t *b = p;
	uintptr_t next;
	size_t i;

	if (len == 0)
		return;
	b[0] = 0;
	next = ((uintptr_t)p & ~(uintptr_t)(TT_PAGE - 1)) + TT_PAGE;
	for (i = next - (uintptr_t)p; i < len; i += TT_PAGE)
		b[i] = 0;
}

#endif /* TT_MEM_H */
