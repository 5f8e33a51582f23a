"""`doctor` on a kiosk ready for patients and on a broken one: each check ticks or crosses with what to do.

The data folder, database, backup, CUPS queue and speech-dispatcher voices are
real. The machine's touch and screen facts are prepared /proc and /sys files;
disk encryption is answered for the good machine only, since no LUKS volume
can be made here (the broken machine asks the real findmnt/lsblk).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from cups_queue import MISSING_QUEUE, CupsQueue, create_queue, remove_queue
from kiosk.cli import main
from kiosk.console.doctor import System, _run, run_checks
from kiosk.staff.settings_store import save_settings
from kiosk.storage.db import connect

TOUCH = """I: Bus=0003 Vendor=04f3 Product=2234 Version=0111
N: Name="ELAN Touchscreen"
H: Handlers=mouse0 event5
B: PROP=2
B: EV=1b
B: ABS=3273800000000003
"""
TOUCHPAD = """I: Bus=0018 Vendor=06cb Product=7e7e Version=0100
N: Name="SYNA7DB5:01 06CB:7E7E Touchpad"
B: PROP=5
B: EV=1b
B: ABS=2e0800000000003
"""
KEYBOARD = """I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
B: PROP=0
B: EV=120013
"""


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    made = create_queue(tmp_path_factory.mktemp("doctor-pdf"), "kiosk-doctor-test")
    yield made
    remove_queue(made)


@pytest.fixture
def own_speech_dispatcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """spd-say starts a private speech-dispatcher (it exits by itself when idle), untouched by other processes."""
    folder = Path(tempfile.mkdtemp(prefix="sd", dir="/tmp"))  # short: a unix socket path has ~100 characters
    for name in ("XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(folder))
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)


def machine(tmp_path: Path, devices: str, mode: str, preserve: str | None, run=_run, **extra) -> System:
    tmp_path.mkdir(exist_ok=True)
    proc = tmp_path / "devices"
    proc.write_text(devices, encoding="utf-8")
    card = tmp_path / "drm" / "card0-HDMI-A-1"
    card.mkdir(parents=True)
    (card / "status").write_text("connected\n")
    (card / "modes").write_text(f"{mode}\n1024x768\n")
    conf = tmp_path / "cupsd.conf"
    conf.write_text("LogLevel warn\n" + (f"PreserveJobFiles {preserve}\n" if preserve else ""), encoding="utf-8")
    return System(proc_input=proc, drm=tmp_path / "drm", cupsd_conf=conf, run=run, **extra)


def luks(args: list[str]) -> tuple[int, str]:
    """The answers of a machine whose data folder sits on a LUKS volume."""
    if args[0] == "findmnt":
        return 0, "/dev/mapper/kiosk--vg-root"
    if args[0] == "lsblk":
        return 0, "lvm\ncrypt\npart\ndisk"
    return _run(args)


def set_up(folder: Path, tmp_path: Path, **settings) -> None:
    assert main(["setup", "--data-dir", str(folder), "--clinic", "Hill", "--admin", ADMIN]) == 0
    conn = connect(folder / "kiosk.db")
    if settings:
        save_settings(conn, ADMIN, True, **settings)
    conn.close()


def test_a_kiosk_ready_for_patients_passes_every_check(data_dir: Path, tmp_path: Path, secret, queue: CupsQueue,
                                                        own_speech_dispatcher) -> None:
    set_up(data_dir, tmp_path, printer=queue.name, touch_only=True)
    assert main(["backup", "--data-dir", str(data_dir), "--out", str(tmp_path / "b.db")]) == 0
    checks = run_checks(data_dir, ("en", "es"), machine(tmp_path, KEYBOARD + "\n" + TOUCH, "1920x1080", "No", luks))
    assert [(c.name, c.ok) for c in checks if not c.ok] == []
    details = {c.name: c.detail for c in checks}
    assert details["Touch screen"] == "ELAN Touchscreen" and details["Screen"] == "1920x1080"
    assert queue.name in details["Printer"] and "en, es" in details["Read-aloud voices"]
    assert "LUKS" in details["Disk encryption"] and "day(s) ago" in details["Last backup"]
    assert all(c.line().startswith("\N{CHECK MARK} ") for c in checks)


def test_a_broken_kiosk_gets_a_cross_and_a_fix_for_each_problem(data_dir: Path, tmp_path: Path, secret) -> None:
    set_up(data_dir, tmp_path, printer=MISSING_QUEUE, touch_only=True, languages=["en", "es"])
    assert main(["backup", "--data-dir", str(data_dir), "--out", str(tmp_path / "b.db")]) == 0
    data_dir.chmod(0o755)
    (data_dir / "kiosk.db").chmod(0o644)

    def no_speech(args: list[str]) -> tuple[int, str]:
        return (127, "spd-say not found") if args[0] == "spd-say" else _run(args)

    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=9)
    system = machine(tmp_path, KEYBOARD + "\n" + TOUCHPAD, "800x600", None, no_speech, now=lambda: later)
    checks = {c.name: c for c in run_checks(data_dir, ("en", "es"), system)}
    crossed = {name for name, c in checks.items() if not c.ok}
    assert crossed == {"Data folder", "Last backup", "Printer", "Print spool", "Read-aloud voices", "Touch screen",
                       "Screen", "Disk encryption"}
    assert "mode 755" in checks["Data folder"].detail and "chmod 700" in checks["Data folder"].fix
    assert "9 days ago" in checks["Last backup"].detail and "backup --out" in checks["Last backup"].fix
    assert "does not exist" in checks["Printer"].detail
    assert "PreserveJobFiles No" in checks["Print spool"].fix
    assert "speech-dispatcher" in checks["Read-aloud voices"].fix
    assert "touch only" in checks["Touch screen"].detail and "800x600" in checks["Screen"].detail
    assert all(c.line().startswith("\N{BALLOT X} ") and "Fix: " in c.line() for c in checks.values() if not c.ok)

    behind = machine(tmp_path / "behind", TOUCH, "1920x1080", "Yes",
                     now=lambda: dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))
    found = {c.name: c for c in run_checks(data_dir, ("en",), behind)}
    assert not found["Clock and time zone"].ok and "behind" in found["Clock and time zone"].detail
    assert not found["Print spool"].ok and "Yes" in found["Print spool"].detail


def test_a_damaged_database_or_missing_folder_is_crossed_and_the_cli_exits_1_with_json(data_dir: Path, tmp_path: Path,
                                                                                     secret, capsys) -> None:
    set_up(data_dir, tmp_path)
    capsys.readouterr()
    db = data_dir / "kiosk.db"
    sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    raw = bytearray(db.read_bytes())
    for offset in range(4096 + 100, len(raw), 997):  # a flipped byte on every page past the header
        raw[offset] ^= 0xFF
    db.write_bytes(bytes(raw))
    assert main(["doctor", "--data-dir", str(data_dir), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    database = next(c for c in report["checks"] if c["name"] == "Database")
    assert report["ok"] is False and database["ok"] is False and "damaged" in database["detail"]

    assert main(["doctor", "--data-dir", str(tmp_path / "nowhere")]) == 1
    out = capsys.readouterr().out
    assert "\N{BALLOT X} Data folder: " in out and "naltrexone-kiosk setup" in out and "need fixing" in out
    assert not (tmp_path / "nowhere").exists(), "doctor changes nothing"
