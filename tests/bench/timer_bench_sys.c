/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The timer systems under test, each driven through the same runs:
 * tcpterm's wheel (lazy cancel), a binary min-heap with an index map
 * (real cancel) and DPDK's rte_timer (skip list, real cancel).
 *
 * Firing a timer always touches its owner object, as a TCP layer would.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_timer.h>

#include "timer_bench.h"
#include "wheel.h"

#ifdef TT_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#define TB_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define TB_COLLECT() \
	do { \
	} while (0)
#endif

#define TB_BATCH TB_PF_BATCH_MAX
/* Cookies per wheel_expire_until() call in a time-bounded storm poll. */
#define TB_SLICE_BATCH 32u
#define HEAP_NONE UINT32_MAX

struct tb_fire {
	uint64_t fired;
	uint64_t stale;
	uint64_t max_late;
	uint64_t late;
};

static struct tb_obj *
obj_alloc(uint32_t n)
{
	struct tb_obj *o =
		aligned_alloc(64, ((size_t)n * sizeof(*o) + 63) & ~(size_t)63);

	if (o != NULL)
		memset(o, 0, (size_t)n * sizeof(*o));
	return o;
}

static double
per_op(uint64_t cyc, uint64_t ops, const struct tb_conf *c)
{
	return ops == 0 ? 0.0 : tb_ns(cyc, c) / (double)ops;
}

static void
note_late(struct tb_fire *f, uint64_t now, uint64_t deadline)
{
	if (now <= deadline)
		return;
	if (now - deadline > f->max_late)
		f->max_late = now - deadline;
	if (now - deadline > 1)
		f->late++;
}

/* Adaptive storm budget: double while the budget is used up. */
static uint32_t
budget_next(uint32_t budget, size_t done)
{
	if (done < budget)
		return TB_BUDGET_MIN;
	return budget < TB_BUDGET_MAX ? budget * 2 : budget;
}

/*
 * The wheel's budget: a poll that its deadline stopped short of the
 * budget still has a backlog (wheel_backlog()), and keeps its budget
 * rather than falling back to the minimum as if nothing more were due.
 */
static uint32_t
wheel_budget_next(const struct wheel *w, uint32_t budget, size_t done)
{
	if (done < budget && wheel_backlog(w))
		return budget;
	return budget_next(budget, done);
}

/* ---- The wheel: cookie = object index << 32 | generation. ---- */

static int
wheel_fill(struct wheel *w, struct tb_obj *obj, const struct tb_load *l,
	   uint64_t base, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct tb_obj *o = &obj[i];

		o->deadline = base + l->tick[i];
		if (wheel_add(w, o->deadline, (uint64_t)i << 32 | o->gen) != 0)
			return -1;
	}
	return 0;
}

static void
wheel_fire(struct tb_obj *obj, const uint64_t *out, size_t n, uint64_t now,
	   struct tb_fire *f)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tb_obj *o = &obj[out[i] >> 32];

		if (o->gen != (uint32_t)out[i]) {
			f->stale++;
			continue;
		}
		o->fired++;
		f->fired++;
		note_late(f, now, o->deadline);
	}
}

/* Fire one cookie whose owner is (being) fetched. */
static inline void
wheel_fire_one(struct tb_obj *obj, uint64_t cookie, uint64_t now,
	       struct tb_fire *f)
{
	struct tb_obj *o = &obj[cookie >> 32];

	if (o->gen != (uint32_t)cookie) {
		f->stale++;
		return;
	}
	o->fired++;
	f->fired++;
	note_late(f, now, o->deadline);
}

/*
 * Fire a batch with each owner prefetched dist cookies ahead: the
 * owners are at random places in a large array, so firing in order
 * would wait for one cache miss after another.
 */
static void
wheel_fire_pf(struct tb_obj *obj, const uint64_t *out, size_t n, uint64_t now,
	      struct tb_fire *f, size_t dist)
{
	size_t i;

	for (i = 0; i < n && i < dist; i++)
		__builtin_prefetch(&obj[out[i] >> 32], 1);
	for (i = 0; i < n; i++) {
		if (i + dist < n)
			__builtin_prefetch(&obj[out[i + dist] >> 32], 1);
		wheel_fire_one(obj, out[i], now, f);
	}
}

