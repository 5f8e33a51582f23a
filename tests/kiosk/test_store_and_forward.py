"""Store and forward against a real PostgreSQL server: local first, forwarded exactly once, nothing lost when the
server is away (stopped before, or in the middle of, a forward), and `import` / `sync` as a clinic runs them."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT
from fake_staff import make_submission
from kiosk.cli import main
from kiosk.content import Content
from kiosk.fhir.response import to_response
from kiosk.storage.db import connect
from kiosk.storage.forwarder import Forwarder, forward_pending, pending_count, start_forwarding
from kiosk.storage.postgres_submissions import connect_postgres
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Status
from postgres_server import PostgresServer, own_postgres_server, postgres_server  # noqa: F401

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def server_rows(url: str) -> dict[str, bytes]:
    with connect_postgres(url) as conn:  # migrates an empty database, as a console would
        return {r[0]: bytes(r[1]) for r in conn.execute("SELECT id, payload FROM submissions")}


def local_rows(conn: sqlite3.Connection) -> dict[str, bytes]:
    return {r[0]: bytes(r[1]) for r in conn.execute("SELECT id, payload FROM submissions")}


def store_some(conn: sqlite3.Connection, content: Content, count: int) -> list[str]:
    store = SubmissionStore(conn)  # the kiosk's side: seals to the install's key
    made = [make_submission(content, f"Pat {n}", "1980-02-03", T0 + dt.timedelta(minutes=n)) for n in range(count)]
    with store.transaction():
        store.save_many(made)
    return [s.id for s in made]


def response_file(content: Content, path: Path, name: str) -> Path:
    submission = make_submission(content, name, "1979-05-06", T0)
    path.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")
    return path


def test_forwarding_copies_each_sealed_row_once_and_a_repeat_stores_nothing_twice(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    ids = store_some(installed, content, 30)
    first = forward_pending(installed, url, batch=7)
    assert (first.forwarded, first.repeated, first.remaining, first.error) == (30, 0, 0, None)
    assert server_rows(url) == local_rows(installed), "the payloads arrive as the kiosk sealed them, byte for byte"
    assert all(payload.startswith(local_rows(installed)[i][:4]) for i, payload in server_rows(url).items())
    # The server committed but this machine never noted it (a reply lost, a kiosk killed): the same forward again.
    installed.execute("DELETE FROM forwarded")
    again = forward_pending(installed, url, batch=7)
    assert (again.forwarded, again.repeated, again.remaining) == (0, 30, 0)
    assert sorted(server_rows(url)) == sorted(ids)
    assert forward_pending(installed, url).forwarded == 0 and pending_count(installed) == 0


def test_in_progress_autosaves_and_training_rows_stay_on_the_machine(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    store = SubmissionStore(installed)
    store.autosave(make_submission(content, "Still Answering", "1980-01-01", T0, status=Status.IN_PROGRESS), T0)
    training = make_submission(content, "Train Ing", "1980-01-01", T0)
    training.source = "demo"
    store.save(training)
    real = make_submission(content, "Real Patient", "1980-01-01", T0)
    store.save(real)
    assert forward_pending(installed, url).forwarded == 1
    assert list(server_rows(url)) == [real.id]


def test_server_stopped_in_the_middle_of_a_forward_loses_nothing_and_duplicates_nothing(
        installed: sqlite3.Connection, content: Content, own_postgres_server: PostgresServer) -> None:
    server = own_postgres_server
    url = server.create_database()
    ids = store_some(installed, content, 40)
    batches: list[dt.datetime] = []

    def stop_after_first_batch() -> dt.datetime:
        """Runs after the server committed a batch: the server goes away before the next one."""
        if not batches:
            server.stop()
        batches.append(T0)
        return T0

    cut = forward_pending(installed, url, batch=10, clock=stop_after_first_batch)
    assert cut.error is not None and "cannot be reached" in cut.error
    assert (cut.forwarded, cut.remaining) == (10, 30)
    server.start()
    resumed = forward_pending(installed, url, batch=10)
    assert (resumed.forwarded, resumed.remaining, resumed.error) == (30, 0, None)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM submissions").fetchone() == (40, 40)
    assert sorted(server_rows(url)) == sorted(ids)


def test_import_with_the_server_stopped_is_queued_and_sync_forwards_it_after_the_restart(
        installed: sqlite3.Connection, content: Content, data_dir: Path, tmp_path: Path,
        own_postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str]) -> None:
    server = own_postgres_server
    url = server.create_database()
    server.stop()
    response = response_file(content, tmp_path / "r.json", "Queued Patient")
    assert main(["import", "--data-dir", str(data_dir), "--response", str(response), "--database", url]) == 0
    out, err = capsys.readouterr()
    submission_id = out.strip()
    assert "queued" in err and "sync" in err
    assert main(["sync", "--data-dir", str(data_dir), "--database", url]) == 1
    out, err = capsys.readouterr()
    assert "1 submission(s) left to forward" in out and "cannot be reached" in err
    server.start()
    assert main(["sync", "--data-dir", str(data_dir), "--database", url]) == 0
    out, err = capsys.readouterr()
    assert "Forwarded 1 submission(s)" in out and "0 submission(s) left" in out and err == ""
    assert list(server_rows(url)) == [submission_id]
    assert main(["sync", "--data-dir", str(data_dir), "--database", url]) == 0, "nothing left: a repeat is harmless"
    assert list(server_rows(url)) == [submission_id]


def test_import_forwards_at_once_when_the_server_is_up_and_takes_the_url_from_the_environment(
        installed: sqlite3.Connection, content: Content, data_dir: Path, tmp_path: Path,
        postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = postgres_server.create_database()
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    response = response_file(content, tmp_path / "r.json", "Sent Patient")
    assert main(["import", "--data-dir", str(data_dir), "--response", str(response)]) == 0
    out, err = capsys.readouterr()
    assert list(server_rows(url)) == [out.strip()] and "Forwarded" in err
    assert main(["import", "--data-dir", str(data_dir), "--response", str(response)]) == 0, "the same file again"
    assert list(server_rows(url)) == [out.strip()]


def test_sync_without_a_database_or_with_a_wrong_url_says_so(
        installed: sqlite3.Connection, content: Content, data_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    store_some(installed, content, 2)
    assert main(["sync", "--data-dir", str(data_dir)]) == 1
    assert "no shared database is configured" in capsys.readouterr().err
    assert main(["sync", "--data-dir", str(data_dir), "--database", "mysql://x/y"]) == 1
    assert "postgresql://" in capsys.readouterr().err
    response = response_file(content, tmp_path / "r.json", "Not Stored")
    assert main(["import", "--data-dir", str(data_dir), "--response", str(response), "--database", "sqlite:///x"]) == 1
    assert SubmissionStore(installed).count() == 2, "a refused URL is refused before anything is stored"


def test_the_background_forwarder_retries_with_backoff_until_the_server_is_back(
        installed: sqlite3.Connection, content: Content, data_dir: Path,
        own_postgres_server: PostgresServer) -> None:
    server = own_postgres_server
    url = server.create_database()
    server.stop()
    ids = store_some(installed, content, 3)
    forwarder = Forwarder(lambda: connect(data_dir / "kiosk.db"), url, interval=60.0, max_backoff=0.5)
    assert [forwarder.next_wait(n) for n in (1, 2, 3)] == [0.5, 0.5, 0.5]
    assert [Forwarder(lambda: installed, url).next_wait(n) for n in (0, 1, 2, 3, 20)] == [10.0, 1.0, 2.0, 4.0, 300.0]
    forwarder.start()
    try:
        deadline = time.monotonic() + 20
        while (forwarder.last is None or forwarder.last.error is None) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert forwarder.last is not None and forwarder.last.remaining == 3
        server.start()
        while sorted(server_rows(url)) != sorted(ids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(server_rows(url)) == sorted(ids)
    finally:
        forwarder.stop()


def test_the_kiosk_forwards_in_the_background_only_when_a_shared_database_is_configured(
        installed: sqlite3.Connection, content: Content, data_dir: Path, postgres_server: PostgresServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    assert start_forwarding(data_dir, "") is None and start_forwarding(data_dir, "http://x") is None
    url = postgres_server.create_database()
    ids = store_some(installed, content, 2)
    forwarder = start_forwarding(data_dir, url)  # the database_url setting
    assert forwarder is not None
    try:
        deadline = time.monotonic() + 20
        while sorted(server_rows(url)) != sorted(ids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(server_rows(url)) == sorted(ids)
        later = store_some(installed, content, 1)  # a patient submits on the kiosk: out within seconds, no call
        deadline = time.monotonic() + 6  # well inside the forwarder's 10-second interval
        while sorted(server_rows(url)) != sorted(ids + later) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(server_rows(url)) == sorted(ids + later), "the 10-second interval was not waited for"
    finally:
        forwarder.stop()


def test_a_single_machine_never_loads_the_postgresql_driver(installed: sqlite3.Connection, data_dir: Path) -> None:
    code = ("import sys; from kiosk.cli import main; main(['sync', '--data-dir', sys.argv[1]]); "
            "print('psycopg' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(data_dir.parent)})
    assert done.stdout.strip() == "False", done.stderr


def test_setup_with_a_database_makes_two_stations_forward_to_one_server_each_submission_once(
        content: Content, tmp_path: Path, postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "correct horse battery")
    url = postgres_server.create_database()
    stations = [tmp_path / "tablet-a", tmp_path / "tablet-b"]
    for folder in stations:
        assert main(["setup", "--data-dir", str(folder), "--clinic", "Riverside", "--admin", "Ann",
                     "--database", url]) == 0
        assert "forwarded to the shared database" in capsys.readouterr().out
    shared = response_file(content, tmp_path / "both.json", "Seen Twice")  # the same response at both stations
    ids = []
    for n, folder in enumerate(stations):
        own = response_file(content, tmp_path / f"own-{n}.json", f"Station {n}")
        for response in (own, shared):
            assert main(["import", "--data-dir", str(folder), "--response", str(response)]) == 0  # the setting
            ids.append(capsys.readouterr().out.strip())
    assert sorted(server_rows(url)) == sorted(set(ids)) and len(set(ids)) == 3
    assert main(["setup", "--data-dir", str(tmp_path / "c"), "--clinic", "R", "--admin", "Ann",
                 "--database", "http://db"]) == 1
    assert not (tmp_path / "c" / "kiosk.db").exists(), "a wrong URL is refused before anything is made"
