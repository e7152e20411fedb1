/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timer micro-benchmark: shared declarations between the driver
 * (timer_bench.c) and the three timer systems under test
 * (timer_bench_sys.c): tcpterm's wheel, DPDK's rte_timer and a binary
 * min-heap with an index map.
 */
#ifndef TT_TIMER_BENCH_H
#define TT_TIMER_BENCH_H

#include <stdint.h>

/* Deadlines of the throughput runs: uniform in 1..TB_SPAN ticks (1 ms). */
#define TB_SPAN 120000u
/* The storm: every timer due within this many ticks of its start. */
#define TB_STORM_TICKS 1000u
/* Per-poll expiry budget of the storm: starts low, doubles under backlog. */
#define TB_BUDGET_MIN 256u
#define TB_BUDGET_MAX 4096u
/* Virtual tick of the start of every run (about 17 minutes of uptime). */
#define TB_BASE 1000000u
/* Largest --pf-batch: the throughput runs' cookies per expire call. */
#define TB_PF_BATCH_MAX 256u
/* Wall time over CPU time above which a storm poll counts as preempted. */
#define TB_PREEMPT_NS 2000u
/*
 * A gap between two reads of the storm's clock above which the CPU was
 * away (a stall): no step of the storm's loop runs this long without a
 * read (tb_gaps).
 */
#define TB_STALL_NS 5000u

/* The owner of a timer, as a connection would be. */
struct tb_obj {
	uint64_t deadline;
	uint32_t gen;
	uint32_t fired;
};

/* One throughput run: the same workload is given to every system. */
struct tb_load {
	uint32_t n;
	uint32_t *tick;	  /* Deadline of object i, in ticks from the base. */
	uint32_t *cancel; /* Objects to cancel, in this order. */
	uint32_t ncancel;
};

struct tb_result {
	double insert_ns;
	double cancel_ns;
	double expire_ns; /* Per live timer fired, stale entries included. */
	double expire_entry_ns; /* The same per entry handed out (live or stale). */
	double expire_bare_ns;	/* Wheel alone, no owner touched, per entry. */
	double expire_plain_ns; /* Owners touched without prefetch, per live. */
	double expire_plain_entry_ns; /* The same per entry handed out. */
	uint64_t inserted;
	uint64_t cancelled;
	uint64_t fired;
	uint64_t stale; /* Cancelled entries met while expiring. */
	int timeout;	/* A phase hit the time limit. */
	int failed;
};

/* Poll-time distribution of a storm, in ns buckets. */
#define TB_HIST_FINE 10000u    /* 10 ns buckets up to 100 us. */
#define TB_HIST_COARSE 100000u /* 10 us buckets up to 1 s. */

/*
 * The clock of the storm's loop, and the platform's stalls it sees.
 * Every TSC read of the loop goes through tb_gaps_read(): the wheel
 * reads its deadline clock after each chunk of work, the bench after
 * each batch fired and all through its simulated packet work. So no
 * step of the loop runs long without a read, and a gap between two
 * reads longer than min_cyc is time the CPU spent elsewhere: an
 * interrupt, the host taking the vCPU (invisible to the guest's CPU
 * clock: its steal time reads 0 here), or the scheduler.
 */
#define TB_GAP_US 11 /* Gaps counted by us: 1, 2, .. 10, more. */

struct tb_gaps {
	uint64_t last;	 /* TSC of the last read */
	uint64_t us_cyc; /* TSC cycles per us */
	uint64_t
		by_us[TB_GAP_US]; /* gaps of [k + 1, k + 2) us, the last more */
	uint64_t min_cyc;	  /* gaps longer than this are stalls */
	uint64_t stalls;	  /* how many */
	uint64_t stall_cyc;	  /* their sum */
	uint64_t worst_cyc;	  /* the longest gap */
};

