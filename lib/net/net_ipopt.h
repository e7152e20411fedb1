/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 options (RFC 791 3.1): the checks of a received list. Private to
 * lib/net.
 */
#ifndef TT_NET_IPOPT_H
#define TT_NET_IPOPT_H

#include <stdint.h>

#include "net.h"

/*
 * The verdict on the options of a received IPv4 header (opt, len
 * bytes): NET_DROP_NONE, NET_DROP_IP_SRR (a source route) or
 * NET_DROP_IP_OPTS (a malformed list).
 */
enum net_drop net__ip_opts_check(const uint8_t *opt, uint32_t len);

#endif /* TT_NET_IPOPT_H */
