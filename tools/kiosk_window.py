"""The patient window as the picture tools photograph it: default settings, a throw-away data folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path


def throwaway_kiosk(language: str, prefix: str):
    """(window, controller, content) for a kiosk window in `language`, not yet shown; the folder goes at exit."""
    from kiosk.content import load_content
    from kiosk.patient.intake import IntakeController
    from kiosk.settings import Settings
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.system.paths import content_dir
    from ui.app import build_window

    data = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, data, True)
    content = load_content(content_dir())
    settings = Settings()
    controller = IntakeController(content, SubmissionStore(connect(data / "kiosk.db")), data / "reports",
                                  lambda: settings.clinic_name)
    window = build_window(controller, settings, kiosk_mode=True)
    controller.set_language(language)
    return window, controller, content
