"""People: visits matched by the keyed hash of name and birth date are suggestions until staff confirm them; staff
can say a suggestion is someone else, merge two records of one person and split a wrongly linked visit off. Every
change is audited with ids only, needs the people right, and the PDF says whether the earlier visits are confirmed."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ADMIN, ADMIN_PASSPHRASE
from people_visits import BORN, store_visit
from kiosk.console.controller import StaffConsole
from kiosk.content import Content, load_visits
from kiosk.staff import audit, vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.rights import NotAllowed, Role
from kiosk.system.paths import content_dir



@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def staff(conn: sqlite3.Connection, content: Content, data_dir: Path, role: Role = Role.ADMINISTRATOR
          ) -> SealedStaffData:
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    if role is Role.ADMINISTRATOR:
        return SealedStaffData(conn, admin, content, data_dir)
    vault.add_account(conn, admin, "Desk Dee", "dee's passphrase here", role)
    return SealedStaffData(conn, vault.unlock(conn, "Desk Dee", "dee's passphrase here"), content, data_dir)


def test_a_match_is_suggested_by_exact_name_accents_and_case_never_by_a_typo(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    intake = store_visit(installed, visits["intake"], "José López", 0, 18)
    exact = store_visit(installed, visits["follow-up"], "José López", 1, 14)
    typo = store_visit(installed, visits["intake"], "Jose Lopes", 0, 3)
    other_birthday = store_visit(installed, visits["intake"], "Jose Lopez", 0, 9, dob="1988-04-10")
    follow = store_visit(installed, visits["follow-up"], "jose LOPEZ", 2, 8)
    data = staff(installed, visits["intake"], data_dir)

    view = data.person(follow)
    assert view.person is None and not view.confirmed
    assert view.ids() == [intake, exact, follow], "accents and case ignored, oldest first"
    assert typo not in view.ids() and other_birthday not in view.ids(), "a typo or another birth date is not matched"
    assert [v.point.unconfirmed for v in view.visits] == [True, True, False]
    assert [v.point.phq9 for v in view.visits] == [18, 14, 8]
    assert "Suggested match: 2 other visit(s)" in view.summary() and "not confirmed" in view.summary()
    earlier = data.earlier_visits("JOSÉ lópez", BORN, follow)
    assert [(p.phq9, p.unconfirmed) for p in earlier] == [(18, True), (14, True)]
    assert data.person(typo).ids() == [typo]


def test_confirming_links_the_visits_and_a_later_visit_is_suggested_into_that_person(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    intake = store_visit(installed, visits["intake"], "Ana María Ruiz", 0, 16)
    follow = store_visit(installed, visits["follow-up"], "ANA MARIA RUIZ", 1, 9)
    data = staff(installed, visits["intake"], data_dir)
    person = data.change_person("confirm", follow)

    view = data.person(follow)
    assert view.person == person and view.linked_by == ADMIN and not view.suggested
    assert "Same person confirmed by Admin Ann" in view.summary() and "2 visit(s)" in view.summary()
    assert data.person(intake).person == person
    later = store_visit(installed, visits["follow-up"], "Ana Maria Ruiz", 2, 4)
    suggestion = data.person(later)
    assert suggestion.person is None and suggestion.suggested_person == person
    assert [v.point.unconfirmed for v in suggestion.visits] == [True, True, False]
    assert data.person(follow).suggested[0].id == later, "the newcomer is a suggestion beside the confirmed ones"

    entry = audit.entries(installed, 0, 5)
    confirm = next(e for e in entry if e.action == "person_confirm")
    assert confirm.actor == ADMIN and confirm.target == follow
    assert confirm.detail == {"person": person, "visits": sorted([intake, follow])}


def test_not_the_same_person_keeps_them_apart_and_a_newcomer_is_not_guessed(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    first = store_visit(installed, visits["intake"], "Sam Lee", 0, 12)
    namesake = store_visit(installed, visits["follow-up"], "Sam Lee", 1, 2)
    data = staff(installed, visits["intake"], data_dir)
    data.change_person("reject", namesake)

    assert data.person(namesake).ids() == [namesake] and data.person(namesake).confirmed
    assert data.person(first).ids() == [first] and data.person(first).person != data.person(namesake).person
    assert data.earlier_visits("Sam Lee", BORN, namesake) == []
    newcomer = store_visit(installed, visits["follow-up"], "Sam Lee", 2, 5)
    view = data.person(newcomer)
    assert view.ambiguous and view.ids() == [newcomer] and "2 people share" in view.summary()
    assert data.earlier_visits("Sam Lee", BORN, newcomer) == [], "no one's numbers are guessed onto the page"
    assert data.match_note("Sam Lee", BORN, newcomer).startswith("Earlier visits: 2 people with this name")
    console = StaffConsole(visits["intake"], data, lambda: "Riverside Clinic", lambda pdf, sid: (True, ""))
    page = " ".join(PdfReader(io.BytesIO(console.pdf(newcomer))).pages[0].extract_text().split())
    assert "Earlier visits: 2 people with this name and date of birth are on file" in page
    assert "Previous visit:" not in page, "page 1 says why it shows no trend rather than guess one"
    with pytest.raises(ValueError, match="merge"):
        data.change_person("confirm", newcomer)
    data.change_person("merge", newcomer, first)
    assert data.person(newcomer).ids() == [first, newcomer]
    assert data.match_note("Sam Lee", BORN, newcomer) == ""
    assert "Previous visit:" in " ".join(PdfReader(io.BytesIO(console.pdf(newcomer))).pages[0].extract_text().split())


def test_merge_joins_a_typo_and_split_takes_a_wrong_visit_off_each_audited_without_names(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    intake = store_visit(installed, visits["intake"], "María Gómez", 0, 20)
    typo = store_visit(installed, visits["follow-up"], "Maria Gomes", 1, 15)
    follow = store_visit(installed, visits["follow-up"], "Maria Gomez", 2, 9)
    data = staff(installed, visits["intake"], data_dir)
    assert typo not in data.person(follow).ids()

    person = data.change_person("merge", follow, typo)
    assert data.person(follow).ids() == [intake, typo, follow] and data.person(typo).person == person
    assert [p.phq9 for p in data.earlier_visits("Maria Gomez", BORN, follow)] == [20, 15]
    assert not any(p.unconfirmed for p in data.earlier_visits("Maria Gomez", BORN, follow))

    data.change_person("split", typo)
    assert data.person(typo).ids() == [typo] and data.person(typo).person != person
    assert data.person(follow).ids() == [intake, follow] and data.person(follow).person == person

    actions = [(e.action, e.target, e.actor) for e in audit.entries(installed, 0, 10) if e.action.startswith("person")]
    assert actions == [("person_split", typo, ADMIN), ("person_merge", follow, ADMIN)]
    written = json.dumps([e.detail for e in audit.entries(installed, 0, 100)], ensure_ascii=False).casefold()
    for word in ("maría", "maria", "gómez", "gomez", "gomes", BORN):
        assert word not in written, "the audit names visits and opaque person ids, never the patient"
    assert audit.problems(installed) == []


def test_changing_people_needs_the_right_and_a_refusal_is_audited(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    store_visit(installed, visits["intake"], "Kim Park", 0, 10)
    follow = store_visit(installed, visits["follow-up"], "Kim Park", 1, 6)
    desk = staff(installed, visits["intake"], data_dir, Role.FRONT_DESK)
    assert len(desk.person(follow).visits) == 2, "the front desk sees the suggested match"
    with pytest.raises(NotAllowed, match="Confirming, merging or splitting people needs a clinician"):
        desk.change_person("confirm", follow)
    assert desk.person(follow).person is None
    assert audit.entries(installed, 0, 1)[0].action == "refused"


def test_the_pdf_says_whether_the_earlier_visits_are_confirmed(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    store_visit(installed, visits["intake"], "Lee Chan", 0, 18)
    follow = store_visit(installed, visits["follow-up"], "Lee Chan", 1, 8)
    data = staff(installed, visits["intake"], data_dir)
    console = StaffConsole(visits["intake"], data, lambda: "Riverside Clinic", lambda pdf, sid: (True, ""))

    def page_one() -> str:
        return " ".join(PdfReader(io.BytesIO(console.pdf(follow))).pages[0].extract_text().split())

    before = page_one()
    assert "Previous visit: 2026-09-01 (intake, 28 days ago) - matched by name and date of birth, not confirmed" \
           in before
    assert "intake *" in before and "staff have not confirmed it is the same person" in before
    assert "18" in before and "8 (-10)" in before
    console.confirm_person(follow)
    after = page_one()
    assert "not confirmed" not in after and "Earlier visits confirmed by staff as this patient's." in after
    assert "8 (-10)" in after


def test_report_of_a_response_names_why_no_trend_when_two_people_share_its_name(
        installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from fhir_fixtures import finished, full_answers
    from kiosk.cli import main
    from kiosk.fhir.response import to_response

    store_visit(installed, visits["intake"], "Sam Lee", 0, 12)
    namesake = store_visit(installed, visits["intake"], "Sam Lee", 1, 2)
    staff(installed, visits["intake"], data_dir).change_person("reject", namesake)
    follow = visits["follow-up"]
    answers = full_answers(follow, patient_name="SAM LEE", date_of_birth=BORN)
    response = tmp_path / "follow.json"
    response.write_text(json.dumps(to_response(follow, finished(follow, answers, submission_id="9" * 32))),
                        encoding="utf-8")
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    out = tmp_path / "follow.pdf"
    assert main(["report", "--response", str(response), "--out", str(out), "--data-dir", str(data_dir),
                 "--staff", ADMIN]) == 0
    page = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Earlier visits: 2 people with this name and date of birth are on file" in page
    assert "Previous visit:" not in page