/*
 * Fire a batch whose owners are all prefetched first (--pf-batch): the
 * misses of the whole batch overlap, then each owner is touched.
 */
static void
wheel_fire_batch(struct tb_obj *obj, const uint64_t *out, size_t n,
		 uint64_t now, struct tb_fire *f)
{
	size_t i;

	for (i = 0; i < n; i++)
		__builtin_prefetch(&obj[out[i] >> 32], 1);
	for (i = 0; i < n; i++)
		wheel_fire_one(obj, out[i], now, f);
}

/* Fire with the owner prefetch the configuration asks for. */
static void
wheel_fire_conf(struct tb_obj *obj, const uint64_t *out, size_t n, uint64_t now,
		struct tb_fire *f, const struct tb_conf *c)
{
	if (c->pf_batch != 0)
		wheel_fire_batch(obj, out, n, now, f);
	else
		wheel_fire_pf(obj, out, n, now, f, c->pf_dist);
}

/* How a drain treats the owners of the cookies handed out. */
enum tb_touch {
	TB_TOUCH_NONE,	   /* The wheel alone: cookies only counted. */
	TB_TOUCH_PLAIN,	   /* Owner touched in order, no prefetch. */
	TB_TOUCH_PREFETCH, /* Owner touched, prefetched ahead. */
};

/* Drain everything due at now; returns the cookies handed out. */
static uint64_t
wheel_drain(struct wheel *w, struct tb_obj *obj, uint64_t now,
	    struct tb_fire *f, enum tb_touch touch, const struct tb_conf *c)
{
	uint64_t out[TB_BATCH], handed = 0, sum = 0;
	size_t n, i, batch = TB_BATCH;

	if (touch == TB_TOUCH_PREFETCH && c->pf_batch != 0)
		batch = c->pf_batch;
	do {
		n = wheel_expire(w, now, out, batch);
		handed += n;
		if (touch == TB_TOUCH_PLAIN)
			wheel_fire(obj, out, n, now, f);
		else if (touch == TB_TOUCH_PREFETCH)
			wheel_fire_conf(obj, out, n, now, f, c);
		else
			for (i = 0; i < n; i++)
				sum += out[i];
	} while (n == batch || wheel_backlog(w));
	/* Keep the wheel-alone loop from being optimised away. */
	__asm__ volatile("" : : "r"(sum));
	return handed;
}

static void
wheel_cancel(struct tb_obj *obj, const struct tb_load *l)
{
	uint32_t k;

	for (k = 0; k < l->ncancel; k++) {
		struct tb_obj *o = &obj[l->cancel[k]];

		o->gen++;
		o->deadline = UINT64_MAX;
	}
}

/*
 * One round: fill, cancel, drain with the given owner treatment. Returns
 * the drain's cycles of thread CPU time (tb_cpu_cycles(): preemption by
 * other processes of a shared machine does not count); *handed counts
 * the cookies handed out.
 */
static int
wheel_round(struct wheel *w, struct tb_obj *obj, const struct tb_load *l,
	    enum tb_touch touch, struct tb_fire *f, uint64_t *cyc,
	    uint64_t *handed, const struct tb_conf *c)
{
	uint64_t base = wheel_now(w), t0;

	memset(f, 0, sizeof(*f));
	if (wheel_fill(w, obj, l, base, l->n))
		return -1;
	wheel_cancel(obj, l);
	t0 = tb_cpu_cycles();
	if (touch == TB_TOUCH_NONE)
		TB_COLLECT();
	*handed = wheel_drain(w, obj, base + TB_SPAN, f, touch, c);
	if (touch == TB_TOUCH_NONE)
		TB_COLLECT();
	*cyc = tb_cpu_cycles() - t0;
	return 0;
}

