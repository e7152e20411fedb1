/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 options (RFC 791 3.1): the checks of a received list, and the
 * Record Route and Timestamp updates of an echo reply. Private to
 * lib/net.
 */
#ifndef TT_NET_IPOPT_H
#define TT_NET_IPOPT_H

#include <stdint.h>

#include "net.h"

/*
 * The verdict on the options of a received IPv4 header (opt, len
 * bytes): NET_DROP_NONE, NET_DROP_IP_SRR (a source route) or
 * NET_DROP_IP_OPTS (a malformed list, Record Route or Timestamp).
 */
enum net_drop net__ip_opts_check(const uint8_t *opt, uint32_t len);

/*
 * Update, in place, the options (opt, len bytes) of an echo request for
 * its reply from addr (host order): Record Route and Timestamp get this
 * host, ts being the RFC 791 timestamp. Other options, and any that
 * net__ip_opts_check() would refuse, are left as they are: no write
 * leaves its option, whatever the list.
 */
void net__ip_opts_echo(uint8_t *opt, uint32_t len, uint32_t addr, uint32_t ts);

#endif /* TT_NET_IPOPT_H */
