/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Defaults, conversion of the loaded document into struct cfg, and the
 * semantic checks (ranges, addresses, duplicates, cross-field rules).
 * Every error names the key's path and is placed at that key's value.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define PATH_LEN 128
#define DAY_MS 86400000ull
#define HOUR_MS 3600000ull

void
cfg_defaults(struct cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->workers = 1;
	c->tcp = (struct cfg_tcp){
		.msl_ms = 30000,
		.fin_wait2_timeout_ms = 60000,
		.syn_recv_timeout_ms = 30000,
		.rto_min_ms = 200,
		.rto_max_ms = 60000,
		.rto_initial_ms = 1000,
		.delayed_ack_ms = 40,
		.max_retries = 8,
		.send_timeout_ms = 60000,
		.mss = 1460,
		.wscale = 7,
		.rcv_wnd = 262144,
		.snd_buf = 65536,
		.timestamps = true,
		.sack = true,
		.rfc1337 = true,
		.time_wait_reuse = CFG_TW_REUSE_TIMESTAMPS,
		.challenge_ack_limit = 10,
		.syncookies = CFG_SYNCOOKIES_AUTO,
		.invalid_ratelimit_ms = 500,
		.congestion = CFG_CC_CUBIC,
		.tail_loss_probe = true,
		.rack = true,
	};
	c->limits = (struct cfg_limits){
		.max_connections = 1000000,
		.max_time_wait = 16000000,
		.time_wait_overflow = CFG_TW_OVERFLOW_RECYCLE_OLDEST,
		.max_send_buffers = 65536,
	};
	c->stats.interval_ms = 1000;
	c->drain.timeout_ms = 30000;
	c->drain.wait_time_wait = false;
}

/* An unsigned key: where it is in the raw and the final struct, range. */
struct uint_rule {
	const char *key;
	size_t raw_off; /* uint64_t * in the raw struct */
	size_t off;	/* uint8/16/32 in the final struct */
	size_t size;
	uint64_t min;
	uint64_t max;
};

/* clang-format off */
#define RULE(k, rs, s, mn, mx) { #k, offsetof(rs, k), offsetof(s, k), \
	sizeof(((s *)NULL)->k), mn, mx }

static const struct uint_rule port_rules[] = {
	RULE(arp_max_age_ms, struct cfg_raw_port, struct cfg_port,
	     1000, DAY_MS),
	RULE(vlan, struct cfg_raw_port, struct cfg_port, 1, 4094),
};

static const struct uint_rule listener_rules[] = {
	RULE(response_body_bytes, struct cfg_raw_listener,
	     struct cfg_listener, 0, 1u << 30),
	RULE(idle_timeout_ms, struct cfg_raw_listener, struct cfg_listener,
	     0, DAY_MS),
	RULE(close_delay_ms, struct cfg_raw_listener, struct cfg_listener,
	     0, DAY_MS),
	RULE(read_delay_ms, struct cfg_raw_listener, struct cfg_listener,
	     0, DAY_MS),
	RULE(head_timeout_ms, struct cfg_raw_listener, struct cfg_listener,
	     0, DAY_MS),
};

