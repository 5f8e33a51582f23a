"""The `stop` tier: contraindications to naltrexone today rank between urgent and review everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from high_risk import high_risk_answers
from kiosk.rules.assessment import assess
from kiosk.console.controller import QueueRow
from kiosk.content import Content
from kiosk.content.stop_table import END, START, stop_table
from kiosk.export.csv import write_csv
from kiosk.rules.flow import effective_answers
from kiosk.patient.pipeline import finalize
from kiosk.storage.db import migrate
from kiosk.storage.migrations import MIGRATIONS
from kiosk.storage.submissions import SEVERITY_RANK
from report_samples import GOLDEN_TIME, complete_submission_for

ROOT = Path(__file__).resolve().parents[2]
VISIT = GOLDEN_TIME.date()


def flags_for(content: Content, changes: dict[str, Any]) -> dict[str, str]:
    answers = high_risk_answers(content)
    # Start from a patient with no contraindication, then apply only the answers under test.
    answers.update({"opioid_ever": False, "withdrawal_now": ["none"], "pregnant": "no", "phq9_9": "not_at_all",
                    "opioid_pain_rx": False, "maintenance_now": "none", "allergy_naltrexone": "no",
                    "allergy_injection": "no"})
    answers.update(changes)
    result = assess(content, effective_answers(content, answers), VISIT)
    return {f.id: f.severity for f in result.flags}


def days_ago(days: int) -> str:
    return (VISIT - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(("changes", "flag"), [
    ({"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_date": days_ago(6)}, "washout_short_acting"),
    ({"opioid_ever": True, "last_opioid_kind": "methadone", "last_opioid_date": days_ago(13)}, "washout_methadone"),
    ({"opioid_ever": True, "last_opioid_kind": "buprenorphine", "last_opioid_date": days_ago(10)}, "washout_buprenorphine"),
    ({"opioid_ever": True, "last_opioid_kind": "tramadol_other", "last_opioid_date": days_ago(2)}, "washout_other_recent"),
    ({"maintenance_now": "methadone"}, "maintenance_now"),
    ({"maintenance_now": "buprenorphine"}, "maintenance_now"),
    ({"withdrawal_now": ["yawning"]}, "withdrawal_now"),
    ({"opioid_pain_rx": True}, "opioid_pain_rx"),
    ({"allergy_naltrexone": "yes"}, "allergy_naltrexone"),
    ({"allergy_naltrexone": "unsure"}, "allergy_naltrexone"),
    ({"form_preference": "injection", "allergy_injection": "yes"}, "allergy_injection"),
    ({"pregnant": "yes"}, "pregnancy"),
    ({"pregnant": "unsure"}, "pregnancy"),
])
def test_each_contraindication_is_a_stop(content: Content, changes: dict, flag: str) -> None:
    assert flags_for(content, changes).get(flag) == "stop"


@pytest.mark.parametrize("changes", [
    {"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_date": days_ago(7)},
    {"opioid_ever": True, "last_opioid_kind": "methadone", "last_opioid_date": days_ago(14)},
    {"pregnant": "no"},
    {"opioid_ever": True, "last_opioid_kind": "tramadol_other", "last_opioid_date": days_ago(9)},
])
def test_no_stop_past_the_interval_or_without_the_answer(content: Content, changes: dict) -> None:
    assert "stop" not in flags_for(content, changes).values()


def test_the_high_risk_patient_ranks_urgent_then_stop_then_review(content: Content) -> None:
    result = assess(content, effective_answers(content, high_risk_answers(content)), VISIT)
    tiers = [f.severity for f in result.flags]
    assert tiers == sorted(tiers, key=["urgent", "stop", "review", "info"].index)
    assert {f.id for f in result.contraindications} == {"washout_short_acting", "withdrawal_now", "pregnancy"}
    assert tiers[0] == "urgent"


def test_readme_lists_every_stop_rule_as_the_content_says(content: Content) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == stop_table(content), "README STOP table is stale: python -m kiosk.content.stop_table README.md"
    assert shown.count("\n| `") >= 9


def test_queue_and_stored_rank_put_stop_between_urgent_and_review() -> None:
    assert SEVERITY_RANK["urgent"] < SEVERITY_RANK["stop"] < SEVERITY_RANK["review"] < SEVERITY_RANK["info"] < SEVERITY_RANK[None]
    row = QueueRow("x", None, "A", "B", "new", SEVERITY_RANK["stop"])
    assert row.flag_text == "STOP" and not row.urgent


def test_ranks_stored_before_the_stop_tier_keep_their_meaning(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    for n, rank in enumerate((0, 1, 2, 3)):  # urgent, review, info, none under the old numbering
        conn.execute("INSERT INTO submissions (id, started_at, status, content_version, language, severity, payload) "
                     "VALUES (?, '2026-01-01', 'new', 'v', 'en', ?, x'00')", (f"s{n}", rank))
    migrate(conn)
    ranks = [r for (r,) in conn.execute("SELECT severity FROM submissions ORDER BY id")]
    assert ranks == [SEVERITY_RANK["urgent"], SEVERITY_RANK["review"], SEVERITY_RANK["info"], SEVERITY_RANK[None]]


def test_csv_counts_contraindications(content: Content) -> None:
    submission = finalize(content, complete_submission_for(content, answers=high_risk_answers(content)), GOLDEN_TIME)
    stream = io.StringIO()
    write_csv([submission], content, stream)
    row = next(csv.DictReader(io.StringIO(stream.getvalue())))
    assert row["stop"] == "3" and row["urgent"] == "yes"
    assert row["flags"].index("stop:") < row["flags"].index("review:")


def test_pdf_prints_the_tier_as_stop(content: Content) -> None:
    from pypdf import PdfReader

    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    submission = finalize(content, complete_submission_for(content, answers=high_risk_answers(content)), GOLDEN_TIME)
    pdf = ClinicianReport().render(build_report(content, submission, "Riverside Clinic"))
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "STOP Fewer than 7 days since a short-acting opioid" in first
    assert first.index("URGENT PHQ-9") < first.index("STOP Fewer") < first.index("REVIEW Liver")
