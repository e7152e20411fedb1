/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port setup: one RX and one TX queue per worker, checksum offloads when
 * the device has them (masked and recorded when it does not), RSS with a
 * symmetric Toeplitz key and a RETA spread over the workers, or software
 * steering when the device cannot (see dp_rss.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "dp_internal.h"

#define DP_NB_RXD 1024
#define DP_NB_TXD 1024

#define DP_RX_OFFLOADS \
	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define DP_TX_OFFLOADS \
	(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
	 RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)

static const struct rte_eth_conf dp_port_conf = {
	.rxmode = {
		.mq_mode = RTE_ETH_MQ_RX_NONE,
		.offloads = DP_RX_OFFLOADS,
	},
	.txmode = {
		.mq_mode = RTE_ETH_MQ_TX_NONE,
		.offloads = DP_TX_OFFLOADS,
	},
};

static uint32_t
dp_prefix_mask(uint8_t prefix_len)
{
	if (prefix_len == 0)
		return 0;
	if (prefix_len >= 32)
		return UINT32_MAX;
	return UINT32_MAX << (32 - prefix_len);
}

/* Keep the offloads the device has; record the ones it lacks. */
static void
dp_port_mask_offloads(struct dp_port *p, const struct rte_eth_dev_info *di,
		      struct rte_eth_conf *conf)
{
	p->rx_offloads_wanted = conf->rxmode.offloads;
	p->rx_offloads_masked = conf->rxmode.offloads & ~di->rx_offload_capa;
	conf->rxmode.offloads &= di->rx_offload_capa;
	p->tx_offloads_wanted = conf->txmode.offloads;
	p->tx_offloads_masked = conf->txmode.offloads & ~di->tx_offload_capa;
	conf->txmode.offloads &= di->tx_offload_capa;

	/* Checksum offload is used only when both layers are covered. */
	p->rx_csum = (conf->rxmode.offloads & DP_RX_OFFLOADS) == DP_RX_OFFLOADS;
	/* IPv6 has no header checksum: TCP's alone. */
	p->tx_csum6 = (conf->txmode.offloads & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) !=
		0;
	p->tx_csum = (conf->txmode.offloads &
		      (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		       RTE_ETH_TX_OFFLOAD_TCP_CKSUM)) ==
		(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
}

static int
dp_port_queues(struct dp_port *p, const struct rte_eth_dev_info *di,
	       const struct rte_eth_conf *conf, struct rte_mempool *mp)
{
	struct rte_eth_rxconf rxq;
	struct rte_eth_txconf txq;
	int socket = rte_eth_dev_socket_id(p->port_id);
	uint16_t q;
	int ret;

	if (socket < 0)
		socket = 0;
	rxq = di->default_rxconf;
	rxq.offloads = conf->rxmode.offloads;
	txq = di->default_txconf;
	txq.offloads = conf->txmode.offloads;
	for (q = 0; q < p->nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, p->nb_rxd, socket,
					     &rxq, mp);
		if (ret < 0)
			return ret;
	}
	for (q = 0; q < p->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(p->port_id, q, p->nb_txd, socket,
					     &txq);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void
dp_port_fill(struct dp_port *p, const struct cfg_port *cp, uint16_t n_workers)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cp->device);
	p->addr = cp->addr;
	p->mask = dp_prefix_mask(cp->prefix_len);
	p->bcast = p->mask < 0xfffffffeu ? p->addr | ~p->mask : 0;
	p->net = p->mask < 0xfffffffeu ? p->addr & p->mask : 0;
	p->gateway = cp->gateway;
	p->has_ipv6 = cp->has_ipv6;
	p->prefix6_len = cp->prefix6_len;
	memcpy(p->addr6, cp->addr6, NET_IPV6_ALEN);
	p->has_gateway6 = cp->has_gateway6;
	memcpy(p->gateway6, cp->gateway6, NET_IPV6_ALEN);
	p->arp_max_age_us = (uint64_t)cp->arp_max_age_ms * 1000;
	p->vlan = cp->vlan;
	p->n_workers = n_workers;
	p->nb_rxq = n_workers;
	if (cp->queues != 0 && cp->queues < n_workers)
		p->nb_rxq = cp->queues;
	p->nb_txq = p->nb_rxq;
	p->nb_rxd = DP_NB_RXD;
	p->nb_txd = DP_NB_TXD;
}

/*
 * Neighbor Discovery reaches us on multicast MACs (RFC 2464 7): our
 * solicited-node address's for solicitations, all-nodes' for
 * unsolicited advertisements. The device's multicast filter is given
 * both; when it has none, all multicast is let in (the parser and
 * net_ip6_for_us() drop what is not ours).
 */
static void
dp_port_mcast6(struct dp_port *p)
{
	struct rte_ether_addr mc[2];
	uint8_t sol[NET_IPV6_ALEN];

	if (!p->has_ipv6)
		return;
	net_ip6_solicited_node(p->addr6, sol);
	net_ip6_mcast_mac(sol, mc[0].addr_bytes);
	net_ip6_mcast_mac(net_ip6_all_nodes, mc[1].addr_bytes);
	if (rte_eth_dev_set_mc_addr_list(p->port_id, mc, 2) == 0) {
		p->mcast_how = "multicast filter: solicited-node, all-nodes";
		return;
	}
	if (rte_eth_allmulticast_enable(p->port_id) == 0 &&
	    rte_eth_allmulticast_get(p->port_id) == 1) {
		p->mcast_how = "all multicast (no multicast filter)";
		return;
	}
	p->mcast_how = "device has neither multicast filter nor "
		       "all-multicast: ND may not reach us";
}

int
dp_port_desc_check(const struct dp_port *p)
{
	if (p->nb_rxd > DP_POOL_DESC || p->nb_txd > DP_POOL_DESC)
		return -ENOBUFS;
	return 0;
}

int
dp_port_init(struct dp_port *p, const struct cfg_port *cp,
	     struct rte_mempool *mp, uint16_t n_workers)
{
	struct rte_eth_conf conf = dp_port_conf;
	struct rte_eth_dev_info di;
	struct rte_ether_addr mac;
	int ret;

	dp_port_fill(p, cp, n_workers);
	if (rte_eth_dev_get_port_by_name(cp->device, &p->port_id) != 0)
		return -ENODEV;
	ret = rte_eth_dev_info_get(p->port_id, &di);
	if (ret < 0)
		return ret;
	/* Software steering copes with fewer queues than workers. */
	if (p->nb_rxq > di.max_rx_queues)
		p->nb_rxq = di.max_rx_queues;
	if (p->nb_rxq > di.max_tx_queues)
		p->nb_rxq = di.max_tx_queues;
	p->nb_txq = p->nb_rxq;
	if (p->nb_rxq == 0)
		return -EINVAL;
	dp_port_mask_offloads(p, &di, &conf);
	ret = dp_rss_choose(p, cp, &di, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_configure(p->port_id, p->nb_rxq, p->nb_txq, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &p->nb_rxd,
					       &p->nb_txd);
	if (ret < 0)
		return ret;
	ret = dp_port_desc_check(p);
	if (ret < 0)
		return ret;
	ret = dp_port_queues(p, &di, &conf, mp);
	if (ret < 0)
		return ret;
	ret = rte_eth_macaddr_get(p->port_id, &mac);
	if (ret < 0)
		return ret;
	memcpy(p->mac, mac.addr_bytes, NET_ETH_ALEN);
	ret = rte_eth_dev_start(p->port_id);
	if (ret < 0)
		return ret;
	ret = dp_rss_reta(p);
	if (ret < 0)
		return ret;
	/* Some devices cannot leave promiscuous mode; that only costs drops. */
	(void)rte_eth_promiscuous_disable(p->port_id);
	dp_port_mcast6(p);
	return 0;
}

bool
dp_port_wait_link(const struct dp_port *p, unsigned int timeout_ms)
{
	struct rte_eth_link link;
	unsigned int waited = 0;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(p->port_id, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return true;
		if (waited >= timeout_ms)
			return false;
		rte_delay_ms(10);
		waited += 10;
	}
}

/*
 * Only once no lcore polls the port (tt_run() has joined the workers):
 * DPDK 22.11's memif PMD unmaps its shared rings on a disconnect, and an
 * lcore inside rx_burst on them then crashes. The same holds for the
 * peer, which the order of shutdown has to spare (docs/benchmarks.md).
 */
void
dp_port_close(struct dp_port *p)
{
	(void)rte_eth_dev_stop(p->port_id);
	(void)rte_eth_dev_close(p->port_id);
	rte_free(p->rss_tab);
	p->rss_tab = NULL;
	rte_free(p->rss_tab6);
	p->rss_tab6 = NULL;
}

char *
dp_port_list(char *buf, size_t len)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t used = 0;
	uint16_t pid;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	RTE_ETH_FOREACH_DEV(pid) {
		if (rte_eth_dev_get_name_by_port(pid, name) != 0)
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", name);
		if (used >= len)
			return buf;
	}
	if (used == 0)
		snprintf(buf, len, "none");
	return buf;
}
