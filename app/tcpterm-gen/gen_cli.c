/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line of tcpterm-gen (the part after the EAL's "--").
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const char *const gen_scn_names[GEN_SCENARIO_MAX] = {
#define GEN_SCN_NAME(e, s) [GEN_##e] = s,
	GEN_SCENARIOS(GEN_SCN_NAME)
#undef GEN_SCN_NAME
};

const char *
gen_scenario_name(enum gen_scenario s)
{
	return s < GEN_SCENARIO_MAX ? gen_scn_names[s] : "?";
}

void
gen_usage(FILE *f)
{
	/* clang-format off */
	fprintf(f,
"usage: tcpterm-gen [EAL options] -- [options]\n"
"  -s, --scenario NAME   short | client-close | keepalive | raw | reflect |\n"
"                        synflood\n"
"                        (default short). short: one request per\n"
"                        connection, the server closes first; client-close:\n"
"                        the same, we close first; keepalive: requests on\n"
"                        long-lived connections; raw: send copies of one\n"
"                        frame; reflect: send every received frame back;\n"
"                        synflood: spoofed SYNs from --flood-src, never\n"
"                        completed (SYN-ACKs that come back are counted)\n"
"  -p, --port NAME       ethdev name (default: the first port)\n"
"  -d, --dst IP:PORT     target, IPv4 or [IPv6]:PORT (default\n"
"                        198.18.20.1:80, with --ipv6 [2001:db8:20::1]:80)\n"
"      --dst-mac MAC     target MAC (default: resolved by ARP or ND)\n"
"      --src IP[-IP]     source addresses (default 198.18.20.2-198.18.20.17,\n"
"                        with --ipv6 2001:db8:20::2-2001:db8:20::11); an\n"
"                        IPv6 range keeps its first 96 bits\n"
"  -6, --ipv6            speak IPv6 (implied by an IPv6 --dst or --src);\n"
"                        not with --flood, synflood\n"
"      --sport LO-HI     source ports (default 1024-65535)\n"
"  -r, --rate N          connections/s (short, client-close), requests/s\n"
"                        (keepalive), packets/s (raw), SYNs/s (synflood);\n"
"                        0 = flat out\n"
"                        (default 0; reflect ignores it)\n"
"  -c, --concurrency N   most connections in flight; keepalive: the number\n"
"                        of connections (default 1024; keepalive 64)\n"
"  -t, --duration S      seconds of load (default 10)\n"
"      --wait S          seconds for in-flight work to finish (default 3)\n"
"      --hold S          after the report, keep the port up (answering ARP\n"
"                        and stray FINs) for S seconds or until SIGTERM\n"
"                        (TCP scenarios only; default 0)\n"
"      --req-bytes N     request size (default: a minimal GET)\n"
"      --resp-bytes N    expected response size (default: learnt from the\n"
"                        first response's Content-Length)\n"
"      --rto-ms N        retransmission timeout (default 1000)\n"
"      --retries N       retransmissions before a timeout failure (6)\n"
"      --reuse-ms N      least time before a 4-tuple is used again (0)\n"
"      --link-wait-ms N  wait this long for the link (default 10000)\n"
"      --mbufs N         mbuf pool size (default 16383)\n"
"      --pkt-bytes N     raw mode frame size (default 64)\n"
"      --series FILE     write one CSV line of rates per second\n"
"      --flood           beside a TCP scenario, send spoofed SYNs flat out\n"
"                        with what the device takes after the client's\n"
"                        frames (as -s synflood does alone)\n"
"      --flood-rate N    the same at N SYNs/s (implies --flood)\n"
"      --flood-src IP-IP spoofed sources (default\n"
"                        198.18.128.0-198.18.255.255)\n"
"      --loss P          fault injection, each direction on its own: drop\n"
"                        P%% of the TCP frames (default 0)\n"
"      --reorder P       hold P%% back, to leave after the next frame (or\n"
"                        1 ms later)\n"
"      --dup P           send or deliver P%% twice\n"
"      --delay-us N      delay every frame by N us (adds 2N to the RTT)\n"
"      --seed N          seed of the fault injection (default 1): the same\n"
"                        seed draws the same faults frame by frame\n"
"      --workers N       the target has N workers (tcpterm: RSS by the\n"
"                        symmetric Toeplitz key, RETA filled round-robin):\n"
"                        take source ports so that new connections go to\n"
"                        each worker in turn (default 1: any order)\n"
"      --reta-size N     the target's RETA size (default 512, tcpterm's\n"
"                        software steering; with device RSS the device's)\n"
"      --owner K         open only connections worker K (0..N-1) owns\n"
"      --allow-failures  failed connections do not change the exit status\n"
"      --close-wait-ms N at the end, stop polling and wait up to N ms for\n"
"                        the peer to disconnect before closing the port\n"
"                        (a memif peer must not be polling when its peer\n"
"                        leaves; default 0)\n"
"  -q, --quiet           no progress line\n"
"  -h, --help            print this help and exit\n"
"Prints a progress line per second (unless -q), then a table and one\n"
"JSON line. Exit status: 1 on an invalid option or a setup error, 3 when\n"
"connections failed (reset, timed out, bad response or unfinished; the\n"
"last line says so) unless --allow-failures, else 0.\n");
	/* clang-format on */
}

static int
gen_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
gen_parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < 0 ? -1 : 0;
}

