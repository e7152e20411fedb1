# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl entry point: global options, then one subcommand.

Every module cmd_<name>.py of this package is a subcommand. It defines
NAME (the subcommand's name), add_parser(subparsers) (adds its parser,
returns it) and run(args, client) -> exit status.
"""
import argparse
import importlib
import os
import pkgutil
import sys

from . import client as client_mod
from .client import CtlError


def discover():
    """The subcommand modules of the package, sorted by name."""
    here = os.path.dirname(os.path.abspath(__file__))
    mods = []
    for info in pkgutil.iter_modules([here]):
        if info.name.startswith("cmd_"):
            mods.append(importlib.import_module("." + info.name, __package__))
    return sorted(mods, key=lambda m: m.NAME)


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad arguments already; say which command."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, "%s: error: %s\n" % (self.prog, message))


def build_parser(mods):
    p = Parser(prog="tcpterm-ctl",
               description="Inspect and control a running tcpterm "
               "through DPDK telemetry.")
    p.add_argument("-f", "--file-prefix", dest="prefix",
                   default=client_mod.DEFAULT_PREFIX, metavar="PREFIX",
                   help="the instance's EAL --file-prefix (default: "
                   "%(default)s), as dpdk-telemetry.py -f")
    p.add_argument("--socket", metavar="PATH",
                   help="the telemetry socket itself (overrides -f)")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S",
                   help="telemetry socket timeout (default: %(default)s s)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND",
                           parser_class=Parser)
    sub.required = True
    for m in mods:
        m.add_parser(sub)
    return p


def main(argv=None):
    mods = discover()
    args = build_parser(mods).parse_args(argv)
    by_name = {m.NAME: m for m in mods}
    cl = client_mod.Client(args.prefix, timeout=args.timeout,
                           path=args.socket)
    try:
        return by_name[args.command].run(args, cl)
    except CtlError as e:
        print("tcpterm-ctl %s: %s" % (args.command, e), file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        cl.close()
