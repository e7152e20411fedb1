/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux kernel baseline of the cps benchmark: a one-thread epoll HTTP
 * server answering every request head with the same bytes as tcpterm's
 * http application (2-byte body).
 *
 *   epoll_server ADDR PORT MODE [SECONDS]
 *
 * MODE close: respond, then close (the server closes first and holds
 * TIME_WAIT, like tcpterm's close: after-response); MODE keep: respond
 * and keep reading until the peer closes (close: on-peer-fin). Runs until
 * SIGTERM/SIGINT or SECONDS, then prints one JSON line of counters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256

static const char resp_close[] =
	"HTTP/1.1 200 OK\r\nServer: tcpterm\r\nContent-Length: 2\r\n"
	"Content-Type: text/plain\r\nConnection: close\r\n\r\nOK";
static const char resp_keep[] =
	"HTTP/1.1 200 OK\r\nServer: tcpterm\r\nContent-Length: 2\r\n"
	"Content-Type: text/plain\r\nConnection: keep-alive\r\n\r\nOK";

static volatile sig_atomic_t quit;

struct counters {
	uint64_t accepted;
	uint64_t closed;
	uint64_t requests;
	uint64_t errors;
};

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* Listen on an IPv4 or (with a ':' in it) IPv6 address. */
static int
listen_on(const char *addr, int port)
{
	struct sockaddr_in6 sa6;
	struct sockaddr_in sa;
	struct sockaddr *a = (struct sockaddr *)&sa;
	socklen_t alen = sizeof(sa);
	int one = 1, fd, af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	int ok;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	memset(&sa6, 0, sizeof(sa6));
	if (af == AF_INET6) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)port);
		ok = inet_pton(AF_INET6, addr, &sa6.sin6_addr);
		a = (struct sockaddr *)&sa6;
		alen = sizeof(sa6);
	} else {
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		ok = inet_pton(AF_INET, addr, &sa.sin_addr);
	}
	if (ok != 1 || bind(fd, a, alen) != 0 || listen(fd, 65535) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
accept_all(int ep, int lfd, struct counters *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		c->accepted++;
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			close(fd);
			c->closed++;
			c->errors++;
		}
	}
}

/* Count the request heads ending in buf (split heads are rare here). */
static unsigned int
heads(const char *buf, ssize_t n)
{
	unsigned int k = 0;
	ssize_t i;

	for (i = 0; i + 3 < n; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0)
			k++;
	return k;
}

/* Readable client: answer its requests; close per the mode. */
static void
serve(int fd, int keep, struct counters *c)
{
	char buf[4096];
	const char *r = keep ? resp_keep : resp_close;
	size_t rlen = keep ? sizeof(resp_keep) - 1 : sizeof(resp_close) - 1;
	unsigned int k;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0)
			break;
		for (k = heads(buf, n); k > 0; k--) {
			if (write(fd, r, rlen) != (ssize_t)rlen)
				c->errors++;
			c->requests++;
			if (!keep)
				goto done;
		}
	}
done:
	close(fd);
	c->closed++;
}

int
main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[MAX_EVENTS];
	struct counters c = { 0 };
	double seconds = argc > 4 ? atof(argv[4]) : 0;
	time_t end;
	int ep, lfd, keep, n, i;

	if (argc < 4) {
		fprintf(stderr,
			"usage: epoll_server ADDR PORT close|keep "
			"[SECONDS]\n");
		return 2;
	}
	keep = strcmp(argv[3], "keep") == 0;
	lfd = listen_on(argv[1], atoi(argv[2]));
	ep = epoll_create1(0);
	if (lfd < 0 || ep < 0) {
		perror("epoll_server");
		return 1;
	}
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("epoll_server: listening on %s:%s (%s)\n", argv[1], argv[2],
	       keep ? "keep" : "close");
	fflush(stdout);
	end = seconds > 0 ? time(NULL) + (time_t)seconds : 0;
	while (!quit && (end == 0 || time(NULL) < end)) {
		n = epoll_wait(ep, evs, MAX_EVENTS, 100);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == lfd)
				accept_all(ep, lfd, &c);
			else
				serve(evs[i].data.fd, keep, &c);
		}
	}
	printf("{\"accepted\":%llu,\"closed\":%llu,\"requests\":%llu,"
	       "\"errors\":%llu}\n",
	       (unsigned long long)c.accepted, (unsigned long long)c.closed,
	       (unsigned long long)c.requests, (unsigned long long)c.errors);
	return 0;
}
