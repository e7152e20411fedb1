/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire formats: Ethernet, ARP, IPv4, ICMP echo and TCP.
 *
 * Pure C, no DPDK header. Parsing works on the caller's buffer, never
 * reads outside [buf, buf + len), and returns a drop reason instead of
 * failing loudly. All multi-byte values in the parsed views are in host
 * byte order; the packed header structs mirror the wire (network order).
 */
#ifndef TT_NET_H
#define TT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#define NET_ETH_ALEN 6
#define NET_ETH_HLEN 14
#define NET_ETHERTYPE_IPV4 0x0800
#define NET_ETHERTYPE_ARP 0x0806
#define NET_ETHERTYPE_VLAN 0x8100
#define NET_ETHERTYPE_IPV6 0x86dd
#define NET_VLAN_HLEN 4	  /* an 802.1Q tag */
#define NET_VLAN_MAX 4094 /* highest VLAN ID; 0 means untagged */
#define NET_IPV4_HLEN 20
#define NET_IPPROTO_ICMP 1
#define NET_IPPROTO_TCP 6
#define NET_IPPROTO_ICMPV6 58
#define NET_IPV6_HLEN 40
#define NET_IPV6_ALEN 16
#define NET_IPV6_MIN_MTU 1280 /* RFC 8200 5 */
#define NET_IP6_EXT_MAX 8     /* extension headers followed, at most */
#define NET_TCP_HLEN 20
#define NET_TCP_MAX_OPTLEN 40
#define NET_ARP_LEN 28

/* TCP header flags (the low byte of the 13th/14th header bytes). */
#define NET_TCP_FIN 0x01
#define NET_TCP_SYN 0x02
#define NET_TCP_RST 0x04
#define NET_TCP_PSH 0x08
#define NET_TCP_ACK 0x10
#define NET_TCP_URG 0x20
#define NET_TCP_ECE 0x40
#define NET_TCP_CWR 0x80

struct net_eth_hdr {
	uint8_t dst[NET_ETH_ALEN];
	uint8_t src[NET_ETH_ALEN];
	uint16_t type;
} __attribute__((packed));

struct net_arp_hdr {
	uint16_t htype;
	uint16_t ptype;
	uint8_t hlen;
	uint8_t plen;
	uint16_t op;
	uint8_t sha[NET_ETH_ALEN];
	uint32_t spa;
	uint8_t tha[NET_ETH_ALEN];
	uint32_t tpa;
} __attribute__((packed));

struct net_ipv4_hdr {
	uint8_t ver_ihl;
	uint8_t tos;
	uint16_t total_len;
	uint16_t id;
	uint16_t frag_off;
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t saddr;
	uint32_t daddr;
} __attribute__((packed));

struct net_icmp_hdr {
	uint8_t type;
	uint8_t code;
	uint16_t csum;
	uint16_t id;
	uint16_t seq;
} __attribute__((packed));

struct net_tcp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t doff; /* data offset in the high nibble */
	uint8_t flags;
	uint16_t wnd;
	uint16_t csum;
	uint16_t urp;
} __attribute__((packed));

#define NET_ICMP6_ECHO_REQUEST 128
#define NET_ICMP6_ECHO_REPLY 129
#define NET_ICMP6_ND_NS 135
#define NET_ICMP6_ND_NA 136
#define NET_ND_NS_LEN 32 /* NS with a source link-layer option */
#define NET_ND_NA_LEN 32 /* NA with a target link-layer option */

#define NET_ARP_OP_REQUEST 1
#define NET_ARP_OP_REPLY 2
#define NET_ICMP_ECHO_REPLY 0
#define NET_ICMP_ECHO_REQUEST 8

/*
 * Why a frame was dropped. Declared once; expands into the enum and the
 * name table (net_drop_name()). NET_DROP_NONE means "accepted".
 */
