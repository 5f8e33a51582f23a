"""`naltrexone-kiosk console`: the staff console as a process of its own.

The patient-facing kiosk never opens a staff secret: its staff gesture starts
this process and waits. Here staff unlock, work and lock; when they lock (or
cancel the sign-in) the process ends, taking the master secret and every key
with it. It also runs alone on a PC (`--windowed`). The process is marked
non-dumpable, so no core file and no same-user process can read its memory.

It prints `unlocked` on standard output when a staff member has unlocked, so
the kiosk that started it can wipe the patient session then (not before: a
cancelled sign-in leaves the patient where they were).
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from kiosk.console.factory import console_factory
from ui.qt_printing import platform_printer
from kiosk.staff.gate import DatabaseGate
from kiosk.services import KioskServices
from kiosk.staff.settings_store import load_settings
from kiosk.storage.db import StorageError
from ui.console.flow import StaffFlow, first_run_setup
from ui.theme import style_sheet, theme

UNLOCKED = "unlocked"


class SignInCover(QWidget):
    """What fills the screen behind the sign-in box in full-screen mode: nothing from the patient's screens."""

    def __init__(self, clinic: str) -> None:
        super().__init__()
        self.setObjectName("staff cover")
        self.setWindowTitle(f"{clinic} - staff console")
        self.setStyleSheet(style_sheet(theme("normal")))
        layout = QVBoxLayout(self)
        text = QLabel(f"{clinic}\nStaff console")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text)
        layout.addStretch(1)  # the sign-in box sits in the middle, below the clinic's name


def build_console(app: QApplication, services: KioskServices, full_screen: bool,
                  database: str | None = None) -> StaffFlow | None:
    """The sign-in, then the console; the application quits when staff lock or cancel. None when not set up.

    With a shared database (`database`, $KIOSK_DATABASE_URL or the setting) staff sign in against the clinic's
    accounts there and work on the shared queue, and the unlocked console shows the stations' alerts and rings
    for them."""
    gate = gate_for(services, database)
    if not first_run_setup(gate, full_screen=full_screen):
        return None
    cover = SignInCover(load_settings(gate.conn).clinic_name)
    if full_screen:
        cover.setGeometry(app.primaryScreen().geometry())
        cover.showFullScreen()
    make_console = console_factory(services.content, services.outbox_dir, make_printer=platform_printer)
    flow = StaffFlow(gate, make_console, cover, abandon=lambda: None,
                     show_kiosk=lambda: None, full_screen=full_screen)
    flow.cover = cover

    def opened(window) -> None:
        if full_screen:
            window.setGeometry(app.primaryScreen().geometry())
        if url := alerts_url(database, services):
            from ui.console.alert_banner import attach_alert_banner

            attach_alert_banner(window, url)
        print(UNLOCKED, flush=True)

    flow.opened.connect(opened)
    flow.closed.connect(app.quit)
    flow.cancelled.connect(app.quit)
    flow.request_unlock()
    return flow


def setup_only(app: QApplication, services: KioskServices, full_screen: bool, database: str | None = None) -> int:
    """First-run setup in this process, so the key material is made here and not in the kiosk: 0 once set up."""
    gate = gate_for(services, database)
    if gate.station is not None and not gate.needs_setup() and not services.is_set_up():
        print("naltrexone-kiosk: the clinic is already set up in the shared database; join this machine to it with "
              f"naltrexone-kiosk setup --data-dir {services.data_dir} (an administrator's secret)", file=sys.stderr)
        return 2
    return 0 if first_run_setup(gate, full_screen=full_screen) else 2


def gate_for(services: KioskServices, database: str | None) -> DatabaseGate:
    """Sign-in and first-run setup over the clinic's shared accounts when configured, else this folder's."""
    conn = services.staff_conn(database)
    return DatabaseGate(conn, services.content, services.data_dir,
                        station=services.conn if conn is not services.conn else None)


def alerts_url(database: str | None, services: KioskServices) -> str | None:
    """The shared database this console hears alerts from (`--database`, $KIOSK_DATABASE_URL or the setting);
    None on a machine alone, which keeps the kiosk's own signal."""
    try:
        return services.database_url(database)
    except StorageError:
        return None  # a URL that is not postgresql://: the kiosk logs it; the console works without alerts


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.common import CommandFailed, services_for
    from kiosk.system.hardening import forbid_core_dumps

    forbid_core_dumps()
    database = getattr(args, "database", None)
    with services_for(args, need_setup=False) as services:
        try:
            services.staff_conn(database)  # a shared database that cannot be reached: say so before any window
        except StorageError as exc:
            raise CommandFailed(str(exc), 2) from exc
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("naltrexone-kiosk console")
        app.setQuitOnLastWindowClosed(False)
        if getattr(args, "setup_only", False):
            return setup_only(app, services, full_screen=not args.windowed, database=database)
        flow = build_console(app, services, full_screen=not args.windowed, database=database)
        if flow is None:
            raise CommandFailed("first-run setup was not finished; no staff account exists yet", 2)
        return int(app.exec())