static const struct uint_rule tcp_rules[] = {
	RULE(msl_ms, struct cfg_raw_tcp, struct cfg_tcp, 1, HOUR_MS),
	RULE(fin_wait2_timeout_ms, struct cfg_raw_tcp, struct cfg_tcp,
	     1, HOUR_MS),
	RULE(syn_recv_timeout_ms, struct cfg_raw_tcp, struct cfg_tcp,
	     1, HOUR_MS),
	RULE(rto_min_ms, struct cfg_raw_tcp, struct cfg_tcp, 1, HOUR_MS),
	RULE(rto_max_ms, struct cfg_raw_tcp, struct cfg_tcp, 1, HOUR_MS),
	RULE(rto_initial_ms, struct cfg_raw_tcp, struct cfg_tcp, 1, HOUR_MS),
	/* RFC 9293 MUST-40: a delayed ACK comes in under 0.5 s. */
	RULE(delayed_ack_ms, struct cfg_raw_tcp, struct cfg_tcp, 0, 499),
	RULE(max_retries, struct cfg_raw_tcp, struct cfg_tcp, 0, 64),
	RULE(send_timeout_ms, struct cfg_raw_tcp, struct cfg_tcp, 0, HOUR_MS),
	RULE(mss, struct cfg_raw_tcp, struct cfg_tcp, 64, 65495),
	RULE(wscale, struct cfg_raw_tcp, struct cfg_tcp, 0, 14),
	RULE(rcv_wnd, struct cfg_raw_tcp, struct cfg_tcp, 1, 1u << 30),
	RULE(snd_buf, struct cfg_raw_tcp, struct cfg_tcp, 1, 1u << 30),
	RULE(challenge_ack_limit, struct cfg_raw_tcp, struct cfg_tcp,
	     1, 1000000),
	RULE(invalid_ratelimit_ms, struct cfg_raw_tcp, struct cfg_tcp,
	     0, 60000),
};

static const struct uint_rule limits_rules[] = {
	RULE(max_connections, struct cfg_raw_limits, struct cfg_limits,
	     1, UINT32_MAX),
	RULE(max_time_wait, struct cfg_raw_limits, struct cfg_limits,
	     1, UINT32_MAX),
	RULE(max_send_buffers, struct cfg_raw_limits, struct cfg_limits,
	     1, UINT32_MAX),
	RULE(max_receive_buffers, struct cfg_raw_limits, struct cfg_limits,
	     0, CFG_MAX_FLOWS),
	RULE(max_syn_recv, struct cfg_raw_limits, struct cfg_limits,
	     1, UINT32_MAX),
	RULE(max_time_wait6, struct cfg_raw_limits, struct cfg_limits,
	     1, UINT32_MAX),
	RULE(max_connections_per_source, struct cfg_raw_limits,
	     struct cfg_limits, 0, UINT32_MAX),
};

static const struct uint_rule stats_rules[] = {
	RULE(interval_ms, struct cfg_raw_stats, struct cfg_stats, 0, HOUR_MS),
};

/* A drain of up to a day; 0 would reset everything at once. */
static const struct uint_rule drain_rules[] = {
	RULE(timeout_ms, struct cfg_raw_drain, struct cfg_drain, 1, DAY_MS),
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The value is quoted as written, so "-1" does not show as 2^64 - 1. */
static int
range_error(struct cfg_err *e, const char *path, uint64_t v, uint64_t min,
	    uint64_t max)
{
	const struct cfg_node *n = cfg_index_find(e->ix, path);

	if (n != NULL && n->value != NULL)
		return cfg_errf(e, path, false,
				"%s is out of range "
				"%llu..%llu",
				n->value, (unsigned long long)min,
				(unsigned long long)max);
	return cfg_errf(e, path, false, "%llu is out of range %llu..%llu",
			(unsigned long long)v, (unsigned long long)min,
			(unsigned long long)max);
}

/*
 * A leading 0 before more digits: YAML 1.1 and C read "010000" as octal
 * (4096), which no one writing a port or a timeout means, and "0080" as
 * not a number at all. Refused, with the decimal reading and the octal
 * spelling that says octal on purpose.
 */
static int
leading_zero_error(struct cfg_err *e, const char *path, const char *text,
		   const char *digits)
{
	const char *dec = digits + strspn(digits, "0");

	if (*dec == '\0')
		return cfg_errf(e, path, false,
				"'%s' has a leading 0, which means octal: "
				"write 0",
				text);
	if (digits[strspn(digits, "01234567")] != '\0')
		return cfg_errf(e, path, false,
				"'%s' has a leading 0, which means octal, "
				"where 8 and 9 are not digits: write %s",
				text, dec);
	return cfg_errf(e, path, false,
			"'%s' has a leading 0, which means octal (%llu): "
			"write %s, or 0o%s if octal is meant",
			text, strtoull(digits, NULL, 8), dec, dec);
}

/*
 * The value of an integer key, read from its text as written: libcyaml
 * converts with strtoull(), base 0, and ignores what follows the digits,
 * so that "5.5", "1e3" or "12abc" would load as 5, 1 and 12, "010000" as
 * octal 4096 and "0o20000" as 0. Accepted: decimal without a leading 0
 * (but 0 itself), 0x hexadecimal and 0o octal (YAML 1.2's spelling); a
 * leading minus is read too, so that the range check reports the value
 * as written. *v holds libcyaml's value on entry, kept when the text is
 * not known. 0, or -1 with the error.
 */
static int
int_value(struct cfg_err *e, const char *path, uint64_t *v)
{
	const struct cfg_node *n = cfg_index_find(e->ix, path);
	const char *p, *digits, *ok = "0123456789";
	unsigned long long x;
	bool neg;
	int base = 10;

	if (n == NULL || n->value == NULL)
		return 0;
	p = n->value;
	neg = *p == '-'; /* negative: the range check names it */
	p += neg;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		ok = "0123456789abcdefABCDEF";
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		ok = "01234567";
	}
	digits = base == 10 ? p : p + 2;
	if (*digits == '\0' || digits[strspn(digits, ok)] != '\0')
		return cfg_errf(e, path, false, "'%s' is not a whole number",
				n->value);
	if (base == 10 && !neg && digits[0] == '0' && digits[1] != '\0')
		return leading_zero_error(e, path, n->value, digits);
	errno = 0;
	x = strtoull(digits, NULL, base);
	if (errno == ERANGE)
		return cfg_errf(e, path, false,
				"'%s' is too large (expected an unsigned "
				"integer of at most 64 bits)",
				n->value);
	/* Every key is unsigned: a negative number, -0 too, is out of range. */
	*v = neg ? UINT64_MAX : (uint64_t)x;
	return 0;
}

