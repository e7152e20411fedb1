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

#define NET_ETH_ALEN 6
#define NET_ETH_HLEN 14
#define NET_ETHERTYPE_IPV4 0x0800
#define NET_ETHERTYPE_ARP 0x0806
#define NET_ETHERTYPE_VLAN 0x8100
#define NET_VLAN_HLEN 4		/* an 802.1Q tag */
#define NET_VLAN_MAX 4094	/* highest VLAN ID; 0 means untagged */
#define NET_IPV4_HLEN 20
#define NET_IPPROTO_ICMP 1
#define NET_IPPROTO_TCP 6
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
	uint8_t doff;	/* data offset in the high nibble */
	uint8_t flags;
	uint16_t wnd;
	uint16_t csum;
	uint16_t urp;
} __attribute__((packed));

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
	X(VLAN)

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
	NET_KIND_ICMP_ECHO,	/* an ICMP echo request */
	NET_KIND_TCP,
};

/* TCP options present (bitmask in struct net_tcp_opts.has). */
#define NET_OPT_MSS 0x01
#define NET_OPT_WSCALE 0x02
#define NET_OPT_SACK_OK 0x04
#define NET_OPT_TS 0x08
#define NET_OPT_SACK 0x10	/* SACK blocks (RFC 2018), nsack of them */

/* SACK blocks an option can carry; 3 fit beside timestamps. */
#define NET_SACK_MAX 4
#define NET_SACK_MAX_TS 3

/* One SACK block: [start, end) in sequence space (RFC 2018 3). */
struct net_sack_block {
	uint32_t start;
	uint32_t end;
};

struct net_tcp_opts {
	uint8_t has;		/* NET_OPT_* */
	uint8_t wscale;		/* shift count as received (not clamped) */
	uint16_t mss;
	uint32_t tsval;
	uint32_t tsecr;
	/* NET_OPT_SACK: blocks in the order received or to be written. */
	uint32_t nsack;
	struct net_sack_block sack[NET_SACK_MAX];
};