#define NET_DROP_REASONS(X) \
	X(NONE) \
	X(ETH_SHORT) \
	X(ETH_TYPE) \
	X(ARP_MALFORMED) \
	X(ARP_NOT_US) \
	X(IP_SHORT) \
	X(IP_VERSION) \
	X(IP_IHL) \
	X(IP_TOTLEN) \
	X(IP_CSUM) \
	X(IP_FRAG) \
	X(IP_NOT_US) \
	X(IP_BAD_SRC) \
	X(IP_PROTO) \
	X(ICMP_SHORT) \
	X(ICMP_CSUM) \
	X(ICMP_TYPE) \
	X(TCP_SHORT) \
	X(TCP_DOFF) \
	X(TCP_CSUM) \
	X(TCP_OPTS) \
	X(TCP_PORT_ZERO) \
	X(NO_ROUTE) \
	X(VLAN) \
	X(IP6_SHORT) \
	X(IP6_VERSION) \
	X(IP6_PAYLEN) \
	X(IP6_BAD_SRC) \
	X(IP6_EXTHDR) \
	X(IP6_EXT_OPT) \
	X(IP6_EXT_CHAIN) \
	X(IP6_FRAG) \
	X(IP6_NEXTHDR) \
	X(IP6_NOT_US) \
	X(ICMP6_SHORT) \
	X(ICMP6_CSUM) \
	X(ICMP6_TYPE) \
	X(ND_HOP_LIMIT) \
	X(ND_MALFORMED) \
	X(ND_OPT) \
	X(ND_UNSPEC_SRC) \
	X(ETH_NOT_US) \
	X(ICMP_QUOTE) \
	X(ICMP6_QUOTE) \
	X(IP_SRR) \
	X(IP_OPTS) \
	X(ETH_GROUP_SRC)

/* clang-format off */
enum net_drop {
#define NET_DROP_ENUM(n) NET_DROP_##n,
	NET_DROP_REASONS(NET_DROP_ENUM)
#undef NET_DROP_ENUM
	NET_DROP_MAX
};
/* clang-format on */

/* Lower-case name of a drop reason, e.g. "ip_csum". */
const char *net_drop_name(enum net_drop d);

/* What a parsed frame is. */
enum net_kind {
	NET_KIND_DROP = 0,
	NET_KIND_ARP,
	NET_KIND_ICMP_ECHO, /* an ICMP echo request */
	NET_KIND_TCP,
	NET_KIND_ICMP6_ECHO, /* an ICMPv6 echo request */
	NET_KIND_ND_NS,	     /* a valid Neighbor Solicitation */
	NET_KIND_ND_NA,	     /* a valid Neighbor Advertisement */
	NET_KIND_ICMP6_PTB,  /* a Packet Too Big message (icmp_mtu) */
	/* an ICMP fragmentation needed (icmp_mtu) quoting TCP */
	NET_KIND_ICMP_PTB,
};

/* Network layer of a parsed frame; IPv4 is 0 so that memset sets it. */
enum net_family {
	NET_FAMILY_IPV4 = 0,
	NET_FAMILY_IPV6,
};

/* Neighbor Advertisement flags (RFC 4861 4.4), in f->nd_flags. */
#define NET_ND_ROUTER 0x80
#define NET_ND_SOLICITED 0x40
#define NET_ND_OVERRIDE 0x20

/* TCP options present (bitmask in struct net_tcp_opts.has). */
#define NET_OPT_MSS 0x01
#define NET_OPT_WSCALE 0x02
#define NET_OPT_SACK_OK 0x04
#define NET_OPT_TS 0x08
#define NET_OPT_SACK 0x10 /* SACK blocks (RFC 2018), nsack of them */

/* SACK blocks an option can carry; 3 fit beside timestamps. */
#define NET_SACK_MAX 4
#define NET_SACK_MAX_TS 3

/* One SACK block: [start, end) in sequence space (RFC 2018 3). */
struct net_sack_block {
	uint32_t start;
	uint32_t end;
};

struct net_tcp_opts {
	uint8_t has;	/* NET_OPT_* */
	uint8_t wscale; /* shift count as received (not clamped) */
	uint16_t mss;
	uint32_t tsval;
	uint32_t tsecr;
	/* NET_OPT_SACK: blocks in the order received or to be written. */
	uint32_t nsack;
	struct net_sack_block sack[NET_SACK_MAX];
};

/* A TCP segment as the state machine sees it (host byte order). */
struct net_seg {
	uint32_t saddr; /* remote IPv4 address; 0 for IPv6 */
	uint32_t daddr; /* local IPv4 address; 0 for IPv6 */
	/* IPv6: the 16-byte addresses inside the frame; NULL for IPv4. */
	const uint8_t *saddr6; /* remote */
	const uint8_t *daddr6; /* local */
	uint16_t sport;	       /* remote port */
	uint16_t dport;	       /* local port */
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;  /* raw window field, not scaled */
	uint8_t flags; /* NET_TCP_* */
	struct net_tcp_opts opts;
	const uint8_t *data; /* payload, inside the caller's frame */
	uint32_t len;	     /* payload bytes */
};

