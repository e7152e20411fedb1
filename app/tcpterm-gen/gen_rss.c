/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Source 4-tuples per owner on the target (see gen_rss.h). Pure C: no
 * DPDK header.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_addr.h"
#include "gen_rss.h"

uint64_t
gen_space_size(const struct gen_space *sp)
{
	return ((uint64_t)sp->src_hi - sp->src_lo + 1) *
		((uint64_t)sp->sport_hi - sp->sport_lo + 1);
}

static bool
gen_rss_valid(const struct gen_rss *r)
{
	return r->n_owners >= 1 && r->n_owners <= GEN_RSS_MAX_OWNERS &&
		r->reta_size >= 1 && r->reta_size <= GEN_RSS_RETA_MAX &&
		(r->reta_size & (r->reta_size - 1)) == 0 &&
		r->only < (int32_t)r->n_owners;
}

/* The owner of a hash: net_rss_reta_fill()'s table, without the table. */
static uint32_t
gen_rss_owner_hash(const struct gen_rss *r, uint32_t hash)
{
	return (hash & (r->reta_size - 1)) % r->n_owners;
}

uint32_t
gen_rss_owner_of(const struct gen_space *sp, const struct gen_rss *r,
		 uint32_t t)
{
	uint32_t n_sport = (uint32_t)sp->sport_hi - sp->sport_lo + 1;
	uint32_t a = sp->src_lo + t / n_sport;
	uint16_t p = (uint16_t)(sp->sport_lo + t % n_sport);
	uint8_t s6[NET_IPV6_ALEN];
	uint32_t h;

	if (sp->ipv6) {
		gen_addr6_make(sp->src6, a, s6);
		h = net_rss_tcp6(net_rss_key_symmetric, s6, sp->dst6, p,
				 sp->dport);
	} else {
		h = net_rss_tcp4(net_rss_key_symmetric, a, sp->dst, p,
				 sp->dport);
	}
	return gen_rss_owner_hash(r, h);
}

/* The owner of every tuple, by the table-driven hash. */
static int
gen_rss_owners(const struct gen_space *sp, const struct gen_rss *r,
	       uint8_t *own, uint32_t n)
{
	uint32_t n_sport = (uint32_t)sp->sport_hi - sp->sport_lo + 1;
	struct net_rss_tab *tab = NULL;
	struct net_rss_tab6 *tab6 = NULL;
	uint8_t s6[NET_IPV6_ALEN];
	uint32_t t, h;

	if (sp->ipv6)
		tab6 = malloc(sizeof(*tab6));
	else
		tab = malloc(sizeof(*tab));
	if (tab == NULL && tab6 == NULL)
		return -1;
	if (tab6)
		net_rss_tab6_init(tab6, net_rss_key_symmetric);
	else
		net_rss_tab_init(tab, net_rss_key_symmetric);
	for (t = 0; t < n; t++) {
		uint32_t a = sp->src_lo + t / n_sport;
		uint16_t p = (uint16_t)(sp->sport_lo + t % n_sport);

		if (tab6) {
			gen_addr6_make(sp->src6, a, s6);
			h = net_rss_tab_tcp6(tab6, s6, sp->dst6, p, sp->dport);
		} else {
			h = net_rss_tab_tcp4(tab, a, sp->dst, p, sp->dport);
		}
		own[t] = (uint8_t)gen_rss_owner_hash(r, h);
	}
	free(tab);
	free(tab6);
	return 0;
}

/* Interleave the owners' tuples: one of each owner per round. */
static uint32_t
gen_rss_interleave(const uint8_t *own, uint32_t n, uint32_t n_owners,
		   uint32_t rounds, uint32_t *order)
{
	uint32_t cur[GEN_RSS_MAX_OWNERS] = { 0 };
	uint32_t i, k, w = 0;

	for (i = 0; i < rounds; i++) {
		for (k = 0; k < n_owners; k++) {
			while (cur[k] < n && own[cur[k]] != k)
				cur[k]++;
			order[w++] = cur[k]++;
		}
	}
	return w;
}

int64_t
gen_rss_order(const struct gen_space *sp, const struct gen_rss *r,
	      uint32_t *order, uint64_t *kept)
{
	uint64_t count[GEN_RSS_MAX_OWNERS] = { 0 };
	uint64_t size = gen_space_size(sp), least = UINT64_MAX;
	uint32_t n = (uint32_t)size, t, k, w = 0;
	uint8_t *own;

	if (!gen_rss_valid(r) || size > UINT32_MAX)
		return -1;
	own = malloc(n);
	if (own == NULL || gen_rss_owners(sp, r, own, n) != 0) {
		free(own);
		return -1;
	}
	for (t = 0; t < n; t++)
		count[own[t]]++;
	memset(kept, 0, sizeof(*kept) * r->n_owners);
	if (r->only >= 0) {
		for (t = 0; t < n; t++)
			if (own[t] == (uint32_t)r->only)
				order[w++] = t;
		kept[r->only] = w;
	} else {
		for (k = 0; k < r->n_owners; k++)
			least = count[k] < least ? count[k] : least;
		w = gen_rss_interleave(own, n, r->n_owners, (uint32_t)least,
				       order);
		for (k = 0; k < r->n_owners; k++)
			kept[k] = least;
	}
	free(own);
	return w;
}