int
tb_wheel_run(const struct tb_load *l, struct tb_result *r,
	     const struct tb_conf *c)
{
	struct tb_obj *obj = obj_alloc(l->n);
	struct wheel *w = wheel_create(l->n, TB_BASE);
	struct tb_fire f = { 0 };
	uint64_t base, t0, t1, t2, t3, cyc, handed;

	memset(r, 0, sizeof(*r));
	if (obj == NULL || w == NULL || wheel_fill(w, obj, l, TB_BASE, l->n))
		goto fail;
	/* Warm-up round: fault the chunk pool in, as in steady state. */
	wheel_drain(w, obj, TB_BASE + TB_SPAN, &f, TB_TOUCH_PLAIN, c);
	/* The wheel alone: the cookies handed out are only counted. */
	if (wheel_round(w, obj, l, TB_TOUCH_NONE, &f, &cyc, &handed, c))
		goto fail;
	r->expire_bare_ns = per_op(cyc, handed, c);
	/* Owners touched in order, as before the prefetch. */
	if (wheel_round(w, obj, l, TB_TOUCH_PLAIN, &f, &cyc, &handed, c))
		goto fail;
	r->expire_plain_ns = per_op(cyc, f.fired, c);
	r->expire_plain_entry_ns = per_op(cyc, handed, c);
	base = wheel_now(w);
	memset(&f, 0, sizeof(f));
	t0 = tb_cpu_cycles();
	if (wheel_fill(w, obj, l, base, l->n))
		goto fail;
	t1 = tb_cpu_cycles();
	wheel_cancel(obj, l);
	t2 = tb_cpu_cycles();
	handed = wheel_drain(w, obj, base + TB_SPAN, &f, TB_TOUCH_PREFETCH, c);
	t3 = tb_cpu_cycles();
	r->inserted = l->n;
	r->cancelled = l->ncancel;
	r->fired = f.fired;
	r->stale = f.stale;
	r->insert_ns = per_op(t1 - t0, l->n, c);
	r->cancel_ns = per_op(t2 - t1, l->ncancel, c);
	r->expire_ns = per_op(t3 - t2, f.fired, c);
	r->expire_entry_ns = per_op(t3 - t2, handed, c);
	r->failed = f.fired != l->n - l->ncancel || wheel_count(w) != 0;
	wheel_destroy(w);
	free(obj);
	return r->failed ? -1 : 0;
fail:
	r->failed = 1;
	wheel_destroy(w);
	free(obj);
	return -1;
}

/* The storm's deadline clock: the TSC, its stalls counted (tb_gaps). */
static uint64_t
gaps_now(void *arg)
{
	return tb_gaps_read(arg);
}

/*
 * One time-bounded storm poll: batches of TB_SLICE_BATCH cookies (or
 * --pf-batch), each fired with its owners prefetched, until the budget
 * is spent, nothing more is due or the clock passes the deadline (which
 * the wheel also checks after each chunk of its own work).
 */
static size_t
wheel_storm_slice(struct wheel *w, struct tb_obj *obj, uint64_t now,
		  uint64_t *out, uint32_t budget, const struct wheel_clock *clk,
		  struct tb_fire *f, const struct tb_conf *c)
{
	size_t done = 0, n, max, batch = TB_SLICE_BATCH;

	if (c->pf_batch != 0)
		batch = c->pf_batch;
	while (done < budget) {
		max = budget - done < batch ? budget - done : batch;
		n = wheel_expire_until(w, now, out, max, clk);
		wheel_fire_conf(obj, out, n, wheel_now(w), f, c);
		done += n;
		if (clk->now(clk->arg) >= clk->deadline)
			break;
		if (n < max && !wheel_backlog(w))
			break;
	}
	return done;
}

/* One storm poll: the wheel's work for virtual time tick. */
static size_t
wheel_storm_poll(struct wheel *w, struct tb_obj *obj, uint64_t tick,
		 uint64_t *out, uint32_t budget, struct wheel_clock *clk,
		 struct tb_fire *f, const struct tb_conf *c)
{
	size_t n;

	if (clk->deadline == 0) {
		n = wheel_expire(w, tick, out, budget);
		wheel_fire(obj, out, n, wheel_now(w), f);
		return n;
	}
	return wheel_storm_slice(w, obj, tick, out, budget, clk, f, c);
}

