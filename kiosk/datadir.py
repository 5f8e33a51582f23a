"""The data directory: created if missing, checked for writing, explained when it cannot be used."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.paths import default_data_dir


class DataDirError(Exception):
    """The data directory cannot be used; the message says which folder and what to do."""


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
