"""Staff queue with many sealed submissions: opening the queue and searching by name stay within a frame budget.

What the console's lazy model asks when the queue opens or a search runs is
`count(query)` plus one page of 200 rows; this times exactly those calls on
the real sealed store (demo data, keyed-hash index), at KIOSK_BENCH_QUEUE
submissions (default 100,000), against opening the queue (one full page to
open and decrypt) on 1,000 in the same run: the page costs the same at any
size, so the ratio shows what the table's size adds. 100 ms is the limit for
"no visible pause".
Filling 100,000 takes minutes (every row is sealed and indexed); it is done
once per bench run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from kiosk.console import QueueQuery

COUNT = int(os.environ.get("KIOSK_BENCH_QUEUE", "100000"))
BASELINE_COUNT = 1000
PASSPHRASE = "bench passphrase for demo data"
ADMIN = "Bench Admin"
PAGE = 200
SEARCHES = (QueueQuery(name="garcia"), QueueQuery(name="maria garcia"), QueueQuery(name="lee", dob="1980-01-01"))


def fill(folder: Path, count: int) -> None:
    env = dict(os.environ, KIOSK_STAFF_PASSPHRASE=PASSPHRASE, KIOSK_STAFF_NAME=ADMIN)
    subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--data-dir", str(folder), "--count", str(count)],
                   env=env, check=True, capture_output=True)


def timings(folder: Path, repeats: int) -> tuple[list[float], list[float]]:
    """(open ms, search ms) per repeat: count + first page, as QueueModel.refresh does."""
    from kiosk.services import open_kiosk_services
    from kiosk.staff.gate import DatabaseGate

    services = open_kiosk_services(folder)
    try:
        data = DatabaseGate(services.conn, services.content, services.data_dir).unlock(ADMIN, PASSPHRASE)
        data.count(QueueQuery())  # indexes anything pending once, as the first unlock would

        def page(query: QueueQuery) -> float:
            start = time.perf_counter()
            data.count(query)
            data.rows(query, 0, PAGE)
            return (time.perf_counter() - start) * 1000

        opened = [page(QueueQuery()) for _ in range(repeats)]
        searched = [max(page(query) for query in SEARCHES) for _ in range(repeats)]
        data.lock()
        return opened, searched
    finally:
        services.close()


def rows(tmp: Path, repeats: int) -> list:
    from bench.run import Row

    small, large = tmp / "queue-small", tmp / "queue-large"
    fill(small, BASELINE_COUNT)
    fill(large, COUNT)
    base_open, _ = timings(small, repeats)
    open_ms, search_ms = timings(large, repeats)
    note = f"baseline: opening the queue (a full page) with {BASELINE_COUNT:,} submissions"
    return [
        Row(f"staff queue opens (count + first {PAGE} rows), {COUNT:,} submissions", open_ms, base_open, "ms", 4.0,
            absolute_limit=100, note=note),
        Row(f"staff search by name / date of birth (slowest of {len(SEARCHES)}), {COUNT:,} submissions", search_ms,
            base_open, "ms", 4.0, absolute_limit=100, note=note),
    ]


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory(prefix="kiosk-queue-bench-") as folder:
        for row in rows(Path(folder), 3):
            print(f"{row.what}: median {sorted(row.measured)[len(row.measured) // 2]:.1f} ms, ratio {row.ratio:.2f}x, "
                  f"{row.verdict}")
