"""The whole kiosk as `naltrexone-kiosk` wires it (ui.app.build_kiosk), on a test's set-up data folder."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import ADMIN
from kiosk.services import KioskServices, open_kiosk_services
from kiosk.staff.settings_store import save_settings


@contextmanager
def built_kiosk(qtbot: Any, installed: sqlite3.Connection, data_dir: Path,
                **settings: Any) -> Iterator[tuple[Any, KioskServices]]:
    """(window, services), shown; `settings` saved first. The mock voice: no speech probe process outlives a test."""
    from ui.app import build_kiosk

    save_settings(installed, ADMIN, True, **{"speech_engine": "mock", **settings})
    installed.close()
    services = open_kiosk_services(data_dir)
    window = build_kiosk(services, kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    try:
        yield window, services
    finally:
        window.allow_close = True
        services.close()
