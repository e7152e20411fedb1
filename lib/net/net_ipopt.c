/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 options (RFC 791 3.1): the checks of a received list, the Record
 * Route and Timestamp updates of an echo reply, the timestamp value.
 */
#include <stdbool.h>

#include "net.h"
#include "net_internal.h"
#include "net_ipopt.h"

#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_RR 7
#define IPOPT_TS 68
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137

/* RFC 791 3.1: the flags of a Timestamp option (its fourth octet). */
#define IPOPT_TS_TSONLY 0
#define IPOPT_TS_TSANDADDR 1
#define IPOPT_TS_PRESPEC 3
#define IPOPT_TS_OFLW_MAX 15

#define MS_PER_DAY 86400000u

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * RFC 791 3.1: the octets one Timestamp entry takes: a timestamp, after
 * an internet address for flags 1 and 3. An unknown flag is checked as
 * flag 0, as Linux's ip_options_compile() does.
 */
static inline uint32_t
ts_entry_len(uint8_t flags)
{
	uint8_t flag = flags & 0x0f;

	return flag == IPOPT_TS_TSANDADDR || flag == IPOPT_TS_PRESPEC ? 8 : 4;
}

/*
 * RFC 791 3.1: the overflow counts the modules that could not register
 * for want of room: with flags 0 and 1 (with prespecified addresses
 * only the hosts named register, none once the list is done; an
 * unknown flag asks nothing tcpterm understands, RFC 1122 3.2.1.8).
 */
static inline bool
ts_counts_overflow(uint8_t flags)
{
	uint8_t flag = flags & 0x0f;

	return flag == IPOPT_TS_TSONLY || flag == IPOPT_TS_TSANDADDR;
}

/*
 * RFC 791 3.1 Record Route: type, length, pointer (4 at the least: the
 * octet where the next address goes, the route full once it is past the
 * length). A pointer in the option with no room for a whole address
 * after it is malformed (Linux's ip_options_compile() too).
 */
static bool
rr_bad(const uint8_t *o)
{
	return o[1] < 3 || o[2] < 4 || (o[2] <= o[1] && o[2] + 3u > o[1]);
}

/*
 * RFC 791 3.1 Internet Timestamp: type, length, pointer (5 at the
 * least), overflow and flags. "If there is some room but not enough
 * room for a full timestamp to be inserted, or the overflow count
 * itself overflows, the original datagram is considered to be in error
 * and is discarded": as Linux's ip_options_compile(), which sends a
 * Parameter Problem where tcpterm is silent.
 */
static bool
ts_bad(const uint8_t *o)
{
	if (o[1] < 4 || o[2] < 5)
		return true;
	if (o[2] > o[1])
		return ts_counts_overflow(o[3]) &&
			o[3] >> 4 == IPOPT_TS_OFLW_MAX;
	return o[2] + ts_entry_len(o[3]) - 1 > o[1];
}

/*
 * The options of an IPv4 header (opt, len bytes), read up to the end of
 * the list. A loose or strict source route (RFC 791 3.1): RFC 1122
 * 3.2.1.8 (c) and 4.2.3.8 would have a host reverse it for its replies,
 * which a terminator does not do; sent back as received it would route
 * them through the hops the sender chose. RFC 7126 4.3.4 and 4.4.4
 * advise dropping such datagrams by default, as Linux does
 * (accept_source_route 0): IP_SRR. An option whose length is below 2 or
 * runs past the header makes the list malformed, and whatever follows it
 * unreadable (a source route among it): IP_OPTS, as Linux's
 * ip_options_compile() drops it; so too a malformed Record Route or
 * Timestamp, or a second one (RFC 791 3.1: each "appears at most once
 * in a datagram"). Other options are skipped (RFC 1122 3.2.1.8).
 */
