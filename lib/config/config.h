/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm configuration: YAML read with libcyaml into a plain struct,
 * defaults applied, then semantically validated. Errors are reported as
 * "file:line:column: message" (line and column of the offending node).
 *
 * Read once at start-up; the hot path only reads the resulting const
 * struct (or parameters copied from it).
 */
#ifndef TT_CONFIG_H
#define TT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_PORTS 8
#define CFG_MAX_LISTENERS 64
#define CFG_ARP_MAX_AGE_MS 300000 /* default ports[].arp_max_age_ms */
/* Default listeners[].head_timeout_ms of an http listener, as nginx's. */
#define CFG_HEAD_TIMEOUT_MS 60000
/*
 * Most connections plus TIME_WAIT records one worker may hold: the flow
 * table's 32-bit values keep bit 31 for tagging TIME_WAIT records.
 */
#define CFG_MAX_FLOWS 0x7fffffffu
/* Receive buffer memory per worker, limits.max_receive_buffers x rcv_wnd. */
#define CFG_MAX_RCV_MEM (64ull << 30)

enum cfg_app {
	CFG_APP_DISCARD = 0,
	CFG_APP_ECHO,
	CFG_APP_HTTP,
};

enum cfg_close {
	CFG_CLOSE_AFTER_RESPONSE = 0, /* server closes first (TIME_WAIT) */
	CFG_CLOSE_ON_PEER_FIN,	      /* passive close */
	CFG_CLOSE_HALF_CLOSE,	      /* shutdown write, read until FIN */
	CFG_CLOSE_ABORT,	      /* RST after the response */
};

enum cfg_tw_reuse {
	CFG_TW_REUSE_OFF = 0,	 /* SYN in TIME_WAIT: as RFC 9293 */
	CFG_TW_REUSE_SEQ,	 /* accept if SEQ > old RCV.NXT */
	CFG_TW_REUSE_TIMESTAMPS, /* RFC 6191: seq or newer TSval */
};

enum cfg_syncookies {
	CFG_SYNCOOKIES_AUTO = 0, /* when SYN_RECEIVED is at its budget */
	CFG_SYNCOOKIES_ALWAYS,	 /* every SYN, no SYN_RECEIVED state */
	CFG_SYNCOOKIES_OFF,	 /* over budget: drop the SYN */
};

enum cfg_congestion {
	CFG_CC_CUBIC = 0, /* RFC 9438 */
	CFG_CC_NEWRENO,	  /* RFC 5681, RFC 6582 */
};

enum cfg_tw_overflow {
	CFG_TW_OVERFLOW_RECYCLE_OLDEST = 0,
	CFG_TW_OVERFLOW_REFUSE,
};

/* How packets reach the worker owning their flow (ports[].steering). */
enum cfg_steering {
	CFG_STEERING_AUTO = 0, /* hardware RSS when usable */
	CFG_STEERING_HARDWARE, /* RSS + RETA only; fail otherwise */
	CFG_STEERING_SOFTWARE, /* Toeplitz in software + rings */
};

/* Which address families a listener answers on (listeners[].family). */
enum cfg_family {
	CFG_FAMILY_BOTH = 0, /* every family its ports have */
	CFG_FAMILY_IPV4,
	CFG_FAMILY_IPV6,
};

struct cfg_port {
	char device[64]; /* DPDK device name (net_tap0) or PCI address */
	uint32_t addr;	 /* host order; 0 without ipv4 */
	uint8_t prefix_len;
	uint32_t gateway;    /* 0 when none */
	bool has_ipv6;	     /* ipv6: given */
	uint8_t prefix6_len; /* 1..128 */
	uint8_t addr6[16];   /* as on the wire */
	bool has_gateway6;
	uint8_t gateway6[16];	    /* on-link: in the prefix, or link-local */
	enum cfg_steering steering; /* auto */
	uint16_t queues;	    /* RX/TX queues; 0 = one per worker */
	uint32_t arp_max_age_ms;    /* 300000: neighbours asked again */
	uint16_t vlan;		    /* 802.1Q VLAN ID 1..4094; 0 = untagged */
};

struct cfg_listener {
	uint16_t port;
	enum cfg_app app;
	enum cfg_close close;
	uint32_t response_body_bytes; /* http; default 2 */
	uint32_t idle_timeout_ms;     /* 0 = none */
	uint32_t close_delay_ms;      /* 0 = none */
	uint32_t read_delay_ms;	      /* 0 = none */
	uint32_t head_timeout_ms;     /* http; 60000, 0 = none */
	enum cfg_family family;	      /* both */
};

