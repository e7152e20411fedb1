/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transition table of docs/state-machine.md is the one the unit tests
 * walk (tcp_rows.h, test_tcp_table.c): this program checks that the
 * document carries exactly the rows declared, and that their ids are
 * unique. "test_tcp_doc --markdown" prints the table for the document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp.h"
#include "tcp_rows.h"

static const char *const ev_text[E_MAX] = {
	[E_SYN] = "SYN (in window)",
	[E_ACK] = "ACK of everything sent",
	[E_RST] = "RST, SEG.SEQ = RCV.NXT",
	[E_NULL] = "no flags",
	[E_FIN_NOACK] = "FIN without ACK",
	[E_SYN_FIN] = "SYN+FIN",
	[E_SYN_FIN_ACK] = "SYN+FIN+ACK",
	[E_SYN_PAWS] = "SYN (in window) with an old TSval",
	[E_SYN_NOTS] = "SYN (in window) without TSopt",
	[E_SYN_RST] = "SYN+RST, SEG.SEQ = RCV.NXT",
	[E_XMAS] = "all flags (XMAS), SEG.SEQ = RCV.NXT",
	[E_ACK_FUTURE] = "ACK of data never sent",
	[E_SYN_AGAIN] = "the SYN again (SYN-ACK lost)",
	[E_RST_INWIN] = "RST in window, not RCV.NXT",
	[E_RST_OUTWIN] = "RST outside the window",
	[E_RST_FIN_SEQ] = "RST at the peer's FIN (RCV.NXT - 1)",
	[E_NOACK_DATA] = "data without ACK",
	[E_FIN_ACK] = "FIN+ACK of everything sent",
	[E_DATA] = "10 bytes in order",
	[E_FIN_OOO] = "FIN beyond a gap",
	[E_DATA_OLD] = "old duplicate data",
	[E_SYN_OUTWIN] = "SYN outside the window",
	[E_SYN_X3] = "3 SYNs in a second (limit 2)",
	[E_ACK_OLD] = "ACK below SND.UNA - MAX.SND.WND",
	[E_ACK_FAR_OLD] = "ACK below SND.UNA - 2^30 (the largest window)",
	[E_SYN_FIN_AGAIN] = "SYN+FIN at the SYN's sequence number",
	[E_SYN_NEWER_COOKIE_ACK] = "SYN, newer TSval / higher SEQ, drawing a "
				   "SYN cookie; then the cookie's ACK",
	[E_SEQ_OUTWIN] = "ACK outside the window",
	[E_PAWS] = "ACK with an old TSval",
	[E_FIN_NOACKOFFIN] = "FIN not acknowledging our FIN",
	[E_FIN_DUP] = "the FIN again (our ACK lost)",
	[E_SYN_NEWER] = "SYN, newer TSval / higher SEQ",
	[E_SYN_OLDER] = "SYN, same TSval / lower SEQ",
	[E_SYN_SAME_TS] = "SYN, same TSval / higher SEQ",
	[E_SYN_TS_AT_NXT] = "SYN with a TSval, SEQ = RCV.NXT",
	[E_SYN_AT_NXT] = "SYN, SEQ = RCV.NXT",
	[E_SYN_AT_FIN] = "SYN, SEQ = RCV.NXT - 1 (the FIN's)",
	[E_FIN_DUP_NOTS] = "the FIN again without TSopt",
	[E_CLOSE] = "application close",
	[E_ABORT] = "application abort",
	[E_SEND] = "application sends 10 bytes",
	[E_LATE_ACK] = "ACK, then the same ACK late",
	[E_T_RTO] = "retransmission timeout",
	[E_T_GIVEUP] = "max_retries timeouts (backoff 1,2,4,8)",
	[E_T_SYNRECV] = "syn_recv_timeout",
	[E_T_PERSIST] = "persist timeout",
	[E_T_PERSIST_GIVEUP] = "2*max_retries unanswered probes",
	[E_T_FW2] = "fin_wait2_timeout",
	[E_T_FW2_DATA] = "data at half the timeout, then timeouts",
	[E_T_TW] = "2*MSL",
	[E_T_TW_RESTART] = "the FIN again at 1.5 MSL, then 2*MSL",
	[E_T_TW_ACK] = "2*MSL, then an ACK",
	[E_T_TW_FIN_NOACK] = "the FIN again without ACK at 1.5 MSL, then "
			     "2*MSL",
	[E_FIN_OOO_FILL] = "FIN beyond a gap, the gap filled, the FIN again",
	[E_T_DACK] = "10 bytes in order, then the delayed ACK timer",
};

