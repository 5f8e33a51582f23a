"""`setup --database URL`: make the clinic in the shared database, or join this machine to the clinic already there.

A fresh database gets the clinic (key pair, first administrator, recovery key)
exactly as a single machine does, only kept in PostgreSQL. A database that is
already set up is never set up a second time: this machine joins it as another
station, which takes an administrator's secret (KIOSK_STAFF_PASSPHRASE with
--admin / KIOSK_STAFF_NAME, or the recovery key in KIOSK_RECOVERY_KEY). A wrong
secret is exit 3 and this data folder is left as it was. The shared database
must be reachable: setting up while it is away would make a second clinic.
"""

from __future__ import annotations

import argparse
import os
import sys

from kiosk.commands.common import CommandFailed, services_for
from kiosk.commands.staff_secret import ENV_NAME, SecretMissing, read_passphrase
from kiosk.staff import clinic, vault
from kiosk.storage.forwarder import _first_line, connection_problem, describe
from kiosk.storage.shared_connection import SharedConnection, open_shared

WARNING = ("Keep the recovery key below on paper, somewhere locked. The clinic's answers are encrypted: "
           "if every staff passphrase AND this key are lost, nobody (not even the vendor) can read them.")
ENV_RECOVERY = "KIOSK_RECOVERY_KEY"


def setup_shared(args: argparse.Namespace, url: str) -> int:
    import psycopg

    try:
        shared = open_shared(url)
    except (psycopg.Error, RuntimeError) as exc:
        raise CommandFailed(f"the shared {describe(url)} cannot be reached ({connection_problem(url, exc)}); nothing was set up. "
                            "Setup needs it once, to make the clinic there or join the one already there.", 2) from exc
    try:
        if vault.is_set_up(shared):
            return _join(args, shared, url)
        return _create(args, shared, url)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise CommandFailed(f"this login may not do that in the shared {describe(url)} ({_first_line(exc)}); "
                            "nothing was changed. Use the clinic owner's or a staff login for setup, or join a tablet "
                            f"with the recovery key (${ENV_RECOVERY}).", 3) from exc
    finally:
        shared.close()


def _create(args: argparse.Namespace, shared: SharedConnection, url: str) -> int:
    if not args.admin:
        raise CommandFailed("give the first admin's name with --admin NAME", 2)
    if not args.clinic:
        raise CommandFailed("give the clinic's name with --clinic NAME", 2)
    with services_for(args, need_setup=False) as services:
        if services.is_set_up():
            raise CommandFailed(str(_own_clinic_refusal()), 1)
        try:
            passphrase = read_passphrase("New passphrase for " + args.admin + ": ", confirm=True)
        except SecretMissing as exc:
            raise CommandFailed(str(exc), 3) from exc
        try:
            recovery = vault.setup_install(shared, args.clinic, args.admin, passphrase)
        except vault.SetupError as exc:
            raise CommandFailed(str(exc), 1) from exc
        clinic.adopt(services.conn, shared, args.admin, url)
    print(f"Submissions are forwarded to the shared {describe(url)}.")
    print(f"Set up {args.clinic!r} with admin {args.admin!r} in the shared {describe(url)}; "
          f"this machine ({services.data_dir}) is its first station.")
    print(WARNING)
    print(f"Recovery key: {recovery}")
    return 0


def _join(args: argparse.Namespace, shared: SharedConnection, url: str) -> int:
    name = clinic_name(shared)
    recovery = os.environ.get(ENV_RECOVERY)
    try:
        if recovery:
            actor = clinic.prove_with_recovery(shared, recovery)
        else:
            passphrase = read_passphrase(f"Passphrase of an administrator of {name}: ")
            actor = clinic.prove_with_passphrase(shared, args.admin or os.environ.get(ENV_NAME), passphrase)
    except SecretMissing as exc:
        raise CommandFailed(f"{name!r} is already set up in the shared {describe(url)}: joining it as another "
                            f"station needs an administrator's secret. {exc}", 3) from exc
    except clinic.JoinRefused as exc:
        raise CommandFailed(str(exc), 3) from exc
    with services_for(args, need_setup=False) as services:
        try:
            if clinic.joined_already(services.conn, shared):
                clinic.refresh(services.conn, shared)
                print(f"This machine is already a station of {name!r}; its keys and settings are up to date.")
                return 0
        except clinic.NotThisClinic as exc:
            raise CommandFailed(str(exc), 1) from exc
        clinic.adopt(services.conn, shared, actor, url)
        clinic.record_join(shared, actor)
    if args.clinic and args.clinic.strip() != name:
        print(f"naltrexone-kiosk: the clinic in that database is {name!r}; --clinic {args.clinic!r} was not used",
              file=sys.stderr)
    print(f"Submissions are forwarded to the shared {describe(url)}.")
    print(f"Joined {name!r} as another station ({services.data_dir}), with the secret of {actor}. "
          "Staff sign in with their own accounts; what this station stores opens on every console.")
    return 0


def clinic_name(shared: SharedConnection) -> str:
    from kiosk.staff.settings_store import load_settings

    return load_settings(shared).clinic_name


def _own_clinic_refusal() -> clinic.NotThisClinic:
    return clinic.NotThisClinic("This data folder is already set up as a clinic of its own; make the shared clinic "
                                "from a new data folder.")
