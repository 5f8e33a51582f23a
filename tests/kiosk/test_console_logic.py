"""The console's Qt-free logic: form checks, preview with the staff note, print, review, audit export."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from fake_staff import START, FakeStaffData, make_submission
from kiosk.console.controller import QueueRow, StaffConsole
from kiosk.console.forms import MIN_PASSPHRASE, passphrase_problem, query_from_form, settings_changes, setup_problems
from kiosk.content import Content
from kiosk.settings import Settings


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def data(content: Content) -> FakeStaffData:
    return FakeStaffData(content, [make_submission(content, "Rosa Diaz", "1980-02-03", START),
                                   make_submission(content, "Sam Lee", "1975-06-07", START + dt.timedelta(days=1))])


def console_for(data: FakeStaffData, printer=lambda pdf, sid: (True, "Sent to the printer")) -> StaffConsole:
    return StaffConsole(data.content, data, lambda: "North Clinic", printer)


def test_a_passphrase_needs_length_and_the_same_twice() -> None:
    short = "a" * (MIN_PASSPHRASE - 1)
    assert "at least 12" in passphrase_problem(short, short)
    assert "not the same" in passphrase_problem("correct horse battery", "correct horse battry")
    assert passphrase_problem("correct horse battery", "correct horse battery") is None


def test_setup_names_every_missing_field() -> None:
    problems = setup_problems(" ", "", "short", "short")
    assert len(problems) == 3
    assert any("clinic" in p for p in problems) and any("administrator" in p for p in problems)


def test_search_form_names_the_field_that_is_not_a_date() -> None:
    query, problems = query_from_form("  Rosa   Diaz ", "1980-02-31", "2026-11-01", "")
    assert query.name == "Rosa Diaz" and query.since == dt.date(2026, 11, 1)
    assert problems == ["Date of birth: '1980-02-31' is not a date; use MM/DD/YYYY (e.g. 02/03/1980) or YYYY-MM-DD."]
    for typed in ("03/02/1980", "3/2/1980", "03-02-1980", "1980-03-02"):
        query, problems = query_from_form("", typed, "", "")
        assert (query.dob, problems) == ("1980-03-02", []), typed
    _, problems = query_from_form("", "13/02/1980", "", "")
    assert problems and "MM/DD/YYYY" in problems[0]
    _, problems = query_from_form("", "", "2026-11-05", "2026-11-01")
    assert problems == ["From is after To: swap the two dates."]


def test_settings_form_returns_only_changes_and_refuses_bad_values() -> None:
    current = Settings()
    changes, problems = settings_changes(current, {"clinic_name": " North ", "languages": ["en"],
                                                   "retention_days": current.retention_days})
    assert changes == {"clinic_name": "North", "languages": ("en",)} and problems == []
    _, problems = settings_changes(current, {"clinic_name": "", "languages": [], "idle_timeout_s": 20,
                                             "idle_warning_s": 30})
    assert problems == ["Clinic name: it cannot be empty.", "Patient idle timeout (seconds): must be between 30 and 3600.",
                        "Languages offered: choose at least one.", "Idle warning: must be shorter than the idle timeout."]
    _, problems = settings_changes(current, {"staff_alert": "siren", "retention_days": True, "keep_abandoned": "yes"})
    assert problems == ["Keep abandoned sessions for staff: must be on or off.",
                        "Retention: keep submissions for (days): must be a whole number.",
                        "Staff alert for urgent flags and help: must be one of: sound, marker, sound+marker, none."]


def test_preview_is_the_clinician_pdf_with_the_staff_note_and_is_audited(data: FakeStaffData) -> None:
    console = console_for(data)
    first = console.rows(console_query := query_from_form("Rosa", "", "", "")[0], 0)[0]
    assert console.count(console_query) == 1
    console.add_note(first.id, "  Called patient back on Tuesday  ")
    text = pdf_text(console.pdf(first.id))
    assert "Rosa Diaz" in text and "Called patient back on Tuesday" in text
    assert [(e.actor, e.action, e.target) for e in data.audit] == [("Dana", "note", first.id), ("Dana", "view", first.id)]


def test_print_marks_printed_and_a_failure_leaves_a_message(data: FakeStaffData) -> None:
    sent: list[tuple[bytes, str]] = []
    console = console_for(data, lambda pdf, sid: (sent.append((pdf, sid)), (True, "Printed on desk"))[1])
    row = console.rows(query_from_form("", "", "", "")[0], 0)[0]
    assert row.status_text == "new (not printed)"
    assert console.print(row.id) == (True, "Printed on desk")
    assert sent[0][0].startswith(b"%PDF") and sent[0][1] == row.id
    assert console.rows(query_from_form("", "", "", "")[0], 0)[0].status_text == "printed"

    def broken(pdf: bytes, sid: str) -> tuple[bool, str]:
        raise OSError("lp not found")

    other = console.rows(query_from_form("", "", "", "")[0], 0)[1]
    ok, message = console_for(data, broken).print(other.id)
    assert not ok and "lp not found" in message
    assert other.id not in data.printed
    assert [e.detail for e in data.audit if e.action == "print"] == [{"ok": True}, {"ok": False}]


def test_review_says_who_and_when(data: FakeStaffData) -> None:
    console = console_for(data)
    row = console.rows(query_from_form("", "", "", "")[0], 0)[0]
    assert console.review_text(row.id) == "Not reviewed yet"
    console.mark_reviewed(row.id)
    assert console.review_text(row.id).startswith("Reviewed by Dana on ")


def test_urgent_rows_carry_a_text_marker_not_only_colour() -> None:
    row = QueueRow("x", None, "A", "", "new", 0, printed=False)
    assert "URGENT" in row.flag_text and row.urgent
    assert QueueRow("y", None, "B", "", "abandoned", 3, printed=False).status_text == "abandoned"


def test_audit_export_has_the_check_result_and_every_entry(data: FakeStaffData, tmp_path: Path) -> None:
    console = console_for(data)
    for i in range(3):
        data.record("view", f"s{i}")
    data.tampered.append("entry 2: hash does not match the entry before")
    assert console.audit_check().startswith("Audit log problems:\nentry 2")
    out = tmp_path / "audit.jsonl"
    assert "3 audit entries" in console.export_audit(out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"check": ["entry 2: hash does not match the entry before"]}
    assert [line["target"] for line in lines[1:]] == ["s2", "s1", "s0"]
    assert data.audit[-1].action == "audit_export"


def test_export_refuses_an_unknown_format_or_missing_folder(data: FakeStaffData, tmp_path: Path) -> None:
    console = console_for(data)
    with pytest.raises(ValueError, match="unknown export format"):
        console.export("xml", None, None, tmp_path / "x.xml")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        console.export("csv", None, None, tmp_path / "nowhere" / "x.csv")


def test_retry_outbox_without_an_outbox_says_so(data: FakeStaffData) -> None:
    assert "No print outbox" in console_for(data).retry_outbox()
    retried = StaffConsole(data.content, data, lambda: "C", lambda p, s: (True, ""), retry=lambda: "2 printed")
    assert retried.retry_outbox() == "2 printed"
    assert data.audit[-1].action == "retry_outbox"


class RecordingPrinter:
    def __init__(self, queue: str, ok: bool = True) -> None:
        self.queue, self.ok, self.jobs = queue, ok, []

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        self.jobs.append((pdf, title))
        return self.ok, f"Sent to {self.queue}" if self.ok else f"Not printed on {self.queue}: paper jam"


def test_factory_prints_on_the_settings_printer_and_retries_the_sealed_outbox(data: FakeStaffData, tmp_path: Path) -> None:
    from kiosk.console.factory import console_factory
    from kiosk.printing import Outbox

    data._settings = data.settings().updated(printer="front-desk")
    printers: list[RecordingPrinter] = []

    def make_printer(queue: str, ok: bool = True) -> RecordingPrinter:
        printers.append(RecordingPrinter(queue, ok))
        return printers[-1]

    console = console_factory(data.content, tmp_path / "outbox", make_printer)(data)
    row = console.rows(query_from_form("Sam", "", "", "")[0], 0)[0]
    assert console.print(row.id) == (True, "Sent to front-desk")
    assert printers[0].jobs[0][1] == f"intake-{row.id[:8]}", "the queue shows a short id, never the name"

    assert console.retry_outbox() == "Nothing is waiting to print."
    kiosk_side = Outbox(tmp_path / "outbox", seal=lambda pdf: pdf[::-1])
    waiting = [s.id for s in data.by_id.values()]
    for sid in waiting:
        kiosk_side.put(sid, b"%PDF-1.4 waiting " + sid.encode())
    assert console.retry_outbox() == "Printed 2 of 2 waiting PDF(s)."
    assert sorted(pdf for pdf, _ in printers[-1].jobs) == sorted(b"%PDF-1.4 waiting " + s.encode() for s in waiting)
    assert kiosk_side.waiting() == [] and data.printed >= set(waiting)

    kiosk_side.put(waiting[0], b"%PDF-1.4 again")
    jammed = console_factory(data.content, tmp_path / "outbox", lambda q: make_printer(q, ok=False))(data)
    assert jammed.retry_outbox() == "Printed 0 of 1 waiting PDF(s). Still waiting: 1. Not printed on front-desk: paper jam"
    assert kiosk_side.waiting() == [waiting[0]]


def test_factory_puts_the_clinic_logo_on_the_preview(data: FakeStaffData, tmp_path: Path) -> None:
    from answer_plans import tiny_png
    from kiosk.console.factory import console_factory

    row_id = next(iter(data.by_id))
    make = console_factory(data.content, tmp_path / "outbox", lambda q: RecordingPrinter(q))
    plain = PdfReader(io.BytesIO(make(data).pdf(row_id))).pages[0].images
    (tmp_path / "logo.png").write_bytes(tiny_png())
    data._settings = data.settings().updated(clinic_logo=str(tmp_path / "logo.png"))
    with_logo = PdfReader(io.BytesIO(make(data).pdf(row_id))).pages[0].images
    assert len(with_logo) == len(plain) + 1


def test_settings_form_refuses_a_logo_that_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "logo.txt").write_text("not an image", encoding="utf-8")
    _, problems = settings_changes(Settings(), {"clinic_logo": str(tmp_path / "logo.txt")})
    assert problems == [f"Clinic logo: {tmp_path / 'logo.txt'} is not a readable PNG or JPEG image of at most 2 MB."]


def test_export_writes_a_valid_fhir_bundle_for_the_date_range_and_audits_it(data: FakeStaffData, tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    first_day = START.astimezone().date()
    out = tmp_path / "intake.json"
    message = console_for(data).export("fhir", first_day, first_day, out)
    assert message == f"Exported 1 submission(s) to {out}"
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert "Rosa Diaz" in out.read_text(encoding="utf-8") and "Sam Lee" not in out.read_text(encoding="utf-8")
    assert bundle.type == "collection"
    assert (data.audit[-1].action, data.audit[-1].detail["format"], data.audit[-1].detail["count"]) == ("export", "fhir", 1)


def test_export_csv_round_trips_every_submission(data: FakeStaffData, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "intake.csv"
    assert console_for(data).export("csv", None, None, out) == f"Exported 2 submission(s) to {out}"
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == 3
    assert {"Rosa Diaz", "Sam Lee"} <= {cell for row in rows[1:] for cell in row}
