"""Copies of checkout files that a test running as `nobody` can reach.

The checkout may sit under a folder only root can enter (a clone in root's
home, mode 0700); a test that drops to an ordinary user must not read from
it, so it gets these world-readable copies instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def world_readable(*sources: Path) -> Iterator[list[Path]]:
    """Copies of `sources` (files or folders) in a fresh folder every user can read; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-readable-"))
    try:
        copies = []
        for source in sources:
            target = folder / source.name
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
            copies.append(target)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() or path.suffix == ".sh" else 0o644)
        yield copies
    finally:
        shutil.rmtree(folder, ignore_errors=True)