/* Sequence space a segment occupies: its text, and one each for SYN, FIN. */
static inline uint32_t
net_seg_seqlen(const struct net_seg *s)
{
	return s->len + !!(s->flags & NET_TCP_SYN) + !!(s->flags & NET_TCP_FIN);
}

/* Result of net_parse(). Pointers alias the caller's frame. */
struct net_frame {
	enum net_kind kind;
	uint8_t src_mac[NET_ETH_ALEN];
	uint8_t dst_mac[NET_ETH_ALEN];
	/*
	 * VLAN ID of the 802.1Q tag; 0 when untagged (or priority-tagged,
	 * which is the untagged network's too).
	 */
	uint16_t vlan;
	/*
	 * ARP (kind == NET_KIND_ARP), ND, or an ICMP or ICMPv6 too-big
	 * message (NET_KIND_ICMP_PTB, NET_KIND_ICMP6_PTB): never two of
	 * them, so they share their bytes and the IPv4 path clears no more
	 * than it did.
	 */
	union {
		struct {
			uint16_t arp_op;
			uint8_t arp_sha[NET_ETH_ALEN];
			uint32_t arp_spa;
			uint32_t arp_tpa;
		};
		struct {
			/* ND: offset of the 16-byte target address. */
			uint16_t nd_target_off;
			/*
			 * ND: offset of the 6-byte MAC of the source (NS) or
			 * target (NA) link-layer address option; 0: none.
			 */
			uint16_t nd_lladdr_off;
			uint8_t nd_flags; /* NA: NET_ND_* */
		};
		struct {
			/*
			 * The MTU reported, as received (IPv4: an RFC 1191
			 * 7 plateau when the router left it 0); the TCP
			 * layer applies the floors (tcp_pmtu_input()).
			 */
			uint32_t icmp_mtu;
			/*
			 * Offset of the quoted IP header, which has been
			 * checked to be followed by 8 bytes of TCP header:
			 * net_icmp_quote_seg() reads it.
			 */
			uint16_t icmp_quote_off;
		};
	};
	/* IPv4 (ICMP and TCP); 0 for IPv6 */
	uint32_t saddr;
	uint32_t daddr;
	uint8_t ttl;	 /* IPv4 TTL or IPv6 hop limit */
	uint8_t family;	 /* enum net_family */
	uint16_t l3_off; /* offset of the IP header in the frame */
	/* IPv4 total length; IPv6: 40 + payload length */
	uint16_t l3_len;
	/*
	 * ICMP, ICMPv6 and TCP: offset and length of the upper-layer
	 * message (after IPv6 extension headers).
	 */
	uint16_t l4_off;
	uint16_t l4_len;
	/*
	 * TCP. For every IPv6 frame (TCP or ICMPv6), seg.saddr6 and
	 * seg.daddr6 point at the IPv6 header's addresses.
	 */
	struct net_seg seg;
};

/*
 * Checksum status known from the device (RX offload flags), so that the
 * parser can skip software verification. UNKNOWN means verify in software.
 */
enum net_csum_status {
	NET_CSUM_UNKNOWN = 0,
	NET_CSUM_GOOD,
	NET_CSUM_BAD,
};