struct tb_storm {
	uint64_t armed;
	uint64_t fired;
	uint64_t polls;
	uint64_t timer_cyc; /* Cycles spent in timer work, all polls. */
	uint64_t worst_cyc;
	uint64_t drain_cyc;	 /* Storm start to last timer fired. */
	uint64_t wall_cyc;	 /* The same in wall (TSC) time. */
	uint64_t max_late;	 /* Ticks between a deadline and its firing. */
	uint64_t late;		 /* Timers fired more than 1 tick late. */
	uint64_t deadline_stops; /* Wheel calls stopped by the deadline. */
	uint64_t pending_slots;	 /* Slots reached before pre-cascade. */
	uint64_t preempted;	 /* Polls in an interval that was preempted. */
	uint64_t worst_run_cyc;	 /* Worst poll that was not preempted. */
	uint64_t stalled_polls;	 /* Polls with a stall in them (tb_gaps). */
	uint64_t work_worst_cyc; /* Worst poll with its stalls taken out. */
	uint64_t max_poll_work;	 /* Most entries handed out + re-filed. */
	struct tb_gaps gaps;	 /* The stalls of the whole storm. */
	int arm_timeout;
	int drain_timeout;
	int failed;
	uint32_t hist[TB_HIST_FINE + TB_HIST_COARSE + 1];
	/* The same, of the polls with their stalls taken out. */
	uint32_t whist[TB_HIST_FINE + TB_HIST_COARSE + 1];
};

struct tb_conf {
	double limit_s; /* Time limit of each slow phase. */
	uint64_t rx_ns; /* Simulated packet work between polls. */
	uint64_t
		slice_ns; /* Wheel storm: timer time per poll (0: count only). */
	int wheel_only;	  /* Run the wheel only, not heap and rte_timer. */
	int cpu_clock;	  /* Wheel storm: virtual time is thread CPU time. */
	int stall_clock;  /* Wheel storm: virtual time is TSC less stalls. */
	uint64_t stall_ns; /* Gap between clock reads that is a stall. */
	uint32_t pf_dist;  /* Owners prefetched this many cookies ahead. */
	/* Cookies per expire call, all owners prefetched first (0: off). */
	uint32_t pf_batch;
	uint64_t hz; /* Cycle counter frequency. */
};

/* Timing and statistics helpers of timer_bench.c. */
uint64_t tb_cycles(void);
double tb_ns(uint64_t cycles, const struct tb_conf *c);
void tb_spin(uint64_t cycles);
/*
 * Record a poll of cyc TSC cycles. A preempted poll (the wall time of its
 * interval exceeds its CPU time by TB_PREEMPT_NS: tb_preempted()) is
 * counted apart; the worst poll not preempted is kept too.
 */
void tb_storm_poll(struct tb_storm *s, uint64_t cyc, int preempted);
/* Record a poll's time with the stalls in it (stall_cyc) taken out. */
void tb_storm_work(struct tb_storm *s, uint64_t cyc, uint64_t stall_cyc);
void tb_gaps_init(struct tb_gaps *g, uint64_t min_cyc);
/* Read the TSC, counting the gap since the last read if it is a stall. */
uint64_t tb_gaps_read(struct tb_gaps *g);
/* Spin for cycles, reading through g all along. */
void tb_gaps_spin(struct tb_gaps *g, uint64_t cycles);
int tb_preempted(uint64_t wall_cyc, uint64_t cpu_cyc);
/* Thread CPU time, in TSC cycles. */
uint64_t tb_cpu_cycles(void);
uint64_t tb_tick_now(uint64_t c0, const struct tb_conf *c);

/* The systems of timer_bench_sys.c. */
int tb_wheel_run(const struct tb_load *l, struct tb_result *r,
		 const struct tb_conf *c);
int tb_heap_run(const struct tb_load *l, struct tb_result *r,
		const struct tb_conf *c);
int tb_rte_run(const struct tb_load *l, struct tb_result *r,
	       const struct tb_conf *c);
int tb_wheel_storm(const struct tb_load *l, struct tb_storm *s,
		   const struct tb_conf *c);
int tb_heap_storm(const struct tb_load *l, struct tb_storm *s,
		  const struct tb_conf *c);
int tb_rte_storm(const struct tb_load *l, struct tb_storm *s,
		 const struct tb_conf *c, double est_insert_ns);

#endif /* TT_TIMER_BENCH_H */
