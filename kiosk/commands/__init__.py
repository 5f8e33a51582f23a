"""Subcommands of `naltrexone-kiosk`, one module each: NAME, HELP, add_arguments(parser), run(args) -> exit code."""

from __future__ import annotations

from types import ModuleType

from kiosk.commands import check_content

COMMANDS: list[ModuleType] = [check_content]