/*
 * Parse and validate one Ethernet frame.
 *
 * Checks: Ethernet length and type (IPv4 or ARP; one 802.1Q tag is skipped
 * and its VLAN ID reported in f->vlan: the caller decides whether the
 * frame belongs to its port),
 * ARP shape (Ethernet/IPv4, lengths 6/4, op request or reply; a request's
 * sender MAC not a group address, ETH_GROUP_SRC, nor zero), IPv4 version,
 * IHL >= 5, total length within the frame and >= IHL*4, header checksum,
 * fragments (MF or offset != 0 -> IP_FRAG), no source route option
 * (loose or strict: IP_SRR), an option list that is well formed (IP_OPTS;
 * other options are skipped), source not multicast/broadcast/zero
 * (IP_BAD_SRC), protocol ICMP or TCP; ICMP length and checksum, only
 * echo requests (not from a group Ethernet source: ETH_GROUP_SRC) and
 * fragmentation needed (type 3 code 4, RFC 1191) accepted, the latter
 * only quoting an IPv4 header and 8 bytes of TCP (ICMP_QUOTE otherwise);
 * TCP data offset >= 5 and within the IP payload, checksum over the
 * pseudo header, option syntax (TCP_OPTS on a malformed option list),
 * ports non-zero.
 *
 * IPv6 (EtherType 0x86DD, f->family NET_FAMILY_IPV6): version, payload
 * length within the frame (not 0), source not multicast, loopback or
 * IPv4-mapped, and unspecified only in a DAD Neighbor Solicitation
 * (IP6_BAD_SRC); the extension header chain (RFC 8200 4): Hop-by-Hop
 * (first only), Destination Options (options whose type says "discard",
 * over 7 bytes of padding in a row, PadN data not zero, over 8 other
 * options -> IP6_EXT_OPT) and Routing with Segments Left 0 are skipped, an
 * atomic fragment (RFC 6946) too, but not one carrying Neighbor
 * Discovery (RFC 6980 5: IP6_FRAG); a real fragment -> IP6_FRAG; more
 * than NET_IP6_EXT_MAX headers -> IP6_EXT_CHAIN; bad lengths or
 * placement -> IP6_EXTHDR; an upper layer other than TCP or ICMPv6 ->
 * IP6_NEXTHDR. TCP: the IPv4 checks over the IPv6 pseudo header.
 * ICMPv6: checksum, then echo request (not from a group Ethernet
 * source: ETH_GROUP_SRC), Packet Too Big (icmp_mtu; the quoted IPv6
 * header must be followed directly by 8 bytes of TCP, else ICMP6_QUOTE),
 * and NS/NA validated per RFC 4861 7.1.1/7.1.2 (an NS whose source
 * link-layer option is a group MAC: ETH_GROUP_SRC); other types ->
 * ICMP6_TYPE.
 * Whether the destination is ours is the caller's (net_ip6_for_us()).
 *
 * Trailing Ethernet padding beyond the IPv4 total length (IPv6 payload
 * length) is ignored.
 * Returns NET_DROP_NONE and fills *f, or the reason the frame is dropped.
 */
enum net_drop net_parse(const uint8_t *buf, uint32_t len,
			enum net_csum_status ip_csum,
			enum net_csum_status l4_csum, struct net_frame *f);

/*
 * The segment a too-big message (NET_KIND_ICMP_PTB, NET_KIND_ICMP6_PTB,
 * parsed from frame into f) quotes, turned around as if the peer had
 * sent it, so that it is looked up and steered as a received segment:
 * saddr (IPv6: saddr6, into the frame) the quoted destination, sport its
 * destination port, daddr/daddr6 and dport the quoted source (ours), seq
 * the quoted sequence number; no flags, no payload.
 */
void net_icmp_quote_seg(const uint8_t *frame, const struct net_frame *f,
			struct net_seg *q);

/*
 * Parse a TCP option list. Unknown options are skipped by their length;
 * a length < 2 or running past the end, or a known option with the wrong
 * length, is malformed. MSS/WS/SACK-permitted are recorded whatever the
 * segment's flags; the caller decides what to honour.
 * Returns 0, or -1 when malformed.
 */
int net_tcp_parse_opts(const uint8_t *opt, uint32_t len,
		       struct net_tcp_opts *o);

/*
 * Internet checksum helpers (RFC 1071). Sums are in network byte order.
 * net_csum_partial() adds len bytes to sum (only the last chunk of a
 * chained sum may have an odd length). net_csum_fold() folds to 16 bits
 * and complements: the value to store in a checksum field; a buffer that
 * includes a correct checksum folds to 0.
 */
uint32_t net_csum_partial(const void *buf, uint32_t len, uint32_t sum);

/* Inline: every checksum check ends with it. */
static inline uint16_t
net_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Pseudo-header sum for TCP over IPv4; addresses in host order. The sum
 * of the 16-bit words in host order, swapped into memory order once
 * folded (RFC 1071 2(B): the sum is independent of byte order).
 */
