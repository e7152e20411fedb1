/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prometheus /metrics: a plain pthread (never a worker) with a kernel TCP
 * socket and a minimal HTTP/1.0 responder. It answers GET /metrics with
 * the text exposition format (version 0.0.4), HEAD /metrics with the same
 * header and no body (RFC 9110 9.3.2), another standard method on
 * /metrics with 405 and Allow, a method it does not know with 501, any
 * other target with 404 and a request line without a target with 400;
 * requests are read up to TT_METRICS_REQ_MAX bytes and TT_METRICS_IO_MS,
 * one at a time; a head that does not end within them is answered 431
 * (RFC 6585 5), or 414/501 when the request line itself is cut, and
 * one that neither ends nor is cut within the time 408 (RFC 9110
 * 15.5.9). The thread counts its own answers and the bounds it applied
 * (tcpterm_metrics_*).
 * Values are the counters and gauges the telemetry reads, with the same
 * lock-free 64-bit loads; names follow the Prometheus conventions and
 * are derived from the counter lists and their kinds.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_lcore.h>

#include "tcpterm.h"

#define TT_METRICS_REQ_MAX 4096
#define TT_METRICS_IO_MS 2000
#define TT_METRICS_LINGER (64 * 1024)

/* The answers the thread gives: name, status code, reason phrase. */
#define MET_STATUSES(X) \
	X(OK, 200, "OK") \
	X(BAD_REQUEST, 400, "Bad Request") \
	X(NOT_FOUND, 404, "Not Found") \
	X(NOT_ALLOWED, 405, "Method Not Allowed") \
	X(TIMEOUT, 408, "Request Timeout") \
	X(URI_TOO_LONG, 414, "URI Too Long") \
	X(FIELDS_TOO_LARGE, 431, "Request Header Fields Too Large") \
	X(ERROR, 500, "Internal Server Error") \
	X(NOT_IMPLEMENTED, 501, "Not Implemented")

enum met_status {
#define MET_ENUM(name, code, reason) MET_S_##name,
	MET_STATUSES(MET_ENUM)
#undef MET_ENUM
		MET_STATUS_COUNT,
};

static const struct {
	unsigned int code;
	const char *reason;
} met_status_line[MET_STATUS_COUNT] = {
#define MET_LINE(name, code, reason) [MET_S_##name] = { code, reason },
	MET_STATUSES(MET_LINE)
#undef MET_LINE
};

/* The bounds that can end a connection before the client does. */
enum met_cut {
	MET_CUT_SEND_TIME,   /* the answer not taken in TT_METRICS_IO_MS */
	MET_CUT_DRAIN_TIME,  /* the drain's TT_METRICS_IO_MS passed */
	MET_CUT_DRAIN_BYTES, /* TT_METRICS_LINGER bytes drained */
	MET_CUTS,
};

static const char *const met_cut_names[MET_CUTS] = {
	[MET_CUT_SEND_TIME] = "send_time",
	[MET_CUT_DRAIN_TIME] = "drain_time",
	[MET_CUT_DRAIN_BYTES] = "drain_bytes",
};

/*
 * The thread's own counters. Only the metrics thread writes or reads
 * them (it renders what it counted), so they need no atomics.
 */
struct met_counters {
	uint64_t answers[MET_STATUS_COUNT]; /* sent whole */
	uint64_t cut[MET_CUTS];
	uint64_t accept_errors;
};

struct tt_metrics {
	int fd;
	pthread_t thread;
	struct dp_core *const *cores;
	unsigned int n;
	volatile int stop;
	struct met_counters mc;
};

static struct tt_metrics tt_met = { .fd = -1 };

