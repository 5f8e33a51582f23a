"""An imported response says only what happened: provenance, consent, missing answers named, its own time zone,
and no contradictory answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from high_risk import high_risk_answers
from kiosk.cli import main
from kiosk.content import Content
from kiosk.fhir.response import to_response
from kiosk.patient.pipeline import finalize
from kiosk.services import open_database
from kiosk.staff.vault import setup_install
from kiosk.storage.sqlite_submissions import SubmissionStore
from report_samples import GOLDEN_TIME, complete_submission_for


def response_for(content: Content, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    submission = finalize(content, complete_submission_for(content, answers=answers or high_risk_answers(content)),
                          GOLDEN_TIME)
    return to_response(content, submission)


def items(data: dict[str, Any]):
    for item in data.get("item", []):
        yield item
        yield from items(item)


def drop(data: dict[str, Any], *links: str) -> dict[str, Any]:
    def walk(node: dict[str, Any]) -> None:
        node["item"] = [i for i in node.get("item", []) if i["linkId"] not in links]
        for child in node["item"]:
            walk(child)
    walk(data)
    return data


def answer(data: dict[str, Any], link: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    found = next(i for i in items(data) if i["linkId"] == link)
    found["answer"] = values
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def report_text(capsys: pytest.CaptureFixture[str], response: Path, out: Path) -> list[str]:
    assert main(["report", "--response", str(response), "--out", str(out)]) == 0, capsys.readouterr().err
    return [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]


@pytest.fixture
def set_up_dir(data_dir: Path) -> Path:
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", "correct horse battery staple")
    conn.close()
    return data_dir


def stored_count(data_dir: Path) -> int:
    conn = open_database(data_dir)
    try:
        return SubmissionStore(conn).count()
    finally:
        conn.close()


def test_refused_consent_is_not_imported(capsys: pytest.CaptureFixture[str], content: Content, set_up_dir: Path,
                                         tmp_path: Path) -> None:
    data = answer(response_for(content), "consent", [{"valueBoolean": False}])
    path = write(tmp_path / "r.json", data)
    assert main(["import", "--response", str(path), "--data-dir", str(set_up_dir)]) == 1
    err = capsys.readouterr().err
    assert "'consent'" in err and "consent is false" in err and "Traceback" not in err
    assert stored_count(set_up_dir) == 0
    assert main(["report", "--response", str(path), "--out", str(tmp_path / "r.pdf")]) == 1
    assert not (tmp_path / "r.pdf").exists()


def test_an_import_says_where_it_came_from_and_claims_nothing_it_did_not_see(
        capsys: pytest.CaptureFixture[str], content: Content, tmp_path: Path) -> None:
    data = drop(response_for(content), "consent")
    data["author"] = {"reference": "Practitioner/7", "display": "Dr Lee"}
    data["source"] = {"reference": "Patient/3"}
    pages = report_text(capsys, write(tmp_path / "r.json", data), tmp_path / "r.pdf")
    first, whole = pages[0], " ".join(pages)
    assert "Imported from a FHIR QuestionnaireResponse (author: Dr Lee (Practitioner/7); source: Patient/3)" in first
    assert "Consent: not recorded, obtain before treatment" in first
    for claim in ("Completed on the kiosk", "on the kiosk", "shown crisis information", "staff alert",
                  "Consent recorded by staff"):
        assert claim not in whole, claim


def test_missing_required_answers_are_named_on_page_one(capsys: pytest.CaptureFixture[str], content: Content,
                                                        tmp_path: Path) -> None:
    data = drop(response_for(content), "phq9_9", "audit_c_2", "audit_c_3", "last_opioid_date")
    data = answer(data, "audit_c_1", [{"valueCoding": {"code": "monthly_or_less"}}])
    first = report_text(capsys, write(tmp_path / "r.json", data), tmp_path / "r.pdf")[0]
    assert "URGENT Not answered: PHQ-9 item 9 (self-harm): ask directly" in first
    assert "STOP Not answered: Date of last opioid use: ask directly" in first
    assert "AUDIT-C" in first and "incomplete (1 of 3)" in first
    assert "AUDIT-C 1 (1 of 3 items) - >= 3 (women: 3 or more) negative" not in first


def test_a_missing_gate_question_takes_the_tier_of_what_it_hides(content: Content) -> None:
    from kiosk.rules.missing import missing_answer_flags

    answers = {k: v for k, v in high_risk_answers(content).items()
               if k not in ("opioid_ever", "last_opioid_kind", "last_opioid_when", "last_opioid_date")}
    tiers = {f.id: f.severity for f in missing_answer_flags(content, answers)}
    assert tiers == {"not_answered_opioid_ever": "stop"}


def test_an_import_that_answers_everything_names_nothing_missing(capsys: pytest.CaptureFixture[str],
                                                                 content: Content, tmp_path: Path) -> None:
    first = report_text(capsys, write(tmp_path / "r.json", response_for(content)), tmp_path / "r.pdf")[0]
    assert "Not answered" not in first


def test_days_since_last_opioid_count_in_the_responses_own_time_zone(
        capsys: pytest.CaptureFixture[str], content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        data = response_for(content)
        # 23:30 on the 24th in California is already the 25th in UTC: 6 days, not 7, since the 18th.
        data["authored"] = "2026-11-24T23:30:00-08:00"
        data = answer(data, "last_opioid_date", [{"valueDate": "2026-11-18"}])
        first = report_text(capsys, write(tmp_path / "r.json", data), tmp_path / "r.pdf")[0]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "Days since last opioid 6 days" in first
    assert "Submitted 2026-11-24 23:30 UTC-08:00" in first
    assert "STOP Fewer than 7 days since a short-acting opioid" in first
    assert ", 3 stop)" in capsys.readouterr().out  # the command's own summary counts contraindications


def test_none_of_these_with_a_symptom_is_refused(capsys: pytest.CaptureFixture[str], content: Content,
                                                 set_up_dir: Path, tmp_path: Path) -> None:
    data = answer(response_for(content), "withdrawal_now",
                  [{"valueCoding": {"code": "sweating"}}, {"valueCoding": {"code": "none"}}])
    path = write(tmp_path / "r.json", data)
    assert main(["import", "--response", str(path), "--data-dir", str(set_up_dir)]) == 1
    err = capsys.readouterr().err
    assert "withdrawal_now" in err and "None of these" in err and "Traceback" not in err
    assert stored_count(set_up_dir) == 0



def test_check_content_accepts_exclusive_only_on_multi_questions(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content_fixtures" / "minimal", folder)
    screening = folder / "screening.yaml"
    text = screening.read_text(encoding="utf-8")
    screening.write_text(text.replace('- {code: "no", score: 0,', '- {code: "no", exclusive: true, score: 0,'),
                         encoding="utf-8")
    assert main(["check-content", str(folder)]) == 1
    err = capsys.readouterr()
    assert "exclusive applies only to options of a multi question" in err.out + err.err
    assert "screening.yaml" in err.out + err.err


def test_the_shipped_none_of_these_is_exclusive(content: Content) -> None:
    none = content.questions["withdrawal_now"].option("none")
    assert none is not None and none.exclusive
