/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading: the document is first indexed with libyaml (syntax errors and
 * positions), then loaded with libcyaml into struct cfg_raw (types and
 * unknown keys), then converted and checked by cfg_convert(). libcyaml's
 * log output is captured and turned into a "file:line:col: path: message"
 * error using the index.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define CFG_FILE_MAX (16u << 20)
#define CFG_SEQ_MAX 1024 /* bounds memory; real limits in config_check.c */
#define CFG_LOG_MAX 2048

/* Enum tables: the single source of the names used by the dump too. */
static const cyaml_strval_t app_strings[] = {
	{ "discard", CFG_APP_DISCARD },
	{ "echo", CFG_APP_ECHO },
	{ "http", CFG_APP_HTTP },
};

static const cyaml_strval_t close_strings[] = {
	{ "after-response", CFG_CLOSE_AFTER_RESPONSE },
	{ "on-peer-fin", CFG_CLOSE_ON_PEER_FIN },
	{ "half-close", CFG_CLOSE_HALF_CLOSE },
	{ "abort", CFG_CLOSE_ABORT },
};

static const cyaml_strval_t tw_reuse_strings[] = {
	{ "off", CFG_TW_REUSE_OFF },
	{ "seq", CFG_TW_REUSE_SEQ },
	{ "timestamps", CFG_TW_REUSE_TIMESTAMPS },
};

static const cyaml_strval_t syncookies_strings[] = {
	{ "auto", CFG_SYNCOOKIES_AUTO },
	{ "always", CFG_SYNCOOKIES_ALWAYS },
	{ "off", CFG_SYNCOOKIES_OFF },
};

static const cyaml_strval_t congestion_strings[] = {
	{ "cubic", CFG_CC_CUBIC },
	{ "newreno", CFG_CC_NEWRENO },
};

static const cyaml_strval_t steering_strings[] = {
	{ "auto", CFG_STEERING_AUTO },
	{ "hardware", CFG_STEERING_HARDWARE },
	{ "software", CFG_STEERING_SOFTWARE },
};

static const cyaml_strval_t family_strings[] = {
	{ "both", CFG_FAMILY_BOTH },
	{ "ipv4", CFG_FAMILY_IPV4 },
	{ "ipv6", CFG_FAMILY_IPV6 },
};

static const cyaml_strval_t tw_overflow_strings[] = {
	{ "recycle-oldest", CFG_TW_OVERFLOW_RECYCLE_OLDEST },
	{ "refuse", CFG_TW_OVERFLOW_REFUSE },
};

/* The first two entries are the canonical spellings. */
/* clang-format off */
const cyaml_strval_t cfg_bool_strings[] = {
	{ "true", 1 }, { "false", 0 },
	{ "yes", 1 }, { "no", 0 },
	{ "on", 1 }, { "off", 0 },
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OPT CYAML_FLAG_OPTIONAL
#define ENUM_FLAGS (OPT | CYAML_FLAG_STRICT)
#define BOOL_FLAGS (ENUM_FLAGS | CYAML_FLAG_CASE_INSENSITIVE)
#define SECTION_FLAGS (OPT | CYAML_FLAG_POINTER_NULL_STR)
#define STR(key, s, m) \
	CYAML_FIELD_STRING_PTR(key, OPT | CYAML_FLAG_POINTER, s, m, 0, \
			       CYAML_UNLIMITED)
#define U(key, s, m) CYAML_FIELD_UINT_PTR(key, OPT, s, m)
#define E(key, s, m, t) CYAML_FIELD_ENUM_PTR(key, ENUM_FLAGS, s, m, t, N(t))
#define B(key, s, m) \
	CYAML_FIELD_ENUM_PTR(key, BOOL_FLAGS, s, m, cfg_bool_strings, 6)

static const cyaml_schema_field_t port_fields[] = {
	STR("device", struct cfg_raw_port, device),
	STR("ipv4", struct cfg_raw_port, ipv4),
	STR("gateway", struct cfg_raw_port, gateway),
	STR("ipv6", struct cfg_raw_port, ipv6),
	STR("gateway6", struct cfg_raw_port, gateway6),
	E("steering", struct cfg_raw_port, steering, steering_strings),
	U("queues", struct cfg_raw_port, queues),
	U("arp_max_age_ms", struct cfg_raw_port, arp_max_age_ms),
	U("vlan", struct cfg_raw_port, vlan),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t port_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cfg_raw_port,
			    port_fields),
};