/* Apply the rules of one section; raw NULL means the section is absent. */
static int
apply_rules(const struct uint_rule *rules, size_t n, const void *raw, void *out,
	    const char *section, struct cfg_err *e)
{
	char path[PATH_LEN];
	size_t i;

	for (i = 0; raw != NULL && i < n; i++) {
		const struct uint_rule *r = &rules[i];
		const uint64_t *raw_v =
			*(uint64_t *const *)((const char *)raw + r->raw_off);
		char *dst = (char *)out + r->off;
		uint64_t v;

		if (raw_v == NULL)
			continue;
		v = *raw_v;
		snprintf(path, sizeof(path), "%s.%s", section, r->key);
		if (int_value(e, path, &v) < 0)
			return -1;
		if (v < r->min || v > r->max)
			return range_error(e, path, v, r->min, r->max);
		if (r->size == 1)
			*(uint8_t *)dst = (uint8_t)v;
		else if (r->size == 2)
			*(uint16_t *)dst = (uint16_t)v;
		else
			*(uint32_t *)dst = (uint32_t)v;
	}
	return 0;
}

/* Parse "a.b.c.d" into a host-order address. */
static int
parse_addr(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*addr = ntohl(a.s_addr);
	return 0;
}

static int
check_unicast(struct cfg_err *e, const char *path, const char *s, uint32_t addr)
{
	if (addr == 0 || addr >= 0xe0000000u || (addr >> 24) == 127)
		return cfg_errf(e, path, false,
				"'%s' is not a usable unicast "
				"address",
				s);
	return 0;
}

/*
 * Split "address/prefix-length" s into its address, copied to addr (cap
 * bytes); form says what s should look like. 0, or -1 with the error.
 */
int
cfg_split_prefix(struct cfg_err *e, const char *path, const char *s,
		 const char *form, char *addr, size_t cap)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL || (size_t)(slash - s) >= cap)
		return cfg_errf(e, path, false, "'%s' is not of the form %s", s,
				form);
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	return 0;
}

/* The prefix length after the '/' of s, 1..max, into *len. */
int
cfg_prefix_len(struct cfg_err *e, const char *path, const char *s,
	       unsigned int max, uint8_t *len)
{
	const char *p = strchr(s, '/') + 1;
	unsigned long n;
	char *end;

	if (*p < '0' || *p > '9')
		return cfg_errf(e, path, false,
				"'%s': missing prefix length after '/'", s);
	n = strtoul(p, &end, 10);
	if (*end != '\0' || n < 1 || n > max)
		return cfg_errf(e, path, false,
				"prefix length '%s' is out of range 1..%u", p,
				max);
	*len = (uint8_t)n;
	return 0;
}

