/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A spoofed SYN flood through a kernel interface, for the synflood
 * integration test (through tcpterm's tap) and the Linux side of the
 * synflood benchmark (through a veth pair):
 *
 *   synflood IFACE DST_MAC DST_IP DPORT SRC_NET/LEN SECONDS [RATE]
 *
 * Writes Ethernet frames on a raw AF_PACKET socket (qdisc bypassed,
 * batches of sendmmsg), one process flat out, or at RATE SYNs/s. Each SYN
 * comes from a random address of SRC_NET/LEN (which must lie inside
 * 198.18.0.0/15) and a random port, with a random sequence number and an
 * MSS option, like a kernel's SYN without its other options. It never
 * answers anything. Prints one JSON line: SYNs sent, failed writes,
 * seconds, rate.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME_LEN 58	     /* Ethernet 14 + IPv4 20 + TCP 20 + MSS 4 */
#define TEST_NET 0xc6120000u /* 198.18.0.0/15 */
#define TEST_MASK 0xfffe0000u

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* The fixed parts of every frame. */
static void
frame_template(uint8_t *f, const uint8_t *smac, const uint8_t *dmac,
	       uint32_t daddr, uint16_t dport)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;

	memset(f, 0, FRAME_LEN);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 24);
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 16, daddr);
	put16(tcp + 2, dport);
	tcp[12] = 6 << 4; /* 24 bytes: one MSS option */
	tcp[13] = 0x02;	  /* SYN */
	put16(tcp + 14, 64240);
	tcp[20] = 2;
	tcp[21] = 4;
	put16(tcp + 22, 1460);
}

/* A fresh source, port and sequence number, and both checksums. */
static void
frame_fill(uint8_t *f, uint64_t *rs, uint32_t net, uint32_t span)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint64_t r = rnd(rs);
	uint32_t saddr = net + (uint32_t)(r >> 32) % span;
	uint8_t pseudo[12];

	put16(ip + 4, (uint16_t)(r >> 16));
	put32(ip + 12, saddr);
	put16(ip + 10, 0);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(tcp, (uint16_t)(1024 + (uint16_t)r % 64512));
	put32(tcp + 4, (uint32_t)(r >> 8));
	put16(tcp + 16, 0);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, 24);
	put16(tcp + 16, fold(sum16(tcp, 24, sum16(pseudo, 12, 0))));
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* SRC_NET/LEN inside 198.18.0.0/15; returns 0 and the first address. */
static int
parse_net(const char *s, uint32_t *net, uint32_t *span)
{
	char buf[64], *slash;
	struct in_addr a;
	int len;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	len = atoi(slash + 1);
	if (inet_pton(AF_INET, buf, &a) != 1 || len < 15 || len > 32)
		return -1;
	*span = len == 32 ? 1 : 1u << (32 - len);
	*net = ntohl(a.s_addr) & ~(*span - 1);
	return (*net & TEST_MASK) == TEST_NET ? 0 : -1;
}

static int
open_socket(const char *ifname, uint8_t *smac, struct sockaddr_ll *sll)
{
	struct ifreq ifr;
	int one = 1, fd;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
		close(fd);
		return -1;
	}
	memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	/* Best effort: straight to the driver, no queueing discipline. */
	if (getenv("SYNFLOOD_QDISC") == NULL)
		setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
			   sizeof(one));
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = (int)if_nametoindex(ifname);
	sll->sll_halen = 6;
	if (sll->sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)sll, sizeof(*sll)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_LEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll;
	uint8_t smac[6], dmac[6];
	struct in_addr dst;
	uint32_t net, span;
	uint64_t sent = 0, errors = 0, rs;
	double t0, t, end, rate = 0;
	int fd, i, n;

	if (argc < 7 || argc > 8 || parse_mac(argv[2], dmac) != 0 ||
	    inet_pton(AF_INET, argv[3], &dst) != 1 ||
	    parse_net(argv[5], &net, &span) != 0) {
		fprintf(stderr,
			"usage: synflood IFACE DST_MAC DST_IP DPORT "
			"SRC_NET/LEN SECONDS [RATE]\n"
			"  SRC_NET/LEN inside 198.18.0.0/15\n");
		return 2;
	}
	if (argc == 8)
		rate = atof(argv[7]);
	fd = open_socket(argv[1], smac, &sll);
	if (fd < 0) {
		fprintf(stderr, "synflood: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rs = (uint64_t)time(NULL) * 2654435761u | 1;
	for (i = 0; i < BATCH; i++) {
		frame_template(frames[i], smac, dmac, ntohl(dst.s_addr),
			       (uint16_t)atoi(argv[4]));
		iov[i].iov_base = frames[i];
		iov[i].iov_len = FRAME_LEN;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now_s();
	end = t0 + atof(argv[6]);
	for (t = t0; !quit && t < end; t = now_s()) {
		if (rate > 0 && sent >= rate * (t - t0)) {
			usleep(200);
			continue;
		}
		for (i = 0; i < BATCH; i++)
			frame_fill(frames[i], &rs, net, span);
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0) {
			errors++;
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINTR)
				break;
			continue;
		}
		sent += (uint64_t)n;
	}
	t = now_s() - t0;
	printf("{\"tool\":\"synflood\",\"sent\":%llu,\"errors\":%llu,"
	       "\"seconds\":%.3f,\"rate\":%.0f}\n",
	       (unsigned long long)sent, (unsigned long long)errors, t,
	       t > 0 ? sent / t : 0.0);
	close(fd);
	return 0;
}
