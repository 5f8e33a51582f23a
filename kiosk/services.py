"""The core services a process needs, opened in one place: content, data folder, database, store.

The kiosk window, the staff console and the subcommands all open the data
directory through `open_kiosk_services`, so the checks (writable folder,
healthy database, current schema), the sealing of payloads and the start-up
chores (crash recovery, retention) are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.system.clock import utc_now
from kiosk.content import Content, load_content
from kiosk.system.datadir import prepare_data_dir
from kiosk.system.health import IntegrityCheck, check_database
from kiosk.system.paths import content_dir
from kiosk.settings import Settings
from kiosk.staff.install_state import is_set_up
from kiosk.staff.settings_store import load_settings
from kiosk.storage.db import StorageError, connect
from kiosk.storage.shared_connection import Db, SharedConnection
from kiosk.patient.intake import Delivery, IntakeController
from kiosk.patient.autosave import SealedJournal
from kiosk.staff.retention import purge_older_than
from kiosk.storage.instance_lock import InstanceLock
from kiosk.storage.sqlite_submissions import SubmissionStore

if TYPE_CHECKING:
    from kiosk.printing.printer import Printer

DB_NAME = "kiosk.db"
NOT_SET_UP = ("This kiosk is not set up yet: no staff account exists, so nothing can be stored safely. "
              "Start the kiosk to run its first-run setup, or run: naltrexone-kiosk setup --data-dir {dir} "
              "--clinic NAME --admin NAME")


@dataclass
class KioskServices:
    content: Content
    data_dir: Path
    conn: sqlite3.Connection
    store: SubmissionStore
    lock: InstanceLock | None = field(default=None, repr=False)
    # Every visit type's questionnaire by id; filled from the content folder when not given.
    visits: dict[str, Content] = field(default_factory=dict, repr=False)
    # The clinic's shared database, once a staff action needed it (`staff_conn`).
    shared: SharedConnection | None = field(default=None, repr=False)
    # Set by close(): chores still queued on the event loop (retention batches) see it and stop.
    closed: bool = field(default=False, repr=False)

    def visit_contents(self) -> dict[str, Content]:
        """Every visit type's questionnaire (the intake is `content`); raises ContentInvalid for a broken one."""
        if not self.visits:
            others = self.content.manifest.visit_ids()[1:]
            self.visits = {self.content.visit: self.content,
                           **{visit: load_content(self.content.folder, visit=visit) for visit in others}}
        return self.visits

    def content_for_visit(self, visit: str) -> Content | None:
        return self.visit_contents().get(visit)

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def is_set_up(self) -> bool:
        return is_set_up(self.conn)

    def require_setup(self) -> None:
        if not self.is_set_up():
            raise StorageError(NOT_SET_UP.format(dir=self.data_dir))

    def settings(self) -> Settings:
        return load_settings(self.conn)

    def take_up_clinic_changes(self) -> bool:
        """On a station of a shared clinic: the clinic's newest public key and settings (changed at a console) apply
        here now; False on a machine alone, when nothing changed, or when the server cannot be reached."""
        try:
            url = self.database_url()
        except StorageError:
            return False
        if url is None:
            return False
        from kiosk.staff.clinic import take_up

        return take_up(self.conn, url, connect_timeout=2)

    def database_url(self, explicit: str | None = None) -> str | None:
        """The clinic's shared database: `--database`, else $KIOSK_DATABASE_URL, else the setting (None: alone)."""
        from kiosk.storage.database_url import BadDatabaseUrl, resolve_database_url

        try:
            return resolve_database_url(explicit, self.settings().database_url)
        except BadDatabaseUrl as bad:
            raise StorageError(str(bad)) from bad

    def staff_conn(self, explicit: str | None = None) -> Db:
        """Where accounts, wrapped keys, lock-out, the audit chain, settings and the queue staff read live: the
        clinic's shared database when one is configured, else this folder's own."""
        url = self.database_url(explicit)
        if url is None:
            return self.conn
        if self.shared is None or self.shared.url != url:
            import psycopg

            from kiosk.storage.forwarder import connection_problem, describe
            from kiosk.storage.shared_connection import open_shared

            try:
                self.shared = open_shared(url)
            except (psycopg.Error, RuntimeError) as exc:
                raise StorageError(f"The shared {describe(url)} cannot be reached ({connection_problem(url, exc)})."
                                   " Staff work needs it; patients' submissions are kept here meanwhile.") from exc
        return self.shared

    def hold_kiosk_lock(self) -> None:
        """This process is the patient-facing kiosk for the folder; raises AlreadyRunning if another one is."""
        if self.lock is None:
            self.lock = InstanceLock(self.data_dir)
        self.lock.acquire()

    def start_up(self, now: dt.datetime | None = None) -> int:
        """At every start, before the first screen: sessions cut off by a crash go to staff as abandoned.

        Only the autosave journal is read (a handful of rows), so this costs the same with any number of
        stored submissions. Retention is `purge_expired`, run in batches after the first paint. Autosaves
        are only crashed sessions when no kiosk holds the folder: with a live kiosk they are patients
        still answering, and are left alone.
        """
        return self.recover_crashed_sessions(self.settings().keep_abandoned, now)

    def purge_expired(self, batch: int, now: dt.datetime | None = None) -> int:
        """One batch of the retention purge (the oldest first); returns how many went, `batch` if more may wait."""
        from kiosk.staff.vault import SYSTEM  # the vault (keys, epochs, audit seal) is not part of a daily start
        from kiosk.storage.database_url import forwards

        settings = self.settings()
        return purge_older_than(self.store, self.conn, settings.retention_days, SYSTEM, now, self.data_dir,
                                limit=batch, hold_unforwarded=forwards(settings.database_url))

    def recover_crashed_sessions(self, keep: bool, now: dt.datetime | None = None) -> int:
        if self.lock is not None and self.lock.held:
            return self.store.adopt_autosaves(keep, now or utc_now())
        probe = InstanceLock(self.data_dir)
        if not probe.try_acquire():
            return 0
        try:
            return self.store.adopt_autosaves(keep, now or utc_now())
        finally:
            probe.release()

    def intake_controller(self, clock: Callable[[], dt.datetime] | None = None) -> IntakeController:
        """The patient path as the kiosk runs it: sealed autosave, print or sealed outbox, settings read live."""
        from kiosk.printing.outbox import identity
        from kiosk.report.logo import load_logo

        current = self.settings
        visits = self.visit_contents()
        journal = SealedJournal(self.store, self.content, keep_abandoned=lambda: current().keep_abandoned,
                                visits=visits)
        conn = self.conn

        def seal_for_outbox(pdf: bytes) -> bytes:
            # the staff data module (and its console-side imports) loads with the first PDF kept, not at start
            from kiosk.staff.data import outbox_sealer

            return (outbox_sealer(conn) or identity)(pdf)

        def printer() -> Printer | None:
            # CUPS (and its command-line plumbing) loads with the first submit, not at start
            from kiosk.printing.cups import make_printer

            return make_printer(current())

        delivery = Delivery(printer=printer, seal=seal_for_outbox,
                            logo=lambda: load_logo(current().clinic_logo))
        return IntakeController(self.content, self.store, self.outbox_dir, lambda: current().clinic_name,
                                clock=clock or utc_now, journal=journal,
                                delivery=delivery, visits=visits, visit_setting=lambda: current().visit_type)

    def close(self) -> None:
        self.closed = True
        if self.shared is not None:
            self.shared.close()
        self.conn.close()
        if self.lock is not None:
            self.lock.release()


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The one writer connection, after `quick_check` says the file is safe to write."""
    health = check_database(data_dir / DB_NAME)
    if not health.ok:
        raise StorageError(health.staff_message)
    try:
        return connect(data_dir / DB_NAME)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a damaged header can garble a pragma's text
        raise StorageError(f"The database in {data_dir} cannot be opened ({exc}).") from exc


# Below this size `quick_check` takes milliseconds and runs before start-up; above it, beside the first screen.
BACKGROUND_CHECK_BYTES = 16 * 2**20


def open_kiosk_database(data_dir: Path, background_above: int | None = None,
                        check_now: bool = True) -> tuple[sqlite3.Connection, IntegrityCheck | None]:
    """The patient kiosk's connection: a large file is checked in the background while writes wait for the verdict.

    The cost of a start then stays flat as submissions accumulate; a small or new file is checked first,
    as every other process does (`open_database`). With `check_now=False` the background check waits for
    `IntegrityCheck.start()` (the kiosk: its first paint) or the first write.
    """
    path = data_dir / DB_NAME
    limit = BACKGROUND_CHECK_BYTES if background_above is None else background_above
    if not path.exists() or path.stat().st_size < limit:
        return open_database(data_dir), None
    integrity = IntegrityCheck(path, start=check_now)
    try:
        return connect(path, guard=integrity.guard), integrity
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a damaged header can garble a pragma's text
        health = integrity.result()
        raise StorageError(health.staff_message if health is not None and not health.ok
                           else f"The database in {data_dir} cannot be opened ({exc}).") from exc


def open_kiosk_services(data_dir: Path | None, content_folder: Path | None = None) -> KioskServices:
    """Content, data folder and store for one process; raises DataDirError, StorageError or ContentInvalid with a plain message."""
    content = load_content(content_folder or content_dir())
    folder = prepare_data_dir(data_dir)
    conn = open_database(folder)
    return KioskServices(content=content, data_dir=folder, conn=conn, store=SubmissionStore(conn))