static const cyaml_schema_field_t listener_fields[] = {
	U("port", struct cfg_raw_listener, port),
	E("app", struct cfg_raw_listener, app, app_strings),
	E("close", struct cfg_raw_listener, close, close_strings),
	U("response_body_bytes", struct cfg_raw_listener, response_body_bytes),
	U("idle_timeout_ms", struct cfg_raw_listener, idle_timeout_ms),
	U("close_delay_ms", struct cfg_raw_listener, close_delay_ms),
	U("read_delay_ms", struct cfg_raw_listener, read_delay_ms),
	U("head_timeout_ms", struct cfg_raw_listener, head_timeout_ms),
	E("family", struct cfg_raw_listener, family, family_strings),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t listener_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cfg_raw_listener,
			    listener_fields),
};

static const cyaml_schema_field_t tcp_fields[] = {
	U("msl_ms", struct cfg_raw_tcp, msl_ms),
	U("fin_wait2_timeout_ms", struct cfg_raw_tcp, fin_wait2_timeout_ms),
	U("syn_recv_timeout_ms", struct cfg_raw_tcp, syn_recv_timeout_ms),
	U("rto_min_ms", struct cfg_raw_tcp, rto_min_ms),
	U("rto_max_ms", struct cfg_raw_tcp, rto_max_ms),
	U("rto_initial_ms", struct cfg_raw_tcp, rto_initial_ms),
	U("delayed_ack_ms", struct cfg_raw_tcp, delayed_ack_ms),
	U("max_retries", struct cfg_raw_tcp, max_retries),
	U("send_timeout_ms", struct cfg_raw_tcp, send_timeout_ms),
	U("mss", struct cfg_raw_tcp, mss),
	U("wscale", struct cfg_raw_tcp, wscale),
	U("rcv_wnd", struct cfg_raw_tcp, rcv_wnd),
	U("snd_buf", struct cfg_raw_tcp, snd_buf),
	B("timestamps", struct cfg_raw_tcp, timestamps),
	B("sack", struct cfg_raw_tcp, sack),
	B("rfc1337", struct cfg_raw_tcp, rfc1337),
	E("time_wait_reuse", struct cfg_raw_tcp, time_wait_reuse,
	  tw_reuse_strings),
	U("challenge_ack_limit", struct cfg_raw_tcp, challenge_ack_limit),
	E("syncookies", struct cfg_raw_tcp, syncookies, syncookies_strings),
	U("invalid_ratelimit_ms", struct cfg_raw_tcp, invalid_ratelimit_ms),
	E("congestion", struct cfg_raw_tcp, congestion, congestion_strings),
	B("tail_loss_probe", struct cfg_raw_tcp, tail_loss_probe),
	B("rack", struct cfg_raw_tcp, rack),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t limits_fields[] = {
	U("max_connections", struct cfg_raw_limits, max_connections),
	U("max_time_wait", struct cfg_raw_limits, max_time_wait),
	E("time_wait_overflow", struct cfg_raw_limits, time_wait_overflow,
	  tw_overflow_strings),
	U("max_send_buffers", struct cfg_raw_limits, max_send_buffers),
	U("max_receive_buffers", struct cfg_raw_limits, max_receive_buffers),
	U("max_syn_recv", struct cfg_raw_limits, max_syn_recv),
	U("max_time_wait6", struct cfg_raw_limits, max_time_wait6),
	U("max_connections_per_source", struct cfg_raw_limits,
	  max_connections_per_source),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t stats_fields[] = {
	U("interval_ms", struct cfg_raw_stats, interval_ms),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t metrics_fields[] = {
	STR("listen", struct cfg_raw_metrics, listen),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t drain_fields[] = {
	U("timeout_ms", struct cfg_raw_drain, timeout_ms),
	B("wait_time_wait", struct cfg_raw_drain, wait_time_wait),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t top_fields[] = {
	CYAML_FIELD_SEQUENCE("ports", OPT | CYAML_FLAG_POINTER, struct cfg_raw,
			     ports, &port_entry, 0, CFG_SEQ_MAX),
	U("workers", struct cfg_raw, workers),
	CYAML_FIELD_SEQUENCE("listeners", OPT | CYAML_FLAG_POINTER,
			     struct cfg_raw, listeners, &listener_entry, 0,
			     CFG_SEQ_MAX),
	CYAML_FIELD_MAPPING_PTR("tcp", SECTION_FLAGS, struct cfg_raw, tcp,
				tcp_fields),
	CYAML_FIELD_MAPPING_PTR("limits", SECTION_FLAGS, struct cfg_raw, limits,
				limits_fields),
	CYAML_FIELD_MAPPING_PTR("stats", SECTION_FLAGS, struct cfg_raw, stats,
				stats_fields),
	CYAML_FIELD_MAPPING_PTR("metrics", SECTION_FLAGS, struct cfg_raw,
				metrics, metrics_fields),
	CYAML_FIELD_MAPPING_PTR("drain", SECTION_FLAGS, struct cfg_raw, drain,
				drain_fields),
	CYAML_FIELD_END,
};

const cyaml_schema_value_t cfg_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct cfg_raw, top_fields),
};

static const char *
strval_name(const cyaml_strval_t *t, size_t n, int64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].val == v)
			return t[i].str;
	return "unknown";
}

const char *
cfg_app_name(enum cfg_app a)
{
	return strval_name(app_strings, N(app_strings), a);
}

const char *
cfg_close_name(enum cfg_close c)
{
	return strval_name(close_strings, N(close_strings), c);
}

const char *
cfg_tw_reuse_name(enum cfg_tw_reuse r)
{
	return strval_name(tw_reuse_strings, N(tw_reuse_strings), r);
}

const char *
cfg_syncookies_name(enum cfg_syncookies s)
{
	return strval_name(syncookies_strings, N(syncookies_strings), s);
}

const char *
cfg_congestion_name(enum cfg_congestion cc)
{
	return strval_name(congestion_strings, N(congestion_strings), cc);
}

const char *
cfg_tw_overflow_name(enum cfg_tw_overflow o)
{
	return strval_name(tw_overflow_strings, N(tw_overflow_strings), o);
}

const char *
cfg_steering_name(enum cfg_steering s)
{
	return strval_name(steering_strings, N(steering_strings), s);
}

const char *
cfg_family_name(enum cfg_family f)
{
	return strval_name(family_strings, N(family_strings), f);
}

/* libcyaml's log output, kept to explain a failed load. */
struct cyaml_log {
	char text[CFG_LOG_MAX];
	size_t len;
};

static void
log_capture(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct cyaml_log *l = ctx;
	int r;

	if (level < CYAML_LOG_ERROR || l->len >= sizeof(l->text) - 1)
		return;
	r = vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, args);
	if (r > 0)
		l->len += (size_t)r;
	if (l->len >= sizeof(l->text))
		l->len = sizeof(l->text) - 1;
}