/*
 * The storm's loop: simulated packet work, then a poll of the wheel, at
 * virtual time from one of three clocks: the TSC (wall), the TSC less
 * the stalls seen (--stall-clock: what the platform took away does not
 * make timers late), or the thread's CPU time (--cpu-clock). Each poll
 * is recorded twice: its wall time, and its time with the stalls in it
 * taken out.
 */
int
tb_wheel_storm(const struct tb_load *l, struct tb_storm *s,
	       const struct tb_conf *c)
{
	struct tb_obj *obj = obj_alloc(l->n);
	struct wheel *w = wheel_create(l->n, TB_BASE);
	uint64_t out[TB_BUDGET_MAX];
	uint64_t rx = c->rx_ns * c->hz / 1000000000u;
	uint64_t slice = c->slice_ns * c->hz / 1000000000u;
	uint64_t lim = (uint64_t)(c->limit_s * (double)c->hz);
	struct tb_gaps *g = &s->gaps;
	struct wheel_clock clk = { .now = gaps_now, .arg = g };
	struct tb_fire f = { 0 };
	uint32_t budget = TB_BUDGET_MIN;
	uint64_t c0, a, b = 0, ca = 0, done = 0, tick, per_tick, vt, sa, t1;
	uint64_t pa = 0, pca = 0, pcyc = 0, pstall = 0;
	size_t n;

	if (obj == NULL || w == NULL || wheel_fill(w, obj, l, TB_BASE, l->n)) {
		s->failed = 1;
		goto out;
	}
	s->armed = l->n;
	per_tick = c->hz / 1000u;
	tb_gaps_init(g, c->stall_ns * c->hz / 1000000000u);
	s->wall_cyc = g->last;
	c0 = c->cpu_clock ? tb_cpu_cycles() : tb_gaps_read(g);
	while (done < s->armed) {
		/*
		 * With --cpu-clock, one read of the CPU clock per poll (a
		 * system call, more than 1 us here) stands in for the
		 * simulated packet work; it also tells whether the interval
		 * since the last read, the last poll's included, was
		 * preempted. Without it, nothing is flagged.
		 */
		if (c->cpu_clock) {
			ca = tb_cpu_cycles();
			a = tb_gaps_read(g);
			if (pcyc != 0) {
				tb_storm_poll(s, pcyc,
					      tb_preempted(a - pa, ca - pca));
				tb_storm_work(s, pcyc, pstall);
			}
			vt = ca - c0;
		} else {
			tb_gaps_spin(g, rx);
			a = tb_gaps_read(g);
			vt = a - c0;
			if (c->stall_clock)
				vt -= g->stall_cyc;
		}
		sa = g->stall_cyc;
		t1 = wheel_touched(w);
		tick = TB_BASE + vt / per_tick;
		clk.deadline = slice != 0 ? a + slice : 0;
		n = wheel_storm_poll(w, obj, tick, out, budget, &clk, &f, c);
		b = tb_gaps_read(g);
		if (wheel_touched(w) - t1 > s->max_poll_work)
			s->max_poll_work = wheel_touched(w) - t1;
		if (c->cpu_clock) {
			pa = a;
			pca = ca;
			pcyc = b - a;
			pstall = g->stall_cyc - sa;
		} else {
			tb_storm_poll(s, b - a, 0);
			tb_storm_work(s, b - a, g->stall_cyc - sa);
		}
		done += n;
		budget = wheel_budget_next(w, budget, n);
		if (vt > lim) {
			s->drain_timeout = 1;
			break;
		}
	}
	if (pcyc != 0) {
		tb_storm_poll(s, pcyc, 0);
		tb_storm_work(s, pcyc, pstall);
	}
	s->wall_cyc = g->last - s->wall_cyc;
	if (c->cpu_clock)
		b = tb_cpu_cycles();
	else if (c->stall_clock)
		b -= g->stall_cyc;
	s->drain_cyc = b - c0;
	s->fired = f.fired;
	s->max_late = f.max_late;
	s->late = f.late;
	s->deadline_stops = wheel_deadline_stops(w);
	s->pending_slots = wheel_pending_slots(w);
out:
	wheel_destroy(w);
	free(obj);
	return s->failed ? -1 : 0;
}

