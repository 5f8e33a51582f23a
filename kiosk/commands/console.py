"""`console [--windowed] [--database URL]`: only the staff console, in a process of its own (the kiosk's staff
gesture starts it; on a front-desk PC with no patient screens, `--database URL` reads the clinic's shared queue).

The patient-facing process never holds a staff secret: unlocking, the keys and
every opened submission live in this process, which ends when staff lock.
The kiosk builds this command line in ui/console_process.py.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path


NAME = "console"
HELP = ("the staff console alone (sign in, queue, print, export); full screen, or --windowed on a PC; "
        "--database URL for the clinic's shared queue")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (default: shipped)")
    parser.add_argument("--setup-only", action="store_true",
                        help="first-run setup (clinic, first administrator, recovery key), then exit")
    from kiosk.commands.sync import add_database_argument

    add_database_argument(parser)  # a staff PC with no patient screens reads the clinic's shared queue


def run(args: argparse.Namespace) -> int:
    return int(importlib.import_module("ui.console_app").run(args))
