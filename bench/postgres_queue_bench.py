"""The staff queue on PostgreSQL with many submissions: opening the queue (first page and its count) and a name
search, through `PostgresSubmissionStore`, on a throw-away server (tests/postgres_server.py).

    .venv/bin/python bench/postgres_queue_bench.py [ROWS]      # default 1,000,000

Rows are made on the server (generate_series) with short stand-in payloads and two search tokens each (a name
shared by 20 rows, a date of birth) in two INSERT ... SELECT statements, as fast as COPY and with nothing sent
over the socket; the queries timed are the repository's own. `make bench` takes its rows (`rows`), each against a
bare query of the same size on the same server, with a 200 ms limit; run alone it prints just these rows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from kiosk.storage.codecs import PlainCodec  # noqa: E402
from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres  # noqa: E402
from kiosk.storage.repository import QueueFilter  # noqa: E402
from postgres_server import PostgresServer, running_server  # noqa: E402

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


PAGE = 200  # the console's page (kiosk.console.controller.StaffConsole.page_size)
LIMIT_MS = 200.0


def _ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def filled_store(server, count: int):
    """A database on `server` holding `count` submissions and their search tokens, made on the server itself."""
    conn = connect_postgres(server.create_database("bench"))
    start = time.perf_counter()
    # A bulk load as pg_restore does it: the secondary indexes are built once after the rows (the same definitions,
    # read back from the catalogue), and the search tokens' foreign-key check is off while loading (the ids are
    # made from the same series, so every token's submission exists).
    secondary = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('submissions', "
                             "'search_tokens') AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
    for name, _ in secondary:
        conn.execute(f'DROP INDEX "{name}"')
    indexes = [definition for _, definition in secondary]
    conn.execute("SET session_replication_role = replica")
    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.execute(FILL, {"rows": count})
    conn.execute(TOKENS, {"rows": count})
    conn.execute("SET session_replication_role = DEFAULT")
    for index in indexes:
        conn.execute(index)
    conn.execute("VACUUM ANALYZE")
    made_s = time.perf_counter() - start
    return conn, PostgresSubmissionStore(conn, PlainCodec()), made_s


def measure(conn, store, repeats: int) -> dict[str, list[float]]:
    """Each action `repeats` times (at least 3), interleaved with its bare baseline so load hits both alike."""
    name = bytes.fromhex(conn.execute("SELECT md5('name' || 7)").fetchone()[0])
    dob = bytes.fromhex(conn.execute("SELECT md5('dob' || 7)").fetchone()[0])
    everyone, search = QueueFilter(), QueueFilter(tokens=(name, dob))

    def open_queue() -> None:  # what the console asks for when it opens: the first page and the count
        store.queue(everyone, 0, PAGE)
        store.queue_count(everyone)

    def bare_open() -> None:  # the same sizes with no filter and no urgent-first order
        conn.execute("SELECT count(*) FROM submissions").fetchone()
        conn.execute("SELECT id, submitted_at, status, severity, header FROM submissions "
                     "ORDER BY submitted_at DESC LIMIT %s", (PAGE,)).fetchall()

    def name_search() -> None:
        assert store.queue(search, 0, PAGE)
        store.queue_count(search)

    def bare_search() -> None:  # the rows carrying both tokens, and their count, in hand-written SQL
        conn.execute("SELECT s.id, s.submitted_at, s.status, s.severity, s.header FROM submissions s JOIN ("
                     "SELECT submission_id FROM search_tokens WHERE token = %s INTERSECT "
                     "SELECT submission_id FROM search_tokens WHERE token = %s) AS m ON m.submission_id = s.id "
                     "LIMIT %s", (name, dob, PAGE)).fetchall()
        conn.execute("SELECT count(*) FROM (SELECT submission_id FROM search_tokens WHERE token = %s INTERSECT "
                     "SELECT submission_id FROM search_tokens WHERE token = %s) AS m", (name, dob)).fetchone()

    found: dict[str, list[float]] = {"open": [], "open_base": [], "search": [], "search_base": []}
    for _ in range(max(3, repeats)):
        found["open_base"].append(_ms(bare_open))
        found["open"].append(_ms(open_queue))
        found["search_base"].append(_ms(bare_search))
        found["search"].append(_ms(name_search))
    return found


def rows(tmp: Path, repeats: int, count: int = 1_000_000) -> list:
    """The `make bench` rows: a real server of its own (stopped and removed afterwards), `count` submissions."""
    from bench.run import Row

    servers = running_server(PostgresServer())
    server = next(servers)
    try:
        conn, store, made_s = filled_store(server, count)
        found = measure(conn, store, repeats)
        conn.close()
    finally:
        servers.close()
    made = f"{count:,} rows made on the server in {made_s:.0f} s"
    return [
        Row(f"PostgreSQL staff queue: open (first {PAGE} and the count), {count:,} submissions", found["open"],
            found["open_base"], "ms", 3.0, LIMIT_MS,
            note=f"bare count(*) and first {PAGE} by time on the same server; {made}"),
        Row(f"PostgreSQL name + date of birth search (page and count), {count:,} submissions", found["search"],
            found["search_base"], "ms", 3.0, LIMIT_MS, note="the same two-token match and count in hand-written SQL on the same server"),
    ]


def main(count: int) -> None:
    """This row alone (`make bench` runs it with the others): prints its lines of the results table."""
    import tempfile

    from bench.run import REPEATS, table

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        print(table(rows(Path(folder), REPEATS, count)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