static uint64_t
rd(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Per-worker state gauges. */
static void
met_states(FILE *f, const struct tt_metrics *m)
{
	unsigned int w, s;

	family(f, "tcpterm_connections", "gauge",
	       "Connections per TCP state and worker (TIME_WAIT records "
	       "included).");
	for (w = 0; w < m->n; w++) {
		const uint64_t *g = tcp_state_gauges(m->cores[w]->tcp);

		for (s = 0; s < TCP_STATE_MAX; s++)
			fprintf(f,
				"tcpterm_connections{worker=\"%u\","
				"state=\"%s\"} %llu\n",
				w, tcp_state_name(s),
				(unsigned long long)rd(&g[s]));
	}
	family(f, "tcpterm_time_wait_entries", "gauge",
	       "TIME_WAIT records held, per worker.");
	for (w = 0; w < m->n; w++)
		fprintf(f, "tcpterm_time_wait_entries{worker=\"%u\"} %llu\n", w,
			(unsigned long long)rd(&tcp_state_gauges(
				m->cores[w]->tcp)[TCP_TIME_WAIT]));
}

/* Counter i's metric name when it is not a drop (NULL: its own). */
static const char *
met_event_name(const char *c)
{
	static const char *const map[][2] = {
		{ "seg_in", "tcpterm_segments_received_total" },
		{ "seg_out", "tcpterm_segments_sent_total" },
		{ "rst_sent", "tcpterm_resets_sent_total" },
		{ "rst_rx", "tcpterm_resets_received_total" },
		{ "bytes_in", "tcpterm_received_bytes_total" },
		{ "bytes_out", "tcpterm_sent_bytes_total" },
		{ "conn_opened", "tcpterm_connections_opened_total" },
		{ "conn_closed", "tcpterm_connections_closed_total" },
		{ "tw_created", "tcpterm_time_wait_created_total" },
		{ "tw_expired", "tcpterm_time_wait_expired_total" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(map); i++)
		if (strcmp(map[i][0], c) == 0)
			return map[i][1];
	return NULL;
}

static bool
met_is_timeout(const char *c)
{
	size_t len = strlen(c);

	return len > 8 && strcmp(c + len - 8, "_timeout") == 0;
}

/* TCP counters by kind: drops, timeouts, events and gauges. */
static void
met_tcp(FILE *f, const struct tcp_counters *tc)
{
	const uint64_t *t = (const uint64_t *)tc;
	const char *name, *mapped;
	char full[128];
	unsigned int i;

	family(f, "tcpterm_timeouts_total", "counter",
	       "Connections timed out, by timer.");
	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (met_is_timeout(tcp_counter_name(i)))
			fprintf(f,
				"tcpterm_timeouts_total{timer=\"%.*s\"} "
				"%llu\n",
				(int)strlen(tcp_counter_name(i)) - 8,
				tcp_counter_name(i), (unsigned long long)t[i]);
	for (i = 0; i < TCP_COUNTER_COUNT; i++) {
		name = tcp_counter_name(i);
		if (tcp_counter_kind(i) == TCP_COUNTER_DROP ||
		    met_is_timeout(name))
			continue;
		mapped = met_event_name(name);
		if (tcp_counter_kind(i) == TCP_COUNTER_GAUGE)
			snprintf(full, sizeof(full), "tcpterm_%s", name);
		else if (mapped != NULL)
			snprintf(full, sizeof(full), "%s", mapped);
		else
			snprintf(full, sizeof(full), "tcpterm_%s_total", name);
		family(f, full,
		       tcp_counter_kind(i) == TCP_COUNTER_GAUGE ? "gauge" :
								  "counter",
		       tcp_counter_desc(i));
		fprintf(f, "%s %llu\n", full, (unsigned long long)t[i]);
	}
}

/* Every drop, one family: TCP DROP counters, parser and glue drops. */
static void
met_drops(FILE *f, const struct tcp_counters *tc, const struct dp_counters *gc,
	  const uint64_t *drops)
{
	const uint64_t *t = (const uint64_t *)tc;
	const uint64_t *g = (const uint64_t *)gc;
	unsigned int i;

	family(f, "tcpterm_drops_total", "counter",
	       "Segments, packets or timers dropped, by reason.");
	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (tcp_counter_kind(i) == TCP_COUNTER_DROP)
			fprintf(f, "tcpterm_drops_total{reason=\"%s\"} %llu\n",
				tcp_counter_name(i), (unsigned long long)t[i]);
	for (i = NET_DROP_NONE + 1; i < NET_DROP_MAX; i++)
		fprintf(f, "tcpterm_drops_total{reason=\"rx_%s\"} %llu\n",
			net_drop_name(i), (unsigned long long)drops[i]);
	for (i = 0; i < DP_COUNTER_COUNT; i++)
		if (dp_counter_kind(i) == TCP_COUNTER_DROP)
			fprintf(f, "tcpterm_drops_total{reason=\"%s\"} %llu\n",
				dp_counter_name(i), (unsigned long long)g[i]);
}

/* Glue counters that are not drops: packets, ARP, steering. */
static void
met_glue(FILE *f, const struct dp_counters *gc)
{
	const uint64_t *g = (const uint64_t *)gc;
	const char *name;
	char full[128];
	unsigned int i;

	for (i = 0; i < DP_COUNTER_COUNT; i++) {
		if (dp_counter_kind(i) == TCP_COUNTER_DROP)
			continue;
		name = dp_counter_name(i);
		snprintf(full, sizeof(full), "tcpterm_port_%s_total", name);
		family(f, full, "counter", dp_counter_desc(i));
		fprintf(f, "%s %llu\n", full, (unsigned long long)g[i]);
	}
}

/* A label value, escaped as the exposition format wants. */
static void
met_label_value(FILE *f, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

/*
 * Per-port counters, one family per counter with the port's index and
 * device as labels: tcpterm_if_rx_packets_total{port="0",device="..."}.
 */
static void
met_ports(FILE *f, const struct tt_metrics *m)
{
	struct dp_port_counters pc[DP_MAX_PORTS];
	unsigned int i, pi, n = m->n != 0 ? m->cores[0]->n_ports : 0;
	char full[128];

	for (pi = 0; pi < n; pi++)
		dp_sum_port(m->cores, m->n, pi, &pc[pi]);
	for (i = 0; n != 0 && i < DP_PORT_COUNTER_COUNT; i++) {
		snprintf(full, sizeof(full), "tcpterm_if_%s_total",
			 dp_port_counter_name(i));
		family(f, full, "counter", dp_port_counter_desc(i));
		for (pi = 0; pi < n; pi++) {
			fprintf(f, "%s{port=\"%u\",device=\"", full, pi);
			met_label_value(f, m->cores[0]->ports[pi].port->name);
			fprintf(f, "\"} %llu\n",
				(unsigned long long)((
					const uint64_t *)&pc[pi])[i]);
		}
	}
}

static void
met_pools(FILE *f, const struct tt_metrics *m)
{
	static const char *const what[][2] = {
		{ "tcpterm_pool_capacity", "Objects a pool holds at most." },
		{ "tcpterm_pool_used", "Objects of a pool in use." },
		{ "tcpterm_pool_bytes", "Memory of a pool." },
	};
	struct tcp_mem_pool p[TCP_MEM_POOLS];
	unsigned int k, w, i, n;
	uint64_t v;

	for (k = 0; k < RTE_DIM(what); k++) {
		family(f, what[k][0], "gauge", what[k][1]);
		for (w = 0; w < m->n; w++) {
			n = tcp_ctx_mem_usage(m->cores[w]->tcp, p,
					      TCP_MEM_POOLS);
			for (i = 0; i < n; i++) {
				v = k == 0 ? p[i].objects :
					     (k == 1 ? p[i].used : p[i].bytes);
				if (k < 2 && p[i].objects == 0)
					continue;
				fprintf(f,
					"%s{worker=\"%u\",pool=\"%s\"} "
					"%llu\n",
					what[k][0], w, p[i].name,
					(unsigned long long)v);
			}
		}
	}
}

/* The metrics thread's own counters. */
static void
met_self(FILE *f, const struct met_counters *mc)
{
	char help[160];
	unsigned int i;

	family(f, "tcpterm_metrics_answers_total", "counter",
	       "Answers of the /metrics endpoint sent whole, by status code "
	       "(this scrape's own not yet in).");
	for (i = 0; i < MET_STATUS_COUNT; i++)
		fprintf(f, "tcpterm_metrics_answers_total{code=\"%u\"} %llu\n",
			met_status_line[i].code,
			(unsigned long long)mc->answers[i]);
	snprintf(help, sizeof(help),
		 "Connections to /metrics closed before the client closed, "
		 "by the bound reached (%d ms to send, %d ms or %d bytes to "
		 "drain).",
		 TT_METRICS_IO_MS, TT_METRICS_IO_MS, TT_METRICS_LINGER);
	family(f, "tcpterm_metrics_cut_total", "counter", help);
	for (i = 0; i < MET_CUTS; i++)
		fprintf(f, "tcpterm_metrics_cut_total{bound=\"%s\"} %llu\n",
			met_cut_names[i], (unsigned long long)mc->cut[i]);
	family(f, "tcpterm_metrics_accept_errors_total", "counter",
	       "accept() calls on the /metrics socket that failed.");
	fprintf(f, "tcpterm_metrics_accept_errors_total %llu\n",
		(unsigned long long)mc->accept_errors);
}

/* The whole exposition, in a malloc()ed string (NULL on failure). */
static char *
met_render(const struct tt_metrics *m, size_t *len)
{
	struct tcp_counters tc;
	struct dp_counters gc;
	uint64_t drops[NET_DROP_MAX];
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	dp_sum_tcp(m->cores, m->n, &tc);
	dp_sum_glue(m->cores, m->n, &gc);
	dp_sum_drops(m->cores, m->n, drops);
	met_states(f, m);
	met_tcp(f, &tc);
	met_drops(f, &tc, &gc, drops);
	met_glue(f, &gc);
	met_ports(f, m);
	met_pools(f, m);
	met_self(f, &m->mc);
	family(f, "tcpterm_workers", "gauge", "Worker lcores.");
	fprintf(f, "tcpterm_workers %u\n", m->n);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * One answer: the status, an Allow field when given, the body's type and
 * length, and the body unless the request was a HEAD (whose answer is the
 * GET's header alone).
 */
struct met_reply {
	enum met_status status;
	const char *allow; /* NULL: no Allow field */
	const char *type;
	const char *body;
	size_t len;
	bool head;
};

/* A plain-text answer with the given status and Allow field. */
static void
met_text(struct met_reply *r, enum met_status status, const char *allow,
	 const char *text)
{
	r->status = status;
	r->allow = allow;
	r->type = "text/plain";
	r->body = text;
	r->len = strlen(text);
}

/* What a request line asks for: GET or HEAD of /metrics, or else. */
enum met_ask {
	MET_GET,
	MET_HEAD,
	MET_OTHER_METHOD,   /* a standard one, of /metrics: 405 */
	MET_UNKNOWN_METHOD, /* not a standard method: 501 */
	MET_NOT_FOUND,	    /* another target: 404 */
	MET_BAD,	    /* no method and target: 400 */
};

static bool
met_is(const char *tok, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(tok, word, len) == 0;
}

/*
 * The methods of RFC 9110 9.3 other than GET and HEAD, and RFC 5789's
 * PATCH: known, so refused on /metrics with 405 and Allow (RFC 9110
 * 15.5.6); any other token is a method the server does not recognise,
 * 501 (RFC 9110 9.1, 15.6.2), whatever the target.
 */
static const char *const met_methods[] = { "POST",    "PUT",	 "DELETE",
					   "CONNECT", "OPTIONS", "TRACE",
					   "PATCH" };

static bool
met_known(const char *tok, size_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(met_methods) / sizeof(met_methods[0]); i++)
		if (met_is(tok, len, met_methods[i]))
			return true;
	return false;
}

/*
 * "METHOD SP TARGET [SP VERSION]": the method is case-sensitive (RFC 9110
 * 9.1) and the target's query is ignored. *head says whether the method
 * is HEAD, whatever the target, so that no answer to a HEAD has a body.
 */
static enum met_ask
met_parse(const char *req, bool *head)
{
	const char *sep = " \r\n";
	size_t mlen, tlen, plen;
	const char *target;

	/* RFC 9112 2.2: empty lines before the request line are ignored. */
	req += strspn(req, "\r\n");
	mlen = strcspn(req, sep);
	*head = met_is(req, mlen, "HEAD");
	if (mlen == 0 || req[mlen] != ' ')
		return MET_BAD;
	target = req + mlen + 1;
	tlen = strcspn(target, sep);
	if (tlen == 0)
		return MET_BAD;
	if (!*head && !met_is(req, mlen, "GET") && !met_known(req, mlen))
		return MET_UNKNOWN_METHOD;
	plen = strcspn(target, " \r\n?");
	if (!met_is(target, plen, "/metrics"))
		return MET_NOT_FOUND;
	if (met_is(req, mlen, "GET"))
		return MET_GET;
	return *head ? MET_HEAD : MET_OTHER_METHOD;
}

/* Whether the request head read so far is complete (its empty line). */
static bool
met_head_done(const char *req)
{
	return strstr(req, "\r\n\r\n") != NULL || strstr(req, "\n\n") != NULL;
}

/* Milliseconds on the monotonic clock. */
static int64_t
met_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether fd becomes ready for events before deadline (met_ms()). What
 * is ready when the deadline has passed still counts: a thread late to
 * look does not turn bytes already there into a timeout.
 */
static bool
met_wait(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int r;

	do {
		left = deadline - met_ms();
		r = poll(&p, 1, left > 0 ? (int)left : 0);
	} while (r < 0 && errno == EINTR);
	return r > 0;
}

#define MET_IO_TIMEOUT (-2)

/*
 * Read what fd has into buf, at most cap bytes, waiting for it until
 * deadline: the count, 0 at the client's end, -1 on an error,
 * MET_IO_TIMEOUT at the deadline.
 */
static ssize_t
met_recv_until(int fd, char *buf, size_t cap, int64_t deadline)
{
	ssize_t n;

	for (;;) {
		if (!met_wait(fd, POLLIN, deadline))
			return MET_IO_TIMEOUT;
		n = recv(fd, buf, cap, MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
	}
}

/*
 * Send len bytes of buf by deadline: 0 when all went, -1 on an error,
 * MET_IO_TIMEOUT when the client did not take them in time.
 */
static int
met_send_until(int fd, const char *buf, size_t len, int64_t deadline)
{
	ssize_t w;

	while (len > 0) {
		w = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w > 0) {
			buf += w;
			len -= (size_t)w;
			continue;
		}
		if (w == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		if (!met_wait(fd, POLLOUT, deadline))
			return MET_IO_TIMEOUT;
	}
	return 0;
}

/*
 * Send the answer r within TT_METRICS_IO_MS in all, however slowly the
 * client reads; count it when it went whole, or the cut. Whether it went.
 */
static bool
met_send(struct met_counters *mc, int fd, const struct met_reply *r)
{
	int64_t deadline = met_ms() + TT_METRICS_IO_MS;
	char head[256];
	int n, err;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.0 %u %s\r\n%s%s%sContent-Type: %s\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		     met_status_line[r->status].code,
		     met_status_line[r->status].reason,
		     r->allow != NULL ? "Allow: " : "",
		     r->allow != NULL ? r->allow : "",
		     r->allow != NULL ? "\r\n" : "", r->type, r->len);
	if (n < 0 || (size_t)n >= sizeof(head))
		return false;
	err = met_send_until(fd, head, (size_t)n, deadline);
	if (err == 0 && !r->head)
		err = met_send_until(fd, r->body, r->len, deadline);
	if (err == MET_IO_TIMEOUT)
		mc->cut[MET_CUT_SEND_TIME]++;
	if (err != 0)
		return false;
	mc->answers[r->status]++;
	return true;
}

/* How the read of a request head ended. */
enum met_head {
	MET_HEAD_DONE,	  /* its empty line came */
	MET_HEAD_CUT,	  /* TT_METRICS_REQ_MAX bytes without it */
	MET_HEAD_CLOSED,  /* the client closed its side first */
	MET_HEAD_TIMEOUT, /* TT_METRICS_IO_MS came first */
	MET_HEAD_ERROR,	  /* the connection failed (a reset) */
};

/*
 * Read the request head into req: at most TT_METRICS_REQ_MAX bytes and
 * TT_METRICS_IO_MS in all, however slowly they come. *got is the count.
 */
static enum met_head
met_read_head(int fd, char *req, size_t *got)
{
	int64_t deadline = met_ms() + TT_METRICS_IO_MS;
	ssize_t n;

	*got = 0;
	req[0] = '\0';
	for (;;) {
		if (met_head_done(req))
			return MET_HEAD_DONE;
		if (*got == TT_METRICS_REQ_MAX)
			return MET_HEAD_CUT;
		n = met_recv_until(fd, req + *got, TT_METRICS_REQ_MAX - *got,
				   deadline);
		if (n == MET_IO_TIMEOUT)
			return MET_HEAD_TIMEOUT;
		if (n == 0)
			return MET_HEAD_CLOSED;
		if (n < 0)
			return MET_HEAD_ERROR;
		*got += (size_t)n;
		req[*got] = '\0';
	}
}

/*
 * Before the close: the client may still be sending (a body, the rest
 * of a head cut at TT_METRICS_REQ_MAX), and a close with its bytes
 * unread would reset the connection and could destroy the answer before
 * it is read (RFC 9112 9.6). Half-close, then read and discard until the
 * client closes, at most TT_METRICS_LINGER bytes and TT_METRICS_IO_MS in
 * all: a client trickling bytes holds the thread no longer. A bound
 * that ends the drain before the client's close is counted.
 */
static void
met_linger(struct met_counters *mc, int fd)
{
	int64_t deadline = met_ms() + TT_METRICS_IO_MS;
	size_t left = TT_METRICS_LINGER;
	char sink[1024];
	ssize_t n;

	shutdown(fd, SHUT_WR);
	while (left > 0) {
		n = met_recv_until(fd, sink, RTE_MIN(sizeof(sink), left),
				   deadline);
		if (n == MET_IO_TIMEOUT)
			mc->cut[MET_CUT_DRAIN_TIME]++;
		if (n <= 0)
			return;
		left -= (size_t)n;
	}
	/* All of the bound read: cut unless the client's end is next. */
	if (recv(fd, sink, 1, MSG_DONTWAIT | MSG_PEEK) != 0)
		mc->cut[MET_CUT_DRAIN_BYTES]++;
}

/*
 * The status for a head cut at TT_METRICS_REQ_MAX (RFC 9112 3): the
 * request line itself unfinished, 501 for a method that does not end
 * (no space yet), else 414 for the target; a finished request line,
 * 431 for the fields (RFC 6585 5).
 */
static enum met_status
met_cut_status(const char *req)
{
	const char *line = req + strspn(req, "\r\n");

	if (strchr(line, '\n') != NULL)
		return MET_S_FIELDS_TOO_LARGE;
	if (strchr(line, ' ') == NULL)
		return MET_S_NOT_IMPLEMENTED;
	return MET_S_URI_TOO_LONG;
}

/*
 * The answer to a request whose head ended as `end` says. A head the
 * client ended by closing its side is answered as it stands (the client
 * said it has no more to send: an HTTP/1.0 tool that sends the request
 * line alone is served); one that neither ended nor filled the bound in
 * time gets 408 (RFC 9110 15.5.9). *body is the rendering to free.
 */
static void
met_reply_to(const struct tt_metrics *m, const char *req, enum met_head end,
	     struct met_reply *r, char **body)
{
	enum met_ask ask = met_parse(req, &r->head);

	if (end == MET_HEAD_TIMEOUT)
		met_text(r, MET_S_TIMEOUT, NULL, "request timeout\n");
	else if (end == MET_HEAD_CUT)
		met_text(r, met_cut_status(req), NULL, "request too long\n");
	else if (ask == MET_OTHER_METHOD)
		met_text(r, MET_S_NOT_ALLOWED, "GET, HEAD",
			 "method not allowed\n");
	else if (ask == MET_UNKNOWN_METHOD)
		met_text(r, MET_S_NOT_IMPLEMENTED, NULL,
			 "method not implemented\n");
	else if (ask == MET_NOT_FOUND)
		met_text(r, MET_S_NOT_FOUND, NULL, "not found\n");
	else if (ask == MET_BAD)
		met_text(r, MET_S_BAD_REQUEST, NULL, "bad request\n");
	else if ((*body = met_render(m, &r->len)) == NULL)
		met_text(r, MET_S_ERROR, NULL, "error\n");
	else
		*r = (struct met_reply){
			.status = MET_S_OK,
			.type = "text/plain; version=0.0.4; charset=utf-8",
			.body = *body,
			.len = r->len,
			.head = r->head,
		};
}

/*
 * Read the request head (bounded), answer it, linger, close. A
 * connection that failed, or was closed with nothing sent (a port
 * check), gets no answer.
 */
static void
met_serve(struct tt_metrics *m, int fd)
{
	char req[TT_METRICS_REQ_MAX + 1];
	struct met_reply r = { 0 };
	enum met_head end;
	char *body = NULL;
	bool sent;
	size_t got;

	end = met_read_head(fd, req, &got);
	if (end == MET_HEAD_ERROR || (end == MET_HEAD_CLOSED && got == 0))
		return;
	met_reply_to(m, req, end, &r, &body);
	sent = met_send(&m->mc, fd, &r);
	free(body);
	if (sent)
		met_linger(&m->mc, fd);
}

/*
 * accept() failed. Most failures last (out of descriptors or memory, a
 * policy that refuses) and leave the listening socket readable: pause,
 * as long as a poll, rather than spin. A connection gone before it was
 * taken (or a signal) is retried at once.
 */
static void
met_accept_failed(struct tt_metrics *m)
{
	int err = errno;

	m->mc.accept_errors++;
	if (err != EINTR && err != ECONNABORTED && err != EAGAIN &&
	    err != EWOULDBLOCK)
		poll(NULL, 0, 200);
}

static void *
met_main(void *arg)
{
	struct tt_metrics *m = arg;
	struct pollfd pfd = { .fd = m->fd, .events = POLLIN };
	int c;

	while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		c = accept(m->fd, NULL, NULL);
		if (c < 0) {
			met_accept_failed(m);
			continue;
		}
		met_serve(m, c);
		close(c);
	}
	return NULL;
}

int
tt_metrics_start(const struct cfg_metrics *cm, struct dp_core *const *cores,
		 unsigned int n)
{
	struct tt_metrics *m = &tt_met;
	struct sockaddr_in sa;
	int one = 1, err;

	if (!cm->enabled)
		return 0;
	m->cores = cores;
	m->n = n;
	m->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->fd < 0)
		return -errno;
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(cm->addr);
	sa.sin_port = htons(cm->port);
	if (bind(m->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(m->fd, 16) != 0) {
		err = -errno;
		close(m->fd);
		m->fd = -1;
		return err;
	}
	/* On the control threads' CPUs, off the workers' (EAL's affinity). */
	err = rte_ctrl_thread_create(&m->thread, "tt-metrics", NULL, met_main,
				     m);
	if (err != 0) {
		close(m->fd);
		m->fd = -1;
		return -err;
	}
	return 0;
}

void
tt_metrics_stop(void)
{
	struct tt_metrics *m = &tt_met;

	if (m->fd < 0)
		return;
	__atomic_store_n(&m->stop, 1, __ATOMIC_RELEASE);
	pthread_join(m->thread, NULL);
	close(m->fd);
	m->fd = -1;
}
