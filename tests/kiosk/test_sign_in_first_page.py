"""Sign-in reads the queue's first count and page while scrypt derives the key, and the console shows them only if exact."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import START, make_submission
from kiosk.console.controller import QueueQuery
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.gate import DatabaseGate
from kiosk.staff.records import UnlockRefused
from kiosk.storage.codecs import SealingCodec
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.system import crypto

QUEUE_SQL = ("SELECT count(*) FROM submissions", "ORDER BY priority, submitted_at DESC")


def store(conn: sqlite3.Connection, content: Content, name: str, hours: int, urgent: bool = False) -> str:
    submission = make_submission(content, name, "1980-02-03", START + dt.timedelta(hours=hours), urgent=urgent)
    assert SubmissionStore(conn, SealingCodec(vault.public_key(conn))).save(submission)
    return submission.id


@pytest.fixture
def clinic(installed: sqlite3.Connection, content: Content, data_dir: Path) -> DatabaseGate:
    for hour, name in enumerate(("Rosa Diaz", "Sam Lee", "Ana Perez")):
        store(installed, content, name, hour, urgent=name == "Sam Lee")
    gate = DatabaseGate(installed, content, data_dir)
    first = gate.unlock(ADMIN, ADMIN_PASSPHRASE)
    first.count(QueueQuery())  # indexed once, as the first sign-in after they were stored does
    first.lock()
    return gate


class SlowKdf:
    """The real KDF, then held until the queue's page has been read (or 3 s): shows what ran while it ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, conn: sqlite3.Connection) -> None:
        self.running = False
        self.page_read = threading.Event()
        self.statements: list[tuple[str, bool]] = []
        real = crypto.derive_key

        def derive(passphrase: str, salt: bytes, params: crypto.KdfParams) -> bytes:
            self.running = True
            try:
                key = real(passphrase, salt, params)
                self.page_read.wait(3)
                return key
            finally:
                self.running = False

        def traced(sql: str) -> None:
            self.statements.append((sql, self.running))
            if QUEUE_SQL[1] in sql:
                self.page_read.set()

        monkeypatch.setattr(crypto, "derive_key", derive)
        monkeypatch.setattr(vault, "derive_key", derive)
        conn.set_trace_callback(traced)

    def queue_reads(self, during_kdf: bool | None = None) -> list[str]:
        return [sql for sql, running in self.statements
                if any(part in sql for part in QUEUE_SQL) and (during_kdf is None or running == during_kdf)]


def test_the_first_count_and_page_are_read_while_the_key_is_derived(clinic: DatabaseGate, monkeypatch) -> None:
    kdf = SlowKdf(monkeypatch, clinic.conn)
    data = clinic.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert len(kdf.queue_reads(during_kdf=True)) == 2, kdf.statements
    kdf.statements.clear()
    assert data.count(QueueQuery()) == 3
    shown = data.rows(QueueQuery(), 0, 200)
    assert [row.name for row in shown] == ["Sam Lee", "Ana Perez", "Rosa Diaz"]  # urgent first, then newest
    assert shown[0].urgent and shown[0].reason
    assert kdf.queue_reads() == [], "the console's first count and page were read again after sign-in"
    # Taken once: the next search asks the database.
    assert data.count(QueueQuery()) == 3 and len(kdf.queue_reads()) == 1
    data.lock()


def test_an_unknown_name_takes_the_same_path_and_a_wrong_passphrase_still_fails(clinic: DatabaseGate,
                                                                                monkeypatch) -> None:
    kdf = SlowKdf(monkeypatch, clinic.conn)
    for name, passphrase in (("Nobody Here", ADMIN_PASSPHRASE), (ADMIN, "not the right passphrase")):
        kdf.statements.clear()
        kdf.page_read.clear()
        with pytest.raises(UnlockRefused, match="do not match"):
            clinic.unlock(name, passphrase)
        assert len(kdf.queue_reads(during_kdf=True)) == 2  # same work either way: the time does not tell names


def test_a_submission_stored_during_sign_in_is_in_the_first_page(clinic: DatabaseGate, content: Content,
                                                                  data_dir: Path) -> None:
    kiosk = connect(data_dir / "kiosk.db")  # the patient side's own connection
    data = clinic.unlock(ADMIN, ADMIN_PASSPHRASE)
    newest = store(kiosk, content, "Kim Turner", 10)
    assert data.count(QueueQuery()) == 4
    assert [row.name for row in data.rows(QueueQuery(), 0, 200)][:2] == ["Sam Lee", "Kim Turner"]
    data.lock()
    kiosk.close()
    assert newest


def test_a_change_made_in_the_console_before_the_first_page_shows_in_it(clinic: DatabaseGate) -> None:
    data = clinic.unlock(ADMIN, ADMIN_PASSPHRASE)
    urgent = next(row for row in data.rows(QueueQuery(name="Sam"), 0, 10))
    data.mark_reviewed(urgent.id)
    shown = data.rows(QueueQuery(), 0, 200)
    assert [row.name for row in shown] == ["Ana Perez", "Sam Lee", "Rosa Diaz"]  # reviewed: no longer on top
    assert shown[1].status == "reviewed"
    data.lock()


FRESH_SIGN_IN = """
import sys, time
from kiosk.content import load_content
from kiosk.staff import vault
from kiosk.staff.gate import DatabaseGate
from kiosk.storage.db import connect
from kiosk.system import crypto
from kiosk.system.paths import content_dir

NEEDED = ("cryptography.hazmat.primitives.ciphers.aead", "kiosk.staff.people")
real, seen = crypto.derive_key, {}

def derive(passphrase, salt, params):
    key = real(passphrase, salt, params)
    waited = time.monotonic() + 3
    while not all(name in sys.modules for name in NEEDED) and time.monotonic() < waited:
        time.sleep(0.01)
    seen.update({name: name in sys.modules for name in NEEDED})
    return key

crypto.derive_key = vault.derive_key = derive
assert not any(name in sys.modules for name in NEEDED), "imported before sign-in"
conn = connect(sys.argv[1])
data = DatabaseGate(conn, load_content(content_dir())).unlock(sys.argv[2], sys.argv[3])
print(sorted(name for name, there in seen.items() if there))
"""


def test_a_fresh_console_process_imports_what_the_first_page_needs_while_the_key_is_derived(
        clinic: DatabaseGate, data_dir: Path) -> None:
    """The console is a process per sign-in: its first unwrap and match marks would import their modules after the
    KDF, where staff wait."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FRESH_SIGN_IN, str(data_dir / "kiosk.db"), ADMIN, ADMIN_PASSPHRASE],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['cryptography.hazmat.primitives.ciphers.aead', 'kiosk.staff.people']"