static inline uint32_t
net_tcp_pseudo_sum(uint32_t saddr, uint32_t daddr, uint16_t l4_len)
{
	uint32_t s = (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) +
		(daddr & 0xffff) + NET_IPPROTO_TCP + l4_len;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)s);
}
/*
 * RFC 8200 8.1: the IPv6 pseudo-header sum (source, destination, 32-bit
 * upper-layer length, next header) for TCP, ICMPv6 or any other upper
 * layer. Addresses are the 16 bytes as on the wire.
 */
uint32_t net_ip6_pseudo_sum(const uint8_t *saddr, const uint8_t *daddr,
			    uint32_t l4_len, uint8_t next_hdr);

static inline uint32_t
net_tcp6_pseudo_sum(const uint8_t *saddr, const uint8_t *daddr, uint32_t l4_len)
{
	return net_ip6_pseudo_sum(saddr, daddr, l4_len, NET_IPPROTO_TCP);
}

/*
 * MSS for a link MTU (RFC 9293 3.7.1: the MTU less the fixed IP and TCP
 * headers): MTU - 40 over IPv4, MTU - 60 over IPv6 (RFC 8200 8.3), so
 * 1460 and 1440 on a 1500-byte link.
 */
static inline uint16_t
net_tcp_mss4(uint32_t mtu)
{
	return (uint16_t)(mtu - NET_IPV4_HLEN - NET_TCP_HLEN);
}

static inline uint16_t
net_tcp_mss6(uint32_t mtu)
{
	return (uint16_t)(mtu - NET_IPV6_HLEN - NET_TCP_HLEN);
}

/* Description of a TCP segment to build (host byte order). */
struct net_tcp_build {
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	uint32_t saddr; /* IPv4; ignored when saddr6 is set */
	uint32_t daddr;
	/* IPv6: both 16-byte addresses, or NULL for IPv4. */
	const uint8_t *saddr6;
	const uint8_t *daddr6;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd; /* raw window field */
	uint8_t flags;
	uint8_t ttl;		  /* IPv4 TTL or IPv6 hop limit; 0: 64 */
	uint16_t vlan;		  /* 802.1Q VLAN ID to tag; 0: untagged */
	struct net_tcp_opts opts; /* which options to write: has = NET_OPT_* */
	uint32_t payload_len; /* bytes the caller copies after the headers */
};

/*
 * Write Ethernet (with an 802.1Q tag when b->vlan is set) + IPv4 (or IPv6
 * when b->saddr6 is set: traffic class and flow label 0, no extension
 * header) + TCP headers (options padded to 4 bytes: MSS,
 * SACK-permitted, timestamps, window scale, in the order Linux uses) into
 * buf. Every segment is an atomic datagram (RFC 6864): DF set and IP ID
 * 0, so the ID counts nothing a third party could observe (idle scans).
 * Returns the header length (payload goes at buf + return value), or
 * 0 when cap is too small. Checksums are not filled: call
 * net_tcp_finish() after copying the payload.
 */
uint32_t net_build_tcp(uint8_t *buf, uint32_t cap,
		       const struct net_tcp_build *b);

/* What net_build_tcp_sums() writes in the checksum fields. */
enum net_tcp_sums {
	NET_TCP_SUMS_NONE = 0, /* both 0, as net_build_tcp() */
	/*
	 * For TX checksum offload: the IPv4 header checksum 0, the TCP
	 * field the pseudo-header sum (folded, not complemented), as
	 * net_tcp_finish(frame, true) leaves them.
	 */
	NET_TCP_SUMS_OFFLOAD,
	/*
	 * For checksums in software: the IPv4 header checksum final (from
	 * the fields, without a pass over the header), the TCP field the
	 * pseudo-header sum; net_tcp_csum_complete() finishes it.
	 */
	NET_TCP_SUMS_SOFTWARE,
};

/*
 * net_build_tcp() with the checksum fields prepared as sums says, and
 * the offset of the TCP header in *l4_off. Once the payload is in
 * place, an offloaded frame is ready; a SOFTWARE one needs
 * net_tcp_csum_complete(buf + *l4_off, return value - *l4_off +
 * payload_len). The frames are the same, byte for byte, as
 * net_build_tcp() and net_tcp_finish() make.
 */
uint32_t net_build_tcp_sums(uint8_t *buf, uint32_t cap,
			    const struct net_tcp_build *b,
			    enum net_tcp_sums sums, uint32_t *l4_off);

