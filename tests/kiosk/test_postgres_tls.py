"""`sslmode=verify-full` against a real PostgreSQL over TLS (tests/postgres_tls.py): through `setup --database`,
`import` and `sync`, a station whose URL names the clinic's CA and the certificate's host name forwards over TLS; a
wrong CA or a host name the certificate does not carry is refused, the submission stays queued here, and the
message says it was the certificate, without a traceback or the URL's password."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg
import pytest

from fake_staff import make_submission
from kiosk.cli import main
from kiosk.console.doctor import DB_NAME, Check, read_facts, shared_database
from kiosk.content import Content
from kiosk.fhir.response import to_response
from postgres_tls import TlsPostgresServer, free_port, tls_postgres_server  # noqa: F401
from test_store_and_forward import T0

PASSWORD = "Pw-never-printed-7731"  # the cluster trusts 127.0.0.1 over TLS, so any password is taken and ignored


def response_file(content: Content, path: Path, name: str) -> Path:
    submission = make_submission(content, name, "1979-05-06", T0)
    path.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")
    return path


def with_password(url: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@", 1)


def server_ids(server: TlsPostgresServer, database: str) -> list[str]:
    with psycopg.connect(server.tcp_url(database)) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM submissions ORDER BY id")]


def tls_sessions(server: TlsPostgresServer, database: str) -> list[str]:
    """The server log's lines for connections to `database` over TCP: each says whether it used TLS."""
    log = server.log_file.read_text(encoding="utf-8")
    return re.findall(rf"connection authorized: user=\S+ database={database}\b(.*)", log)


def doctor_on_shared_database(station: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Check:
    """`doctor`'s "Shared database" check with the station's URL in $KIOSK_DATABASE_URL (the other checks wait on
    printers and clocks this test does not need)."""
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    check = shared_database(read_facts(station / DB_NAME, ["en"]))
    monkeypatch.delenv("KIOSK_DATABASE_URL")
    assert check is not None and PASSWORD not in check.line()
    return check


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "correct horse battery")
    return tmp_path / "tablet"


def test_verify_full_with_the_clinics_ca_and_host_name_sets_up_and_forwards_over_tls(
        content: Content, tmp_path: Path, station: Path, tls_postgres_server: TlsPostgresServer,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    server = tls_postgres_server
    database = server.new_database()
    url = with_password(server.tcp_url(database))
    assert main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann",
                 "--database", url]) == 0
    out, err = capsys.readouterr()
    assert "forwarded to the shared database" in out and PASSWORD not in out + err
    response = response_file(content, tmp_path / "r.json", "Over Tls")
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", url]) == 0
    out, err = capsys.readouterr()
    assert "Forwarded to the shared database" in err and PASSWORD not in out + err
    assert server_ids(server, database) == [out.strip()]
    assert doctor_on_shared_database(station, url, monkeypatch).ok
    sessions = tls_sessions(server, database)
    assert sessions and all("SSL enabled (protocol=TLSv1." in s for s in sessions), sessions
    with psycopg.connect(server.tcp_url(database)) as conn:  # the kiosk's own URL: the server sees TLS
        assert conn.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0]
    plain = server.tcp_url(database, sslmode="disable")
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        psycopg.connect(plain, connect_timeout=3).close()  # so a forward that arrived came over TLS


def trusted_and_untrusted_urls(server: TlsPostgresServer, wrong: str) -> tuple[str, str, str]:
    """A new database, a URL that trusts the server, and one that does not: another CA's, or a host name the
    certificate is not made out to."""
    database = server.new_database()
    good = with_password(server.tcp_url(database))
    bad = with_password(server.tcp_url(database, ca=server.other_ca_file) if wrong == "ca"
                        else server.tcp_url(database, host="127.0.0.1"))
    return database, good, bad