enum net_drop
net__ip_opts_check(const uint8_t *opt, uint32_t len)
{
	bool rr = false, ts = false;
	uint32_t i = 0;

	while (i < len && opt[i] != IPOPT_EOL) {
		if (opt[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		if (opt[i] == IPOPT_LSRR || opt[i] == IPOPT_SSRR)
			return NET_DROP_IP_SRR;
		if (len - i < 2 || opt[i + 1] < 2 || opt[i + 1] > len - i)
			return NET_DROP_IP_OPTS;
		if (opt[i] == IPOPT_RR && (rr || rr_bad(opt + i)))
			return NET_DROP_IP_OPTS;
		if (opt[i] == IPOPT_TS && (ts || ts_bad(opt + i)))
			return NET_DROP_IP_OPTS;
		rr = rr || opt[i] == IPOPT_RR;
		ts = ts || opt[i] == IPOPT_TS;
		i += opt[i + 1];
	}
	return NET_DROP_NONE;
}

/*
 * RFC 791 3.1 Record Route: our address at the pointer, the pointer
 * moved past it; a full route (pointer past the length) stays as it is.
 */
static void
rr_echo(uint8_t *o, uint32_t addr)
{
	if (o[2] > o[1])
		return;
	put32(o + o[2] - 1, addr);
	o[2] += 4;
}

/*
 * RFC 791 3.1 Internet Timestamp, by flag: 0 our timestamp, 1 our
 * address and timestamp, 3 our timestamp when the next prespecified
 * address is ours. Full (the pointer past the length), flags 0 and 1
 * count an overflow (below 15: net__ip_opts_check() drops the rest).
 */
static void
ts_echo(uint8_t *o, uint32_t addr, uint32_t ts)
{
	uint8_t *at;

	if (o[2] > o[1]) {
		if (ts_counts_overflow(o[3]) && o[3] >> 4 < IPOPT_TS_OFLW_MAX)
			o[3] = (uint8_t)(o[3] + 0x10);
		return;
	}
	at = o + o[2] - 1;
	switch (o[3] & 0x0f) {
	case IPOPT_TS_TSONLY:
		put32(at, ts);
		o[2] += 4;
		break;
	case IPOPT_TS_TSANDADDR:
		put32(at, addr);
		put32(at + 4, ts);
		o[2] += 8;
		break;
	case IPOPT_TS_PRESPEC:
		if (net__rd32(at) != addr)
			break;
		put32(at + 4, ts);
		o[2] += 8;
		break;
	default:
		break;
	}
}

/*
 * RFC 1122 3.2.2.6: "If a Record Route and/or Time Stamp option is
 * received in an ICMP Echo Request, this option (these options) SHOULD
 * be updated to include the current host and included in the IP header
 * of the Echo Reply message, without "truncation"." Once, for the
 * reply (Linux records this host a second time, on receipt).
 */
void
net__ip_opts_echo(uint8_t *opt, uint32_t len, uint32_t addr, uint32_t ts)
{
	uint32_t i = 0;

	while (i < len && opt[i] != IPOPT_EOL) {
		if (opt[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		/*
		 * Checked on receipt (net__ip_opts_check()); checked again,
		 * so that no write can leave an option whatever the caller
		 * passed: a list or an option that fails is left alone.
		 */
		if (len - i < 2 || opt[i + 1] < 2 || opt[i + 1] > len - i)
			return;
		if (opt[i] == IPOPT_RR && !rr_bad(opt + i))
			rr_echo(opt + i, addr);
		else if (opt[i] == IPOPT_TS && !ts_bad(opt + i))
			ts_echo(opt + i, addr, ts);
		i += opt[i + 1];
	}
}

/*
 * RFC 791 3.1, RFC 1122 3.2.2.8: "milliseconds since midnight UT", from
 * a wall clock reading (as Linux's inet_current_timestamp()).
 */
uint32_t
net_ip_timestamp(uint64_t sec, uint32_t nsec)
{
	return (uint32_t)(sec % (MS_PER_DAY / 1000) * 1000 + nsec / 1000000) %
		MS_PER_DAY;
}
