"""The command line: `naltrexone-kiosk` starts the kiosk; subcommands serve staff and scripts.

Each subcommand lives in its own module under `kiosk.commands` and is listed in
`kiosk.commands.MODULES`. Starting the kiosk is the one place the core hands
over to the Qt view: it imports `ui.app` by name, so the core never depends on
Qt at import time (checked by the import-linter contract).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.system.datadir import DataDirError, refuse_foreign_folder
from kiosk.system.logs import FILE_ONLY, log_file, setup_logging
from kiosk.system.paths import RENDER_PDF, default_data_dir

log = logging.getLogger("kiosk")

SPEECH_CHILD = "--read-aloud"  # the kiosk runs itself with this to hold the speech engine (ui/speech_child.py)


def data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help="where the database, PDFs and logs are kept (default: the user data directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="naltrexone-kiosk", description="Patient-intake kiosk for naltrexone treatment.")
    parser.add_argument("--version", action="version", version=f"naltrexone-kiosk {__version__}")
    data_dir_argument(parser)
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument("--smoke", action="store_true", help="start, paint the first screen, exit 0")
    parser.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (default: shipped)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from kiosk.commands import all_commands

    for module in all_commands():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        data_dir_argument(command)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def _kiosk_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments when they only start the kiosk: then no subcommand module is imported (start-up time)."""
    parser = argparse.ArgumentParser(add_help=False)
    data_dir_argument(parser)
    parser.add_argument("--windowed", action="store_true")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--content", type=Path, default=None)
    try:
        args, rest = parser.parse_known_args(argv)
    except SystemExit:  # a malformed option: let the full parser say what is wrong
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [RENDER_PDF]:  # the kiosk's own render process
        return int(importlib.import_module("kiosk.patient.after_commit").child_main())
    if arguments[:1] == [SPEECH_CHILD]:  # the kiosk's own read-aloud process: no data folder, no log file of its own
        return int(importlib.import_module("ui.speech_child").main(arguments[1:]))
    args = _kiosk_arguments(argv) or build_parser().parse_args(argv)
    if args.command != "doctor":
        try:
            refuse_foreign_folder(args.data_dir or default_data_dir())  # before the log file is made inside it
        except DataDirError as refused:
            print(f"naltrexone-kiosk: {refused}", file=sys.stderr)
            return 2
    if args.command != "doctor":  # doctor only looks: it must not make the folder it is asked about
        setup_logging(args.data_dir)  # logs/kiosk.log in the data folder, for the kiosk and every subcommand
    log.info("naltrexone-kiosk %s starting: %s", __version__, args.command or "kiosk")
    if args.command is None:
        gc.disable()  # from here to the first screen nothing made is garbage (ui.app.run resumes collection)
        try:
            return importlib.import_module("ui.app").run(args)
        finally:
            gc.enable()
    from kiosk.commands.common import CommandFailed

    try:
        return int(args.run(args))
    except CommandFailed as failed:
        print(f"naltrexone-kiosk: {failed}", file=sys.stderr)
        return failed.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the backstop (logged with its traceback): a user sees one line, never a traceback
        log.error("%s failed unexpectedly", args.command, exc_info=True, extra=FILE_ONLY)
        print(f"naltrexone-kiosk: {args.command} failed unexpectedly ({type(exc).__name__}); nothing more was done. "
              f"Details are in {log_file(args.data_dir or default_data_dir())}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