/* A TCP segment as the state machine sees it (host byte order). */
struct net_seg {
	uint32_t saddr;		/* remote IPv4 address; 0 for IPv6 */
	uint32_t daddr;		/* local IPv4 address; 0 for IPv6 */
	/* IPv6: the 16-byte addresses inside the frame; NULL for IPv4. */
	const uint8_t *saddr6;	/* remote */
	const uint8_t *daddr6;	/* local */
	uint16_t sport;		/* remote port */
	uint16_t dport;		/* local port */
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;		/* raw window field, not scaled */
	uint8_t flags;		/* NET_TCP_* */
	struct net_tcp_opts opts;
	const uint8_t *data;	/* payload, inside the caller's frame */
	uint32_t len;		/* payload bytes */
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
	/* ARP (kind == NET_KIND_ARP) */
	uint16_t arp_op;
	uint8_t arp_sha[NET_ETH_ALEN];
	uint32_t arp_spa;
	uint32_t arp_tpa;
	/* IPv4 (ICMP and TCP) */
	uint32_t saddr;
	uint32_t daddr;
	uint8_t ttl;
	uint16_t l3_off;	/* offset of the IPv4 header in the frame */
	uint16_t l3_len;	/* IPv4 total length */
	/* ICMP echo: offset and length of the ICMP message */
	uint16_t l4_off;
	uint16_t l4_len;
	/* TCP */
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
 * ARP shape (Ethernet/IPv4, lengths 6/4, op request or reply), IPv4 version,
 * IHL >= 5, total length within the frame and >= IHL*4, header checksum,
 * fragments (MF or offset != 0 -> IP_FRAG), source not multicast/broadcast/
 * zero (IP_BAD_SRC), protocol ICMP or TCP; ICMP length and checksum, only
 * echo requests accepted; TCP data offset >= 5 and within the IP payload,
 * checksum over the pseudo header, option syntax (TCP_OPTS on a malformed
 * option list), ports non-zero.
 *
 * Trailing Ethernet padding beyond the IPv4 total length is ignored.
 * Returns NET_DROP_NONE and fills *f, or the reason the frame is dropped.
 */
enum net_drop net_parse(const uint8_t *buf, uint32_t len,
			enum net_csum_status ip_csum,
			enum net_csum_status l4_csum, struct net_frame *f);

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
uint16_t net_csum_fold(uint32_t sum);
/* Pseudo-header sum for TCP over IPv4; addresses in host order. */
uint32_t net_tcp_pseudo_sum(uint32_t saddr, uint32_t daddr, uint16_t l4_len);

/* Description of a TCP segment to build (host byte order). */
struct net_tcp_build {
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;		/* raw window field */
	uint8_t flags;
	uint8_t ttl;
	uint16_t vlan;		/* 802.1Q VLAN ID to tag; 0: untagged */
	struct net_tcp_opts opts; /* which options to write: has = NET_OPT_* */
	uint32_t payload_len;	/* bytes the caller copies after the headers */
};

/*
 * Write Ethernet (with an 802.1Q tag when b->vlan is set) + IPv4 + TCP
 * headers (options padded to 4 bytes: MSS,
 * SACK-permitted, timestamps, window scale, in the order Linux uses) into
 * buf. Every segment is an atomic datagram (RFC 6864): DF set and IP ID
 * 0, so the ID counts nothing a third party could observe (idle scans).
 * Returns the header length (payload goes at buf + return value), or
 * 0 when cap is too small. Checksums are not filled: call
 * net_tcp_finish() after copying the payload.
 */
uint32_t net_build_tcp(uint8_t *buf, uint32_t cap,
		       const struct net_tcp_build *b);

/*
 * Fill the IPv4 and TCP checksums of a frame built by net_build_tcp()
 * whose payload is in place (tagged or not). With offload set, write
 * only the IPv4 header checksum 0 and the TCP pseudo-header sum, as
 * devices expect for TX checksum offload.
 */
void net_tcp_finish(uint8_t *frame, bool offload);

/*
 * Build an ARP frame (request when tha is NULL: broadcast), tagged with
 * VLAN ID vlan unless it is 0. Returns 42 (46 tagged), or 0 when cap is
 * too small.
 */
uint32_t net_build_arp(uint8_t *buf, uint32_t cap, uint16_t vlan, uint16_t op,
		       const uint8_t *sha, uint32_t spa,
		       const uint8_t *tha, uint32_t tpa);

/*
 * Turn a validated ICMP echo request frame into the echo reply in place:
 * swap MACs (src_mac becomes ours) and addresses, type 0, fresh checksums,
 * TTL 64. Returns the frame length to send (the IPv4 total length plus
 * the Ethernet header, padding trimmed).
 */
uint32_t net_icmp_echo_reply(uint8_t *frame, const struct net_frame *f,
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
uint32_t net_toeplitz(const uint8_t *key, uint32_t key_len,
		      const uint8_t *data, uint32_t len);
/* Hash of an IPv4 address pair / TCP 4-tuple (host order values). */
uint32_t net_rss_ipv4(const uint8_t *key, uint32_t saddr, uint32_t daddr);
uint32_t net_rss_tcp4(const uint8_t *key, uint32_t saddr, uint32_t daddr,
		      uint16_t sport, uint16_t dport);

/* Per-byte lookup tables of a key: 12 loads per 4-tuple hash. */
struct net_rss_tab {
	uint32_t t[NET_RSS_TUPLE_LEN][256];
};

void net_rss_tab_init(struct net_rss_tab *tab, const uint8_t *key);

static inline uint32_t
net_rss_tab_tcp4(const struct net_rss_tab *tab, uint32_t saddr,
		 uint32_t daddr, uint16_t sport, uint16_t dport)
{
	return tab->t[0][saddr >> 24] ^ tab->t[1][(saddr >> 16) & 0xff] ^
		tab->t[2][(saddr >> 8) & 0xff] ^ tab->t[3][saddr & 0xff] ^
		tab->t[4][daddr >> 24] ^ tab->t[5][(daddr >> 16) & 0xff] ^
		tab->t[6][(daddr >> 8) & 0xff] ^ tab->t[7][daddr & 0xff] ^
		tab->t[8][sport >> 8] ^ tab->t[9][sport & 0xff] ^
		tab->t[10][dport >> 8] ^ tab->t[11][dport & 0xff];
}

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

/* Parse "a.b.c.d" into host order. Returns 0 or -1. */
int net_ipv4_parse(const char *s, uint32_t *addr);
/* Format a host-order address into buf (>= 16 bytes). Returns buf. */
char *net_ipv4_fmt(uint32_t addr, char *buf);

#endif /* TT_NET_H */
