/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transition table of the TCP state machine: state x event -> segment
 * sent -> next state, with the counter that records it and the RFC
 * section that prescribes it. test_tcp_table.c walks every row;
 * test_tcp_doc.c checks that docs/state-machine.md lists exactly these
 * rows ("test_tcp_doc --markdown" prints them).
 *
 * Columns: id, state (CLOSED here means a port nobody listens on), setup
 * variant, event, flags of the first segment sent (0: silence), its
 * sequence number, its acknowledgement relative to the peer's next
 * sequence number before the event, next state (CLOSED: gone), counter
 * and its increase (0 means 1), RFC section.
 */
#ifndef TT_TCP_ROWS_H
#define TT_TCP_ROWS_H

/* Setup variants. */
#define F_HALF 0x01   /* close with read_open (half-close policy) */
#define F_NO1337 0x02 /* rfc1337: false */
#define F_NOTS 0x04   /* no timestamps */
#define F_ZWND 0x08   /* the peer advertises a zero window */
#define F_DATA 0x10   /* 100 bytes sent, not acknowledged */
#define F_SRTO 0x20   /* syn_recv_timeout_ms = 1500 */
#define F_DACK 0x40   /* delayed_ack_ms = 40 */
#define F_REOPEN 0x80 /* SYN_RECEIVED by a SYN reopening TIME_WAIT */
/* At a limit, reached by other connections before the event: */
#define F_SRCFULL 0x100	 /* max_per_source 1, one of the peer's address */
#define F_POOLFULL 0x200 /* the connection pool (max_connections) */
#define F_BUDGET 0x400	 /* max_syn_recv 1, one half-open */
#define F_NOCOOKIE 0x800 /* syncookies off (otherwise auto) */

/* clang-format off */
enum ev {
	E_SYN, E_ACK, E_RST, E_NULL, E_FIN_NOACK, E_SYN_FIN, E_SYN_RST,
	E_XMAS, E_ACK_FUTURE, E_SYN_AGAIN, E_RST_INWIN, E_RST_OUTWIN,
	E_NOACK_DATA, E_FIN_ACK, E_DATA, E_FIN_OOO, E_DATA_OLD,
	E_SYN_OUTWIN, E_SYN_X3, E_ACK_OLD, E_SEQ_OUTWIN, E_PAWS,
	E_FIN_NOACKOFFIN, E_FIN_DUP, E_SYN_NEWER, E_SYN_OLDER, E_CLOSE,
	E_ABORT, E_SEND, E_LATE_ACK, E_T_RTO, E_T_GIVEUP, E_T_SYNRECV,
	E_T_PERSIST, E_T_PERSIST_GIVEUP, E_T_FW2, E_T_FW2_DATA, E_T_TW,
	E_T_TW_RESTART, E_T_TW_ACK, E_FIN_OOO_FILL, E_T_DACK, E_ACK_FAR_OLD,
	E_SYN_FIN_AGAIN, E_SYN_NEWER_COOKIE_ACK, E_SYN_SAME_TS, E_SYN_TS_AT_NXT,
	E_SYN_FIN_ACK, E_SYN_PAWS, E_T_TW_FIN_NOACK, E_RST_FIN_SEQ, E_SYN_NOTS,
	E_SYN_AT_NXT, E_SYN_AT_FIN, E_FIN_DUP_NOTS, E_MAX
};
/* clang-format on */

/* Sequence number of the segment sent. */
enum seqk { Q_ANY, Q_ZERO, Q_NXT, Q_UNA, Q_FIN, Q_ISS, Q_SEGACK, Q_TWISN };

struct row {
	const char *id;
	enum tcp_state from;
	uint16_t setup;
	enum ev ev;
	uint8_t flags;
	enum seqk seq;
	int32_t ack;
	enum tcp_state to;
	const char *counter;
	uint32_t delta;
	const char *rfc;
};

#define RA (NET_TCP_RST | NET_TCP_ACK)
#define FA (NET_TCP_FIN | NET_TCP_ACK)
#define SA (NET_TCP_SYN | NET_TCP_ACK)
#define PA (NET_TCP_PSH | NET_TCP_ACK)