@pytest.mark.parametrize(("wrong", "libpq_says"), [
    ("ca", "certificate verify failed"),
    ("host", 'does not match host name "127.0.0.1"'),
])
def test_a_certificate_the_url_does_not_trust_is_refused_queued_here_and_named(
        wrong: str, libpq_says: str, content: Content, tmp_path: Path, station: Path,
        tls_postgres_server: TlsPostgresServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = tls_postgres_server
    database, good, bad = trusted_and_untrusted_urls(server, wrong)
    # setup needs the server once: refused (exit 2, as for a server that is away), nothing made here
    assert main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann",
                 "--database", bad]) == 2
    out, err = capsys.readouterr()
    assert libpq_says in err and "TLS certificate was not accepted" in err and "sslrootcert" in err
    assert "Traceback" not in err and PASSWORD not in out + err
    assert not (station / "kiosk.db").exists()

    assert main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann",
                 "--database", good]) == 0
    capsys.readouterr()
    response = response_file(content, tmp_path / "r.json", "Wrong Cert")
    assert main(["import", "--data-dir", str(station), "--response", str(response), "--database", bad]) == 0
    out, err = capsys.readouterr()
    submission_id = out.strip()
    assert "queued" in err and "sync" in err and libpq_says in err and "TLS certificate was not accepted" in err
    assert "Traceback" not in err and PASSWORD not in out + err
    assert server_ids(server, database) == [], "nothing reached the server"

    assert main(["sync", "--data-dir", str(station), "--database", bad]) == 2, "a setting must change: exit 2"
    out, err = capsys.readouterr()
    assert "1 submission(s) left to forward" in out and "TLS certificate was not accepted" in err
    assert "queued here until this station's connection settings are fixed" in err
    assert "Traceback" not in err and PASSWORD not in out + err
    assert main(["console", "--data-dir", str(tmp_path / "desk"), "--database", bad, "--windowed"]) == 2
    out, err = capsys.readouterr()
    assert "cannot be reached" in err and "TLS certificate was not accepted" in err and libpq_says in err
    assert "Traceback" not in err and PASSWORD not in out + err
    check = doctor_on_shared_database(station, bad, monkeypatch)
    assert not check.ok and libpq_says in check.detail and "TLS certificate was not accepted" in check.detail
    assert main(["sync", "--data-dir", str(station), "--database", good]) == 0, "queued, not lost"
    assert "Forwarded 1 submission(s)" in capsys.readouterr().out
    assert server_ids(server, database) == [submission_id]


@pytest.mark.parametrize(("wrong", "libpq_says", "plainly"), [
    ("ca", "certificate verify failed", "signed by the clinic's CA in sslrootcert="),
    ("host", 'does not match host name "127.0.0.1"', "not made out to the URL's host name, 127.0.0.1"),
])
def test_sync_with_nothing_queued_still_says_the_certificate_is_not_trusted(
        wrong: str, libpq_says: str, plainly: str, station: Path, tls_postgres_server: TlsPostgresServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    server = tls_postgres_server
    database, good, bad = trusted_and_untrusted_urls(server, wrong)
    assert main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann",
                 "--database", good]) == 0
    capsys.readouterr()
    assert main(["sync", "--data-dir", str(station), "--database", good]) == 0
    assert "0 submission(s) left to forward" in capsys.readouterr().out
    # nothing waits here, yet a station whose URL does not trust the server is told so (a timer's sync notices)
    assert main(["sync", "--data-dir", str(station), "--database", bad]) == 2
    out, err = capsys.readouterr()
    assert "0 submission(s) left to forward" in out
    assert err.startswith("naltrexone-kiosk: the shared database cannot be reached") and err.count("\n") == 1
    assert libpq_says in err and "TLS certificate was not accepted" in err and plainly in err
    assert "Traceback" not in err and PASSWORD not in out + err


def test_sync_with_nothing_queued_and_the_server_away_says_so_and_exits_1(
        station: Path, tls_postgres_server: TlsPostgresServer, capsys: pytest.CaptureFixture[str]) -> None:
    server = tls_postgres_server
    database = server.new_database()
    assert main(["setup", "--data-dir", str(station), "--clinic", "Riverside", "--admin", "Ann",
                 "--database", with_password(server.tcp_url(database))]) == 0
    capsys.readouterr()
    away = with_password(server.tcp_url(database)).replace(f":{server.port}/", f":{free_port()}/")
    assert main(["sync", "--data-dir", str(station), "--database", away]) == 1, "may heal by itself: try again"
    out, err = capsys.readouterr()
    assert "0 submission(s) left to forward" in out and "Connection refused" in err
    assert "the server is not answering" in err and "run sync again when it is back" in err
    assert "Traceback" not in err and PASSWORD not in out + err


def test_a_connection_problem_never_repeats_the_urls_password() -> None:
    from kiosk.storage.forwarder import connection_problem

    url = f"postgresql://tablet_a:{PASSWORD}@db.clinic.lan/kiosk?sslmode=verify-full&sslrootcert=/etc/ca.crt"
    said = connection_problem(url, psycopg.OperationalError(f'invalid connection option "{PASSWORD}"\nmore'))
    assert PASSWORD not in said and said == 'invalid connection option "***"'
    tls = connection_problem(url, psycopg.OperationalError("SSL error: certificate verify failed"))
    assert "sslrootcert=/etc/ca.crt" in tls and "host name, db.clinic.lan" in tls and PASSWORD not in tls
