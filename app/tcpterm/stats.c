/* SPDX-License-Identifier: BSD-3-Clause */
/* The stats line and the exit summary, from the cores' counters. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tcpterm.h"

/* Everything the stats line and the summary show, summed over cores. */
struct tt_totals {
	struct tcp_counters tcp;
	struct dp_counters glue;
	uint64_t drops[NET_DROP_MAX];
	uint64_t states[TCP_STATE_MAX];
};

static void
tt_totals(const struct tt_stats *s, struct tt_totals *t)
{
	dp_sum_tcp(s->cores, s->n, &t->tcp);
	dp_sum_glue(s->cores, s->n, &t->glue);
	dp_sum_drops(s->cores, s->n, t->drops);
	dp_sum_states(s->cores, s->n, t->states);
}

/* Every drop: parse/validation reasons, TCP drops, glue drops. */
static uint64_t
tt_drops_total(const struct tt_totals *t)
{
	return dp_drops_total(&t->tcp, &t->glue, t->drops);
}

void
tt_stats_init(struct tt_stats *s, struct dp_core *const *cores, unsigned int n,
	      uint32_t interval_ms)
{
	memset(s, 0, sizeof(*s));
	s->cores = cores;
	s->n = n;
	s->interval_us = (uint64_t)interval_ms * 1000;
	s->next_us = s->interval_us;
}

/* The ports served (the same on every core). */
static unsigned int
tt_n_ports(const struct tt_stats *s)
{
	return s->n != 0 ? s->cores[0]->n_ports : 0;
}

/*
 * With several ports, each port's frames and drops at the end of the
 * stats line: " | net_tap0 rx 10 tx 9 drop 0, net_tap1 ...". One port
 * keeps the line as it was (the totals are that port's).
 */
static void
tt_stats_ports(const struct tt_stats *s)
{
	struct dp_port_counters pc;
	unsigned int pi, n = tt_n_ports(s);

	if (n < 2)
		return;
	for (pi = 0; pi < n; pi++) {
		dp_sum_port(s->cores, s->n, pi, &pc);
		printf("%s%s rx %" PRIu64 " tx %" PRIu64 " drop %" PRIu64,
		       pi == 0 ? " | " : ", ",
		       s->cores[0]->ports[pi].port->name, pc.rx_packets,
		       pc.tx_packets, pc.rx_drop + pc.tx_drop);
	}
}

void
tt_stats_tick(void *arg, uint64_t now_us)
{
	struct tt_stats *s = arg;
	struct tt_totals t;

	if (s->interval_us == 0 || now_us < s->next_us)
		return;
	s->next_us = now_us + s->interval_us;
	tt_totals(s, &t);
	printf("tcpterm: t=%.1fs rx %" PRIu64 " pkt tx %" PRIu64 " pkt"
	       " | conns est %" PRIu64 " tw %" PRIu64 " cw %" PRIu64
	       " | opened %" PRIu64 " closed %" PRIu64 " | drops %" PRIu64
	       " | rst tx %" PRIu64,
	       (double)now_us / 1e6, t.glue.rx_packets, t.glue.tx_packets,
	       t.states[TCP_ESTABLISHED], t.states[TCP_TIME_WAIT],
	       t.states[TCP_CLOSE_WAIT], t.tcp.conn_opened, t.tcp.conn_closed,
	       tt_drops_total(&t), t.tcp.rst_sent);
	tt_stats_ports(s);
	printf("\n");
	fflush(stdout);
}

static void
tt_summary_drops(const struct tt_totals *t, FILE *f)
{
	const uint64_t *tc = (const uint64_t *)&t->tcp;
	const uint64_t *gc = (const uint64_t *)&t->glue;
	unsigned int i;

	for (i = NET_DROP_NONE + 1; i < NET_DROP_MAX; i++)
		if (t->drops[i] != 0)
			fprintf(f, "tcpterm:   drop %-24s %" PRIu64 "\n",
				net_drop_name(i), t->drops[i]);
	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (tc[i] != 0 && tcp_counter_kind(i) == TCP_COUNTER_DROP)
			fprintf(f, "tcpterm:   drop %-24s %" PRIu64 "\n",
				tcp_counter_name(i), tc[i]);
	for (i = 0; i < DP_COUNTER_COUNT; i++)
		if (gc[i] != 0 && dp_counter_kind(i) == TCP_COUNTER_DROP)
			fprintf(f, "tcpterm:   drop %-24s %" PRIu64 "\n",
				dp_counter_name(i), gc[i]);
}

/* With several ports, a totals line per port. */
static void
tt_summary_ports(const struct tt_stats *s, FILE *f)
{
	struct dp_port_counters pc;
	unsigned int pi, n = tt_n_ports(s);

	if (n < 2)
		return;
	for (pi = 0; pi < n; pi++) {
		dp_sum_port(s->cores, s->n, pi, &pc);
		fprintf(f,
			"tcpterm: totals: port %u (%s): packets rx %" PRIu64
			" tx %" PRIu64 ", drops rx %" PRIu64
			" (not ours: ip %" PRIu64 ", arp %" PRIu64
			") tx %" PRIu64 "\n",
			pi, s->cores[0]->ports[pi].port->name, pc.rx_packets,
			pc.tx_packets, pc.rx_drop, pc.ip_not_ours,
			pc.arp_not_ours, pc.tx_drop);
	}
}

void
tt_stats_summary(const struct tt_stats *s, FILE *f)
{
	struct tt_totals t;

	tt_totals(s, &t);
	fprintf(f,
		"tcpterm: totals: packets rx %" PRIu64 " tx %" PRIu64
		", segments in %" PRIu64 " out %" PRIu64 "\n",
		t.glue.rx_packets, t.glue.tx_packets, t.tcp.seg_in,
		t.tcp.seg_out);
	tt_summary_ports(s, f);
	fprintf(f,
		"tcpterm: totals: connections opened %" PRIu64
		" closed %" PRIu64 ", rst sent %" PRIu64 " received %" PRIu64
		", retransmits %" PRIu64 "\n",
		t.tcp.conn_opened, t.tcp.conn_closed, t.tcp.rst_sent,
		t.tcp.rst_rx, t.tcp.retransmit);
	if (s->n > 1)
		fprintf(f,
			"tcpterm: totals: %u workers, steered %" PRIu64
			" (ring full %" PRIu64 "), tx handed over %" PRIu64
			", ownership violations %" PRIu64 "\n",
			s->n, t.glue.steered_in, t.glue.steer_ring_full,
			t.glue.tx_handoff, t.glue.ownership_violations);
	fprintf(f, "tcpterm: totals: drops %" PRIu64 "%s\n", tt_drops_total(&t),
		tt_drops_total(&t) ? ", by reason:" : "");
	tt_summary_drops(&t, f);
	fflush(f);
}
