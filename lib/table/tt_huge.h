/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transparent huge pages for the large per-core arrays (flow table,
 * TIME_WAIT ring) that the packet path reaches at random lines, where
 * 4 KiB pages would add a TLB miss to most accesses.
 */
#ifndef TT_HUGE_H
#define TT_HUGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define TT_HUGE_PAGE (UINT64_C(2) << 20)

/*
 * Ask for huge pages over the 2 MiB-aligned part of [p, p + len).
 * Advisory; ignored where unsupported.
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

#endif /* TT_HUGE_H */
