/* SPDX-License-Identifier: BSD-3-Clause */
/* tcpterm's main program: command line, configuration and stats output. */
#ifndef TT_TCPTERM_H
#define TT_TCPTERM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "dp.h"

/* Exit statuses. */
#define TT_EXIT_OK 0
#define TT_EXIT_RUNTIME 1
#define TT_EXIT_USAGE 2

/* The options after "--". */
struct tt_opts {
	const char *config_path; /* NULL: the embedded config/tap.yaml */
	bool print_config;
};

/* The embedded default configuration (config/tap.yaml at build time). */
extern const char tt_default_config[];
extern const char tt_default_config_end[];
#define TT_DEFAULT_CONFIG_NAME "<embedded config/tap.yaml>"

/*
 * Parse the options after "--". Returns 0 to run, 1 when done (help or
 * version printed: exit 0), -1 on a bad option (usage printed: exit 2).
 */
int tt_cli_parse(int argc, char **argv, struct tt_opts *o);
void tt_usage(FILE *f, const char *prog);

/* Load the configuration; on error print it to stderr and return -1. */
int tt_config_load(const struct tt_opts *o, struct cfg *c);

/* -1 (and a message) if an EAL --vdev names a TAP interface in use. */
int tt_tap_check(int argc, char **argv);

/* Stats output, over the workers' cores. */
struct tt_stats {
	struct dp_core *const *cores;
	unsigned int n;
	uint64_t interval_us; /* 0 = no stats line */
	uint64_t next_us;
};

void tt_stats_init(struct tt_stats *s, struct dp_core *const *cores,
		   unsigned int n, uint32_t interval_ms);
/* Print the stats line when it is due (dp_control callback). */
void tt_stats_tick(void *arg, uint64_t now_us);
/* Totals at exit. */
void tt_stats_summary(const struct tt_stats *s, FILE *f);

/*
 * Prometheus /metrics over a kernel socket, from its own thread
 * (metrics.c). Does nothing when cm is not enabled. Returns 0 or a
 * negative errno (bind failed: address in use, not ours).
 */
int tt_metrics_start(const struct cfg_metrics *cm, struct dp_core *const *cores,
		     unsigned int n);
/* Stop the thread and close the socket (before the cores are freed). */
void tt_metrics_stop(void);
/* The control side of a graceful drain (drain.c). */
struct tt_drain {
	struct dp_core *const *cores;
	unsigned int n;
	uint32_t timeout_ms; /* drain.timeout_ms */
	bool wait_time_wait;
	bool active;
	uint64_t start_us;
	uint64_t deadline_us;
	uint64_t next_print_us;
};

void tt_drain_init(struct tt_drain *d, struct dp_core *const *cores,
		   unsigned int n, const struct cfg_drain *cfg);
/* Watch a drain in progress (dp_control callback); sets quit when done. */
void tt_drain_tick(struct tt_drain *d, uint64_t now_us);

#endif /* TT_TCPTERM_H */
