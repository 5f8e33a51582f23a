"""`account add|remove|list|rotate`: staff accounts from the command line, for scripted installs.

Every change needs an administrator's secret (KIOSK_STAFF_PASSPHRASE, the
account from --staff or KIOSK_STAFF_NAME, as every staff command reads it);
the new account's passphrase comes from KIOSK_NEW_STAFF_PASSPHRASE or a
prompt, never from the command line. Every change is audited under the
administrator's name.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import add_staff_argument
from kiosk.staff import vault
from kiosk.staff.rights import Action, Role, role_of

NAME = "account"
HELP = "add, remove or list staff accounts, or start a new key epoch (rotate); needs an administrator's secret"
ENV_NEW_PASSPHRASE = "KIOSK_NEW_STAFF_PASSPHRASE"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="account_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a staff account (passphrase from $KIOSK_NEW_STAFF_PASSPHRASE or a prompt)")
    add.add_argument("--name", required=True, help="the new staff member's name")
    role = add.add_mutually_exclusive_group()
    role.add_argument("--admin", action="store_true", help="same as --role administrator")
    role.add_argument("--role", default=None, choices=[r.value for r in Role],
                      help="front_desk (find, preview, print, notes), clinician (also mark reviewed, the default), "
                           "administrator (also settings, accounts, export, purge, backup)")
    remove = actions.add_parser("remove", help="remove a staff account; a new key epoch starts, so it cannot open "
                                              "anything stored from now on, even with an old backup")
    remove.add_argument("--name", required=True)
    actions.add_parser("list", help="list the staff accounts and their roles")
    actions.add_parser("rotate", help="start a new key epoch: what is stored from now on is sealed to a new key pair")
    from kiosk.commands.sync import add_database_argument

    for sub in actions.choices.values():
        add_staff_argument(sub)
        add_database_argument(sub)  # the clinic's shared accounts
        sub.add_argument("--data-dir", dest="account_data_dir", type=_path, default=None, metavar="DIR",
                         help=argparse.SUPPRESS)


def _path(text: str) -> Path:
    return Path(text)


def new_passphrase(name: str) -> str:
    value = os.environ.get(ENV_NEW_PASSPHRASE)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandFailed(f"No passphrase for the new account: set {ENV_NEW_PASSPHRASE} or run this in a terminal "
                            "to be asked.", 1)
    first = getpass.getpass(f"New passphrase for {name}: ")
    if getpass.getpass("Type it again: ") != first:
        raise CommandFailed("The two passphrases differ; no account was added.", 1)
    return first


def run(args: argparse.Namespace) -> int:
    if getattr(args, "account_data_dir", None) is not None:
        args.data_dir = args.account_data_dir  # `account add --data-dir D` as well as `account --data-dir D add`
    with services_for(args) as services:
        staff = unlocked(services, args, Action.ACCOUNTS)
        try:
            return _act(args, staff)
        except (vault.SetupError, ValueError) as exc:
            raise CommandFailed(str(exc), 1) from exc
        finally:
            staff.lock()


def _act(args: argparse.Namespace, staff) -> int:
    if args.account_action == "list":
        for account in staff.accounts():
            print(f"{account.name}\t{account.role.value}\t{account.created_at.date().isoformat()}")
        return 0
    if args.account_action == "add":
        role = Role.ADMINISTRATOR if args.admin else role_of(args.role or Role.CLINICIAN)
        staff.add_account(args.name, new_passphrase(args.name), role)
        print(f"Added {' '.join(args.name.split())} ({role.title}).")
        return 0
    if args.account_action == "remove":
        left_out = staff.remove_account(args.name)
        print(f"Removed {' '.join(args.name.split())}; what is stored from now on is sealed to new keys it never held.")
    else:
        left_out = staff.rotate_keys()
        print("Started a new key epoch: what is stored from now on is sealed to a new key pair.")
    for name in left_out:
        print(f"naltrexone-kiosk: warning: {name} has not signed in since key epochs were introduced and cannot open "
              "the new keys; remove the account and add it again.", file=sys.stderr)
    return 0
