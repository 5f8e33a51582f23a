"""A clinic of several stations for tests, made through the command line as a clinic would: the first station's
`setup --database URL`, imports at a station, and the staff environment both need."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import make_submission
from kiosk.cli import main
from kiosk.content import Content
from kiosk.fhir.response import to_response

RECOVERY = re.compile(r"Recovery key: (\S+)")
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def clinic_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No database or staff name from the environment; the first administrator's passphrase in it."""
    for name in ("KIOSK_DATABASE_URL", "KIOSK_STAFF_NAME", "KIOSK_RECOVERY_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    return monkeypatch


def make_clinic(url: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The first station: the clinic is made in the shared database; returns the recovery key printed once."""
    assert main(["setup", "--data-dir", str(folder), "--clinic", "Riverside", "--admin", ADMIN,
                 "--database", url]) == 0
    out = capsys.readouterr().out
    found = RECOVERY.search(out)
    assert found, out
    return found.group(1)


def response_file(content: Content, path: Path, name: str) -> Path:
    submission = make_submission(content, name, "1979-05-06", T0)
    path.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")
    return path


def import_at(folder: Path, content: Content, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`import` at a station (the URL from its setting); the response is forwarded at once. Returns its id."""
    response = response_file(content, tmp_path / f"{name}.json", name)
    assert main(["import", "--data-dir", str(folder), "--response", str(response)]) == 0
    out, err = capsys.readouterr()
    assert "Forwarded" in err, err
    return out.strip()
