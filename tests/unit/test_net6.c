/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the IPv6 half of lib/net: parsing and validation
 * (extension headers, TCP, ICMPv6, Neighbor Discovery), the IPv6
 * pseudo-header checksum, building, and the IPv6 addresses helpers.
 *
 * The byte arrays were produced by Scapy with correct checksums (see
 * the comment above them), so a bug shared by the builder and the
 * parser cannot hide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "net.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* clang-format off */
#define IP6 14		/* offset of the IPv6 header, untagged */
#define L4 54		/* offset of the upper layer without extensions */

static const uint8_t our_mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t peer_mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t addr_a[NET_IPV6_ALEN] = {
	0x20, 0x01, 0x0d, 0xb8, [15] = 1
};
static const uint8_t addr_b[NET_IPV6_ALEN] = {
	0x20, 0x01, 0x0d, 0xb8, [15] = 2
};

/*
 * Generated once with Scapy 2.5 (/usr/bin/python3): each array is
 * bytes() of the expression above it, with O = "02:00:00:00:00:01",
 * P = "02:00:00:00:00:02", A = "2001:db8::1", B = "2001:db8::2".
 */

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A,hlim=64)/TCP(sport=40000,dport=80,
 * seq=0xdeadbeef,flags="S",window=64800,options=[("MSS",1440),("SAckOK",
 * b""),("Timestamp",(123456789,0)),("NOP",None),("WScale",7)])
 */
static const uint8_t v6_syn[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9c, 0x40, 0x00, 0x50, 0xde, 0xad,
	0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfd, 0x20, 0xe0, 0xdf,
	0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08, 0x0a, 0x07, 0x5b,
	0xcd, 0x15, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

/*
 * Ether(dst=O,src=P)/Dot1Q(vlan=42)/IPv6(src=B,dst=A,hlim=63)/
 * TCP(sport=40001,dport=8080,seq=0xdeadbef0,ack=0x01020305,flags="PA",
 * window=502)/Raw(b"GET / HTTP/1.0\r\n\r\n")
 */
static const uint8_t v6_vlan_data[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x81, 0x00, 0x00, 0x2a, 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x26,
	0x06, 0x3f, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9c, 0x41,
	0x1f, 0x90, 0xde, 0xad, 0xbe, 0xf0, 0x01, 0x02, 0x03, 0x05, 0x50, 0x18,
	0x01, 0xf6, 0x16, 0x39, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x20,
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A)/
 * IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\x00\x00\x00\x00")])/
 * IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x00\x00\x00")])/
 * IPv6ExtHdrRouting(type=0,segleft=0,addresses=[])/TCP(sport=40002,dport=80,
 * seq=7,flags="S",window=1024)
 */
static const uint8_t v6_ext_syn[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x3c, 0x00, 0x01, 0x04, 0x00, 0x00,
	0x00, 0x00, 0x2b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x42, 0x00, 0x50, 0x00, 0x00,
	0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0x04, 0x00, 0xb3, 0xd4,
	0x00, 0x00,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A)/IPv6ExtHdrFragment(offset=0,m=1,
 * id=99)/TCP(sport=40003,dport=80,flags="S")
 */
static const uint8_t v6_frag[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x2c, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x06, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x63, 0x9c, 0x43, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x50, 0x02, 0x20, 0x00, 0x97, 0xda, 0x00, 0x00,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A)/IPv6ExtHdrFragment(offset=0,m=0,
 * id=99)/TCP(sport=40003,dport=80,flags="S")
 */
static const uint8_t v6_atomic_frag[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x2c, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x63, 0x9c, 0x43, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x50, 0x02, 0x20, 0x00, 0x97, 0xda, 0x00, 0x00,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A,hlim=64)/ICMPv6EchoRequest(id=0x1234,
 * seq=1,data=b"abcdefgh")
 */
static const uint8_t v6_echo[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x80, 0x75, 0x12, 0x34,
	0x00, 0x01, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A,hlim=64)/
 * IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x00\x00\x00")])/
 * ICMPv6EchoRequest(id=0x1234,seq=1,data=b"abcdefgh")
 */
static const uint8_t v6_echo_dst[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x18, 0x3c, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x3a, 0x00, 0x01, 0x04, 0x00, 0x00,
	0x00, 0x00, 0x80, 0x00, 0x80, 0x75, 0x12, 0x34, 0x00, 0x01, 0x61, 0x62,
	0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};

/*
 * Ether(dst="33:33:ff:00:00:01",src=P)/IPv6(src=B,dst="ff02::1:ff00:1",
 * hlim=255)/ICMPv6ND_NS(tgt=A)/ICMPv6NDOptSrcLLAddr(lladdr=P)
 */
static const uint8_t v6_ns[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x00, 0x00, 0x01, 0x87, 0x00, 0x1c, 0x27, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x02,
};

/*
 * Ether(dst="33:33:ff:00:00:01",src=P)/IPv6(src="::",dst="ff02::1:ff00:1",
 * hlim=255)/ICMPv6ND_NS(tgt=A)
 */
static const uint8_t v6_ns_dad[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x18, 0x3a, 0xff, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x00, 0x00, 0x01, 0x87, 0x00, 0x4c, 0xed, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/*
 * Ether(dst=O,src=P)/IPv6(src=B,dst=A,hlim=255)/ICMPv6ND_NA(R=0,S=1,O=1,
 * tgt=B)/ICMPv6NDOptDstLLAddr(lladdr=P)
 */
static const uint8_t v6_na_in[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00, 0x8a, 0x71, 0x60, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x02,
};

/*
 * Ether(dst=O,src=P)/IPv6(src="2001:db8:1::fe",dst=A,hlim=64)/
 * ICMPv6PacketTooBig(mtu=1400)/IPv6(src=A,dst=B,plen=1420)/TCP(sport=80,
 * dport=40000,seq=5,flags="A")
 */
static const uint8_t v6_ptb[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x44, 0x3a, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0xfe, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x2f, 0xe5, 0x00, 0x00,
	0x05, 0x78, 0x60, 0x00, 0x00, 0x00, 0x05, 0x8c, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x50, 0x9c, 0x40, 0x00, 0x00,
	0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x50, 0x10, 0x20, 0x00, 0x97, 0xca,
	0x00, 0x00,
};

/*
 * Ether(dst=P,src=O)/IPv6(src=A,dst=B,hlim=64)/TCP(sport=80,dport=40000,
 * seq=0x01020304,ack=0xdeadbef0,flags="SA",window=65160,options=[("MSS",
 * 1440),("SAckOK",b""),("Timestamp",(1000,123456789)),("NOP",None),
 * ("WScale",9)])
 */
static const uint8_t v6_synack[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x50, 0x9c, 0x40, 0x01, 0x02,
	0x03, 0x04, 0xde, 0xad, 0xbe, 0xf0, 0xa0, 0x12, 0xfe, 0x88, 0xd7, 0x76,
	0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00,
	0x03, 0xe8, 0x07, 0x5b, 0xcd, 0x15, 0x01, 0x03, 0x03, 0x09,
};

/*
 * Ether(dst=P,src=O)/IPv6(src=A,dst=B,hlim=255)/ICMPv6ND_NA(R=0,S=1,O=1,
 * tgt=A)/ICMPv6NDOptDstLLAddr(lladdr=O)
 */
static const uint8_t v6_na_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x88, 0x00, 0x8a, 0x73, 0x60, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x01,
};

/*
 * Ether(dst="33:33:00:00:00:01",src=O)/IPv6(src=A,dst="ff02::1",hlim=255)/
 * ICMPv6ND_NA(R=0,S=0,O=1,tgt=A)/ICMPv6NDOptDstLLAddr(lladdr=O)
 */
static const uint8_t v6_na_dad_reply[] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00, 0xf9, 0x2a, 0x20, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x01,
};

