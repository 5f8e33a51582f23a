"""How every subcommand that needs a staff secret gets it: the same way, from the environment or a prompt.

`KIOSK_STAFF_PASSPHRASE` for scripted installs (never a command-line argument,
which other users can read in the process list), else an interactive prompt.
The account is `--staff NAME`, else `KIOSK_STAFF_NAME`, else whichever account
the passphrase opens, so every scripted action is still attributed to a person.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from kiosk.services import KioskServices
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData

ENV_PASSPHRASE = "KIOSK_STAFF_PASSPHRASE"
ENV_NAME = "KIOSK_STAFF_NAME"


class SecretMissing(Exception):
    pass


def add_staff_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--staff", default=None, metavar="NAME",
                        help=f"staff account (default: ${ENV_NAME}, or the account the passphrase opens)")


def read_passphrase(prompt: str = "Staff passphrase: ", confirm: bool = False) -> str:
    value = os.environ.get(ENV_PASSPHRASE)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise SecretMissing(f"No staff passphrase: set {ENV_PASSPHRASE} or run this in a terminal to be asked.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise SecretMissing("The two passphrases differ; nothing was changed.")
    return first


def unlock_for_command(services: KioskServices, args: argparse.Namespace) -> SealedStaffData:
    """Unlock with the staff secret; raises UnlockError / SecretMissing with a message to print."""
    conn = services.staff_conn(getattr(args, "database", None))  # the clinic's shared database when configured
    if not vault.is_set_up(conn):
        services.require_setup()
    passphrase = read_passphrase()
    name = getattr(args, "staff", None) or os.environ.get(ENV_NAME)
    unlocked = vault.unlock(conn, name, passphrase) if name else vault.unlock_any(conn, passphrase)
    for finding in unlocked.audit_findings:
        print(f"naltrexone-kiosk: warning: {finding} (recorded in the audit log)", file=sys.stderr)
    return SealedStaffData(conn, unlocked, services.content, services.data_dir)
