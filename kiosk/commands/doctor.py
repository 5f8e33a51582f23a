"""`doctor [--json]`: is this machine ready for patients? One line per check, a tick or a cross and what to do.

Needs no staff secret and changes nothing: the database is opened read-only.
Exit 0 when every check passes, 1 when any is crossed.
"""

from __future__ import annotations

import argparse
import json

from kiosk.system.paths import default_data_dir

NAME = "doctor"
HELP = ("check the data folder, database, backups, printer, CUPS spool, read-aloud voices, touch screen, screen, "
        "disk encryption, clock and free disk; exit 1 when anything needs fixing")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the checks as JSON for scripts")


def run(args: argparse.Namespace) -> int:
    from kiosk.console.doctor import as_json, run_checks

    folder = args.data_dir if args.data_dir is not None else default_data_dir()
    checks = run_checks(folder, _content_languages(args))
    if args.json:
        print(json.dumps(as_json(checks), indent=2, ensure_ascii=False))
    else:
        for check in checks:
            print(check.line())
        crossed = sum(not c.ok for c in checks)
        print("All checks passed." if not crossed else f"{crossed} check(s) need fixing.")
    return 0 if all(c.ok for c in checks) else 1


def _content_languages(args: argparse.Namespace) -> tuple[str, ...]:
    from kiosk.content import ContentInvalid, load_content
    from kiosk.system.paths import content_dir

    try:
        return tuple(load_content(getattr(args, "content", None) or content_dir()).languages)
    except ContentInvalid:
        return ("en",)
