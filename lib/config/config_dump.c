/* SPDX-License-Identifier: BSD-3-Clause */
/* The effective configuration printed back as loadable YAML. */
#include <arpa/inet.h>
#include <stdio.h>

#include "config_internal.h"

static const char *
yes_no(bool b)
{
	return b ? "true" : "false";
}

static void
dump_addr(FILE *f, const char *key, uint32_t a, int prefix_len)
{
	fprintf(f, "    %s: %u.%u.%u.%u", key, a >> 24, (a >> 16) & 0xff,
		(a >> 8) & 0xff, a & 0xff);
	if (prefix_len >= 0)
		fprintf(f, "/%d", prefix_len);
	fputc('\n', f);
}

static void
dump_addr6(FILE *f, const char *key, const uint8_t *a, int prefix_len)
{
	char buf[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, buf, sizeof(buf)) == NULL)
		return;
	fprintf(f, "    %s: %s", key, buf);
	if (prefix_len >= 0)
		fprintf(f, "/%d", prefix_len);
	fputc('\n', f);
}

/* Device names are printed double-quoted, with YAML escapes. */
static void
dump_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void
dump_ports(const struct cfg *c, FILE *f)
{
	unsigned int i;

	fprintf(f, "ports:%s\n", c->n_ports ? "" : " []");
	for (i = 0; i < c->n_ports; i++) {
		const struct cfg_port *p = &c->ports[i];

		fprintf(f, "  - device: ");
		dump_quoted(f, p->device);
		fputc('\n', f);
		if (p->addr != 0)
			dump_addr(f, "ipv4", p->addr, p->prefix_len);
		if (p->gateway != 0)
			dump_addr(f, "gateway", p->gateway, -1);
		if (p->has_ipv6)
			dump_addr6(f, "ipv6", p->addr6, p->prefix6_len);
		if (p->has_gateway6)
			dump_addr6(f, "gateway6", p->gateway6, -1);
		fprintf(f, "    steering: %s\n",
			cfg_steering_name(p->steering));
		if (p->queues != 0)
			fprintf(f, "    queues: %u\n", p->queues);
		fprintf(f, "    arp_max_age_ms: %u\n", p->arp_max_age_ms);
		if (p->vlan != 0)
			fprintf(f, "    vlan: %u\n", p->vlan);
	}
}

static void
dump_listeners(const struct cfg *c, FILE *f)
{
	unsigned int i;

	fprintf(f, "listeners:%s\n", c->n_listeners ? "" : " []");
	for (i = 0; i < c->n_listeners; i++) {
		const struct cfg_listener *l = &c->listeners[i];

		fprintf(f, "  - port: %u\n", l->port);
		fprintf(f, "    app: %s\n", cfg_app_name(l->app));
		fprintf(f, "    close: %s\n", cfg_close_name(l->close));
		fprintf(f, "    response_body_bytes: %u\n",
			l->response_body_bytes);
		fprintf(f, "    idle_timeout_ms: %u\n", l->idle_timeout_ms);
		fprintf(f, "    close_delay_ms: %u\n", l->close_delay_ms);
		fprintf(f, "    read_delay_ms: %u\n", l->read_delay_ms);
		fprintf(f, "    head_timeout_ms: %u\n", l->head_timeout_ms);
		if (l->family != CFG_FAMILY_BOTH)
			fprintf(f, "    family: %s\n",
				cfg_family_name(l->family));
	}
}

static void
dump_tcp(const struct cfg_tcp *t, FILE *f)
{
	fprintf(f, "tcp:\n");
	fprintf(f, "  msl_ms: %u\n", t->msl_ms);
	fprintf(f, "  fin_wait2_timeout_ms: %u\n", t->fin_wait2_timeout_ms);
	fprintf(f, "  syn_recv_timeout_ms: %u\n", t->syn_recv_timeout_ms);
	fprintf(f, "  rto_min_ms: %u\n", t->rto_min_ms);
	fprintf(f, "  rto_max_ms: %u\n", t->rto_max_ms);
	fprintf(f, "  rto_initial_ms: %u\n", t->rto_initial_ms);
	fprintf(f, "  delayed_ack_ms: %u\n", t->delayed_ack_ms);
	fprintf(f, "  max_retries: %u\n", t->max_retries);
	fprintf(f, "  send_timeout_ms: %u\n", t->send_timeout_ms);
	fprintf(f, "  mss: %u\n", t->mss);
	fprintf(f, "  wscale: %u\n", t->wscale);
	fprintf(f, "  rcv_wnd: %u\n", t->rcv_wnd);
	fprintf(f, "  snd_buf: %u\n", t->snd_buf);
	fprintf(f, "  timestamps: %s\n", yes_no(t->timestamps));
	fprintf(f, "  sack: %s\n", yes_no(t->sack));
	fprintf(f, "  rfc1337: %s\n", yes_no(t->rfc1337));
	fprintf(f, "  time_wait_reuse: %s\n",
		cfg_tw_reuse_name(t->time_wait_reuse));
	fprintf(f, "  challenge_ack_limit: %u\n", t->challenge_ack_limit);
	fprintf(f, "  syncookies: %s\n", cfg_syncookies_name(t->syncookies));
	fprintf(f, "  invalid_ratelimit_ms: %u\n", t->invalid_ratelimit_ms);
	fprintf(f, "  congestion: %s\n", cfg_congestion_name(t->congestion));
	fprintf(f, "  tail_loss_probe: %s\n", yes_no(t->tail_loss_probe));
	fprintf(f, "  rack: %s\n", yes_no(t->rack));
}

void
cfg_dump(const struct cfg *c, void *file)
{
	FILE *f = file;

	dump_ports(c, f);
	fprintf(f, "workers: %u\n", c->workers);
	dump_listeners(c, f);
	dump_tcp(&c->tcp, f);
	fprintf(f, "limits:\n");
	fprintf(f, "  max_connections: %u\n", c->limits.max_connections);
	fprintf(f, "  max_time_wait: %u\n", c->limits.max_time_wait);
	fprintf(f, "  time_wait_overflow: %s\n",
		cfg_tw_overflow_name(c->limits.time_wait_overflow));
	fprintf(f, "  max_send_buffers: %u\n", c->limits.max_send_buffers);
	if (c->limits.max_receive_buffers != 0)
		fprintf(f, "  max_receive_buffers: %u\n",
			c->limits.max_receive_buffers);
	if (c->limits.max_syn_recv != 0)
		fprintf(f, "  max_syn_recv: %u\n", c->limits.max_syn_recv);
	if (c->limits.max_time_wait6 != 0)
		fprintf(f, "  max_time_wait6: %u\n", c->limits.max_time_wait6);
	if (c->limits.max_connections_per_source != 0)
		fprintf(f, "  max_connections_per_source: %u\n",
			c->limits.max_connections_per_source);
	fprintf(f, "stats:\n");
	fprintf(f, "  interval_ms: %u\n", c->stats.interval_ms);
	if (c->metrics.enabled)
		fprintf(f, "metrics:\n  listen: %u.%u.%u.%u:%u\n",
			c->metrics.addr >> 24, (c->metrics.addr >> 16) & 0xff,
			(c->metrics.addr >> 8) & 0xff, c->metrics.addr & 0xff,
			c->metrics.port);
	fprintf(f, "drain:\n");
	fprintf(f, "  timeout_ms: %u\n", c->drain.timeout_ms);
	fprintf(f, "  wait_time_wait: %s\n",
		c->drain.wait_time_wait ? "true" : "false");
}