static const char *const seq_text[] = {
	[Q_ANY] = "ISN",	[Q_ZERO] = "0",
	[Q_NXT] = "SND.NXT",	[Q_UNA] = "SND.UNA",
	[Q_FIN] = "FIN",	[Q_ISS] = "ISS",
	[Q_SEGACK] = "SEG.ACK", [Q_TWISN] = "SND.NXT+65537",
};

static const char *
variant(uint16_t setup)
{
	static char buf[192];

	buf[0] = 0;
	if (setup & F_HALF)
		strcat(buf, ", half-close");
	if (setup & F_NO1337)
		strcat(buf, ", rfc1337 off");
	if (setup & F_NOTS)
		strcat(buf, ", no timestamps");
	if (setup & F_ZWND)
		strcat(buf, ", peer window 0");
	if (setup & F_DATA)
		strcat(buf, ", data in flight");
	if (setup & F_SRTO)
		strcat(buf, ", syn_recv_timeout");
	if (setup & F_DACK)
		strcat(buf, ", delayed ACK");
	if (setup & F_REOPEN)
		strcat(buf, ", reopened from TIME_WAIT");
	if (setup & F_SRCFULL)
		strcat(buf, ", its source at max_connections_per_source");
	if (setup & F_POOLFULL)
		strcat(buf, ", the pool full");
	if (setup & F_BUDGET)
		strcat(buf, ", max_syn_recv reached");
	if (setup & F_NOCOOKIE)
		strcat(buf, ", syncookies off");
	return buf;
}

static void
flags_text(char *buf, size_t n, uint8_t f)
{
	snprintf(buf, n, "%s%s%s%s%s", f & NET_TCP_SYN ? "SYN," : "",
		 f & NET_TCP_FIN ? "FIN," : "", f & NET_TCP_RST ? "RST," : "",
		 f & NET_TCP_PSH ? "PSH," : "", f & NET_TCP_ACK ? "ACK," : "");
	if (buf[0] != 0)
		buf[strlen(buf) - 1] = 0;
}

static int
row_text(char *buf, size_t n, const struct row *r)
{
	char fl[32], emit[96], st[224];

	snprintf(st, sizeof(st), "%s%s",
		 r->from == TCP_CLOSED ? "CLOSED (no listener)" :
					 tcp_state_name(r->from),
		 variant(r->setup));
	flags_text(fl, sizeof(fl), r->flags);
	if (r->flags == 0)
		snprintf(emit, sizeof(emit), "nothing");
	else if (r->flags & NET_TCP_ACK)
		snprintf(emit, sizeof(emit), "%s seq=%s ack=P%+d", fl,
			 seq_text[r->seq], r->ack);
	else
		snprintf(emit, sizeof(emit), "%s seq=%s", fl, seq_text[r->seq]);
	return snprintf(buf, n, "| %s | %s | %s | %s | %s | %s | %s |\n", r->id,
			st, ev_text[r->ev], emit,
			r->to == TCP_CLOSED ? "CLOSED" : tcp_state_name(r->to),
			r->counter ? r->counter : "-", r->rfc);
}

static char *
table_text(void)
{
	static const char head[] =
		"| Id | State | Event | Sends | Next | Counter | RFC |\n"
		"|----|-------|-------|-------|------|---------|-----|\n";
	size_t cap = sizeof(head) + N_ROWS * 256, off;
	char *buf = malloc(cap);
	unsigned int i;

	assert_non_null(buf);
	off = (size_t)snprintf(buf, cap, "%s", head);
	for (i = 0; i < N_ROWS; i++)
		off += (size_t)row_text(buf + off, cap - off, &rows[i]);
	return buf;
}

/* The document lists exactly the rows this program walks. */
static void
test_doc_in_sync(void **state)
{
	char path[512], *doc, *tab;
	bool in_sync;
	FILE *f;
	long n;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/state-machine.md",
		 TT_SOURCE_ROOT);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	doc = calloc(1, (size_t)n + 1);
	assert_non_null(doc);
	assert_int_equal(fread(doc, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	tab = table_text();
	in_sync = strstr(doc, tab) != NULL;
	free(tab);
	free(doc);
	if (!in_sync) {
		print_error("docs/state-machine.md: the transition table is "
			    "out of date; print it with test_tcp_doc "
			    "--markdown\n");
		fail();
	}
}

/* Row ids are unique: the document refers to rows by id. */
static void
test_ids_unique(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < N_ROWS; i++)
		for (j = i + 1; j < N_ROWS; j++)
			if (strcmp(rows[i].id, rows[j].id) == 0) {
				print_error("duplicate row id %s\n",
					    rows[i].id);
				fail();
			}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_in_sync),
		cmocka_unit_test(test_ids_unique),
	};

	if (argc > 1 && strcmp(argv[1], "--markdown") == 0) {
		char *tab = table_text();

		fputs(tab, stdout);
		free(tab);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
