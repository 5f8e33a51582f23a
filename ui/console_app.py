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
                  alerts_url: str | None = None) -> StaffFlow | None:
    """The sign-in, then the console; the application quits when staff lock or cancel. None when not set up.

    With `alerts_url` (the shared database) the unlocked console shows the stations' alerts and rings for them.
    """
    gate = DatabaseGate(services.conn, services.content, services.data_dir)
    if not first_run_setup(gate, full_screen=full_screen):
        return None
    cover = SignInCover(services.settings().clinic_name)
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
        if alerts_url:
            from ui.console.alert_banner import attach_alert_banner

            attach_alert_banner(window, alerts_url)
        print(UNLOCKED, flush=True)

    flow.opened.connect(opened)
    flow.closed.connect(app.quit)
    flow.cancelled.connect(app.quit)
    flow.request_unlock()
    return flow


def setup_only(app: QApplication, services: KioskServices, full_screen: bool) -> int:
    """First-run setup in this process, so the key material is made here and not in the kiosk: 0 once set up."""
    gate = DatabaseGate(services.conn, services.content, services.data_dir)
    return 0 if first_run_setup(gate, full_screen=full_screen) else 2


def alerts_url(args: argparse.Namespace, services: KioskServices) -> str | None:
    """The shared database this console hears alerts from (`--database`, $KIOSK_DATABASE_URL or the setting),
    whether its queue is read from there or from this machine's SQLite; None on a machine alone."""
    from kiosk.storage.forwarder import BadDatabaseUrl, resolve_database_url

    try:
        return resolve_database_url(getattr(args, "database", None), services.settings().database_url)
    except BadDatabaseUrl:
        return None  # the kiosk logs the bad setting; the console works without alerts


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.common import CommandFailed, services_for
    from kiosk.system.hardening import forbid_core_dumps

    forbid_core_dumps()
    with services_for(args, need_setup=False) as services:
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("naltrexone-kiosk console")
        app.setQuitOnLastWindowClosed(False)
        if getattr(args, "setup_only", False):
            return setup_only(app, services, full_screen=not args.windowed)
        flow = build_console(app, services, full_screen=not args.windowed, alerts_url=alerts_url(args, services))
        if flow is None:
            raise CommandFailed("first-run setup was not finished; no staff account exists yet", 2)
        return int(app.exec())
