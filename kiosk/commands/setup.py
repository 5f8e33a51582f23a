"""`setup --clinic NAME --admin NAME`: the first-run step for scripted installs (the kiosk also offers it on screen).

The passphrase comes from KIOSK_STAFF_PASSPHRASE or a prompt, never the
command line. The recovery key is printed once: losing every staff passphrase
and this key means the stored answers can never be read.
`setup --recover --admin NAME` uses that key (KIOSK_RECOVERY_KEY or a prompt)
to give an admin a new passphrase.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from kiosk.commands.common import CommandFailed, services_for
from kiosk.commands.staff_secret import SecretMissing, read_passphrase
from kiosk.staff import vault
from kiosk.storage.db import StorageError

NAME = "setup"
HELP = "first-run setup: the clinic's name and the first admin account (passphrase from KIOSK_STAFF_PASSPHRASE or a prompt)"
WARNING = ("Keep the recovery key below on paper, somewhere locked. The answers on this kiosk are encrypted: "
           "if every staff passphrase AND this key are lost, nobody (not even the vendor) can read them.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clinic", default=None, help="the clinic's name, shown to patients and on the PDF")
    parser.add_argument("--admin", default=None,
                        help="the first admin's name; when joining a clinic already in --database, the administrator "
                             "whose passphrase proves it (default: $KIOSK_STAFF_NAME, or the account it opens)")
    parser.add_argument("--recover", action="store_true",
                        help="use the recovery key (KIOSK_RECOVERY_KEY or a prompt) to set a new passphrase for --admin")
    from kiosk.commands.sync import add_database_argument

    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.sync import shared_database

    shared = shared_database(args, "") if getattr(args, "database", None) else None  # refused before any write
    if shared and not args.recover:
        from kiosk.commands.setup_shared import setup_shared

        return setup_shared(args, shared)
    if not args.admin:
        raise CommandFailed("give the first admin's name with --admin NAME", 2)
    with services_for(args, need_setup=False) as services:
        try:
            passphrase = read_passphrase("New passphrase for " + args.admin + ": ", confirm=True)
        except SecretMissing as exc:
            raise CommandFailed(str(exc), 3) from exc
        try:
            if args.recover:
                key = recovery_key()
                try:
                    conn = services.staff_conn(shared)  # a shared clinic's accounts live in its database
                except StorageError as exc:
                    raise CommandFailed(str(exc), 2) from exc
                vault.recover(conn, key, args.admin, passphrase)
                print(f"{args.admin} can unlock with the new passphrase.")
                return 0
            if not args.clinic:
                raise CommandFailed("give the clinic's name with --clinic NAME", 2)
            recovery = vault.setup_install(services.conn, args.clinic, args.admin, passphrase)
        except vault.SetupError as exc:
            raise CommandFailed(str(exc), 1) from exc
    print(f"Set up {args.clinic!r} with admin {args.admin!r} in {services.data_dir}.")
    print(WARNING)
    print(f"Recovery key: {recovery}")
    return 0


def recovery_key() -> str:
    return os.environ.get("KIOSK_RECOVERY_KEY") or (getpass.getpass("Recovery key: ") if sys.stdin.isatty() else "")
