"""A follow-up's PDF shows "Since last visit": the same person's earlier stored visits, matched by the keyed
hash of name and birth date, with PHQ-9 changes of 5+ marked and response / remission named."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from fhir_fixtures import finished, full_answers
from kiosk.cli import main
from kiosk.content import Content, load_visits
from kiosk.fhir.response import to_response
from kiosk.system.paths import content_dir
from kiosk.report.trend import VisitPoint, phq9_notes, series
from kiosk.services import open_database
from kiosk.staff.people import person_key
from kiosk.staff.vault import setup_install

PASSPHRASE = "correct horse battery staple"
BORN = "1988-04-09"


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def _phq9(total_nine: int) -> dict[str, str]:
    """PHQ-9 answers adding up to `total_nine` (items scored 0-3, item 9 always 0)."""
    codes = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]
    answers, left = {}, total_nine
    for item in range(1, 9):
        score = min(3, left)
        answers[f"phq9_{item}"] = codes[score]
        left -= score
    answers["phq9_9"] = "not_at_all"
    return answers


def _response(content: Content, path: Path, name: str, phq9: int, when: dt.datetime, sid: str, **more) -> Path:
    answers = full_answers(content, patient_name=name, date_of_birth=BORN, **_phq9(phq9), **more)
    path.write_text(json.dumps(to_response(content, finished(content, answers, submission_id=sid, when=when))),
                    encoding="utf-8")
    return path


def test_matching_ignores_accents_case_and_spacing_but_not_a_typo() -> None:
    assert person_key("José  LÓPEZ", BORN) == person_key("jose lopez", f" {BORN}")
    assert person_key("Jose Lopes", BORN) != person_key("Jose Lopez", BORN)
    assert person_key("Jose Lopez", "1988-04-10") != person_key("Jose Lopez", BORN)


def test_phq9_change_response_and_remission() -> None:
    day = dt.date(2026, 9, 1)
    points = lambda *totals: [VisitPoint(day + dt.timedelta(days=28 * i), "x", phq9=t) for i, t in enumerate(totals)]  # noqa: E731
    assert phq9_notes(points(16, 14)) == ["PHQ-9 16 -> 14 since the previous visit (-2)"]
    assert phq9_notes(points(16, 8))[1] == "Response: PHQ-9 fell 50% or more from baseline 16"
    assert "a change of 5 or more points" in phq9_notes(points(16, 8))[0]
    assert phq9_notes(points(16, 9, 4))[1] == "Remission: PHQ-9 under 5 (baseline 16)"
    assert phq9_notes(points(16)) == []
    many = points(*range(20))
    assert len(series(many[:-1], many[-1])) == 12 and series(many[:-1], many[-1])[-1] == many[-1]


def test_report_for_a_follow_up_shows_the_earlier_intakes_phq9(capsys: pytest.CaptureFixture[str],
                                                              visits: dict[str, Content], data_dir: Path,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    first = dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.timezone.utc)
    intake = _response(visits["intake"], tmp_path / "intake.json", "José López", 18, first, "1" * 32)
    other = _response(visits["intake"], tmp_path / "other.json", "Jose Lopes", 3, first, "2" * 32)
    for path in (intake, other):
        assert main(["import", "--response", str(path), "--data-dir", str(data_dir)]) == 0
    follow = _response(visits["follow-up"], tmp_path / "follow.json", "jose LOPEZ", 8,
                       first + dt.timedelta(days=29), "3" * 32, cravings=4)
    out = tmp_path / "follow.pdf"
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["report", "--response", str(follow), "--out", str(out), "--data-dir", str(data_dir)]) == 0
    page_one = PdfReader(str(out)).pages[0].extract_text()
    assert "Since last visit" in page_one and "Clinician return-visit summary" in page_one
    assert "Previous visit: 2026-10-01 (intake, 29 days ago)" in page_one
    assert "not confirmed by staff" in page_one, "a response not yet stored is only ever a suggested match"
    rows = " ".join(page_one.split())
    assert "2026-10-01 intake * 18 " in rows and "2026-10-30 today 8 (-10) " in rows, "both PHQ-9 totals, by visit"
    assert "remission <5" in rows and "Days since last opioid" in rows, "the trend chart is drawn on page 1"
    assert "Response: PHQ-9 fell 50% or more from baseline 18" in page_one
    assert "2026-10-01" in page_one and page_one.count("2026-10-01") == 2, "the typo'd namesake is not matched"

    monkeypatch.delenv("KIOSK_STAFF_PASSPHRASE")
    plain = tmp_path / "plain.pdf"
    assert main(["report", "--response", str(follow), "--out", str(plain), "--data-dir", str(data_dir)]) == 0
    assert "left out" in capsys.readouterr().err
    assert "Previous visit:" not in PdfReader(str(plain)).pages[0].extract_text()


def test_the_console_pdf_of_a_follow_up_shows_since_last_visit(capsys: pytest.CaptureFixture[str],
                                                                visits: dict[str, Content], data_dir: Path,
                                                                tmp_path: Path) -> None:
    from kiosk.console.controller import StaffConsole
    from kiosk.staff.data import SealedStaffData
    from kiosk.staff.vault import unlock

    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    first = dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.timezone.utc)
    ids = []
    for content, name, total, when, sid in (
            (visits["intake"], "Ana María Ruiz", 4, first, "4" * 32),
            (visits["follow-up"], "ANA MARIA RUIZ", 12, first + dt.timedelta(days=28), "5" * 32)):
        path = _response(content, tmp_path / f"{sid}.json", name, total, when, sid)
        assert main(["import", "--response", str(path), "--data-dir", str(data_dir)]) == 0
        ids.append(capsys.readouterr().out.strip())
    conn = open_database(data_dir)
    try:
        staff = SealedStaffData(conn, unlock(conn, "admin", PASSPHRASE), visits["intake"], data_dir)
        console = StaffConsole(visits["intake"], staff, lambda: "Riverside Clinic", lambda pdf, sid: (True, ""))
        follow_page = PdfReader(io.BytesIO(console.pdf(ids[1]))).pages[0].extract_text()
        intake_page = PdfReader(io.BytesIO(console.pdf(ids[0]))).pages[0].extract_text()
    finally:
        conn.close()
    assert "Previous visit: 2026-10-01 (intake, 28 days ago)" in follow_page
    assert "12 (+8)" in follow_page and "a change of 5 or more points" in follow_page
    assert "Previous visit:" not in intake_page and "Clinician intake summary" in intake_page