/* A percentage, 0..100. */
static int
gen_parse_pct(const char *s, double *out)
{
	return gen_parse_double(s, out) != 0 || *out > 100 ? -1 : 0;
}

static int
gen_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

/* A RETA size: a power of two. */
static int
gen_parse_reta(const char *s, uint32_t *out)
{
	if (gen_parse_u32(s, 1, GEN_RSS_RETA_MAX, out) != 0)
		return -1;
	return (*out & (*out - 1)) == 0 ? 0 : -1;
}

static int
gen_parse_owner(const char *s, int32_t *out)
{
	uint32_t v;

	if (gen_parse_u32(s, 0, GEN_RSS_MAX_OWNERS - 1, &v) != 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* An IPv4 range (the SYN flood's sources). */
static int
gen_parse_range4(const char *s, uint32_t *lo, uint32_t *hi)
{
	struct gen_addr a;

	if (gen_range_parse(s, &a, lo, hi) != 0 || a.family != NET_FAMILY_IPV4)
		return -1;
	return 0;
}

static int
gen_parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned int a, b;
	char c;

	if (sscanf(s, "%u-%u%c", &a, &b, &c) != 2 || a == 0 || b > 65535 ||
	    b < a)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* What the address options said, checked once all are read. */
struct gen_cli {
	bool conc_set;
	bool src_set;
	bool dst_set;
	bool v4; /* an IPv4 address was given */
	bool v6; /* an IPv6 address (or --ipv6) was given */
};

static void
gen_cli_family(struct gen_cli *st, const struct gen_addr *a)
{
	if (a->family == NET_FAMILY_IPV6)
		st->v6 = true;
	else
		st->v4 = true;
}

static int
gen_parse_dst(const char *s, struct gen_opts *o, struct gen_cli *st)
{
	struct gen_addr a;

	if (gen_dst_parse(s, &a, &o->dport) != 0)
		return -1;
	o->dst = a.v4;
	memcpy(o->dst6, a.v6, sizeof(o->dst6));
	st->dst_set = true;
	gen_cli_family(st, &a);
	return 0;
}

static int
gen_parse_src(const char *s, struct gen_opts *o, struct gen_cli *st)
{
	struct gen_addr a;

	if (gen_range_parse(s, &a, &o->src_lo, &o->src_hi) != 0)
		return -1;
	memcpy(o->src6, a.v6, sizeof(o->src6));
	st->src_set = true;
	gen_cli_family(st, &a);
	return 0;
}

static int
gen_parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[NET_ETH_ALEN];
	char c;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &c) != NET_ETH_ALEN)
		return -1;
	for (i = 0; i < NET_ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int
gen_parse_scenario(const char *s, enum gen_scenario *out)
{
	unsigned int i;

	for (i = 0; i < GEN_SCENARIO_MAX; i++) {
		if (strcmp(s, gen_scn_names[i]) == 0) {
			*out = (enum gen_scenario)i;
			return 0;
		}
	}
	return -1;
}

static void
gen_defaults(struct gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->scenario = GEN_SHORT;
	net_ipv4_parse("198.18.20.2", &o->src_lo);
	net_ipv4_parse("198.18.20.17", &o->src_hi);
	o->sport_lo = 1024;
	o->sport_hi = 65535;
	net_ipv4_parse("198.18.20.1", &o->dst);
	o->dport = 80;
	o->duration = 10;
	o->wait = 3;
	o->rto_ms = 1000;
	o->retries = 6;
	o->link_wait_ms = 10000;
	o->mbufs = 16383;
	o->pkt_bytes = 64;
	o->flood_rate = -1;
	o->seed = 1;
	o->workers = 1;
	o->reta_size = GEN_RSS_RETA_DEFAULT;
	o->owner = -1;
	net_ipv4_parse("198.18.128.0", &o->flood_src_lo);
	net_ipv4_parse("198.18.255.255", &o->flood_src_hi);
}

/* clang-format off */
enum {
	OPT_DST_MAC = 256, OPT_SRC, OPT_SPORT, OPT_WAIT, OPT_REQ, OPT_RESP,
	OPT_RTO, OPT_RETRIES, OPT_REUSE, OPT_LINK, OPT_MBUFS, OPT_PKT,
	OPT_SERIES, OPT_HOLD, OPT_FLOOD, OPT_FLOOD_RATE, OPT_FLOOD_SRC,
	OPT_LOSS, OPT_REORDER, OPT_DUP, OPT_DELAY, OPT_SEED, OPT_WORKERS,
	OPT_RETA, OPT_OWNER, OPT_ALLOW_FAIL, OPT_CLOSE_WAIT,
};
/* clang-format on */

#define GEN_SRC6_DEFAULT "2001:db8:20::2-2001:db8:20::11"
#define GEN_DST6_DEFAULT "2001:db8:20::1"

static const struct option gen_longopts[] = {
	{ "scenario", required_argument, NULL, 's' },
	{ "port", required_argument, NULL, 'p' },
	{ "dst", required_argument, NULL, 'd' },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "src", required_argument, NULL, OPT_SRC },
	{ "ipv6", no_argument, NULL, '6' },
	{ "sport", required_argument, NULL, OPT_SPORT },
	{ "rate", required_argument, NULL, 'r' },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, 't' },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "req-bytes", required_argument, NULL, OPT_REQ },
	{ "resp-bytes", required_argument, NULL, OPT_RESP },
	{ "rto-ms", required_argument, NULL, OPT_RTO },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "reuse-ms", required_argument, NULL, OPT_REUSE },
	{ "link-wait-ms", required_argument, NULL, OPT_LINK },
	{ "mbufs", required_argument, NULL, OPT_MBUFS },
	{ "pkt-bytes", required_argument, NULL, OPT_PKT },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "flood", no_argument, NULL, OPT_FLOOD },
	{ "flood-rate", required_argument, NULL, OPT_FLOOD_RATE },
	{ "flood-src", required_argument, NULL, OPT_FLOOD_SRC },
	{ "loss", required_argument, NULL, OPT_LOSS },
	{ "reorder", required_argument, NULL, OPT_REORDER },
	{ "dup", required_argument, NULL, OPT_DUP },
	{ "delay-us", required_argument, NULL, OPT_DELAY },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "reta-size", required_argument, NULL, OPT_RETA },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "allow-failures", no_argument, NULL, OPT_ALLOW_FAIL },
	{ "close-wait-ms", required_argument, NULL, OPT_CLOSE_WAIT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Apply one option; returns 0, 1 for --help, or -1 when invalid. */
static int
gen_apply(struct gen_opts *o, int c, const char *a, struct gen_cli *st)
{
	switch (c) {
	case 's':
		return gen_parse_scenario(a, &o->scenario);
	case 'p':
		if (strlen(a) >= sizeof(o->port))
			return -1;
		strcpy(o->port, a);
		return 0;
	case 'd':
		return gen_parse_dst(a, o, st);
	case OPT_DST_MAC:
		o->dst_mac_set = true;
		return gen_parse_mac(a, o->dst_mac);
	case OPT_SRC:
		return gen_parse_src(a, o, st);
	case '6':
		st->v6 = true;
		return 0;
	case OPT_SPORT:
		return gen_parse_ports(a, &o->sport_lo, &o->sport_hi);
	case 'r':
		return gen_parse_double(a, &o->rate);
	case 'c':
		st->conc_set = true;
		return gen_parse_u32(a, 1, 1u << 22, &o->concurrency);
	case 't':
		return gen_parse_double(a, &o->duration);
	case OPT_WAIT:
		return gen_parse_double(a, &o->wait);
	case OPT_HOLD:
		return gen_parse_double(a, &o->hold);
	case OPT_REQ:
		return gen_parse_u32(a, 16, GEN_MAX_REQ, &o->req_bytes);
	case OPT_RESP:
		return gen_parse_u32(a, 1, 1u << 30, &o->resp_bytes);
	case OPT_RTO:
		return gen_parse_u32(a, 1, 60000, &o->rto_ms);
	case OPT_RETRIES:
		return gen_parse_u32(a, 0, 100, &o->retries);
	case OPT_REUSE:
		return gen_parse_u32(a, 0, 3600000, &o->reuse_ms);
	case OPT_LINK:
		return gen_parse_u32(a, 0, 600000, &o->link_wait_ms);
	case OPT_MBUFS:
		return gen_parse_u32(a, 1023, 1u << 24, &o->mbufs);
	case OPT_PKT:
		return gen_parse_u32(a, 60, 1514, &o->pkt_bytes);
	case OPT_SERIES:
		if (strlen(a) >= sizeof(o->series))
			return -1;
		strcpy(o->series, a);
		return 0;
	case OPT_FLOOD:
		if (o->flood_rate < 0)
			o->flood_rate = 0;
		return 0;
	case OPT_FLOOD_RATE:
		return gen_parse_double(a, &o->flood_rate);
	case OPT_FLOOD_SRC:
		return gen_parse_range4(a, &o->flood_src_lo, &o->flood_src_hi);
	case OPT_LOSS:
		return gen_parse_pct(a, &o->loss);
	case OPT_REORDER:
		return gen_parse_pct(a, &o->reorder);
	case OPT_DUP:
		return gen_parse_pct(a, &o->dup);
	case OPT_DELAY:
		return gen_parse_u32(a, 0, 1000000, &o->delay_us);
	case OPT_SEED:
		return gen_parse_u64(a, &o->seed);
	case OPT_WORKERS:
		return gen_parse_u32(a, 1, GEN_RSS_MAX_OWNERS, &o->workers);
	case OPT_RETA:
		return gen_parse_reta(a, &o->reta_size);
	case OPT_OWNER:
		return gen_parse_owner(a, &o->owner);
	case OPT_ALLOW_FAIL:
		o->allow_failures = true;
		return 0;
	case OPT_CLOSE_WAIT:
		return gen_parse_u32(a, 0, 600000, &o->close_wait_ms);
	case 'q':
		o->quiet = true;
		return 0;
	case 'h':
		return 1;
	default:
		return -1;
	}
}

/* The flood needs a TCP scenario (or is one) and its own sources. */
static int
gen_check_flood(struct gen_opts *o)
{
	if (o->scenario == GEN_SYNFLOOD) {
		o->flood_rate = o->rate;
	} else if (o->flood_rate >= 0 && o->scenario >= GEN_RAW) {
		fprintf(stderr, "tcpterm-gen: --flood needs a TCP scenario\n");
		return -1;
	}
	if (o->flood_rate >= 0 && o->flood_src_lo <= o->src_hi &&
	    o->src_lo <= o->flood_src_hi) {
		fprintf(stderr, "tcpterm-gen: --flood-src overlaps --src\n");
		return -1;
	}
	return 0;
}

/* --owner names one of the target's workers. */
static int
gen_check_owner(const struct gen_opts *o)
{
	if (o->owner >= (int32_t)o->workers) {
		fprintf(stderr,
			"tcpterm-gen: --owner %d needs --workers %d or "
			"more\n",
			o->owner, o->owner + 1);
		return -1;
	}
	return 0;
}

/*
 * One family for every address: IPv6 when any was IPv6 (or --ipv6),
 * with the IPv6 defaults for what was not given.
 */
static int
gen_check_family(struct gen_opts *o, const struct gen_cli *st)
{
	struct gen_addr a;

	if (!st->v6)
		return 0;
	if (st->v4) {
		fprintf(stderr,
			"tcpterm-gen: --dst and --src mix IPv4 and "
			"IPv6\n");
		return -1;
	}
	if (o->scenario == GEN_SYNFLOOD || o->flood_rate >= 0) {
		fprintf(stderr,
			"tcpterm-gen: the SYN flood speaks IPv4 "
			"only\n");
		return -1;
	}
	o->ipv6 = true;
	if (!st->src_set) {
		gen_range_parse(GEN_SRC6_DEFAULT, &a, &o->src_lo, &o->src_hi);
		memcpy(o->src6, a.v6, sizeof(o->src6));
	}
	if (!st->dst_set) {
		gen_addr_parse(GEN_DST6_DEFAULT, &a);
		memcpy(o->dst6, a.v6, sizeof(o->dst6));
	}
	o->dst = 0;
	return 0;
}

/*
 * Parse the options after the EAL's. Returns 0, 1 when help was asked
 * for, or -1 after printing what is wrong.
 */
int
gen_parse_args(int argc, char **argv, struct gen_opts *o)
{
	struct gen_cli st = { .conc_set = false };
	int c, ret;

	gen_defaults(o);
	/*
	 * 0, not 1: glibc then also forgets where it was inside a cluster
	 * of short options, should an earlier parse have stopped there.
	 */
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:p:d:r:c:t:q6h", gen_longopts,
				NULL)) != -1) {
		ret = gen_apply(o, c, optarg, &st);
		if (ret != 0) {
			if (ret < 0 && c != '?')
				fprintf(stderr,
					"tcpterm-gen: invalid value "
					"'%s' for option -%c/%d\n",
					optarg ? optarg : "", c < 256 ? c : '-',
					c);
			return ret;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tcpterm-gen: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!st.conc_set)
		o->concurrency = o->scenario == GEN_KEEPALIVE ? 64 : 1024;
	if (gen_check_family(o, &st) != 0 || gen_check_owner(o) != 0)
		return -1;
	return gen_check_flood(o);
}

uint64_t
gen_failed(const struct gen_counters *c)
{
	return c->fail_rst + c->fail_timeout + c->fail_bad_response +
		c->unfinished;
}

/*
 * The exit status of a run that got as far as its report: 0, or
 * GEN_EXIT_FAILED when connections failed and that was not allowed.
 * msg gets the last line to print (empty for a clean run).
 */
int
gen_exit_status(const struct gen_opts *o, const struct gen_counters *c,
		char *msg, size_t len)
{
	uint64_t n = gen_failed(c);

	msg[0] = '\0';
	if (n == 0)
		return 0;
	snprintf(msg, len,
		 "tcpterm-gen: %" PRIu64 " connection(s) failed "
		 "(reset %" PRIu64 ", timed out %" PRIu64
		 ", bad response %" PRIu64 ", unfinished %" PRIu64 ")%s",
		 n, c->fail_rst, c->fail_timeout, c->fail_bad_response,
		 c->unfinished,
		 o->allow_failures ?
			 ", allowed" :
			 ": exit status 3 (--allow-failures accepts them)");
	return o->allow_failures ? 0 : GEN_EXIT_FAILED;
}
