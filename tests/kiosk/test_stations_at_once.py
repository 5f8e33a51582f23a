"""Several kiosk processes at once against one PostgreSQL server: three submitting 100 each give 300 rows, each once,
each still opening with its own station's key; a kiosk killed in the middle of a forward loses and duplicates nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ADMIN, ADMIN_PASSPHRASE, ROOT
from kiosk.staff.vault import setup_install, unlock
from kiosk.storage.codecs import OpeningCodec
from kiosk.storage.db import connect
from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres
from kiosk.storage.sqlite_submissions import SubmissionStore
from postgres_server import PostgresServer, postgres_server  # noqa: F401

# One kiosk: store each patient locally first, then forward whatever waits, as the kiosk's forwarder does.
KIOSK = """
import datetime as dt, sys, time
from pathlib import Path
from fake_staff import make_submission
from kiosk.content import load_content
from kiosk.system.paths import content_dir
from kiosk.storage.db import connect
from kiosk.storage.forwarder import forward_pending
from kiosk.storage.sqlite_submissions import SubmissionStore

folder, url, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
content = load_content(content_dir())
conn = connect(folder / "kiosk.db")
store = SubmissionStore(conn)
at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
made = [make_submission(content, f"{folder.name} {n}", "1980-02-03", at + dt.timedelta(minutes=n)) for n in range(100)]
time.sleep(max(0.0, start - time.time()))
for submission in made:
    store.save(submission)
    result = forward_pending(conn, url)
    assert result.error is None, result.error
print(forward_pending(conn, url).remaining)
"""


def test_three_kiosks_submitting_100_each_at_once_give_300_rows_each_once(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    folders = []
    for name in ("tablet-a", "tablet-b", "tablet-c"):
        folder = tmp_path / name
        folder.mkdir()
        conn = connect(folder / "kiosk.db")
        setup_install(conn, "Riverside Clinic", ADMIN, ADMIN_PASSPHRASE)
        conn.close()
        folders.append(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    start = time.time() + 8  # every process has loaded content and sealed its 100 before any of them stores
    kiosks = [subprocess.Popen([sys.executable, "-c", KIOSK, str(folder), url, str(start)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    outputs = [kiosk.communicate(timeout=240) for kiosk in kiosks]
    assert [k.returncode for k in kiosks] == [0, 0, 0], [err[-2000:] for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == ["0", "0", "0"], "nothing left to forward on any kiosk"

    with connect_postgres(url) as server:
        assert server.execute("SELECT count(*), count(DISTINCT id) FROM submissions").fetchone() == (300, 300)
        for folder in folders:
            local = connect(folder / "kiosk.db")
            keys = unlock(local, ADMIN, ADMIN_PASSPHRASE).keys
            mine = SubmissionStore(local, OpeningCodec(keys))
            shared = PostgresSubmissionStore(server, OpeningCodec(keys))
            ids = [row[0] for row in local.execute("SELECT id FROM submissions")]
            assert len(ids) == 100
            for submission_id in ids:  # each payload opens with this station's key and reads back as stored here
                assert shared.get(submission_id) == mine.get(submission_id)
            local.close()


# A kiosk forwarding a backlog in small batches, saying after each batch the server committed that it did.
FORWARDER = """
import sys
from pathlib import Path
from kiosk.system.clock import utc_now
from kiosk.storage.db import connect
from kiosk.storage.forwarder import forward_pending

def note():
    print("batch", flush=True)
    return utc_now()

forward_pending(connect(Path(sys.argv[1]) / "kiosk.db"), sys.argv[2], batch=5, clock=note)
"""


def test_a_kiosk_killed_in_the_middle_of_a_forward_loses_and_duplicates_nothing(
        installed, content, data_dir: Path, postgres_server: PostgresServer) -> None:
    from kiosk.storage.forwarder import forward_pending
    from test_store_and_forward import store_some

    url = postgres_server.create_database()
    ids = store_some(installed, content, 200)
    kiosk = subprocess.Popen([sys.executable, "-c", FORWARDER, str(data_dir), url], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = 0
    assert kiosk.stdout is not None
    for line in kiosk.stdout:  # "batch" once per row of each batch the server committed
        seen += line.startswith("batch")
        if seen >= 23:  # in the middle of the fifth batch's local note
            break
    kiosk.kill()
    kiosk.communicate(timeout=60)
    with connect_postgres(url) as server:
        before = server.execute("SELECT count(*) FROM submissions").fetchone()[0]
    assert 20 <= before < 200, "killed in the middle: some forwarded, not all"
    resumed = forward_pending(installed, url)
    assert resumed.error is None and resumed.remaining == 0
    assert resumed.forwarded + resumed.repeated >= 200 - before
    with connect_postgres(url) as server:
        assert server.execute("SELECT count(*), count(DISTINCT id) FROM submissions").fetchone() == (200, 200)
        assert sorted(r[0] for r in server.execute("SELECT id FROM submissions")) == sorted(ids)