/*
 * The TCP checksum of the l4_len-byte segment at tcp (header, options,
 * payload), whose checksum field holds the pseudo-header sum: one pass.
 */
void net_tcp_csum_complete(uint8_t *tcp, uint32_t l4_len);

/*
 * Fill the IPv4 and TCP checksums of a frame built by net_build_tcp()
 * whose payload is in place (tagged or not). With offload set, write
 * only the IPv4 header checksum 0 and the TCP pseudo-header sum, as
 * devices expect for TX checksum offload. An IPv6 frame has only the
 * TCP checksum, or with offload the pseudo-header sum (what DPDK wants
 * with RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM).
 */
void net_tcp_finish(uint8_t *frame, bool offload);

/*
 * Build an ARP frame (request when tha is NULL: broadcast), tagged with
 * VLAN ID vlan unless it is 0. Returns 42 (46 tagged), or 0 when cap is
 * too small.
 */
uint32_t net_build_arp(uint8_t *buf, uint32_t cap, uint16_t vlan, uint16_t op,
		       const uint8_t *sha, uint32_t spa, const uint8_t *tha,
		       uint32_t tpa);

/*
 * Turn a validated ICMP echo request frame into the echo reply in place:
 * swap MACs (src_mac becomes ours) and addresses, type 0, fresh checksums,
 * TTL 64. IPv4 options stay where they are, Record Route and Timestamp
 * updated with this host (RFC 1122 3.2.2.6): its address, the request's
 * destination, and ts, the RFC 791 timestamp (net_ip_timestamp(), or
 * any value with NET_IP_TS_NONSTD set); ts is unused without options.
 * Returns the frame length to send (the IPv4 total length plus the
 * Ethernet header, padding trimmed).
 */
uint32_t net_icmp_echo_reply(uint8_t *frame, const struct net_frame *f,
			     const uint8_t *our_mac, uint32_t ts);

/*
 * RFC 791 3.1: a timestamp not in milliseconds since midnight UT has
 * its high-order bit set.
 */
#define NET_IP_TS_NONSTD 0x80000000u

/*
 * The RFC 791 timestamp (RFC 1122 3.2.2.8) of a wall clock reading,
 * sec and nsec since the Epoch (UT): milliseconds since midnight UT.
 */
uint32_t net_ip_timestamp(uint64_t sec, uint32_t nsec);

/*
 * Build a Neighbor Solicitation for target from src6 (our address) with
 * our MAC in a source link-layer address option, hop limit 255: to the
 * target's solicited-node address and its 33:33 MAC when dst_mac is
 * NULL (address resolution), else unicast to the target at dst_mac
 * (confirming a known neighbour). Returns 86 (90 tagged), or 0 when
 * cap is too small.
 */
uint32_t net_build_ns(uint8_t *buf, uint32_t cap, uint16_t vlan,
		      const uint8_t *our_mac, const uint8_t *dst_mac,
		      const uint8_t *src6, const uint8_t *target);

/*
 * Build a Neighbor Advertisement for target (flags NET_ND_*) with our
 * MAC in a target link-layer address option, hop limit 255. Returns 86
 * (90 tagged), or 0 when cap is too small.
 */
uint32_t net_build_na(uint8_t *buf, uint32_t cap, uint16_t vlan,
		      const uint8_t *our_mac, const uint8_t *dst_mac,
		      const uint8_t *src6, const uint8_t *dst6,
		      const uint8_t *target, uint8_t flags);

/*
 * The advertisement answering ns, a parsed Neighbor Solicitation (f) for
 * an address of ours (the caller checked the target): Solicited and
 * Override to its source, at the MAC of its source link-layer option or
 * else of its frame; Override only, to all-nodes, when the source is
 * unspecified (DAD). Tagged as f was. buf may be ns itself (in place).
 * Returns the frame length, or 0 (cap too small, f not an NS).
 */
uint32_t net_nd_na_reply(uint8_t *buf, uint32_t cap, const uint8_t *ns,
			 const struct net_frame *f, const uint8_t *our_mac);

/*
 * An unsolicited advertisement of addr6, ours, to all-nodes: Override
 * set, Solicited clear (RFC 4861 7.2.6), to defend it against another
 * station's claim. Returns the frame length, or 0 (cap too small).
 */