/*
 * Ether(dst="33:33:ff:00:00:02",src=O)/IPv6(src=A,dst="ff02::1:ff00:2",
 * hlim=255)/ICMPv6ND_NS(tgt=B)/ICMPv6NDOptSrcLLAddr(lladdr=O)
 */
static const uint8_t v6_ns_out[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x00, 0x00, 0x02, 0x87, 0x00, 0x1c, 0x27, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x01,
};

/*
 * Ether(dst=P,src=O)/IPv6(src=A,dst=B,hlim=64)/ICMPv6EchoReply(id=0x1234,
 * seq=1,data=b"abcdefgh")
 */
static const uint8_t v6_echo_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x81, 0x00, 0x7f, 0x75, 0x12, 0x34,
	0x00, 0x01, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};
/* clang-format on */

static enum net_drop
parse(const uint8_t *buf, uint32_t len, struct net_frame *f)
{
	return net_parse(buf, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, f);
}

/* Recompute the checksum of the ICMPv6 message at off (to len). */
static void
fix_icmp6(uint8_t *buf, uint32_t off, uint32_t len)
{
	uint32_t sum = net_ip6_pseudo_sum(buf + IP6 + 8, buf + IP6 + 24,
					  len - off, NET_IPPROTO_ICMPV6);

	buf[off + 2] = 0;
	buf[off + 3] = 0;
	sum = net_csum_fold(net_csum_partial(buf + off, len - off, sum));
	memcpy(buf + off + 2, &sum, 2);
}

/* Recompute the TCP checksum of the segment at off (to len). */
static void
fix_tcp6(uint8_t *buf, uint32_t off, uint32_t len)
{
	uint32_t sum = net_tcp6_pseudo_sum(buf + IP6 + 8, buf + IP6 + 24,
					   len - off);
	uint16_t c;

	buf[off + 16] = 0;
	buf[off + 17] = 0;
	c = net_csum_fold(net_csum_partial(buf + off, len - off, sum));
	memcpy(buf + off + 16, &c, 2);
}