/* ---- Binary min-heap with an index map (object -> heap position). ---- */

struct heap_node {
	uint64_t key;
	uint32_t id;
	uint32_t pad;
};

struct heap {
	struct heap_node *a;
	uint32_t *pos;
	uint32_t n;
};

static void
heap_up(struct heap *h, uint32_t i, struct heap_node x)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (h->a[p].key <= x.key)
			break;
		h->a[i] = h->a[p];
		h->pos[h->a[i].id] = i;
		i = p;
	}
	h->a[i] = x;
	h->pos[x.id] = i;
}

static void
heap_down(struct heap *h, uint32_t i, struct heap_node x)
{
	for (;;) {
		uint32_t ch = 2 * i + 1;

		if (ch >= h->n)
			break;
		if (ch + 1 < h->n && h->a[ch + 1].key < h->a[ch].key)
			ch++;
		if (h->a[ch].key >= x.key)
			break;
		h->a[i] = h->a[ch];
		h->pos[h->a[i].id] = i;
		i = ch;
	}
	h->a[i] = x;
	h->pos[x.id] = i;
}

static void
heap_push(struct heap *h, uint64_t key, uint32_t id)
{
	struct heap_node x = { .key = key, .id = id };

	heap_up(h, h->n++, x);
}

static void
heap_remove_at(struct heap *h, uint32_t i)
{
	struct heap_node x = h->a[--h->n];

	h->pos[h->a[i].id] = HEAP_NONE;
	if (i == h->n)
		return;
	if (i > 0 && h->a[(i - 1) / 2].key > x.key)
		heap_up(h, i, x);
	else
		heap_down(h, i, x);
}

static int
heap_init(struct heap *h, uint32_t n)
{
	h->n = 0;
	h->a = malloc((size_t)n * sizeof(*h->a) + 1);
	h->pos = malloc((size_t)n * sizeof(*h->pos) + 1);
	if (h->a == NULL || h->pos == NULL)
		return -1;
	/* Fault the pages in, as in steady state. */
	memset(h->a, 0, (size_t)n * sizeof(*h->a));
	memset(h->pos, 0xff, (size_t)n * sizeof(*h->pos));
	return 0;
}

static void
heap_fini(struct heap *h)
{
	free(h->a);
	free(h->pos);
}

/* Pop up to max nodes due at now; returns how many. */
static size_t
heap_expire(struct heap *h, struct tb_obj *obj, uint64_t now, size_t max,
	    struct tb_fire *f)
{
	size_t n = 0;

	while (n < max && h->n > 0 && h->a[0].key <= now) {
		struct tb_obj *o = &obj[h->a[0].id];

		heap_remove_at(h, 0);
		o->fired++;
		f->fired++;
		note_late(f, now, o->deadline);
		n++;
	}
	return n;
}

static void
heap_fill(struct heap *h, struct tb_obj *obj, const struct tb_load *l,
	  uint64_t base)
{
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		obj[i].deadline = base + l->tick[i];
		heap_push(h, obj[i].deadline, i);
	}
}

int
tb_heap_run(const struct tb_load *l, struct tb_result *r,
	    const struct tb_conf *c)
{
	struct tb_obj *obj = obj_alloc(l->n);
	struct tb_fire f = { 0 };
	uint64_t t0, t1, t2, t3;
	struct heap h;
	uint32_t k;

	memset(r, 0, sizeof(*r));
	if (heap_init(&h, l->n) != 0 || obj == NULL) {
		r->failed = 1;
		goto out;
	}
	t0 = tb_cycles();
	heap_fill(&h, obj, l, TB_BASE);
	t1 = tb_cycles();
	for (k = 0; k < l->ncancel; k++)
		heap_remove_at(&h, h.pos[l->cancel[k]]);
	t2 = tb_cycles();
	heap_expire(&h, obj, TB_BASE + TB_SPAN, SIZE_MAX, &f);
	t3 = tb_cycles();
	r->inserted = l->n;
	r->cancelled = l->ncancel;
	r->fired = f.fired;
	r->insert_ns = per_op(t1 - t0, l->n, c);
	r->cancel_ns = per_op(t2 - t1, l->ncancel, c);
	r->expire_ns = per_op(t3 - t2, f.fired, c);
	r->failed = f.fired != l->n - l->ncancel || h.n != 0;
out:
	heap_fini(&h);
	free(obj);
	return r->failed ? -1 : 0;
}

