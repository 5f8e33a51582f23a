"""`purge [--days N]`: delete submissions older than the retention setting now (the kiosk also does it at every start).

On a station of a shared clinic the shared database's rows older than that go too (the administrator signs in
against the clinic's accounts, and the purge is audited there)."""

from __future__ import annotations

import argparse

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import add_staff_argument
from kiosk.staff.rights import Action
from kiosk.staff.retention import purge_older_than
from kiosk.storage.database_url import forwards

NAME = "purge"
HELP = "delete submissions older than the retention setting (or --days N); needs the staff secret"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=None, help="keep this many days instead of the retention setting")
    add_staff_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.days is not None and args.days < 1:
        raise CommandFailed(f"--days must be 1 or more (got {args.days}); nothing was deleted")
    with services_for(args) as services:
        staff = unlocked(services, args, Action.PURGE)
        days = args.days if args.days is not None else services.settings().retention_days
        if days < 1:
            raise CommandFailed(f"the retention setting is {days} days; it must be 1 or more. Nothing was deleted")
        count = purge_older_than(services.store, services.conn, days, staff.actor, data_dir=services.data_dir,
                                 hold_unforwarded=forwards(services.settings().database_url))
        # a station of a shared clinic: the clinic's copies go by the same rule, audited in the clinic's log
        shared = (purge_older_than(staff.store, staff.conn, days, staff.actor)
                  if staff.conn is not services.conn else None)
        staff.lock()
    print(f"Deleted {count} submission(s) older than {days} days.")
    if shared is not None:
        print(f"Deleted {shared} submission(s) older than {days} days from the shared database.")
    return 0
