/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the configuration loader, validator and dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#ifndef TT_SOURCE_ROOT
#define TT_SOURCE_ROOT "."
#endif

#define BASE \
	"ports:\n" \
	"  - device: d\n" \
	"    ipv4: 198.18.0.1/24\n" \
	"listeners:\n" \
	"  - port: 80\n" \
	"    app: http\n"

#define LISTEN_ONLY_PORT(p) \
	"ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n" \
	"listeners:\n  - port: " p "\n    app: http\n"
#define LISTEN80 "listeners:\n  - {port: 80, app: http}\n"

/* Two ports on the given ipv4 values, ports[1].ipv4 on line 5 col 11. */
#define TWO_PORTS(a, b) \
	"ports:\n" \
	"  - device: a\n" \
	"    ipv4: " a "\n" \
	"  - device: b\n" \
	"    ipv4: " b "\n" LISTEN80

static int
load(const char *yaml, struct cfg *c, char *err, size_t len)
{
	return cfg_load_string("t.yaml", yaml, strlen(yaml), c, err, len);
}

static void
test_files_load(void **state)
{
	static const char *const files[] = {
		TT_SOURCE_ROOT "/config/tap.yaml",
		TT_SOURCE_ROOT "/config/nic.yaml",
		TT_SOURCE_ROOT "/config/bench.yaml",
		TT_SOURCE_ROOT "/config/two-ports.yaml",
	};
	struct cfg c;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		err[0] = '\0';
		if (cfg_load_file(files[i], &c, err, sizeof(err)) != 0)
			fail_msg("%s: %s", files[i], err);
		assert_true(c.n_ports >= 1);
		assert_true(c.n_listeners >= 1);
	}
}

static void
test_tap_values(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(cfg_load_file(TT_SOURCE_ROOT "/config/tap.yaml", &c,
				       err, sizeof(err)),
			 0);
	assert_int_equal(c.n_ports, 1);
	assert_string_equal(c.ports[0].device, "net_tap0");
	assert_int_equal(c.ports[0].addr, 0xc6120001u);
	assert_int_equal(c.ports[0].prefix_len, 24);
	assert_int_equal(c.ports[0].gateway, 0);
	assert_int_equal(c.n_listeners, 3);
	assert_int_equal(c.listeners[0].port, 80);
	assert_int_equal(c.listeners[0].app, CFG_APP_HTTP);
	assert_int_equal(c.listeners[0].close, CFG_CLOSE_AFTER_RESPONSE);
	assert_int_equal(c.listeners[1].app, CFG_APP_ECHO);
	assert_int_equal(c.listeners[2].app, CFG_APP_DISCARD);
	assert_int_equal(c.listeners[2].close, CFG_CLOSE_ON_PEER_FIN);
	assert_int_equal(c.limits.max_connections, 65536);
	assert_int_equal(c.limits.max_time_wait, 262144);
	assert_int_equal(c.limits.max_send_buffers, 4096);
}

