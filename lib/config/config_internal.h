/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the configuration module: the intermediate structures that
 * libcyaml loads into, the position index built with libyaml, and the
 * error reporting helpers shared by the loader and the validator.
 */
#ifndef TT_CONFIG_INTERNAL_H
#define TT_CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cyaml/cyaml.h>

#include "config.h"

/*
 * Loaded by libcyaml. Every scalar is a pointer so that an absent key
 * (NULL) is told apart from an explicit value; integers are 64-bit so
 * that range errors are reported by the validator with a clear message.
 * Booleans are loaded as enums (see cfg_bool_strings) so that a value
 * such as "maybe" is rejected instead of read as true.
 */
struct cfg_raw_port {
	char *device;
	char *ipv4;
	char *gateway;
	char *ipv6;
	char *gateway6;
	int *steering;
	uint64_t *queues;
	uint64_t *arp_max_age_ms;
	uint64_t *vlan;
};

struct cfg_raw_listener {
	uint64_t *port;
	int *app;
	int *close;
	uint64_t *response_body_bytes;
	uint64_t *idle_timeout_ms;
	uint64_t *close_delay_ms;
	uint64_t *read_delay_ms;
	uint64_t *head_timeout_ms;
	int *family;
};

struct cfg_raw_tcp {
	uint64_t *msl_ms;
	uint64_t *fin_wait2_timeout_ms;
	uint64_t *syn_recv_timeout_ms;
	uint64_t *rto_min_ms;
	uint64_t *rto_max_ms;
	uint64_t *rto_initial_ms;
	uint64_t *delayed_ack_ms;
	uint64_t *max_retries;
	uint64_t *send_timeout_ms;
	uint64_t *mss;
	uint64_t *wscale;
	uint64_t *rcv_wnd;
	uint64_t *snd_buf;
	int *timestamps;
	int *sack;
	int *rfc1337;
	int *time_wait_reuse;
	uint64_t *challenge_ack_limit;
	int *syncookies;
	uint64_t *invalid_ratelimit_ms;
	int *congestion;
	int *tail_loss_probe;
	int *rack;
};

struct cfg_raw_limits {
	uint64_t *max_connections;
	uint64_t *max_time_wait;
	int *time_wait_overflow;
	uint64_t *max_send_buffers;
	uint64_t *max_receive_buffers;
	uint64_t *max_syn_recv;
	uint64_t *max_time_wait6;
	uint64_t *max_connections_per_source;
};

struct cfg_raw_stats {
	uint64_t *interval_ms;
};

struct cfg_raw_metrics {
	char *listen;
};

struct cfg_raw_drain {
	uint64_t *timeout_ms;
	int *wait_time_wait;
};

struct cfg_raw {
	struct cfg_raw_port *ports;
	unsigned int ports_count;
	uint64_t *workers;
	struct cfg_raw_listener *listeners;
	unsigned int listeners_count;
	struct cfg_raw_tcp *tcp;
	struct cfg_raw_limits *limits;
	struct cfg_raw_stats *stats;
	struct cfg_raw_metrics *metrics;
	struct cfg_raw_drain *drain;
};

/* One node of the document: a mapping value, sequence entry or root. */
struct cfg_node {
	char *path;   /* "listeners[1].port"; "" for the root */
	int key_line; /* 0-based position of the key; -1 if none */
	int key_col;
	int val_line; /* 0-based position of the value */
	int val_col;
	char *value; /* scalar text (truncated); NULL otherwise */
};

struct cfg_index {
	struct cfg_node *nodes;
	size_t n;
	size_t cap;
};

/* Where messages go while loading one document. */
struct cfg_err {
	const char *name; /* file name used in messages */
	char *buf;
	size_t len;
	const struct cfg_index *ix;
};

/*
 * Index every node of the document with libyaml. Returns 0, or -1 after
 * writing a syntax error (or duplicate key) to e.
 */
int cfg_index_build(struct cfg_index *ix, const char *yaml, size_t len,
		    struct cfg_err *e);
void cfg_index_free(struct cfg_index *ix);
const struct cfg_node *cfg_index_find(const struct cfg_index *ix,
				      const char *path);

/*
 * Report "name:line:col: path: message" at the node of path (its key when
 * at_key, else its value), or at the nearest ancestor found. Returns -1.
 */
int cfg_errf(struct cfg_err *e, const char *path, bool at_key, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));
/* Same, at an explicit 0-based position. */
int cfg_err_at(struct cfg_err *e, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* libcyaml schema of the whole document and its enum tables. */
extern const cyaml_schema_value_t cfg_schema;
extern const cyaml_strval_t cfg_bool_strings[];

/* Turn libcyaml's captured log of a failed load into an error. */
int cfg_cyaml_error(const char *log, struct cfg_err *e);

/* Defaults, conversion and semantic checks: raw -> c. */
int cfg_convert(const struct cfg_raw *r, struct cfg *c, struct cfg_err *e);

/*
 * config_ipv6.c: ports[i].ipv6 and .gateway6 (at is "ports[i]"), and
 * the listeners' families against the ports' addresses.
 */
int cfg_convert_ipv6(const struct cfg_raw_port *r, const char *at,
		     struct cfg_port *p, struct cfg_err *e);
int cfg_check_families(const struct cfg *c, struct cfg_err *e);
/* "address/prefix-length": the address part, and the length 1..max. */
int cfg_split_prefix(struct cfg_err *e, const char *path, const char *s,
		     const char *form, char *addr, size_t cap);
int cfg_prefix_len(struct cfg_err *e, const char *path, const char *s,
		   unsigned int max, uint8_t *len);
/* Ports i and j (j < i) must differ in IPv6 address and prefix. */
int cfg_check_ipv6_pair(const struct cfg *c, unsigned int i, unsigned int j,
			struct cfg_err *e);

#endif /* TT_CONFIG_INTERNAL_H */
