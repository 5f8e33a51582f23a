"""Start-up and sign-in as the data grows: each against the same set-up with no submissions, in the same run.

Start-up is read from the kiosk itself (`--smoke` prints when its first screen
was painted, timed from the process's own start); sign-in is the console's
unlock plus the count and first page of the queue it shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAINTED = re.compile(r"first screen painted (\d+) ms")


def installed_bytecode() -> None:
    """Compile kiosk/ and ui/ as pip and the bundle do when they install them. Without this, a bench run under
    PYTHONDONTWRITEBYTECODE compiles every module from source at every start (half a second of the kiosk's
    start on this machine), while the bare baseline's PySide6 comes compiled from its wheel."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kiosk"), str(ROOT / "ui"), str(ROOT / "bench")],
                   check=True, capture_output=True)


def first_paint_ms(command: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return float(PAINTED.search(out).group(1))


def kiosk_smoke(folder: Path) -> list[str]:
    return [sys.executable, "-m", "kiosk", "--smoke", "--windowed", "--data-dir", str(folder)]


def empty_set_up(tmp: Path, passphrase: str, admin: str) -> Path:
    folder = tmp / "empty-set-up"
    if not (folder / "kiosk.db").exists():
        subprocess.run([sys.executable, "-m", "kiosk", "setup", "--data-dir", str(folder), "--clinic", "Bench Clinic",
                        "--admin", admin], env=dict(os.environ, KIOSK_STAFF_PASSPHRASE=passphrase), check=True,
                       capture_output=True, cwd=ROOT)
        subprocess.run(kiosk_smoke(folder), env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), check=True,
                       capture_output=True, cwd=ROOT)  # the first start after setup compiles the content copy
    return folder


def sign_in_ms(folder: Path, admin: str, passphrase: str) -> float:
    """Unlock and the queue's first screen of data, as the console does after the passphrase is typed."""
    from kiosk.console.controller import QueueQuery
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.staff.gate import DatabaseGate
    from kiosk.storage.db import connect

    conn = connect(folder / "kiosk.db")
    try:
        gate = DatabaseGate(conn, load_content(content_dir()), folder)
        start = time.perf_counter()
        data = gate.unlock(admin, passphrase)
        data.count(QueueQuery())
        data.rows(QueueQuery(), 0, 200)
        elapsed = (time.perf_counter() - start) * 1000
        data.lock()
        return elapsed
    finally:
        conn.close()


def rows(tmp: Path, repeats: int) -> list:
    from bench.queue_bench import ADMIN, COUNT, PASSPHRASE, data_folder
    from bench.run import Row

    full, empty = data_folder(), empty_set_up(tmp, PASSPHRASE, ADMIN)
    sign_in_ms(full, ADMIN, PASSPHRASE)  # a first unlock after an upgrade may index; the daily sign-in is measured
    first_paint_ms(kiosk_smoke(full))  # and the first start compiles the content copy
    start_full, start_empty, in_full, in_empty = [], [], [], []
    for _ in range(repeats):
        start_empty.append(first_paint_ms(kiosk_smoke(empty)))
        start_full.append(first_paint_ms(kiosk_smoke(full)))
        in_empty.append(sign_in_ms(empty, ADMIN, PASSPHRASE))
        in_full.append(sign_in_ms(full, ADMIN, PASSPHRASE))
    return [
        Row(f"start to first paint with {COUNT:,} submissions", start_full, start_empty, "ms", 1.1,
            note="the same set-up with none"),
        Row(f"console sign-in with {COUNT:,} submissions (unlock + first queue page)", in_full, in_empty, "ms", 1.1,
            absolute_limit=500.0, note="the same set-up with none; the floor is scrypt, N=2^17"),
    ]