uint32_t net_nd_na_announce(uint8_t *buf, uint32_t cap, uint16_t vlan,
			    const uint8_t *our_mac, const uint8_t *addr6);

/*
 * Turn a validated ICMPv6 echo request (f->kind NET_KIND_ICMP6_ECHO,
 * addressed to our unicast address) into the echo reply in place: MACs
 * and addresses swapped, extension headers dropped, type 129, hop limit
 * 64, fresh checksum. Returns the frame length to send.
 */
uint32_t net_icmp6_echo_reply(uint8_t *frame, const struct net_frame *f,
			      const uint8_t *our_mac);

/* Sequence space arithmetic (RFC 9293 3.4), modulo 2^32. */
static inline bool
net_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
net_seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool
net_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool
net_seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* a <= x < b, modulo 2^32 (empty when a == b). */
static inline bool
net_seq_in(uint32_t x, uint32_t a, uint32_t b)
{
	return x - a < b - a;
}

/*
 * Receive-side scaling: the Toeplitz hash of an IPv4 TCP 4-tuple, as
 * devices compute it over (source address, destination address, source
 * port, destination port) in network order, and the redirection table
 * (RETA) that maps a hash to its owner: reta[hash % size], size a power
 * of two. One definition, used by hardware RSS and software steering.
 */
#define NET_RSS_KEY_LEN 40
#define NET_RSS_TUPLE_LEN 12

/* 0x6d5a repeated: the hash of a flow is the same in both directions. */
extern const uint8_t net_rss_key_symmetric[NET_RSS_KEY_LEN];
/* The key of Microsoft's published RSS verification suite. */
extern const uint8_t net_rss_key_microsoft[NET_RSS_KEY_LEN];

/* Bit-by-bit Toeplitz hash of len bytes (0 when len + 4 > key_len). */
uint32_t net_toeplitz(const uint8_t *key, uint32_t key_len, const uint8_t *data,
		      uint32_t len);
/* Hash of an IPv4 address pair / TCP 4-tuple (host order values). */
uint32_t net_rss_ipv4(const uint8_t *key, uint32_t saddr, uint32_t daddr);
uint32_t net_rss_tcp4(const uint8_t *key, uint32_t saddr, uint32_t daddr,
		      uint16_t sport, uint16_t dport);

/*
 * Hash of an IPv6 address pair / TCP 4-tuple: the 16-byte addresses as
 * on the wire, ports in host order (36 bytes hashed: NDIS_HASH_TCP_IPV6,
 * which is what DPDK's RTE_ETH_RSS_NONFRAG_IPV6_TCP computes).
 */
#define NET_RSS_TUPLE6_LEN 36
uint32_t net_rss_ipv6(const uint8_t *key, const uint8_t *saddr,
		      const uint8_t *daddr);
uint32_t net_rss_tcp6(const uint8_t *key, const uint8_t *saddr,
		      const uint8_t *daddr, uint16_t sport, uint16_t dport);

/* Per-byte lookup tables of a key: 12 loads per 4-tuple hash. */
struct net_rss_tab {
	uint32_t t[NET_RSS_TUPLE_LEN][256];
};

void net_rss_tab_init(struct net_rss_tab *tab, const uint8_t *key);

static inline uint32_t
net_rss_tab_tcp4(const struct net_rss_tab *tab, uint32_t saddr, uint32_t daddr,
		 uint16_t sport, uint16_t dport)
{
	return tab->t[0][saddr >> 24] ^ tab->t[1][(saddr >> 16) & 0xff] ^
		tab->t[2][(saddr >> 8) & 0xff] ^ tab->t[3][saddr & 0xff] ^
		tab->t[4][daddr >> 24] ^ tab->t[5][(daddr >> 16) & 0xff] ^
		tab->t[6][(daddr >> 8) & 0xff] ^ tab->t[7][daddr & 0xff] ^
		tab->t[8][sport >> 8] ^ tab->t[9][sport & 0xff] ^
		tab->t[10][dport >> 8] ^ tab->t[11][dport & 0xff];
}

/*
 * Per-byte lookup tables for the IPv6 4-tuple (36 KiB): 36 loads per
 * hash, the same value as net_rss_tcp6().
 */
struct net_rss_tab6 {
	uint32_t t[NET_RSS_TUPLE6_LEN][256];
};

