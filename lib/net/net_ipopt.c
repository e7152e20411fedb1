/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 options (RFC 791 3.1): the checks of a received list.
 */
#include "net.h"
#include "net_ipopt.h"

#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137

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
 * ip_options_compile() drops it. Other options are skipped.
 */
enum net_drop
net__ip_opts_check(const uint8_t *opt, uint32_t len)
{
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
		i += opt[i + 1];
	}
	return NET_DROP_NONE;
}
