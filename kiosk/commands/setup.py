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

NAME = "setup"
HELP = "first-run setup: the clinic's name and the first admin account (passphrase from KIOSK_STAFF_PASSPHRASE or a prompt)"
WARNING = ("Keep the recovery key below on paper, somewhere locked. The answers on this kiosk are encrypted: "
           "if every staff passphrase AND this key are lost, nobody (not even the vendor) can read them.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clinic", default=None, help="the clinic's name, shown to patients and on the PDF")
    parser.add_argument("--admin", required=True, help="the first admin's name")
    parser.add_argument("--recover", action="store_true",
                        help="use the recovery key (KIOSK_RECOVERY_KEY or a prompt) to set a new passphrase for --admin")
    from kiosk.commands.sync import add_database_argument

    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.sync import shared_database

    shared = shared_database(args, "") if getattr(args, "database", None) else None  # refused before any write
    with services_for(args, need_setup=False) as services:
        try:
            passphrase = read_passphrase("New passphrase for " + args.admin + ": ", confirm=True)
        except SecretMissing as exc:
            raise CommandFailed(str(exc), 3) from exc
        try:
            if args.recover:
                key = os.environ.get("KIOSK_RECOVERY_KEY") or (getpass.getpass("Recovery key: ") if sys.stdin.isatty() else "")
                vault.recover(services.conn, key, args.admin, passphrase)
                print(f"{args.admin} can unlock with the new passphrase.")
                return 0
            if not args.clinic:
                raise CommandFailed("give the clinic's name with --clinic NAME", 2)
            recovery = vault.setup_install(services.conn, args.clinic, args.admin, passphrase)
            if shared:
                from kiosk.staff.rights import Role
                from kiosk.staff.settings_store import save_settings

                save_settings(services.conn, args.admin, Role.ADMINISTRATOR, database_url=shared)
        except vault.SetupError as exc:
            raise CommandFailed(str(exc), 1) from exc
    if shared:
        print(shared_database_status(shared))
    print(f"Set up {args.clinic!r} with admin {args.admin!r} in {services.data_dir}.")
    print(WARNING)
    print(f"Recovery key: {recovery}")
    return 0


def shared_database_status(url: str) -> str:
    """Reach the shared database once (its tables are made or brought up to date); setup succeeds either way."""
    from kiosk.storage.forwarder import describe

    try:
        from kiosk.storage.postgres_submissions import connect_postgres

        connect_postgres(url, connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001 - this machine is set up; forwarding waits for the server
        print(f"naltrexone-kiosk: the shared {describe(url)} cannot be reached now ({type(exc).__name__}); "
              "submissions are kept here and forwarded when it can", file=sys.stderr)
        return f"Submissions will be forwarded to the shared {describe(url)}."
    return f"Submissions are forwarded to the shared {describe(url)}."
