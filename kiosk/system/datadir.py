"""The data directory: created if missing, checked for writing, explained when it cannot be used."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.system.paths import default_data_dir


class DataDirError(Exception):
    """The data directory cannot be used; the message says which folder and what to do."""


# What the kiosk itself keeps in its folder; anything else, without a database, means the folder is someone else's.
KIOSK_ENTRIES = frozenset({"kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "kiosk.lock", "logs", "cache", "outbox"})


def refuse_foreign_folder(path: Path) -> None:
    """A folder that already holds other things and no kiosk database is not taken over (nor made owner-only):
    pointing --data-dir at /tmp or a home folder by mistake must change nothing there."""
    folder = Path(path)
    if not folder.is_dir() or (folder / "kiosk.db").exists():
        return
    try:
        others = sorted(entry.name for entry in folder.iterdir()
                        if entry.name not in KIOSK_ENTRIES and not entry.name.startswith(".write-check-"))
    except OSError:
        return  # not readable: the write check that follows explains it
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise DataDirError(
            f"{folder} is not a kiosk data folder: it holds other files ({shown}) and no kiosk database. "
            "The kiosk will not take it over or change its permissions. Choose a new or empty folder for --data-dir."
        )


def prepare_data_dir(path: Path | None) -> Path:
    folder = Path(path) if path is not None else default_data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"The data folder {folder} does not exist and cannot be created ({exc.strerror}). "
            "Create it, or start the kiosk with --data-dir pointing at a folder this user can write."
        ) from exc
    if not folder.is_dir():
        raise DataDirError(f"The data folder {folder} is a file, not a folder. Choose another --data-dir.")
    refuse_foreign_folder(folder)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise DataDirError(
            f"The kiosk cannot write in {folder} ({exc.strerror}). Nothing was saved. "
            "Give this user write permission on the folder, or choose another --data-dir."
        ) from exc
    if os.name == "posix":
        try:
            folder.chmod(0o700)
        except OSError:
            pass
    return folder
