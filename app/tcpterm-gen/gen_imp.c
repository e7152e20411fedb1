/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection: one impairment stage per direction (frames we send,
 * frames we receive), so that loss, reordering, duplication and RTT are
 * reproducible over a link that has none (net_memif).
 *
 * Each frame draws from the stage's own generator (seeded from --seed),
 * in this order: lost (--loss), duplicated (--dup: a copy goes out
 * too), held back (--reorder: it leaves after the next frame, or after
 * GEN_IMP_REORDER_US when none comes). What leaves waits --delay-us in
 * a bounded delay line (a FIFO: every frame gets the same delay, so the
 * release times are in order); a full line drops, counted. ARP frames
 * are only delayed, never lost, copied or reordered: resolution is not
 * what is measured.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "gen.h"

#define GEN_IMP_REORDER_US 1000

/* Counter offsets from a direction's first counter (imp_*_loss). */
enum gen_imp_kind {
	GEN_IMP_LOSS = 0,
	GEN_IMP_DUP,
	GEN_IMP_REORDER,
	GEN_IMP_DELAYED,
	GEN_IMP_LINE_FULL,
	GEN_IMP_DUP_FAIL, /* no mbuf for the copy */
};

_Static_assert(offsetof(struct gen_counters, imp_tx_dup_fail) -
			       offsetof(struct gen_counters, imp_tx_loss) ==
		       GEN_IMP_DUP_FAIL * sizeof(uint64_t),
	       "imp_tx counters");
_Static_assert(offsetof(struct gen_counters, imp_rx_dup_fail) -
			       offsetof(struct gen_counters, imp_rx_loss) ==
		       GEN_IMP_DUP_FAIL * sizeof(uint64_t),
	       "imp_rx counters");

/* splitmix64: small, fast, and the same sequence for the same seed. */
static uint64_t
gen_imp_rand(struct gen_imp *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* True with probability thr / 2^32. */
static inline bool
gen_imp_draw(struct gen_imp *s, uint32_t thr)
{
	return thr != 0 && (uint32_t)(gen_imp_rand(s) >> 32) < thr;
}

static uint32_t
gen_imp_thr(double pct)
{
	double v = pct / 100 * 4294967296.0;

	return v >= 4294967295.0 ? UINT32_MAX : (uint32_t)v;
}

void
gen_imp_init(struct gen_imp *s, const struct gen_opts *o, uint64_t hz,
	     uint64_t salt, uint64_t *cnt)
{
	memset(s, 0, sizeof(*s));
	s->loss = gen_imp_thr(o->loss);
	s->dup = gen_imp_thr(o->dup);
	s->reorder = gen_imp_thr(o->reorder);
	s->delay_tsc = hz * o->delay_us / 1000000;
	s->reorder_tsc = hz * GEN_IMP_REORDER_US / 1000000;
	s->rng = o->seed ^ salt;
	s->cnt = cnt;
	s->on = s->loss || s->dup || s->reorder || s->delay_tsc;
}

static bool
gen_imp_is_arp(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	return m->data_len >= NET_ETH_HLEN && p[12] == 0x08 && p[13] == 0x06;
}

/* A frame leaves the stage: at once, or through the delay line. */
static unsigned int
gen_imp_emit(struct gen_imp *s, struct rte_mbuf *m, uint64_t now,
	     struct rte_mbuf **out)
{
	struct gen_imp_slot *sl;

	if (s->delay_tsc == 0) {
		*out = m;
		return 1;
	}
	if (s->n == GEN_IMP_LINE) {
		s->cnt[GEN_IMP_LINE_FULL]++;
		rte_pktmbuf_free(m);
		return 0;
	}
	sl = &s->line[(s->head + s->n++) % GEN_IMP_LINE];
	sl->m = m;
	sl->due = now + s->delay_tsc;
	s->cnt[GEN_IMP_DELAYED]++;
	return 0;
}

unsigned int
gen_imp_in(struct gen_imp *s, struct rte_mbuf *m, uint64_t now,
	   struct rte_mbuf **out, struct rte_mempool *mp)
{
	struct rte_mbuf *c;
	unsigned int n = 0;

	if (gen_imp_is_arp(m))
		return gen_imp_emit(s, m, now, out);
	if (gen_imp_draw(s, s->loss)) {
		s->cnt[GEN_IMP_LOSS]++;
		rte_pktmbuf_free(m);
		return 0;
	}
	if (gen_imp_draw(s, s->dup)) {
		c = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);
		if (c != NULL) {
			s->cnt[GEN_IMP_DUP]++;
			n += gen_imp_emit(s, c, now, out + n);
		} else {
			s->cnt[GEN_IMP_DUP_FAIL]++;
		}
	}
	if (s->held == NULL && gen_imp_draw(s, s->reorder)) {
		s->cnt[GEN_IMP_REORDER]++;
		s->held = m;
		s->held_since = now;
		return n;
	}
	n += gen_imp_emit(s, m, now, out + n);
	if (s->held != NULL) {
		n += gen_imp_emit(s, s->held, now, out + n);
		s->held = NULL;
	}
	return n;
}

unsigned int
gen_imp_out(struct gen_imp *s, uint64_t now, struct rte_mbuf **out,
	    unsigned int max)
{
	unsigned int n = 0;

	if (s->held != NULL && now - s->held_since >= s->reorder_tsc &&
	    n < max) {
		n += gen_imp_emit(s, s->held, now, out + n);
		s->held = NULL;
	}
	while (s->n != 0 && n < max && s->line[s->head].due <= now) {
		out[n++] = s->line[s->head].m;
		s->head = (s->head + 1) % GEN_IMP_LINE;
		s->n--;
	}
	return n;
}

void
gen_imp_free(struct gen_imp *s)
{
	if (s->held != NULL)
		rte_pktmbuf_free(s->held);
	s->held = NULL;
	while (s->n != 0) {
		rte_pktmbuf_free(s->line[s->head].m);
		s->head = (s->head + 1) % GEN_IMP_LINE;
		s->n--;
	}
}
