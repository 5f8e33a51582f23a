"""`backup --out FILE`: a consistent copy of the database through SQLite's backup API, sealed as the data is.

The copy holds the same sealed payloads and wrapped keys, so it is exactly as
protected as the kiosk's own file: the staff passphrases (or the recovery key)
open it. Restore by putting the file as `kiosk.db` into an empty data folder.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
from pathlib import Path

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import add_staff_argument
from kiosk.storage.private_files import PrivateWriteRefused
from kiosk.staff.rights import Action

NAME = "backup"
HELP = "copy the database to FILE with SQLite's backup API (stays encrypted); needs the staff secret"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="where to write the backup")
    add_staff_argument(parser)


def backup_to(conn: sqlite3.Connection, out: Path) -> None:
    """Into a fresh owner-only file beside `out` (never through a planted link), then renamed, so a failed
    backup never leaves a half file."""
    if out.is_symlink():
        raise PrivateWriteRefused(f"{out} is a symbolic link; refusing to write the backup through it")
    partial = out.with_name(f".{out.name}.{secrets.token_hex(6)}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    try:
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if result != "ok":
            raise CommandFailed(f"the backup copy failed its integrity check ({result}); nothing was written to {out}")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and out.is_dir():
        raise CommandFailed(f"{out} is a folder; give a file name for the backup", 2)
    with services_for(args) as services:
        staff = unlocked(services, args, Action.BACKUP)
        try:
            backup_to(services.conn, out)
        except OSError as exc:
            raise CommandFailed(f"could not write the backup to {out} ({exc.strerror or exc}); the database is unchanged") from exc
        staff.record("backup", "", {"file": out.name})
        staff.lock()
    print(f"Backup written to {out} (encrypted as the kiosk's data is; open it with a staff passphrase).")
    return 0