static void
test_parse_tcp6(void **state)
{
	struct net_frame f;

	(void)state;
	assert_int_equal(parse(v6_syn, sizeof(v6_syn), &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.family, NET_FAMILY_IPV6);
	assert_int_equal(f.ttl, 64);
	assert_int_equal(f.l3_off, IP6);
	assert_int_equal(f.l3_len, sizeof(v6_syn) - IP6);
	assert_int_equal(f.l4_off, L4);
	assert_int_equal(f.saddr, 0);
	assert_int_equal(f.seg.saddr, 0);
	assert_ptr_equal(f.seg.saddr6, v6_syn + IP6 + 8);
	assert_ptr_equal(f.seg.daddr6, v6_syn + IP6 + 24);
	assert_memory_equal(f.seg.saddr6, addr_b, 16);
	assert_memory_equal(f.seg.daddr6, addr_a, 16);
	assert_int_equal(f.seg.sport, 40000);
	assert_int_equal(f.seg.dport, 80);
	assert_int_equal(f.seg.seq, 0xdeadbeef);
	assert_int_equal(f.seg.flags, NET_TCP_SYN);
	assert_int_equal(f.seg.opts.mss, 1440);
	assert_int_equal(f.seg.opts.wscale, 7);
	assert_int_equal(f.seg.opts.tsval, 123456789);
	assert_int_equal(f.seg.len, 0);

	assert_int_equal(parse(v6_vlan_data, sizeof(v6_vlan_data), &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.vlan, 42);
	assert_int_equal(f.ttl, 63);
	assert_int_equal(f.l3_off, IP6 + 4);
	assert_int_equal(f.seg.dport, 8080);
	assert_int_equal(f.seg.len, 18);
	assert_memory_equal(f.seg.data, "GET / HTTP/1.0\r\n\r\n", 18);
}

/* Ethernet padding after the payload is not part of the segment. */
static void
test_parse_padding(void **state)
{
	uint8_t buf[sizeof(v6_syn) + 6];
	struct net_frame f;

	(void)state;
	memcpy(buf, v6_syn, sizeof(v6_syn));
	memset(buf + sizeof(v6_syn), 0xee, 6);
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_NONE);
	assert_int_equal(f.seg.len, 0);
	assert_int_equal(f.l3_len, sizeof(v6_syn) - IP6);
}

static void
test_parse_ext(void **state)
{
	struct net_frame f;

	(void)state;
	assert_int_equal(parse(v6_ext_syn, sizeof(v6_ext_syn), &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.l4_off, L4 + 8 + 8 + 8);
	assert_int_equal(f.seg.sport, 40002);
	assert_int_equal(f.seg.flags, NET_TCP_SYN);
	assert_int_equal(parse(v6_frag, sizeof(v6_frag), &f),
			 NET_DROP_IP6_FRAG);
	/* RFC 6946: an atomic fragment is a whole packet. */
	assert_int_equal(parse(v6_atomic_frag, sizeof(v6_atomic_frag), &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.seg.sport, 40003);
}

/* Every prefix of a valid frame is dropped, never read past. */
static void
test_truncation(void **state)
{
	static const struct {
		const uint8_t *v;
		uint32_t len;
	} vs[] = {
		{ v6_syn, sizeof(v6_syn) },
		{ v6_vlan_data, sizeof(v6_vlan_data) },
		{ v6_ext_syn, sizeof(v6_ext_syn) },
		{ v6_echo, sizeof(v6_echo) },
		{ v6_ns, sizeof(v6_ns) },
		{ v6_na_in, sizeof(v6_na_in) },
		{ v6_ptb, sizeof(v6_ptb) },
	};
	struct net_frame f;
	uint32_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vs); i++) {
		for (n = 0; n < vs[i].len; n++) {
			uint8_t *b = malloc(n ? n : 1);

			memcpy(b, vs[i].v, n);
			assert_int_not_equal(parse(b, n, &f), NET_DROP_NONE);
			free(b);
		}
		assert_int_equal(parse(vs[i].v, vs[i].len, &f), NET_DROP_NONE);
	}
}

/* One change to a valid frame, and the reason it must be dropped for. */
struct mutation {
	const char *name;
	const uint8_t *v;
	uint32_t len;
	uint32_t off;
	uint8_t val;
	enum net_drop want;
	bool fix_icmp; /* recompute the ICMPv6 checksum at L4 */
};

/* clang-format off */
static const struct mutation mutations[] = {
	{ "version 4", v6_syn, sizeof(v6_syn), IP6, 0x40, NET_DROP_IP6_VERSION,
	  false },
	{ "payload length 0", v6_syn, sizeof(v6_syn), IP6 + 5, 0,
	  NET_DROP_IP6_PAYLEN, false },
	{ "payload length past the frame", v6_syn, sizeof(v6_syn), IP6 + 5,
	  0xff, NET_DROP_IP6_PAYLEN, false },
	{ "multicast source", v6_syn, sizeof(v6_syn), IP6 + 8, 0xff,
	  NET_DROP_IP6_BAD_SRC, false },
	{ "UDP", v6_syn, sizeof(v6_syn), IP6 + 6, 17, NET_DROP_IP6_NEXTHDR,
	  false },
	{ "no next header", v6_syn, sizeof(v6_syn), IP6 + 6, 59,
	  NET_DROP_IP6_NEXTHDR, false },
	{ "ESP", v6_syn, sizeof(v6_syn), IP6 + 6, 50, NET_DROP_IP6_NEXTHDR,
	  false },
	{ "TCP checksum", v6_syn, sizeof(v6_syn), L4 + 16, 0,
	  NET_DROP_TCP_CSUM, false },
	{ "TCP data offset", v6_syn, sizeof(v6_syn), L4 + 12, 0x40,
	  NET_DROP_TCP_DOFF, false },
	/* v6_ext_syn: HBH at 54, DestOpt at 62, Routing at 70, TCP at 78. */
	{ "routing segments left", v6_ext_syn, sizeof(v6_ext_syn), 73, 1,
	  NET_DROP_IP6_EXTHDR, false },
	{ "hop-by-hop not first", v6_ext_syn, sizeof(v6_ext_syn), 54, 0,
	  NET_DROP_IP6_EXTHDR, false },
	{ "ext length past the payload", v6_ext_syn, sizeof(v6_ext_syn), 63,
	  9, NET_DROP_IP6_EXTHDR, false },
	{ "option must discard", v6_ext_syn, sizeof(v6_ext_syn), 64, 0x41,
	  NET_DROP_IP6_EXT_OPT, false },
	{ "option past its header", v6_ext_syn, sizeof(v6_ext_syn), 65, 5,
	  NET_DROP_IP6_EXT_OPT, false },
	{ "fragment offset", v6_atomic_frag, sizeof(v6_atomic_frag), 56, 1,
	  NET_DROP_IP6_FRAG, false },
	{ "ICMPv6 checksum", v6_echo, sizeof(v6_echo), L4 + 2, 0,
	  NET_DROP_ICMP6_CSUM, false },
	{ "echo reply", v6_echo, sizeof(v6_echo), L4, NET_ICMP6_ECHO_REPLY,
	  NET_DROP_ICMP6_TYPE, true },
	{ "router advertisement", v6_echo, sizeof(v6_echo), L4, 134,
	  NET_DROP_ICMP6_TYPE, true },
	{ "redirect", v6_echo, sizeof(v6_echo), L4, 137, NET_DROP_ICMP6_TYPE,
	  true },
	{ "NS hop limit", v6_ns, sizeof(v6_ns), IP6 + 7, 254,
	  NET_DROP_ND_HOP_LIMIT, true },
	{ "NS code", v6_ns, sizeof(v6_ns), L4 + 1, 1, NET_DROP_ND_MALFORMED,
	  true },
	{ "NS multicast target", v6_ns, sizeof(v6_ns), L4 + 8, 0xff,
	  NET_DROP_ND_MALFORMED, true },
	{ "NS option length 0", v6_ns, sizeof(v6_ns), L4 + 25, 0,
	  NET_DROP_ND_OPT, true },
	{ "NS option past the message", v6_ns, sizeof(v6_ns), L4 + 25, 2,
	  NET_DROP_ND_OPT, true },
	{ "NA hop limit", v6_na_in, sizeof(v6_na_in), IP6 + 7, 1,
	  NET_DROP_ND_HOP_LIMIT, true },
	{ "NA multicast target", v6_na_in, sizeof(v6_na_in), L4 + 8, 0xff,
	  NET_DROP_ND_MALFORMED, true },
	{ "NA solicited to multicast", v6_na_in, sizeof(v6_na_in), IP6 + 24,
	  0xff, NET_DROP_ND_MALFORMED, true },
	{ "DAD NS to a unicast address", v6_ns_dad, sizeof(v6_ns_dad),
	  IP6 + 24, 0x20, NET_DROP_ND_UNSPEC_SRC, true },
};
/* clang-format on */

static void
test_mutations(void **state)
{
	uint8_t buf[256];
	struct net_frame f;
	uint32_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(mutations); i++) {
		const struct mutation *m = &mutations[i];

		memcpy(buf, m->v, m->len);
		buf[m->off] = m->val;
		if (m->fix_icmp)
			fix_icmp6(buf, L4, m->len);
		print_message("%s\n", m->name);
		assert_int_equal(parse(buf, m->len, &f), m->want);
	}
}

/* Sources no packet may carry; TCP from :: too. */
static void
test_bad_sources(void **state)
{
	static const uint8_t lo[16] = { [15] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 198,
					    18,		 0,	      2 };
	static const uint8_t unspec[16];
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 2 };
	const uint8_t *bad[] = { lo, mapped, unspec };
	uint8_t buf[sizeof(v6_syn)];
	struct net_frame f;
	uint32_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(buf, v6_syn, sizeof(buf));
		memcpy(buf + IP6 + 8, bad[i], 16);
		fix_tcp6(buf, L4, sizeof(buf));
		assert_int_equal(parse(buf, sizeof(buf), &f),
				 NET_DROP_IP6_BAD_SRC);
	}
	/* Link-local to a global address: legal on the link. */
	memcpy(buf, v6_syn, sizeof(buf));
	memcpy(buf + IP6 + 8, ll, 16);
	fix_tcp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_NONE);
}

/* A chain of n Destination Options headers in front of the SYN. */
static uint32_t
ext_chain(uint8_t *buf, unsigned int n)
{
	uint32_t tcp_len = sizeof(v6_syn) - L4, off = L4, i;
	uint16_t plen = (uint16_t)(8 * n + tcp_len);

	memcpy(buf, v6_syn, L4);
	buf[IP6 + 4] = (uint8_t)(plen >> 8);
	buf[IP6 + 5] = (uint8_t)plen;
	buf[IP6 + 6] = 60;
	for (i = 0; i < n; i++, off += 8) {
		memset(buf + off, 0, 8);
		buf[off] = i + 1 < n ? 60 : NET_IPPROTO_TCP;
		buf[off + 2] = 1; /* PadN of 4 bytes */
		buf[off + 3] = 4;
	}
	memcpy(buf + off, v6_syn + L4, tcp_len);
	fix_tcp6(buf, off, off + tcp_len);
	return off + tcp_len;
}

static void
test_ext_chain_cap(void **state)
{
	uint8_t buf[512];
	struct net_frame f;
	uint32_t len;

	(void)state;
	len = ext_chain(buf, NET_IP6_EXT_MAX);
	assert_int_equal(parse(buf, len, &f), NET_DROP_NONE);
	assert_int_equal(f.l4_off, L4 + 8 * NET_IP6_EXT_MAX);
	len = ext_chain(buf, NET_IP6_EXT_MAX + 1);
	assert_int_equal(parse(buf, len, &f), NET_DROP_IP6_EXT_CHAIN);
	/* A chain that stops short of its last header's 8 bytes. */
	len = ext_chain(buf, 2);
	buf[IP6 + 4] = 0;
	buf[IP6 + 5] = 12;
	assert_int_equal(parse(buf, len, &f), NET_DROP_IP6_EXTHDR);
}

