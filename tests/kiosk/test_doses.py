"""A clinician records the shot given (side, lot) or pills prescribed on a visit; the next visit's page 1 says
which side to use next, when the next shot is due (28 days after the last) and how many days it has been."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.cli import main
from kiosk.content import Content, load_visits
from kiosk.report.doses import DoseRecord, dose_lines, shot_plan
from kiosk.services import open_database
from kiosk.staff.vault import rotate_keys, setup_install, unlock
from kiosk.system.paths import content_dir
from test_since_last_visit import PASSPHRASE, _response

DAY = dt.date(2026, 10, 1)


def shot(side: str, on: dt.date, lot: str = "AB123") -> DoseRecord:
    return DoseRecord("shot", on, "Dana", side, lot)


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def test_the_next_shot_goes_in_the_other_side_28_days_after_the_last() -> None:
    records = [shot("right", DAY - dt.timedelta(days=28)), shot("left", DAY), DoseRecord("pills", DAY - dt.timedelta(days=60), "Dana")]
    plan = shot_plan(records, DAY + dt.timedelta(days=30))
    assert plan is not None and (plan.last.side, plan.next_side, plan.due, plan.days_since) == \
        ("left", "right", dt.date(2026, 10, 29), 30)
    assert dose_lines(records, DAY + dt.timedelta(days=30)) == [
        "Last shot: 2026-10-01, left side, lot AB123 (30 days ago, recorded by Dana)",
        "Next shot: use the RIGHT side; due 2026-10-29 (28 days after the last shot), 2 days past the due date"]
    assert dose_lines(records, DAY + dt.timedelta(days=27))[1].endswith("due in 1 day")
    assert dose_lines(records, DAY + dt.timedelta(days=28))[1].endswith("due today")
    assert shot_plan(records, DAY - dt.timedelta(days=29)) is None, "a shot after the visit's day does not count"


def test_pills_after_the_last_shot_are_named_too() -> None:
    records = [shot("right", DAY), DoseRecord("pills", DAY + dt.timedelta(days=28), "Lee")]
    lines = dose_lines(records, DAY + dt.timedelta(days=56))
    assert lines[0].startswith("Last shot: 2026-10-01, right side") and "use the LEFT side" in lines[1]
    assert lines[2] == "Pills prescribed: 2026-10-29 (28 days ago, recorded by Lee)"
    assert dose_lines([DoseRecord("pills", DAY, "Lee")], DAY) == ["Pills prescribed: 2026-10-01 (0 days ago, recorded by Lee)"]


def test_the_follow_up_report_says_which_side_next_and_when_the_shot_is_due(
        capsys: pytest.CaptureFixture[str], visits: dict[str, Content], data_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Recorded in the console's data layer on the intake; read back by `report --response --data-dir`, after a key
    rotation (the record moves to the new keys), and shown on the intake's own page 1."""
    from kiosk.console.controller import StaffConsole
    from kiosk.staff.data import SealedStaffData

    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    first = dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.timezone.utc)
    intake = _response(visits["intake"], tmp_path / "intake.json", "Mara Quinn", 14, first, "a" * 32)
    assert main(["import", "--response", str(intake), "--data-dir", str(data_dir)]) == 0
    intake_id = capsys.readouterr().out.strip()
    conn = open_database(data_dir)
    try:
        staff = SealedStaffData(conn, unlock(conn, "admin", PASSPHRASE), visits["intake"], data_dir)
        console = StaffConsole(visits["intake"], staff, lambda: "Riverside Clinic", lambda pdf, sid: (True, ""))
        assert console.record_dose(intake_id, "shot", "left", "LOT-77A") == \
            "Recorded: shot given, left side, lot LOT-77A"
        assert console.dose_text(intake_id) == "Given at this visit: shot given, left side, lot LOT-77A (admin, 2026-10-01)"
        intake_page = PdfReader(io.BytesIO(console.pdf(intake_id))).pages[0].extract_text()
        rotate_keys(conn, staff.unlocked)
        staff.lock()
    finally:
        conn.close()
    assert "Given at this visit: shot given, left side, lot LOT-77A (recorded by admin on 2026-10-01)" in intake_page

    follow = _response(visits["follow-up"], tmp_path / "follow.json", "MARA QUINN", 9,
                       first + dt.timedelta(days=30), "b" * 32)
    out = tmp_path / "follow.pdf"
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", PASSPHRASE)
    assert main(["report", "--response", str(follow), "--out", str(out), "--data-dir", str(data_dir)]) == 0
    page_one = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Last shot: 2026-10-01, left side, lot LOT-77A (30 days ago, recorded by admin)" in page_one
    assert ("Next shot: use the RIGHT side; due 2026-10-29 (28 days after the last shot), 2 days past the due date"
            in page_one)
    assert "shot L" in page_one, "the table's Given column names the earlier visit's shot"


def test_a_visit_counts_on_the_clinics_local_day_not_the_utc_one(monkeypatch: pytest.MonkeyPatch,
                                                                 visits: dict[str, Content]) -> None:
    """An evening visit in California is already tomorrow in UTC; page 1's dates and the due date use the local day."""
    import time

    from fhir_fixtures import finished, full_answers
    from kiosk.report.trend import point_of, visit_day

    evening = finished(visits["follow-up"], full_answers(visits["follow-up"]),
                       when=dt.datetime(2026, 10, 2, 2, 30, tzinfo=dt.timezone.utc))
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert visit_day(evening) == point_of(evening).when == dt.date(2026, 10, 1)
    finally:
        monkeypatch.undo()
        time.tzset()
