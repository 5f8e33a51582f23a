"""The one way a file holding patient data is written: owner-only, whole or not at all, never through a link.

The bytes go to a fresh temporary file beside the target, created with
`O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600 (so nothing planted at that name,
a symbolic link included, is ever opened), are flushed to disk with `fsync`,
then renamed over the target. A target that is a symbolic link is refused
rather than replaced, since someone put it there to send the data elsewhere.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


class PrivateWriteRefused(OSError):
    """The target cannot be written safely; the message names the file and why."""


def write_private(path: Path, data: bytes | Callable[[BinaryIO], object]) -> Path:
    """Write `data` (bytes, or a function writing to the open binary file) to `path`, mode 0600; returns `path`."""
    path = Path(path)
    if path.is_symlink():
        raise PrivateWriteRefused(f"{path} is a symbolic link; refusing to write patient data through it")
    if path.exists() and not path.is_file():
        raise PrivateWriteRefused(f"{path} exists and is not a regular file")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
    fd = os.open(partial, flags, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, (bytes, bytearray, memoryview)):
                handle.write(data)
            else:
                data(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def write_private_text(path: Path, text: str) -> Path:
    return write_private(path, text.encode("utf-8"))


def private_folder(folder: Path) -> Path:
    """Create (or tighten) a folder only this user may enter; a symbolic link in its place is refused."""
    folder = Path(folder)
    if folder.is_symlink():
        raise PrivateWriteRefused(f"{folder} is a symbolic link; refusing to keep patient data through it")
    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) != PRIVATE_DIR_MODE:
        folder.chmod(PRIVATE_DIR_MODE)
    return folder


def tighten(path: Path) -> None:
    """Make an existing file owner-only (SQLite creates its files with the umask's mode)."""
    if os.name == "posix" and path.is_file() and not path.is_symlink():
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)


def _sync_folder(folder: Path) -> None:
    """The rename survives a power cut only once the folder entry is on disk too (POSIX only)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
