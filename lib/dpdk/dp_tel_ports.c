/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-port figures: the counters of DP_PORT_COUNTERS summed over the
 * workers for each port, and the /tcpterm/ports telemetry command. The
 * totals of /tcpterm/stats count the same events over every port.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "dp.h"
#include "dp_internal.h"

static const struct {
	const char *name;
	const char *desc;
	enum tcp_counter_kind kind;
} dp_port_counter_info[] = {
#define DP_COUNTER_INFO(n, k, d) { #n, d, TCP_COUNTER_##k },
	DP_PORT_COUNTERS(DP_COUNTER_INFO)
#undef DP_COUNTER_INFO
};

const char *
dp_port_counter_name(unsigned int i)
{
	if (i >= DP_PORT_COUNTER_COUNT)
		return "?";
	return dp_port_counter_info[i].name;
}

enum tcp_counter_kind
dp_port_counter_kind(unsigned int i)
{
	if (i >= DP_PORT_COUNTER_COUNT)
		return TCP_COUNTER_EVENT;
	return dp_port_counter_info[i].kind;
}

const char *
dp_port_counter_desc(unsigned int i)
{
	if (i >= DP_PORT_COUNTER_COUNT)
		return NULL;
	return dp_port_counter_info[i].desc;
}

void
dp_sum_port(struct dp_core *const *cores, unsigned int n, unsigned int pi,
	    struct dp_port_counters *out)
{
	uint64_t *o = (uint64_t *)out;
	unsigned int c, i;

	memset(out, 0, sizeof(*out));
	for (c = 0; c < n; c++) {
		const uint64_t *v;

		if (pi >= cores[c]->n_ports)
			continue;
		v = (const uint64_t *)&cores[c]->ports[pi].cnt;
		for (i = 0; i < DP_PORT_COUNTER_COUNT; i++)
			o[i] += __atomic_load_n(&v[i], __ATOMIC_RELAXED);
	}
}

/* One port's entry: what it is, then its counters over every worker. */
static struct rte_tel_data *
dp_tel_port(struct dp_core *const *cores, unsigned int n, unsigned int pi)
{
	const struct dp_port *p = cores[0]->ports[pi].port;
	struct rte_tel_data *d = rte_tel_data_alloc();
	struct dp_port_counters pc;
	const uint64_t *v = (const uint64_t *)&pc;
	char a[16], a6[NET_IPV6_FMT_LEN];
	unsigned int i;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "device", p->name);
	rte_tel_data_add_dict_u64(d, "port_id", p->port_id);
	rte_tel_data_add_dict_string(d, "ipv4", net_ipv4_fmt(p->addr, a));
	rte_tel_data_add_dict_string(d, "ipv6",
				     p->has_ipv6 ? net_ipv6_fmt(p->addr6, a6) :
						   "");
	rte_tel_data_add_dict_u64(d, "vlan", p->vlan);
	rte_tel_data_add_dict_string(d, "steering",
				     dp_steer_mode_name(p->steer));
	rte_tel_data_add_dict_u64(d, "rx_queues", p->nb_rxq);
	rte_tel_data_add_dict_u64(d, "tx_queues", p->nb_txq);
	dp_sum_port(cores, n, pi, &pc);
	for (i = 0; i < DP_PORT_COUNTER_COUNT; i++)
		rte_tel_data_add_dict_u64(d, dp_port_counter_name(i), v[i]);
	return d;
}

static int
dp_tel_cmd_ports(const char *cmd __rte_unused, const char *params __rte_unused,
		 struct rte_tel_data *d)
{
	struct dp_core *const *cores;
	struct rte_tel_data *e;
	unsigned int n, pi;
	char key[16];

	n = dp_tel_cores_get(&cores);
	rte_tel_data_start_dict(d);
	if (n == 0)
		return 0;
	for (pi = 0; pi < cores[0]->n_ports; pi++) {
		e = dp_tel_port(cores, n, pi);
		if (e == NULL)
			return -ENOMEM;
		snprintf(key, sizeof(key), "%u", pi);
		rte_tel_data_add_dict_container(d, key, e, 0);
	}
	return 0;
}

int
dp_tel_ports_register(void)
{
	return rte_telemetry_register_cmd(
		"/tcpterm/ports", dp_tel_cmd_ports,
		"Per-port counters summed over workers, a dict keyed by "
		"port index. Takes no parameters");
}