static int
convert_ipv4(struct cfg_err *e, const char *path, const char *s,
	     struct cfg_port *p)
{
	char addr[32];

	if (cfg_split_prefix(e, path, s, "a.b.c.d/prefix-length", addr,
			     sizeof(addr)) < 0)
		return -1;
	if (parse_addr(addr, &p->addr) < 0)
		return cfg_errf(e, path, false,
				"'%s' is not a valid IPv4 address", addr);
	if (cfg_prefix_len(e, path, s, 32, &p->prefix_len) < 0)
		return -1;
	return check_unicast(e, path, s, p->addr);
}

static uint32_t
prefix_mask(unsigned int len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static int
convert_gateway(struct cfg_err *e, const char *path, const char *s,
		struct cfg_port *p)
{
	uint32_t mask = prefix_mask(p->prefix_len);

	if (parse_addr(s, &p->gateway) < 0)
		return cfg_errf(e, path, false,
				"'%s' is not a valid IPv4 "
				"address (a.b.c.d)",
				s);
	if (check_unicast(e, path, s, p->gateway) < 0)
		return -1;
	if ((p->gateway & mask) != (p->addr & mask))
		return cfg_errf(e, path, false,
				"gateway %s is not on the "
				"port's subnet /%u",
				s, p->prefix_len);
	if (p->gateway == p->addr)
		return cfg_errf(e, path, false,
				"gateway %s is the port's own "
				"address",
				s);
	return 0;
}

static int
convert_port(const struct cfg_raw_port *r, unsigned int i, struct cfg_port *p,
	     struct cfg_err *e)
{
	char path[PATH_LEN], at[PATH_LEN / 2];
	uint64_t queues;

	snprintf(at, sizeof(at), "ports[%u]", i);
	if (r->device == NULL || r->device[0] == '\0')
		return cfg_errf(e, at, false, "missing required key 'device'");
	snprintf(path, sizeof(path), "%s.device", at);
	if (strlen(r->device) >= sizeof(p->device))
		return cfg_errf(e, path, false,
				"device name longer than %zu "
				"characters",
				sizeof(p->device) - 1);
	snprintf(p->device, sizeof(p->device), "%s", r->device);
	if (r->ipv4 == NULL && r->ipv6 == NULL)
		return cfg_errf(e, at, false,
				"missing required key 'ipv4' "
				"(or 'ipv6')");
	snprintf(path, sizeof(path), "%s.ipv4", at);
	if (r->ipv4 != NULL && convert_ipv4(e, path, r->ipv4, p) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s.gateway", at);
	if (r->gateway != NULL && r->ipv4 == NULL)
		return cfg_errf(e, path, true,
				"'gateway' needs 'ipv4' (for "
				"IPv6, 'gateway6' with 'ipv6')");
	if (r->gateway != NULL && convert_gateway(e, path, r->gateway, p) < 0)
		return -1;
	if (cfg_convert_ipv6(r, at, p, e) < 0)
		return -1;
	p->steering = r->steering != NULL ? (enum cfg_steering)(*r->steering) :
					    CFG_STEERING_AUTO;
	snprintf(path, sizeof(path), "%s.queues", at);
	queues = r->queues != NULL ? *r->queues : 0;
	if (r->queues != NULL && int_value(e, path, &queues) < 0)
		return -1;
	if (queues > 64)
		return range_error(e, path, queues, 0, 64);
	p->queues = (uint16_t)queues;
	p->arp_max_age_ms = CFG_ARP_MAX_AGE_MS;
	return apply_rules(port_rules, N(port_rules), r, p, at, e);
}

/*
 * Ports i and j must not share an address, nor overlap in subnet: an
 * on-link peer would then be reachable through two ports, and which one
 * a reply takes would depend on where its segment came in (replies leave
 * by the port whose address they come from).
 */
static int
check_port_subnets(const struct cfg *c, unsigned int i, unsigned int j,
		   struct cfg_err *e)
{
	const struct cfg_port *a = &c->ports[i], *b = &c->ports[j];
	unsigned int len = a->prefix_len < b->prefix_len ? a->prefix_len :
							   b->prefix_len;
	uint32_t mask = prefix_mask(len);
	char path[PATH_LEN];

	if (cfg_check_ipv6_pair(c, i, j, e) < 0)
		return -1;
	if (a->addr == 0 || b->addr == 0)
		return 0; /* one of them has no IPv4 address */
	snprintf(path, sizeof(path), "ports[%u].ipv4", i);
	if (a->addr == b->addr)
		return cfg_errf(e, path, false,
				"address %u.%u.%u.%u is "
				"already used by ports[%u]",
				a->addr >> 24, (a->addr >> 16) & 0xff,
				(a->addr >> 8) & 0xff, a->addr & 0xff, j);
	if ((a->addr & mask) == (b->addr & mask))
		return cfg_errf(e, path, false,
				"subnet /%u overlaps the "
				"subnet /%u of ports[%u]: every port needs a "
				"subnet of its own, so that each neighbour is "
				"on one port",
				a->prefix_len, b->prefix_len, j);
	return 0;
}

static int
check_port_pair(const struct cfg *c, unsigned int i, unsigned int j,
		struct cfg_err *e)
{
	char path[PATH_LEN];

	if (strcmp(c->ports[i].device, c->ports[j].device) == 0) {
		snprintf(path, sizeof(path), "ports[%u].device", i);
		return cfg_errf(e, path, false,
				"device '%s' is already used "
				"by ports[%u]",
				c->ports[i].device, j);
	}
	return check_port_subnets(c, i, j, e);
}

static int
convert_ports(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e)
{
	unsigned int i, j;

	if (r->ports_count == 0 && cfg_index_find(e->ix, "ports") != NULL)
		return cfg_errf(e, "ports", false,
				"at least one port is "
				"required");
	if (r->ports == NULL || r->ports_count == 0)
		return cfg_errf(e, "", false,
				"missing required key 'ports' "
				"(at least one port)");
	if (r->ports_count > CFG_MAX_PORTS)
		return cfg_errf(e, "ports", false,
				"too many ports (%u), at "
				"most %u",
				r->ports_count, CFG_MAX_PORTS);
	for (i = 0; i < r->ports_count; i++) {
		if (convert_port(&r->ports[i], i, &c->ports[i], e) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (check_port_pair(c, i, j, e) < 0)
				return -1;
	}
	c->n_ports = r->ports_count;
	return 0;
}

static int
convert_listener(const struct cfg_raw_listener *r, unsigned int i,
		 struct cfg_listener *l, struct cfg_err *e)
{
	char path[PATH_LEN], at[PATH_LEN / 2];
	uint64_t port;

	snprintf(at, sizeof(at), "listeners[%u]", i);
	if (r->port == NULL)
		return cfg_errf(e, at, false, "missing required key 'port'");
	snprintf(path, sizeof(path), "%s.port", at);
	port = *r->port;
	if (int_value(e, path, &port) < 0)
		return -1;
	if (port < 1 || port > 65535)
		return range_error(e, path, port, 1, 65535);
	if (r->app == NULL)
		return cfg_errf(e, at, false,
				"missing required key 'app' "
				"(discard, echo or http)");
	l->port = (uint16_t)port;
	l->app = (enum cfg_app)(*r->app);
	l->close = l->app == CFG_APP_HTTP ? CFG_CLOSE_AFTER_RESPONSE :
					    CFG_CLOSE_ON_PEER_FIN;
	if (r->close != NULL)
		l->close = (enum cfg_close)(*r->close);
	l->response_body_bytes = 2;
	l->head_timeout_ms = CFG_HEAD_TIMEOUT_MS;
	if (r->family != NULL)
		l->family = (enum cfg_family) * r->family;
	if (apply_rules(listener_rules, N(listener_rules), r, l, at, e) < 0)
		return -1;
	/*
	 * Like response_body_bytes, an http key that other applications
	 * accept and ignore: 0 there, so that nothing of it runs.
	 */
	if (l->app != CFG_APP_HTTP)
		l->head_timeout_ms = 0;
	return 0;
}

/*
 * Whether two listeners would answer the same segments: one port, and a
 * family in common (both answers either). The TCP layer keeps one
 * listener per port and family, so an IPv4 and an IPv6 one may share a
 * port, each with its own application and settings.
 */
static bool
listeners_clash(const struct cfg_listener *a, const struct cfg_listener *b)
{
	return a->port == b->port &&
		(a->family == b->family || a->family == CFG_FAMILY_BOTH ||
		 b->family == CFG_FAMILY_BOTH);
}

static int
convert_listeners(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e)
{
	char path[PATH_LEN];
	const char *fam;
	unsigned int i, j;

	if (r->listeners_count == 0 &&
	    cfg_index_find(e->ix, "listeners") != NULL)
		return cfg_errf(e, "listeners", false,
				"at least one listener "
				"is required");
	if (r->listeners == NULL || r->listeners_count == 0)
		return cfg_errf(e, "", false,
				"missing required key "
				"'listeners' (at least one listener)");
	if (r->listeners_count > CFG_MAX_LISTENERS)
		return cfg_errf(e, "listeners", false,
				"too many listeners "
				"(%u), at most %u",
				r->listeners_count, CFG_MAX_LISTENERS);
	for (i = 0; i < r->listeners_count; i++) {
		if (convert_listener(&r->listeners[i], i, &c->listeners[i], e) <
		    0)
			return -1;
		for (j = 0; j < i; j++) {
			if (!listeners_clash(&c->listeners[i],
					     &c->listeners[j]))
				continue;
			snprintf(path, sizeof(path), "listeners[%u].port", i);
			fam = cfg_family_name(c->listeners[j].family);
			return cfg_errf(e, path, false,
					"port %u is already used by "
					"listeners[%u] (family: %s): a port "
					"takes one listener of each family, "
					"one with family: ipv4 and one with "
					"family: ipv6",
					c->listeners[i].port, j, fam);
		}
	}
	c->n_listeners = r->listeners_count;
	return 0;
}

/* The path of whichever of two keys the user wrote (a if neither). */
static const char *
written(struct cfg_err *e, const char *a, const char *b)
{
	if (cfg_index_find(e->ix, a) == NULL &&
	    cfg_index_find(e->ix, b) != NULL)
		return b;
	return a;
}

static int
check_tcp(const struct cfg_tcp *t, struct cfg_err *e)
{
	const char *p;

	if (t->rto_min_ms > t->rto_max_ms) {
		p = written(e, "tcp.rto_min_ms", "tcp.rto_max_ms");
		return cfg_errf(e, p, false,
				"rto_min_ms (%u) is greater than "
				"rto_max_ms (%u)",
				t->rto_min_ms, t->rto_max_ms);
	}
	if (t->rto_initial_ms < t->rto_min_ms ||
	    t->rto_initial_ms > t->rto_max_ms) {
		p = written(e, "tcp.rto_initial_ms", "tcp.rto_min_ms");
		return cfg_errf(e, p, false,
				"rto_initial_ms (%u) is not "
				"within rto_min_ms..rto_max_ms (%u..%u)",
				t->rto_initial_ms, t->rto_min_ms,
				t->rto_max_ms);
	}
	if ((uint64_t)t->rcv_wnd > (65535ull << t->wscale)) {
		p = written(e, "tcp.rcv_wnd", "tcp.wscale");
		return cfg_errf(e, p, false,
				"rcv_wnd (%u) is larger than "
				"65535 << wscale (%u) can advertise",
				t->rcv_wnd, t->wscale);
	}
	/*
	 * A window is advertised in units of 1 << wscale, rounded down (RFC
	 * 7323 2.4): a bound below one unit offers a window of 0 once the
	 * first bytes are in, for ever (echo's window is bounded by snd_buf).
	 */
	if (t->rcv_wnd < (1u << t->wscale) || t->snd_buf < (1u << t->wscale)) {
		p = t->rcv_wnd < (1u << t->wscale) ?
			written(e, "tcp.rcv_wnd", "tcp.wscale") :
			written(e, "tcp.snd_buf", "tcp.wscale");
		return cfg_errf(e, p, false,
				"rcv_wnd (%u) and snd_buf (%u) must each be "
				"at least one window scale unit, 1 << wscale "
				"(%u)",
				t->rcv_wnd, t->snd_buf, 1u << t->wscale);
	}
	return 0;
}

static void
apply_enum(const int *v, void *dst, bool is_bool)
{
	if (v == NULL)
		return;
	if (is_bool)
		*(bool *)dst = *v != 0;
	else
		*(int *)dst = *v;
}

/*
 * metrics.listen: "ADDR:PORT" or "ADDR" (port CFG_METRICS_PORT), an IPv4
 * address to bind (0.0.0.0 for all) and a port 1..65535.
 */
static int
convert_metrics(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e)
{
	const char *path = "metrics.listen";
	char addr[64], *colon, *end;
	unsigned long port = CFG_METRICS_PORT;

	if (r->metrics == NULL)
		return 0;
	if (r->metrics->listen == NULL)
		return cfg_errf(e, "metrics", false,
				"missing required key "
				"'listen' (e.g. listen: 127.0.0.1:%u)",
				CFG_METRICS_PORT);
	if (strlen(r->metrics->listen) >= sizeof(addr))
		return cfg_errf(e, path, false, "'%s' is too long",
				r->metrics->listen);
	strcpy(addr, r->metrics->listen);
	colon = strchr(addr, ':');
	if (colon != NULL) {
		*colon = '\0';
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (colon[1] < '0' || colon[1] > '9' || *end != '\0' ||
		    errno != 0 || port == 0 || port > 65535)
			return cfg_errf(e, path, false,
					"'%s': the port must be "
					"1..65535",
					r->metrics->listen);
	}
	if (parse_addr(addr, &c->metrics.addr) < 0)
		return cfg_errf(e, path, false,
				"'%s' is not of the form "
				"ADDRESS:PORT with an IPv4 address (e.g. "
				"127.0.0.1:%u)",
				r->metrics->listen, CFG_METRICS_PORT);
	c->metrics.port = (uint16_t)port;
	c->metrics.enabled = true;
	return 0;
}

static int
convert_sections(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e)
{
	if (apply_rules(tcp_rules, N(tcp_rules), r->tcp, &c->tcp, "tcp", e) ||
	    apply_rules(limits_rules, N(limits_rules), r->limits, &c->limits,
			"limits", e) ||
	    apply_rules(stats_rules, N(stats_rules), r->stats, &c->stats,
			"stats", e) ||
	    apply_rules(drain_rules, N(drain_rules), r->drain, &c->drain,
			"drain", e))
		return -1;
	if (r->drain != NULL)
		apply_enum(r->drain->wait_time_wait, &c->drain.wait_time_wait,
			   true);
	if (r->tcp != NULL) {
		apply_enum(r->tcp->timestamps, &c->tcp.timestamps, true);
		apply_enum(r->tcp->sack, &c->tcp.sack, true);
		apply_enum(r->tcp->rfc1337, &c->tcp.rfc1337, true);
		apply_enum(r->tcp->time_wait_reuse, &c->tcp.time_wait_reuse,
			   false);
		apply_enum(r->tcp->syncookies, &c->tcp.syncookies, false);
		apply_enum(r->tcp->congestion, &c->tcp.congestion, false);
		apply_enum(r->tcp->tail_loss_probe, &c->tcp.tail_loss_probe,
			   true);
		apply_enum(r->tcp->rack, &c->tcp.rack, true);
	}
	if (r->limits != NULL)
		apply_enum(r->limits->time_wait_overflow,
			   &c->limits.time_wait_overflow, false);
	return check_tcp(&c->tcp, e);
}

/*
 * The connection and TIME_WAIT limits are split over the workers. Each
 * worker's flow table holds both, and its 32-bit values tag a TIME_WAIT
 * record with bit 31: a worker's share of the two together must stay
 * below 2^31 (CFG_MAX_FLOWS + 1), or indices would collide with the tag.
 */
static int
check_flow_sizes(const struct cfg *c, struct cfg_err *e)
{
	uint64_t conns = c->limits.max_connections / c->workers;
	uint64_t tw = c->limits.max_time_wait / c->workers;
	uint64_t tw6 = cfg_max_time_wait6(c) / c->workers;
	const char *p;

	if (conns + tw + tw6 <= CFG_MAX_FLOWS)
		return 0;
	p = written(e, "limits.max_time_wait", "limits.max_connections");
	if (tw6 == 0)
		return cfg_errf(e, p, false,
				"max_connections + "
				"max_time_wait per worker (%llu + %llu) is "
				"more than a flow table holds (%u; workers: "
				"%u)",
				(unsigned long long)conns,
				(unsigned long long)tw, CFG_MAX_FLOWS,
				c->workers);
	if (c->limits.max_time_wait6 != 0)
		p = "limits.max_time_wait6";
	return cfg_errf(e, p, false,
			"max_connections + max_time_wait + "
			"max_time_wait6 per worker (%llu + %llu + %llu) is "
			"more than a flow table holds (%u; workers: %u)",
			(unsigned long long)conns, (unsigned long long)tw,
			(unsigned long long)tw6, CFG_MAX_FLOWS, c->workers);
}

static int
check_limits(const struct cfg *c, struct cfg_err *e)
{
	if (c->limits.max_connections < c->workers)
		return cfg_errf(e, "limits.max_connections", false,
				"%u is less than one per worker (workers: %u)",
				c->limits.max_connections, c->workers);
	if (c->limits.max_time_wait < c->workers)
		return cfg_errf(e, "limits.max_time_wait", false,
				"%u is less than one per worker (workers: %u)",
				c->limits.max_time_wait, c->workers);
	if (c->limits.max_syn_recv != 0 && c->limits.max_syn_recv < c->workers)
		return cfg_errf(e, "limits.max_syn_recv", false,
				"%u is less than one per worker (workers: %u)",
				c->limits.max_syn_recv, c->workers);
	if (c->limits.max_time_wait6 != 0 &&
	    c->limits.max_time_wait6 < c->workers)
		return cfg_errf(e, "limits.max_time_wait6", false,
				"%u is less than one per worker (workers: %u)",
				c->limits.max_time_wait6, c->workers);
	if (c->limits.max_syn_recv > c->limits.max_connections)
		return cfg_errf(e, "limits.max_syn_recv", false,
				"%u is more than limits.max_connections (%u)",
				c->limits.max_syn_recv,
				c->limits.max_connections);
	if ((uint64_t)c->limits.max_receive_buffers * c->tcp.rcv_wnd >
	    CFG_MAX_RCV_MEM)
		return cfg_errf(e,
				written(e, "limits.max_receive_buffers",
					"tcp.rcv_wnd"),
				false,
				"max_receive_buffers x rcv_wnd (%u x %u bytes) "
				"is more than %llu GiB per worker",
				c->limits.max_receive_buffers, c->tcp.rcv_wnd,
				CFG_MAX_RCV_MEM >> 30);
	return check_flow_sizes(c, e);
}

int
cfg_convert(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e)
{
	cfg_defaults(c);
	if (r->workers != NULL) {
		uint64_t workers = *r->workers;

		if (int_value(e, "workers", &workers) < 0)
			return -1;
		if (workers < 1 || workers > 64)
			return range_error(e, "workers", workers, 1, 64);
		c->workers = (unsigned int)workers;
	}
	if (convert_ports(r, c, e) < 0 || convert_listeners(r, c, e) < 0 ||
	    convert_sections(r, c, e) < 0 || convert_metrics(r, c, e) < 0)
		return -1;
	if (cfg_check_families(c, e) < 0)
		return -1;
	return check_limits(c, e);
}
