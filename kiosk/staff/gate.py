"""`DatabaseGate`: the console's way in (first-run setup and unlock) over the real database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.storage.shared_connection import Db, SharedConnection
from kiosk.staff.records import UnlockRefused
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.first_page import FirstPage


class DatabaseGate:
    """`station`: this machine's own database when `conn` is the clinic's shared one; a clinic made here in the
    first-run setup makes this machine its first station too."""

    def __init__(self, conn: Db, content: Content, data_dir: Path | None = None, station: Db | None = None) -> None:
        self.conn = conn
        self.content = content
        self.data_dir = data_dir
        self.station = station

    def needs_setup(self) -> bool:
        return not vault.is_set_up(self.conn)

    def setup(self, clinic: str, admin: str, passphrase: str) -> str:
        """Create the first admin; returns the recovery key to show once. SetupError says what to fix."""
        recovery = vault.setup_install(self.conn, clinic, admin, passphrase)
        if isinstance(self.conn, SharedConnection) and self.station is not None:
            from kiosk.staff.clinic import adopt

            adopt(self.station, self.conn, " ".join(admin.split()), self.conn.url)
        return recovery

    def unlock(self, name: str, passphrase: str, meanwhile: Callable[[], object] | None = None) -> SealedStaffData:
        """The queue's first count and page are read while the passphrase's key is derived (kiosk.staff.first_page),
        and then `meanwhile` runs (the console's window warming up), on this thread."""
        first_page = FirstPage(self.conn)

        def during_kdf() -> None:
            first_page.fetch()
            from kiosk.staff import people  # noqa: F401 - the first page's "match to confirm" marks need it
            if meanwhile is not None:
                meanwhile()

        try:
            unlocked = vault.unlock(self.conn, name, passphrase, meanwhile=during_kdf)
        except vault.UnlockError as exc:
            raise UnlockRefused(str(exc)) from exc
        first_page.signed_in()
        return SealedStaffData(self.conn, unlocked, self.content, self.data_dir, first_page)
