"""Copy a test content folder somewhere writable, so a test can break one thing in it."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.system.paths import content_dir

FIXTURES = Path(__file__).resolve().parent.parent / "content_fixtures"
SHARED_UI = "../../../resources/content/ui.yaml"


def copy_fixture(name: str, dest: Path) -> Path:
    """`tests/content_fixtures/<name>` copied to `dest`, still using the shipped ui.yaml."""
    shutil.copytree(FIXTURES / name, dest)
    manifest = dest / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(SHARED_UI, str(content_dir() / "ui.yaml")),
                        encoding="utf-8")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old`, so a typo in a test cannot silently change nothing."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
