"""The alert banner of an unlocked console, fed by a real PostgreSQL server: station and kind on screen, a sound at
the desk, an audited acknowledgement that clears it at the other desk too, and nothing when there is no server."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.alerts import raise_alert
from kiosk.storage.forwarder import forward_pending
from postgres_server import PostgresServer, postgres_server  # noqa: F401
from ui.console.alert_banner import attach_alert_banner
from ui.console.window import ConsoleWindow


def unlocked_console(qtbot, installed: sqlite3.Connection, content: Content) -> ConsoleWindow:
    staff = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content)
    window = ConsoleWindow(StaffConsole(content, staff, lambda: "Riverside Clinic", lambda pdf, sid: (True, "")))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_station_alert_shows_on_the_banner_rings_and_is_acknowledged_with_an_audit_entry(
        qtbot, installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    forward_pending(installed, url)
    front_desk, clinician_room = unlocked_console(qtbot, installed, content), unlocked_console(qtbot, installed, content)
    rings: list[str] = []
    banners = [attach_alert_banner(w, url, beep=lambda name=name: rings.append(name))
               for w, name in ((front_desk, "front desk"), (clinician_room, "clinician room"))]
    qtbot.waitUntil(lambda: all(b.listener.listening.is_set() for b in banners), timeout=10_000)
    assert not any(b.isVisible() for b in banners), "nothing waits: no banner"

    raise_alert(installed, "help", station="Waiting room tablet 2")
    forward_pending(installed, url)
    qtbot.waitUntil(lambda: all(b.isVisible() for b in banners), timeout=2_000)
    banner = banners[0]
    (line,) = banner.rows.values()
    assert [b.text() for b in line.findChildren(QPushButton)] == ["Acknowledge"]
    (words,) = [w.text() for w in line.findChildren(QLabel)]
    assert words.startswith("Needs help - Waiting room tablet 2 - ")
    assert sorted(rings) == ["clinician room", "front desk"], "each desk rang once"

    qtbot.mouseClick(line.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert banner.status == f"Acknowledged by {ADMIN}" and not banner.isVisible()
    qtbot.waitUntil(lambda: not banners[1].isVisible(), timeout=2_000)  # the other desk's banner clears too
    entries = [e for e in front_desk.console.data.audit_entries() if e.action == "alert_acknowledged"]
    assert [(e.actor, e.detail["kind"], e.detail["station"]) for e in entries] == [
        (ADMIN, "help", "Waiting room tablet 2")]
    assert len(rings) == 2, "an acknowledgement makes no sound"
    for window in (front_desk, clinician_room):
        window.lock()
    assert all(b.listener._thread is None for b in banners), "locking stops listening"


def test_need_help_on_a_kiosk_with_a_shared_database_reaches_a_console_and_alone_stays_as_before(
        qtbot, installed: sqlite3.Connection, data_dir, postgres_server: PostgresServer, monkeypatch) -> None:
    from built_kiosk import built_kiosk
    from kiosk.console.alerts import AlertListener

    url = postgres_server.create_database()
    heard: list = []
    listener = AlertListener(url, heard.append, lambda _id: None)
    listener.start()
    monkeypatch.setenv("KIOSK_STATION_NAME", "Tablet by the door")
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    try:
        with built_kiosk(qtbot, installed, data_dir) as (window, services):
            assert window.forwarder is not None and listener.listening.wait(10)
            window.controller.start()
            rang: list[int] = []
            window.alerts.beep = lambda: rang.append(1)
            qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
            assert rang == [1], "the kiosk's own signal goes off as before"
            qtbot.waitUntil(lambda: len(heard) == 1, timeout=2_000)
            window.forwarder.stop()
    finally:
        listener.stop()
    assert (heard[0].station, heard[0].kind) == ("Tablet by the door", "help")


def test_a_kiosk_alone_queues_no_alert(qtbot, installed: sqlite3.Connection, data_dir, monkeypatch) -> None:
    from built_kiosk import built_kiosk

    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    with built_kiosk(qtbot, installed, data_dir) as (window, services):
        assert window.forwarder is None
        window.controller.start()
        qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
        assert services.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0


def test_the_console_process_listens_where_a_shared_database_is_configured(installed, data_dir, monkeypatch) -> None:
    from kiosk.services import open_kiosk_services
    from kiosk.staff.settings_store import save_settings
    from ui.console_app import alerts_url

    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    services = open_kiosk_services(data_dir)
    try:
        assert alerts_url(None, services) is None, "a machine alone: no banner, as before"
        save_settings(services.conn, ADMIN, True, database_url="postgresql:///kiosk?host=/run/pg")
        assert alerts_url(None, services) == "postgresql:///kiosk?host=/run/pg"
        assert alerts_url("postgresql:///other", services) == "postgresql:///other"
    finally:
        services.close()
