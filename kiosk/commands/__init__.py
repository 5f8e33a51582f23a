"""Subcommands of `naltrexone-kiosk`, one module each: NAME, HELP, add_arguments(parser), run(args) -> exit code.

Importing this package imports none of them: starting the kiosk needs none,
and each subcommand loads only its own module's imports.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# The order `--help` lists them in.
MODULES = ["check_content", "questionnaire", "report", "import_response",
           "setup", "export", "purge", "backup", "demo_data",
           "account", "console", "doctor", "sync"]


def all_commands() -> list[ModuleType]:
    return [import_module(f"kiosk.commands.{name}") for name in MODULES]
