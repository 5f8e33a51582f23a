"""Signing in through the unlock dialog: the console's window warms up while scrypt derives the key, and opens."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import START, make_submission
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.gate import DatabaseGate
from kiosk.storage.codecs import SealingCodec
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.system import crypto
from ui.console import flow as flow_module
from ui.console import warm_up as warm_up_module
from ui.console.flow import StaffFlow
from ui.console.window import ConsoleWindow


@pytest.fixture
def signing_in(qtbot, installed: sqlite3.Connection, content: Content, data_dir: Path, monkeypatch):
    """A staff flow over the real database, whose KDF notes what ran while it ran (held up to 3 s for the warm-up)."""
    SubmissionStore(installed, SealingCodec(vault.public_key(installed))).save(
        make_submission(content, "Rosa Diaz", "1980-02-03", START))
    seen: dict[str, bool] = {}
    warmed = threading.Event()
    kdf_running = threading.Event()
    real_kdf, real_warm_up = crypto.derive_key, warm_up_module.warm_up

    def derive(passphrase: str, salt: bytes, params: crypto.KdfParams) -> bytes:
        kdf_running.set()
        try:
            key = real_kdf(passphrase, salt, params)
            warmed.wait(3)
            return key
        finally:
            kdf_running.clear()

    def warm_up() -> None:
        seen["during kdf"] = kdf_running.is_set()
        real_warm_up()
        warmed.set()

    monkeypatch.setattr(crypto, "derive_key", derive)
    monkeypatch.setattr(vault, "derive_key", derive)
    monkeypatch.setattr(flow_module, "warm_up", warm_up, raising=False)
    monkeypatch.setattr(warm_up_module, "_warm", False)
    kiosk = QWidget()
    qtbot.addWidget(kiosk)
    make = lambda data: StaffConsole(content, data, lambda: "North Clinic", lambda pdf, sid: (True, "ok"))  # noqa: E731
    staff = StaffFlow(DatabaseGate(installed, content, data_dir), make, kiosk, abandon=lambda: None,
                      show_kiosk=lambda: None, full_screen=False)
    return staff, seen


def test_the_console_warms_up_while_the_key_is_derived_and_then_opens(qtbot, signing_in) -> None:
    staff, seen = signing_in
    staff.request_unlock()
    dialog = staff.unlock_dialog
    dialog.name.setText(ADMIN)
    dialog.passphrase.setText(ADMIN_PASSPHRASE)
    dialog.try_unlock()
    assert seen == {"during kdf": True}
    qtbot.waitUntil(lambda: staff.window is not None)
    window: ConsoleWindow = staff.window
    qtbot.addWidget(window)
    assert window.model.rowCount() == 1 and window.model.row_at(0).name == "Rosa Diaz"
    # The scratch window was never on screen: what shows is the console.
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [window]
    window.lock()


def test_a_wrong_passphrase_still_says_so_after_warming_up(qtbot, signing_in) -> None:
    staff, seen = signing_in
    staff.request_unlock()
    dialog = staff.unlock_dialog
    dialog.name.setText(ADMIN)
    dialog.passphrase.setText("not the passphrase at all")
    dialog.try_unlock()
    assert seen == {"during kdf": True}
    assert "do not match" in dialog.message.text() and staff.window is None
    dialog.reject()
