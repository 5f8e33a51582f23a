"""Where the kiosk finds its shipped resources and keeps its data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "naltrexone-kiosk"


def resources_dir() -> Path:
    """The shipped `resources/` folder: beside the package in a checkout or bundle, or under the prefix of a wheel."""
    override = os.environ.get("KIOSK_RESOURCES")
    if override:
        return Path(override)
    candidates = [Path(__file__).resolve().parents[2] / "resources"]
    if hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle; without this test, Path("") would mean the current folder
        candidates.append(Path(sys._MEIPASS) / "resources")
    candidates.append(Path(sys.prefix) / "share" / APP_NAME / "resources")
    for candidate in candidates:
        if (candidate / "content" / "manifest.yaml").is_file():
            return candidate
    return candidates[0]


def content_dir() -> Path:
    return resources_dir() / "content"


def default_data_dir() -> Path:
    """The per-user data directory (platformdirs): database, PDFs, logs."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


# The kiosk starts itself with this first argument to draw and print one committed submission in a child process.
RENDER_PDF = "--render-pdf"


def program_command() -> list[str]:
    """How this program starts itself again (the staff console, the speech check): a checkout, a wheel or a bundle."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "kiosk"]
