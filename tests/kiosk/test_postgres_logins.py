"""Stations that log in to a real PostgreSQL (tests/postgres_logins.py) with a password checked by SCRAM (in the URL,
in the file $PGPASSFILE names, or in ~/.pgpass) or with a client certificate (`cert clientcert=verify-full`): setup,
import and sync work; a wrong or missing password or client certificate is exit 2 (the database login is this
station's setting; exit 3 stays for staff secrets) with a message naming the problem and never the password."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main
from kiosk.console.doctor import DB_NAME, read_facts, shared_database
from kiosk.content import Content
from postgres_logins import CERT_ROLE, PASSWORD_ROLE, ROLE_PASSWORD, LoginPostgresServer, login_postgres_server  # noqa: F401
from test_postgres_tls import response_file

WRONG = "Not-the-password-8812"


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A station whose login comes only from what each test gives it: no ~/.pgpass of the machine's, no PG*
    variables."""
    for name in ("KIOSK_DATABASE_URL", "PGPASSFILE", "PGPASSWORD", "PGUSER", "PGSSLCERT", "PGSSLKEY"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "correct horse battery")
    return tmp_path / "tablet"


def password_file(path: Path, server: LoginPostgresServer, database: str, password: str) -> Path:
    path.write_text(f"localhost:{server.port}:{database}:{PASSWORD_ROLE}:{password}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def set_up(station: Path, url: str) -> int:
    """`setup` of this station on the shared database at `url`; its exit code."""
    return main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann", "--database", url])


def server_ids(server: LoginPostgresServer, database: str) -> list[str]:
    with psycopg.connect(server.url(database)) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM submissions ORDER BY id")]


def refused(capsys: pytest.CaptureFixture[str], *secrets: str) -> str:
    out, err = capsys.readouterr()
    assert err.startswith("naltrexone-kiosk: ") and "Traceback" not in err
    assert not any(secret in out + err for secret in secrets), "a password was printed"
    return err


def test_a_password_login_by_scram_from_the_url_pgpassfile_or_pgpass_sets_up_imports_and_syncs(
        content: Content, tmp_path: Path, station: Path, login_postgres_server: LoginPostgresServer,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    server = login_postgres_server
    database = server.database_for(PASSWORD_ROLE)
    in_url = server.login_url(database, PASSWORD_ROLE, ROLE_PASSWORD)
    assert set_up(station, in_url) == 0
    out, err = capsys.readouterr()
    assert ROLE_PASSWORD not in out + err

    no_password = server.login_url(database, PASSWORD_ROLE)
    response = response_file(content, tmp_path / "r1.json", "Pass File")
    monkeypatch.setenv("PGPASSFILE", str(password_file(tmp_path / "kiosk.pgpass", server, database, ROLE_PASSWORD)))
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", no_password]) == 0
    first = capsys.readouterr().out.strip()
    assert server_ids(server, database) == [first], "forwarded with the password from $PGPASSFILE"

    monkeypatch.delenv("PGPASSFILE")
    password_file(Path.home() / ".pgpass", server, database, ROLE_PASSWORD)
    response = response_file(content, tmp_path / "r2.json", "Home Pgpass")
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", no_password]) == 0
    second = capsys.readouterr().out.strip()
    assert main(["sync", "--data-dir", str(station), "--database", no_password]) == 0
    assert "0 submission(s) left to forward" in capsys.readouterr().out
    assert sorted(server_ids(server, database)) == sorted([first, second]), "and with the one in ~/.pgpass"
    logins = server.authentications(database)
    assert len(logins) >= 4 and all(f'identity="{PASSWORD_ROLE}" method=scram-sha-256' in m for m in logins), logins


def test_a_wrong_or_missing_password_is_exit_2_named_without_the_password_and_the_submission_waits(
        content: Content, tmp_path: Path, station: Path, login_postgres_server: LoginPostgresServer,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    server = login_postgres_server
    database = server.database_for(PASSWORD_ROLE)
    good = server.login_url(database, PASSWORD_ROLE, ROLE_PASSWORD)
    wrong = server.login_url(database, PASSWORD_ROLE, WRONG)
    said = f'password authentication failed for user "{PASSWORD_ROLE}"'

    assert set_up(station, wrong) == 2
    err = refused(capsys, WRONG)
    assert said in err and "wrong password" in err and not (station / "kiosk.db").exists()
    assert set_up(station, good) == 0
    capsys.readouterr()

    # nothing queued: sync still logs in, and says why it cannot
    assert main(["sync", "--data-dir", str(station), "--database", wrong]) == 2
    err = refused(capsys, WRONG)
    assert said in err and f"refused this station's login as {PASSWORD_ROLE}: wrong password" in err
    assert "~/.pgpass" in err and "$PGPASSFILE" in err

    response = response_file(content, tmp_path / "r.json", "Wrong Password")
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", wrong]) == 0
    out, err = capsys.readouterr()
    submission_id = out.strip()
    assert "queued" in err and said in err and WRONG not in out + err
    assert main(["sync", "--data-dir", str(station), "--database", wrong]) == 2
    out = capsys.readouterr().out
    assert "1 submission(s) left to forward" in out

    password_file(Path.home() / ".pgpass", server, database, WRONG)  # the wrong one from ~/.pgpass: the same
    no_password = server.login_url(database, PASSWORD_ROLE)
    assert main(["sync", "--data-dir", str(station), "--database", no_password]) == 2
    assert said in refused(capsys, WRONG)
    (Path.home() / ".pgpass").unlink()
    assert main(["sync", "--data-dir", str(station), "--database", no_password]) == 2
    err = refused(capsys)
    assert "no password supplied" in err and f"asks {PASSWORD_ROLE} for a password and this station has none" in err

    assert main(["console", "--data-dir", str(tmp_path / "desk"), "--database", wrong, "--windowed"]) == 2
    assert said in refused(capsys, WRONG)
    monkeypatch.setenv("KIOSK_DATABASE_URL", wrong)
    check = shared_database(read_facts(station / DB_NAME, ["en"]))
    monkeypatch.delenv("KIOSK_DATABASE_URL")
    assert check is not None and not check.ok and said in check.detail and WRONG not in check.line()

    assert main(["sync", "--data-dir", str(station), "--database", good]) == 0, "queued, not lost"
    assert server_ids(server, database) == [submission_id]


def test_a_client_certificate_login_sets_up_and_syncs_and_a_missing_or_foreign_one_is_named(
        content: Content, tmp_path: Path, station: Path, login_postgres_server: LoginPostgresServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    server = login_postgres_server
    database = server.database_for(CERT_ROLE)
    cert, key = server.client_certificate(CERT_ROLE)
    good = server.login_url(database, CERT_ROLE, sslcert=str(cert), sslkey=str(key))
    assert set_up(station, good) == 0
    capsys.readouterr()
    response = response_file(content, tmp_path / "r.json", "Client Cert")
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", good]) == 0
    submission_id = capsys.readouterr().out.strip()
    assert server_ids(server, database) == [submission_id]
    assert main(["sync", "--data-dir", str(station), "--database", good]) == 0
    capsys.readouterr()
    logins = server.authentications(database)
    assert len(logins) >= 3 and all(f'identity="CN={CERT_ROLE}" method=cert' in m for m in logins), logins

    none = server.login_url(database, CERT_ROLE)
    other_cert, other_key = server.client_certificate("someone_else")
    foreign_cert, foreign_key = server.client_certificate(CERT_ROLE, signed_by_clinic=False)
    for url, said in (
            (none, "connection requires a valid client certificate"),
            (server.login_url(database, CERT_ROLE, sslcert=str(other_cert), sslkey=str(other_key)),
             f'certificate authentication failed for user "{CERT_ROLE}"'),
            (server.login_url(database, CERT_ROLE, sslcert=str(foreign_cert), sslkey=str(foreign_key)),
             "did not accept this station's client certificate")):
        assert main(["sync", "--data-dir", str(station), "--database", url]) == 2, url
        err = refused(capsys)
        assert said in err and f"client certificate made out to {CERT_ROLE}" in err, err
        assert "server's TLS certificate" not in err, "the server's own certificate was fine"
    key.chmod(0o644)
    assert main(["sync", "--data-dir", str(station), "--database", good]) == 2
    err = refused(capsys)
    assert "has group or world access" in err and "readable by this station's user only (mode 0600)" in err
