"""Several stations, one clinic, through the command line against a real PostgreSQL server.

`setup --database URL` on a fresh database makes the clinic there; on a database already set up it joins this
machine as another station with an administrator's secret, never a second clinic. A submission sealed on any
station opens for staff signing in on any other, and an export from a third folder sees every submission once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.cli import main
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.records import QueueQuery
from kiosk.storage.db import connect
from kiosk.storage.shared_connection import open_shared
from kiosk.storage.sqlite_submissions import SubmissionStore
from postgres_server import PostgresServer, own_postgres_server, postgres_server  # noqa: F401
from shared_clinic import clinic_env, import_at, make_clinic, response_file  # noqa: F401

def public_key_of(folder: Path) -> bytes | None:
    conn = connect(folder / "kiosk.db")
    try:
        return vault.public_key(conn)
    finally:
        conn.close()


def shared_counts(url: str) -> tuple[int, int, int]:
    with open_shared(url) as shared:
        return tuple(shared.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("install", "staff", "key_epochs"))


@dataclass(frozen=True)
class Clinic:
    url: str  # its own shared database
    first: Path  # the data folder of the station whose setup made the clinic
    recovery: str  # the recovery key that setup printed once


@pytest.fixture
def clinic(postgres_server: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
           clinic_env: pytest.MonkeyPatch) -> Clinic:
    """A new clinic in a database of its own, made by `setup --database` at its first station."""
    url = postgres_server.create_database()
    first = tmp_path / "one"
    return Clinic(url, first, make_clinic(url, first, capsys))


def test_a_second_setup_joins_the_clinic_and_each_station_opens_what_the_other_sealed(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    url, one, two = clinic.url, clinic.first, tmp_path / "two"
    assert shared_counts(url) == (1, 1, 1)
    assert main(["setup", "--data-dir", str(two), "--database", url]) == 0  # no --clinic, no --admin: it joins
    out = capsys.readouterr().out
    assert "Joined 'Riverside' as another station" in out and "Recovery key" not in out
    assert shared_counts(url) == (1, 1, 1), "no second clinic, no second account"
    shared = open_shared(url)
    clinic_key = vault.public_key(shared)
    assert public_key_of(one) == public_key_of(two) == clinic_key
    local = connect(two / "kiosk.db")
    assert local.execute("SELECT count(*) FROM staff").fetchone()[0] == 0, "no passphrase wrap leaves the server"
    assert json.loads(local.execute("SELECT value FROM settings WHERE key = 'clinic_name'").fetchone()[0]) == "Riverside"
    local.close()
    actions = [r[0] for r in shared.execute("SELECT action FROM audit ORDER BY seq").fetchall()]
    assert actions[0] == "setup" and "station_join" in actions

    first = import_at(one, content, tmp_path, "Pat One", capsys)
    second = import_at(two, content, tmp_path, "Pat Two", capsys)
    # staff signing in anywhere sign in against the clinic's accounts and open both stations' submissions
    staff = SealedStaffData(shared, vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE), content, one)
    assert {r.id: r.name for r in staff.rows(QueueQuery(), 0, 10)} == {first: "Pat One", second: "Pat Two"}
    staff.lock()
    # and a station's own sealed copy opens with the keys taken from the shared accounts
    keys = vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE).keys
    from kiosk.storage.codecs import OpeningCodec

    for folder, sid, name in ((two, second, "Pat Two"), (one, first, "Pat One")):
        local = connect(folder / "kiosk.db")
        opened = SubmissionStore(local, OpeningCodec(keys)).get(sid)
        assert opened is not None and opened.answers[content.manifest.identity.name] == name
        local.close()
    shared.close()
    for folder in (one, two):  # a staff command on either station works on the shared queue
        out_file = tmp_path / f"{folder.name}.csv"
        assert main(["export", "--data-dir", str(folder), "--format", "csv", "--out", str(out_file)]) == 0
        assert "Exported 2 submission(s)" in capsys.readouterr().out
        text = out_file.read_text(encoding="utf-8")
        assert "Pat One" in text and "Pat Two" in text


def test_two_stations_import_and_a_third_folder_exports_every_submission_once(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    url, one, two, desk = clinic.url, clinic.first, tmp_path / "two", tmp_path / "desk"
    clinic_env.setenv("KIOSK_RECOVERY_KEY", clinic.recovery)
    assert main(["setup", "--data-dir", str(two), "--database", url]) == 0, "the recovery key joins a station too"
    assert "with the secret of recovery key" in capsys.readouterr().out
    clinic_env.delenv("KIOSK_RECOVERY_KEY")
    ids = [import_at(one, content, tmp_path, "Ada North", capsys), import_at(two, content, tmp_path, "Bo South", capsys)]
    again = response_file(content, tmp_path / "again.json", "Cy Twice")  # the same response at both stations
    for folder in (one, two):
        assert main(["import", "--data-dir", str(folder), "--response", str(again)]) == 0
        ids.append(capsys.readouterr().out.strip())
    assert len(set(ids)) == 3
    out_file = tmp_path / "all.json"
    assert main(["export", "--data-dir", str(desk), "--database", url, "--format", "fhir", "--out", str(out_file)]) == 0
    assert "Exported 3 submission(s)" in capsys.readouterr().out
    bundle = json.loads(out_file.read_text(encoding="utf-8"))
    responses = [json.dumps(e["resource"], ensure_ascii=False) for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert [sum(name in text for text in responses) for name in ("Ada North", "Bo South", "Cy Twice")] == [1, 1, 1]
    assert len(responses) == 3, "every submission once"


def test_a_wrong_or_missing_secret_is_refused_with_exit_3_and_changes_nothing(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    url = clinic.url
    with open_shared(url) as shared:
        admin = vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE)
        vault.add_account(shared, admin, "Cleo Clinician", "cleo's passphrase here", "clinician")
    before = shared_counts(url)
    joining = tmp_path / "second"
    attempts = [({"KIOSK_STAFF_PASSPHRASE": "not the passphrase"}, "does not open"),
                ({"KIOSK_STAFF_PASSPHRASE": "cleo's passphrase here", "KIOSK_STAFF_NAME": "Cleo Clinician"},
                 "administrator"),
                ({"KIOSK_RECOVERY_KEY": "AAAA-BBBB-CCCC"}, "recovery key"),
                ({"KIOSK_STAFF_PASSPHRASE": ""}, "KIOSK_STAFF_PASSPHRASE")]
    for env, said in attempts:
        for name in ("KIOSK_STAFF_PASSPHRASE", "KIOSK_STAFF_NAME", "KIOSK_RECOVERY_KEY"):
            clinic_env.delenv(name, raising=False)
        for name, value in env.items():
            clinic_env.setenv(name, value)
        assert main(["setup", "--data-dir", str(joining), "--database", url]) == 3, env
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, err
        assert not (joining / "kiosk.db").exists(), "the folder is left as it was"
        assert shared_counts(url) == before


def test_a_clinic_made_in_the_first_run_setup_of_a_console_makes_that_machine_its_first_station(
        content: Content, tmp_path: Path, postgres_server: PostgresServer) -> None:
    from kiosk.staff.gate import DatabaseGate

    url = postgres_server.create_database()
    local = connect(tmp_path / "kiosk.db")
    with open_shared(url) as shared:
        gate = DatabaseGate(shared, content, tmp_path, station=local)
        assert gate.needs_setup()
        gate.setup("Riverside", ADMIN, ADMIN_PASSPHRASE)
        assert not gate.needs_setup() and vault.public_key(local) == vault.public_key(shared)
        assert gate.unlock(ADMIN, ADMIN_PASSPHRASE).actor == ADMIN
    assert local.execute("SELECT count(*) FROM staff").fetchone()[0] == 0
    local.close()


def test_with_the_server_stopped_a_joined_station_queues_imports_and_staff_work_says_it_waits(
        content: Content, tmp_path: Path, own_postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    server = own_postgres_server
    url = server.create_database()
    one, two = tmp_path / "one", tmp_path / "two"
    make_clinic(url, one, capsys)
    assert main(["setup", "--data-dir", str(two), "--database", url]) == 0
    capsys.readouterr()
    server.stop()
    response = response_file(content, tmp_path / "down.json", "While Down")
    assert main(["import", "--data-dir", str(two), "--response", str(response)]) == 0
    out, err = capsys.readouterr()
    assert "queued" in err
    out_file = tmp_path / "x.csv"
    assert main(["export", "--data-dir", str(two), "--format", "csv", "--out", str(out_file)]) == 2
    assert "cannot be reached" in capsys.readouterr().err and not out_file.exists()
    server.start()
    assert main(["sync", "--data-dir", str(two)]) == 0
    assert "Forwarded 1 submission(s)" in capsys.readouterr().out
    assert main(["export", "--data-dir", str(one), "--format", "csv", "--out", str(out_file)]) == 0
    assert "While Down" in out_file.read_text(encoding="utf-8")


def test_a_station_takes_up_settings_and_keys_changed_at_a_console_when_staff_lock(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    from kiosk.services import open_kiosk_services
    from kiosk.staff.settings_store import save_settings

    url, two = clinic.url, tmp_path / "two"
    assert main(["setup", "--data-dir", str(two), "--database", url]) == 0
    with open_shared(url) as shared:  # a console signs in, changes a setting and starts a new key epoch
        admin = vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE)
        save_settings(shared, ADMIN, True, clinic_name="Riverside Health", idle_timeout_s=200)
        vault.rotate_keys(shared, admin)
        new_key = vault.public_key(shared)
    services = open_kiosk_services(two)
    try:
        assert services.settings().clinic_name == "Riverside"
        assert services.take_up_clinic_changes() is True
        settings = services.settings()
        assert (settings.clinic_name, settings.idle_timeout_s, settings.database_url) == ("Riverside Health", 200, url)
        assert vault.public_key(services.conn) == new_key
        assert services.take_up_clinic_changes() is False, "nothing new the second time"
    finally:
        services.close()


def test_purge_on_a_station_also_purges_the_shared_database_by_the_same_rule(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    url, one = clinic.url, clinic.first
    import_at(one, content, tmp_path, "Old Visit", capsys)  # authored 2026-11-02
    assert main(["purge", "--data-dir", str(one), "--days", "3650"]) == 0
    assert "Deleted 0 submission(s) older than 3650 days from the shared database" in capsys.readouterr().out
    assert main(["purge", "--data-dir", str(one), "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert "Deleted 1 submission(s) older than 1 days." in out
    assert "Deleted 1 submission(s) older than 1 days from the shared database" in out
    with open_shared(url) as shared:
        assert shared.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
        assert [r[0] for r in shared.execute("SELECT action FROM audit WHERE action = 'purge'").fetchall()] == ["purge"]


def test_the_recovery_key_gives_a_shared_clinic_administrator_a_new_passphrase(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    url = clinic.url
    clinic_env.setenv("KIOSK_RECOVERY_KEY", clinic.recovery)
    clinic_env.setenv("KIOSK_STAFF_PASSPHRASE", "a brand new passphrase")
    assert main(["setup", "--recover", "--admin", ADMIN, "--data-dir", str(tmp_path / "two"), "--database", url]) == 0
    with open_shared(url) as shared:
        assert vault.unlock(shared, ADMIN, "a brand new passphrase").actor == ADMIN
        with pytest.raises(vault.UnlockError):
            vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE)


def test_doctor_says_whether_a_station_reaches_the_clinic_and_seals_to_its_newest_key(
        content: Content, tmp_path: Path, clinic: Clinic, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:
    from dataclasses import asdict

    from kiosk.console import doctor

    url, one, alone = clinic.url, clinic.first, tmp_path / "alone"

    def shared_check(folder: Path) -> dict | None:
        found = doctor.shared_database(doctor.read_facts(folder / "kiosk.db", ["en"]))
        return None if found is None else asdict(found)

    main(["doctor", "--json", "--data-dir", str(one)])  # other checks may cross on a test machine
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert [c["ok"] for c in checks if c["name"] == "Shared database"] == [True]
    with open_shared(url) as shared:  # keys changed at a console
        vault.rotate_keys(shared, vault.unlock(shared, ADMIN, ADMIN_PASSPHRASE))
    stale = shared_check(one)
    assert stale["ok"] is False and "sync" in stale["fix"]
    assert main(["sync", "--data-dir", str(one)]) == 0
    capsys.readouterr()
    assert shared_check(one)["ok"] is True
    assert main(["setup", "--data-dir", str(alone), "--clinic", "Alone", "--admin", ADMIN]) == 0  # a machine alone
    capsys.readouterr()
    assert shared_check(alone) is None, "no shared database, no such check"
    clinic_env.setenv("KIOSK_DATABASE_URL", url)
    own = shared_check(alone)
    assert own["ok"] is False and "keys of its own" in own["detail"]
    clinic_env.setenv("KIOSK_DATABASE_URL", f"postgresql:///x?host={tmp_path / 'none'}&port=5999")
    away = shared_check(alone)
    assert away["ok"] is False and "cannot be reached" in away["detail"]
