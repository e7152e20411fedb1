# SPDX-License-Identifier: BSD-3-Clause
"""TCP state names as tcpterm spells them, and how users may write them."""
from .client import CtlError

# In lib/tcp's order (TCP_STATES in lib/tcp/tcp.h).
STATES = ["CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
          "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "TIME_WAIT", "CLOSE_WAIT",
          "LAST_ACK"]


def parse_state(text):
    """'fin-wait-2', 'FIN_WAIT_2', 'fin_wait2' -> 'FIN_WAIT_2'."""
    norm = text.strip().upper().replace("-", "_")
    for s in STATES:
        if norm == s or norm == s.replace("_", ""):
            return s
    alias = {"SYN_RECV": "SYN_RECEIVED", "ESTAB": "ESTABLISHED",
             "FIN_WAIT1": "FIN_WAIT_1", "FIN_WAIT2": "FIN_WAIT_2"}
    if norm in alias:
        return alias[norm]
    raise CtlError("unknown TCP state '%s' (one of: %s)"
                   % (text, ", ".join(STATES)))