void net_rss_tab6_init(struct net_rss_tab6 *tab, const uint8_t *key);
uint32_t net_rss_tab_tcp6(const struct net_rss_tab6 *tab, const uint8_t *saddr,
			  const uint8_t *daddr, uint16_t sport, uint16_t dport);

/* The 4-tuple of a frame, host order. */
struct net_rss_tuple {
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
};

/*
 * Read the 4-tuple of an untagged, unfragmented IPv4 TCP frame without
 * validating the rest (for steering before the full net_parse(), which
 * the owner runs). Never reads outside [buf, buf + len). Returns 0, or
 * -1 for anything else (the caller parses it fully).
 */
int net_rss_peek_tcp4(const uint8_t *buf, uint32_t len,
		      struct net_rss_tuple *t);

/* The IPv6 4-tuple of a frame: addresses point into it, ports host order. */
struct net_rss_tuple6 {
	const uint8_t *saddr;
	const uint8_t *daddr;
	uint16_t sport;
	uint16_t dport;
};

/*
 * As net_rss_peek_tcp4() for an untagged IPv6 frame whose next header is
 * TCP (no extension header). Returns 0, or -1 for anything else (the
 * caller parses it fully and steers on the parsed segment).
 */
int net_rss_peek_tcp6(const uint8_t *buf, uint32_t len,
		      struct net_rss_tuple6 *t);

/*
 * Spread n_owners over a RETA of size entries (entry i -> i % n_owners).
 * Returns 0, or -1 when size is not a power of two or n_owners is 0.
 */
int net_rss_reta_fill(uint16_t *reta, uint32_t size, unsigned int n_owners);

/* Owner of a hash: reta[hash % size] (size a power of two). */
static inline uint16_t
net_rss_owner(const uint16_t *reta, uint32_t size, uint32_t hash)
{
	return reta[hash & (size - 1)];
}

/* IPv6 address classes (RFC 4291 2.4); a points at 16 bytes. */
static inline bool
net_ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
net_ip6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline bool
net_ip6_is_unspec(const uint8_t *a)
{
	static const uint8_t z[NET_IPV6_ALEN];

	return memcmp(a, z, NET_IPV6_ALEN) == 0;
}

static inline bool
net_ip6_is_loopback(const uint8_t *a)
{
	static const uint8_t lo[NET_IPV6_ALEN] = { [15] = 1 };

	return memcmp(a, lo, NET_IPV6_ALEN) == 0;
}

/* ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
static inline bool
net_ip6_is_v4mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

/* All-nodes multicast ff02::1 (RFC 4291 2.7.1). */
extern const uint8_t net_ip6_all_nodes[NET_IPV6_ALEN];

/* ff02::1:ffXX:XXXX, the solicited-node address of a (RFC 4291 2.7.1). */
void net_ip6_solicited_node(const uint8_t *a, uint8_t *out);
bool net_ip6_is_solicited_node(const uint8_t *a);
/* 33:33 and the low 32 bits of a multicast address (RFC 2464 7). */
void net_ip6_mcast_mac(const uint8_t *a, uint8_t *mac);

/*
 * Is a parsed IPv6 frame (f->family NET_FAMILY_IPV6) addressed to us,
 * whose unicast address is our? TCP, echo and Packet Too Big: only our
 * unicast address (no echo replies to multicast). A Neighbor
 * Solicitation: ours or our solicited-node address (RFC 4861 7.2.3). A
 * Neighbor Advertisement: ours or all-nodes (unsolicited ones, 7.2.6).
 */
bool net_ip6_for_us(const struct net_frame *f, const uint8_t *our);

/* Parse IPv6 text (RFC 4291 2.2) into 16 bytes. Returns 0 or -1. */
int net_ipv6_parse(const char *s, uint8_t *addr);
/* Format 16 bytes (RFC 5952) into buf (>= 46 bytes). Returns buf. */
char *net_ipv6_fmt(const uint8_t *addr, char *buf);
#define NET_IPV6_FMT_LEN 46

/* Parse "a.b.c.d" into host order. Returns 0 or -1. */
int net_ipv4_parse(const char *s, uint32_t *addr);
/* Format a host-order address into buf (>= 16 bytes). Returns buf. */
char *net_ipv4_fmt(uint32_t addr, char *buf);

#endif /* TT_NET_H */
