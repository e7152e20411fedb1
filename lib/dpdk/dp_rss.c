/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Steering mode of a port: hardware RSS with a symmetric Toeplitz key and
 * a RETA spread over the workers when the device can, software steering
 * (the same hash and a RETA of our own) when it cannot or when asked to.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "dp_internal.h"

#define DP_RSS_HF (RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_IPV4)
/* Added for a port with an IPv6 address. */
#define DP_RSS_HF6 (RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_IPV6)
#define DP_RSS_KEY_MAX 64
#define DP_RETA_GROUPS (DP_RETA_MAX / RTE_ETH_RETA_GROUP_SIZE)

/* 0x6d5a repeated: symmetric whatever key length the device uses. */
#define DP_K4 0x6d, 0x5a, 0x6d, 0x5a
#define DP_K16 DP_K4, DP_K4, DP_K4, DP_K4
static uint8_t dp_rss_key[DP_RSS_KEY_MAX] = { DP_K16, DP_K16, DP_K16, DP_K16 };

const char *
dp_steer_mode_name(enum dp_steer_mode m)
{
	switch (m) {
	case DP_STEER_NONE:
		return "none";
	case DP_STEER_HARDWARE:
		return "hardware";
	case DP_STEER_SOFTWARE:
		return "software";
	}
	return "?";
}

static bool
dp_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* Why hardware steering is impossible on this device (NULL: it is not). */
static const char *
dp_rss_unusable(const struct dp_port *p, const struct rte_eth_dev_info *di)
{
	if (p->nb_rxq < p->n_workers)
		return "fewer queues than workers";
	/*
	 * The tap PMD offers RSS only through rte_flow and eBPF; the
	 * kernel picks the queue of each packet by its own hash.
	 */
	if (di->driver_name != NULL && strcmp(di->driver_name, "net_tap") == 0)
		return "net_tap: the kernel chooses the queue, not RSS";
	if ((di->flow_type_rss_offloads & RTE_ETH_RSS_NONFRAG_IPV4_TCP) == 0)
		return "no IPv4/TCP RSS on the device";
	if (p->has_ipv6 &&
	    (di->flow_type_rss_offloads & RTE_ETH_RSS_NONFRAG_IPV6_TCP) == 0)
		return "no IPv6/TCP RSS on the device";
	if (!dp_pow2(di->reta_size) || di->reta_size > DP_RETA_MAX)
		return "no usable RETA on the device";
	if (di->hash_key_size > DP_RSS_KEY_MAX)
		return "RSS key too long";
	return NULL;
}

static void
dp_rss_software(struct dp_port *p, const char *why)
{
	p->steer = DP_STEER_SOFTWARE;
	p->steer_why = why;
	p->reta_size = DP_SW_RETA_SIZE;
	(void)net_rss_reta_fill(p->reta, p->reta_size, p->n_workers);
}

static void
dp_rss_hardware(struct dp_port *p, const struct rte_eth_dev_info *di,
		struct rte_eth_conf *conf)
{
	p->steer = DP_STEER_HARDWARE;
	p->steer_why = "device RSS, symmetric Toeplitz key";
	p->reta_size = di->reta_size;
	(void)net_rss_reta_fill(p->reta, p->reta_size, p->n_workers);
	conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_key = dp_rss_key;
	conf->rx_adv_conf.rss_conf.rss_key_len = di->hash_key_size != 0 ?
		di->hash_key_size :
		NET_RSS_KEY_LEN;
	conf->rx_adv_conf.rss_conf.rss_hf = p->rss_hf_wanted &
		di->flow_type_rss_offloads;
	/* The hash in the mbuf saves computing it again. */
	conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH &
		di->rx_offload_capa;
}

int
dp_rss_choose(struct dp_port *p, const struct cfg_port *cp,
	      const struct rte_eth_dev_info *di, struct rte_eth_conf *conf)
{
	const char *why;

	p->rss_tab = rte_zmalloc("dp_rss_tab", sizeof(*p->rss_tab),
				 RTE_CACHE_LINE_SIZE);
	if (p->rss_tab == NULL)
		return -ENOMEM;
	net_rss_tab_init(p->rss_tab, net_rss_key_symmetric);
	p->rss_hf_wanted = DP_RSS_HF;
	if (p->has_ipv6) {
		p->rss_tab6 = rte_zmalloc("dp_rss_tab6", sizeof(*p->rss_tab6),
					  RTE_CACHE_LINE_SIZE);
		if (p->rss_tab6 == NULL)
			return -ENOMEM;
		net_rss_tab6_init(p->rss_tab6, net_rss_key_symmetric);
		p->rss_hf_wanted |= DP_RSS_HF6;
	}
	p->rss_hf_masked = p->rss_hf_wanted & ~di->flow_type_rss_offloads;
	if (p->n_workers <= 1) {
		p->steer = DP_STEER_NONE;
		p->steer_why = "one worker";
		p->reta_size = 1;
		p->reta[0] = 0;
		return 0;
	}
	why = dp_rss_unusable(p, di);
	if (cp->steering == CFG_STEERING_HARDWARE && why != NULL)
		return -ENOTSUP;
	if (cp->steering == CFG_STEERING_SOFTWARE)
		dp_rss_software(p, "steering: software in the configuration");
	else if (why != NULL)
		dp_rss_software(p, why);
	else
		dp_rss_hardware(p, di, conf);
	return 0;
}

/* Read the device RETA into p->reta; -1 when unreadable or not ours. */
static int
dp_rss_mirror(struct dp_port *p)
{
	struct rte_eth_rss_reta_entry64 r[DP_RETA_GROUPS];
	uint32_t i, g, e;

	memset(r, 0, sizeof(r));
	for (g = 0; g < p->reta_size / RTE_ETH_RETA_GROUP_SIZE; g++)
		r[g].mask = UINT64_MAX;
	if (rte_eth_dev_rss_reta_query(p->port_id, r, p->reta_size) != 0)
		return -1;
	for (i = 0; i < p->reta_size; i++) {
		g = i / RTE_ETH_RETA_GROUP_SIZE;
		e = i % RTE_ETH_RETA_GROUP_SIZE;
		if (r[g].reta[e] >= p->n_workers)
			return -1;
		p->reta[i] = r[g].reta[e];
	}
	return 0;
}

int
dp_rss_reta(struct dp_port *p)
{
	struct rte_eth_rss_reta_entry64 r[DP_RETA_GROUPS];
	uint32_t i;

	if (p->steer != DP_STEER_HARDWARE)
		return 0;
	memset(r, 0, sizeof(r));
	for (i = 0; i < p->reta_size; i++) {
		r[i / RTE_ETH_RETA_GROUP_SIZE].mask = UINT64_MAX;
		r[i / RTE_ETH_RETA_GROUP_SIZE]
			.reta[i % RTE_ETH_RETA_GROUP_SIZE] = p->reta[i];
	}
	/* Devices that refuse the update keep their own spread: mirror it. */
	(void)rte_eth_dev_rss_reta_update(p->port_id, r, p->reta_size);
	if (dp_rss_mirror(p) != 0)
		dp_rss_software(p,
				"device RETA not readable: RSS spreads, "
				"software steering fixes ownership");
	return 0;
}
