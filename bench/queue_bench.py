"""Staff queue with 100,000 submissions: open the console to its first screen, and search by name.

The data folder is made once by `naltrexone-kiosk demo-data` and cached in
bench/.cache (keyed by count, content version and schema), because making
100,000 sealed, indexed submissions takes a few minutes. Each row is a ratio
against a bare SQLite query for the same rows in the same run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("KIOSK_BENCH_QUEUE", "100000"))
PASSPHRASE = "bench passphrase 1234"
ADMIN = "Bench Admin"


def data_folder() -> Path:
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.storage.migrations import MIGRATIONS

    version = load_content(content_dir()).version
    folder = ROOT / "bench" / ".cache" / f"queue-{COUNT}-{version}-s{len(MIGRATIONS)}"
    if not (folder / "kiosk.db").exists():
        partial = folder.with_name(folder.name + ".partial")
        subprocess.run(["rm", "-rf", str(partial)], check=True)
        env = dict(os.environ, KIOSK_STAFF_PASSPHRASE=PASSPHRASE, KIOSK_STAFF_NAME=ADMIN)
        print(f"making {COUNT} demo submissions in {folder} (once; cached)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--data-dir", str(partial), "--count", str(COUNT),
                        "--days", "300"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        partial.rename(folder)
    return folder


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _child_ms(folder: Path, *flags: str) -> float:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "console_sign_in.py"), *flags, str(folder), ADMIN,
                          PASSPHRASE], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return float(out.strip().splitlines()[-1])


def rows(tmp: Path, repeats: int) -> list:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bench.run import Row
    from kiosk.console.controller import QueueQuery
    from kiosk.console.factory import console_factory
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.staff import vault
    from kiosk.staff.data import SealedStaffData
    from kiosk.storage.db import connect
    from ui.console.window import ConsoleWindow

    folder = data_folder()
    app = QApplication.instance() or QApplication([])
    content = load_content(content_dir())
    conn = connect(folder / "kiosk.db")
    unlocked = vault.unlock(conn, ADMIN, PASSPHRASE)
    make_console = console_factory(content, folder / "outbox")
    # A name that exists: the first word of a submission's name, found through the console itself.
    probe = SealedStaffData(conn, unlocked, content, folder)
    probe.index_pending()
    surname = probe.rows(QueueQuery(), 0, 1)[0].name.split()[-1]
    raw = sqlite3.connect(folder / "kiosk.db")

    open_ms, open_base, search_ms, search_base = [], [], [], []
    open_data, search_data = [], []  # the data layer alone: count + one page, decrypted, as the model asks for it
    start = time.perf_counter()
    window = ConsoleWindow(make_console(SealedStaffData(conn, unlocked, content, folder)))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    cold_ms = _ms(start)  # widgets built once per unlock; reported in the row's note
    for _ in range(max(3, repeats)):
        start = time.perf_counter()
        raw.execute("SELECT count(*) FROM submissions WHERE status != 'in_progress'").fetchone()
        raw.execute("SELECT id, submitted_at, status, severity, header FROM submissions WHERE status != 'in_progress' "
                    "ORDER BY priority, submitted_at DESC LIMIT 200").fetchall()
        open_base.append(_ms(start))

        console = window.console
        start = time.perf_counter()
        console.count(QueueQuery())
        console.rows(QueueQuery(), 0, 200)
        open_data.append(_ms(start))
        start = time.perf_counter()
        console.count(QueueQuery(name=surname))
        console.rows(QueueQuery(name=surname), 0, 200)
        search_data.append(_ms(start))

        window.model.clear()
        app.processEvents()
        start = time.perf_counter()
        window.model.search(QueueQuery())
        window.repaint()
        app.processEvents()
        open_ms.append(_ms(start))
        assert window.model.rowCount() > 0

        token = unlocked.keys.token("n", surname.casefold())
        start = time.perf_counter()
        raw.execute("SELECT count(*) FROM submissions WHERE id IN (SELECT submission_id FROM search_tokens WHERE token = ?)",
                    (token,)).fetchone()
        raw.execute("SELECT id, submitted_at, status, severity, header FROM submissions WHERE id IN "
                    "(SELECT submission_id FROM search_tokens WHERE token = ?) ORDER BY priority, submitted_at DESC "
                    "LIMIT 200", (token,)).fetchall()
        search_base.append(_ms(start))

        start = time.perf_counter()
        window.model.search(QueueQuery(name=surname))
        window.repaint()
        app.processEvents()
        search_ms.append(_ms(start))
        assert window.model.rowCount() > 0
    window.close()
    conn.close()
    raw.close()
    sign_in, kdf = [], []
    for _ in range(max(3, repeats)):  # each in a fresh process, as the console is one per sign-in
        kdf.append(_child_ms(folder, "--bare"))
        sign_in.append(_child_ms(folder))
    return [
        Row(f"staff queue: open and show the first screen ({COUNT:,} submissions)", open_ms, open_base, "ms", 3.0,
            absolute_limit=200.0,
            note=f"bare SQLite count + first 200 rows; building the console's widgets once per unlock adds {cold_ms:.0f} ms"),
        Row(f"search by name over {COUNT:,} submissions", search_ms, search_base, "ms", 3.0,
            note="bare SQLite token lookup for the same rows"),
        Row(f"  of which the data layer: count + first 200 rows decrypted ({COUNT:,})", open_data, open_base, "ms", 3.0,
            note="same bare query; the rest of the row above is Qt laying out and painting the table"),
        Row(f"  of which the data layer: name search ({COUNT:,})", search_data, search_base, "ms", 3.0,
            note="same bare token lookup"),
        Row(f"console sign-in as staff feel it: Unlock pressed to first queue page painted ({COUNT:,}), fresh process",
            sign_in, kdf, "ms", 1.2, absolute_limit=500.0,
            note="scrypt alone at the account's cost (N=2^17), in a fresh process: the floor, kept on purpose"),
    ]
