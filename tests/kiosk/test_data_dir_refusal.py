"""--data-dir on a folder that is someone else's (other files, no kiosk database) is refused and left as it was."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kiosk.cli import main


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "notes.txt").write_text("someone else's", encoding="utf-8")
    folder.chmod(0o755)
    return folder


@pytest.mark.parametrize("command", [[], ["export", "--format", "csv", "--out", "x.csv"],
                                     ["setup", "--clinic", "C", "--admin", "Ann"], ["purge", "--days", "30"]])
def test_a_foreign_folder_is_refused_and_left_untouched(foreign: Path, command: list[str], capsys,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "correct horse battery")
    before = sorted(p.name for p in foreign.iterdir())
    argv = (command[:1] + ["--data-dir", str(foreign)] + command[1:]) if command else ["--data-dir", str(foreign),
                                                                                     "--smoke"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{foreign} is not a kiosk data folder" in err and "notes.txt" in err and "Traceback" not in err
    assert sorted(p.name for p in foreign.iterdir()) == before  # no logs/, no database, no lock file
    assert stat.S_IMODE(foreign.stat().st_mode) == 0o755


def test_an_empty_or_kiosk_folder_is_used(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STAFF_PASSPHRASE": "correct horse battery"}
    done = subprocess.run([sys.executable, "-m", "kiosk", "setup", "--data-dir", str(empty), "--clinic", "C",
                           "--admin", "Ann"], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    (empty / "export.csv").write_text("kept beside the database", encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "kiosk", "purge", "--data-dir", str(empty), "--days", "30"],
                           env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "not a kiosk data folder" not in again.stderr
