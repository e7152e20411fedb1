/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Freeing the TCP frames of a receive burst. Header only, so that its
 * test runs without EAL.
 */
#ifndef TT_DP_RX_FREE_H
#define TT_DP_RX_FREE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

/*
 * An mbuf rte_pktmbuf_free() would put back unchanged into mp: direct
 * (no attached or external buffer), held once, one segment. For such an
 * mbuf rte_pktmbuf_prefree_seg() writes nothing, so putting it into its
 * pool is all a free does (the conditions of DPDK's fast-free offload,
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, checked here per mbuf).
 */
static inline bool
dp_rx_free_plain(const struct rte_mbuf *m, const struct rte_mempool *mp)
{
	/* The adjacent refcnt and nb_segs, both 1, in one load. */
	const uint32_t one_one = 0x00010001u;
	uint32_t rs;

	static_assert(offsetof(struct rte_mbuf, nb_segs) ==
			      offsetof(struct rte_mbuf, refcnt) + 2,
		      "refcnt and nb_segs adjacent");
	memcpy(&rs, &m->refcnt, sizeof(rs));
	return m->pool == mp && RTE_MBUF_DIRECT(m) && rs == one_one &&
		m->next == NULL;
}

/* Whether every one of the n (at least 1) mbufs at m is plain in m[0]'s pool. */
static inline bool
dp_rx_free_all_plain(struct rte_mbuf *const *m, unsigned int n)
{
	const struct rte_mempool *mp = m[0]->pool;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!dp_rx_free_plain(m[i], mp))
			return false;
	return true;
}

/*
 * Free n (at least 1) mbufs: one put into their pool when all are plain
 * in one pool, the generic free otherwise. The generic free costs about
 * 40 instructions an mbuf; the checks and the put about a third.
 */
static inline void
dp_rx_free_bulk(struct rte_mbuf **m, unsigned int n)
{
	if (dp_rx_free_all_plain(m, n))
		rte_mempool_put_bulk(m[0]->pool, (void **)m, n);
	else
		rte_pktmbuf_free_bulk(m, n);
}

/*
 * dp_rx_free_bulk() for a worker whose own cache of mp is cache (or
 * NULL): mbufs all plain in mp go into that cache directly, without
 * looking it up by lcore id.
 */
static inline void
dp_rx_free_bulk_cache(struct rte_mbuf **m, unsigned int n,
		      struct rte_mempool *mp, struct rte_mempool_cache *cache)
{
	if (cache != NULL && m[0]->pool == mp && dp_rx_free_all_plain(m, n))
		rte_mempool_generic_put(mp, (void **)m, n, cache);
	else
		dp_rx_free_bulk(m, n);
}

#endif /* TT_DP_RX_FREE_H */
