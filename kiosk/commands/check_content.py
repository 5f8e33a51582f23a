"""`check-content [DIR]`: validate a content folder before a clinic ships its edits."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.content import check_folder
from kiosk.system.paths import content_dir

NAME = "check-content"
HELP = "validate a content folder (the shipped one by default); list every error as file:place: message"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", type=Path, default=None, help="content folder to check")


def run(args: argparse.Namespace) -> int:
    folder = args.folder or content_dir()
    errors = check_folder(folder)
    for problem in errors:
        print(problem, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s) in {folder}", file=sys.stderr)
        return 1
    print(f"{folder}: content is valid")
    return 0
