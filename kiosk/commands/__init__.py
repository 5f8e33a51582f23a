"""Subcommands of `naltrexone-kiosk`, one module each: NAME, HELP, add_arguments(parser), run(args) -> exit code."""

from __future__ import annotations

from types import ModuleType

from kiosk.commands import check_content
from kiosk.commands import import_response, questionnaire, report

COMMANDS: list[ModuleType] = [check_content]
COMMANDS += [questionnaire, report, import_response]

from kiosk.commands import backup, demo_data, export, purge, setup  # noqa: E402

COMMANDS += [setup, export, purge, backup, demo_data]

from kiosk.commands import account, console, doctor  # noqa: E402

COMMANDS += [account, console, doctor]
