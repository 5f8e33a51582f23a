"""What subcommands share: opening the data directory, and turning known failures into one clear line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.content import ContentInvalid
from kiosk.system.datadir import DataDirError
from kiosk.services import KioskServices, open_kiosk_services
from kiosk.staff.rights import Action
from kiosk.storage.db import StorageError


class CommandFailed(Exception):
    """Printed as `naltrexone-kiosk: message` on stderr; the exit code says what kind of failure."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def services_for(args: argparse.Namespace, need_setup: bool = True) -> Iterator[KioskServices]:
    """Open the data directory (and check it is set up); always closes the database."""
    try:
        services = open_kiosk_services(args.data_dir, getattr(args, "content", None))
    except ContentInvalid as invalid:
        raise CommandFailed("the content files have errors:\n" + "\n".join(f"  {e}" for e in invalid.errors), 2) from invalid
    except (DataDirError, StorageError) as exc:
        raise CommandFailed(str(exc), 2) from exc
    try:
        if need_setup and not getattr(args, "database", None):  # with --database, the shared clinic is checked
            try:
                services.require_setup()
            except StorageError as exc:
                raise CommandFailed(str(exc), 2) from exc
        yield services
    finally:
        services.close()


def unlocked(services: KioskServices, args: argparse.Namespace, action: Action):
    """The staff data for a command that needs the staff secret and the right to `action` (kiosk.staff.rights).

    A missing or wrong secret, and an account whose role may not do `action`
    ("needs an administrator"), become CommandFailed with exit code 3; the
    refusal is audited and the keys are forgotten at once.
    """
    from kiosk.commands.staff_secret import SecretMissing, unlock_for_command
    from kiosk.staff.rights import NotAllowed
    from kiosk.staff.vault import UnlockError

    try:
        staff = unlock_for_command(services, args)
    except (SecretMissing, UnlockError) as exc:
        raise CommandFailed(str(exc), 3) from exc
    except StorageError as exc:
        raise CommandFailed(str(exc), 2) from exc
    try:
        staff.require(action)
    except NotAllowed as refused:
        staff.lock()
        raise CommandFailed(str(refused), 3) from refused
    return staff
