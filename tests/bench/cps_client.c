/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A kernel TCP client for the cps benchmark's Linux baseline: the same
 * scenarios as tcpterm-gen, with the same request, through sockets.
 *
 *   cps_client DST_ADDR PORT MODE CONCURRENCY SECONDS RESP_BYTES SRC...
 *
 * MODE short: request, read the response and the server's FIN, close;
 * client-close: close after the response (the client closes first);
 * keepalive: CONCURRENCY connections, requests back to back. Connections
 * are bound round robin to the SRC addresses. Prints one JSON line.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_EVENTS 256
#define MAX_SAMPLES (1 << 20)

enum mode { M_SHORT, M_CLIENT_CLOSE, M_KEEPALIVE };

struct conn {
	double t0;
	uint32_t got;
	uint8_t connected;
	uint8_t done; /* response complete */
};

static const char req[] = "GET / HTTP/1.1\r\nHost: tcpterm\r\n\r\n";

struct client {
	enum mode mode;
	struct sockaddr_in dst;
	struct in_addr *src;
	int n_src;
	int next_src;
	int ep;
	int running;
	uint32_t resp_bytes;
	struct conn *conns;
	int max_fd;
	uint64_t opened, completed, requests, failed;
	double *lat;
	uint64_t n_lat;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
open_one(struct client *cl)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct sockaddr_in sa;
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || fd >= cl->max_fd) {
		if (fd >= 0)
			close(fd);
		cl->failed++;
		return;
	}
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = cl->src[cl->next_src++ % cl->n_src];
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    (connect(fd, (struct sockaddr *)&cl->dst, sizeof(cl->dst)) != 0 &&
	     errno != EINPROGRESS)) {
		close(fd);
		cl->failed++;
		return;
	}
	memset(&cl->conns[fd], 0, sizeof(cl->conns[fd]));
	cl->conns[fd].t0 = now_s();
	ev.data.fd = fd;
	epoll_ctl(cl->ep, EPOLL_CTL_ADD, fd, &ev);
	cl->opened++;
}

static void
finish(struct client *cl, int fd, int ok)
{
	close(fd);
	if (ok)
		cl->completed++;
	else
		cl->failed++;
	if (cl->running)
		open_one(cl);
}

static void
send_req(struct client *cl, int fd)
{
	struct conn *c = &cl->conns[fd];

	c->got = 0;
	c->done = 0;
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		finish(cl, fd, 0);
}

static void
on_connected(struct client *cl, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	struct conn *c = &cl->conns[fd];
	socklen_t len = sizeof(int);
	int err = 0;

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		finish(cl, fd, 0);
		return;
	}
	c->connected = 1;
	if (cl->n_lat < MAX_SAMPLES)
		cl->lat[cl->n_lat++] = now_s() - c->t0;
	epoll_ctl(cl->ep, EPOLL_CTL_MOD, fd, &ev);
	send_req(cl, fd);
}

static void
on_readable(struct client *cl, int fd)
{
	struct conn *c = &cl->conns[fd];
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			finish(cl, fd, n == 0 && c->done);
			return;
		}
		c->got += (uint32_t)n;
		if (c->got < cl->resp_bytes)
			continue;
		c->done = 1;
		cl->requests++;
		if (cl->mode == M_CLIENT_CLOSE ||
		    (cl->mode == M_KEEPALIVE && !cl->running)) {
			finish(cl, fd, 1);
			return;
		}
		if (cl->mode == M_KEEPALIVE)
			send_req(cl, fd);
		if (cl->mode == M_KEEPALIVE)
			return;
	}
}

/* CPU time of this process (user + system) in seconds. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(struct client *cl, double p)
{
	uint64_t i;

	if (cl->n_lat == 0)
		return 0;
	i = (uint64_t)(cl->n_lat * p / 100.0);
	if (i >= cl->n_lat)
		i = cl->n_lat - 1;
	return cl->lat[i] * 1e6;
}

static void
run(struct client *cl, int conc, double seconds)
{
	struct epoll_event evs[MAX_EVENTS];
	double t0 = now_s(), end = t0 + seconds, stop_by = end + 3;
	uint64_t inflight;
	int i, n;

	cl->running = 1;
	for (i = 0; i < conc; i++)
		open_one(cl);
	for (;;) {
		double t = now_s();

		if (cl->running && t >= end)
			cl->running = 0;
		inflight = cl->opened - cl->completed - cl->failed;
		if (!cl->running && (inflight == 0 || t >= stop_by))
			break;
		n = epoll_wait(cl->ep, evs, MAX_EVENTS, 10);
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (!cl->conns[fd].connected)
				on_connected(cl, fd);
			else
				on_readable(cl, fd);
		}
	}
	cl->failed += cl->opened - cl->completed - cl->failed;
}

int
main(int argc, char **argv)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	struct client cl;
	double seconds, t0, c0;
	int conc, i;

	if (argc < 8) {
		fprintf(stderr,
			"usage: cps_client DST PORT short|client-close|"
			"keepalive CONCURRENCY SECONDS RESP_BYTES SRC...\n");
		return 2;
	}
	memset(&cl, 0, sizeof(cl));
	if (strcmp(argv[3], "short") == 0)
		cl.mode = M_SHORT;
	else if (strcmp(argv[3], "client-close") == 0)
		cl.mode = M_CLIENT_CLOSE;
	else
		cl.mode = M_KEEPALIVE;
	conc = atoi(argv[4]);
	seconds = atof(argv[5]);
	cl.resp_bytes = (uint32_t)atoi(argv[6]);
	cl.dst.sin_family = AF_INET;
	cl.dst.sin_port = htons((uint16_t)atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &cl.dst.sin_addr);
	cl.n_src = argc - 7;
	cl.src = calloc(cl.n_src, sizeof(*cl.src));
	for (i = 0; i < cl.n_src; i++)
		inet_pton(AF_INET, argv[7 + i], &cl.src[i]);
	setrlimit(RLIMIT_NOFILE, &rl);
	cl.max_fd = conc * 2 + 64;
	cl.conns = calloc(cl.max_fd, sizeof(*cl.conns));
	cl.lat = malloc(sizeof(double) * MAX_SAMPLES);
	cl.ep = epoll_create1(0);
	if (!cl.src || !cl.conns || !cl.lat || cl.ep < 0)
		return 1;
	t0 = now_s();
	c0 = cpu_seconds();
	run(&cl, conc, seconds);
	c0 = (cpu_seconds() - c0) / (now_s() - t0);
	qsort(cl.lat, cl.n_lat, sizeof(double), cmp_double);
	printf("{\"tool\":\"cps_client\",\"scenario\":\"%s\",\"seconds\":%.3f,"
	       "\"cps\":%.0f,\"rps\":%.0f,\"opened\":%llu,\"completed\":%llu,"
	       "\"failed\":%llu,\"connect_p50_us\":%.1f,"
	       "\"connect_p99_us\":%.1f,\"connect_p999_us\":%.1f,"
	       "\"cpu_share\":%.3f}\n",
	       argv[3], seconds, cl.completed / seconds, cl.requests / seconds,
	       (unsigned long long)cl.opened, (unsigned long long)cl.completed,
	       (unsigned long long)cl.failed, pct(&cl, 50), pct(&cl, 99),
	       pct(&cl, 99.9), c0);
	return 0;
}