int
tb_heap_storm(const struct tb_load *l, struct tb_storm *s,
	      const struct tb_conf *c)
{
	struct tb_obj *obj = obj_alloc(l->n);
	uint64_t rx = c->rx_ns * c->hz / 1000000000u;
	uint64_t lim = (uint64_t)(c->limit_s * (double)c->hz);
	struct tb_fire f = { 0 };
	uint32_t budget = TB_BUDGET_MIN;
	uint64_t c0, a, b = 0;
	struct heap h;
	size_t n;

	if (heap_init(&h, l->n) != 0 || obj == NULL) {
		s->failed = 1;
		goto out;
	}
	heap_fill(&h, obj, l, TB_BASE);
	s->armed = l->n;
	c0 = tb_cycles();
	while (f.fired < s->armed) {
		tb_spin(rx);
		a = tb_cycles();
		n = heap_expire(&h, obj, tb_tick_now(c0, c), budget, &f);
		b = tb_cycles();
		tb_storm_poll(s, b - a, 0);
		budget = budget_next(budget, n);
		if (b - c0 > lim) {
			s->drain_timeout = 1;
			break;
		}
	}
	s->drain_cyc = b - c0;
	s->fired = f.fired;
	s->max_late = f.max_late;
	s->late = f.late;
out:
	heap_fini(&h);
	free(obj);
	return s->failed ? -1 : 0;
}

/* ---- DPDK rte_timer: SINGLE timers on this lcore, real cancel. ---- */

static struct tb_fire rte_f;
static uint64_t rte_now_tick;

static void
rte_cb(struct rte_timer *tim, void *arg)
{
	struct tb_obj *o = arg;

	(void)tim;
	o->fired++;
	rte_f.fired++;
	note_late(&rte_f, rte_now_tick, o->deadline);
}

static struct rte_timer *
rte_alloc(uint32_t n)
{
	struct rte_timer *t =
		aligned_alloc(64, ((size_t)n * sizeof(*t) + 63) & ~(size_t)63);
	uint32_t i;

	if (t != NULL)
		for (i = 0; i < n; i++)
			rte_timer_init(&t[i]);
	return t;
}

/* Run rte_timer_manage() until want timers fired or the cycle limit. */
static int
rte_manage_until(uint64_t want, uint64_t lim)
{
	while (rte_f.fired < want) {
		rte_timer_manage();
		if (lim != 0 && tb_cycles() > lim)
			return -1;
	}
	return 0;
}

/*
 * Throughput run. rte_timer reads the cycle counter itself, so deadlines
 * are armed in cycles with time compressed 1000 times (1 tick = 1 us):
 * the order of deadlines, which is what the skip list works on, is the
 * same as for the others, and every timer is due once the drain starts.
 */
