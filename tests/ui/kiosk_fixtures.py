"""Fixtures for the patient window wired as in the kiosk (not a conftest: tests/conftest.py is imported by name)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.patient.intake import IntakeController, PatientSession
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore


class RecordingJournal:
    """Stands in for the autosave journal: counts records, keeps abandoned answers, notes forgotten ids.

    Like the real journal it asks `keep_abandoned` at the moment a patient walks away.
    """

    def __init__(self, keep_abandoned: Callable[[], bool] = lambda: True) -> None:
        self.keep_abandoned = keep_abandoned
        self.records = 0
        self.abandoned: list[dict] = []
        self.forgotten: list[str] = []

    def record(self, session: PatientSession) -> None:
        self.records += 1

    def abandon(self, session: PatientSession) -> None:
        if self.keep_abandoned():
            self.abandoned.append(dict(session.answers))
        else:
            self.forget(session.id)

    def forget(self, session_id: str) -> None:
        self.forgotten.append(session_id)


@pytest.fixture
def make_kiosk(qtbot, content: Content, data_dir: Path, visit_time: dt.datetime):
    """Build a shown window with chosen settings; returns (window, controller, journal)."""
    built = []

    def make(kiosk_mode: bool = False, idle_clock: bool = False, **changes):
        """`idle_clock=False` stops the idle watcher's own one-second timer: tests count idle seconds with
        `window.idle.tick()`. With the wall clock also ticking, a slow step on a loaded machine (2 s without a
        touch, with these short settings) opened the warning or wiped the patient in the middle of a walk."""
        from ui.app import build_window

        settings = Settings(clinic_name="Riverside Clinic", idle_timeout_s=5, idle_warning_s=3,
                            speech_engine="mock").updated(**changes)
        journal = RecordingJournal(lambda: settings.keep_abandoned)
        conn = connect(data_dir / f"kiosk{len(built)}.db")
        controller = IntakeController(content, SubmissionStore(conn), data_dir / "reports",
                                      lambda: "Riverside Clinic", clock=lambda: visit_time, journal=journal)
        window = build_window(controller, settings, kiosk_mode=kiosk_mode)
        if not idle_clock:
            window.idle.timer.stop()
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        built.append((window, conn))
        return window, controller, journal

    yield make
    for window, conn in built:
        window.allow_close = True
        conn.close()


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk()
