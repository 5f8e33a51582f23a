"""The Clinic tab over 100,000 submissions, and demo-data's speed.

Uses the queue bench's cached 100,000-row folder. The Clinic row opens the tab
(all dates) with its four charts; its baseline is a bare SQLite count of the
same rows per day. The demo-data rows make 100,000 training patients in a fresh
folder (the target: 60 s), wall and CPU time; the baseline writes the same
number of equally sized blobs and search tokens with bare SQLite in one
transaction.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

DEMO_COUNT = 100_000


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def clinic_row(repeats: int):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bench.queue_bench import ADMIN, COUNT, PASSPHRASE, data_folder
    from bench.run import Row
    from kiosk.console.controller import StaffConsole
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.staff import vault
    from kiosk.staff.data import SealedStaffData
    from kiosk.storage.db import connect
    from ui.console.clinic import ClinicDialog

    folder = data_folder()
    app = QApplication.instance() or QApplication([])
    content = load_content(content_dir())
    conn = connect(folder / "kiosk.db")
    staff = SealedStaffData(conn, vault.unlock(conn, ADMIN, PASSPHRASE), content, folder)
    staff.index_pending()  # a folder made by an older version is indexed (and totalled) once, not timed
    console = StaffConsole(content, staff, lambda: "Bench Clinic", lambda pdf, sid: (True, ""))
    raw = sqlite3.connect(folder / "kiosk.db")
    measured, baseline = [], []
    for _ in range(max(3, repeats)):
        start = time.perf_counter()
        raw.execute("SELECT substr(submitted_at, 1, 10), status, count(*) FROM submissions "
                    "GROUP BY 1, 2").fetchall()
        baseline.append(_ms(start))
        start = time.perf_counter()
        dialog = ClinicDialog(console)
        dialog.since.setText("")
        dialog.refresh()
        dialog.resize(1280, 800)
        dialog.show()
        app.processEvents()
        measured.append(_ms(start))
        assert dialog.board is not None and dialog.board.intakes + dialog.board.abandoned == COUNT
        dialog.close()
        dialog.deleteLater()
    conn.close()
    raw.close()
    return Row(f"Clinic tab: open over {COUNT:,} submissions, all dates, four charts", measured, baseline, "ms", 20.0,
               absolute_limit=1000.0, note="bare SQLite count per day and status of the same rows")


def demo_row(tmp: Path, repeats: int) -> list:
    """demo-data --count 100,000 in a fresh set-up: wall time (what staff wait for) and the CPU it used (what it
    costs when the machine is busy with other work: wall time then grows, CPU time does not)."""
    import resource

    from bench.queue_bench import ADMIN, PASSPHRASE
    from bench.run import ROOT, Row

    env = dict(os.environ, KIOSK_STAFF_PASSPHRASE=PASSPHRASE, KIOSK_STAFF_NAME=ADMIN)
    wall, cpu, bare_wall, bare_cpu = [], [], [], []
    for run in range(max(1, min(repeats, 3))):
        folder = tmp / f"demo-{run}"
        subprocess.run([sys.executable, "-m", "kiosk", "setup", "--data-dir", str(folder), "--clinic", "Bench",
                        "--admin", ADMIN], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--data-dir", str(folder), "--count",
                        str(DEMO_COUNT)], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        subprocess.run(["rm", "-rf", str(folder)], check=True)  # 100,000 sealed rows take about 600 MB
        start, started_cpu = time.perf_counter(), time.process_time()
        _bare_writes(tmp / f"bare-{run}.db")
        bare_wall.append(time.perf_counter() - start)
        bare_cpu.append(time.process_time() - started_cpu)
        (tmp / f"bare-{run}.db").unlink()
    note = "bare SQLite: the same rows, blobs and tokens in one transaction"
    return [Row(f"demo-data --count {DEMO_COUNT:,}", wall, bare_wall, "s", 25.0, absolute_limit=60.0, note=note),
            Row("  of which CPU time (user + system)", cpu, bare_cpu, "s", 25.0, absolute_limit=60.0,
                note=note + "; wall time above this is waiting for a busy machine's cores")]


def _bare_writes(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE s (id TEXT PRIMARY KEY, at TEXT, payload BLOB, header BLOB)")
    conn.execute("CREATE TABLE t (id TEXT, token BLOB)")
    conn.execute("CREATE INDEX t_token ON t (token, id)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?)",
                     [(os.urandom(16).hex(), "2026-11-01", os.urandom(2200), os.urandom(90)) for _ in range(DEMO_COUNT)])
    conn.executemany("INSERT INTO t VALUES (?, ?)", [("x", os.urandom(16)) for _ in range(DEMO_COUNT * 7)])
    conn.execute("COMMIT")
    conn.close()


def rows(tmp: Path, repeats: int) -> list:
    return [clinic_row(repeats), *demo_row(tmp, repeats)]