int
tb_rte_run(const struct tb_load *l, struct tb_result *r,
	   const struct tb_conf *c)
{
	struct tb_obj *obj = obj_alloc(l->n);
	struct rte_timer *tim = rte_alloc(l->n);
	uint64_t cyc_tick = rte_get_timer_hz() / 1000000u;
	uint64_t lim = (uint64_t)(c->limit_s * (double)c->hz);
	unsigned int lcore = rte_lcore_id();
	uint64_t t0, t1, t2, t3, t4;
	uint32_t i, k;

	memset(r, 0, sizeof(*r));
	memset(&rte_f, 0, sizeof(rte_f));
	if (obj == NULL || tim == NULL) {
		r->failed = 1;
		goto out;
	}
	t0 = tb_cycles();
	for (i = 0; i < l->n; i++) {
		if ((i & 1023) == 0 && tb_cycles() - t0 > lim) {
			r->timeout = 1;
			break;
		}
		if (rte_timer_reset(&tim[i], l->tick[i] * cyc_tick, SINGLE,
				    lcore, rte_cb, &obj[i]) != 0)
			r->failed = 1;
	}
	t1 = tb_cycles();
	r->inserted = i;
	for (k = 0; k < l->ncancel; k++) {
		if (l->cancel[k] >= r->inserted)
			continue;
		if ((r->cancelled & 1023) == 0 && tb_cycles() - t1 > lim) {
			r->timeout = 1;
			break;
		}
		if (rte_timer_stop(&tim[l->cancel[k]]) != 0)
			r->failed = 1;
		r->cancelled++;
	}
	t2 = tb_cycles();
	/* Wait until every deadline has passed, then drain. */
	while (tb_cycles() - t1 <= (TB_SPAN + 1) * cyc_tick)
		;
	t3 = tb_cycles();
	if (rte_manage_until(r->inserted - r->cancelled, t3 + lim) != 0)
		r->timeout = 1;
	t4 = tb_cycles();
	r->fired = rte_f.fired;
	r->insert_ns = per_op(t1 - t0, r->inserted, c);
	r->cancel_ns = per_op(t2 - t1, r->cancelled, c);
	r->expire_ns = per_op(t4 - t3, r->fired, c);
	/* Leave no timer pending on memory about to be freed. */
	rte_manage_until(r->inserted - r->cancelled, 0);
out:
	free(tim);
	free(obj);
	return r->failed ? -1 : 0;
}

/*
 * Storm. Deadlines are absolute cycles from a storm start c0 planned
 * ahead from the estimated arming time: tick k of the storm is the
 * millisecond [c0 + k ms, c0 + (k + 1) ms), with the cycle within it
 * random, as real deadlines would be. Arming stops (and is reported)
 * if it would run into c0. Each poll is one rte_timer_manage() call,
 * which runs every due timer: there is no budget.
 */
int
tb_rte_storm(const struct tb_load *l, struct tb_storm *s,
	     const struct tb_conf *c, double est_insert_ns)
{
	struct tb_obj *obj = obj_alloc(l->n);
	struct rte_timer *tim = rte_alloc(l->n);
	uint64_t cyc_ms = rte_get_timer_hz() / 1000u;
	uint64_t rx = c->rx_ns * c->hz / 1000000000u;
	uint64_t lim = (uint64_t)(c->limit_s * (double)c->hz);
	unsigned int lcore = rte_lcore_id();
	uint64_t c0, a, b = 0, lead, x = 88172645463325252ull;
	double est;
	uint32_t i;

	memset(&rte_f, 0, sizeof(rte_f));
	if (obj == NULL || tim == NULL || rte_get_timer_hz() != c->hz) {
		s->failed = 1;
		goto out;
	}
	est = est_insert_ns * 2.5 * l->n / 1e9 + 0.5;
	if (est_insert_ns <= 0 || est > c->limit_s)
		est = c->limit_s;
	lead = (uint64_t)(est * (double)c->hz);
	c0 = tb_cycles() + lead;
	for (i = 0; i < l->n; i++) {
		uint64_t now = rte_get_timer_cycles();
		uint64_t exp;

		if (now + cyc_ms / 10 >= c0) {
			s->arm_timeout = 1;
			break;
		}
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		exp = c0 + l->tick[i] * cyc_ms + x % cyc_ms;
		obj[i].deadline = TB_BASE + l->tick[i];
		if (rte_timer_reset(&tim[i], exp - now, SINGLE, lcore, rte_cb,
				    &obj[i]) != 0)
			s->failed = 1;
	}
	s->armed = i;
	while (tb_cycles() < c0)
		;
	while (rte_f.fired < s->armed) {
		tb_spin(rx);
		rte_now_tick = tb_tick_now(c0, c);
		a = tb_cycles();
		rte_timer_manage();
		b = tb_cycles();
		tb_storm_poll(s, b - a, 0);
		if (b - c0 > lim) {
			s->drain_timeout = 1;
			break;
		}
	}
	s->drain_cyc = b - c0;
	s->fired = rte_f.fired;
	s->max_late = rte_f.max_late;
	s->late = rte_f.late;
	rte_manage_until(s->armed, 0);
out:
	free(tim);
	free(obj);
	return s->failed ? -1 : 0;
}