/*
 * The SYN behind one Hop-by-Hop (type 0) or Destination Options (60)
 * header holding the n bytes of options at opt (2 + n a multiple of 8).
 */
static uint32_t
opts_hdr(uint8_t *buf, uint8_t type, const uint8_t *opt, uint32_t n)
{
	uint32_t tcp_len = sizeof(v6_syn) - L4, hlen = 2 + n;
	uint16_t plen = (uint16_t)(hlen + tcp_len);

	memcpy(buf, v6_syn, L4);
	buf[IP6 + 4] = (uint8_t)(plen >> 8);
	buf[IP6 + 5] = (uint8_t)plen;
	buf[IP6 + 6] = type;
	buf[L4] = NET_IPPROTO_TCP;
	buf[L4 + 1] = (uint8_t)(hlen / 8 - 1);
	memcpy(buf + L4 + 2, opt, n);
	memcpy(buf + L4 + hlen, v6_syn + L4, tcp_len);
	return L4 + hlen + tcp_len;
}

/*
 * RFC 8504 5.3 and RFC 4942 2.1.9.5, as Linux's ip6_parse_tlv(): at
 * most 7 bytes of padding in a row (Pad1 and PadN), PadN carrying
 * zeros, at most 8 other options in a header. Without those bounds a
 * header is up to 2 KB of Pad1 walked a byte at a time, eight times
 * over in a chain, for every packet a peer sends.
 */
static void
test_ext_opt_bounds(void **state)
{
	/* clang-format off */
	static const struct {
		const char *name;
		uint8_t opt[30];
		uint32_t n;
		enum net_drop want;
	} cases[] = {
		{ "6 Pad1", { 0 }, 6, NET_DROP_NONE },
		{ "14 Pad1", { 0 }, 14, NET_DROP_IP6_EXT_OPT },
		{ "PadN of 7, Pad1 of 7", { 1, 5, [7] = 0 }, 14,
		  NET_DROP_IP6_EXT_OPT },
		{ "PadN of 14", { 1, 12 }, 14, NET_DROP_IP6_EXT_OPT },
		{ "PadN of 6 with data", { 1, 4, 0, 0, 0, 1 }, 6,
		  NET_DROP_IP6_EXT_OPT },
		/* A skippable option between two runs of 6 starts anew. */
		{ "Pad1 6, option, Pad1 6", { [6] = 0x1e, 0 }, 14,
		  NET_DROP_NONE },
		/* What RFC 8200 4.2 senders put there: all taken. */
		{ "Router Alert, PadN of 2", { 5, 2, 0, 0, 1, 0 }, 6,
		  NET_DROP_NONE },
		{ "PadN of 6", { 1, 4 }, 6, NET_DROP_NONE },
		{ "Pad1 7, option", { [7] = 0x1e, 5 }, 14, NET_DROP_NONE },
		{ "PadN of 7, option", { 1, 5, [7] = 0x1e, 5 }, 14,
		  NET_DROP_NONE },
		{ "PadN of 2, Pad1 5, option", { 1, 0, [7] = 0x1e, 5 }, 14,
		  NET_DROP_NONE },
		{ "Pad1 8, option", { [8] = 0x1e, 4 }, 14,
		  NET_DROP_IP6_EXT_OPT },
		{ "8 options", { 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0,
				 0x1e, 0, 0x1e, 0, 0x1e, 0, 1, 4 }, 22,
		  NET_DROP_NONE },
		{ "9 options", { 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0,
				 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 1, 2 },
		  22, NET_DROP_IP6_EXT_OPT },
	};
	/* clang-format on */
	static const uint8_t types[] = { 0, 60 };
	uint8_t buf[256];
	struct net_frame f;
	uint32_t i, t, len;

	(void)state;
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			print_message("%s in %u\n", cases[i].name,
				      (unsigned int)types[t]);
			len = opts_hdr(buf, types[t], cases[i].opt, cases[i].n);
			assert_string_equal(net_drop_name(parse(buf, len, &f)),
					    net_drop_name(cases[i].want));
		}
	}
}

static void
test_parse_icmp6(void **state)
{
	struct net_frame f;

	(void)state;
	assert_int_equal(parse(v6_echo, sizeof(v6_echo), &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP6_ECHO);
	assert_int_equal(f.family, NET_FAMILY_IPV6);
	assert_int_equal(f.l4_len, 16);
	assert_int_equal(parse(v6_echo_dst, sizeof(v6_echo_dst), &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP6_ECHO);
	assert_int_equal(f.l4_off, L4 + 8);
	assert_int_equal(parse(v6_ptb, sizeof(v6_ptb), &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP6_PTB);
	assert_int_equal(f.icmp_mtu, 1400);
}

/*
 * RFC 8201 4: a Packet Too Big below 1280 is reported as it came; the
 * TCP layer keeps to 1280 (tcp_pmtu_input(), test_tcp_pmtu.c), the one
 * place the floors are.
 */
static void
test_ptb_raw_mtu(void **state)
{
	uint8_t buf[sizeof(v6_ptb)];
	struct net_frame f;

	(void)state;
	memcpy(buf, v6_ptb, sizeof(buf));
	buf[L4 + 6] = 0x01; /* MTU 0x100 = 256 */
	buf[L4 + 7] = 0x00;
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_mtu, 256);
}

/* The invoking packet, turned around as the peer's segment. */
static void
test_ptb_quote(void **state)
{
	struct net_frame f;
	struct net_seg q;

	(void)state;
	assert_int_equal(parse(v6_ptb, sizeof(v6_ptb), &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_quote_off, L4 + 8);
	net_icmp_quote_seg(v6_ptb, &f, &q);
	assert_ptr_equal(q.saddr6, v6_ptb + L4 + 8 + 24);
	assert_ptr_equal(q.daddr6, v6_ptb + L4 + 8 + 8);
	assert_int_equal(q.saddr, 0);
	assert_int_equal(q.sport, 40000);
	assert_int_equal(q.dport, 80);
	assert_int_equal(q.seq, 5);
	/* The outer addresses stay where the for-us checks read them. */
	assert_ptr_equal(f.seg.saddr6, v6_ptb + IP6 + 8);
	assert_ptr_equal(f.seg.daddr6, v6_ptb + IP6 + 24);
}

/*
 * A quote too short for the TCP ports and sequence number (cut at every
 * length, the lengths and checksum kept right), of another protocol or
 * IP version, and a bad checksum: each refused by its reason.
 */
static void
test_ptb_bad(void **state)
{
	uint8_t buf[sizeof(v6_ptb)];
	struct net_frame f;
	uint32_t cut, n;

	(void)state;
	for (cut = 1; cut <= 20 + 40; cut++) {
		memcpy(buf, v6_ptb, sizeof(buf));
		n = sizeof(buf) - cut;
		buf[IP6 + 5] = (uint8_t)(0x44 - cut);
		fix_icmp6(buf, L4, n);
		assert_int_equal(parse(buf, n, &f),
				 cut <= 12 ? NET_DROP_NONE :
					     NET_DROP_ICMP6_QUOTE);
	}
	memcpy(buf, v6_ptb, sizeof(buf));
	buf[L4 + 8 + 6] = NET_IPPROTO_ICMPV6;
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_ICMP6_QUOTE);
	memcpy(buf, v6_ptb, sizeof(buf));
	buf[L4 + 8] = 0x40;
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_ICMP6_QUOTE);
	memcpy(buf, v6_ptb, sizeof(buf));
	buf[sizeof(buf) - 1] ^= 1;
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_ICMP6_CSUM);
}