struct cfg_tcp {
	uint32_t msl_ms;	       /* 30000 */
	uint32_t fin_wait2_timeout_ms; /* 60000 */
	uint32_t syn_recv_timeout_ms;  /* 30000, SYN-RECEIVED lifetime */
	uint32_t rto_min_ms;	       /* 200 */
	uint32_t rto_max_ms;	       /* 60000 */
	uint32_t rto_initial_ms;       /* 1000 (RFC 6298) */
	uint32_t delayed_ack_ms;       /* 40 */
	uint32_t max_retries;	       /* 8 */
	uint32_t send_timeout_ms;      /* 60000, 0 = none */
	uint16_t mss;		       /* 1460, our advertised MSS */
	uint8_t wscale;		       /* 7, our window scale shift */
	uint32_t rcv_wnd;	       /* 262144, receive window in bytes */
	uint32_t snd_buf;	       /* 65536, send buffer per connection */
	bool timestamps;	       /* true */
	bool sack;		       /* true: advertise SACK-permitted */
	bool rfc1337;		       /* true */
	enum cfg_tw_reuse time_wait_reuse; /* timestamps */
	uint32_t challenge_ack_limit;	   /* 10 per second per connection */
	enum cfg_syncookies syncookies;	   /* auto */
	uint32_t invalid_ratelimit_ms;	   /* 500; 0 = every invalid one */
	enum cfg_congestion congestion;	   /* cubic */
	bool tail_loss_probe;		   /* true (RFC 8985) */
	bool rack;			   /* true (RFC 8985 6) */
};

struct cfg_limits {
	uint32_t max_connections; /* 1000000 */
	uint32_t max_time_wait;	  /* 16000000 */
	enum cfg_tw_overflow time_wait_overflow;
	uint32_t max_send_buffers; /* send buffers per core; 65536 */
	/*
	 * Receive buffers (rcv_wnd bytes each) per core; 0 (default) =
	 * max_send_buffers / 16, within 64 MiB, at least one.
	 */
	uint32_t max_receive_buffers;
	/* SYN_RECEIVED budget; 0 (default) = max_connections / 8 */
	uint32_t max_syn_recv;
	/*
	 * IPv6 TIME_WAIT records (a ring of their own, 80.8 bytes each with
	 * their flow-table share), allocated only when a port has ipv6;
	 * 0 (default) = max_time_wait / 4, at least one per worker.
	 */
	uint32_t max_time_wait6;
	/*
	 * Established connections per source address (IPv6: per /64) for
	 * the whole process, split over the workers; 0 (default) = none.
	 */
	uint32_t max_connections_per_source;
};

struct cfg_stats {
	uint32_t interval_ms; /* 1000; 0 = off */
};

/* Prometheus /metrics on a kernel socket; off when the block is absent. */
struct cfg_metrics {
	bool enabled;
	uint32_t addr; /* host order */
	uint16_t port; /* 9712 when only an address is given */
};

#define CFG_METRICS_PORT 9712

/*
 * Graceful drain (SIGUSR1, tcpterm-ctl drain): how long before what is
 * left is reset, and whether to wait out TIME_WAIT before exiting.
 */
struct cfg_drain {
	uint32_t timeout_ms; /* 30000 */
	bool wait_time_wait; /* false */
};

struct cfg {
	struct cfg_port ports[CFG_MAX_PORTS];
	unsigned int n_ports;
	unsigned int workers; /* 1 */
	struct cfg_listener listeners[CFG_MAX_LISTENERS];
	unsigned int n_listeners;
	struct cfg_tcp tcp;
	struct cfg_limits limits;
	struct cfg_stats stats;
	struct cfg_metrics metrics;
	struct cfg_drain drain;
};

/* Fill *c with every default (no ports, no listeners). */
void cfg_defaults(struct cfg *c);

/*
 * Load and validate a YAML file. On error returns -1 and writes
 * "path:line:column: message" into err (line/column 1-based; when no
 * position is known, "path: message").
 */
int cfg_load_file(const char *path, struct cfg *c, char *err, size_t errlen);

/* Same, from memory; name is used in messages in place of the path. */
int cfg_load_string(const char *name, const char *yaml, size_t len,
		    struct cfg *c, char *err, size_t errlen);

const char *cfg_app_name(enum cfg_app a);
const char *cfg_close_name(enum cfg_close c);
const char *cfg_tw_reuse_name(enum cfg_tw_reuse r);
const char *cfg_tw_overflow_name(enum cfg_tw_overflow o);
const char *cfg_syncookies_name(enum cfg_syncookies s);
const char *cfg_congestion_name(enum cfg_congestion cc);
const char *cfg_steering_name(enum cfg_steering s);
const char *cfg_family_name(enum cfg_family f);

/*
 * Some port has an ipv6: address. Inline, as cfg_max_time_wait6(): lib/app
 * reads the configuration through this header alone.
 */
static inline bool
cfg_has_ipv6(const struct cfg *c)
{
	unsigned int i;

	for (i = 0; i < c->n_ports; i++)
		if (c->ports[i].has_ipv6)
			return true;
	return false;
}

/*
 * IPv6 TIME_WAIT records for the whole process: limits.max_time_wait6,
 * or max_time_wait / 4 when it is 0; 0 when no port has IPv6.
 */
static inline uint32_t
cfg_max_time_wait6(const struct cfg *c)
{
	if (!cfg_has_ipv6(c))
		return 0;
	if (c->limits.max_time_wait6 != 0)
		return c->limits.max_time_wait6;
	return c->limits.max_time_wait / 4;
}

/*
 * Print the effective configuration as YAML (for --print-config); the
 * output is accepted by cfg_load_file() and yields the same struct.
 */
void cfg_dump(const struct cfg *c, void *file /* FILE * */);

#endif /* TT_CONFIG_H */
