"""`console [--windowed]`: only the staff console, in a process of its own (the kiosk's staff gesture starts it).

The patient-facing process never holds a staff secret: unlocking, the keys and
every opened submission live in this process, which ends when staff lock.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from kiosk.paths import program_command

NAME = "console"
HELP = "the staff console alone (sign in, queue, print, export); full screen, or --windowed on a PC"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (default: shipped)")


def command_line(data_dir: Path, content: Path | None, windowed: bool) -> list[str]:
    """How a running kiosk starts this subcommand: the same program, from a checkout, a wheel or a bundle."""
    line = [*program_command(), NAME, "--data-dir", str(data_dir)]
    if content is not None:
        line += ["--content", str(content)]
    return line + (["--windowed"] if windowed else [])


def run(args: argparse.Namespace) -> int:
    return int(importlib.import_module("ui.console_app").run(args))
