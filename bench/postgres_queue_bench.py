"""The staff queue on PostgreSQL with many submissions: opening the queue (first page and its count) and a name
search, through `PostgresSubmissionStore`, on a throw-away server (tests/postgres_server.py).

    .venv/bin/python bench/postgres_queue_bench.py [ROWS]      # default 1,000,000

Rows are made on the server (generate_series) with short stand-in payloads and two search tokens each (a name
shared by 20 rows, a date of birth); the queries are the repository's own. Prints the median of 5 runs in ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from kiosk.storage.codecs import PlainCodec  # noqa: E402
from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres  # noqa: E402
from kiosk.storage.repository import QueueFilter  # noqa: E402
from postgres_server import running_server  # noqa: E402

FILL = """
INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload,
                         indexed, header)
SELECT md5(g::text), at, at, (ARRAY['new', 'printed', 'reviewed', 'reviewed', 'abandoned'])[1 + g %% 5], 'v1', 'en',
       g %% 5, decode(repeat(md5(g::text), 6), 'hex'), 1, decode(md5('h' || g), 'hex')
FROM generate_series(1, %(rows)s) AS g,
     LATERAL (SELECT timestamptz '2024-01-01' + g * interval '1 minute') AS t(at)
"""
TOKENS = """
INSERT INTO search_tokens (submission_id, token)
SELECT md5(g::text), decode(md5('name' || (g %% (%(rows)s / 20))), 'hex') FROM generate_series(1, %(rows)s) AS g
UNION ALL
SELECT md5(g::text), decode(md5('dob' || (g %% 9000)), 'hex') FROM generate_series(1, %(rows)s) AS g
"""


def median_ms(action, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(rows: int) -> None:
    servers = running_server()
    server = next(servers)
    try:
        conn = connect_postgres(server.create_database("bench"))
        store = PostgresSubmissionStore(conn, PlainCodec())
        start = time.perf_counter()
        conn.execute(FILL, {"rows": rows})
        conn.execute(TOKENS, {"rows": rows})
        conn.execute("VACUUM ANALYZE")
        print(f"{rows:,} submissions made in {time.perf_counter() - start:.0f} s")
        name = bytes.fromhex(conn.execute("SELECT md5('name' || 7)").fetchone()[0])
        dob = bytes.fromhex(conn.execute("SELECT md5('dob' || 7)").fetchone()[0])
        everyone, search = QueueFilter(), QueueFilter(tokens=(name, dob))

        def open_queue() -> None:
            store.queue(everyone, 0, 50)
            store.queue_count(everyone)

        def name_search() -> None:
            assert store.queue(search, 0, 50)
            store.queue_count(search)

        print(f"open the queue (first 50 and the count): {median_ms(open_queue):.1f} ms")
        print(f"first page only: {median_ms(lambda: store.queue(everyone, 0, 50)):.1f} ms")
        print(f"name + date of birth search (page and count): {median_ms(name_search):.1f} ms")
        conn.close()
    finally:
        servers.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
