"""A patient picks the visit type on welcome (or the kiosk's setting fixes it); the submission records it,
and an imported response's visit type comes from its Questionnaire url."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from answer_plans import drive_to_review
from fhir_fixtures import finished, full_answers
from kiosk.cli import main
from kiosk.content import Content, load_visits
from kiosk.fhir.response import to_response
from kiosk.patient.intake import WELCOME, IntakeController
from kiosk.system.paths import content_dir
from kiosk.services import open_database
from kiosk.settings import BY_NAME, Settings
from kiosk.staff.vault import setup_install, unlock
from kiosk.storage.codecs import OpeningCodec
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def _controller(visits: dict[str, Content], data_dir: Path, visit_time: dt.datetime,
                setting: list[str]) -> IntakeController:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    return IntakeController(visits["intake"], store, data_dir / "reports", lambda: "Test Clinic",
                            clock=lambda: visit_time, visits=visits, visit_setting=lambda: setting[0])


def test_the_visit_type_setting_is_declared_once_with_ask_as_default() -> None:
    spec = BY_NAME["visit_type"]
    assert Settings().visit_type == "ask"
    assert [code for code, _ in spec.choices] == ["ask", "intake", "follow-up"]
    assert Settings(visit_type="monthly").problems() == ["Visit type: must be one of: ask, intake, follow-up."]


def test_welcome_offers_both_visits_and_a_coming_back_patient_answers_the_follow_up(
        visits: dict[str, Content], data_dir: Path, visit_time: dt.datetime) -> None:
    ctl = _controller(visits, data_dir, visit_time, ["ask"])
    assert ctl.visit_choices() == [("intake", "First visit"), ("follow-up", "Coming back for my shot or pills")]
    ctl.set_language("es")
    assert ctl.visit_choices()[1] == ("follow-up", "Vengo por mi inyección o mis pastillas")
    ctl.set_language("en")
    assert ctl.session.visit == "intake", "a patient who only taps Start gets the first-visit form"
    ctl.choose_visit("follow-up")
    assert "opioid_since_visit" in ctl.sequence() and "phq9" in ctl.sequence()
    drive_to_review(ctl)
    assert ctl.submit()
    stored = ctl.store.get(ctl.session.id)
    assert stored is not None and stored.visit == "follow-up"
    assert stored.content_version == visits["follow-up"].version
    assert "opioid_since_visit" in stored.answers
    ctl.finish()
    assert ctl.session.position == WELCOME and ctl.session.visit == "intake", "the next patient starts fresh"
    assert ctl.content is visits["intake"]


def test_an_intake_submission_still_records_intake(visits: dict[str, Content], data_dir: Path,
                                                  visit_time: dt.datetime) -> None:
    ctl = _controller(visits, data_dir, visit_time, ["ask"])
    drive_to_review(ctl)
    assert ctl.submit()
    stored = ctl.store.get(ctl.session.id)
    assert stored is not None and stored.visit == "intake" and "education_before" in stored.answers


def test_a_kiosk_fixed_to_return_visits_asks_nothing_and_gives_the_follow_up(
        visits: dict[str, Content], data_dir: Path, visit_time: dt.datetime) -> None:
    setting = ["follow-up"]
    ctl = _controller(visits, data_dir, visit_time, setting)
    assert ctl.visit_choices() == []
    assert ctl.content is visits["follow-up"]
    ctl.choose_visit("intake")
    assert ctl.content is visits["follow-up"], "a fixed kiosk offers no choice and takes none"
    setting[0] = "intake"
    ctl.reset()
    assert ctl.content is visits["intake"] and ctl.visit_choices() == []


def test_the_choice_is_only_made_on_welcome(visits: dict[str, Content], data_dir: Path,
                                            visit_time: dt.datetime) -> None:
    ctl = _controller(visits, data_dir, visit_time, ["ask"])
    ctl.start()
    ctl.choose_visit("follow-up")
    assert ctl.session.visit == "intake" and ctl.content is visits["intake"]


def test_import_detects_the_follow_up_from_the_questionnaire_url(
        capsys: pytest.CaptureFixture[str], visits: dict[str, Content], data_dir: Path, tmp_path: Path) -> None:
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    follow = visits["follow-up"]
    answers = full_answers(follow, opioid_since_visit=True, last_opioid_kind="short_acting",
                           last_opioid_when="days_2_3")
    response = to_response(follow, finished(follow, answers))
    assert response["questionnaire"].startswith("urn:naltrexone-kiosk:questionnaire:follow-up|")
    path = tmp_path / "follow-up.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    assert main(["import", "--response", str(path), "--data-dir", str(data_dir)]) == 0
    submission_id = capsys.readouterr().out.strip()
    conn = open_database(data_dir)
    store = SubmissionStore(conn, OpeningCodec(unlock(conn, "admin", PASSPHRASE).keys))
    stored = store.get(submission_id)
    conn.close()
    assert stored is not None and stored.visit == "follow-up"
    assert stored.content_version == follow.version
    assert {f.id: f.severity for f in stored.assessment.flags}["opioid_since_visit"] == "stop"

    response["questionnaire"] = "urn:example:other|1"
    path.write_text(json.dumps(response), encoding="utf-8")
    assert main(["import", "--response", str(path), "--data-dir", str(data_dir)]) == 1
    error = capsys.readouterr().err
    assert "urn:naltrexone-kiosk:questionnaire:intake" in error and "questionnaire:follow-up" in error


def test_a_stored_follow_up_is_read_with_its_own_questionnaire(visits: dict[str, Content]) -> None:
    from kiosk.fhir.bundle import bundle_for
    from kiosk.report.content import build_report

    intake, follow = visits["intake"], visits["follow-up"]
    assert intake.for_visit("follow-up").questions.keys() == follow.questions.keys()
    assert intake.for_visit("intake") is intake and intake.for_visit("monthly") is intake
    submission = finished(follow, full_answers(follow, cravings=7))
    submission.visit = "follow-up"
    bundle = bundle_for([submission], intake)
    responses = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert responses[0]["questionnaire"].startswith("urn:naltrexone-kiosk:questionnaire:follow-up|")
    report = build_report(intake.for_visit(submission.visit), submission, "C")
    assert any("Cravings since the last visit (0-10)" in str(section) for section in report.sections)
