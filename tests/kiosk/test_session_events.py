"""The crisis moment on the PDF: recorded by the wizard through the controller, stored with the submission,
printed on page 1 only when it happened, and never claimed by an import."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from answer_plans import answer_current_page, drive_to_review
from kiosk.content import Content
from kiosk.fhir.response import parse_response, to_response
from kiosk.patient.intake import IntakeController
from kiosk.patient.pipeline import finalize
from kiosk.report.content import build_report
from kiosk.report.pdf import ClinicianReport
from kiosk.storage.db import connect
from kiosk.patient.autosave import SealedJournal
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import SessionEvents, Submission, payload_json
from report_samples import GOLDEN_TIME, complete_submission_for

SHOWN = dt.datetime(2026, 11, 24, 15, 12, tzinfo=dt.timezone.utc)


def page_one(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def expected_line(alert: str) -> str:
    return f"Patient was shown crisis information at {SHOWN.astimezone().strftime('%H:%M')}; staff alert: {alert}"


def walk_to_review(ctl: IntakeController) -> None:
    drive_to_review(ctl)


def test_the_controller_records_the_first_crisis_showing_and_the_submission_keeps_it(
        content: Content, data_dir: Path, visit_time: dt.datetime) -> None:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    ctl = IntakeController(content, store, data_dir / "reports", lambda: "Test Clinic", clock=lambda: visit_time)
    ctl.next()
    ctl.record_crisis_shown(SHOWN, "sound")
    ctl.record_crisis_shown(SHOWN + dt.timedelta(minutes=5), "light")  # a later showing keeps the first
    walk_to_review(ctl)
    assert ctl.submit()
    stored = store.get(ctl.session.id)
    assert stored is not None
    assert stored.events == SessionEvents(crisis_shown_at=SHOWN, staff_alert="sound")
    assert ctl.settle_printing(wait_s=None) == 0  # drawn in the render process after thank-you
    assert expected_line("sound") in page_one((data_dir / "reports" / f"{ctl.session.id}.pdf").read_bytes())


def test_without_a_time_the_controller_uses_its_clock(content: Content, data_dir: Path,
                                                      visit_time: dt.datetime) -> None:
    ctl = IntakeController(content, SubmissionStore(connect(data_dir / "kiosk.db")), data_dir / "reports",
                           lambda: "Test Clinic", clock=lambda: visit_time)
    ctl.record_crisis_shown(alert_mode="sound")
    assert ctl.session.events.crisis_shown_at == visit_time
    ctl.reset()
    assert ctl.session.events == SessionEvents(), "the next patient starts with nothing recorded"


def test_an_abandoned_session_keeps_what_was_shown(content: Content, data_dir: Path, visit_time: dt.datetime) -> None:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    journal = SealedJournal(store, content, keep_abandoned=lambda: True, clock=lambda: visit_time)
    ctl = IntakeController(content, store, data_dir / "reports", lambda: "Test Clinic", clock=lambda: visit_time,
                           journal=journal)
    ctl.next()
    answer_current_page(ctl)
    ctl.record_crisis_shown(SHOWN, "sound")
    session_id = ctl.session.id
    ctl.abandon()
    stored = store.get(session_id)
    assert stored is not None and stored.status == "abandoned"
    assert stored.events.crisis_shown_at == SHOWN


def test_events_survive_storage_and_old_payloads_read_as_nothing_happened(content: Content, data_dir: Path) -> None:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    with_events = replace(complete_submission_for(content, "a" * 32),
                          events=SessionEvents(crisis_shown_at=SHOWN, staff_alert="sound"))
    store.save(with_events)
    assert store.get("a" * 32).events == with_events.events

    old = complete_submission_for(content, "b" * 32)
    data = json.loads(payload_json(old))
    del data["events"]  # a payload written before events existed
    store.conn.execute(
        "INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload)"
        " VALUES (?, ?, NULL, 'new', ?, 'en', 3, ?)",
        (old.id, old.started_at.isoformat(), old.content_version, json.dumps(data).encode()))
    assert store.get("b" * 32).events == SessionEvents()


def test_page_one_says_it_only_when_it_happened(content: Content) -> None:
    plain = finalize(content, complete_submission_for(content), GOLDEN_TIME)
    assert "crisis information" not in page_one(ClinicianReport().render(build_report(content, plain, "Riverside Clinic")))

    shown = replace(plain, events=SessionEvents(crisis_shown_at=SHOWN, staff_alert=None))
    first = page_one(ClinicianReport().render(build_report(content, shown, "Riverside Clinic")))
    assert expected_line("none") in first
    assert first.find("crisis information") < first.find("Flags for the clinician"), "it sits at the top of page 1"


def test_an_import_never_claims_it(content: Content) -> None:
    kiosk = replace(finalize(content, complete_submission_for(content), GOLDEN_TIME),
                    events=SessionEvents(crisis_shown_at=SHOWN, staff_alert="sound"))
    parsed = parse_response(content, to_response(content, kiosk))
    imported: Submission = finalize(content, parsed.submission(content), GOLDEN_TIME)
    assert imported.events == SessionEvents()
    forged = replace(imported, events=kiosk.events)  # even a stored import carrying events prints nothing
    assert "crisis information" not in page_one(ClinicianReport().render(build_report(content, forged, "Riverside Clinic")))