static void
test_parse_nd(void **state)
{
	struct net_frame f;

	(void)state;
	assert_int_equal(parse(v6_ns, sizeof(v6_ns), &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NS);
	assert_memory_equal(v6_ns + f.nd_target_off, addr_a, 16);
	assert_int_not_equal(f.nd_lladdr_off, 0);
	assert_memory_equal(v6_ns + f.nd_lladdr_off, peer_mac, 6);
	assert_true(net_ip6_for_us(&f, addr_a));
	assert_false(net_ip6_for_us(&f, addr_b));

	assert_int_equal(parse(v6_ns_dad, sizeof(v6_ns_dad), &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NS);
	assert_int_equal(f.nd_lladdr_off, 0);
	assert_true(net_ip6_is_unspec(f.seg.saddr6));

	assert_int_equal(parse(v6_na_in, sizeof(v6_na_in), &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NA);
	assert_int_equal(f.nd_flags, NET_ND_SOLICITED | NET_ND_OVERRIDE);
	assert_memory_equal(v6_na_in + f.nd_target_off, addr_b, 16);
	assert_memory_equal(v6_na_in + f.nd_lladdr_off, peer_mac, 6);
	assert_true(net_ip6_for_us(&f, addr_a));
}

/* RFC 4861 7.1.1: a DAD probe carries no source link-layer option. */
static void
test_nd_dad_slla(void **state)
{
	uint8_t buf[sizeof(v6_ns)];
	struct net_frame f;

	(void)state;
	memcpy(buf, v6_ns, sizeof(buf));
	memset(buf + IP6 + 8, 0, 16);
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_ND_UNSPEC_SRC);
}

/* Only a DAD solicitation may come from ::, never an advertisement. */
static void
test_na_unspec_src(void **state)
{
	uint8_t buf[sizeof(v6_na_in)];
	struct net_frame f;

	(void)state;
	memcpy(buf, v6_na_in, sizeof(buf));
	memset(buf + IP6 + 8, 0, 16);
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_IP6_BAD_SRC);
}

/* ND options: unknown ones skipped; a link-layer option of 2 units bad. */
static void
test_nd_options(void **state)
{
	uint8_t buf[sizeof(v6_ns) + 16];
	struct net_frame f;
	uint32_t len = sizeof(v6_ns) + 8;

	(void)state;
	memcpy(buf, v6_ns, sizeof(v6_ns));
	/* A nonce option (RFC 3971, type 14) after the SLLA. */
	memset(buf + sizeof(v6_ns), 0, 8);
	buf[sizeof(v6_ns)] = 14;
	buf[sizeof(v6_ns) + 1] = 1;
	buf[IP6 + 5] += 8;
	fix_icmp6(buf, L4, len);
	assert_int_equal(parse(buf, len, &f), NET_DROP_NONE);
	assert_int_equal(f.nd_lladdr_off, L4 + 26);
	/* The SLLA claims 16 bytes. */
	memcpy(buf, v6_ns, sizeof(v6_ns));
	memset(buf + sizeof(v6_ns), 0, 8);
	buf[L4 + 25] = 2;
	buf[IP6 + 5] += 8;
	fix_icmp6(buf, L4, len);
	assert_int_equal(parse(buf, len, &f), NET_DROP_ND_OPT);
	/* Shorter than the 24-byte message. */
	memcpy(buf, v6_ns, sizeof(v6_ns));
	buf[IP6 + 5] = 20;
	fix_icmp6(buf, L4, L4 + 20);
	assert_int_equal(parse(buf, L4 + 20, &f), NET_DROP_ND_MALFORMED);
}

/*
 * v (an ICMPv6 message right after the IPv6 header) into buf with an
 * atomic Fragment header (offset 0, M clear) in front of the message; the
 * ICMPv6 checksum does not cover it. Returns the new length.
 */
static uint32_t
nd_in_atomic_frag(uint8_t *buf, const uint8_t *v, uint32_t len)
{
	static const uint8_t frag[8] = {
		NET_IPPROTO_ICMPV6, 0, 0, 0, 0, 0, 0, 7
	};

	memcpy(buf, v, L4);
	memcpy(buf + L4, frag, sizeof(frag));
	memcpy(buf + L4 + 8, v + L4, len - L4);
	buf[IP6 + 6] = 44;
	buf[IP6 + 5] += 8;
	return len + 8;
}

/*
 * RFC 6980 5: Neighbor Discovery in a packet with a Fragment header,
 * even an atomic fragment, is ignored (ip6_frag), as Linux's
 * suppress_frag_ndisc does; an atomic fragment stays a whole packet for
 * anything else (RFC 6946).
 */
static void
test_nd_atomic_frag(void **state)
{
	uint8_t buf[256];
	struct net_frame f;
	uint32_t n;

	(void)state;
	n = nd_in_atomic_frag(buf, v6_ns, sizeof(v6_ns));
	assert_string_equal(net_drop_name(parse(buf, n, &f)),
			    net_drop_name(NET_DROP_IP6_FRAG));
	n = nd_in_atomic_frag(buf, v6_ns_dad, sizeof(v6_ns_dad));
	assert_string_equal(net_drop_name(parse(buf, n, &f)),
			    net_drop_name(NET_DROP_IP6_FRAG));
	n = nd_in_atomic_frag(buf, v6_na_in, sizeof(v6_na_in));
	assert_string_equal(net_drop_name(parse(buf, n, &f)),
			    net_drop_name(NET_DROP_IP6_FRAG));
	/* The same header in front of an echo request: answered. */
	n = nd_in_atomic_frag(buf, v6_echo, sizeof(v6_echo));
	assert_int_equal(parse(buf, n, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP6_ECHO);
	assert_int_equal(f.l4_off, L4 + 8);
}

static void
test_for_us(void **state)
{
	struct net_frame f;
	uint8_t buf[sizeof(v6_echo)];

	(void)state;
	assert_int_equal(parse(v6_echo, sizeof(v6_echo), &f), NET_DROP_NONE);
	assert_true(net_ip6_for_us(&f, addr_a));
	assert_false(net_ip6_for_us(&f, addr_b));
	/* No echo replies to all-nodes. */
	memcpy(buf, v6_echo, sizeof(buf));
	memcpy(buf + IP6 + 24, net_ip6_all_nodes, 16);
	fix_icmp6(buf, L4, sizeof(buf));
	assert_int_equal(parse(buf, sizeof(buf), &f), NET_DROP_NONE);
	assert_false(net_ip6_for_us(&f, addr_a));
	/* IPv4 frames never are. */
	memset(&f, 0, sizeof(f));
	assert_false(net_ip6_for_us(&f, addr_a));
}

/* The folded pseudo-header sum, host order. */
static uint16_t
psum16(const char *src, const char *dst, uint32_t len, uint8_t nh)
{
	uint8_t s[16], d[16];

	assert_int_equal(net_ipv6_parse(src, s), 0);
	assert_int_equal(net_ipv6_parse(dst, d), 0);
	return ntohs(
		(uint16_t)~net_csum_fold(net_ip6_pseudo_sum(s, d, len, nh)));
}

/*
 * RFC 8200 8.1. The expected values were computed once in Python, as the
 * one's complement sum of the 16-bit words of src + dst +
 * struct.pack("!IxxxB", len, nh), folded; the frames' checksums by Scapy.
 */
static void
test_pseudo_sum6(void **state)
{
	static const struct {
		const uint8_t *v;
		uint32_t len;
		uint32_t l4;
		uint8_t nh;
	} fr[] = {
		{ v6_syn, sizeof(v6_syn), L4, NET_IPPROTO_TCP },
		{ v6_ext_syn, sizeof(v6_ext_syn), L4 + 24, NET_IPPROTO_TCP },
		{ v6_echo, sizeof(v6_echo), L4, NET_IPPROTO_ICMPV6 },
		{ v6_ns, sizeof(v6_ns), L4, NET_IPPROTO_ICMPV6 },
		{ v6_ns_dad, sizeof(v6_ns_dad), L4, NET_IPPROTO_ICMPV6 },
		{ v6_na_in, sizeof(v6_na_in), L4, NET_IPPROTO_ICMPV6 },
		{ v6_ptb, sizeof(v6_ptb), L4, NET_IPPROTO_ICMPV6 },
	};
	uint32_t i, sum;

	(void)state;
	assert_int_equal(psum16("2001:db8::2", "2001:db8::1", 40, 6), 0x5ba3);
	assert_int_equal(psum16("fe80::200:f8ff:fe21:67cf", "ff02::1:ff21:67cf",
				0x10001, 58),
			 0xc5a3);
	assert_int_equal(psum16("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
				"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
				0xffffffffu, 255),
			 0xff);
	for (i = 0; i < ARRAY_SIZE(fr); i++) {
		sum = net_ip6_pseudo_sum(fr[i].v + IP6 + 8, fr[i].v + IP6 + 24,
					 fr[i].len - fr[i].l4, fr[i].nh);
		assert_int_equal(net_csum_fold(
					 net_csum_partial(fr[i].v + fr[i].l4,
							  fr[i].len - fr[i].l4,
							  sum)),
				 0);
	}
	/* The TCP shorthand is the same sum. */
	assert_int_equal(net_tcp6_pseudo_sum(addr_a, addr_b, 20),
			 net_ip6_pseudo_sum(addr_a, addr_b, 20, 6));
}

/* The SYN-ACK of v6_synack, as the TCP layer would describe it. */
static void
synack_build(struct net_tcp_build *b)
{
	memset(b, 0, sizeof(*b));
	b->src_mac = our_mac;
	b->dst_mac = peer_mac;
	b->saddr6 = addr_a;
	b->daddr6 = addr_b;
	b->sport = 80;
	b->dport = 40000;
	b->seq = 0x01020304;
	b->ack = 0xdeadbef0;
	b->wnd = 65160;
	b->flags = NET_TCP_SYN | NET_TCP_ACK;
	b->opts.has = NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS |
		NET_OPT_WSCALE;
	b->opts.mss = 1440;
	b->opts.tsval = 1000;
	b->opts.tsecr = 123456789;
	b->opts.wscale = 9;
}

static void
test_build_tcp6(void **state)
{
	struct net_tcp_build b;
	uint8_t buf[256];
	uint32_t h;

	(void)state;
	synack_build(&b);
	h = net_build_tcp(buf, sizeof(buf), &b);
	assert_int_equal(h, sizeof(v6_synack));
	net_tcp_finish(buf, false);
	assert_memory_equal(buf, v6_synack, sizeof(v6_synack));
	/* Room for the headers, not one byte less. */
	assert_int_equal(net_build_tcp(buf, h - 1, &b), 0);
	b.payload_len = 10;
	assert_int_equal(net_build_tcp(buf, h + 9, &b), 0);
	assert_int_equal(net_build_tcp(buf, h + 10, &b), h);
	b.payload_len = 0xffff;
	assert_int_equal(net_build_tcp(buf, sizeof(buf), &b), 0);
}

/* Offload: the pseudo-header sum, folded and not complemented. */
static void
test_finish6_offload(void **state)
{
	struct net_tcp_build b;
	uint8_t buf[256];
	uint32_t h, sum;
	uint16_t c;

	(void)state;
	synack_build(&b);
	h = net_build_tcp(buf, sizeof(buf), &b);
	net_tcp_finish(buf, true);
	memcpy(&c, buf + L4 + 16, 2);
	sum = net_tcp6_pseudo_sum(addr_a, addr_b, h - L4);
	assert_int_equal(c, (uint16_t)~net_csum_fold(sum));
	/* What the device then computes gives Scapy's checksum. */
	c = net_csum_fold(net_csum_partial(buf + L4, h - L4, 0));
	memcpy(buf + L4 + 16, &c, 2);
	assert_memory_equal(buf, v6_synack, sizeof(v6_synack));
}

/* Tagged, with a payload and a hop limit: parses back the same. */
static void
test_build6_roundtrip(void **state)
{
	struct net_tcp_build b;
	struct net_frame f;
	uint8_t buf[512];
	uint32_t h, i;

	(void)state;
	synack_build(&b);
	b.vlan = 42;
	b.ttl = 255;
	b.flags = NET_TCP_ACK | NET_TCP_PSH;
	b.opts.has = NET_OPT_TS | NET_OPT_SACK;
	b.opts.nsack = 2;
	b.opts.sack[0].start = 1;
	b.opts.sack[0].end = 2;
	b.opts.sack[1].start = 5;
	b.opts.sack[1].end = 9;
	b.payload_len = 300;
	h = net_build_tcp(buf, sizeof(buf), &b);
	assert_int_not_equal(h, 0);
	for (i = 0; i < 300; i++)
		buf[h + i] = (uint8_t)i;
	net_tcp_finish(buf, false);
	assert_int_equal(parse(buf, h + 300, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.family, NET_FAMILY_IPV6);
	assert_int_equal(f.vlan, 42);
	assert_int_equal(f.ttl, 255);
	assert_memory_equal(f.seg.saddr6, addr_a, 16);
	assert_memory_equal(f.seg.daddr6, addr_b, 16);
	assert_int_equal(f.seg.len, 300);
	assert_int_equal(f.seg.data[299], (uint8_t)299);
	assert_int_equal(f.seg.opts.nsack, 2);
	assert_int_equal(f.seg.opts.sack[1].end, 9);
	assert_int_equal(f.seg.flags, NET_TCP_ACK | NET_TCP_PSH);
	/* Default hop limit. */
	b.ttl = 0;
	b.vlan = 0;
	h = net_build_tcp(buf, sizeof(buf), &b);
	assert_int_equal(buf[IP6 + 7], 64);
	/* IPv4 is untouched by the IPv6 fields when they are NULL. */
	b.saddr6 = NULL;
	b.daddr6 = NULL;
	b.saddr = 0xc6120001u;
	b.daddr = 0xc6120002u;
	h = net_build_tcp(buf, sizeof(buf), &b);
	net_tcp_finish(buf, false);
	assert_int_equal(parse(buf, h + 300, &f), NET_DROP_NONE);
	assert_int_equal(f.family, NET_FAMILY_IPV4);
	assert_int_equal(f.seg.saddr, 0xc6120001u);
}

static void
test_mss6(void **state)
{
	(void)state;
	assert_int_equal(net_tcp_mss6(1500), 1440);
	assert_int_equal(net_tcp_mss4(1500), 1460);
	assert_int_equal(net_tcp_mss6(NET_IPV6_MIN_MTU), 1220);
}

static void
test_nd_addrs(void **state)
{
	uint8_t sol[16], mac[6], want[16];
	static const uint8_t want_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };

	(void)state;
	net_ip6_solicited_node(addr_a, sol);
	assert_int_equal(net_ipv6_parse("ff02::1:ff00:1", want), 0);
	assert_memory_equal(sol, want, 16);
	assert_true(net_ip6_is_solicited_node(sol));
	assert_false(net_ip6_is_solicited_node(addr_a));
	assert_false(net_ip6_is_solicited_node(net_ip6_all_nodes));
	net_ip6_mcast_mac(sol, mac);
	assert_memory_equal(mac, want_mac, 6);
	assert_int_equal(net_ipv6_parse("2001:db8::aa:bccd:eeff", want), 0);
	net_ip6_solicited_node(want, sol);
	assert_int_equal(sol[12], 0xff);
	assert_int_equal(sol[13], 0xcd);
	assert_int_equal(sol[15], 0xff);
}

static void
test_build_ns(void **state)
{
	uint8_t buf[128];
	struct net_frame f;
	uint32_t n;

	(void)state;
	n = net_build_ns(buf, sizeof(buf), 0, our_mac, NULL, addr_a, addr_b);
	assert_int_equal(n, sizeof(v6_ns_out));
	assert_memory_equal(buf, v6_ns_out, n);
	assert_int_equal(net_build_ns(buf, n - 1, 0, our_mac, NULL, addr_a,
				      addr_b),
			 0);
	/* A unicast probe, tagged: parses back as a valid NS. */
	n = net_build_ns(buf, sizeof(buf), 9, our_mac, peer_mac, addr_a,
			 addr_b);
	assert_int_equal(n, sizeof(v6_ns_out) + 4);
	assert_int_equal(parse(buf, n, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NS);
	assert_int_equal(f.vlan, 9);
	assert_memory_equal(f.dst_mac, peer_mac, 6);
	assert_memory_equal(f.seg.daddr6, addr_b, 16);
	assert_memory_equal(buf + f.nd_target_off, addr_b, 16);
	assert_memory_equal(buf + f.nd_lladdr_off, our_mac, 6);
}

static void
test_na_reply(void **state)
{
	uint8_t buf[128], ns[128];
	struct net_frame f;
	uint32_t n;

	(void)state;
	assert_int_equal(parse(v6_ns, sizeof(v6_ns), &f), NET_DROP_NONE);
	n = net_nd_na_reply(buf, sizeof(buf), v6_ns, &f, our_mac);
	assert_int_equal(n, sizeof(v6_na_reply));
	assert_memory_equal(buf, v6_na_reply, n);
	/* In place, in the solicitation's own buffer. */
	memcpy(ns, v6_ns, sizeof(v6_ns));
	assert_int_equal(parse(ns, sizeof(v6_ns), &f), NET_DROP_NONE);
	n = net_nd_na_reply(ns, sizeof(ns), ns, &f, our_mac);
	assert_memory_equal(ns, v6_na_reply, n);
	assert_int_equal(net_nd_na_reply(buf, n - 1, v6_ns, &f, our_mac), 0);
	/* The answer parses as a valid advertisement. */
	assert_int_equal(parse(ns, n, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NA);
	assert_int_equal(f.nd_flags, NET_ND_SOLICITED | NET_ND_OVERRIDE);
	/* DAD: to all-nodes, not solicited. */
	assert_int_equal(parse(v6_ns_dad, sizeof(v6_ns_dad), &f),
			 NET_DROP_NONE);
	n = net_nd_na_reply(buf, sizeof(buf), v6_ns_dad, &f, our_mac);
	assert_int_equal(n, sizeof(v6_na_dad_reply));
	assert_memory_equal(buf, v6_na_dad_reply, n);
	/* Not an NS. */
	assert_int_equal(parse(v6_syn, sizeof(v6_syn), &f), NET_DROP_NONE);
	assert_int_equal(net_nd_na_reply(buf, sizeof(buf), v6_syn, &f, our_mac),
			 0);
}

/*
 * RFC 4861 7.2.6: the defence of our address is an unsolicited
 * advertisement to all-nodes, Override set and Solicited clear, with our
 * MAC as target link-layer address; it parses as a valid one.
 */
static void
test_na_announce(void **state)
{
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t buf[128];
	struct net_frame f;
	uint32_t n;

	(void)state;
	n = net_nd_na_announce(buf, sizeof(buf), 0, our_mac, addr_b);
	assert_int_equal(n, NET_ETH_HLEN + NET_IPV6_HLEN + NET_ND_NA_LEN);
	assert_memory_equal(buf, all_nodes_mac, 6);
	assert_memory_equal(buf + 6, our_mac, 6);
	assert_int_equal(parse(buf, n, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NA);
	assert_int_equal(f.nd_flags, NET_ND_OVERRIDE);
	assert_int_equal(f.ttl, 255);
	assert_memory_equal(f.seg.saddr6, addr_b, 16);
	assert_memory_equal(f.seg.daddr6, net_ip6_all_nodes, 16);
	assert_memory_equal(buf + f.nd_target_off, addr_b, 16);
	assert_int_not_equal(f.nd_lladdr_off, 0);
	assert_memory_equal(buf + f.nd_lladdr_off, our_mac, 6);
	assert_int_equal(net_nd_na_announce(buf, n - 1, 0, our_mac, addr_b), 0);
}

/* No source link-layer option: the answer goes to the frame's MAC. */
static void
test_na_reply_no_slla(void **state)
{
	static const uint8_t other[6] = { 2, 0, 0, 0, 0, 7 };
	uint8_t buf[128], ns[128];
	struct net_frame f;
	uint32_t n;

	(void)state;
	memcpy(ns, v6_ns, sizeof(v6_ns));
	memcpy(ns + 6, other, 6);
	ns[IP6 + 5] = 24;
	fix_icmp6(ns, L4, L4 + 24);
	assert_int_equal(parse(ns, L4 + 24, &f), NET_DROP_NONE);
	assert_int_equal(f.nd_lladdr_off, 0);
	n = net_nd_na_reply(buf, sizeof(buf), ns, &f, our_mac);
	assert_int_not_equal(n, 0);
	assert_memory_equal(buf, other, 6);
	assert_int_equal(parse(buf, n, &f), NET_DROP_NONE);
	assert_memory_equal(f.seg.daddr6, addr_b, 16);
}

/*
 * A Neighbor Solicitation from a group Ethernet source is dropped
 * (eth_group_src): without a source link-layer option its advertisement
 * went to that group address, to every station of it.
 */
static void
test_ns_group_src(void **state)
{
	static const uint8_t group[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t ns[128];
	struct net_frame f;

	(void)state;
	memcpy(ns, v6_ns, sizeof(v6_ns));
	memcpy(ns + 6, group, 6);
	ns[IP6 + 5] = 24;
	fix_icmp6(ns, L4, L4 + 24);
	assert_string_equal(net_drop_name(parse(ns, L4 + 24, &f)),
			    net_drop_name(NET_DROP_ETH_GROUP_SRC));
}

/*
 * A solicitation is answered at the MAC of its source link-layer
 * option: one naming a broadcast or multicast MAC is dropped
 * (eth_group_src), whose advertisement would reach the whole group.
 */
static void
test_ns_group_slla(void **state)
{
	static const uint8_t group[][NET_ETH_ALEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x33, 0x33, 0, 0, 0, 1 },
	};
	uint8_t ns[sizeof(v6_ns)];
	struct net_frame f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(group); i++) {
		memcpy(ns, v6_ns, sizeof(v6_ns));
		memcpy(ns + L4 + 26, group[i], NET_ETH_ALEN);
		fix_icmp6(ns, L4, sizeof(ns));
		assert_string_equal(net_drop_name(parse(ns, sizeof(ns), &f)),
				    net_drop_name(NET_DROP_ETH_GROUP_SRC));
	}
	assert_int_equal(parse(v6_ns, sizeof(v6_ns), &f), NET_DROP_NONE);
}

static void
test_echo6_reply(void **state)
{
	uint8_t buf[256];
	struct net_frame f;
	uint32_t n;

	(void)state;
	memcpy(buf, v6_echo, sizeof(v6_echo));
	assert_int_equal(parse(buf, sizeof(v6_echo), &f), NET_DROP_NONE);
	n = net_icmp6_echo_reply(buf, &f, our_mac);
	assert_int_equal(n, sizeof(v6_echo_reply));
	assert_memory_equal(buf, v6_echo_reply, n);
	/* Padding after the request is not sent back. */
	memcpy(buf, v6_echo, sizeof(v6_echo));
	memset(buf + sizeof(v6_echo), 0xee, 10);
	assert_int_equal(parse(buf, sizeof(v6_echo) + 10, &f), NET_DROP_NONE);
	assert_int_equal(net_icmp6_echo_reply(buf, &f, our_mac),
			 sizeof(v6_echo_reply));
	/* The request's Destination Options header is not sent back. */
	memcpy(buf, v6_echo_dst, sizeof(v6_echo_dst));
	assert_int_equal(parse(buf, sizeof(v6_echo_dst), &f), NET_DROP_NONE);
	n = net_icmp6_echo_reply(buf, &f, our_mac);
	assert_int_equal(n, sizeof(v6_echo_reply));
	assert_memory_equal(buf, v6_echo_reply, n);
	/* The reply parses; as an echo reply it is not for us to answer. */
	assert_int_equal(parse(buf, n, &f), NET_DROP_ICMP6_TYPE);
}

/*
 * An echo request from a broadcast or multicast Ethernet source is not
 * answered (its reply, sent to that source, would reach the group).
 */
static void
test_echo6_group_src(void **state)
{
	static const uint8_t group[][NET_ETH_ALEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x33, 0x33, 0, 0, 0, 1 },
		{ 0x01, 0, 0, 0, 0, 0 },
	};
	uint8_t buf[256];
	struct net_frame f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(group); i++) {
		memcpy(buf, v6_echo, sizeof(v6_echo));
		memcpy(buf + NET_ETH_ALEN, group[i], NET_ETH_ALEN);
		assert_string_equal(net_drop_name(
					    parse(buf, sizeof(v6_echo), &f)),
				    net_drop_name(NET_DROP_ETH_GROUP_SRC));
	}
}

static void
test_echo6_reply_vlan(void **state)
{
	uint8_t buf[256];
	struct net_frame f;
	uint32_t n;

	(void)state;
	memcpy(buf, v6_echo, 12);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = 0x00;
	buf[15] = 0x05;
	memcpy(buf + 16, v6_echo + 12, sizeof(v6_echo) - 12);
	assert_int_equal(parse(buf, sizeof(v6_echo) + 4, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP6_ECHO);
	n = net_icmp6_echo_reply(buf, &f, our_mac);
	assert_int_equal(n, sizeof(v6_echo_reply) + 4);
	assert_int_equal(buf[15], 5);
	assert_memory_equal(buf + 16, v6_echo_reply + 12,
			    sizeof(v6_echo_reply) - 12);
}

static void
test_drop_names6(void **state)
{
	(void)state;
	assert_string_equal(net_drop_name(NET_DROP_IP6_FRAG), "ip6_frag");
	assert_string_equal(net_drop_name(NET_DROP_ND_UNSPEC_SRC),
			    "nd_unspec_src");
	assert_string_equal(net_drop_name(NET_DROP_IP6_EXT_CHAIN),
			    "ip6_ext_chain");
}

/* The IPv4 path clears what it did before: the union costs nothing. */
static void
test_frame_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct net_frame, arp_op),
			 offsetof(struct net_frame, nd_target_off));
	assert_true(offsetof(struct net_frame, saddr) <= 36);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_tcp6),
		cmocka_unit_test(test_parse_padding),
		cmocka_unit_test(test_parse_ext),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_bad_sources),
		cmocka_unit_test(test_ext_chain_cap),
		cmocka_unit_test(test_ext_opt_bounds),
		cmocka_unit_test(test_parse_icmp6),
		cmocka_unit_test(test_ptb_raw_mtu),
		cmocka_unit_test(test_ptb_quote),
		cmocka_unit_test(test_ptb_bad),
		cmocka_unit_test(test_parse_nd),
		cmocka_unit_test(test_nd_dad_slla),
		cmocka_unit_test(test_na_unspec_src),
		cmocka_unit_test(test_nd_options),
		cmocka_unit_test(test_nd_atomic_frag),
		cmocka_unit_test(test_for_us),
		cmocka_unit_test(test_pseudo_sum6),
		cmocka_unit_test(test_build_tcp6),
		cmocka_unit_test(test_finish6_offload),
		cmocka_unit_test(test_build6_roundtrip),
		cmocka_unit_test(test_mss6),
		cmocka_unit_test(test_nd_addrs),
		cmocka_unit_test(test_build_ns),
		cmocka_unit_test(test_na_reply),
		cmocka_unit_test(test_na_announce),
		cmocka_unit_test(test_na_reply_no_slla),
		cmocka_unit_test(test_echo6_reply),
		cmocka_unit_test(test_ns_group_src),
		cmocka_unit_test(test_ns_group_slla),
		cmocka_unit_test(test_echo6_group_src),
		cmocka_unit_test(test_echo6_reply_vlan),
		cmocka_unit_test(test_drop_names6),
		cmocka_unit_test(test_frame_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
