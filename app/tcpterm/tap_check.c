/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Refuse a net_tap interface another process already holds. DPDK's TAP
 * driver opens its interface multi-queue, so a second tcpterm given the
 * same iface= attaches to the first one's interface without an error,
 * and the kernel then spreads the frames over both processes: each
 * sees part of every connection. A TAP interface that exists and is
 * not persistent (IFF_PERSIST) is held open by someone, so it is taken
 * as in use; a persistent one made on purpose (ip tuntap add) is left
 * to the driver.
 */
#include <stdio.h>
#include <string.h>

#include "tcpterm.h"

#define TT_IFF_PERSIST 0x0800 /* <linux/if_tun.h> */
#define TT_IFNAMSIZ 16

/* The iface= of a net_tap device argument, or 0 if it has none. */
static int
tt_tap_iface(const char *devargs, char *name, size_t len)
{
	const char *p;
	size_t n;

	if (strncmp(devargs, "net_tap", 7) != 0)
		return 0;
	for (p = strchr(devargs, ','); p != NULL; p = strchr(p + 1, ',')) {
		if (strncmp(p + 1, "iface=", 6) != 0)
			continue;
		p += 7;
		n = strcspn(p, ",");
		if (n == 0 || n >= len)
			return 0;
		memcpy(name, p, n);
		name[n] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Whether interface name exists in this network namespace and nothing
 * says it is free: not a TAP at all, or a TAP without IFF_PERSIST.
 */
static bool
tt_iface_taken(const char *name)
{
	char path[96];
	unsigned int flags;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	fclose(f);
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", name);
	f = fopen(path, "r");
	if (f == NULL)
		return true;
	n = fscanf(f, "%x", &flags);
	fclose(f);
	return n != 1 || (flags & TT_IFF_PERSIST) == 0;
}

int
tt_tap_check(int argc, char **argv)
{
	char name[TT_IFNAMSIZ];
	const char *devargs;
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--vdev=", 7) == 0)
			devargs = argv[i] + 7;
		else if (strcmp(argv[i], "--vdev") == 0 && i + 1 < argc)
			devargs = argv[++i];
		else
			continue;
		if (!tt_tap_iface(devargs, name, sizeof(name)) ||
		    !tt_iface_taken(name))
			continue;
		fprintf(stderr,
			"tcpterm: interface '%s' (--vdev=%s) already exists: "
			"another process holds it (another tcpterm?), and "
			"both would get part of its frames; give another "
			"iface=, or stop the other one\n",
			name, devargs);
		return -1;
	}
	return 0;
}