int
cfg_load_string(const char *name, const char *yaml, size_t len, struct cfg *c,
		char *err, size_t errlen)
{
	struct cfg_index ix = { 0 };
	struct cfg_err e = { .name = name, .buf = err, .len = errlen };
	struct cyaml_log log = { .len = 0 };
	const cyaml_config_t cy = {
		.log_fn = log_capture,
		.log_ctx = &log,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
	};
	struct cfg_raw *raw = NULL;
	struct cfg tmp;
	cyaml_err_t cerr;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (cfg_index_build(&ix, yaml, len, &e) < 0)
		goto fail;
	e.ix = &ix;
	if (cfg_index_find(&ix, "") == NULL) {
		cfg_err_at(&e, 0, 0,
			   "empty configuration: expected a mapping "
			   "with at least 'ports' and 'listeners'");
		goto fail;
	}
	cerr = cyaml_load_data((const uint8_t *)yaml, len, &cy, &cfg_schema,
			       (cyaml_data_t **)&raw, NULL);
	if (cerr != CYAML_OK || raw == NULL) {
		log.text[log.len] = '\0';
		if (cerr == CYAML_OK)
			cfg_errf(&e, "", false, "empty configuration");
		else if (log.len > 0)
			cfg_cyaml_error(log.text, &e);
		else
			cfg_errf(&e, "", false, "%s", cyaml_strerror(cerr));
		goto fail;
	}
	rc = cfg_convert(raw, &tmp, &e);
	cyaml_free(&cy, &cfg_schema, raw, 0);
	if (rc < 0)
		goto fail;
	cfg_index_free(&ix);
	*c = tmp;
	return 0;
fail:
	cfg_index_free(&ix);
	return -1;
}

/* Read a whole stream into a malloc'd buffer. */
static int
read_all(FILE *f, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;

	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > CFG_FILE_MAX)
				cap = CFG_FILE_MAX + 1;
			if (len == cap) {
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		errno = 0;
		len += fread(buf + len, 1, cap - len, f);
		if (ferror(f)) {
			free(buf);
			/* read(2)'s reason, e.g. EISDIR for a directory */
			return errno != 0 ? -errno : -EIO;
		}
		if (feof(f))
			break;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int
cfg_load_file(const char *path, struct cfg *c, char *err, size_t errlen)
{
	struct cfg_err e = { .name = path, .buf = err, .len = errlen };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	f = fopen(path, "r");
	if (f == NULL)
		return cfg_err_at(&e, -1, -1, "cannot open: %s",
				  strerror(errno));
	rc = read_all(f, &buf, &len);
	fclose(f);
	if (rc == -EFBIG)
		return cfg_err_at(&e, -1, -1,
				  "file too large (more than %u "
				  "bytes)",
				  CFG_FILE_MAX);
	if (rc < 0)
		return cfg_err_at(&e, -1, -1, "cannot read: %s", strerror(-rc));
	rc = cfg_load_string(path, buf, len, c, err, errlen);
	free(buf);
	return rc;
}