/* clang-format off */
#define R(id, st, su, ev, fl, sq, ak, to, ct, d, rfc) \
	{ id, TCP_##st, su, ev, fl, sq, ak, TCP_##to, ct, d, rfc },

static const struct row rows[] = {
/* A port without a listener. */
R("C1", CLOSED, 0, E_SYN, RA, Q_ZERO, 1, CLOSED, "drop_no_listener", 0,
  "9293 3.10.7.1")
R("C2", CLOSED, 0, E_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "drop_no_listener", 0, "9293 3.10.7.1")
R("C3", CLOSED, 0, E_RST, 0, Q_ANY, 0, CLOSED, "drop_rst_unknown", 0,
  "9293 3.10.7.1")
R("C4", CLOSED, 0, E_NULL, RA, Q_ZERO, 0, CLOSED, "drop_no_listener", 0,
  "9293 3.10.7.1")
R("C5", CLOSED, 0, E_FIN_NOACK, RA, Q_ZERO, 1, CLOSED, "drop_no_listener",
  0, "9293 3.10.7.1")
/* A listening port, unknown 4-tuple. */
R("L1", LISTEN, 0, E_SYN, SA, Q_ANY, 1, SYN_RECEIVED, NULL, 0,
  "9293 3.10.7.2 third")
R("L2", LISTEN, 0, E_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "drop_listen_ack", 0, "9293 3.10.7.2 second")
R("L3", LISTEN, 0, E_RST, 0, Q_ANY, 0, CLOSED, "drop_rst_unknown", 0,
  "9293 3.10.7.2 first")
R("L4", LISTEN, 0, E_SYN_FIN, 0, Q_ANY, 0, CLOSED, "drop_syn_fin", 0,
  "9293 3.10.7.2 third (as Linux)")
R("L5", LISTEN, 0, E_SYN_RST, 0, Q_ANY, 0, CLOSED, "drop_syn_rst", 0,
  "9293 3.10.7.2 first")
R("L6", LISTEN, 0, E_NULL, 0, Q_ANY, 0, CLOSED, "drop_null_flags", 0,
  "9293 3.10.7.2 fourth")
R("L7", LISTEN, 0, E_FIN_NOACK, 0, Q_ANY, 0, CLOSED, "drop_null_flags", 0,
  "9293 3.10.7.2 fourth")
R("L8", LISTEN, 0, E_XMAS, 0, Q_ANY, 0, CLOSED, "drop_syn_rst", 0,
  "9293 3.10.7.2 first")
R("L9", LISTEN, F_SRCFULL, E_SYN, 0, Q_ANY, 0, CLOSED, "source_limit_drop",
  0, "4987 3.1 (per-source limit)")
R("L10", LISTEN, F_POOLFULL | F_NOCOOKIE, E_SYN, 0, Q_ANY, 0, CLOSED,
  "conn_limit_drop", 0, "4987 2 (no TCB)")
R("L11", LISTEN, F_BUDGET | F_NOCOOKIE, E_SYN, 0, Q_ANY, 0, CLOSED,
  "syn_recv_budget_drop", 0, "4987 2 (backlog full)")
R("L12", LISTEN, F_POOLFULL, E_SYN, SA, Q_ANY, 1, CLOSED,
  "syncookies_sent", 0, "4987 3.6")
R("L13", LISTEN, F_BUDGET, E_SYN, SA, Q_ANY, 1, CLOSED, "syncookies_sent",
  0, "4987 3.6")
R("L14", LISTEN, 0, E_SYN_FIN_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "drop_listen_ack", 0, "9293 3.10.7.2 second")
/* SYN_RECEIVED. */
R("SR1", SYN_RECEIVED, 0, E_ACK, 0, Q_ANY, 0, ESTABLISHED, "conn_opened",
  0, "9293 3.10.7.4 fifth")
R("SR2", SYN_RECEIVED, 0, E_ACK_FUTURE, NET_TCP_RST, Q_SEGACK, 0,
  SYN_RECEIVED, "drop_bad_ack", 0, "9293 3.10.7.4 fifth")
R("SR3", SYN_RECEIVED, 0, E_SYN_AGAIN, SA, Q_ISS, 0, SYN_RECEIVED, NULL, 0,
  "9293 3.8.1 (lost SYN-ACK)")
R("SR4", SYN_RECEIVED, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "5961 3.2; 9293 3.10.7.4 second")
R("SR5", SYN_RECEIVED, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, SYN_RECEIVED,
  "challenge_ack", 0, "5961 3.2")
R("SR6", SYN_RECEIVED, 0, E_RST_OUTWIN, 0, Q_ANY, 0, SYN_RECEIVED,
  "drop_out_of_window", 0, "5961 3.2")
R("SR7", SYN_RECEIVED, 0, E_NOACK_DATA, 0, Q_ANY, 0, SYN_RECEIVED,
  "drop_no_ack_flag", 0, "9293 3.10.7.4 fifth")
R("SR8", SYN_RECEIVED, 0, E_FIN_ACK, NET_TCP_ACK, Q_NXT, 1, CLOSE_WAIT,
  "conn_opened", 0, "9293 3.10.7.4 fifth, eighth")
R("SR9", SYN_RECEIVED, 0, E_T_RTO, SA, Q_ISS, 0, SYN_RECEIVED,
  "retransmit", 0, "6298 5.4-5.6; 9293 3.8.1")
R("SR10", SYN_RECEIVED, 0, E_T_GIVEUP, 0, Q_ANY, 0, CLOSED,
  "retransmit_abort", 0, "1122 4.2.3.5; 9293 3.8.3")
R("SR11", SYN_RECEIVED, F_SRTO, E_T_SYNRECV, 0, Q_ANY, 0, CLOSED,
  "syn_recv_timeout", 0, "9293 3.10.8 (user timeout)")
R("SR12", SYN_RECEIVED, 0, E_SYN, 0, Q_ANY, 0, CLOSED, "drop_syn_recv_syn",
  0, "9293 3.10.7.4 fourth (back to LISTEN)")
R("SR13", SYN_RECEIVED, 0, E_SYN_OUTWIN, NET_TCP_ACK, Q_NXT, 0,
  SYN_RECEIVED, "challenge_ack", 0, "9293 3.10.7.4 first; 5961 4.2")
R("SR14", SYN_RECEIVED, F_REOPEN, E_RST, 0, Q_ANY, 0, TIME_WAIT,
  "tw_returned", 0, "1122 4.2.2.13 (2) (Linux forgets the tuple)")
R("SR15", SYN_RECEIVED, F_REOPEN, E_ACK, 0, Q_ANY, 0, ESTABLISHED,
  "conn_opened", 0, "1122 4.2.2.13; 9293 3.10.7.4 fifth")
R("SR16", SYN_RECEIVED, 0, E_SYN_FIN_AGAIN, 0, Q_ANY, 0, CLOSED,
  "drop_syn_recv_syn", 0, "9293 3.10.7.4 fourth (no copy of the SYN)")
R("SR17", SYN_RECEIVED, F_SRCFULL, E_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "source_limit_reset", 0, "4987 3.1 (per-source limit)")
R("SR18", SYN_RECEIVED, F_REOPEN | F_SRCFULL, E_ACK, NET_TCP_RST, Q_SEGACK,
  0, CLOSED, "source_limit_reset", 0, "1122 4.2.2.13 (no old duplicate)")
R("SR19", SYN_RECEIVED, F_REOPEN | F_SRTO, E_T_SYNRECV, 0, Q_ANY, 0,
  TIME_WAIT, "tw_returned", 0, "1122 4.2.2.13 (2); 9293 3.10.8")
R("SR20", SYN_RECEIVED, F_REOPEN, E_SYN, 0, Q_ANY, 0, TIME_WAIT,
  "tw_returned", 0, "1122 4.2.2.13 (2); 9293 3.10.7.4 fourth")
R("SR21", SYN_RECEIVED, 0, E_SYN_PAWS, NET_TCP_ACK, Q_NXT, 0, SYN_RECEIVED,
  "drop_paws", 0, "7323 5.3 R1 (before 9293 3.10.7.4 fourth)")
R("SR22", SYN_RECEIVED, 0, E_SYN_NOTS, 0, Q_ANY, 0, SYN_RECEIVED,
  "drop_ts_missing", 0, "7323 3.2 (before 9293 3.10.7.4 fourth)")
/* ESTABLISHED. */
R("E1", ESTABLISHED, 0, E_DATA, NET_TCP_ACK, Q_NXT, 10, ESTABLISHED,
  "bytes_in", 10, "9293 3.10.7.4 seventh")
R("E2", ESTABLISHED, 0, E_FIN_ACK, NET_TCP_ACK, Q_NXT, 1, CLOSE_WAIT, NULL,
  0, "9293 3.10.7.4 eighth")
R("E3", ESTABLISHED, 0, E_FIN_OOO, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "dup_ack_sent", 0, "9293 3.10.7.4 eighth; 5681 4.2")
R("E4", ESTABLISHED, 0, E_DATA_OLD, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("E5", ESTABLISHED, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "5961 3.2")
R("E6", ESTABLISHED, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "challenge_ack", 0, "5961 3.2")
R("E7", ESTABLISHED, 0, E_RST_OUTWIN, 0, Q_ANY, 0, ESTABLISHED,
  "drop_out_of_window", 0, "5961 3.2")
R("E8", ESTABLISHED, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "challenge_ack", 0, "5961 4.2")
R("E9", ESTABLISHED, 0, E_SYN_OUTWIN, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "challenge_ack", 0, "5961 4.2")
R("E10", ESTABLISHED, 0, E_SYN_X3, 0, Q_ANY, 0, ESTABLISHED,
  "challenge_ack_limited", 0, "5961 7")
R("E11", ESTABLISHED, 0, E_ACK_FUTURE, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "drop_bad_ack", 0, "5961 5.2; 9293 3.10.7.4 fifth")
R("E12", ESTABLISHED, 0, E_ACK_OLD, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "drop_old_ack", 0, "5961 5.2")
R("E13", ESTABLISHED, 0, E_SEQ_OUTWIN, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("E14", ESTABLISHED, 0, E_PAWS, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "drop_paws", 0, "7323 5.3 R1")
R("E15", ESTABLISHED, 0, E_NOACK_DATA, 0, Q_ANY, 0, ESTABLISHED,
  "drop_no_ack_flag", 0, "9293 3.10.7.4 fifth")
R("E16", ESTABLISHED, 0, E_NULL, 0, Q_ANY, 0, ESTABLISHED,
  "drop_no_ack_flag", 0, "9293 3.10.7.4 fifth")
R("E17", ESTABLISHED, 0, E_SYN_FIN, NET_TCP_ACK, Q_NXT, 0, ESTABLISHED,
  "challenge_ack", 0, "5961 4.2")
R("E18", ESTABLISHED, 0, E_SYN_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "9293 3.10.7.4 second; 5961 3.2")
R("E19", ESTABLISHED, 0, E_XMAS, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "9293 3.10.7.4 second; 5961 3.2")
R("E20", ESTABLISHED, 0, E_CLOSE, FA, Q_NXT, 0, FIN_WAIT_1, NULL, 0,
  "9293 3.10.4")
R("E21", ESTABLISHED, 0, E_ABORT, RA, Q_NXT, 0, CLOSED, "rst_sent", 0,
  "9293 3.10.5")
R("E22", ESTABLISHED, F_ZWND, E_CLOSE, FA, Q_NXT, 0, FIN_WAIT_1, NULL, 0,
  "9293 3.8.6.1 (FIN takes no window)")
R("E23", ESTABLISHED, F_ZWND | F_DATA, E_T_PERSIST, NET_TCP_ACK, Q_NXT, 0,
  ESTABLISHED, "zero_window_probe", 0, "9293 3.8.6.1")
R("E24", ESTABLISHED, F_ZWND | F_DATA, E_T_PERSIST_GIVEUP, RA, Q_NXT, 0,
  CLOSED, "persist_abort", 0, "1122 4.2.2.17")
R("E25", ESTABLISHED, F_DATA, E_T_RTO, PA, Q_UNA, 0, ESTABLISHED,
  "retransmit", 0, "6298 5.4-5.6")
R("E26", ESTABLISHED, F_DATA, E_T_GIVEUP, RA, Q_NXT, 0, CLOSED,
  "retransmit_abort", 0, "1122 4.2.3.5")
R("E27", ESTABLISHED, 0, E_FIN_OOO_FILL, NET_TCP_ACK, Q_NXT, 11,
  CLOSE_WAIT, NULL, 0, "9293 3.10.7.4 eighth")
R("E28", ESTABLISHED, F_DACK, E_T_DACK, NET_TCP_ACK, Q_NXT, 10, ESTABLISHED,
  "delayed_ack", 0, "1122 4.2.3.2")
/* FIN_WAIT_1: our FIN sent, not acknowledged. */
R("FW1-1", FIN_WAIT_1, 0, E_ACK, 0, Q_ANY, 0, FIN_WAIT_2, NULL, 0,
  "9293 3.10.7.4 fifth")
R("FW1-2", FIN_WAIT_1, 0, E_FIN_NOACKOFFIN, NET_TCP_ACK, Q_NXT, 1, CLOSING,
  NULL, 0, "9293 3.10.7.4 eighth (simultaneous close)")
R("FW1-3", FIN_WAIT_1, 0, E_FIN_ACK, NET_TCP_ACK, Q_NXT, 1, TIME_WAIT,
  "tw_created", 0, "9293 3.10.7.4 fifth, eighth")
R("FW1-4", FIN_WAIT_1, F_HALF, E_DATA, NET_TCP_ACK, Q_NXT, 10, FIN_WAIT_1,
  "bytes_in", 10, "9293 3.10.7.4 seventh (half-close)")
R("FW1-5", FIN_WAIT_1, 0, E_DATA, RA, Q_NXT, 0, CLOSED, "drop_after_close",
  0, "1122 4.2.2.13")
R("FW1-6", FIN_WAIT_1, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "5961 3.2")
R("FW1-7", FIN_WAIT_1, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_1,
  "challenge_ack", 0, "5961 3.2")
R("FW1-8", FIN_WAIT_1, 0, E_RST_OUTWIN, 0, Q_ANY, 0, FIN_WAIT_1,
  "drop_out_of_window", 0, "5961 3.2")
R("FW1-9", FIN_WAIT_1, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_1,
  "challenge_ack", 0, "5961 4.2")
R("FW1-10", FIN_WAIT_1, 0, E_PAWS, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_1,
  "drop_paws", 0, "7323 5.3 R1")
R("FW1-11", FIN_WAIT_1, 0, E_NULL, 0, Q_ANY, 0, FIN_WAIT_1,
  "drop_no_ack_flag", 0, "9293 3.10.7.4 fifth")
R("FW1-12", FIN_WAIT_1, 0, E_FIN_OOO, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_1,
  "dup_ack_sent", 0, "9293 3.10.7.4 eighth; 5681 4.2")
R("FW1-13", FIN_WAIT_1, 0, E_T_RTO, FA, Q_FIN, 0, FIN_WAIT_1, "retransmit",
  0, "6298 5.4-5.6")
R("FW1-14", FIN_WAIT_1, 0, E_T_GIVEUP, RA, Q_NXT, 0, CLOSED,
  "retransmit_abort", 0, "1122 4.2.3.5")
R("FW1-15", FIN_WAIT_1, F_ZWND, E_T_RTO, FA, Q_FIN, 0, FIN_WAIT_1,
  "retransmit", 0, "9293 3.8.6.1 (FIN takes no window)")
R("FW1-16", FIN_WAIT_1, 0, E_ABORT, RA, Q_NXT, 0, CLOSED, "rst_sent", 0,
  "9293 3.10.5")
/* FIN_WAIT_2: our FIN acknowledged. */
R("FW2-1", FIN_WAIT_2, 0, E_FIN_ACK, NET_TCP_ACK, Q_NXT, 1, TIME_WAIT,
  "tw_created", 0, "9293 3.10.7.4 eighth")
R("FW2-2", FIN_WAIT_2, F_HALF, E_DATA, NET_TCP_ACK, Q_NXT, 10, FIN_WAIT_2,
  "bytes_in", 10, "9293 3.10.7.4 seventh (half-close)")
R("FW2-3", FIN_WAIT_2, 0, E_DATA, RA, Q_NXT, 0, CLOSED, "drop_after_close",
  0, "1122 4.2.2.13")
R("FW2-4", FIN_WAIT_2, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "5961 3.2")
R("FW2-5", FIN_WAIT_2, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_2,
  "challenge_ack", 0, "5961 3.2")
R("FW2-6", FIN_WAIT_2, 0, E_RST_OUTWIN, 0, Q_ANY, 0, FIN_WAIT_2,
  "drop_out_of_window", 0, "5961 3.2")
R("FW2-7", FIN_WAIT_2, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_2,
  "challenge_ack", 0, "5961 4.2")
R("FW2-8", FIN_WAIT_2, 0, E_FIN_OOO, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_2,
  "dup_ack_sent", 0, "9293 3.10.7.4 eighth; 5681 4.2")
R("FW2-9", FIN_WAIT_2, 0, E_PAWS, NET_TCP_ACK, Q_NXT, 0, FIN_WAIT_2,
  "drop_paws", 0, "7323 5.3 R1")
R("FW2-10", FIN_WAIT_2, 0, E_T_FW2, 0, Q_ANY, 0, CLOSED,
  "fin_wait2_timeout", 0, "9293 3.10.8 (as Linux tcp_fin_timeout)")
R("FW2-11", FIN_WAIT_2, F_HALF, E_T_FW2_DATA, 0, Q_ANY, 0, CLOSED,
  "fin_wait2_timeout", 0, "9293 3.10.8 (peer data restarts it)")
/* CLOSING: both FINs sent, ours not acknowledged. */
R("CL1", CLOSING, 0, E_ACK, 0, Q_ANY, 0, TIME_WAIT, "tw_created", 0,
  "9293 3.10.7.4 fifth")
R("CL2", CLOSING, 0, E_FIN_DUP, NET_TCP_ACK, Q_NXT, 0, CLOSING,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("CL3", CLOSING, 0, E_T_RTO, FA, Q_FIN, 0, CLOSING, "retransmit", 0,
  "6298 5.4-5.6")
R("CL4", CLOSING, 0, E_T_GIVEUP, RA, Q_NXT, 0, CLOSED, "retransmit_abort",
  0, "1122 4.2.3.5")
R("CL5", CLOSING, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0, "5961 3.2")
R("CL6", CLOSING, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, CLOSING,
  "challenge_ack", 0, "5961 3.2")
R("CL7", CLOSING, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, CLOSING,
  "challenge_ack", 0, "5961 4.2")
R("CL8", CLOSING, 0, E_RST_OUTWIN, 0, Q_ANY, 0, CLOSING,
  "drop_out_of_window", 0, "5961 3.2")
R("CL9", CLOSING, 0, E_ABORT, 0, Q_ANY, 0, CLOSED, "conn_closed", 0,
  "9293 3.10.5")
R("CL10", CLOSING, 0, E_RST_FIN_SEQ, 0, Q_ANY, 0, CLOSING,
  "drop_out_of_window", 0, "5961 3.2 (Linux resets)")
/* TIME_WAIT. */
R("TW1", TIME_WAIT, 0, E_FIN_DUP, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "tw_reack", 0, "9293 3.10.7.4 fifth (restart 2MSL)")
R("TW2", TIME_WAIT, 0, E_T_TW, 0, Q_ANY, 0, CLOSED, "tw_expired", 0,
  "9293 3.10.8 (2MSL)")
R("TW3", TIME_WAIT, 0, E_T_TW_RESTART, 0, Q_ANY, 0, CLOSED, "tw_expired", 0,
  "9293 3.10.7.4 fifth")
R("TW4", TIME_WAIT, 0, E_RST, 0, Q_ANY, 0, TIME_WAIT, "rst_rx_ignored", 0,
  "1337")
R("TW5", TIME_WAIT, F_NO1337, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "9293 3.10.7.4 second; 5961 3.2")
R("TW6", TIME_WAIT, F_NO1337, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0,
  TIME_WAIT, "challenge_ack", 0, "5961 3.2")
R("TW7", TIME_WAIT, 0, E_RST_OUTWIN, 0, Q_ANY, 0, TIME_WAIT,
  "drop_out_of_window", 0, "5961 3.2")
R("TW8", TIME_WAIT, 0, E_SYN_NEWER, SA, Q_TWISN, 100001, SYN_RECEIVED,
  "tw_reused", 0, "6191 2")
R("TW9", TIME_WAIT, 0, E_SYN_OLDER, 0, Q_ANY, 0, TIME_WAIT,
  "drop_tw_syn", 0, "6191 2 (dropped silently; Linux ACKs)")
R("TW10", TIME_WAIT, F_NOTS, E_SYN_NEWER, SA, Q_TWISN, 100001,
  SYN_RECEIVED, "tw_reused", 0, "6191 2 (sequence numbers); 1122 4.2.2.13")
R("TW11", TIME_WAIT, F_NOTS, E_SYN_OLDER, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_tw_syn", 0, "6191 2 (sequence numbers; then 9293 3.10.7.4, 5961 4.2)")
R("TW12", TIME_WAIT, 0, E_PAWS, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_paws", 0, "7323 5.3 R1")
R("TW13", TIME_WAIT, 0, E_SEQ_OUTWIN, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("TW14", TIME_WAIT, 0, E_ACK, 0, Q_ANY, 0, TIME_WAIT, NULL, 0,
  "9293 3.10.7.4 fifth")
R("TW15", TIME_WAIT, 0, E_DATA, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_out_of_window", 0, "9293 3.10.7.4 seventh")
R("TW16", TIME_WAIT, 0, E_NULL, 0, Q_ANY, 0, TIME_WAIT, "drop_no_ack_flag",
  0, "9293 3.10.7.4 fifth")
R("TW17", TIME_WAIT, 0, E_T_TW_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "drop_listen_ack", 0, "9293 3.10.7.2 second")
R("TW18", TIME_WAIT, 0, E_ACK_FUTURE, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_bad_ack", 0, "5961 5.2 (Linux: silence)")
R("TW19", TIME_WAIT, 0, E_ACK_FAR_OLD, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_old_ack", 0, "5961 5.2 (Linux: silence)")
R("TW20", TIME_WAIT, F_SRCFULL, E_SYN_NEWER, 0, Q_ANY, 0, TIME_WAIT,
  "source_limit_drop", 0, "6191 2; 4987 3.1 (Linux forgets the tuple)")
R("TW21", TIME_WAIT, F_POOLFULL | F_NOCOOKIE, E_SYN_NEWER, 0, Q_ANY, 0,
  TIME_WAIT, "conn_limit_drop", 0, "6191 2 (Linux forgets the tuple)")
R("TW22", TIME_WAIT, F_BUDGET | F_NOCOOKIE, E_SYN_NEWER, 0, Q_ANY, 0,
  TIME_WAIT, "syn_recv_budget_drop", 0, "6191 2 (Linux forgets the tuple)")
R("TW23", TIME_WAIT, F_POOLFULL, E_SYN_NEWER, SA, Q_ANY, 100001, TIME_WAIT,
  "syncookies_sent", 0, "6191 2; 4987 3.6 (Linux forgets the tuple)")
R("TW24", TIME_WAIT, F_BUDGET, E_SYN_NEWER, SA, Q_ANY, 100001, TIME_WAIT,
  "syncookies_sent", 0, "6191 2; 4987 3.6 (Linux forgets the tuple)")
R("TW25", TIME_WAIT, F_BUDGET, E_SYN_NEWER_COOKIE_ACK, 0, Q_ANY, 0,
  ESTABLISHED, "tw_reused", 0, "6191 2; 4987 3.6")
R("TW26", TIME_WAIT, 0, E_SYN_SAME_TS, SA, Q_TWISN, 100001, SYN_RECEIVED,
  "tw_reused", 0, "6191 2 (an equal TSval: the SEQ decides)")
R("TW27", TIME_WAIT, F_NOTS, E_SYN_TS_AT_NXT, SA, Q_TWISN, 1, SYN_RECEIVED,
  "tw_reused", 0, "6191 2 (no timestamps before, a TSval now)")
R("TW28", TIME_WAIT, 0, E_T_TW_FIN_NOACK, 0, Q_ANY, 0, CLOSED, "tw_expired",
  0, "9293 3.10.7.4 first, fifth (no ACK bit: no restart)")
R("TW29", TIME_WAIT, F_NOTS, E_SYN_AT_NXT, SA, Q_TWISN, 1, SYN_RECEIVED,
  "tw_reused", 0, "6191 2 (above the FIN, the last SEQ used); 1122 4.2.2.13")
R("TW30", TIME_WAIT, F_NOTS, E_SYN_AT_FIN, NET_TCP_ACK, Q_NXT, 0, TIME_WAIT,
  "drop_tw_syn", 0, "6191 2 (sequence numbers; then 9293 3.10.7.4, 5961 4.2)")
R("TW31", TIME_WAIT, 0, E_FIN_DUP_NOTS, 0, Q_ANY, 0, TIME_WAIT,
  "drop_ts_missing", 0, "7323 3.2 (Linux ACKs)")
/* CLOSE_WAIT: the peer's FIN received. */
R("CW1", CLOSE_WAIT, 0, E_CLOSE, FA, Q_NXT, 0, LAST_ACK, NULL, 0,
  "9293 3.10.4")
R("CW2", CLOSE_WAIT, 0, E_SEND, PA, Q_NXT, 0, CLOSE_WAIT, "bytes_out", 10,
  "9293 3.10.2")
R("CW3", CLOSE_WAIT, 0, E_FIN_DUP, NET_TCP_ACK, Q_NXT, 0, CLOSE_WAIT,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("CW4", CLOSE_WAIT, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0,
  "5961 3.2")
R("CW5", CLOSE_WAIT, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, CLOSE_WAIT,
  "challenge_ack", 0, "5961 3.2")
R("CW6", CLOSE_WAIT, 0, E_RST_OUTWIN, 0, Q_ANY, 0, CLOSE_WAIT,
  "drop_out_of_window", 0, "5961 3.2")
R("CW7", CLOSE_WAIT, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, CLOSE_WAIT,
  "challenge_ack", 0, "5961 4.2")
R("CW8", CLOSE_WAIT, 0, E_ACK_FUTURE, NET_TCP_ACK, Q_NXT, 0, CLOSE_WAIT,
  "drop_bad_ack", 0, "5961 5.2")
R("CW9", CLOSE_WAIT, 0, E_ABORT, RA, Q_NXT, 0, CLOSED, "rst_sent", 0,
  "9293 3.10.5")
R("CW10", CLOSE_WAIT, F_DATA, E_T_RTO, PA, Q_UNA, 0, CLOSE_WAIT,
  "retransmit", 0, "6298 5.4-5.6")
R("CW11", CLOSE_WAIT, 0, E_RST_FIN_SEQ, 0, Q_ANY, 0, CLOSE_WAIT,
  "drop_out_of_window", 0, "5961 3.2 (Linux resets)")
/* LAST_ACK: our FIN sent after the peer's. */
R("LA1", LAST_ACK, 0, E_ACK, 0, Q_ANY, 0, CLOSED, "conn_closed", 0,
  "9293 3.10.7.4 fifth")
R("LA2", LAST_ACK, 0, E_FIN_DUP, NET_TCP_ACK, Q_NXT, 0, LAST_ACK,
  "drop_out_of_window", 0, "9293 3.10.7.4 first")
R("LA3", LAST_ACK, 0, E_T_RTO, FA, Q_FIN, 0, LAST_ACK, "retransmit", 0,
  "6298 5.4-5.6")
R("LA4", LAST_ACK, 0, E_T_GIVEUP, RA, Q_NXT, 0, CLOSED, "retransmit_abort",
  0, "1122 4.2.3.5")
R("LA5", LAST_ACK, 0, E_RST, 0, Q_ANY, 0, CLOSED, "rst_rx", 0, "5961 3.2")
R("LA6", LAST_ACK, 0, E_RST_INWIN, NET_TCP_ACK, Q_NXT, 0, LAST_ACK,
  "challenge_ack", 0, "5961 3.2")
R("LA7", LAST_ACK, 0, E_SYN, NET_TCP_ACK, Q_NXT, 0, LAST_ACK,
  "challenge_ack", 0, "5961 4.2")
R("LA8", LAST_ACK, 0, E_LATE_ACK, NET_TCP_RST, Q_SEGACK, 0, CLOSED,
  "drop_listen_ack", 0, "9293 3.10.7.2 second (late ACK)")
R("LA9", LAST_ACK, 0, E_RST_OUTWIN, 0, Q_ANY, 0, LAST_ACK,
  "drop_out_of_window", 0, "5961 3.2")
R("LA10", LAST_ACK, 0, E_ABORT, 0, Q_ANY, 0, CLOSED, "conn_closed", 0,
  "9293 3.10.5")
R("LA11", LAST_ACK, 0, E_RST_FIN_SEQ, 0, Q_ANY, 0, LAST_ACK,
  "drop_out_of_window", 0, "5961 3.2 (Linux resets)")
};
/* clang-format on */

#undef R
#undef RA
#undef FA
#undef SA
#undef PA

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

#endif /* TT_TCP_ROWS_H */
