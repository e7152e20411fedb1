/* SPDX-License-Identifier: BSD-3-Clause */
/* Command line (the options after "--") and configuration loading. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tcpterm.h"

#ifndef TT_VERSION
#define TT_VERSION "0.1.0"
#endif

void
tt_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [EAL options] -- [options]\n"
		"\n"
		"A userspace TCP terminator on DPDK. EAL options come first\n"
		"(see the DPDK documentation), then \"--\", then:\n"
		"\n"
		"  -c, --config FILE   read the configuration from FILE\n"
		"                      (default: the embedded config/tap.yaml:\n"
		"                      net_tap0, 198.18.0.1/24, http on 80,\n"
		"                      echo on 7, discard on 9)\n"
		"      --print-config  print the effective configuration as\n"
		"                      YAML and exit\n"
		"  -h, --help          print this help and exit\n"
		"  -V, --version       print the version and exit\n"
		"\n"
		"Example, with the kernel side of the TAP at tcpt0:\n"
		"  tcpterm -l 0 --vdev=net_tap0,iface=tcpt0 -- -c config/tap.yaml\n"
		"\n"
		"Configuration keys are documented in docs/configuration.md;\n"
		"\"workers: N\" needs at least N lcores (-l).\n"
		"Telemetry (dpdk-telemetry.py -f FILE-PREFIX): /tcpterm/states,\n"
		"/tcpterm/stats, /tcpterm/cores and /tcpterm/cores,W.\n"
		"SIGINT or SIGTERM stops it with a summary of the counters.\n"
		"SIGUSR1 (or /tcpterm/drain, tcpterm-ctl drain) drains it:\n"
		"new connections refused, open ones closed, then exit 0\n"
		"(config block drain: timeout_ms, wait_time_wait).\n"
		"Exit status: 0 on success, 1 on a runtime error (hugepages,\n"
		"memory, file prefix in use), 2 on a usage or configuration\n"
		"error (a TAP interface another process holds included).\n",
		prog);
}

int
tt_cli_parse(int argc, char **argv, struct tt_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "print-config", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog = argc > 0 ? argv[0] : "tcpterm";
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->config_path = optarg;
			break;
		case 'P':
			o->print_config = true;
			break;
		case 'h':
			tt_usage(stdout, prog);
			return 1;
		case 'V':
			printf("tcpterm %s\n", TT_VERSION);
			return 1;
		default:
			tt_usage(stderr, prog);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		tt_usage(stderr, prog);
		return -1;
	}
	return 0;
}

int
tt_config_load(const struct tt_opts *o, struct cfg *c)
{
	char err[1024]; /* an unknown key lists every valid one */
	int ret;

	if (o->config_path != NULL)
		ret = cfg_load_file(o->config_path, c, err, sizeof(err));
	else
		ret = cfg_load_string(TT_DEFAULT_CONFIG_NAME, tt_default_config,
				      (size_t)(tt_default_config_end -
					       tt_default_config),
				      c, err, sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}
