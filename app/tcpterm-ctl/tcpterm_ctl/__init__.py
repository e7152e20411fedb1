# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl: subcommands are the cmd_*.py modules of this package."""