static void
test_file_not_found(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(cfg_load_file("/nonexistent/x.yaml", &c, err,
				       sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "/nonexistent/x.yaml: cannot open: "
			    "No such file or directory");
	/* A directory opens; reading it says why it cannot be read. */
	assert_int_equal(cfg_load_file("/", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "/: cannot read: Is a directory");
}

static void
test_defaults(void **state)
{
	struct cfg c, d;
	char err[512];

	(void)state;
	cfg_defaults(&d);
	assert_int_equal(d.n_ports, 0);
	assert_int_equal(d.n_listeners, 0);
	assert_int_equal(load(BASE, &c, err, sizeof(err)), 0);
	assert_int_equal(c.workers, 1);
	assert_int_equal(c.listeners[0].close, CFG_CLOSE_AFTER_RESPONSE);
	assert_int_equal(c.listeners[0].response_body_bytes, 2);
	assert_int_equal(c.listeners[0].idle_timeout_ms, 0);
	assert_int_equal(c.listeners[0].head_timeout_ms, 60000);
	assert_memory_equal(&c.tcp, &d.tcp, sizeof(c.tcp));
	assert_memory_equal(&c.limits, &d.limits, sizeof(c.limits));
	assert_int_equal(c.tcp.msl_ms, 30000);
	assert_int_equal(c.tcp.fin_wait2_timeout_ms, 60000);
	assert_int_equal(c.tcp.syn_recv_timeout_ms, 30000);
	assert_int_equal(c.tcp.rto_min_ms, 200);
	assert_int_equal(c.tcp.rto_max_ms, 60000);
	assert_int_equal(c.tcp.rto_initial_ms, 1000);
	assert_int_equal(c.tcp.delayed_ack_ms, 40);
	assert_int_equal(c.tcp.max_retries, 8);
	assert_int_equal(c.tcp.send_timeout_ms, 60000);
	assert_int_equal(c.tcp.mss, 1460);
	assert_int_equal(c.tcp.wscale, 7);
	assert_int_equal(c.tcp.rcv_wnd, 262144);
	assert_int_equal(c.tcp.snd_buf, 65536);
	assert_true(c.tcp.timestamps && c.tcp.sack && c.tcp.rfc1337);
	assert_true(c.tcp.rack);
	assert_int_equal(c.tcp.time_wait_reuse, CFG_TW_REUSE_TIMESTAMPS);
	assert_int_equal(c.tcp.challenge_ack_limit, 10);
	assert_int_equal(c.limits.max_connections, 1000000);
	assert_int_equal(c.limits.max_time_wait, 16000000);
	assert_int_equal(c.limits.time_wait_overflow,
			 CFG_TW_OVERFLOW_RECYCLE_OLDEST);
	assert_int_equal(c.limits.max_send_buffers, 65536);
	assert_int_equal(c.limits.max_connections_per_source, 0);
	assert_int_equal(c.stats.interval_ms, 1000);
	assert_int_equal(c.drain.timeout_ms, 30000);
	assert_false(c.drain.wait_time_wait);
}

/* Every key set to a value different from its default. */
static const char all_fields[] =
	"ports:\n"
	"  - device: \"0000:01:00.0\"\n"
	"    ipv4: 10.1.2.3/16\n"
	"    gateway: 10.1.255.254\n"
	"    steering: software\n"
	"    queues: 1\n"
	"    arp_max_age_ms: 60000\n"
	"    vlan: 100\n"
	"  - device: net_tap1\n"
	"    ipv4: 198.19.0.1/32\n"
	"workers: 3\n"
	"listeners:\n"
	"  - port: 8080\n"
	"    app: echo\n"
	"    close: abort\n"
	"    response_body_bytes: 100\n"
	"    idle_timeout_ms: 5\n"
	"    close_delay_ms: 6\n"
	"    read_delay_ms: 7\n"
	"    head_timeout_ms: 8\n"
	"  - {port: 9, app: discard, close: half-close}\n"
	"  - {port: 80, app: http, head_timeout_ms: 9}\n"
	"tcp:\n"
	"  msl_ms: 1000\n"
	"  fin_wait2_timeout_ms: 2000\n"
	"  syn_recv_timeout_ms: 3000\n"
	"  rto_min_ms: 100\n"
	"  rto_max_ms: 9000\n"
	"  rto_initial_ms: 500\n"
	"  delayed_ack_ms: 0\n"
	"  max_retries: 3\n"
	"  send_timeout_ms: 4000\n"
	"  mss: 536\n"
	"  wscale: 2\n"
	"  rcv_wnd: 100000\n"
	"  snd_buf: 4096\n"
	"  timestamps: false\n"
	"  sack: no\n"
	"  rfc1337: False\n"
	"  rack: no\n"
	"  time_wait_reuse: seq\n"
	"  challenge_ack_limit: 99\n"
	"limits:\n"
	"  max_connections: 11\n"
	"  max_time_wait: 12\n"
	"  time_wait_overflow: refuse\n"
	"  max_send_buffers: 13\n"
	"  max_receive_buffers: 14\n"
	"  max_connections_per_source: 15\n"
	"stats:\n"
	"  interval_ms: 0\n"
	"drain:\n"
	"  timeout_ms: 1500\n"
	"  wait_time_wait: yes\n";

static void
check_all_fields(const struct cfg *c)
{
	assert_int_equal(c->n_ports, 2);
	assert_string_equal(c->ports[0].device, "0000:01:00.0");
	assert_int_equal(c->ports[0].addr, 0x0a010203u);
	assert_int_equal(c->ports[0].prefix_len, 16);
	assert_int_equal(c->ports[0].gateway, 0x0a01fffeu);
	assert_int_equal(c->ports[1].prefix_len, 32);
	assert_int_equal(c->ports[0].steering, CFG_STEERING_SOFTWARE);
	assert_int_equal(c->ports[1].steering, CFG_STEERING_AUTO);
	assert_int_equal(c->ports[0].queues, 1);
	assert_int_equal(c->ports[1].queues, 0);
	assert_int_equal(c->ports[0].arp_max_age_ms, 60000);
	assert_int_equal(c->ports[0].vlan, 100);
	assert_int_equal(c->ports[1].vlan, 0);
	assert_int_equal(c->ports[1].arp_max_age_ms, CFG_ARP_MAX_AGE_MS);
	assert_int_equal(c->workers, 3);
	assert_int_equal(c->n_listeners, 3);
	assert_int_equal(c->listeners[0].port, 8080);
	assert_int_equal(c->listeners[0].app, CFG_APP_ECHO);
	assert_int_equal(c->listeners[0].close, CFG_CLOSE_ABORT);
	assert_int_equal(c->listeners[0].response_body_bytes, 100);
	assert_int_equal(c->listeners[0].idle_timeout_ms, 5);
	assert_int_equal(c->listeners[0].close_delay_ms, 6);
	assert_int_equal(c->listeners[0].read_delay_ms, 7);
	/* An http key, accepted and ignored elsewhere: none runs. */
	assert_int_equal(c->listeners[0].head_timeout_ms, 0);
	assert_int_equal(c->listeners[1].head_timeout_ms, 0);
	assert_int_equal(c->listeners[2].head_timeout_ms, 9);
	assert_int_equal(c->listeners[1].close, CFG_CLOSE_HALF_CLOSE);
	assert_int_equal(c->listeners[2].close, CFG_CLOSE_AFTER_RESPONSE);
	assert_int_equal(c->tcp.msl_ms, 1000);
	assert_int_equal(c->tcp.fin_wait2_timeout_ms, 2000);
	assert_int_equal(c->tcp.syn_recv_timeout_ms, 3000);
	assert_int_equal(c->tcp.rto_min_ms, 100);
	assert_int_equal(c->tcp.rto_max_ms, 9000);
	assert_int_equal(c->tcp.rto_initial_ms, 500);
	assert_int_equal(c->tcp.delayed_ack_ms, 0);
	assert_int_equal(c->tcp.max_retries, 3);
	assert_int_equal(c->tcp.send_timeout_ms, 4000);
	assert_int_equal(c->tcp.mss, 536);
	assert_int_equal(c->tcp.wscale, 2);
	assert_int_equal(c->tcp.rcv_wnd, 100000);
	assert_int_equal(c->tcp.snd_buf, 4096);
	assert_false(c->tcp.timestamps || c->tcp.sack || c->tcp.rfc1337);
	assert_false(c->tcp.rack);
	assert_int_equal(c->tcp.time_wait_reuse, CFG_TW_REUSE_SEQ);
	assert_int_equal(c->tcp.challenge_ack_limit, 99);
	assert_int_equal(c->limits.max_connections, 11);
	assert_int_equal(c->limits.max_time_wait, 12);
	assert_int_equal(c->limits.time_wait_overflow, CFG_TW_OVERFLOW_REFUSE);
	assert_int_equal(c->limits.max_send_buffers, 13);
	assert_int_equal(c->limits.max_receive_buffers, 14);
	assert_int_equal(c->limits.max_connections_per_source, 15);
	assert_int_equal(c->stats.interval_ms, 0);
	assert_int_equal(c->drain.timeout_ms, 1500);
	assert_true(c->drain.wait_time_wait);
}

/*
 * head_timeout_ms: 60000 by default on an http listener, 0 (none) and
 * the range's top taken as given, 0 on the other applications whatever
 * is written (they ignore it, as response_body_bytes).
 */
static void
test_head_timeout(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(load(BASE "    head_timeout_ms: 0\n", &c, err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.listeners[0].head_timeout_ms, 0);
	assert_int_equal(load(BASE "    head_timeout_ms: 86400000\n", &c, err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.listeners[0].head_timeout_ms, 86400000);
	assert_int_equal(load(BASE "  - {port: 7, app: echo}\n"
				   "  - {port: 9, app: discard, "
				   "head_timeout_ms: 5}\n",
			      &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.listeners[0].head_timeout_ms, 60000);
	assert_int_equal(c.listeners[1].head_timeout_ms, 0);
	assert_int_equal(c.listeners[2].head_timeout_ms, 0);
}

static void
test_all_fields(void **state)
{
	struct cfg c;
	char err[512] = "";

	(void)state;
	if (load(all_fields, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	check_all_fields(&c);
}

/* Dump, load the dump back: the same struct, and the same text again. */
static void
round_trip(const struct cfg *c)
{
	char *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	struct cfg back;
	char err[512] = "";
	FILE *f;

	f = open_memstream(&t1, &l1);
	assert_non_null(f);
	cfg_dump(c, f);
	fclose(f);
	if (cfg_load_string("dump", t1, l1, &back, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, t1);
	f = open_memstream(&t2, &l2);
	assert_non_null(f);
	cfg_dump(&back, f);
	fclose(f);
	assert_string_equal(t1, t2);
	assert_memory_equal(&back.tcp, &c->tcp, sizeof(c->tcp));
	assert_memory_equal(&back.limits, &c->limits, sizeof(c->limits));
	assert_memory_equal(back.listeners, c->listeners, sizeof(c->listeners));
	assert_memory_equal(back.ports, c->ports, sizeof(c->ports));
	assert_int_equal(back.workers, c->workers);
	assert_int_equal(back.stats.interval_ms, c->stats.interval_ms);
	assert_memory_equal(&back.drain, &c->drain, sizeof(c->drain));
	free(t1);
	free(t2);
}

static void
test_dump_round_trip(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	/* Zero padding too, so whole arrays compare equal. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(load(all_fields, &c, err, sizeof(err)), 0);
	round_trip(&c);
	check_all_fields(&c);
	assert_int_equal(cfg_load_file(TT_SOURCE_ROOT "/config/nic.yaml", &c,
				       err, sizeof(err)),
			 0);
	round_trip(&c);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(cfg_app_name(CFG_APP_DISCARD), "discard");
	assert_string_equal(cfg_app_name(CFG_APP_ECHO), "echo");
	assert_string_equal(cfg_app_name(CFG_APP_HTTP), "http");
	assert_string_equal(cfg_close_name(CFG_CLOSE_AFTER_RESPONSE),
			    "after-response");
	assert_string_equal(cfg_close_name(CFG_CLOSE_ON_PEER_FIN),
			    "on-peer-fin");
	assert_string_equal(cfg_close_name(CFG_CLOSE_HALF_CLOSE), "half-close");
	assert_string_equal(cfg_close_name(CFG_CLOSE_ABORT), "abort");
	assert_string_equal(cfg_tw_reuse_name(CFG_TW_REUSE_OFF), "off");
	assert_string_equal(cfg_tw_overflow_name(CFG_TW_OVERFLOW_REFUSE),
			    "refuse");
}

struct err_case {
	const char *yaml;
	const char *prefix;  /* exact "name:line:col: path" start */
	const char *keyword; /* somewhere in the message */
};

static const struct err_case err_cases[] = {
	{ BASE "metrics:\n  listen: 127.0.0.1:0\n",
	  "t.yaml:8:11: metrics.listen: ", "1..65535" },
	{ BASE "metrics:\n  listen: localhost:9712\n",
	  "t.yaml:8:11: metrics.listen: ", "IPv4 address" },
	{ BASE "metrics:\n  listen: 127.0.0.1:97x\n",
	  "t.yaml:8:11: metrics.listen: ", "1..65535" },
	{ BASE "metrics:\n  port: 9712\n",
	  "t.yaml:8:3: metrics.port: ", "unknown key" },
	{ BASE "metrics: {}\n", "t.yaml:7:", "'listen'" },
	{ BASE "foo: 1\n", "t.yaml:7:1: foo: ", "unknown key" },
	{ BASE "tcp:\n  msl_ms: 1\n  bogus: 2\n",
	  "t.yaml:9:3: tcp.bogus: ", "unknown key" },
	{ BASE "    colour: red\n",
	  "t.yaml:7:5: listeners[0].colour: ", "unknown key" },
	{ BASE "  - port: abc\n    app: echo\n",
	  "t.yaml:7:11: listeners[1].port: ", "unsigned integer" },
	{ BASE "tcp:\n  timestamps: maybe\n",
	  "t.yaml:8:15: tcp.timestamps: ", "true or false" },
	{ BASE "workers: [1]\n", "t.yaml:7:10: workers: ", "got a list" },
	{ BASE "listeners: 5\n", "t.yaml:7:1: listeners: ", "duplicate key" },
	{ BASE "tcp: 5\n", "t.yaml:7:6: tcp: ",
	  "expected a mapping, got a "
	  "scalar" },
	{ BASE "stats:\n  interval_ms: -1\n",
	  "t.yaml:8:16: stats.interval_ms: ", "-1 is out of range 0..3600000" },
	/* Every key is unsigned: -0 too is out of range. */
	{ BASE "stats:\n  interval_ms: -0\n",
	  "t.yaml:8:16: stats.interval_ms: ", "-0 is out of range 0..3600000" },
	{ BASE "stats:\n  interval_ms: -00\n",
	  "t.yaml:8:16: stats.interval_ms: ",
	  "-00 is out of range 0..3600000" },
	/* RFC 9293 MUST-40: a delayed ACK waits less than 0.5 s. */
	{ BASE "tcp:\n  delayed_ack_ms: 500\n",
	  "t.yaml:8:19: tcp.delayed_ack_ms: ", "500 is out of range 0..499" },
	{ BASE "    head_timeout_ms: 86400001\n",
	  "t.yaml:7:22: listeners[0].head_timeout_ms: ",
	  "86400001 is out of range 0..86400000" },
	{ BASE "    head_timeout_ms: -5\n",
	  "t.yaml:7:22: listeners[0].head_timeout_ms: ",
	  "-5 is out of range 0..86400000" },
	{ BASE "    head_timeout_ms: 1.5\n",
	  "t.yaml:7:22: listeners[0].head_timeout_ms: ", "not a whole number" },
	{ BASE "drain:\n  timeout_ms: 0\n",
	  "t.yaml:8:15: drain.timeout_ms: ", "0 is out of range 1..86400000" },
	{ BASE "drain:\n  wait_time_wait: later\n",
	  "t.yaml:8:19: drain.wait_time_wait: ", "true or false" },
	{ BASE "drain:\n  timeout: 5\n",
	  "t.yaml:8:3: drain.timeout: ", "unknown key" },
	{ BASE "  - port: 81\n    app: ftp\n",
	  "t.yaml:8:10: listeners[1].app: ", "discard, echo, http" },
	{ BASE "  - {port: 81, app: echo, close: later}\n",
	  "t.yaml:7:34: listeners[1].close: ", "half-close" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    steering: rss\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:15: ports[0].steering: ", "auto, hardware, software" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    queues: 65\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:13: ports[0].queues: ", "65 is out of range 0..64" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    arp_max_age_ms: 10\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:21: ports[0].arp_max_age_ms: ",
	  "10 is out of range 1000..86400000" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    vlan: 4095\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:11: ports[0].vlan: ", "4095 is out of range 1..4094" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    vlan: 0\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:11: ports[0].vlan: ", "0 is out of range 1..4094" },
	{ BASE "tcp:\n  time_wait_reuse: always\n",
	  "t.yaml:8:20: tcp.time_wait_reuse: ", "off, seq, timestamps" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.300/24\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:3:11: ports[0].ipv4: ", "not a valid IPv4" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:3:11: ports[0].ipv4: ", "a.b.c.d/prefix-length" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/33\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:3:11: ports[0].ipv4: ", "out of range 1..32" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    gateway: 10.0.0.1\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:4:14: ports[0].gateway: ", "subnet" },
	{ "ports:\n  - ipv4: 198.18.0.1/24\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:2:5: ports[0]: ", "'device'" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "listeners:\n  - port: 0\n    app: http\n",
	  "t.yaml:5:11: listeners[0].port: ", "out of range 1..65535" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "listeners:\n  - port: 70000\n    app: http\n",
	  "t.yaml:5:11: listeners[0].port: ", "70000 is out of range" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "listeners:\n  - port: 1e2\n    app: http\n",
	  "t.yaml:5:11: listeners[0].port: ", "'1e2' is not a whole number" },
	{ BASE "workers: 2\nlimits:\n  max_connections: 1\n",
	  "t.yaml:9:20: limits.max_connections: ", "one per worker" },
	/* A worker's flows must stay below the TIME_WAIT tag bit (2^31). */
	{ BASE "limits:\n  max_connections: 2147483648\n",
	  "t.yaml:8:20: limits.max_connections: ",
	  "(2147483648 + 16000000) is more than a flow table holds" },
	{ BASE "limits:\n  max_connections: 4294967295\n"
	       "  max_time_wait: 4294967295\n",
	  "t.yaml:9:18: limits.max_time_wait: ", "more than a flow table" },
	{ BASE "limits:\n  max_connections: 2131483648\n",
	  "t.yaml:8:20: limits.max_connections: ", "more than a flow table" },
	{ BASE "workers: 2\nlimits:\n  max_connections: 4294967295\n"
	       "  max_time_wait: 4294967295\n",
	  "t.yaml:10:18: limits.max_time_wait: ", "workers: 2" },
	{ BASE "limits:\n  max_receive_buffers: -1\n",
	  "t.yaml:8:24: limits.max_receive_buffers: ",
	  "-1 is out of range 0..2147483647" },
	{ BASE "limits:\n  max_connections_per_source: -1\n",
	  "t.yaml:8:31: limits.max_connections_per_source: ",
	  "-1 is out of range 0..4294967295" },
	{ BASE "limits:\n  max_connections_per_source: 4294967296\n",
	  "t.yaml:8:31: limits.max_connections_per_source: ",
	  "out of range 0..4294967295" },
	{ BASE "limits:\n  max_receive_buffers: 1x\n",
	  "t.yaml:8:24: limits.max_receive_buffers: ", "not a whole number" },
	/* 262144 x 262144 bytes = 64 GiB: the most a worker may have. */
	{ BASE "limits:\n  max_receive_buffers: 262145\n",
	  "t.yaml:8:24: limits.max_receive_buffers: ",
	  "(262145 x 262144 bytes) is more than 64 GiB per worker" },
	{ BASE "tcp:\n  msl_ms: 5.5\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "'5.5' is not a whole number" },
	{ BASE "workers: 2x\n",
	  "t.yaml:7:10: workers: ", "not a whole number" },
	{ BASE "  - app: echo\n", "t.yaml:7:5: listeners[1]: ", "'port'" },
	{ BASE "  - port: 7\n", "t.yaml:7:5: listeners[1]: ", "'app'" },
	{ "listeners:\n  - port: 80\n    app: http\n",
	  "t.yaml:1:1: ", "'ports'" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n",
	  "t.yaml:1:1: ", "'listeners'" },
	{ BASE "listeners: []\n", "t.yaml:7:1: listeners: ", "duplicate" },
	{ "ports: []\nlisteners:\n  - {port: 80, app: http}\n",
	  "t.yaml:1:8: ports: ", "at least one" },
	{ BASE "  - port: 80\n    app: echo\n",
	  "t.yaml:7:11: listeners[1].port: ", "already used" },
	{ BASE "tcp:\n  msl_ms: 0\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "out of range" },
	{ BASE "tcp:\n  send_timeout_ms: 3600001\n",
	  "t.yaml:8:20: tcp.send_timeout_ms: ",
	  "3600001 is out of range 0..3600000" },
	{ BASE "tcp:\n  send_timeout_ms: -1\n",
	  "t.yaml:8:20: tcp.send_timeout_ms: ",
	  "-1 is out of range 0..3600000" },
	{ BASE "tcp:\n  rto_min_ms: 5000\n  rto_max_ms: 1000\n",
	  "t.yaml:8:15: tcp.rto_min_ms: ", "greater than rto_max_ms" },
	/* Below one window scale unit: a window that could never reopen. */
	{ BASE "tcp:\n  snd_buf: 100\n", "t.yaml:8:12: tcp.snd_buf: ",
	  "at least one window scale unit, 1 << wscale (128)" },
	{ BASE "tcp:\n  rcv_wnd: 1000\n  wscale: 10\n",
	  "t.yaml:8:12: tcp.rcv_wnd: ", "1 << wscale (1024)" },
	{ BASE "tcp:\n  rto_max_ms: 100\n",
	  "t.yaml:8:15: tcp.rto_max_ms: ", "greater than rto_max_ms" },
	{ BASE "tcp:\n  wscale: 15\n", "t.yaml:8:11: tcp.wscale: ", "0..14" },
	{ BASE "tcp:\n  wscale: 0\n", "t.yaml:8:11: tcp.wscale: ", "rcv_wnd" },
	{ BASE "workers: 0\n", "t.yaml:7:10: workers: ", "1..64" },
	{ BASE "workers: 1\nworkers: 2\n",
	  "t.yaml:8:1: workers: ", "duplicate key" },
	{ BASE "tcp:\n  msl_ms: [1\n", "t.yaml:9:1: ", "syntax error" },
	{ "ports:\n  - device: d\n   ipv4: x\n",
	  "t.yaml:3:4: ", "syntax error" },
	{ "", "t.yaml:1:1: ", "empty" },
	/* Several ports: each its own device, address and subnet. */
	{ TWO_PORTS("198.18.0.1/24", "198.18.0.1/24"),
	  "t.yaml:5:11: ports[1].ipv4: ",
	  "address 198.18.0.1 is already used by ports[0]" },
	{ TWO_PORTS("198.18.0.1/24", "198.18.0.200/25"),
	  "t.yaml:5:11: ports[1].ipv4: ",
	  "subnet /25 overlaps the subnet /24 of ports[0]" },
	{ TWO_PORTS("198.18.1.1/24", "198.18.2.1/16"),
	  "t.yaml:5:11: ports[1].ipv4: ",
	  "subnet /16 overlaps the subnet /24 of ports[0]" },
	{ "ports:\n  - {device: a, ipv4: 198.18.1.1/24}\n"
	  "  - {device: b, ipv4: 198.18.2.1/24}\n"
	  "  - {device: a, ipv4: 198.18.3.1/24}\n" LISTEN80,
	  "t.yaml:4:14: ports[2].device: ", "already used by ports[0]" },
	{ "ports:\n  - {device: a, ipv4: 198.18.1.1/24}\n"
	  "  - {device: b, ipv4: 198.18.2.1/24, gateway: 198.18.1.254}\n" LISTEN80,
	  "t.yaml:3:47: ports[1].gateway: ", "subnet" },
	{ "ports:\n  - {device: a, ipv4: 198.18.1.1/24}\n"
	  "  - {device: b, ipv4: 198.18.2.1/24, vlan: 5000}\n" LISTEN80,
	  "t.yaml:3:44: ports[1].vlan: ", "out of range 1..4094" },
	{ "# only a comment\n", "t.yaml:1:1: ", "empty" },
	{ "- 1\n", "t.yaml:1:1: ", "expected a mapping" },
	{ BASE "limits:\n  time_wait_overflow: drop\n",
	  "t.yaml:8:23: limits.time_wait_overflow: ", "recycle-oldest" },
	{ "ports:\n  - {device: a, ipv4: 198.18.0.1/24}\n"
	  "  - {device: b, ipv4: 198.18.1.1/24}\n"
	  "  - {device: c, ipv4: 198.18.2.1/24}\n"
	  "  - {device: d, ipv4: 198.18.3.1/24}\n"
	  "  - {device: e, ipv4: 198.18.4.1/24}\n"
	  "  - {device: f, ipv4: 198.18.5.1/24}\n"
	  "  - {device: g, ipv4: 198.18.6.1/24}\n"
	  "  - {device: h, ipv4: 198.18.7.1/24}\n"
	  "  - {device: i, ipv4: 198.18.8.1/24}\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:2:3: ports: ", "too many ports" },
	{ "ports:\n  - {device: a, ipv4: 198.18.0.1/24}\n"
	  "  - {device: a, ipv4: 198.18.1.1/24}\n"
	  "listeners:\n  - {port: 80, app: http}\n",
	  "t.yaml:3:14: ports[1].device: ", "already used" },
	/*
	 * A leading 0 means octal to YAML 1.1 and C: refused on every
	 * integer key, with the decimal reading and the 0o spelling (8 and
	 * 9 are not octal digits: no 0o spelling then).
	 */
	{ BASE "tcp:\n  msl_ms: 010000\n", "t.yaml:8:11: tcp.msl_ms: ",
	  "'010000' has a leading 0, which means octal (4096): write 10000, "
	  "or 0o10000 if octal is meant" },
	{ BASE "tcp:\n  msl_ms: 09000\n", "t.yaml:8:11: tcp.msl_ms: ",
	  "octal, where 8 and 9 are not digits: write 9000" },
	{ LISTEN_ONLY_PORT("0080"), "t.yaml:5:11: listeners[0].port: ",
	  "octal, where 8 and 9 are not digits: write 80" },
	{ LISTEN_ONLY_PORT("010"), "t.yaml:5:11: listeners[0].port: ",
	  "'010' has a leading 0, which means octal (8): write 10" },
	{ BASE "workers: 02\n",
	  "t.yaml:7:10: workers: ", "'02' has a leading 0" },
	{ BASE "limits:\n  max_connections: 0100\n",
	  "t.yaml:8:20: limits.max_connections: ", "means octal (64)" },
	{ BASE "    idle_timeout_ms: 00\n",
	  "t.yaml:7:22: listeners[0].idle_timeout_ms: ",
	  "'00' has a leading 0, which means octal: write 0" },
	{ "ports:\n  - {device: a, ipv4: 198.18.0.1/24, queues: 04}\n" LISTEN80,
	  "t.yaml:2:46: ports[0].queues: ", "means octal (4)" },
	{ "ports:\n  - {device: a, ipv4: 198.18.0.1/24, vlan: 0100}\n" LISTEN80,
	  "t.yaml:2:44: ports[0].vlan: ", "means octal (64)" },
	/* 0o and 0x need digits of their base; a minus is out of range. */
	{ BASE "tcp:\n  msl_ms: 0o9\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "'0o9' is not a whole number" },
	{ BASE "tcp:\n  msl_ms: 0o\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "'0o' is not a whole number" },
	{ BASE "tcp:\n  msl_ms: -0o5\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "-0o5 is out of range 1..3600000" },
	{ BASE "tcp:\n  msl_ms: -010\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "-010 is out of range 1..3600000" },
	{ BASE "tcp:\n  msl_ms: 0o2000000000000000000000000\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "too large" },
	/* Not UTF-8: the line and column of the byte, and the byte. */
	{ BASE "tcp:\n  mss: 14\xff"
	       "0\n",
	  "t.yaml:8:10: ", "0xff" },
	/* Past 64 bits: too large, not "expected an unsigned integer". */
	{ BASE "tcp:\n  msl_ms: 99999999999999999999\n",
	  "t.yaml:8:11: tcp.msl_ms: ", "too large" },
	{ BASE "tcp:\n  sack: 99999999999999999999\n",
	  "t.yaml:8:9: tcp.sack: ", "true or false" },
};

/*
 * An unknown key names every valid key of its section, the last one too:
 * the tcp section's list is longer than a short buffer.
 */
static void
test_unknown_key_lists_all(void **state)
{
	static const struct {
		const char *yaml, *tail;
	} cases[] = {
		{ BASE "tcp:\n  congestoin: cubic\n",
		  "congestion, tail_loss_probe, rack)" },
		{ BASE "limits:\n  max_conns: 1\n",
		  "max_time_wait6, max_connections_per_source)" },
		{ BASE "    colour: red\n", "head_timeout_ms, family)" },
		{ BASE "drain:\n  timeout: 1\n", "wait_time_wait)" },
	};
	char err[1024];
	struct cfg c;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(err, 0, sizeof(err));
		assert_int_equal(load(cases[i].yaml, &c, err, sizeof(err)), -1);
		n = strlen(err);
		if (n < strlen(cases[i].tail) ||
		    strcmp(err + n - strlen(cases[i].tail), cases[i].tail) != 0)
			fail_msg("case %zu: \"%s\" does not end \"%s\"", i, err,
				 cases[i].tail);
	}
}

/* metrics: off when absent; address and port, or the default port. */
static void
test_metrics(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(load(BASE, &c, err, sizeof(err)), 0);
	assert_false(c.metrics.enabled);
	assert_int_equal(load(BASE "metrics:\n  listen: 127.0.0.1:9800\n", &c,
			      err, sizeof(err)),
			 0);
	assert_true(c.metrics.enabled);
	assert_int_equal(c.metrics.addr, 0x7f000001u);
	assert_int_equal(c.metrics.port, 9800);
	assert_int_equal(load(BASE "metrics:\n  listen: 0.0.0.0\n", &c, err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.metrics.addr, 0);
	assert_int_equal(c.metrics.port, CFG_METRICS_PORT);
}

static void
test_errors(void **state)
{
	struct cfg c;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *t = &err_cases[i];

		memset(err, 0, sizeof(err));
		if (load(t->yaml, &c, err, sizeof(err)) != -1)
			fail_msg("case %zu: loaded", i);
		if (strncmp(err, t->prefix, strlen(t->prefix)) != 0 ||
		    strstr(err + strlen(t->prefix), t->keyword) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
				 err, t->prefix, t->keyword);
	}
}

/*
 * The integer forms that load: decimal, 0 itself, 0x hexadecimal and 0o
 * octal, on a section's key, a listener's port and workers alike.
 */
static void
test_int_forms(void **state)
{
	struct cfg c;
	char err[512] = "";

	(void)state;
	if (load(LISTEN_ONLY_PORT("0o120") "workers: 0x2\n"
					   "tcp:\n  msl_ms: 0o20000\n"
					   "  fin_wait2_timeout_ms: 0x2710\n"
					   "  delayed_ack_ms: 0\n"
					   "  rto_min_ms: 0O310\n"
					   "  mss: 1000\n",
		 &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.listeners[0].port, 80);
	assert_int_equal(c.workers, 2);
	assert_int_equal(c.tcp.msl_ms, 8192);
	assert_int_equal(c.tcp.fin_wait2_timeout_ms, 10000);
	assert_int_equal(c.tcp.delayed_ack_ms, 0);
	assert_int_equal(c.tcp.rto_min_ms, 200);
	assert_int_equal(c.tcp.mss, 1000);
}

/* The largest flow counts a worker's table takes, split or not. */
static void
test_flow_sizes_edge(void **state)
{
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(load(BASE "limits:\n  max_connections: 2131483647\n",
			      &c, err, sizeof(err)),
			 0);
	assert_int_equal((uint64_t)c.limits.max_connections +
				 c.limits.max_time_wait,
			 CFG_MAX_FLOWS);
	assert_int_equal(load(BASE "workers: 4\nlimits:\n"
				   "  max_connections: 4294967295\n"
				   "  max_time_wait: 4294967295\n",
			      &c, err, sizeof(err)),
			 0);
}

static void
test_too_many_listeners(void **state)
{
	char yaml[8192] = "ports:\n  - {device: d, ipv4: 198.18.0.1/24}\n"
			  "listeners:\n";
	struct cfg c;
	char err[512];
	size_t off = strlen(yaml);
	unsigned int i;

	(void)state;
	for (i = 0; i < CFG_MAX_LISTENERS; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
					"  - {port: %u, app: echo}\n", i + 1);
	assert_int_equal(load(yaml, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n_listeners, CFG_MAX_LISTENERS);
	snprintf(yaml + off, sizeof(yaml) - off,
		 "  - {port: 999, app: echo}\n");
	assert_int_equal(load(yaml, &c, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "t.yaml:4:3: listeners: too many listeners "
			    "(65), at most 64");
}

/* Every port keeps its own address, gateway, VLAN, steering and queues. */
static void
test_two_ports(void **state)
{
	static const char yaml[] = "ports:\n"
				   "  - device: net_tap0\n"
				   "    ipv4: 198.18.1.1/24\n"
				   "    gateway: 198.18.1.254\n"
				   "    vlan: 10\n"
				   "    steering: software\n"
				   "    queues: 2\n"
				   "    arp_max_age_ms: 5000\n"
				   "  - device: net_tap1\n"
				   "    ipv4: 198.18.2.1/25\n"
				   "    vlan: 20\n"
				   "  - device: net_tap2\n"
				   "    ipv4: 198.18.2.129/25\n" LISTEN80;
	struct cfg c;
	char err[512] = "";

	(void)state;
	if (load(yaml, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.n_ports, 3);
	assert_int_equal(c.ports[0].addr, 0xc6120101u);
	assert_int_equal(c.ports[0].gateway, 0xc61201feu);
	assert_int_equal(c.ports[0].vlan, 10);
	assert_int_equal(c.ports[0].steering, CFG_STEERING_SOFTWARE);
	assert_int_equal(c.ports[0].queues, 2);
	assert_int_equal(c.ports[0].arp_max_age_ms, 5000);
	assert_string_equal(c.ports[1].device, "net_tap1");
	assert_int_equal(c.ports[1].addr, 0xc6120201u);
	assert_int_equal(c.ports[1].prefix_len, 25);
	assert_int_equal(c.ports[1].gateway, 0);
	assert_int_equal(c.ports[1].vlan, 20);
	assert_int_equal(c.ports[1].steering, CFG_STEERING_AUTO);
	assert_int_equal(c.ports[1].queues, 0);
	assert_int_equal(c.ports[1].arp_max_age_ms, CFG_ARP_MAX_AGE_MS);
	assert_int_equal(c.ports[2].addr, 0xc6120281u);
	assert_int_equal(c.ports[2].vlan, 0);
}

/* YAML with n ports d0, d1, ... on 198.18.<i>.1/24 and one listener. */
static void
n_ports_yaml(char *yaml, size_t len, unsigned int n)
{
	size_t off = (size_t)snprintf(yaml, len, "ports:\n");
	unsigned int i;

	for (i = 0; i < n; i++)
		off += (size_t)snprintf(yaml + off, len - off,
					"  - {device: "
					"d%u, ipv4: 198.18.%u.1/24}\n",
					i, i);
	snprintf(yaml + off, len - off, LISTEN80);
}

/* CFG_MAX_PORTS ports load; one more is refused where the list starts. */
static void
test_too_many_ports(void **state)
{
	char yaml[4096];
	struct cfg c;
	char err[512] = "";

	(void)state;
	n_ports_yaml(yaml, sizeof(yaml), CFG_MAX_PORTS);
	if (load(yaml, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.n_ports, CFG_MAX_PORTS);
	n_ports_yaml(yaml, sizeof(yaml), CFG_MAX_PORTS + 1);
	assert_int_equal(load(yaml, &c, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "t.yaml:2:3: ports: too many ports (9), "
			    "at most 8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_load),
		cmocka_unit_test(test_tap_values),
		cmocka_unit_test(test_file_not_found),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_head_timeout),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_int_forms),
		cmocka_unit_test(test_unknown_key_lists_all),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_flow_sizes_edge),
		cmocka_unit_test(test_too_many_listeners),
		cmocka_unit_test(test_two_ports),
		cmocka_unit_test(test_too_many_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
