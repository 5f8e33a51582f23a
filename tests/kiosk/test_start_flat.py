"""Start-up work does not grow with the stored submissions: counted as SQLite work before the first paint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "start_work_probe.py"
STORED = 1500  # big enough that a scan, a count or a check of them would show many times over


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STAFF_PASSPHRASE": ADMIN_PASSPHRASE,
            "KIOSK_STAFF_NAME": ADMIN}


def _kiosk(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "kiosk", *args], env=_env(), check=True, capture_output=True, timeout=300,
                   cwd=ROOT)


def _work_before_first_paint(folder: Path) -> dict:
    _kiosk("--smoke", "--windowed", "--data-dir", str(folder))  # the first start compiles the content copy
    done = subprocess.run([sys.executable, str(PROBE), str(folder)], env=_env(), capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_start_does_the_same_database_work_with_none_or_many_submissions(tmp_path: Path) -> None:
    empty, full = tmp_path / "empty", tmp_path / "full"
    _kiosk("setup", "--data-dir", str(empty), "--clinic", "C", "--admin", ADMIN)
    shutil.copytree(empty, full)
    _kiosk("demo-data", "--data-dir", str(full), "--count", str(STORED))
    assert (full / "kiosk.db").stat().st_size > 4 * (empty / "kiosk.db").stat().st_size, "the folder holds the rows"

    without, many = _work_before_first_paint(empty), _work_before_first_paint(full)
    assert without["statements"], "the probe sees the kiosk's own statements"
    assert many["statements"] == without["statements"], "the same statements, whatever is stored"
    assert not [s for s in many["statements"] if "check" in s.lower()], "a large file is checked after the first paint"
    # VM steps are counted in tens: a scan of the stored rows would add tens of thousands
    assert many["steps"] <= without["steps"] + 50, (many["steps"], without["steps"])
